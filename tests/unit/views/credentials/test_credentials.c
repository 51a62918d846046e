/* The credentials pane as a person sees it, through the pane harness:
 * the clients, a client's credentials, and the reveal flow with its
 * refusals, countdown and wipes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <curses.h>
#include <sodium.h>

#include "net/base/secret.h"
#include "net/base/xmalloc.h"
#include "net/client/api.h"
#include "net/client/model.h"
#include "net/client/staffkey.h"
#include "net/store/me_store.h"
#include "net/store/store.h"
#include "tests/unit/views/harness.h"
#include "tui/theme.h"
#include "tui/keycheck.h"

#define PASSPHRASE "correct horse battery staple"
/* Argon2id on the worker thread: generous for a sanitised build. */
#define UNLOCK_MS 60000

static const char clients_json[] =
    "{\"results\": ["
    "{\"id\": 1, \"name\": \"Zeta Bakery\", \"company\": \"Zeta Ltd\","
    " \"email\": \"z@zeta.test\", \"phone\": null,"
    " \"site_url\": \"https://zeta.test\","
    " \"assigned_staff\": [{\"id\": 9, \"name\": \"Bob\"}]},"
    "{\"id\": 2, \"name\": \"Acme Shop\", \"company\": \"Acme Inc\","
    " \"email\": \"a@acme.test\", \"phone\": null,"
    " \"site_url\": \"https://acme.test\","
    " \"assigned_staff\": [{\"id\": 7, \"name\": \"Ann\"},"
    " {\"id\": 9, \"name\": \"Bob\"}]},"
    "{\"id\": 3, \"name\": \"Blue Cafe\", \"company\": \"Blue SA\","
    " \"email\": \"b@blue.test\", \"phone\": \"555\","
    " \"site_url\": \"https://blue.test\", \"assigned_staff\": []}"
    "], \"next\": null}";

static const char creds_json[] =
    "{\"results\": ["
    "{\"id\": 11, \"label\": \"WordPress admin\","
    " \"site_url\": \"https://acme.test/wp-admin\","
    " \"updated_at\": \"2026-12-01T10:00:00Z\", \"can_reveal\": true},"
    "{\"id\": 12, \"label\": \"Hosting panel\","
    " \"site_url\": \"https://host.test\","
    " \"updated_at\": \"2026-11-01T10:00:00Z\", \"can_reveal\": false},"
    "{\"id\": 13, \"label\": \"Mailbox\","
    " \"site_url\": \"https://mail.acme.test\","
    " \"updated_at\": \"2026-11-20T10:00:00Z\", \"can_reveal\": true}"
    "], \"next\": null}";

/* A staff key made once for the whole file (Argon2id is slow): its
 * file's bytes, copied into each harness's data folder. */
struct key_file {
	char *bytes;
	size_t len;
	unsigned char pk[32];
};

static struct key_file the_key;

/* ---- helpers ----------------------------------------------------------- */

/* Answers r with the contract's error body. */
static void
reply_error(struct harness *h, struct harness_request *r, int status,
            const char *code, const char *message)
{
	char *body = xasprintf("{\"error\": {\"code\": \"%s\", "
	                       "\"message\": \"%s\"}}",
	                       code, message);

	assert_non_null(r);
	harness_reply(h, r, status, body);
	free(body);
}

/* A signed-in technician (who may reveal) with the pane open and its
 * clients asked for. */
static struct harness *
technician(void)
{
	struct harness *h = harness_new(24, 100);

	harness_sign_in(h, 7, "technician",
	                PERM_TASKS_READ | PERM_CREDENTIALS_REVEAL);
	harness_open(h, PANE_CREDENTIALS);
	harness_event_kind(h, APP_EV_SIGNED_IN, 0);
	return h;
}

/* A signed-in technician whose Credentials tab is open (as every pane is
 * at sign-in) but has not been shown: another tab is the current one. */
static struct harness *
technician_elsewhere(void)
{
	struct harness *h = harness_new(24, 100);
	struct app *app = harness_app(h);

	harness_sign_in(h, 7, "technician",
	                PERM_TASKS_READ | PERM_CREDENTIALS_REVEAL);
	app->current = PANE_TASKS;
	app->panes[PANE_CREDENTIALS].state =
	    app->panes[PANE_CREDENTIALS].ops->open(app);
	harness_event_kind(h, APP_EV_SIGNED_IN, 0);
	return h;
}

/* Answers the clients request with the three clients. */
static void
give_clients(struct harness *h)
{
	struct harness_request *r = harness_request(h, "GET", "/clients?");

	assert_non_null(r);
	harness_reply(h, r, 200, clients_json);
}

/* The technician looking at Acme Shop's credentials (Enter on the first
 * client, which is theirs). */
static struct harness *
at_acme(void)
{
	struct harness *h = technician();
	struct harness_request *r;

	give_clients(h);
	harness_key(h, KEYC_ENTER);
	r = harness_request(h, "GET", "/clients/2/credentials");
	assert_non_null(r);
	assert_string_equal(r->path, "/clients/2/credentials?limit=100");
	harness_reply(h, r, 200, creds_json);
	return h;
}

/* Puts the file's staff key on this harness's machine. */
static void
install_key(void)
{
	struct sc_error err = { 0 };
	char *path = staffkey_path(&err), *dir;
	FILE *f;

	assert_non_null(path);
	dir = xstrndup(path, (size_t)(strrchr(path, '/') - path));
	mkdir(dir, 0700);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(the_key.bytes, 1, the_key.len, f), the_key.len);
	fclose(f);
	chmod(path, 0600);
	free(dir);
	free(path);
}

