/* A passphrase asked over the pane: see passphrase.h. */
#include "tui/passphrase.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "keymaps/key.h"
#include "net/base/secret.h"
#include "net/base/utf8.h"
#include "net/base/xmalloc.h"
#include "tui/sanitize.h"
#include "tui/theme.h"

/* The longest passphrase, in bytes (NUL included). */
#define PASS_MAX 1024
#define BOX_W    64
#define BOX_H    7

struct passphrase {
	char *title, *prompt, *error; /* sanitised */
	char *busy;                   /* sanitised; NULL unless checking */
	char *field, *keys;           /* what is typed, the keys' line */
	struct secret *buf;           /* NUL-terminated, PASS_MAX bytes */
	size_t len;
	passphrase_done_fn on_done;
	void *ud;
	bool done;
};

/* A fresh buffer, or NULL when sodium cannot lock memory. */
static struct secret *
new_buf(void)
{
	struct sc_error err = { 0 };
	struct secret *s = secret_new(PASS_MAX, &err);

	sc_error_clear(&err);
	return s;
}

struct passphrase *
passphrase_new(const char *title, const char *prompt,
               passphrase_done_fn on_done, void *ud)
{
	struct passphrase *p = xcalloc(1, sizeof *p);

	p->title = sanitize_str(title, SANITIZE_TABS_AS_SPACE);
	p->prompt = sanitize_str(prompt, SANITIZE_TABS_AS_SPACE);
	p->buf = new_buf();
	if (p->buf == NULL)
		p->error = xstrdup("cannot lock memory for the passphrase");
	p->on_done = on_done;
	p->ud = ud;
	passphrase_ask_for(p, "passphrase",
	                   "Enter unlocks  Esc cancels  C-u clears");
	return p;
}

void
passphrase_ask_for(struct passphrase *p, const char *field, const char *keys)
{
	free(p->field);
	free(p->keys);
	p->field = sanitize_str(field, SANITIZE_TABS_AS_SPACE);
	p->keys = sanitize_str(keys, SANITIZE_TABS_AS_SPACE);
}

void
passphrase_free(struct passphrase *p)
{
	if (p == NULL)
		return;
	secret_free(p->buf); /* wipes */
	free(p->title);
	free(p->prompt);
	free(p->error);
	free(p->busy);
	free(p->field);
	free(p->keys);
	free(p);
}

void
passphrase_busy(struct passphrase *p, const char *what)
{
	free(p->busy);
	p->busy = sanitize_str(what, SANITIZE_TABS_AS_SPACE);
}

void
passphrase_retry(struct passphrase *p, const char *error)
{
	free(p->error);
	p->error = sanitize_str(error, SANITIZE_TABS_AS_SPACE);
	free(p->busy);
	p->busy = NULL;
	secret_free(p->buf);
	p->buf = new_buf();
	p->len = 0;
	p->done = false;
}

/* Appends the character cp (UTF-8) when it fits. */
static void
append(struct passphrase *p, uint32_t cp)
{
	char enc[4];
	size_t n = utf8_encode(cp, enc);
	unsigned char *b;

	if (p->buf == NULL || n == 0 || p->len + n + 1 > PASS_MAX)
		return;
	b = secret_open_write(p->buf);
	memcpy(b + p->len, enc, n);
	p->len += n;
	b[p->len] = '\0';
	secret_close(p->buf);
	sodium_memzero(enc, sizeof enc);
}

/* Removes the last character (all of its UTF-8 bytes), or everything. */
static void
drop_chars(struct passphrase *p, bool all)
{
	unsigned char *b, dropped;

	if (p->buf == NULL || p->len == 0)
		return;
	b = secret_open_write(p->buf);
	/* Down to and with the character's lead byte: the test is on the
	 * byte just dropped, as the one left in its place is now NUL. */
	do {
		dropped = b[--p->len];
		b[p->len] = '\0';
	} while (p->len > 0 && (all || (dropped & 0xc0) == 0x80));
	sodium_memzero(&dropped, sizeof dropped);
	secret_close(p->buf);
}

/* Enter or Escape: the secret (or NULL) goes to on_done, once. */
static void
finish(struct passphrase *p, bool give)
{
	struct secret *s = give && p->len > 0 ? p->buf : NULL;

	if (s != NULL)
		p->buf = NULL;
	p->done = true;
	p->len = 0;
	if (p->on_done != NULL)
		p->on_done(p->ud, s);
}

