/* The one application state, and the events panes receive. */
#ifndef SITECARE_TUI_APP_H
#define SITECARE_TUI_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "keymaps/bindings.h"
#include "tui/cmdline.h"
#include "tui/view.h"

struct loop;
struct api;
struct cmdline;
struct sender;
struct notify;
struct config;
struct store;
struct sc_error;
struct messages;

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
		APP_EV_ATTENTION,  /* jump to id: the pane should select it */
		APP_EV_OUTBOX,     /* the outbox changed; data: a struct
		                      sender_report, or NULL for "look again" */
		APP_EV_CLIENT,     /* show client id: its tasks, its
		                      conversation (after app_goto) */
		APP_EV_HIDE,       /* hide every secret now: suspend, resize,
		                      the terminal given to another program */
		APP_EV_TERM_FOCUS, /* the terminal gained or lost the focus:
		                      see app->term_away */
	} kind;
	long long id;
	const void *data; /* a struct event_payload for APP_EV_SERVER */
};

/*
 * Text a pane asked the staff member for (a note, a reply): the line's
 * answer, or $EDITOR's. cb gets the text (malloc'd, cb owns it) with
 * submitted true; or, when the line was left without sending (Escape,
 * quitting), submitted false and what was typed so far (a draft to keep;
 * NULL when nothing was).
 */
typedef void (*app_text_cb)(void *ud, char *text, bool submitted);

struct app_text {
	app_text_cb cb; /* NULL: no text is being asked for */
	void *ud;
	char *help;           /* the $EDITOR template's comment lines */
	bool editor_wanted;   /* the loop starts $EDITOR on its next pass */
	char *editor_initial; /* ...with this text */
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
	/* What the client knows of the service's data (net/store/store.h):
	 * panes read it and are told what changed; they keep no copies. */
	struct store *store;
	struct bindings *bindings;
	struct cmdline *cmdline;
	bool readonly;
	bool quit;
	bool dirty; /* something must be redrawn this pass */

	/* Who is signed in is store->me (net/store/me_store.h), read
	 * there: nothing here copies it. */
	bool signed_in;
	long long last_input_ms; /* loop_now_ms() of the last key or click */
	/* The terminal reported losing the focus (and not regaining it):
	 * the staff member is looking elsewhere. False when the terminal
	 * reports nothing, so then the pane in front counts as seen. */
	bool term_away;
	bool term_focus_seen; /* the terminal has sent a focus report */
	unsigned long permissions;
	/* While the key the service holds for us (store->me) is not this
	 * machine's, the warning saying so: the status line shows it
	 * whenever no other notice does (tui/keycheck.h). */
	char *key_warning;

	struct pane panes[PANE_COUNT];
	enum pane_id current;
	/* Help, checkhealth, a picker or a question, drawn over the pane;
	 * state NULL when none. A closed overlay waits in overlay_old until
	 * the next loop pass, so an overlay's own callback may replace it. */
	struct pane overlay;
	struct pane overlay_old;

	/* Comments and replies: the durable outbox's sender (NULL until
	 * signed in, or when the outbox cannot be opened). */
	struct sender *sender;
	struct app_text text;
	/* A jump asked for by a pane (app_goto), done by the loop. */
	enum pane_id go_pane;
	long long go_client;      /* 0: none */
	long long go_task;        /* the task in hand when the jump came
	                             from one (credentials' purpose); 0 */
	const struct config *cfg; /* the settings, read at start */

	/* Desktop or terminal notifications (NULL: none). */
	struct notify *notify;

	/* The status line. */
	enum conn_state conn;
	int spinner;
	char *message; /* the last notice or error, sanitised */
	bool message_is_error;
	long long message_at; /* loop_now_ms() when set */
	/* Every message of the session, to read in full with :messages
	 * (tui/messages.h); NULL: none kept (unit tests). */
	struct messages *messages;
	int unread;
	bool unread_more; /* unread is a lower bound: shown "N+" */
	int marked;       /* the task list's marked rows (mutt's tagged) */
	bool hints_off;   /* the hint bar is turned off (tui/hints.h) */

	struct attention_item *attention;
	size_t nattention;
	long long attention_last; /* id of the item jumped to last */