/* The service's key for the member: this machine's. */
static void
register_key(struct harness *h)
{
	char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)];

	sodium_bin2base64(b64, sizeof b64, the_key.pk, 32,
	                  sodium_base64_VARIANT_ORIGINAL);
	keycheck_registered(harness_app(h), b64, false, 0);
}

static bool
asked_reveal(void *ud)
{
	return harness_request(ud, "POST", "/credentials/") != NULL;
}

/*
 * Enter on the selected credential, the purpose typed, and (when the key
 * is locked) the passphrase: returns the reveal request made.
 */
static struct harness_request *
ask_reveal(struct harness *h, const char *purpose, bool unlock)
{
	harness_key(h, KEYC_ENTER);
	assert_non_null(harness_line(h));
	harness_see(h, "purpose of revealing");
	harness_line_submit(h, purpose);
	if (unlock) {
		harness_see(h, "Unlock your staff key");
		harness_type(h, PASSPHRASE);
		harness_key(h, KEYC_ENTER);
		assert_true(harness_wait(h, asked_reveal, h, UNLOCK_MS));
	}
	return harness_request(h, "POST", "/credentials/");
}

/* Answers a reveal with plain sealed to pk, as a service that holds
 * another key, or stores a broken credential, would. */
static void
give_sealed(struct harness *h, struct harness_request *r, const char *plain,
            const unsigned char *pk)
{
	size_t n = strlen(plain) + crypto_box_SEALBYTES;
	unsigned char *sealed = xmalloc(n);
	size_t blen =
	    sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
	char *b64 = xmalloc(blen), *body;

	crypto_box_seal(sealed, (const unsigned char *)plain, strlen(plain),
	                pk);
	sodium_bin2base64(b64, blen, sealed, n, sodium_base64_VARIANT_ORIGINAL);
	body = xasprintf("{\"credential_id\": 11, \"sealed\": \"%s\"}", b64);
	harness_reply(h, r, 200, body);
	free(body);
	free(b64);
	free(sealed);
}

/* The service's answer to a reveal: user and pass sealed to the key. */
static void
give_secret(struct harness *h, struct harness_request *r, const char *user,
            const char *pass)
{
	char *plain = xasprintf("{\"username\": \"%s\", \"password\": \"%s\", "
	                        "\"notes\": \"\"}",
	                        user, pass);

	give_sealed(h, r, plain, the_key.pk);
	free(plain);
}

/* The unlock box says the passphrase was wrong. */
static bool
asked_password_retry(void *ud)
{
	harness_draw(ud);
	return !harness_find(ud, "checking the passphrase", NULL, NULL);
}

/* :keygen asks the passphrase a second time. */
static bool
asked_again(void *ud)
{
	harness_draw(ud);
	return harness_find(ud, "the same passphrase again", NULL, NULL);
}

/* A reveal (the key unlocked) that the service refuses with code. */
static void
refused_with(struct harness *h, int status, const char *code,
             const char *message)
{
	reply_error(h, ask_reveal(h, "task #6", false), status, code, message);
}

/* Acme's first credential revealed (admin / hunter2), the key unlocked. */
static struct harness *
revealed(void)
{
	struct harness *h;
	struct harness_request *r;

	h = at_acme();
	install_key();
	register_key(h);
	r = ask_reveal(h, "task #5", true);
	assert_non_null(r);
	give_secret(h, r, "admin", "hunter2");
	harness_see(h, "hunter2");
	return h;
}

/* ---- loaded when looked at ------------------------------------------- */

/* Signed in with another tab in front: no client is fetched (a start
 * with thousands of clients asks nothing of /clients); shown, the pane
 * fetches them; shown once, a new sign-in fetches them again, and
 * coming back to a loaded pane fetches nothing. */
static void
credentials__start__fetches_nothing_until_shown(void **state)
{
	struct harness *h = technician_elsewhere();
	struct app *app = harness_app(h);
	const struct view_ops *ops = app->panes[PANE_CREDENTIALS].ops;
	struct harness_request *r;

	(void)state;
	assert_int_equal(harness_nrequests(h), 0);
	harness_event_kind(h, APP_EV_SIGNED_IN, 0);
	assert_int_equal(harness_nrequests(h), 0);
	harness_open(h, PANE_CREDENTIALS);
	r = harness_request(h, "GET", "/clients?");
	assert_non_null(r);
	assert_string_equal(r->path, "/clients?limit=100");
	assert_int_equal(harness_nrequests(h), 1);
	harness_see(h, "loading...");
	give_clients(h);
	harness_see(h, "Acme Shop");
	harness_not_see(h, "loading...");
	ops->focus(app->panes[PANE_CREDENTIALS].state, false);
	ops->focus(app->panes[PANE_CREDENTIALS].state, true);
	assert_int_equal(harness_nrequests(h), 0);
	harness_event_kind(h, APP_EV_SIGNED_IN, 0);
	assert_non_null(harness_request(h, "GET", "/clients?limit=100"));
	assert_int_equal(harness_nrequests(h), 1);
	harness_free(h);
}

/* K on a task before the tab was ever shown: the jump fetches the
 * clients (the header names the client from them) and the client's
 * credentials, once each, and the task is the purpose. */
