/* A passphrase asked over the pane: no echo, straight into sodium memory. */
#ifndef SITECARE_TUI_PASSPHRASE_H
#define SITECARE_TUI_PASSPHRASE_H

#include <stdbool.h>

#include "tui/view.h"

struct secret;

/*
 * The staff key's passphrase is typed here, not on the readline line:
 * readline keeps copies (history, undo, kill ring) that cannot be wiped.
 * Each typed character goes straight into a struct secret (sodium
 * memory, no-access between keys); nothing of it is drawn, not even a
 * dot per character. Backspace removes the last character, C-u
 * everything; Enter hands the secret over, Escape wipes it.
 */
struct passphrase;

/*
 * Called once: on Enter with the passphrase (a NUL-terminated secret the
 * callee owns and frees), on Escape with NULL. May close the overlay.
 */
typedef void (*passphrase_done_fn)(void *ud, struct secret *pass);

/* A prompt box titled title with a line of explanation (both copied). */
struct passphrase *passphrase_new(const char *title, const char *prompt,
                                  passphrase_done_fn on_done, void *ud);
/*
 * What the box asks for, when not a passphrase: field names the entry
 * ("password"), keys is the line of keys at the bottom ("Enter
 * registers  Esc cancels"); both copied.
 */
void passphrase_ask_for(struct passphrase *p, const char *field,
                        const char *keys);
/* Wipes whatever was typed and frees; never calls on_done. */
void passphrase_free(struct passphrase *p);

/*
 * The passphrase was handed over and is being checked (Argon2id takes
 * about a second, off the loop thread): the box says what (copied) and
 * ignores keys until it is closed or passphrase_retry starts over.
 */
void passphrase_busy(struct passphrase *p, const char *what);
/* Shows an error line in the box (a wrong passphrase) and starts over. */
void passphrase_retry(struct passphrase *p, const char *error);

/* The overlay's operations (state: a struct passphrase). */
extern const struct view_ops passphrase_ops;

#endif
