/* Revealing one credential: the staff key, the purpose, the sealed box,
 * the countdown, the clipboard, and wiping it all. */
#ifndef SITECARE_VIEWS_CREDENTIALS_REVEAL_H
#define SITECARE_VIEWS_CREDENTIALS_REVEAL_H

#include <stdbool.h>
#include <stdint.h>

struct app;

/*
 * The flow of one reveal: the purpose is asked on the line (prefilled
 * with the task in hand); the staff key is unlocked with its passphrase
 * (tui/passphrase.c) unless it still is; POST /credentials/{id}/reveal
 * answers with a box sealed to the staff key, opened into sodium memory
 * (net/base/secret.c) and parsed there; username and password show for
 * reveal-seconds (15) with a countdown, then are wiped. They are wiped
 * early on APP_EV_HIDE (suspend, resize, $EDITOR), on leaving the pane,
 * on Escape, on a new reveal and on every error path. The unlocked key
 * locks itself after key-idle-minutes without a key press.
 *
 * The server decides who may reveal; the flow explains a refusal:
 * not_assigned, no_public_key (offering :keygen), forbidden. Before
 * anything is asked, the registered key is compared with this machine's
 * (tui/keycheck.h): a key replaced from elsewhere refuses the reveal.
 */
struct credentials_reveal;

/* Why the last reveal could not happen: shown as the pane's locked
 * state until the next attempt. */
enum reveal_refusal {
	REVEAL_OK,
	REVEAL_NOT_ASSIGNED,
	REVEAL_NO_PUBLIC_KEY,
	REVEAL_NO_LOCAL_KEY, /* no staff.key on this machine */
	REVEAL_KEY_REPLACED, /* the registered key is not this machine's */
	REVEAL_FORBIDDEN,
	REVEAL_FAILED, /* anything else: the status line says what */
};

struct credentials_reveal *credentials_reveal_new(struct app *app);
void credentials_reveal_free(struct credentials_reveal *r);

/*
 * Reveals credential id (label and client for the prompts); purpose is
 * the line's initial text ("task #12", or NULL).
 */
void credentials_reveal_start(struct credentials_reveal *r, int64_t id,
                              const char *label, const char *client,
                              const char *purpose);

/*
 * Enter on a credential the member is not assigned to (the row says it
 * cannot be revealed): says why and what to do at once, in the status
 * line and the header, with no prompt and no request.
 */
void credentials_reveal_not_assigned(struct credentials_reveal *r,
                                     const char *label, const char *client);

/* The credential shown now (0: none), and its seconds left. */
int64_t credentials_reveal_shown(const struct credentials_reveal *r);
int credentials_reveal_seconds_left(const struct credentials_reveal *r);
/* The credential being fetched or unlocked for (0: none). */
int64_t credentials_reveal_pending(const struct credentials_reveal *r);

/*
 * Draws the shown username (which 0) or password (which 1) at y, x in
 * width columns of win, straight from sodium memory (no copy): what the
 * sanitiser would not keep as it is (controls, bidi, broken UTF-8) is
 * drawn as '?'. A secret wider than width ends in an ellipsis ('>' in
 * ASCII) in the last column: copying it gives the whole.
 */
void credentials_reveal_draw(struct credentials_reveal *r, void *win, int y,
                             int x, int width, int which);

/* Wipes what is shown, saying why in the status line (NULL: quietly). */
void credentials_reveal_hide(struct credentials_reveal *r, const char *why);

/* y: asks tmux its clipboard settings again, then copies the shown
 * password and says where to and how it will end; or refuses when tmux
 * would drop the copy, or asks first when tmux did not say. */
void credentials_reveal_copy(struct credentials_reveal *r);

/*
 * :keygen: a new key pair, its passphrase asked twice (weak ones
 * refused), then registered with the account password.
 */
void credentials_reveal_keygen(struct credentials_reveal *r);

/*
 * :register-key: registers this machine's key again, with the account
 * password asked in the same box (a wrong one is said there, to try
 * again or Esc); what clears a "key replaced" warning.
 */
void credentials_reveal_register(struct credentials_reveal *r);

/* :lock-key: wipes the unlocked private key now. */
void credentials_reveal_lock(struct credentials_reveal *r, const char *why);
bool credentials_reveal_unlocked(const struct credentials_reveal *r);

/* The last refusal for client (REVEAL_OK when none), and its words. */
enum reveal_refusal
credentials_reveal_refusal(const struct credentials_reveal *r);
const char *credentials_reveal_refusal_text(const struct credentials_reveal *r);
/* Forgets the last refusal (another client was chosen). */
void credentials_reveal_clear_refusal(struct credentials_reveal *r);

#endif