static void
credentials__goto__before_shown_opens_the_client(void **state)
{
	struct harness *h = technician_elsewhere();
	struct harness_request *r;

	(void)state;
	assert_int_equal(harness_nrequests(h), 0);
	harness_app(h)->go_task = 42;
	harness_event_kind(h, APP_EV_CLIENT, 2);
	assert_non_null(harness_request(h, "GET", "/clients?limit=100"));
	r = harness_request(h, "GET", "/clients/2/credentials");
	assert_non_null(r);
	/* tui_goto switches to the tab: showing it asks nothing more. */
	harness_open(h, PANE_CREDENTIALS);
	assert_int_equal(harness_nrequests(h), 2);
	harness_reply(h, r, 200, creds_json);
	give_clients(h);
	assert_int_equal(harness_nrequests(h), 0);
	harness_see(h, "Credentials of Acme Shop (Acme Inc)");
	harness_see(h, "WordPress admin");
	harness_not_see(h, "Zeta Bakery");
	harness_key(h, KEYC_ENTER);
	assert_string_equal(harness_line(h), "task #42");
	harness_free(h);
}

/* ---- the clients --------------------------------------------------------- */

/* Signed in: the pane asks for the clients and says it is loading; an
 * empty answer says there are none. */
static void
credentials__signed_in__asks_for_clients_then_shows_none(void **state)
{
	struct harness *h = technician();
	struct harness_request *r;

	(void)state;
	r = harness_request(h, "GET", "/clients?");
	assert_non_null(r);
	assert_string_equal(r->path, "/clients?limit=100");
	harness_draw(h);
	assert_true(harness_find(h, "3 Credentials", NULL, NULL));
	assert_string_equal(harness_row(h, 1), " Clients (* assigned to you)");
	assert_true(harness_find(h, "loading...", NULL, NULL));
	harness_reply(h, r, 200, "{\"results\": [], \"next\": null}");
	assert_int_equal(harness_nrequests(h), 0);
	harness_draw(h);
	assert_false(harness_find(h, "loading...", NULL, NULL));
	assert_true(harness_find(h, "no clients match", NULL, NULL));
	harness_free(h);
}

/* The clients show mine first (marked), then by name, with company, site
 * and who works on them. */
static void
credentials__clients__mine_first_then_by_name(void **state)
{
	struct harness *h = technician();
	int acme, blue, zeta;

	(void)state;
	give_clients(h);
	harness_draw(h);
	assert_true(harness_find(h, "Acme Shop", &acme, NULL));
	assert_true(harness_find(h, "Blue Cafe", &blue, NULL));
	assert_true(harness_find(h, "Zeta Bakery", &zeta, NULL));
	assert_true(acme < blue && blue < zeta);
	assert_int_equal(harness_row(h, acme)[0], '*');
	assert_int_equal(harness_row(h, blue)[0], ' ');
	assert_non_null(strstr(harness_row(h, acme), "Acme Inc"));
	assert_non_null(strstr(harness_row(h, acme), "https://acme.test"));
	assert_non_null(strstr(harness_row(h, acme), "Ann, Bob"));
	harness_see(h, "Enter shows a client's credentials");
	harness_free(h);
}

/* The attributes (less colour) and pair at row y, the start of text. */
static void
cell_of(struct harness *h, int y, const char *text, unsigned long *attrs,
        short *pair)
{
	const char *row = harness_row(h, y), *at = strstr(row, text);

	assert_non_null(at);
	assert_true(harness_cell(h, y, (int)(at - row), attrs, pair));
}

/*
 * Off the cursor row, a client of yours is told by its name's colour in
 * colour, by bold without; the company and staff are plain in colour (a
 * dim cell cost a full reset either side of it on every row), dim
 * without.
 */
static void
credentials__clients__mine_by_colour_and_dim_only_without(void **state)
{
	unsigned long attrs;
	short pair;
	int acme, i;

	(void)state;
	for (i = 0; i < 2; i++) {
		struct harness *h;

		h = technician(); /* its screen, monochrome */
		if (i == 0) {
			start_color();
			use_default_colors();
		}
		theme_init(i == 0);
		give_clients(h);
		harness_key(h, 'j'); /* the cursor off Acme's row */
		harness_draw(h);
		assert_true(harness_find(h, "Acme Shop", &acme, NULL));
		cell_of(h, acme, "Acme Shop", &attrs, &pair);
		assert_int_equal(attrs, i == 0 ? A_NORMAL : A_BOLD);
		assert_int_equal(pair, i == 0 ? THEME_MINE : 0);
		cell_of(h, acme, "Acme Inc", &attrs, &pair);
		assert_int_equal(attrs, i == 0 ? A_NORMAL : A_DIM);
		cell_of(h, acme, "Ann, Bob", &attrs, &pair);
		assert_int_equal(attrs, i == 0 ? A_NORMAL : A_DIM);
		harness_free(h);
	}
	theme_init(false);
}

/* A page with a next cursor: the pane asks for the rest, escaped. */
static void
credentials__clients__walks_every_page(void **state)
{
	struct harness *h = technician();
	struct harness_request *r = harness_request(h, "GET", "/clients?");

	(void)state;
	harness_reply(h, r, 200,
	              "{\"results\": [{\"id\": 4, \"name\": \"Delta\", "
	              "\"company\": \"D\", \"email\": \"d@d.test\", "
	              "\"phone\": null, \"site_url\": \"https://d.test\", "
	              "\"assigned_staff\": []}], \"next\": \"p 2\"}");
	r = harness_request(h, "GET", "/clients?");
	assert_non_null(r);
	assert_string_equal(r->path, "/clients?limit=100&cursor=p%202");
	harness_see(h, "Delta");
	harness_reply(h, r, 200, clients_json);
	harness_see(h, "Delta");
	harness_see(h, "Zeta Bakery");
	harness_free(h);
}

