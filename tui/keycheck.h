/* Is the key the service holds for you the one on this machine? */
#ifndef SITECARE_TUI_KEYCHECK_H
#define SITECARE_TUI_KEYCHECK_H

#include <stdbool.h>
#include <time.h>

struct app;

/*
 * Whoever holds a staff member's session could once register a key of
 * their own and have every credential sealed to it; the service now asks
 * the password for that, and tells the member's clients
 * (staff.key_changed). This client compares the registered public key
 * (GET /me at start, the event, a registration's answer) with the public
 * half of the key file here, which needs no passphrase. When this
 * machine has a key and the two differ, the key was replaced from
 * somewhere else: app->key_warning says so (the status line shows it,
 * the Credentials pane too, a notification announces it once) and
 * reveals are refused until this machine's key is registered again.
 * Without a key file here there is nothing to compare: as before.
 */
enum keycheck_result {
	KEYCHECK_SAME,            /* the registered key is this machine's */
	KEYCHECK_NO_LOCAL_KEY,    /* no readable key file here */
	KEYCHECK_NONE_REGISTERED, /* the service holds no key for us */
	KEYCHECK_REPLACED,        /* another key is registered */
};

/* Compares registered (base64, or NULL) with the key file at path. */
enum keycheck_result keycheck_compare(const char *registered_b64,
                                      const char *path);

/*
 * The warning's words, with when the key was registered in local time
 * ("2026-12-06 14:05"; left out when has_at is false); malloc'd.
 */
char *keycheck_warning(bool has_at, time_t at);

/*
 * The service holds registered_b64 (registered at `at`) for the
 * signed-in member now: kept in app, then compared (keycheck_app).
 */
void keycheck_registered(struct app *app, const char *registered_b64,
                         bool has_at, time_t at);

/*
 * Compares again (the key file may have changed: `sitecare keygen` in
 * another terminal) and sets or clears app->key_warning; a warning
 * that is new is also put in the status line and announced by a
 * notification. True when the registered key is not this machine's.
 */
bool keycheck_app(struct app *app);

#endif
