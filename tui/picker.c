/* A type-to-filter picker drawn as a centred box over the pane. */
#include "tui/picker.h"

#include <curses.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "net/base/utf8.h"
#include "net/base/xmalloc.h"
#include "tui/hints.h"
#include "tui/list.h"
#include "tui/sanitize.h"
#include "tui/term.h"
#include "tui/theme.h"

/* Longest filter kept, in bytes; more typing is ignored. */
#define PICKER_FILTER_MAX 255
/* The box's widest, and how many rows it shows at most. */
#define PICKER_MAX_WIDTH 64
#define PICKER_MAX_ROWS  10
#define PICKER_MIN_ROWS  3

#define KEY_CTRL(c) ((key_code)((c)&0x1F))

struct picker_item {
	long long id;
	char *label;  /* sanitised */
	char *detail; /* sanitised; NULL when none */
};

/*
 * Where the parts of the box went at the last draw (pane coordinates):
 * the draw computes it from the pane size, clicks read it back. A part
 * that did not fit has y -1; the list always gets at least one row when
 * the pane has three.
 */
struct picker_geom {
	int y, x, h, w; /* the box; h 0 when nothing fits */
	int border;     /* 1 with a border, 0 without */
	int in_x, in_w; /* the text area inside border and padding */
	int filter_y, list_y, list_h, status_y, footer_y;
};

/*
 * The items in arrival order and, in shown[], the indexes of those that
 * match the filter; the list helper sees only shown[] (count and ids), so
 * the cursor and scrolling are its business. want_id is a selection
 * asked for before its item arrived, kept until the user moves.
 */
struct picker {
	char *title; /* sanitised */
	struct picker_item *items;
	size_t n, cap;
	size_t *shown; /* indexes into items, cap entries */
	size_t nshown;
	char filter[PICKER_FILTER_MAX + 1];
	size_t flen;
	struct list list;
	bool loading;
	char *error; /* sanitised, or NULL */
	bool want;
	long long want_id;
	bool done;
	long long chosen;
	picker_done_fn on_done;
	void *ud;
	struct picker_geom g;
};

/* Decodes one character of valid UTF-8 (sanitised text or the filter). */
static uint32_t
picker_decode(const char *s, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] < 0x80 || u[1] == '\0') {
		*len = 1;
		return u[0];
	}
	if (u[0] < 0xE0) {
		*len = 2;
		return ((uint32_t)(u[0] & 0x1F) << 6) | (u[1] & 0x3F);
	}
	if (u[0] < 0xF0 || u[2] == '\0') {
		*len = u[2] == '\0' ? 2 : 3;
		return ((uint32_t)(u[0] & 0x0F) << 12) |
		       ((uint32_t)(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
	}
	*len = u[3] == '\0' ? 3 : 4;
	return ((uint32_t)(u[0] & 0x07) << 18) |
	       ((uint32_t)(u[1] & 0x3F) << 12) |
	       ((uint32_t)(u[2] & 0x3F) << 6) | (u[3] & 0x3F);
}

/* True when needle matches hay at its start, ignoring case; *end. */
static bool
picker_match_at(const char *hay, const char *needle, size_t *end)
{
	size_t i = 0, j = 0, hl, nl;
	uint32_t h, n;

	while (needle[j] != '\0') {
		if (hay[i] == '\0')
			return false;
		h = picker_decode(hay + i, &hl);
		n = picker_decode(needle + j, &nl);
		if (h != n && towlower((wint_t)h) != towlower((wint_t)n))
			return false;
		i += hl;
		j += nl;
	}
	*end = i;
	return true;
}

/*
 * Finds needle in hay ignoring case; the match is bytes [*ms, *me). An
 * empty needle matches everywhere (at 0, empty).
 */
static bool
picker_find(const char *hay, const char *needle, size_t *ms, size_t *me)
{
	size_t i = 0, len;

	if (hay == NULL)
		return false;
	for (;;) {
		if (picker_match_at(hay + i, needle, me)) {
			*ms = i;
			*me += i;
			return true;
		}
		if (hay[i] == '\0')
			return false;
		picker_decode(hay + i, &len);
		i += len;
	}
}

/* True when item matches the filter, by label or detail. */
static bool
picker_item_matches(const struct picker *p, const struct picker_item *it)
{
	size_t ms, me;

	return picker_find(it->label, p->filter, &ms, &me) ||
	       picker_find(it->detail, p->filter, &ms, &me);
}

static size_t
picker_list_count(void *ud)
{
	return ((struct picker *)ud)->nshown;
}

static long long
picker_list_id(void *ud, size_t i)
{
	struct picker *p = ud;

	return p->items[p->shown[i]].id;
}

static void picker_draw_row(void *ud, void *win, int y, size_t i, int width,
                            bool selected, bool marked);

static const struct list_ops picker_list_ops = {
	.count = picker_list_count,
	.id_at = picker_list_id,
	.draw_row = picker_draw_row,
};

/* Selects want_id if it is shown; true when it did. */
static bool
picker_apply_want(struct picker *p)
{
	return p->want && list_select_id(&p->list, p->want_id);
}

/* Recomputes the matches, keeping the selected item when it still shows. */
static void
picker_refilter(struct picker *p)
{
	long long sel = list_selected_id(&p->list);
	size_t i;

	p->nshown = 0;
	for (i = 0; i < p->n; i++)
		if (picker_item_matches(p, &p->items[i]))
			p->shown[p->nshown++] = i;
	if (picker_apply_want(p))
		return;
	if (sel == -1 || !list_select_id(&p->list, sel))
		p->list.cursor = p->list.top = 0;
	list_changed(&p->list);
}

struct picker *
picker_new(const char *title, picker_done_fn on_done, void *ud)
{
	struct picker *p = xcalloc(1, sizeof *p);

	p->title = sanitize_str(title, SANITIZE_TABS_AS_SPACE);
	p->on_done = on_done;
	p->ud = ud;
	p->chosen = -1;
	list_init(&p->list, &picker_list_ops, p);
	return p;
}

void
picker_free(struct picker *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++) {
		free(p->items[i].label);
		free(p->items[i].detail);
	}
	free(p->items);
	free(p->shown);
	free(p->title);
	free(p->error);
	list_free(&p->list);
	free(p);
}

