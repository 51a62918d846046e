/* A question with lettered answers, drawn as a centred box over the pane. */
#include "tui/ask.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/base/xmalloc.h"
#include "tui/hints.h"
#include "tui/overlay.h"
#include "tui/sanitize.h"
#include "tui/term.h"
#include "tui/theme.h"

/* The box's widest. */
#define ASK_MAX_WIDTH 64
/* Between choices drawn on one row. */
#define ASK_GAP 3

struct ask_answer {
	key_code key;
	char *text; /* "[r] re-apply on the new version (Enter)", sanitised */
	/* Where it was drawn (pane coordinates), for clicks; y -1: not. */
	int y, x0, x1;
};

/*
 * The body is kept as one sanitised text with newlines; lines[] is that
 * text wrapped at wrap_width, redone only when the width changes. top
 * is the first body line shown; body_h how many showed at the last draw.
 */
struct ask {
	char *title; /* sanitised */
	char *body;  /* sanitised, lines joined with \n */
	struct ask_answer choices[ASK_MAX_CHOICES];
	size_t nchoices;
	key_code enter, escape;
	char **lines;
	size_t nlines;
	int wrap_width; /* -1: not wrapped yet */
	size_t top;
	int body_h;
	bool done;
	key_code answer;
	ask_done_fn on_done;
	void *ud;
};

/* True when key is one of the spec's choices. */
static bool
ask_spec_has(const struct ask_spec *spec, key_code key)
{
	size_t i;

	for (i = 0; i < spec->nchoices; i++)
		if (spec->choices[i].key == key)
			return true;
	return false;
}

/* Aborts on a spec no caller should write (a programming error). */
static void
ask_check_spec(const struct ask_spec *spec)
{
	size_t i, j;

	if (spec->nchoices < 1 || spec->nchoices > ASK_MAX_CHOICES ||
	    spec->choices == NULL || (spec->nbody > 0 && spec->body == NULL))
		abort();
	for (i = 0; i < spec->nchoices; i++) {
		if (spec->choices[i].key == KEYC_NONE)
			abort();
		for (j = 0; j < i; j++)
			if (spec->choices[j].key == spec->choices[i].key)
				abort();
	}
	if ((spec->enter != KEYC_NONE && !ask_spec_has(spec, spec->enter)) ||
	    (spec->escape != KEYC_NONE && !ask_spec_has(spec, spec->escape)))
		abort();
}

/* The body lines joined with newlines, sanitised. */
static char *
ask_join_body(const struct ask_spec *spec)
{
	char *joined = xstrdup(""), *next, *clean;
	size_t i;

	for (i = 0; i < spec->nbody; i++) {
		next = xasprintf("%s%s%s", joined, i > 0 ? "\n" : "",
		                 spec->body[i] != NULL ? spec->body[i] : "");
		free(joined);
		joined = next;
	}
	clean = sanitize_str(joined,
	                     SANITIZE_KEEP_NEWLINES | SANITIZE_TABS_AS_SPACE);
	free(joined);
	return clean;
}

/* "[r] label", with the keys that also give it: "(Enter)", "(Esc)". */
static char *
ask_choice_text(const struct ask_spec *spec, const struct ask_choice *c)
{
	char key[32], *raw, *clean;

	key_to_string(c->key, key, sizeof key);
	raw = xasprintf("[%s] %s%s%s", key, c->label != NULL ? c->label : "",
	                c->key == spec->enter ? " (Enter)" : "",
	                c->key == spec->escape ? " (Esc)" : "");
	clean = sanitize_str(raw, SANITIZE_TABS_AS_SPACE);
	free(raw);
	return clean;
}

struct ask *
ask_new(const struct ask_spec *spec)
{
	struct ask *a;
	size_t i;

	ask_check_spec(spec);
	a = xcalloc(1, sizeof *a);
	a->title = sanitize_str(spec->title, SANITIZE_TABS_AS_SPACE);
	a->body = ask_join_body(spec);
	for (i = 0; i < spec->nchoices; i++) {
		a->choices[i].key = spec->choices[i].key;
		a->choices[i].text = ask_choice_text(spec, &spec->choices[i]);
		a->choices[i].y = -1;
	}
	a->nchoices = spec->nchoices;
	a->enter = spec->enter;
	a->escape = spec->escape;
	a->on_done = spec->on_done;
	a->ud = spec->ud;
	a->wrap_width = -1;
	a->answer = KEYC_NONE;
	return a;
}

