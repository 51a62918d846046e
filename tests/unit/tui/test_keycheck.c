/* Unit tests for tui/keycheck.c: the registered key against this
 * machine's key file, and the warning's words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "net/base/secret.h"
#include "net/client/staffkey.h"
#include "net/store/me_store.h"
#include "net/store/store.h"
#include "tui/app.h"
#include "tui/keycheck.h"
#include "tui/notify.h"

/* What the group setup made: $XDG_DATA_HOME/sitecare/staff.key. */
static struct {
	char dir[64];
	char path[128];
	char *b64; /* its public key */
} fx;

/* Another key: 32 bytes that are not ours. */
#define OTHER_B64 "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA="

static int
setup(void **state)
{
	struct sc_error err = { 0 };
	struct secret *pass = secret_new(32, &err);
	struct staffkey k = { 0 };
	char sub[96];

	snprintf(fx.dir, sizeof fx.dir, "/tmp/test_keycheck.XXXXXX");
	if (pass == NULL || mkdtemp(fx.dir) == NULL)
		return -1;
	snprintf(sub, sizeof sub, "%s/sitecare", fx.dir);
	mkdir(sub, 0700);
	snprintf(fx.path, sizeof fx.path, "%s/staff.key", sub);
	strcpy((char *)secret_open_write(pass), "key check passphrase");
	secret_close(pass);
	if (staffkey_generate(fx.path, pass, false, &k, &err) != 0)
		return -1;
	secret_free(pass);
	fx.b64 = staffkey_public_b64(&k);
	staffkey_lock(&k);
	setenv("XDG_DATA_HOME", fx.dir, 1);
	return 0;
}

static int
teardown(void **state)
{
	char sub[96];

	unlink(fx.path);
	snprintf(sub, sizeof sub, "%s/sitecare", fx.dir);
	rmdir(sub);
	rmdir(fx.dir);
	free(fx.b64);
	return 0;
}

static void
keycheck__compare__same_key(void **state)
{
	assert_int_equal(keycheck_compare(fx.b64, fx.path), KEYCHECK_SAME);
}

static void
keycheck__compare__another_key_replaced(void **state)
{
	assert_int_equal(keycheck_compare(OTHER_B64, fx.path),
	                 KEYCHECK_REPLACED);
	/* Not 32 bytes of base64: not ours either. */
	assert_int_equal(keycheck_compare("q83vEjRWeJA=", fx.path),
	                 KEYCHECK_REPLACED);
	assert_int_equal(keycheck_compare("not base64 at all!", fx.path),
	                 KEYCHECK_REPLACED);
}

static void
keycheck__compare__nothing_to_compare(void **state)
{
	assert_int_equal(keycheck_compare(NULL, fx.path),
	                 KEYCHECK_NONE_REGISTERED);
	assert_int_equal(keycheck_compare(OTHER_B64, "/nonexistent/staff.key"),
	                 KEYCHECK_NO_LOCAL_KEY);
	assert_int_equal(keycheck_compare(OTHER_B64, NULL),
	                 KEYCHECK_NO_LOCAL_KEY);
}

static void
keycheck__warning__date_in_local_time(void **state)
{
	time_t at = 1796553900; /* 2026-12-06T10:45:00Z */
	char *w;

	setenv("TZ", "UTC0", 1);
	tzset();
	w = keycheck_warning(true, at);
	assert_string_equal(w, "the key registered for you was replaced on "
	                       "2026-12-06 10:45, not from this machine: if "
	                       "that was not you, tell an admin now");
	free(w);
	setenv("TZ", "JST-9", 1); /* no tzdata needed */
	tzset();
	w = keycheck_warning(true, at);
	assert_non_null(strstr(w, " on 2026-12-06 19:45, not from"));
	free(w);
	w = keycheck_warning(false, 0);
	assert_string_equal(w, "the key registered for you was replaced, not "
	                       "from this machine: if that was not you, tell "
	                       "an admin now");
	free(w);
	unsetenv("TZ");
	tzset();
}

/* The notifications sent: their count and the last title. */
struct sent {
	int n;
	char title[128];
};

static int
fake_desktop(void *ud, const char *title, const char *body,
             enum notify_urgency u, char **reason)
{
	struct sent *s = ud;

	s->n++;
	snprintf(s->title, sizeof s->title, "%s", title);
	assert_int_equal(u, NOTIFY_URGENT);
	assert_non_null(strstr(body, "tell an admin now"));
	return 0;
}

static void
keycheck__app__warns_once_then_clears(void **state)
{
	struct app app = { 0 };
	struct sent sent = { 0 };
	const struct notify_ops ops = { .desktop = fake_desktop, .ud = &sent };

	app.store = store_new();
	setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent", 1);
	app.notify = notify_new(NULL, NOTIFY_DESKTOP, true);
	notify_set_ops(app.notify, &ops);

	keycheck_registered(&app, fx.b64, true, 1796553900);
	assert_null(app.key_warning);
	assert_true(me_store_has_public_key(app.store->me));
	assert_null(app.message);

	keycheck_registered(&app, OTHER_B64, true, 1796553900);
	assert_non_null(app.key_warning);
	assert_non_null(strstr(app.key_warning, "was replaced on"));
	assert_string_equal(app.message, app.key_warning);
	assert_true(app.message_is_error);
	assert_int_equal(sent.n, 1);
	assert_string_equal(sent.title,
	                    "sitecare: your staff key was replaced");
	/* Checked again (before a reveal): still so, not announced again. */
	free(app.message);
	app.message = NULL;
	assert_true(keycheck_app(&app));
	assert_null(app.message);
	assert_int_equal(sent.n, 1);

	/* This machine's key registered again: the warning goes. */
	keycheck_registered(&app, fx.b64, true, 1796553960);
	assert_false(keycheck_app(&app));
	assert_null(app.key_warning);
	assert_string_equal(me_store_public_key(app.store->me), fx.b64);

	/* No key registered: nothing to warn of (:keygen is offered). */
	keycheck_registered(&app, NULL, false, 0);
	assert_null(app.key_warning);
	assert_false(me_store_has_public_key(app.store->me));
	assert_int_equal(sent.n, 1);
	notify_free(app.notify);
	free(app.message);
	store_free(app.store);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keycheck__compare__same_key),
		cmocka_unit_test(keycheck__compare__another_key_replaced),
		cmocka_unit_test(keycheck__compare__nothing_to_compare),
		cmocka_unit_test(keycheck__warning__date_in_local_time),
		cmocka_unit_test(keycheck__app__warns_once_then_clears),
	};

	return cmocka_run_group_tests_name("tui/keycheck", tests, setup,
	                                   teardown);
}