void
picker_add(struct picker *p, long long id, const char *label,
           const char *detail)
{
	struct picker_item *it;

	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->items = xreallocarray(p->items, p->cap, sizeof *p->items);
		p->shown = xreallocarray(p->shown, p->cap, sizeof *p->shown);
	}
	it = &p->items[p->n];
	it->id = id;
	it->label = sanitize_str(label, SANITIZE_TABS_AS_SPACE);
	it->detail = detail != NULL
	                 ? sanitize_str(detail, SANITIZE_TABS_AS_SPACE)
	                 : NULL;
	/* Appending keeps every shown index, so the cursor stays put. */
	if (picker_item_matches(p, it)) {
		p->shown[p->nshown++] = p->n;
		if (p->want && id == p->want_id)
			p->list.cursor = p->nshown - 1;
	}
	p->n++;
	list_changed(&p->list);
}

void
picker_set_loading(struct picker *p, bool loading)
{
	p->loading = loading;
}

void
picker_done_loading(struct picker *p)
{
	p->loading = false;
}

void
picker_set_error(struct picker *p, const char *message)
{
	free(p->error);
	p->error = message != NULL
	               ? sanitize_str(message, SANITIZE_TABS_AS_SPACE)
	               : NULL;
	if (message != NULL)
		p->loading = false;
}

void
picker_select_id(struct picker *p, long long id)
{
	p->want = true;
	p->want_id = id;
	picker_apply_want(p);
}

/* Ends the picker: records the result, then calls on_done last of all. */
static enum picker_result
picker_finish(struct picker *p, bool chosen)
{
	picker_done_fn fn = p->on_done;
	void *ud = p->ud;
	long long id = chosen ? list_selected_id(&p->list) : -1;

	p->done = true;
	p->chosen = id;
	/* on_done may free p: nothing below may touch it. */
	if (fn != NULL)
		fn(ud, chosen, id);
	return chosen ? PICKER_CHOSEN : PICKER_CANCELLED;
}

/* Chooses the selected item; nothing when no item matches. */
static enum picker_result
picker_choose(struct picker *p)
{
	if (p->nshown == 0)
		return PICKER_NONE;
	return picker_finish(p, true);
}

