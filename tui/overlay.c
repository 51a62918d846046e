/* A scrollable page of text drawn over the pane: help and checkhealth. */
#include "tui/overlay.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/base/xmalloc.h"
#include "tui/sanitize.h"
#include "tui/term.h"

/* Formats into a malloc'd string and sanitises it. */
static char *
overlay_format(const char *fmt, va_list ap)
{
	char *raw, *clean;
	va_list again;
	int len;

	va_copy(again, ap);
	len = vsnprintf(NULL, 0, fmt, again);
	va_end(again);
	raw = xmalloc(len > 0 ? (size_t)len + 1 : 1);
	vsnprintf(raw, len > 0 ? (size_t)len + 1 : 1, fmt, ap);
	clean = sanitize_str(raw, SANITIZE_TABS_AS_SPACE);
	free(raw);
	return clean;
}

void
overlay_text_title(struct overlay_text *o, const char *fmt, ...)
{
	va_list ap;

	free(o->title);
	va_start(ap, fmt);
	o->title = overlay_format(fmt, ap);
	va_end(ap);
}

void
overlay_text_add(struct overlay_text *o, enum theme_item item, const char *fmt,
                 ...)
{
	va_list ap;

	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 32;
		o->lines = xreallocarray(o->lines, o->cap, sizeof *o->lines);
	}
	va_start(ap, fmt);
	o->lines[o->n].text = overlay_format(fmt, ap);
	va_end(ap);
	o->lines[o->n++].item = item;
}

void
overlay_text_clear(struct overlay_text *o)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		free(o->lines[i].text);
	o->n = 0;
}

void
overlay_text_free(struct overlay_text *o)
{
	overlay_text_clear(o);
	free(o->lines);
	free(o->title);
	memset(o, 0, sizeof *o);
}

/* The largest top line that still fills the page. */
static size_t
overlay_max_top(const struct overlay_text *o)
{
	size_t page = o->rows > 0 ? (size_t)o->rows : 1;

	return o->n > page ? o->n - page : 0;
}

bool
overlay_scroll_top(size_t *top, int rows, size_t max, enum action a)
{
	size_t page = rows > 1 ? (size_t)rows - 1 : 1;
	size_t half = (page + 1) / 2, t = *top;

	switch (a) {
	case ACTION_DOWN:
		t++;
		break;
	case ACTION_UP:
		t = t > 0 ? t - 1 : 0;
		break;
	case ACTION_PAGE_DOWN:
	case ACTION_HALF_DOWN:
		t += a == ACTION_PAGE_DOWN ? page : half;
		break;
	case ACTION_PAGE_UP:
	case ACTION_HALF_UP: {
		size_t by = a == ACTION_PAGE_UP ? page : half;

		t = t > by ? t - by : 0;
		break;
	}
	case ACTION_TOP:
		t = 0;
		break;
	case ACTION_BOTTOM:
		t = max;
		break;
	default:
		return false;
	}
	*top = t > max ? max : t;
	return true;
}

enum view_result
overlay_text_scroll(struct overlay_text *o, enum action a)
{
	size_t old = o->top;

	if (!overlay_scroll_top(&o->top, o->rows, overlay_max_top(o), a))
		return VIEW_UNHANDLED;
	return o->top != old ? VIEW_REDRAW : VIEW_HANDLED;
}

/* One line, cut to the width, in its theme item. */
static void
overlay_draw_line(WINDOW *w, int y, const char *text, enum theme_item item,
                  int cols)
{
	char *fit =
	    sanitize_fit(text, cols - 1, term_utf8() ? 0 : SANITIZE_ASCII);

	wattrset(w, (attr_t)theme_attr(item));
	mvwaddstr(w, y, 1, fit);
	wattrset(w, A_NORMAL);
	free(fit);
}

void
overlay_text_draw(struct overlay_text *o, void *win, int rows, int cols)
{
	WINDOW *w = win;
	char where[48];
	int y;

	werase(w); /* a whole page: nothing of the pane shows through */
	o->rows = rows - 2; /* the title and the position line */
	if (o->rows < 1)
		o->rows = 1;
	if (o->top > overlay_max_top(o))
		o->top = overlay_max_top(o);
	overlay_draw_line(w, 0, o->title != NULL ? o->title : "", THEME_TITLE,
	                  cols);
	for (y = 0; y < o->rows && o->top + (size_t)y < o->n; y++) {
		const struct overlay_line *l = &o->lines[o->top + (size_t)y];

		overlay_draw_line(w, y + 1, l->text, l->item, cols);
	}
	snprintf(where, sizeof where,
	         "lines %zu-%zu of %zu; Escape or q closes",
	         o->n ? o->top + 1 : 0, o->top + (size_t)y, o->n);
	overlay_draw_line(w, rows - 1, where, THEME_DIM, cols);
}