/* The clients cannot be fetched: the error is what the pane shows. */
static void
credentials__clients__error_is_shown(void **state)
{
	struct harness *h = technician();

	(void)state;
	reply_error(h, harness_request(h, "GET", "/clients?"), 500,
	            "server_error", "the database is down");
	harness_see(h, "the database is down");
	harness_not_see(h, "loading...");
	harness_free(h);
}

/* / filters by name or company; a filter that matches nothing says so;
 * "clear" shows every client again. */
static void
credentials__filter__narrows_the_clients(void **state)
{
	struct harness *h = technician();

	(void)state;
	give_clients(h);
	harness_key(h, 'f');
	assert_string_equal(harness_line(h), "filter ");
	harness_line_submit(h, "filter blue sa");
	harness_see(h, "filter: blue sa");
	harness_see(h, "Blue Cafe");
	harness_not_see(h, "Acme Shop");
	harness_action(h, ACTION_FILTER, "nobody");
	harness_see(h, "no clients match");
	harness_action(h, ACTION_FILTER, "clear");
	harness_see(h, "Acme Shop");
	harness_see(h, "Zeta Bakery");
	harness_free(h);
}

/* Without credentials.reveal there is no Credentials tab to go to. */
static void
credentials__no_permission__no_tab(void **state)
{
	struct harness *h = harness_new(24, 100);

	(void)state;
	harness_sign_in(h, 8, "support", PERM_TASKS_READ | PERM_CHAT_READ);
	harness_key(h, '3');
	assert_null(harness_pane(h, PANE_CREDENTIALS));
	assert_string_equal(harness_notice(h),
	                    "that pane is not available to support");
	assert_int_equal(harness_nrequests(h), 0);
	harness_free(h);
}

/* ---- one client's credentials ------------------------------------------- */

/* Enter shows a client's credentials: masked, or why they cannot be
 * revealed; Esc goes back to the clients. */
static void
credentials__client__credentials_masked(void **state)
{
	struct harness *h = at_acme();
	int y;

	(void)state;
	harness_see(h, "Credentials of Acme Shop (Acme Inc)");
	harness_see(h,
	            "Enter reveals (audited)  y copies the password  Esc back");
	assert_true(harness_find(h, "WordPress admin", &y, NULL));
	assert_non_null(strstr(harness_row(h, y), "user \u2022\u2022\u2022"));
	assert_non_null(strstr(harness_row(h, y), "pass \u2022\u2022\u2022"));
	assert_true(harness_find(h, "Hosting panel", &y, NULL));
	assert_non_null(
	    strstr(harness_row(h, y), "(not assigned: cannot reveal)"));
	harness_key(h, KEYC_ESCAPE);
	harness_see(h, "Clients (* assigned to you)");
	harness_see(h, "Zeta Bakery");
	harness_free(h);
}

/* A client with no credentials says so; a failed fetch shows why. */
static void
credentials__client__empty_and_error(void **state)
{
	struct harness *h = technician();
	struct harness_request *r;

	(void)state;
	give_clients(h);
	harness_key(h, KEYC_ENTER);
	harness_see(h, "loading...");
	r = harness_request(h, "GET", "/clients/2/credentials");
	harness_reply(h, r, 200, "{\"results\": [], \"next\": null}");
	harness_see(h, "no credentials stored for this client");
	harness_key(h, KEYC_F1 + 4); /* F5 refreshes: asks again */
	r = harness_request(h, "GET", "/clients/2/credentials");
	assert_non_null(r);
	reply_error(h, r, 403, "forbidden", "not for your role");
	harness_see(h, "not for your role");
	assert_non_null(strstr(harness_notice(h), "credentials:"));
	harness_free(h);
}

/* K on a task: the client opens with the task as the purpose. */
static void
credentials__goto__task_is_the_purpose(void **state)
{
	struct harness *h = technician();
	struct harness_request *r;

	(void)state;
	give_clients(h);
	harness_app(h)->go_task = 42;
	harness_event_kind(h, APP_EV_CLIENT, 2);
	assert_int_equal(harness_app(h)->go_task, 0);
	r = harness_request(h, "GET", "/clients/2/credentials");
	assert_non_null(r);
	harness_reply(h, r, 200, creds_json);
	harness_key(h, KEYC_ENTER);
	assert_string_equal(harness_line(h), "task #42");
	harness_free(h);
}

/* ---- the reveal's refusals ----------------------------------------------- */

/* No staff key on this machine: refused before anything is asked. */
static void
credentials__reveal__no_local_key_asks_nothing(void **state)
{
	struct harness *h = at_acme();

	(void)state;
	assert_null(ask_reveal(h, "task #5", false));
	assert_int_equal(harness_nrequests(h), 0);
	harness_see(h, "No staff key on this machine: :keygen makes one");
	harness_free(h);
}

/* An empty purpose, or Esc on the line: nothing asked. */
static void
credentials__reveal__needs_a_purpose(void **state)
{
	struct harness *h = at_acme();

	(void)state;
	install_key();
	register_key(h);
	assert_null(ask_reveal(h, "   ", false));
	assert_string_equal(harness_notice(h),
	                    "a purpose is needed: the audit log keeps it");
	harness_key(h, KEYC_ENTER);
	harness_key(h, KEYC_ESCAPE);
	assert_null(harness_line(h));
	assert_string_equal(harness_notice(h), "nothing revealed");
	assert_int_equal(harness_nrequests(h), 0);
	harness_free(h);
}

/* The registered key is not this machine's: refused without asking,
 * with the remedy in the header. */