	int rows, cols;
	void *tabwin, *statuswin;
	void *hintwin; /* NULL while the hint bar is hidden */
	/* Each pane draws into a window of its own, made when first shown
	 * and kept between switches, so a pane shown again is copied to the
	 * screen, not drawn again; panewin is the current pane's. */
	void *panewins[PANE_COUNT];
	void *panewin;
	/* Whether each pane's window holds its last frame, untouched since
	 * (false: new, erased, or an overlay or the sign-in form drew over
	 * it), and the pane last copied to the screen (-1: none)... */
	bool pane_held[PANE_COUNT];
	int pane_drawn;
	/* ...so, while a pane draws: true when its window holds its last
	 * frame, and it need only draw what changed since. */
	bool pane_kept;
	/* The hint bar's text as last drawn, and hashes (net/base/hash.h)
	 * of the tab bar's and the status line's: each is drawn again only
	 * when it changed (0, "": unknown, so drawn). */
	char hints_drawn[512];
	const void *hints_of; /* ...the entries and key context it is */
	int hints_ctx;        /* for: the bindings are set at start-up */
	uint64_t tabs_drawn, status_drawn;
};

/* The chat's unread total changed (the tab and the status line show
 * it, "N+" when more is known to be unread than was counted): set by the
 * chat pane, redrawn when it differs. */
void app_set_unread(struct app *app, long long n, bool more);

/* How many tasks are marked (the status line says "N marked" while any
 * are): set by the task list, redrawn when it differs. */
void app_set_marked(struct app *app, size_t n);

/* Shows a notice (or an error) in the status line, and keeps it in the
 * session's log; text is copied. */
void app_notice(struct app *app, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Keeps a message in the session's log (app->messages) without showing
 * it in the status line: for errors shown elsewhere (the sign-in form). */
void app_log(struct app *app, bool error, const char *text);

/*
 * A pane's request failed: *error, the text the pane shows in its place
 * (the one before is freed), becomes the service's message, sanitised,
 * and the status line says "what: message".
 */
void app_request_failed(struct app *app, char **error, const char *what,
                        const struct sc_error *err);

/* Replaces pane's attention items with items (ids and labels copied). */
void app_attention_set(struct app *app, enum pane_id pane,
                       const struct attention_item *items, size_t n);

/* Moves to the next attention item after the current one, across panes. */
bool app_attention_next(struct app *app);

/* Shows an overlay over the pane (replacing any other). */
void app_overlay_open(struct app *app, const struct view_ops *ops, void *state);
/* Closes the overlay if state is the one shown (NULL: whichever). */
void app_overlay_close(struct app *app, void *state);
/* Frees closed overlays; the loop calls it between passes. */
void app_overlay_reap(struct app *app);

/*
 * Asks for text on the line at the bottom (kind CMDLINE_COMMENT or
 * CMDLINE_REPLY: kept in memory only), with prompt in the alert colour
 * when alert. C-x C-e on the line moves the text to $EDITOR, with help
 * as the template's comment. cb gets the result.
 */
void app_text_line(struct app *app, enum cmdline_kind kind, const char *prompt,
                   bool alert, const char *initial, const char *help,
                   app_text_cb cb, void *ud);
/* Asks for text in $EDITOR straight away. */
void app_text_editor(struct app *app, const char *initial, const char *help,
                     app_text_cb cb, void *ud);
/* Hands the result to the asker (text taken, may be NULL). */
void app_text_done(struct app *app, char *text, bool submitted);

/*
 * Switches to pane and tells it APP_EV_CLIENT with client_id (billing's
 * "this client's tasks / conversation"), on the loop's next pass.
 */
void app_goto(struct app *app, enum pane_id pane, long long client_id);
/* The same, from task task_id in hand (the credentials' reveal purpose). */
void app_goto_from_task(struct app *app, enum pane_id pane, long long client_id,
                        long long task_id);
/* The task a jump came from (app_goto_from_task), once: the pane that
 * receives the APP_EV_CLIENT takes it, and the next jump starts clear. */
long long app_take_go_task(struct app *app);

/* Asks for a redraw on the next loop pass. */
void app_redraw(struct app *app);

#endif