struct ask *
ask_yes_no(const char *title, const char *line, const char *yes, const char *no,
           key_code enter, ask_done_fn on_done, void *ud)
{
	const struct ask_choice choices[] = { { 'y', yes }, { 'n', no } };
	const char *body[] = { line };
	struct ask_spec spec = {
		.title = title,
		.body = body,
		.nbody = 1,
		.choices = choices,
		.nchoices = 2,
		.enter = enter,
		.escape = 'n',
		.on_done = on_done,
		.ud = ud,
	};

	return ask_new(&spec);
}

/* Drops the wrapped lines. */
static void
ask_unwrap(struct ask *a)
{
	size_t i;

	for (i = 0; i < a->nlines; i++)
		free(a->lines[i]);
	free(a->lines);
	a->lines = NULL;
	a->nlines = 0;
	a->wrap_width = -1;
}

void
ask_free(struct ask *a)
{
	size_t i;

	if (a == NULL)
		return;
	ask_unwrap(a);
	for (i = 0; i < a->nchoices; i++)
		free(a->choices[i].text);
	free(a->title);
	free(a->body);
	free(a);
}

/* Records the answer, then calls on_done last of all (it may free a). */
static enum ask_result
ask_finish(struct ask *a, key_code key)
{
	ask_done_fn fn = a->on_done;
	void *ud = a->ud;

	a->done = true;
	a->answer = key;
	if (fn != NULL)
		fn(ud, key);
	return ASK_DONE;
}

/* The choice key means: exactly, else the same letter in the other case. */
static key_code
ask_choice_for(const struct ask *a, key_code key)
{
	key_code other = KEYC_NONE;
	size_t i;

	if (key >= 'a' && key <= 'z')
		other = key - 'a' + 'A';
	else if (key >= 'A' && key <= 'Z')
		other = key - 'A' + 'a';
	for (i = 0; i < a->nchoices; i++)
		if (a->choices[i].key == key)
			return key;
	for (i = 0; other != KEYC_NONE && i < a->nchoices; i++)
		if (a->choices[i].key == other)
			return other;
	return KEYC_NONE;
}

/* The largest top line that still fills the body rows. */
static size_t
ask_max_top(const struct ask *a)
{
	size_t h = a->body_h > 0 ? (size_t)a->body_h : 1;

	return a->nlines > h ? a->nlines - h : 0;
}

/* Scrolls the body for a movement action; ASK_NONE for any other. */
static enum ask_result
ask_scroll(struct ask *a, enum action act)
{
	size_t old = a->top;

	if (!overlay_scroll_top(&a->top, a->body_h, ask_max_top(a), act))
		return ASK_NONE;
	return a->top != old ? ASK_REDRAW : ASK_NONE;
}

enum ask_result
ask_key(struct ask *a, key_code key)
{
	key_code choice;

	if (a->done)
		return ASK_NONE;
	if ((key == KEYC_ENTER || key == '\n') && a->enter != KEYC_NONE)
		return ask_finish(a, a->enter);
	if (key == KEYC_ESCAPE && a->escape != KEYC_NONE)
		return ask_finish(a, a->escape);
	choice = ask_choice_for(a, key);
	if (choice != KEYC_NONE)
		return ask_finish(a, choice);
	return ask_scroll(a, action_of_motion_key(key));
}

key_code
ask_answer(const struct ask *a)
{
	return a->answer;
}

/* Appends one wrapped line: n bytes of s, trailing spaces dropped. */
static void
ask_push_line(struct ask *a, const char *s, size_t n)
{
	while (n > 0 && s[n - 1] == ' ')
		n--;
	a->lines = xgrowarray(a->lines, a->nlines, sizeof *a->lines);
	a->lines[a->nlines++] = xstrndup(s, n);
}

