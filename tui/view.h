/* The one small interface every pane implements. */
#ifndef SITECARE_TUI_VIEW_H
#define SITECARE_TUI_VIEW_H

#include <stdbool.h>

#include "keymaps/action.h"
#include "keymaps/bindings.h"

struct app;
struct app_event;
struct hint;

/* What a handler wants to happen next (htop's HandlerResult). */
enum view_result {
	VIEW_UNHANDLED, /* not mine: let the frame try */
	VIEW_HANDLED,   /* done, nothing to redraw */
	VIEW_REDRAW,    /* redraw this pane */
	VIEW_QUIT,      /* the program should quit */
};

/*
 * A pane, in the style of tmux's struct window_mode: a table of
 * operations with designated initialisers and its private state behind
 * an opaque pointer. The frame owns the curses window (passed as void *
 * so views can be built without curses in their headers); the view draws
 * into it only in draw(), and the frame refreshes once per loop pass.
 */
struct view_ops {
	const char *name;  /* "Tasks" */
	const char *title; /* for the tab bar */
	/* The permission bit that shows this pane's tab (0: always). */
	unsigned long permission;
	void *(*open)(struct app *app);
	void (*free)(void *state);
	void (*resize)(void *state, int rows, int cols);
	void (*draw)(void *state, void *win, int rows, int cols);
	enum view_result (*action)(void *state, enum action a,
	                           const char *args);
	enum view_result (*event)(void *state, const struct app_event *ev);
	void (*focus)(void *state, bool focused);
	/* A mouse click at row, col of the pane's window; optional. */
	enum view_result (*click)(void *state, int row, int col);
	/*
	 * A key before any binding sees it; optional. Panes that take text
	 * (a picker's filter) return VIEW_UNHANDLED for keys the bindings
	 * should have.
	 */
	enum view_result (*key)(void *state, key_code key);
	/* Which key table applies now (list, detail, input...). */
	enum key_context (*context)(void *state);
	/* The hint bar's entries in each key context the pane uses
	 * (tui/hints.h); NULL: the context's own. */
	const struct hint *hints[KEYCTX_COUNT];
	/*
	 * The actions only this pane serves, ended by ACTION_NONE (NULL:
	 * none): the help shows them only while the pane's tab shows, so
	 * a role sees what it can do and nothing else.
	 */
	const enum action *own_actions;
};

#endif
