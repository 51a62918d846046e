/* The one list behaviour every pane shares: virtual scrolling etc. */
#ifndef SITECARE_TUI_LIST_H
#define SITECARE_TUI_LIST_H

#include <stdbool.h>
#include <stddef.h>

#include "keymaps/action.h"
#include "tui/view.h"

/*
 * A list knows only how many rows there are and which one is selected;
 * the pane owns the rows and draws one when asked. Only the visible rows
 * are ever drawn, so 100,000 rows cost what 100 do (tmux mode-tree.c).
 * Marks (for bulk actions) are kept by row id, so they survive rows
 * moving when the list is re-sorted or updated live.
 */
struct list_ops {
	/* How many rows exist now. */
	size_t (*count)(void *ud);
	/* A stable id for row i (a task id, say), for marks and tracking. */
	long long (*id_at)(void *ud, size_t i);
	/* Draws row i at screen row y, width columns wide. */
	void (*draw_row)(void *ud, void *win, int y, size_t i, int width,
	                 bool selected, bool marked);
	/* True when row i matches the search text (for n / N); optional. */
	bool (*matches)(void *ud, size_t i, const char *needle);
	/*
	 * Optional, with clear_row: a hash of all that row i shows (its
	 * text, attributes, selected, marked). A row whose hash is the one
	 * it had when last drawn at the same line is not drawn again, so a
	 * cursor move formats two rows, not a screenful.
	 */
	unsigned long long (*row_sig)(void *ud, size_t i, bool selected,
	                              bool marked);
	/* Blanks screen row y, where a row was and none is now. */
	void (*clear_row)(void *ud, void *win, int y);
};

struct list {
	const struct list_ops *ops;
	void *ud;
	size_t top;       /* first visible row */
	size_t cursor;    /* selected row */
	int height;       /* visible rows */
	long long *marks; /* ids of marked rows, unordered */
	size_t nmarks;
	/* With row_sig: what each screen line shows now (0: unknown or
	 * blank), valid while the window keeps what the list drew. */
	unsigned long long *drawn;
	int ndrawn;
};

enum list_result {
	LIST_UNHANDLED, /* not a list action */
	LIST_MOVED,     /* cursor or view moved: redraw */
	LIST_SAME,      /* a list action that changed nothing */
	LIST_NEAR_END,  /* moved, and the cursor is near the last row:
	                 * fetch the next page if there is one */
};

void list_init(struct list *l, const struct list_ops *ops, void *ud);
void list_free(struct list *l);

/* Applies a movement action (down, up, pages, top, bottom). */
enum list_result list_action(struct list *l, enum action a);

/*
 * What list_action's result asks of the pane: VIEW_UNHANDLED for no list
 * action, VIEW_HANDLED when nothing changed, VIEW_REDRAW when it moved
 * (LIST_NEAR_END too: the pane fetches the next page first).
 */
enum view_result list_view_result(enum list_result r);

/* Sets the visible height and keeps the cursor on screen. */
void list_resize(struct list *l, int height);

/* Re-clamps after the row count changed (live updates, new pages). */
void list_changed(struct list *l);

/* Moves the cursor to the row with id, if present; returns success. */
bool list_select_id(struct list *l, long long id);

/* Selects the row drawn at visible line y; false when none is there. */
bool list_select_visible(struct list *l, int y);

/* The selected row's id, or -1 when the list is empty. */
long long list_selected_id(const struct list *l);

/* Finds the next (dir 1) or previous (dir -1) row matching needle. */
bool list_search(struct list *l, const char *needle, int dir);

/* Marks or unmarks the selected row (space in tig or mutt). */
void list_toggle_mark(struct list *l);
bool list_is_marked(const struct list *l, long long id);
void list_clear_marks(struct list *l);

/*
 * Draws the visible rows into win (a curses WINDOW), width columns. With
 * row_sig, only the lines whose row changed since the last draw: the
 * pane calls list_forget first when the window no longer shows what
 * the list drew (a new or erased window, another pane, an overlay).
 */
void list_draw(struct list *l, void *win, int width);

/* The window's lines are unknown: the next list_draw draws them all. */
void list_forget(struct list *l);

#endif
