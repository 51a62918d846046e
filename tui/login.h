/* The sign-in form shown inside the TUI when there is no session. */
#ifndef SITECARE_TUI_LOGIN_H
#define SITECARE_TUI_LOGIN_H

#include <stdbool.h>

#include "keymaps/bindings.h"

enum login_result {
	LOGIN_EDITING,
	LOGIN_SUBMIT, /* email and password are ready: call api_login */
	LOGIN_QUIT,
};

/*
 * Two fields: the email (shown) and the password (never echoed, kept in
 * libsodium's guarded memory and wiped when taken or freed, never in a
 * readline buffer).
 */
struct login_form;

struct login_form *login_new(const char *email);
void login_free(struct login_form *f);

/* Handles one key; form keys (Tab, Enter, Escape) come via bindings. */
enum login_result login_key(struct login_form *f, const struct bindings *b,
                            key_code key);

/* The email typed; valid until the next login_key. */
const char *login_email(const struct login_form *f);

/*
 * The password's buffer, for api_login(), which wipes it. Empties the
 * field; the form keeps owning the memory.
 */
char *login_password(struct login_form *f);

/* Shows an error (or NULL) and whether a sign-in is in flight. */
void login_set_state(struct login_form *f, const char *error, bool busy);

/* Draws the form centred in win (a curses WINDOW). */
void login_draw(struct login_form *f, void *win, int rows, int cols);

#endif