static void
credentials__reveal__key_mismatch_asks_nothing(void **state)
{
	struct harness *h = at_acme();

	(void)state;
	install_key();
	keycheck_registered(
	    harness_app(h),
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", false, 0);
	harness_see(h, "Nothing is revealed until :register-key registers");
	harness_key(h, KEYC_ENTER);
	assert_null(harness_line(h));
	assert_int_equal(harness_nrequests(h), 0);
	harness_free(h);
}

/* The service refuses: not assigned, then no public key, then the
 * role. Each is explained in the header; the masks stay. */
static void
credentials__reveal__server_refusals_explained(void **state)
{
	struct harness *h = at_acme();
	struct harness_request *r;

	(void)state;
	install_key();
	register_key(h);
	r = ask_reveal(h, "task #5", true);
	assert_non_null(r);
	assert_string_equal(r->path, "/credentials/11/reveal");
	assert_string_equal(r->body, "{\"purpose\":\"task #5\"}");
	harness_see(h, "revealing...");
	reply_error(h, r, 403, "not_assigned", "not assigned");
	harness_see(h, "You are not assigned to Acme Shop");
	harness_not_see(h, "revealing...");
	/* The key stays unlocked: the next reveal asks no passphrase. */
	harness_see(h, "[key unlocked]");
	refused_with(h, 409, "no_public_key", "no key");
	harness_see(h, "No public key is registered for you: :keygen");
	assert_false(me_store_has_public_key(harness_app(h)->store->me));
	refused_with(h, 403, "forbidden", "support cannot reveal");
	harness_see(
	    h, "Your role cannot reveal credentials (support cannot reveal)");
	/* Another client forgets the refusal. */
	harness_key(h, KEYC_ESCAPE);
	harness_key(h, 'j');
	harness_key(h, KEYC_ENTER);
	harness_draw(h);
	assert_null(strstr(harness_row(h, 2), "Your role cannot reveal"));
	harness_free(h);
}

/* ---- shown, then hidden -------------------------------------------------- */

/* Revealed: user and password show with a countdown, which the fake
 * clock runs down; at 0 both are wiped and masked again. */
static void
credentials__reveal__counts_down_then_hides(void **state)
{
	struct harness *h = revealed();
	int y;

	(void)state;
	assert_true(harness_find(h, "WordPress admin", &y, NULL));
	assert_non_null(strstr(harness_row(h, y), "user admin"));
	assert_non_null(strstr(harness_row(h, y), "pass hunter2"));
	assert_non_null(strstr(harness_row(h, y), "15s"));
	assert_non_null(strstr(harness_notice(h), "WordPress admin revealed"));
	harness_advance(h, 5000);
	harness_see(h, "10s");
	harness_advance(h, 9000);
	harness_see(h, " 1s");
	harness_see(h, "hunter2");
	harness_advance(h, 1000);
	harness_not_see(h, "hunter2");
	harness_not_see(h, "user admin");
	harness_see(h, "pass \u2022\u2022\u2022");
	assert_string_equal(harness_notice(h),
	                    "credential hidden (wiped from memory)");
	harness_free(h);
}

/* Esc, APP_EV_HIDE, moving the cursor and leaving the pane each wipe
 * what is shown at once. */
static void
credentials__reveal__wiped_on_esc_hide_move_and_leave(void **state)
{
	struct harness *h = revealed();
	struct harness_request *r;

	(void)state;
	harness_event_kind(h, APP_EV_HIDE, 0);
	harness_not_see(h, "hunter2");
	assert_string_equal(harness_notice(h), "credential hidden");

	r = ask_reveal(h, "task #5", false);
	give_secret(h, r, "admin", "hunter2");
	harness_see(h, "hunter2");
	harness_key(h, 'j');
	harness_not_see(h, "hunter2");

	harness_key(h, 'k');
	r = ask_reveal(h, "task #5", false);
	give_secret(h, r, "admin", "hunter2");
	harness_see(h, "hunter2");
	harness_key(h, KEYC_ESCAPE);
	harness_not_see(h, "hunter2");
	harness_see(h, "Clients (* assigned to you)");

	harness_key(h, KEYC_ENTER);
	harness_reply(h, harness_request(h, "GET", "/clients/2/credentials"),
	              200, creds_json);
	r = ask_reveal(h, "task #5", false);
	give_secret(h, r, "admin", "hunter2");
	harness_see(h, "hunter2");
	harness_open(h, PANE_TASKS); /* another tab: focus lost */
	harness_open(h, PANE_CREDENTIALS);
	harness_not_see(h, "hunter2");
	harness_free(h);
}

/* Nothing is held any more: y finds nothing to copy, and the countdown
 * that would have wiped it at 15 s has nothing left to wipe. */
static void
nothing_revealed(struct harness *h)
{
	harness_key(h, 'y');
	assert_string_equal(harness_notice(h),
	                    "nothing revealed: Enter reveals the selected "
	                    "credential first");
	harness_advance(h, 16000);
	assert_null(strstr(harness_notice(h), "wiped from memory"));
	harness_not_see(h, "hunter2");
}

/* The answer to the test's own GET /me, standing for any request of the
 * app (another pane's, the frame's) that meets the expired session. */
static void
on_me(struct me *me, const struct sc_error *err, void *ud)
{
	*(enum sc_error_kind *)ud = err->kind;
	me_free(me);
}

/* A revealed secret is wiped when a later request fails: a refresh of
 * the credentials that the service refuses, or any request answered
 * 401 (the session gone: the sign-in form, where anyone may sign in,
 * is about to take the screen, so the staff key is locked too). */
static void
credentials__reveal__wiped_on_error_and_session_expiry(void **state)
{
	struct harness *h = revealed();
	struct harness_request *r;
	enum sc_error_kind kind = SC_OK;

	(void)state;
	harness_action(h, ACTION_REFRESH, NULL);
	harness_not_see(h, "hunter2");
	reply_error(h, harness_request(h, "GET", "/clients/2/credentials"), 503,
	            "unavailable", "down for a minute");
	assert_non_null(strstr(harness_notice(h), "down for a minute"));
	nothing_revealed(h);

	harness_action(h, ACTION_REFRESH, NULL);
	harness_reply(h, harness_request(h, "GET", "/clients/2/credentials"),
	              200, creds_json);
	r = ask_reveal(h, "task #5", false);
	give_secret(h, r, "admin", "hunter2");
	harness_see(h, "hunter2");
	harness_see(h, "[key unlocked]");
	api_me(harness_app(h)->api, on_me, &kind);
	reply_error(h, harness_request(h, "GET", "/me"), 401,
	            "not_authenticated", "session expired");
	assert_int_equal(kind, SC_ERR_SESSION_EXPIRED);
	nothing_revealed(h);
	harness_not_see(
	    h, "[key unlocked]"); /* locked for whoever signs in next */
	harness_free(h);
}

/* A secret with control characters is drawn with '?' in their place,
 * and one too wide for its cell ends in an ellipsis. */
static void
credentials__reveal__draws_secrets_safely(void **state)
{
	struct harness *h = revealed();
	struct harness_request *r;
	int y;

	(void)state;
	r = ask_reveal(h, "task #5", false);
	give_secret(h, r, "ad\\u001bmin",
	            "0123456789012345678901234567890123456789012345678901");
	harness_see(h, "ad?min");
	assert_true(harness_find(h, "WordPress admin", &y, NULL));
	assert_non_null(strstr(harness_row(h, y), "\u2026"));
	harness_free(h);
}

/* y with nothing revealed says so; the lock wipes the key. */
static void
credentials__reveal__copy_and_lock(void **state)
{
	struct harness *h = revealed();

	(void)state;
	harness_event_kind(h, APP_EV_HIDE, 0);
	harness_key(h, 'y');
	assert_string_equal(harness_notice(h),
	                    "nothing revealed: Enter reveals the selected "
	                    "credential first");
	harness_action(h, ACTION_LOCK_KEY, NULL);
	assert_string_equal(harness_notice(h), "staff key locked");
	harness_not_see(h, "[key unlocked]");
	harness_free(h);
}

/* The unlocked key locks itself after ten idle minutes. */
static void
credentials__key__locks_when_idle(void **state)
{
	struct harness *h = revealed();

	(void)state;
	harness_see(h, "[key unlocked]");
	harness_advance(h, 9 * 60000);
	harness_see(h, "[key unlocked]");
	harness_advance(h, 61000);
	harness_not_see(h, "[key unlocked]");
	assert_string_equal(harness_notice(h),
	                    "staff key locked after being idle");
	harness_free(h);
}

/* ---- keys ---------------------------------------------------------------- */

/* :keygen with a key here refuses; without one it asks a passphrase,
 * and Esc cancels. :register-key without a key says how to make one. */
static void
credentials__keygen__asks_or_refuses(void **state)
{
	struct harness *h = at_acme();

	(void)state;
	harness_action(h, ACTION_REGISTER_KEY, NULL);
	assert_non_null(strstr(harness_notice(h), "No staff key on this"));
	harness_action(h, ACTION_KEYGEN, NULL);
	harness_see(h, "New staff key: choose a passphrase");
	harness_key(h, KEYC_ESCAPE);
	harness_not_see(h, "New staff key");
	assert_string_equal(harness_notice(h), "cancelled");
	install_key();
	harness_action(h, ACTION_KEYGEN, NULL);
	assert_non_null(strstr(harness_notice(h), "a staff key exists"));
	harness_action(h, ACTION_REGISTER_KEY, NULL);
	harness_see(h, "Register your staff key: your account password");
	harness_key(h, KEYC_ESCAPE);
	assert_non_null(strstr(harness_notice(h), "the key is not registered"));
	assert_int_equal(harness_nrequests(h), 0);
	harness_free(h);
}

/* The service's answer to PUT /me/public-key: what it holds now. */
static void
give_me(struct harness *h, struct harness_request *r, const char *pk_b64)
{
	char *body = xasprintf(
	    "{\"id\": 7, \"name\": \"Ann\", \"email\": \"ann@example.com\","
	    " \"role\": \"technician\", \"public_key\": \"%s\","
	    " \"public_key_registered_at\": \"2026-12-06T10:00:00Z\","
	    " \"permissions\": [\"credentials.reveal\"]}",
	    pk_b64);

	harness_reply(h, r, 200, body);
	free(body);
}

static bool
asked_password(void *ud)
{
	harness_draw(ud);
	return harness_find(ud, "your account password", NULL, NULL);
}

/* :register-key asks the account password; PUT /me/public-key carries
 * it from sodium memory; a refused password is said in the box, which
 * stays; then the key registered clears the warning. */
static void
credentials__register_key__password_then_cleared(void **state)
{
	struct harness *h = at_acme();
	struct harness_request *r;
	char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)];

	(void)state;
	install_key();
	keycheck_registered(
	    harness_app(h),
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", false, 0);
	harness_see(h, "Nothing is revealed until :register-key");
	harness_action(h, ACTION_REGISTER_KEY, NULL);
	harness_see(h, "Register your staff key: your account password");
	harness_type(h, "account-pw");
	harness_key(h, KEYC_ENTER);
	r = harness_request(h, "PUT", "/me/public-key");
	assert_non_null(r);
	assert_string_equal(r->body, "(secret)");
	harness_see(h, "checking the password...");
	reply_error(h, r, 403, "reauth_required", "wrong password");
	harness_see(h, "the account password was wrong or missing");
	harness_see(h, "\u250c\u2500Register your staff key");
	harness_type(h, "account-pw2");
	harness_key(h, KEYC_ENTER);
	r = harness_request(h, "PUT", "/me/public-key");
	assert_non_null(r);
	sodium_bin2base64(b64, sizeof b64, the_key.pk, 32,
	                  sodium_base64_VARIANT_ORIGINAL);
	give_me(h, r, b64);
	harness_not_see(h, "Register your staff key");
	harness_not_see(h, "Nothing is revealed until");
	assert_null(harness_app(h)->key_warning);
	assert_string_equal(harness_notice(h),
	                    "staff key registered again: reveal with Enter");
	harness_free(h);
}