/* A movement action on the list; the user's move overrides want_id. */
static enum picker_result
picker_move(struct picker *p, enum action a)
{
	size_t cursor = p->list.cursor, top = p->list.top;

	if (list_action(&p->list, a) == LIST_UNHANDLED)
		return PICKER_NONE;
	if (p->list.cursor == cursor && p->list.top == top)
		return PICKER_NONE;
	p->want = false;
	return PICKER_REDRAW;
}

/* True for a key that is text to type: no controls, bidi or specials. */
static bool
picker_is_text(key_code key)
{
	if (key & KEYC_META || key >= KEYC_SPECIAL)
		return false;
	if (key < 0x20 || (key >= 0x7F && key < 0xA0))
		return false;
	if ((key >= 0xD800 && key <= 0xDFFF) || key > 0x10FFFF)
		return false;
	return !((key >= 0x202A && key <= 0x202E) ||
	         (key >= 0x2066 && key <= 0x2069));
}

/* Appends a typed character to the filter. */
static enum picker_result
picker_type(struct picker *p, key_code key)
{
	char b[4];
	size_t n = utf8_encode(key, b);

	if (p->flen + n > PICKER_FILTER_MAX)
		return PICKER_REDRAW; /* full: still the picker's key */
	memcpy(p->filter + p->flen, b, n);
	p->flen += n;
	p->filter[p->flen] = '\0';
	picker_refilter(p);
	return PICKER_REDRAW;
}

/* Deletes the last character of the filter (all its bytes). */
static enum picker_result
picker_backspace(struct picker *p)
{
	if (p->flen == 0)
		return PICKER_NONE;
	while (p->flen > 0 &&
	       ((unsigned char)p->filter[p->flen - 1] & 0xC0) == 0x80)
		p->flen--;
	if (p->flen > 0)
		p->flen--;
	p->filter[p->flen] = '\0';
	picker_refilter(p);
	return PICKER_REDRAW;
}

/* Clears the filter (C-u). */
static enum picker_result
picker_clear(struct picker *p)
{
	if (p->flen == 0)
		return PICKER_NONE;
	p->flen = 0;
	p->filter[0] = '\0';
	picker_refilter(p);
	return PICKER_REDRAW;
}

/* The list action a movement key means, or ACTION_NONE. */
static enum action
picker_key_action(key_code key)
{
	if (key == KEY_CTRL('n'))
		return ACTION_DOWN;
	if (key == KEY_CTRL('p'))
		return ACTION_UP;
	return action_of_motion_key(key);
}

enum picker_result
picker_key(struct picker *p, key_code key)
{
	enum action a = picker_key_action(key);

	if (p->done)
		return PICKER_NONE;
	if (a != ACTION_NONE)
		return picker_move(p, a);
	switch (key) {
	case KEYC_ENTER:
	case '\n':
		return picker_choose(p);
	case KEYC_ESCAPE:
		return picker_finish(p, false);
	case KEYC_BACKSPACE:
	case KEY_CTRL('h'):
		return picker_backspace(p);
	case KEY_CTRL('u'):
		return picker_clear(p);
	default:
		break;
	}
	return picker_is_text(key) ? picker_type(p, key) : PICKER_NONE;
}

long long
picker_chosen_id(const struct picker *p)
{
	return p->chosen;
}

long long
picker_selected_id(const struct picker *p)
{
	return list_selected_id(&p->list);
}

const char *
picker_filter(const struct picker *p)
{
	return p->filter;
}

size_t
picker_matches(const struct picker *p)
{
	return p->nshown;
}

size_t
picker_total(const struct picker *p)
{
	return p->n;
}

const char *
picker_match_label(const struct picker *p, size_t i)
{
	return i < p->nshown ? p->items[p->shown[i]].label : NULL;
}

const char *
picker_match_detail(const struct picker *p, size_t i)
{
	const char *d;

	if (i >= p->nshown)
		return NULL;
	d = p->items[p->shown[i]].detail;
	return d != NULL ? d : "";
}

long long
picker_match_id(const struct picker *p, size_t i)
{
	return i < p->nshown ? p->items[p->shown[i]].id : -1;
}

bool
picker_loading(const struct picker *p)
{
	return p->loading;
}

const char *
picker_error(const struct picker *p)
{
	return p->error;
}

/* ---- Layout and drawing: the only part that needs curses. ---- */

