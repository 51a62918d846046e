/* A scrollable page of text drawn over the pane: help and checkhealth. */
#ifndef SITECARE_TUI_OVERLAY_H
#define SITECARE_TUI_OVERLAY_H

#include <stddef.h>

#include "keymaps/action.h"
#include "tui/theme.h"
#include "tui/view.h"

/*
 * An overlay page is a title and lines, each with a meaning for its
 * colour, scrolled by the detail keys. Every line is sanitised when it is
 * added, so callers may quote environment or server text freely. Building
 * the lines needs no terminal (unit tests read them back); only
 * overlay_text_draw() touches curses.
 */
struct overlay_line {
	char *text; /* sanitised */
	enum theme_item item;
};

struct overlay_text {
	char *title; /* sanitised */
	struct overlay_line *lines;
	size_t n, cap;
	size_t top; /* first visible line */
	int rows;   /* body rows at the last draw, for paging */
};

/* Sets the title (formatted, sanitised), keeping the lines. */
void overlay_text_title(struct overlay_text *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Appends one line (formatted, sanitised) drawn as item. */
void overlay_text_add(struct overlay_text *o, enum theme_item item,
                      const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Drops every line (the title and the scroll position stay). */
void overlay_text_clear(struct overlay_text *o);

/* Frees what o owns and zeroes it. */
void overlay_text_free(struct overlay_text *o);

/* Scrolls for a movement action; VIEW_UNHANDLED for any other. */
enum view_result overlay_text_scroll(struct overlay_text *o, enum action a);

/*
 * Moves *top, the first line shown of a text rows high whose top may go
 * to max, for a movement action (down, up, pages, half pages, top,
 * bottom). False, with *top unchanged, for any other action.
 */
bool overlay_scroll_top(size_t *top, int rows, size_t max, enum action a);

/* Draws the title and the visible lines into win (a curses WINDOW). */
void overlay_text_draw(struct overlay_text *o, void *win, int rows, int cols);

#endif