/* The byte length of the UTF-8 character at s (sanitised, valid). */
static size_t
ask_char_len(const char *s)
{
	unsigned char c = (unsigned char)*s;
	size_t n = c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
	size_t i;

	for (i = 1; i < n; i++)
		if (s[i] == '\0')
			return i;
	return n;
}

/*
 * Where to end a line of s that must be cut: after the last space
 * within the n bytes that fit, or at n (at least one character) when
 * the first word alone is too wide.
 */
static size_t
ask_break_at(const char *s, size_t n)
{
	size_t k;

	if (n == 0)
		return ask_char_len(s);
	if (s[n] == ' ')
		return n;
	for (k = n; k > 0; k--)
		if (s[k - 1] == ' ')
			return k;
	return n;
}

/* Wraps one paragraph (len bytes, no newline) at width columns. */
static void
ask_wrap_paragraph(struct ask *a, const char *s, size_t len, int width)
{
	char *para = xstrndup(s, len);
	const char *p = para;
	size_t n;

	if (*p == '\0')
		ask_push_line(a, "", 0);
	while (*p != '\0') {
		n = sanitize_prefix(p, width, NULL);
		if (p[n] != '\0')
			n = ask_break_at(p, n);
		ask_push_line(a, p, n);
		p += n;
		while (*p == ' ')
			p++;
	}
	free(para);
}

size_t
ask_wrap(struct ask *a, int width)
{
	const char *s, *nl;

	if (width < 1)
		width = 1;
	if (width == a->wrap_width)
		return a->nlines;
	ask_unwrap(a);
	a->wrap_width = width;
	for (s = a->body;; s = nl + 1) {
		nl = strchr(s, '\n');
		ask_wrap_paragraph(
		    a, s, nl != NULL ? (size_t)(nl - s) : strlen(s), width);
		if (nl == NULL)
			break;
	}
	if (a->top > ask_max_top(a))
		a->top = ask_max_top(a);
	return a->nlines;
}

const char *
ask_line(const struct ask *a, size_t i)
{
	return i < a->nlines ? a->lines[i] : NULL;
}

/* ---- Layout and drawing: the only part that needs curses. ---- */

/*
 * The box, in pane coordinates: the body rows, a blank row, then the
 * choices on one row when they fit side by side, else one per row.
 * Under small panes the blank row goes first, then body rows.
 */
struct ask_geom {
	int y, x, h, w, border, in_x, in_w;
	int body_y, body_h, choices_y, crows;
	bool one_row;
};

/* The width of all choices on one row, gaps included. */
static int
ask_choices_width(const struct ask *a)
{
	int total = 0;
	size_t i;

	for (i = 0; i < a->nchoices; i++)
		total +=
		    sanitize_width(a->choices[i].text) + (i > 0 ? ASK_GAP : 0);
	return total;
}

/* Fits the box into rows x cols and wraps the body to its width. */
static void
ask_layout(struct ask *a, struct ask_geom *g, int rows, int cols)
{
	int avail, blank, pad, want;

	memset(g, 0, sizeof *g);
	if (rows <= 0 || cols <= 0)
		return;
	g->w = cols > ASK_MAX_WIDTH + 2 ? ASK_MAX_WIDTH
	       : cols > 30              ? cols - 2
	                                : cols;
	g->border = rows >= 4 && g->w >= 8;
	pad = g->border && g->w >= 12;
	g->in_w = g->w - 2 * (g->border + pad);
	if (g->in_w < 1)
		return;
	ask_wrap(a, g->in_w);
	g->one_row = ask_choices_width(a) <= g->in_w;
	g->crows = g->one_row ? 1 : (int)a->nchoices;
	avail = rows - 2 * g->border;
	want = a->nlines > 0 ? (int)a->nlines : 0;
	blank = avail >= g->crows + 2 && want > 0;
	g->body_h = avail - g->crows - blank;
	if (g->body_h > want)
		g->body_h = want;
	if (g->body_h < 0)
		g->body_h = 0;
	g->h = 2 * g->border + g->body_h + blank + g->crows;
	if (g->h > rows)
		g->h = rows;
	g->y = (rows - g->h) / 2;
	g->x = (cols - g->w) / 2;
	g->in_x = g->x + g->border + pad;
	g->body_y = g->y + g->border;
	g->choices_y = g->body_y + g->body_h + blank;
	a->body_h = g->body_h;
	if (a->top > ask_max_top(a))
		a->top = ask_max_top(a);
}

