/* Virtual list: cursor, scrolling, marks and search over callbacks. */
#include "tui/list.h"

#include <stdlib.h>

#include "net/base/xmalloc.h"

/* Rows from the end at which the pane should fetch the next page. */
#define LIST_PREFETCH 20

void
list_init(struct list *l, const struct list_ops *ops, void *ud)
{
	*l = (struct list){ .ops = ops, .ud = ud, .height = 1 };
}

void
list_free(struct list *l)
{
	free(l->marks);
	l->marks = NULL;
	l->nmarks = 0;
	free(l->drawn);
	l->drawn = NULL;
	l->ndrawn = 0;
}

/* Keeps cursor within the rows and top such that cursor is visible. */
static void
clamp(struct list *l)
{
	size_t n = l->ops->count(l->ud);
	size_t h = l->height > 0 ? (size_t)l->height : 1;

	if (n == 0) {
		l->cursor = l->top = 0;
		return;
	}
	if (l->cursor >= n)
		l->cursor = n - 1;
	if (l->cursor < l->top)
		l->top = l->cursor;
	if (l->cursor >= l->top + h)
		l->top = l->cursor - h + 1;
	/* Do not leave empty space below the last row when it can fill. */
	if (l->top + h > n)
		l->top = n > h ? n - h : 0;
}

/* Moves the cursor by delta rows, clamped to the list. */
static void
move_by(struct list *l, long long delta)
{
	long long n = (long long)l->ops->count(l->ud);
	long long c = (long long)l->cursor + delta;

	if (c >= n)
		c = n - 1;
	if (c < 0)
		c = 0;
	l->cursor = (size_t)c;
}

enum list_result
list_action(struct list *l, enum action a)
{
	size_t before = l->cursor, top = l->top, n;
	long long page = l->height > 1 ? l->height - 1 : 1;

	switch (a) {
	case ACTION_DOWN:
		move_by(l, 1);
		break;
	case ACTION_UP:
		move_by(l, -1);
		break;
	case ACTION_PAGE_DOWN:
		move_by(l, page);
		break;
	case ACTION_PAGE_UP:
		move_by(l, -page);
		break;
	case ACTION_HALF_DOWN:
		move_by(l, (page + 1) / 2);
		break;
	case ACTION_HALF_UP:
		move_by(l, -(page + 1) / 2);
		break;
	case ACTION_TOP:
		l->cursor = 0;
		break;
	case ACTION_BOTTOM:
		move_by(l, (long long)l->ops->count(l->ud));
		break;
	default:
		return LIST_UNHANDLED;
	}
	clamp(l);
	n = l->ops->count(l->ud);
	if (n > 0 && l->cursor + LIST_PREFETCH >= n)
		return LIST_NEAR_END;
	return l->cursor != before || l->top != top ? LIST_MOVED : LIST_SAME;
}

enum view_result
list_view_result(enum list_result r)
{
	if (r == LIST_UNHANDLED)
		return VIEW_UNHANDLED;
	return r == LIST_SAME ? VIEW_HANDLED : VIEW_REDRAW;
}

void
list_resize(struct list *l, int height)
{
	l->height = height > 0 ? height : 1;
	clamp(l);
}

void
list_changed(struct list *l)
{
	clamp(l);
}

bool
list_select_id(struct list *l, long long id)
{
	size_t i, n = l->ops->count(l->ud);

	for (i = 0; i < n; i++) {
		if (l->ops->id_at(l->ud, i) == id) {
			l->cursor = i;
			clamp(l);
			return true;
		}
	}
	return false;
}

bool
list_select_visible(struct list *l, int y)
{
	size_t i = l->top + (size_t)y;

	if (y < 0 || y >= l->height || i >= l->ops->count(l->ud))
		return false;
	l->cursor = i;
	return true;
}

long long
list_selected_id(const struct list *l)
{
	if (l->ops->count(l->ud) == 0)
		return -1;
	return l->ops->id_at(l->ud, l->cursor);
}

bool
list_search(struct list *l, const char *needle, int dir)
{
	size_t n = l->ops->count(l->ud), i, step;

	if (l->ops->matches == NULL || n == 0 || needle == NULL)
		return false;
	/* Wraps around once, starting from the row after the cursor. */
	for (step = 1; step <= n; step++) {
		i = (l->cursor + n + (dir > 0 ? step : n - step % n)) % n;
		if (l->ops->matches(l->ud, i, needle)) {
			l->cursor = i;
			clamp(l);
			return true;
		}
	}
	return false;
}

bool
list_is_marked(const struct list *l, long long id)
{
	size_t i;

	for (i = 0; i < l->nmarks; i++)
		if (l->marks[i] == id)
			return true;
	return false;
}

void
list_toggle_mark(struct list *l)
{
	long long id = list_selected_id(l);
	size_t i;

	if (id < 0)
		return;
	for (i = 0; i < l->nmarks; i++) {
		if (l->marks[i] == id) {
			l->marks[i] = l->marks[--l->nmarks];
			return;
		}
	}
	l->marks = xgrowarray(l->marks, l->nmarks, sizeof *l->marks);
	l->marks[l->nmarks++] = id;
}

void
list_clear_marks(struct list *l)
{
	l->nmarks = 0;
}

void
list_forget(struct list *l)
{
	int y;

	for (y = 0; y < l->ndrawn; y++)
		l->drawn[y] = 0;
}

/* Whether row i is marked (no id lookup while nothing is). */
static bool
row_marked(const struct list *l, size_t i)
{
	return l->nmarks > 0 && list_is_marked(l, l->ops->id_at(l->ud, i));
}

/* Draws row i at line y unless that line shows it as it is already. */
static void
draw_line(struct list *l, void *win, int y, size_t i, int width)
{
	bool sel = i == l->cursor, marked = row_marked(l, i);
	unsigned long long sig;

	if (l->ops->row_sig == NULL) {
		l->ops->draw_row(l->ud, win, y, i, width, sel, marked);
		return;
	}
	/* 0 means "unknown": a row that hashes to it is always drawn. */
	sig = l->ops->row_sig(l->ud, i, sel, marked) ^ (unsigned)width;
	if (sig != 0 && l->drawn[y] == sig)
		return;
	l->ops->draw_row(l->ud, win, y, i, width, sel, marked);
	l->drawn[y] = sig;
}

/* Sizes the record of drawn lines to the height; new lines unknown. */
static void
drawn_fit(struct list *l)
{
	int y;

	if (l->ndrawn == l->height)
		return;
	l->drawn = xreallocarray(l->drawn, (size_t)l->height, sizeof *l->drawn);
	for (y = l->ndrawn; y < l->height; y++)
		l->drawn[y] = 0;
	l->ndrawn = l->height;
}

void
list_draw(struct list *l, void *win, int width)
{
	size_t n = l->ops->count(l->ud), i;
	int y;

	clamp(l);
	if (l->ops->row_sig != NULL)
		drawn_fit(l);
	for (y = 0, i = l->top; y < l->height && i < n; y++, i++)
		draw_line(l, win, y, i, width);
	/* Lines a longer list left: blanked once, then known blank. */
	for (; l->ops->row_sig != NULL && y < l->height; y++) {
		if (l->drawn[y] != 0)
			l->ops->clear_row(l->ud, win, y);
		l->drawn[y] = 0;
	}
}