/* The rows wanted for the list: the item count, within bounds. */
static int
picker_want_rows(const struct picker *p)
{
	size_t n = p->n;

	if (n < PICKER_MIN_ROWS)
		return PICKER_MIN_ROWS;
	return n > PICKER_MAX_ROWS ? PICKER_MAX_ROWS : (int)n;
}

/*
 * Fits the box into rows x cols: the border goes first when there are
 * fewer than four rows, then the footer, then the status line; the
 * filter line and one list row stay while there is room for them.
 */
static void
picker_layout(struct picker *p, int rows, int cols)
{
	struct picker_geom *g = &p->g;
	int status = p->error != NULL || p->loading, footer = 1, avail, pad;

	memset(g, 0, sizeof *g);
	g->filter_y = g->list_y = g->status_y = g->footer_y = -1;
	if (rows <= 0 || cols <= 0)
		return;
	g->w = cols > PICKER_MAX_WIDTH + 2 ? PICKER_MAX_WIDTH
	       : cols > 30                 ? cols - 2
	                                   : cols;
	g->border = rows >= 4 && g->w >= 8;
	avail = rows - 2 * g->border;
	if (avail < 3 + status)
		footer = 0;
	if (avail < 2 + status)
		status = 0;
	g->list_h = avail - 1 - status - footer;
	if (g->list_h > picker_want_rows(p))
		g->list_h = picker_want_rows(p);
	if (g->list_h < 0)
		g->list_h = 0;
	g->h = 2 * g->border + 1 + g->list_h + status + footer;
	if (g->h > rows)
		g->h = rows;
	g->y = (rows - g->h) / 2;
	g->x = (cols - g->w) / 2;
	pad = g->border && g->w >= 12;
	g->in_x = g->x + g->border + pad;
	g->in_w = g->w - 2 * (g->border + pad);
	g->filter_y = g->y + g->border;
	g->list_y = g->list_h > 0 ? g->filter_y + 1 : -1;
	g->status_y = status ? g->filter_y + 1 + g->list_h : -1;
	g->footer_y = footer ? g->filter_y + 1 + g->list_h + status : -1;
	list_resize(&p->list, g->list_h > 0 ? g->list_h : 1);
}

/* The flags for sanitize_fit on this terminal. */
static unsigned
picker_fit_flags(void)
{
	return term_utf8() ? 0 : SANITIZE_ASCII;
}

/* Draws n bytes of s at y, x in attr; the column after them. */
static int
picker_put(WINDOW *w, int y, int x, const char *s, size_t n, attr_t attr)
{
	char *part;
	int width;

	if (n == 0)
		return x;
	part = xstrndup(s, n);
	width = sanitize_width(part);
	wattrset(w, attr);
	mvwaddstr(w, y, x, part);
	free(part);
	return x + width;
}

/*
 * Draws sanitised text cut to width at y, x, with bytes [ms, me) in
 * mattr and the rest in attr; an ellipsis marks a cut. The column after.
 */
static int
picker_put_match(WINDOW *w, int y, int x, int width, const char *s, size_t ms,
                 size_t me, attr_t attr, attr_t mattr)
{
	bool ascii = !term_utf8();
	const char *dots = ascii ? "..." : "\u2026";
	int dots_w = ascii ? 3 : 1;
	size_t n = strlen(s);
	bool cut = false;

	if (width <= 0)
		return x;
	if (sanitize_width(s) > width) {
		cut = width > dots_w;
		n = sanitize_prefix(s, cut ? width - dots_w : width, NULL);
	}
	if (ms > n)
		ms = n;
	if (me > n)
		me = n;
	x = picker_put(w, y, x, s, ms, attr);
	x = picker_put(w, y, x, s + ms, me - ms, mattr);
	x = picker_put(w, y, x, s + me, n - me, attr);
	if (cut)
		x = picker_put(w, y, x, dots, strlen(dots), attr);
	return x;
}