/* The flags for sanitize_fit on this terminal. */
static unsigned
ask_fit_flags(void)
{
	return term_utf8() ? 0 : SANITIZE_ASCII;
}

/* Text cut to width at y, x in item; the column after it. */
static int
ask_put(WINDOW *w, int y, int x, const char *text, int width,
        enum theme_item item)
{
	char *fit = sanitize_fit(text, width, ask_fit_flags());
	int used = sanitize_width(fit);

	wattrset(w, (attr_t)theme_attr(item));
	mvwaddstr(w, y, x, fit);
	wattrset(w, A_NORMAL);
	free(fit);
	return x + used;
}

/* Blanks the box and draws its border, the title and the scroll place. */
static void
ask_draw_frame(struct ask *a, WINDOW *w, const struct ask_geom *g)
{
	char where[48];
	int y, x;

	wattrset(w, (attr_t)theme_attr(THEME_NORMAL));
	for (y = g->y; y < g->y + g->h; y++)
		mvwhline(w, y, g->x, ' ', g->w);
	if (!g->border)
		return;
	mvwhline(w, g->y, g->x + 1, ACS_HLINE, g->w - 2);
	mvwhline(w, g->y + g->h - 1, g->x + 1, ACS_HLINE, g->w - 2);
	mvwvline(w, g->y + 1, g->x, ACS_VLINE, g->h - 2);
	mvwvline(w, g->y + 1, g->x + g->w - 1, ACS_VLINE, g->h - 2);
	mvwaddch(w, g->y, g->x, ACS_ULCORNER);
	mvwaddch(w, g->y, g->x + g->w - 1, ACS_URCORNER);
	mvwaddch(w, g->y + g->h - 1, g->x, ACS_LLCORNER);
	mvwaddch(w, g->y + g->h - 1, g->x + g->w - 1, ACS_LRCORNER);
	if (a->title[0] != '\0' && g->w >= 8) {
		x = ask_put(w, g->y, g->x + 2, " ", 1, THEME_TITLE);
		x = ask_put(w, g->y, x, a->title, g->w - 6, THEME_TITLE);
		ask_put(w, g->y, x, " ", 1, THEME_TITLE);
	}
	if (a->nlines > (size_t)g->body_h && g->w >= 24) {
		snprintf(where, sizeof where, " %zu-%zu/%zu ", a->top + 1,
		         a->top + (size_t)g->body_h, a->nlines);
		ask_put(w, g->y + g->h - 1,
		        g->x + g->w - 2 - (int)strlen(where), where,
		        (int)strlen(where), THEME_DIM);
	}
}

/* The choices, side by side or one per row; the Enter one selected. */
static void
ask_draw_choices(struct ask *a, WINDOW *w, const struct ask_geom *g)
{
	int x = g->in_x, y = g->choices_y, end = g->in_x + g->in_w;
	int last = g->y + g->h - 1 - g->border;
	size_t i;

	for (i = 0; i < a->nchoices; i++) {
		struct ask_answer *c = &a->choices[i];

		c->y = -1;
		if (!g->one_row && i > 0) {
			x = g->in_x;
			y++;
		}
		if (y > last || x >= end)
			continue;
		c->y = y;
		c->x0 = x;
		x = ask_put(w, y, x, c->text, end - x,
		            c->key == a->enter ? THEME_SELECTED : THEME_NORMAL);
		c->x1 = x;
		x += ASK_GAP;
	}
}