/* A wrong passphrase is said in the box, which stays for another try;
 * nothing is asked of the service. */
static void
credentials__unlock__wrong_passphrase_asks_again(void **state)
{
	struct harness *h = at_acme();

	(void)state;
	install_key();
	register_key(h);
	assert_null(ask_reveal(h, "task #5", false));
	harness_see(h, "Unlock your staff key");
	harness_type(h, "not the passphrase");
	harness_key(h, KEYC_ENTER);
	assert_true(harness_wait(h, asked_password_retry, h, UNLOCK_MS));
	harness_see(h, "Unlock your staff key");
	assert_int_equal(harness_nrequests(h), 0);
	harness_key(h, KEYC_ESCAPE);
	harness_not_see(h, "Unlock your staff key");
	assert_string_equal(harness_notice(h), "cancelled");
	harness_free(h);
}

/* :keygen: two different passphrases make nothing; the same strong one
 * twice makes the key, then the account password registers it. */
static void
credentials__keygen__makes_and_registers(void **state)
{
	struct harness *h = at_acme();
	struct harness_request *r;

	(void)state;
	harness_action(h, ACTION_KEYGEN, NULL);
	harness_type(h, PASSPHRASE);
	harness_key(h, KEYC_ENTER);
	assert_true(harness_wait(h, asked_again, h, UNLOCK_MS));
	harness_type(h, PASSPHRASE " but other");
	harness_key(h, KEYC_ENTER);
	assert_string_equal(harness_notice(h),
	                    "the passphrases differ: no key made");
	harness_not_see(h, "New staff key");

	harness_action(h, ACTION_KEYGEN, NULL);
	harness_type(h, PASSPHRASE);
	harness_key(h, KEYC_ENTER);
	assert_true(harness_wait(h, asked_again, h, UNLOCK_MS));
	harness_type(h, PASSPHRASE);
	harness_key(h, KEYC_ENTER);
	assert_true(harness_wait(h, asked_password, h, UNLOCK_MS));
	harness_type(h, "account-pw");
	harness_key(h, KEYC_ENTER);
	r = harness_request(h, "PUT", "/me/public-key");
	assert_non_null(r);
	give_me(h, r, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
	assert_string_equal(harness_notice(h),
	                    "staff key made and registered: reveal with Enter");
	harness_see(h, "[key unlocked]");
	harness_free(h);
}

/* ---- set-up -------------------------------------------------------------- */

/* Makes the file's staff key once, in a folder of its own. */
static int
make_key(void **state)
{
	char dir[] = "/tmp/sitecare-key-XXXXXX", *path;
	struct sc_error err = { 0 };
	struct secret *pass;
	struct staffkey k = { .sk = NULL };
	FILE *f;
	long n;

	(void)state;
	if (sodium_init() < 0 || mkdtemp(dir) == NULL)
		return -1;
	path = xasprintf("%s/staff.key", dir);
	pass = secret_new(sizeof PASSPHRASE, &err);
	memcpy(secret_open_write(pass), PASSPHRASE, sizeof PASSPHRASE);
	secret_close(pass);
	if (staffkey_generate(path, pass, false, &k, &err) != 0)
		return -1;
	memcpy(the_key.pk, k.pk, 32);
	staffkey_lock(&k);
	secret_free(pass);
	f = fopen(path, "r");
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	the_key.len = (size_t)n;
	the_key.bytes = xmalloc(the_key.len);
	if (fread(the_key.bytes, 1, the_key.len, f) != the_key.len)
		return -1;
	fclose(f);
	remove(path);
	rmdir(dir);
	free(path);
	return 0;
}

static int
free_key(void **state)
{
	(void)state;
	free(the_key.bytes);
	return 0;
}

/* ---- broken answers and key files (issue #19) --------------------- */

/* A reveal the service fails (500), one sealed to another key and one
 * without a password: each is said in the header, nothing is shown and
 * the countdown has nothing to wipe. */
static void
credentials__reveal__broken_answers_show_nothing(void **state)
{
	struct harness *h = at_acme();
	struct harness_request *r;
	unsigned char other_pk[32], other_sk[32];

	(void)state;
	install_key();
	register_key(h);
	r = ask_reveal(h, "task #5", true);
	reply_error(h, r, 500, "server_error", "the database is down");
	harness_see(h, "not revealed: ");
	harness_see(h, "the database is down");
	harness_not_see(h, "revealing...");

	crypto_box_keypair(other_pk, other_sk);
	r = ask_reveal(h, "task #5", false);
	assert_non_null(r);
	give_sealed(h, r, "{\"username\": \"root-user\", \"password\": \"x\"}",
	            other_pk);
	harness_see(h, "the sealed credential failed authentication");
	harness_not_see(h, "root-user");

	r = ask_reveal(h, "task #5", false);
	assert_non_null(r);
	give_sealed(h, r, "{\"username\": \"root-user\"}", the_key.pk);
	harness_see(h, "has no \"password\"");
	harness_not_see(h, "root-user");
	nothing_revealed(h);
	harness_free(h);
}

/* A staff key file that is not one: :register-key says why and asks
 * no password. */
static void
credentials__register_key__corrupt_key_file_is_said(void **state)
{
	struct harness *h = at_acme();
	struct sc_error err = { 0 };
	char *path = staffkey_path(&err), *dir;
	FILE *f;

	(void)state;
	assert_non_null(path);
	dir = xstrndup(path, (size_t)(strrchr(path, '/') - path));
	mkdir(dir, 0700);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("not a staff key\n", f);
	fclose(f);
	harness_action(h, ACTION_REGISTER_KEY, NULL);
	assert_memory_equal(harness_notice(h), "register-key: ", 14);
	harness_not_see(h, "your account password");
	assert_int_equal(harness_nrequests(h), 0);
	free(dir);
	free(path);
	harness_free(h);
}

/* r in the client list asks for the clients again; a client left
 * before its credentials came and another opened: only the second's are
 * asked for and shown. */
static void
credentials__clients__refresh_and_switch_before_the_answer(void **state)
{
	struct harness *h = technician();
	struct harness_request *r;

	(void)state;
	give_clients(h);
	harness_action(h, ACTION_REFRESH, NULL);
	give_clients(h);
	harness_see(h, "Blue Cafe");
	harness_key(h, KEYC_ENTER);
	assert_non_null(harness_request(h, "GET", "/clients/2/credentials"));
	harness_key(h, KEYC_ESCAPE);
	harness_key(h, 'j');
	harness_key(h, KEYC_ENTER);
	assert_null(harness_request(h, "GET", "/clients/2/credentials"));
	r = harness_request(h, "GET", "/clients/3/credentials");
	assert_non_null(r);
	harness_reply(h, r, 200, creds_json);
	harness_see(h, "Credentials of Blue Cafe");
	harness_see(h, "WordPress admin");
	harness_free(h);
}

/* :register-key refused for another reason than the password (the
 * service down): the box closes and the notice says :register-key
 * tries again; the warning stays. */
static void
credentials__register_key__server_error_closes_the_box(void **state)
{
	struct harness *h = at_acme();
	struct harness_request *r;

	(void)state;
	install_key();
	keycheck_registered(
	    harness_app(h),
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", false, 0);
	harness_action(h, ACTION_REGISTER_KEY, NULL);
	harness_type(h, "account-pw");
	harness_key(h, KEYC_ENTER);
	r = harness_request(h, "PUT", "/me/public-key");
	reply_error(h, r, 503, "unavailable", "down for a minute");
	harness_not_see(h, "Register your staff key");
	assert_string_equal(harness_notice(h),
	                    "the key is not registered: down for a minute "
	                    "(:register-key tries again)");
	assert_non_null(harness_app(h)->key_warning);
	harness_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    credentials__signed_in__asks_for_clients_then_shows_none),
		cmocka_unit_test(
		    credentials__start__fetches_nothing_until_shown),
		cmocka_unit_test(
		    credentials__goto__before_shown_opens_the_client),
		cmocka_unit_test(credentials__clients__mine_first_then_by_name),
		cmocka_unit_test(
		    credentials__clients__mine_by_colour_and_dim_only_without),
		cmocka_unit_test(credentials__clients__walks_every_page),
		cmocka_unit_test(credentials__clients__error_is_shown),
		cmocka_unit_test(credentials__filter__narrows_the_clients),
		cmocka_unit_test(credentials__no_permission__no_tab),
		cmocka_unit_test(credentials__client__credentials_masked),
		cmocka_unit_test(credentials__client__empty_and_error),
		cmocka_unit_test(credentials__goto__task_is_the_purpose),
		cmocka_unit_test(
		    credentials__reveal__no_local_key_asks_nothing),
		cmocka_unit_test(credentials__reveal__needs_a_purpose),
		cmocka_unit_test(
		    credentials__reveal__key_mismatch_asks_nothing),
		cmocka_unit_test(
		    credentials__reveal__server_refusals_explained),
		cmocka_unit_test(credentials__reveal__counts_down_then_hides),
		cmocka_unit_test(
		    credentials__reveal__wiped_on_esc_hide_move_and_leave),
		cmocka_unit_test(
		    credentials__reveal__wiped_on_error_and_session_expiry),
		cmocka_unit_test(credentials__reveal__draws_secrets_safely),
		cmocka_unit_test(credentials__reveal__copy_and_lock),
		cmocka_unit_test(credentials__key__locks_when_idle),
		cmocka_unit_test(credentials__keygen__asks_or_refuses),
		cmocka_unit_test(
		    credentials__register_key__password_then_cleared),
		cmocka_unit_test(
		    credentials__unlock__wrong_passphrase_asks_again),
		cmocka_unit_test(credentials__keygen__makes_and_registers),
		cmocka_unit_test(
		    credentials__reveal__broken_answers_show_nothing),
		cmocka_unit_test(
		    credentials__register_key__corrupt_key_file_is_said),
		cmocka_unit_test(
		    credentials__clients__refresh_and_switch_before_the_answer),
		cmocka_unit_test(
		    credentials__register_key__server_error_closes_the_box),
	};

	return cmocka_run_group_tests(tests, make_key, free_key);
}