/* One item row: the label, then the detail dimmed, matches highlighted. */
static void
picker_draw_row(void *ud, void *win, int y, size_t i, int width, bool selected,
                bool marked)
{
	struct picker *p = ud;
	const struct picker_item *it = &p->items[p->shown[i]];
	WINDOW *w = win;
	attr_t base =
	    (attr_t)theme_attr(selected ? THEME_SELECTED : THEME_NORMAL);
	attr_t dim = selected ? base : (attr_t)theme_attr(THEME_DIM);
	attr_t match = selected ? base | A_UNDERLINE | A_BOLD
	                        : (attr_t)theme_attr(THEME_MATCH);
	int row = p->g.list_y + y, x = p->g.in_x, lw = width;
	size_t ms = 0, me = 0;

	mvwhline(w, row, x, ' ' | base, width);
	if (it->detail != NULL && it->detail[0] != '\0' && width >= 20)
		lw = width * 3 / 5;
	if (!picker_find(it->label, p->filter, &ms, &me))
		ms = me = 0;
	x = picker_put_match(w, row, x, lw, it->label, ms, me, base, match);
	if (lw < width) {
		ms = me = 0;
		if (!picker_find(it->detail, p->filter, &ms, &me))
			ms = me = 0;
		x = p->g.in_x + lw + 2;
		picker_put_match(w, row, x, width - lw - 2, it->detail, ms, me,
		                 dim, match);
	}
	wattrset(w, A_NORMAL);
}

/* Fills the box with blanks and draws its border. */
static void
picker_draw_frame(WINDOW *w, const struct picker_geom *g)
{
	int y;

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
}

/* The title and the "3/12" count, in the top border. */
static void
picker_draw_title(struct picker *p, WINDOW *w)
{
	const struct picker_geom *g = &p->g;
	char count[48], *fit;
	int cw, room;

	if (!g->border || g->w < 8)
		return;
	snprintf(count, sizeof count, " %zu/%zu ", p->nshown, p->n);
	cw = (int)strlen(count);
	if (cw > g->w - 4)
		cw = 0;
	room = g->w - 4 - cw - 2;
	fit = sanitize_fit(p->title, room, picker_fit_flags());
	if (fit[0] != '\0') {
		wattrset(w, (attr_t)theme_attr(THEME_TITLE));
		mvwprintw(w, g->y, g->x + 2, " %s ", fit);
	}
	free(fit);
	wattrset(w, (attr_t)theme_attr(THEME_DIM));
	if (cw > 0)
		mvwaddstr(w, g->y, g->x + g->w - 2 - cw, count);
	wattrset(w, A_NORMAL);
}

/* The end of s that fits in width columns (the end is what was typed). */
static const char *
picker_tail(const char *s, int width)
{
	size_t len;

	while (*s != '\0' && sanitize_width(s) > width) {
		picker_decode(s, &len);
		s += len;
	}
	return s;
}

/* "> text_": the filter, its tail when long, and a cursor mark. */
static void
picker_draw_filter(struct picker *p, WINDOW *w)
{
	const struct picker_geom *g = &p->g;
	char *clean = sanitize_str(p->filter, SANITIZE_TABS_AS_SPACE);
	const char *tail;
	int x = g->in_x, room;

	if (g->in_w >= 3)
		x = picker_put(w, g->filter_y, x, "> ", 2,
		               (attr_t)theme_attr(THEME_TITLE));
	room = g->in_w - (x - g->in_x) - 1; /* one column for the cursor */
	if (room >= 1) {
		tail = picker_tail(clean, room);
		x = picker_put(w, g->filter_y, x, tail, strlen(tail), A_NORMAL);
		picker_put(w, g->filter_y, x, "_", 1, A_BLINK);
	}
	wattrset(w, A_NORMAL);
	free(clean);
}

/* A line of text in item, cut to the inner width. */
static void
picker_draw_line(struct picker *p, WINDOW *w, int y, const char *text,
                 enum theme_item item)
{
	char *fit;

	if (y < 0)
		return;
	fit = sanitize_fit(text, p->g.in_w, picker_fit_flags());
	picker_put(w, y, p->g.in_x, fit, strlen(fit), (attr_t)theme_attr(item));
	wattrset(w, A_NORMAL);
	free(fit);
}

/* The list rows, or why there are none. */
static void
picker_draw_list(struct picker *p, WINDOW *w)
{
	const char *why;

	if (p->g.list_y < 0)
		return;
	if (p->nshown > 0) {
		list_draw(&p->list, w, p->g.in_w);
		return;
	}
	why = p->loading  ? "loading..."
	      : p->n == 0 ? "(nothing to choose)"
	                  : "no matches";
	picker_draw_line(p, w, p->g.list_y, why, THEME_DIM);
}