static void
ask_ops_draw(void *state, void *win, int rows, int cols)
{
	struct ask *a = state;
	struct ask_geom g;
	WINDOW *w = win;
	int y;

	ask_layout(a, &g, rows, cols);
	if (g.h <= 0 || g.in_w < 1)
		return;
	ask_draw_frame(a, w, &g);
	for (y = 0; y < g.body_h && a->top + (size_t)y < a->nlines; y++)
		ask_put(w, g.body_y + y, g.in_x, a->lines[a->top + (size_t)y],
		        g.in_w, THEME_NORMAL);
	ask_draw_choices(a, w, &g);
}

static void
ask_ops_free(void *state)
{
	ask_free(state);
}

static void
ask_ops_resize(void *state, int rows, int cols)
{
	struct ask_geom g;

	ask_layout(state, &g, rows, cols);
}

/* Scrolling; submit gives the Enter choice, back the Escape one. */
static enum view_result
ask_ops_action(void *state, enum action act, const char *args)
{
	struct ask *a = state;

	if (a->done)
		return VIEW_UNHANDLED;
	if ((act == ACTION_SUBMIT || act == ACTION_OPEN) &&
	    a->enter != KEYC_NONE) {
		ask_finish(a, a->enter);
		return VIEW_REDRAW;
	}
	if ((act == ACTION_BACK || act == ACTION_QUIT) &&
	    a->escape != KEYC_NONE) {
		ask_finish(a, a->escape);
		return VIEW_REDRAW;
	}
	/* Without a choice for them these keep the question open. */
	if (act == ACTION_SUBMIT || act == ACTION_OPEN || act == ACTION_BACK ||
	    act == ACTION_QUIT)
		return VIEW_HANDLED;
	switch (ask_scroll(a, act)) {
	case ASK_REDRAW:
		return VIEW_REDRAW;
	case ASK_NONE:
		return act >= ACTION_DOWN && act <= ACTION_BOTTOM
		           ? VIEW_HANDLED
		           : VIEW_UNHANDLED;
	default:
		return VIEW_HANDLED;
	}
}

/* A click on a choice gives it. */
static enum view_result
ask_ops_click(void *state, int row, int col)
{
	struct ask *a = state;
	size_t i;

	if (a->done)
		return VIEW_UNHANDLED;
	for (i = 0; i < a->nchoices; i++) {
		const struct ask_answer *c = &a->choices[i];

		if (c->y == row && col >= c->x0 && col < c->x1) {
			ask_finish(a, c->key);
			return VIEW_REDRAW;
		}
	}
	return VIEW_UNHANDLED;
}

/*
 * Every key comes here before the bindings. A question must be answered:
 * letters, Tab and Meta keys that are no answer are swallowed, so a
 * stray `h` or `1` cannot go back or switch panes (closing it
 * unanswered); control and function keys (C-l, C-z) and an unbound
 * Escape go on to the bindings.
 */
static enum view_result
ask_ops_key(void *state, key_code key)
{
	if (ask_key(state, key) != ASK_NONE)
		return VIEW_REDRAW;
	if ((key >= 0x20 && key != KEYC_BACKSPACE && key < KEYC_SPECIAL) ||
	    key == KEYC_TAB || key == KEYC_BTAB || (key & KEYC_META) ||
	    action_of_motion_key(key) != ACTION_NONE)
		return VIEW_HANDLED;
	return VIEW_UNHANDLED;
}

/* A long body scrolls with the detail keys. */
static enum key_context
ask_ops_context(void *state)
{
	return KEYCTX_DETAIL;
}

/* The hint bar: the answers are the question's own keys, shown in it. */
static const struct hint ask_hints[] = {
	{ ACTION_NONE, ACTION_NONE, "answer with a key shown above" },
	{ ACTION_NONE, ACTION_NONE, NULL },
};

const struct view_ops ask_ops = {
	.name = "Question",
	.title = "Question",
	.free = ask_ops_free,
	.resize = ask_ops_resize,
	.draw = ask_ops_draw,
	.action = ask_ops_action,
	.click = ask_ops_click,
	.key = ask_ops_key,
	.context = ask_ops_context,
	.hints = { [KEYCTX_DETAIL] = ask_hints },
};
