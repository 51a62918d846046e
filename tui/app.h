/* The one application state, and the events panes receive. */
#ifndef SITECARE_TUI_APP_H
#define SITECARE_TUI_APP_H

#include <stdbool.h>
#include <stddef.h>

#include "keymaps/bindings.h"
#include "tui/view.h"

struct loop;
struct api;
struct cmdline;

/* The panes, in tab order; each digit stays bound to its own pane. */
enum pane_id {
	PANE_TASKS,
	PANE_CHAT,
	PANE_CREDENTIALS,
	PANE_BILLING,
	PANE_COUNT,
};

/* The connection state shown in the status line. */
enum conn_state {
	CONN_OFFLINE,
	CONN_CONNECTING,
	CONN_ONLINE,
	CONN_RECONNECTING,
};

/* Something a pane flags for the staff member's attention. */
struct attention_item {
	enum pane_id pane;
	long long id; /* the pane's own id: a task, a conversation... */
	char *label;  /* sanitised, for the status line */
};

/* What panes are told about (beyond keys): data arrived, time passed. */
struct app_event {
	enum {
		APP_EV_SIGNED_IN,
		APP_EV_SESSION_EXPIRED,
		APP_EV_SERVER, /* a live server event; see data */
		APP_EV_RESYNC,
		APP_EV_TICK,
		APP_EV_ATTENTION, /* jump to id: the pane should select it */
	} kind;
	long long id;
	const void *data; /* a struct event_payload for APP_EV_SERVER */
};

/* A pane slot: its operations, its state, whether its tab shows. */
struct pane {
	const struct view_ops *ops;
	void *state;
	bool visible;
};

/*
 * Everything the running program knows, in one place (the house style
 * allows no other globals). The frame owns the curses windows; panes get
 * their window only in draw().
 */
struct app {
	struct loop *loop;
	struct api *api;
	struct bindings *bindings;
	struct cmdline *cmdline;
	bool readonly;
	bool quit;
	bool dirty; /* something must be redrawn this pass */

	/* Who is signed in. */
	bool signed_in;
	char *me_name, *me_email, *me_role;
	unsigned long permissions;

	struct pane panes[PANE_COUNT];
	enum pane_id current;
	/* Help or checkhealth, drawn over the pane; state NULL when none. */
	struct pane overlay;

	/* The status line. */
	enum conn_state conn;
	int spinner;
	char *message; /* the last notice or error, sanitised */
	bool message_is_error;
	long long message_at; /* loop_now_ms() when set */
	int unread;

	struct attention_item *attention;
	size_t nattention;
	long long attention_last; /* id of the item jumped to last */

	int rows, cols;
	void *tabwin, *panewin, *statuswin;
};

/* Shows a notice (or an error) in the status line; text is copied. */
void app_notice(struct app *app, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Replaces pane's attention items with items (ids and labels copied). */
void app_attention_set(struct app *app, enum pane_id pane,
                       const struct attention_item *items, size_t n);

/* Moves to the next attention item after the current one, across panes. */
bool app_attention_next(struct app *app);

/* Asks for a redraw on the next loop pass. */
void app_redraw(struct app *app);

#endif