static void
picker_ops_draw(void *state, void *win, int rows, int cols)
{
	struct picker *p = state;
	WINDOW *w = win;

	picker_layout(p, rows, cols);
	if (p->g.h <= 0 || p->g.in_w <= 0)
		return;
	picker_draw_frame(w, &p->g);
	picker_draw_title(p, w);
	picker_draw_filter(p, w);
	picker_draw_list(p, w);
	if (p->g.status_y >= 0)
		picker_draw_line(p, w, p->g.status_y,
		                 p->error != NULL ? p->error : "loading...",
		                 p->error != NULL ? THEME_ERROR : THEME_DIM);
	picker_draw_line(p, w, p->g.footer_y,
	                 term_utf8()
	                     ? "Enter choose \u00b7 Esc cancel \u00b7 type "
	                       "to filter"
	                     : "Enter choose - Esc cancel - type to filter",
	                 THEME_DIM);
}

static void
picker_ops_free(void *state)
{
	picker_free(state);
}

static void
picker_ops_resize(void *state, int rows, int cols)
{
	picker_layout(state, rows, cols);
}

/* Mouse wheel and `:` commands: move, choose, cancel. */
static enum view_result
picker_ops_action(void *state, enum action a, const char *args)
{
	struct picker *p = state;

	if (p->done)
		return VIEW_UNHANDLED;
	switch (a) {
	case ACTION_SUBMIT:
	case ACTION_OPEN:
		return picker_choose(p) == PICKER_NONE ? VIEW_HANDLED
		                                       : VIEW_REDRAW;
	case ACTION_BACK:
	case ACTION_QUIT:
		picker_finish(p, false);
		return VIEW_REDRAW;
	default:
		break;
	}
	switch (picker_move(p, a)) {
	case PICKER_REDRAW:
		return VIEW_REDRAW;
	default:
		return a >= ACTION_DOWN && a <= ACTION_BOTTOM ? VIEW_HANDLED
		                                              : VIEW_UNHANDLED;
	}
}

/* A click on a row selects it; a click on the selected row chooses it. */
static enum view_result
picker_ops_click(void *state, int row, int col)
{
	struct picker *p = state;
	const struct picker_geom *g = &p->g;
	size_t before = p->list.cursor;

	if (p->done || g->list_y < 0 || row < g->list_y ||
	    row >= g->list_y + g->list_h || col < g->x || col >= g->x + g->w)
		return VIEW_UNHANDLED;
	if (!list_select_visible(&p->list, row - g->list_y))
		return VIEW_HANDLED;
	p->want = false;
	if (p->list.cursor == before)
		picker_choose(p);
	return VIEW_REDRAW;
}

/*
 * Every key comes here before the bindings. Text, Tab and Meta keys
 * stay the picker's even when they change nothing, so a `q` or a `1`
 * cannot quit or switch panes (closing the picker unanswered); control
 * and function keys (C-l, C-z, F5) go on to the bindings.
 */
static enum view_result
picker_ops_key(void *state, key_code key)
{
	struct picker *p = state;

	if (picker_key(p, key) != PICKER_NONE)
		return VIEW_REDRAW;
	if (picker_is_text(key) || key == KEYC_TAB || key == KEYC_BTAB ||
	    (key & KEYC_META) || key == KEYC_ENTER || key == '\n' ||
	    key == KEYC_BACKSPACE || key == KEY_CTRL('h') ||
	    key == KEY_CTRL('u') || picker_key_action(key) != ACTION_NONE)
		return VIEW_HANDLED;
	return VIEW_UNHANDLED;
}

/* Text keys are the picker's own; the input table is the fallback. */
static enum key_context
picker_ops_context(void *state)
{
	return KEYCTX_INPUT;
}

/* The hint bar: typing filters, the input table does the rest. */
static const struct hint picker_hints[] = {
	{ ACTION_NONE, ACTION_NONE, "type to filter" },
	{ ACTION_SUBMIT, ACTION_NONE, "choose" },
	{ ACTION_BACK, ACTION_NONE, "cancel" },
	{ ACTION_NONE, ACTION_NONE, NULL },
};

const struct view_ops picker_ops = {
	.name = "Picker",
	.title = "Picker",
	.free = picker_ops_free,
	.resize = picker_ops_resize,
	.draw = picker_ops_draw,
	.action = picker_ops_action,
	.click = picker_ops_click,
	.key = picker_ops_key,
	.context = picker_ops_context,
	.hints = { [KEYCTX_INPUT] = picker_hints },
};
