/* The sign-in form: email, a password without echo, the error in place. */
#include "tui/login.h"

#include <curses.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "net/base/utf8.h"
#include "net/base/xmalloc.h"
#include "tui/sanitize.h"
#include "tui/theme.h"
#include "views/shared/task_format.h"

#define LOGIN_EMAIL_MAX    254
#define LOGIN_PASSWORD_MAX 1024

struct login_form {
	char email[LOGIN_EMAIL_MAX + 1];
	char *password; /* sodium_malloc'd, LOGIN_PASSWORD_MAX + 1 */
	size_t pw_len;
	int field; /* 0 email, 1 password */
	char *error;
	bool busy;
};

struct login_form *
login_new(const char *email)
{
	struct login_form *f = xcalloc(1, sizeof *f);

	f->password = sodium_malloc(LOGIN_PASSWORD_MAX + 1);
	if (f->password == NULL)
		abort();
	sodium_memzero(f->password, LOGIN_PASSWORD_MAX + 1);
	if (email != NULL)
		snprintf(f->email, sizeof f->email, "%s", email);
	f->field = f->email[0] != '\0' ? 1 : 0;
	return f;
}

void
login_free(struct login_form *f)
{
	if (f == NULL)
		return;
	sodium_free(f->password); /* wipes before freeing */
	free(f->error);
	free(f);
}

const char *
login_email(const struct login_form *f)
{
	return f->email;
}

char *
login_password(struct login_form *f)
{
	f->pw_len = 0;
	return f->password;
}

void
login_set_state(struct login_form *f, const char *error, bool busy)
{
	free(f->error);
	f->error = error != NULL ? sanitize_str(error, 0) : NULL;
	f->busy = busy;
}

/* Appends code point c as UTF-8 to buf (len used, cap bytes). */
static void
append_utf8(char *buf, size_t *len, size_t cap, key_code c)
{
	char b[4];
	size_t n = utf8_encode(c, b);

	if (*len + n > cap)
		return;
	memcpy(buf + *len, b, n);
	*len += n;
	buf[*len] = '\0';
}

/* Removes the last UTF-8 character of buf. */
static void
erase_char(char *buf, size_t *len)
{
	while (*len > 0) {
		unsigned char c = (unsigned char)buf[--*len];

		buf[*len] = '\0';
		if ((c & 0xC0) != 0x80)
			break;
	}
}

/* Types a character into the current field. */
static void
type_char(struct login_form *f, key_code key)
{
	size_t len;

	if (f->field == 0) {
		len = strlen(f->email);
		append_utf8(f->email, &len, LOGIN_EMAIL_MAX, key);
	} else
		append_utf8(f->password, &f->pw_len, LOGIN_PASSWORD_MAX, key);
}

/* Backspace in the current field. */
static void
field_erase(struct login_form *f)
{
	size_t len = strlen(f->email);

	if (f->field == 0)
		erase_char(f->email, &len);
	else
		erase_char(f->password, &f->pw_len);
}

enum login_result
login_key(struct login_form *f, const struct bindings *b, key_code key)
{
	const struct binding *bind;

	if (f->busy)
		return LOGIN_EDITING;
	/* Printable characters are text here, whatever they are bound to. */
	if (key >= 0x20 && key != KEYC_BACKSPACE && key < KEYC_SPECIAL) {
		type_char(f, key);
		return LOGIN_EDITING;
	}
	if (key == KEYC_BACKSPACE || key == 8) {
		field_erase(f);
		return LOGIN_EDITING;
	}
	if (key == 3) /* C-c */
		return LOGIN_QUIT;
	bind = bindings_lookup(b, KEYCTX_FORM, key);
	if (bind == NULL)
		return LOGIN_EDITING;
	switch (bind->action) {
	case ACTION_NEXT_FIELD:
	case ACTION_PREV_FIELD:
		f->field = !f->field;
		return LOGIN_EDITING;
	case ACTION_SUBMIT:
		if (f->field == 0 || f->pw_len == 0) {
			/* Enter always does something: moves on, or says
			 * what is missing. */
			bool moved = f->field == 0 && f->email[0] != '\0';

			f->field = f->email[0] == '\0' ? 0 : 1;
			if (!moved)
				login_set_state(f,
				                f->field == 0
				                    ? "type your email first"
				                    : "type your password",
				                false);
			return LOGIN_EDITING;
		}
		return LOGIN_SUBMIT;
	case ACTION_BACK:
	case ACTION_QUIT:
		return LOGIN_QUIT;
	default:
		return LOGIN_EDITING;
	}
}

/* One labelled field; the password shows only that something is typed. */
static void
draw_field(struct login_form *f, WINDOW *w, int y, int x, int width, int i)
{
	const char *label = i == 0 ? "Email:    " : "Password: ";
	char *shown;

	mvwaddstr(w, y, x, label);
	if (i == 0)
		shown = sanitize_fit(f->email, width - 10, 0);
	else
		shown = xstrdup(f->pw_len > 0 ? "(typed, hidden)" : "");
	wattrset(w, (attr_t)theme_attr(f->field == i ? THEME_SELECTED
	                                             : THEME_NORMAL));
	mvwprintw(w, y, x + 10, "%-*s", width - 10, shown);
	wattrset(w, A_NORMAL);
	free(shown);
}

/*
 * The error under the form, wrapped over as many lines as it needs, from
 * the form's left edge to the window's right one, at y and below.
 */
static void
draw_error(WINDOW *w, const char *error, int y, int x, int width, int rows)
{
	size_t i, n;
	char **lines = task_format_wrap(error, width, &n);

	wattrset(w, (attr_t)theme_attr(THEME_ERROR));
	for (i = 0; i < n && y + (int)i < rows; i++)
		mvwaddstr(w, y + (int)i, x, lines[i]);
	wattrset(w, A_NORMAL);
	task_format_wrap_free(lines, n);
}

/* How many lines the error needs at width (none without an error). */
static int
error_lines(const struct login_form *f, int width)
{
	size_t n;
	char **lines;

	if (f->busy || f->error == NULL)
		return 0;
	lines = task_format_wrap(f->error, width, &n);
	task_format_wrap_free(lines, n);
	return (int)n;
}

void
login_draw(struct login_form *f, void *win, int rows, int cols)
{
	WINDOW *w = win;
	int width = cols < 60 ? cols - 4 : 56;
	int x = (cols - width) / 2, y = rows / 2 - 4;
	/* The error may use the whole width right of the form's edge. */
	int ewidth = cols - x - 2 > width ? cols - x - 2 : width;
	int need = 8 + error_lines(f, ewidth);

	if (y + need > rows)
		y = rows - need; /* a long error lifts the form */
	if (y < 0)
		y = 0;
	wattrset(w, (attr_t)theme_attr(THEME_TITLE));
	mvwaddstr(w, y, x, "Sign in to SiteCarePlusPro");
	wattrset(w, A_NORMAL);
	draw_field(f, w, y + 2, x, width, 0);
	draw_field(f, w, y + 3, x, width, 1);
	wattrset(w, (attr_t)theme_attr(THEME_DIM));
	mvwaddnstr(w, y + 5, x, "Tab: next field  Enter: sign in  Esc: quit",
	           width);
	wattrset(w, A_NORMAL);
	if (f->busy)
		mvwaddnstr(w, y + 7, x, "signing in...", width);
	else if (f->error != NULL)
		draw_error(w, f->error, y + 7, x, ewidth, rows);
}
