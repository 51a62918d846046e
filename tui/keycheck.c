/* Is the key the service holds for you the one on this machine? See
 * keycheck.h. */
#include "tui/keycheck.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "net/client/staffkey.h"
#include "net/base/xmalloc.h"
#include "net/store/me_store.h"
#include "net/store/store.h"
#include "tui/app.h"
#include "tui/notify.h"

enum keycheck_result
keycheck_compare(const char *registered_b64, const char *path)
{
	unsigned char mine[STAFFKEY_PUBLIC_BYTES],
	    theirs[STAFFKEY_PUBLIC_BYTES];
	struct sc_error err = { 0 };
	size_t n = 0;
	int rc;

	if (path == NULL || !staffkey_exists(path))
		return KEYCHECK_NO_LOCAL_KEY;
	rc = staffkey_read_public(path, mine, &err);
	sc_error_clear(&err);
	if (rc != 0)
		return KEYCHECK_NO_LOCAL_KEY;
	if (registered_b64 == NULL)
		return KEYCHECK_NONE_REGISTERED;
	/* Anything that is not exactly 32 bytes of base64 is not our key. */
	if (sodium_base642bin(theirs, sizeof theirs, registered_b64,
	                      strlen(registered_b64), NULL, &n, NULL,
	                      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    n != sizeof theirs)
		return KEYCHECK_REPLACED;
	return memcmp(mine, theirs, sizeof mine) == 0 ? KEYCHECK_SAME
	                                              : KEYCHECK_REPLACED;
}

char *
keycheck_warning(bool has_at, time_t at)
{
	char when[32] = "";
	struct tm tm;

	if (has_at && localtime_r(&at, &tm) != NULL)
		strftime(when, sizeof when, " on %Y-%m-%d %H:%M", &tm);
	return xasprintf("the key registered for you was replaced%s, not "
	                 "from this machine: if that was not you, tell an "
	                 "admin now",
	                 when);
}

void
keycheck_registered(struct app *app, const char *registered_b64, bool has_at,
                    time_t at)
{
	/* An older registration than the one held changes nothing. */
	if (me_store_key(app->store->me, registered_b64, has_at, at))
		keycheck_app(app);
}

/* Says a new warning where it cannot be missed: status line, notice. */
static void
announce(struct app *app)
{
	app_notice(app, true, "%s", app->key_warning);
	if (app->notify != NULL)
		notify_send(app->notify,
		            "sitecare: your staff key was replaced",
		            app->key_warning, NOTIFY_URGENT);
}

bool
keycheck_app(struct app *app)
{
	struct sc_error err = { 0 };
	char *path = staffkey_path(&err);
	const struct me_store *me = app->store->me;
	enum keycheck_result res =
	    keycheck_compare(me_store_public_key(me), path);
	char *was = app->key_warning;
	time_t at;
	bool has_at = me_store_key_registered_at(me, &at);

	sc_error_clear(&err);
	free(path);
	app->key_warning = NULL;
	if (res == KEYCHECK_REPLACED)
		app->key_warning = keycheck_warning(has_at, at);
	if (app->key_warning != NULL &&
	    (was == NULL || strcmp(was, app->key_warning) != 0))
		announce(app);
	free(was);
	app_redraw(app);
	return app->key_warning != NULL;
}