/* Every key: text goes into the secret, never to the bindings. */
static enum view_result
pp_key(void *state, key_code key)
{
	struct passphrase *p = state;

	if (p->done)
		return VIEW_HANDLED;
	if (key == KEYC_ENTER || key == '\n') {
		finish(p, true);
		return VIEW_REDRAW;
	}
	if (key == KEYC_ESCAPE || key == ('g' & 0x1f)) {
		finish(p, false);
		return VIEW_REDRAW;
	}
	if (key == KEYC_BACKSPACE || key == ('h' & 0x1f))
		drop_chars(p, false);
	else if (key == ('u' & 0x1f))
		drop_chars(p, true);
	else if (key >= 0x20 && key < KEYC_SPECIAL && !(key & KEYC_META))
		append(p, (uint32_t)key);
	/* Anything else (C-l, function keys) goes on to the bindings. */
	else if (key < 0x20 || (key & KEYC_META))
		return key == ('l' & 0x1f) ? VIEW_UNHANDLED : VIEW_HANDLED;
	return VIEW_REDRAW;
}

/* Draws text at y, x in at most width columns. */
static void
put(WINDOW *w, int y, int x, const char *s, int width, enum theme_item item)
{
	char *fit = sanitize_fit(s, width, 0);

	wattrset(w, (attr_t)theme_attr(item));
	mvwaddstr(w, y, x, fit);
	free(fit);
}

/* The entry's line: its name, and whether something is typed. */
static void
draw_entry(struct passphrase *p, WINDOW *w, int y, int x, int width)
{
	char *line = xasprintf("%s:%s", p->field,
	                       p->len > 0 ? " (typed, not shown)" : "");

	put(w, y, x, line, width, THEME_DIM);
	free(line);
}

/* A centred box: title, prompt, the (unshown) entry, error, keys. */
static void
pp_draw(void *state, void *win, int rows, int cols)
{
	struct passphrase *p = state;
	WINDOW *win_ = win;
	int bw = cols - 4 < BOX_W ? cols - 4 : BOX_W;
	int x = (cols - bw) / 2, y = (rows - BOX_H) / 2, i;

	if (bw < 20 || rows < BOX_H)
		return;
	wattrset(win_, (attr_t)theme_attr(THEME_NORMAL));
	for (i = 0; i < BOX_H; i++)
		mvwhline(win_, y + i, x, ' ', bw);
	{
		mvwhline(win_, y, x + 1, ACS_HLINE, bw - 2);
		mvwhline(win_, y + BOX_H - 1, x + 1, ACS_HLINE, bw - 2);
		mvwvline(win_, y + 1, x, ACS_VLINE, BOX_H - 2);
		mvwvline(win_, y + 1, x + bw - 1, ACS_VLINE, BOX_H - 2);
		mvwaddch(win_, y, x, ACS_ULCORNER);
		mvwaddch(win_, y, x + bw - 1, ACS_URCORNER);
		mvwaddch(win_, y + BOX_H - 1, x, ACS_LLCORNER);
		mvwaddch(win_, y + BOX_H - 1, x + bw - 1, ACS_LRCORNER);
	}
	put(win_, y, x + 2, p->title, bw - 4, THEME_TITLE);
	put(win_, y + 1, x + 2, p->prompt, bw - 4, THEME_NORMAL);
	if (p->busy != NULL)
		put(win_, y + 2, x + 2, p->busy, bw - 4, THEME_WARN);
	else
		draw_entry(p, win_, y + 2, x + 2, bw - 4);
	if (p->error != NULL)
		put(win_, y + 3, x + 2, p->error, bw - 4, THEME_ERROR);
	put(win_, y + 5, x + 2, p->keys, bw - 4, THEME_DIM);
}

static void
pp_free(void *state)
{
	passphrase_free(state);
}

/* Bindings reach here only for keys .key let through (C-l). */
static enum view_result
pp_action(void *state, enum action a, const char *args)
{
	(void)state;
	(void)args;
	return a == ACTION_REDRAW ? VIEW_UNHANDLED : VIEW_HANDLED;
}

static enum key_context
pp_context(void *state)
{
	(void)state;
	return KEYCTX_INPUT;
}

const struct view_ops passphrase_ops = {
	.name = "Passphrase",
	.title = "Passphrase",
	.free = pp_free,
	.draw = pp_draw,
	.action = pp_action,
	.key = pp_key,
	.context = pp_context,
};
