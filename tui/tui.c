/*
 * The terminal interface: sets up the one application state, runs the
 * event loop until quit, and always puts the terminal back.
 */
#include "tui/tui.h"

#include <curses.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "net/client/api.h"
#include "net/client/events.h"
#include "net/base/clock.h"
#include "net/base/loop.h"
#include "net/store/me_store.h"
#include "net/store/store.h"
#include "net/store/outbox.h"
#include "net/base/paths.h"
#include "net/base/secret.h"
#include "net/store/sender.h"
#include "net/base/trace.h"
#include "net/base/xmalloc.h"
#include "net/base/utf8.h"
#include "tui/action_words.h"
#include "tui/app.h"
#include "tui/ask.h"
#include "tui/cmdline.h"
#include "tui/command.h"
#include "tui/editor.h"
#include "tui/frame.h"
#include "tui/health.h"
#include "tui/help.h"
#include "tui/hints.h"
#include "tui/keycheck.h"
#include "tui/login.h"
#include "tui/messages.h"
#include "tui/notify.h"
#include "tui/panes.h"
#include "tui/term.h"
#include "tui/term_check.h"
#include "tui/theme.h"

/*
 * The loop wakes on a timer only when something on screen moves: once a
 * second while the spinner turns, else once a minute for relative ages.
 * An idle, connected client therefore sleeps in poll() between events.
 */
#define TICK_FAST_MS 1000
#define TICK_SLOW_MS 60000
/* Offline at start with a saved session: tries again after at most 1, 2,
 * 4 ... seconds, never waiting longer than this; each wait is spread into
 * its last half (as the event stream's), so that clients started together
 * against a service that is down do not all come back at once. */
#define RETRY_MAX_MS 30000

/* What the TUI holds beyond the application state. */
struct tui {
	struct app app;
	struct login_form *login; /* non-NULL while signing in */
	struct events *events;    /* the live stream, from sign-in on */
	bool stream_lost;         /* reconnecting since it was last online */
	unsigned tick;            /* the pending tick timer */
	struct outbox *outbox;
	bool placed; /* the start pane was chosen (at the first sign-in) */
	struct api_req *pending_me;
	int retry_failures; /* GET /me failed in a row, offline at start */
	bool was_offline;
	char *history_path;
	const struct cmd_ctx *ctx; /* for :checkhealth's config findings */
	struct editor *editor;     /* $EDITOR owns the terminal while set */
	/* A bracketed paste being received: its text, until PASTE_END. */
	bool pasting;
	char *paste;
	size_t npaste;
	char *paste_wait; /* a long paste waiting for its confirmation */
	/* How the action being run was asked for, to speak of it in the
	 * member's terms: the key pressed (KEYC_NONE: none), or typed. */
	key_code action_key;
	bool action_typed;
};

/* q asks first when a reply waiting in the outbox is younger than this:
 * Enter then q in a hurry may not mean "leave it unsent". */
#define QUIT_ASK_SECONDS 10

/* A paste of more lines than this into a reply or note asks first. */
#define PASTE_CONFIRM_LINES 3
/* Pastes are cut at this size (a reply is at most 10,000 characters). */
#define PASTE_MAX (64 * 1024)

static void tui_signed_in(struct tui *t, struct me *me);
static void tui_schedule_tick(struct tui *t);
static void tui_editor_reap(struct tui *t);

static void tui_broadcast(struct tui *t, const struct app_event *ev);

/* What became of a comment or reply: panes update, failures are said. */
static void
on_sender_report(const struct sender_report *r, void *ud)
{
	struct tui *t = ud;
	struct app_event ev = { .kind = APP_EV_OUTBOX, .data = r };
	const char *what = r->item->kind == OUTBOX_COMMENT
	                       ? (r->item->internal ? "note" : "reply")
	                       : "message";

	if (r->outcome == SENDER_FAILED)
		app_notice(&t->app, true, "%s refused: %s (:outbox retries)",
		           what, r->err != NULL ? r->err->message : "");
	else if (r->outcome == SENDER_SENT)
		app_notice(&t->app, false, "%s sent", what);
	tui_broadcast(t, &ev);
	app_redraw(&t->app);
}

/*
 * Says so when the outbox holds items it will not send (not private).
 * The status line is narrower than a file's path: the reason and the
 * fix for each file are in `sitecare outbox`.
 */
static void
tui_notice_refused(struct tui *t)
{
	size_t n;

	outbox_refused(t->outbox, &n);
	if (n > 0)
		app_notice(&t->app, true,
		           "outbox: %zu item%s held, not sent: not private "
		           "(see `sitecare outbox`)",
		           n, n == 1 ? "" : "s");
}

/*
 * Says in the status line that items in this service's outbox are held
 * back (queued as another member, or by an earlier version), so that
 * they are not mistaken for lost: `sitecare outbox` lists them.
 */
static void
tui_say_held_back(struct tui *t)
{
	size_t n = sender_held_back(t->app.sender);
	const char *why = NULL;

	if (n == 0)
		return;
	sender_held_back_item(t->app.sender, 0, &why);
	app_notice(&t->app, true,
	           "outbox: %zu item%s held back, not sent as you (%s); "
	           "`sitecare outbox` lists them",
	           n, n == 1 ? "" : "s", why != NULL ? why : "");
}

/*
 * Makes this service and the member just signed in the outbox's owner:
 * only their items are sent, and the member is remembered for items
 * queued while the service cannot be asked.
 */
static void
tui_set_outbox_owner(struct tui *t)
{
	struct outbox_owner owner;
	struct sc_error err = { 0 };

	outbox_owner_init(&owner, api_url(t->app.api),
	                  me_store_id(t->app.store->me),
	                  me_store_email(t->app.store->me));
	if (outbox_remember_owner(t->outbox, &owner, &err) != 0)
		sc_error_clear(&err); /* only offline queueing needs it */
	sender_set_owner(t->app.sender, &owner);
	outbox_owner_clear(&owner);
}

/* Opens this service's outbox and starts sending what an earlier run left. */
static void
tui_start_sender(struct tui *t)
{
	struct sender_config cfg = {
		.transport = sender_api_transport(),
		.transport_ud = t->app.api,
		.report = on_sender_report,
		.report_ud = t,
	};
	struct sc_error err = { 0 };
	struct loop_source src;

	if (t->app.sender != NULL) {
		tui_set_outbox_owner(t); /* perhaps another member now */
		sender_resume(t->app.sender);
		tui_say_held_back(t);
		return;
	}
	t->outbox = outbox_open_service(NULL, api_url(t->app.api), &err);
	if (t->outbox == NULL) {
		app_notice(&t->app, true, "outbox: %s", err.message);
		sc_error_clear(&err);
		return;
	}
	t->app.sender = sender_new(t->outbox, &cfg);
	src = sender_source(t->app.sender);
	loop_add_source(t->app.loop, &src);
	tui_set_outbox_owner(t);
	if (sender_start(t->app.sender, &err) != 0) {
		app_notice(&t->app, true, "outbox: %s", err.message);
		sc_error_clear(&err);
	}
	tui_say_held_back(t);
	tui_notice_refused(t); /* a file to fix outweighs another's item */
}

/* Tells every open pane about ev, redrawing when one asks. */
static void
tui_broadcast(struct tui *t, const struct app_event *ev)
{
	int i;

	for (i = 0; i < PANE_COUNT; i++) {
		struct pane *p = &t->app.panes[i];

		if (p->state != NULL && p->ops->event != NULL &&
		    p->ops->event(p->state, ev) == VIEW_REDRAW)
			app_redraw(&t->app);
	}
}

/*
 * Our own message or comment coming back as an event settles its outbox
 * item even when the answer to its POST was lost (the connection dropped
 * after the server stored it): it is not shown as pending next to its
 * stored copy, nor sent again. Messages carry their client_msg_id; the
 * contract's comments do not (yet), so a comment waits for its resend's
 * deduplicated answer unless the server adds it.
 */
static void
tui_confirm_sent(struct tui *t, const struct event_payload *p)
{
	if (t->app.sender == NULL)
		return;
	if (p->type == EVENT_MESSAGE_CREATED &&
	    p->message.client_msg_id != NULL)
		sender_confirm(t->app.sender, p->message.client_msg_id,
		               p->conversation_id, &p->message, NULL);
	else if (p->type == EVENT_COMMENT_CREATED &&
	         p->comment.client_msg_id != NULL)
		sender_confirm(t->app.sender, p->comment.client_msg_id,
		               p->task_id, NULL, &p->comment);
}

/* A live event from the server: every pane hears it. */
static void
on_server_event(const struct events_event *e, void *ud)
{
	struct tui *t = ud;
	struct app_event ev = { .kind = APP_EV_SERVER, .data = e->payload };

	if (e->payload == NULL)
		return;
	if (e->payload->type == EVENT_RESYNC)
		ev.kind = APP_EV_RESYNC;
	/* The event carries the key: newest wins, no GET /me needed. */
	if (e->payload->type == EVENT_STAFF_KEY_CHANGED)
		keycheck_registered(&t->app, e->payload->key.public_key, true,
		                    e->payload->key.registered_at);
	tui_confirm_sent(t, e->payload);
	tui_broadcast(t, &ev);
}

/*
 * The stream is back after a loss. With an event id the server replays
 * what was missed; without one (no event came since it opened) it
 * cannot, so the panes refetch as after a resync: what changed while the
 * connection was down must not stay unseen.
 */
static void
tui_stream_back(struct tui *t)
{
	struct app_event ev = { .kind = APP_EV_RESYNC };

	if (events_last_id(t->events)[0] != '\0')
		return;
	trace_event("events.back without an id: resync");
	tui_broadcast(t, &ev);
}

/* The stream's state is the status line's connection state. */
static void
on_events_state(const struct events_status *st, void *ud)
{
	static const enum conn_state map[] = {
		[EVENTS_OFFLINE] = CONN_OFFLINE,
		[EVENTS_CONNECTING] = CONN_CONNECTING,
		[EVENTS_ONLINE] = CONN_ONLINE,
		[EVENTS_RECONNECTING] = CONN_RECONNECTING,
	};
	struct tui *t = ud;

	t->app.conn = map[st->state];
	tui_schedule_tick(t);
	if (st->state == EVENTS_ONLINE && t->stream_lost)
		tui_stream_back(t);
	t->stream_lost = st->state == EVENTS_RECONNECTING ||
	                 (t->stream_lost && st->state == EVENTS_CONNECTING);
	/* The service is back: what waits in the outbox goes now, not at
	 * its next backoff step. */
	if (st->state == EVENTS_ONLINE && t->app.sender != NULL)
		sender_flush(t->app.sender, false);
	if (st->state == EVENTS_RECONNECTING && st->err != NULL &&
	    st->err->message != NULL)
		app_notice(&t->app, true, "live updates lost: %s",
		           st->err->message);
	app_redraw(&t->app);
}

/* A live event that did not parse is skipped; the staff member is told
 * (the list may now be behind until the next refresh). */
static void
on_bad_event(const char *type, const struct sc_error *err, void *ud)
{
	struct tui *t = ud;

	app_notice(&t->app, true, "a live update (%s) was skipped: %s", type,
	           err->message != NULL ? err->message : "malformed");
	app_redraw(&t->app);
}

/* Starts the live stream once signed in (again). */
static void
tui_start_events(struct tui *t)
{
	struct events_config cfg = {
		.transport = events_api_transport(),
		.transport_ud = t->app.api,
		.on_event = on_server_event,
		.on_state = on_events_state,
		.on_malformed = on_bad_event,
		.ud = t,
	};
	struct loop_source src;

	if (t->events == NULL) {
		t->events = events_new(&cfg);
		src = events_source(t->events);
		loop_add_source(t->app.loop, &src);
	}
	events_start(t->events);
}

/* Shows the sign-in form, keeping the email typed before if any, else
 * the one known (the config's when none is). */
static void
tui_show_login(struct tui *t, const char *email, const char *error)
{
	if (t->login == NULL)
		t->login = login_new(email != NULL ? email : t->ctx->cfg.email);
	login_set_state(t->login, error, false);
	app_log(&t->app, true, error);
	/* Nobody is signed in until the form is answered (the form has
	 * copied the email, which may have been the store's). */
	me_store_clear(t->app.store->me);
	t->app.signed_in = false;
	app_redraw(&t->app);
}

/*
 * A line still open gives its text back to the pane that asked, as a
 * draft (kept on disk for a chat reply), and closes.
 */
static void
tui_line_keep(struct tui *t)
{
	const char *typed;

	if (!cmdline_active(t->app.cmdline))
		return;
	typed = cmdline_text(t->app.cmdline);
	app_text_done(&t->app, typed[0] ? xstrdup(typed) : NULL, false);
	cmdline_close(t->app.cmdline);
	curs_set(0);
}

/* The server said the session is gone: sign in again in place. What was
 * being typed becomes a draft first, so the form cannot swallow it; the
 * panes hear of it first, so a revealed secret is wiped before the form
 * (where anyone may sign in) takes the screen. */
static void
on_session_expired(void *ud)
{
	struct tui *t = ud;
	struct app_event ev = { .kind = APP_EV_SESSION_EXPIRED };

	tui_line_keep(t);
	tui_broadcast(t, &ev);
	tui_show_login(t, me_store_email(t->app.store->me),
	               "your session expired: sign in again");
}

static void on_me(struct me *me, const struct sc_error *err, void *ud);

/* The offline wait is over: ask the service again. */
static void
on_retry(void *ud)
{
	struct tui *t = ud;

	t->app.conn = CONN_CONNECTING;
	tui_schedule_tick(t);
	t->pending_me = api_me(t->app.api, on_me, t);
	app_redraw(&t->app);
}

/*
 * The service could not be asked who the saved session is: the
 * interface stays up, offline, and asks again with a growing wait; only
 * the service saying the session is gone brings the form.
 */
static void
tui_offline(struct tui *t, const char *why)
{
	long long wait_ms = events_backoff_ms(++t->retry_failures, 1000,
	                                      RETRY_MAX_MS, clock_random(NULL));

	t->was_offline = true;
	t->app.conn = CONN_OFFLINE;
	tui_schedule_tick(t);
	app_notice(&t->app, true, "offline, retrying in %lld s: %s",
	           (wait_ms + 999) / 1000,
	           why != NULL ? why : "the service cannot be reached");
	loop_timer_add(t->app.loop, (int)wait_ms, on_retry, t);
	app_redraw(&t->app);
}

/* The answer to GET /me at start-up (and to its retries). */
static void
on_me(struct me *me, const struct sc_error *err, void *ud)
{
	struct tui *t = ud;

	t->pending_me = NULL;
	if (err->kind == SC_OK) {
		if (t->was_offline)
			app_notice(&t->app, false,
			           "the service answered: online");
		tui_signed_in(t, me);
		return;
	}
	me_free(me);
	if (err->kind == SC_ERR_SESSION_EXPIRED ||
	    err->kind == SC_ERR_NOT_SIGNED_IN)
		tui_show_login(t, NULL, NULL);
	else
		tui_offline(t, err->message);
}

/*
 * Saves the service and email as `sitecare login` does, so that the next
 * command finds them whichever way the member signed in.
 */
static void
tui_remember_settings(struct tui *t, const struct me *me)
{
	struct sc_error err = { 0 };

	if (cmd_remember_settings(t->ctx, api_url(t->app.api), me->email,
	                          &err) != 0)
		app_notice(&t->app, true, "settings not saved: %s",
		           err.message);
	sc_error_clear(&err);
}

/* The answer to the sign-in form. */
static void
on_login(struct me *me, const struct sc_error *err, void *ud)
{
	struct tui *t = ud;

	t->pending_me = NULL;
	if (err->kind == SC_OK) {
		tui_remember_settings(t, me);
		tui_signed_in(t, me);
		return;
	}
	me_free(me);
	if (t->login != NULL)
		login_set_state(t->login, err->message, false);
	app_log(&t->app, true, err->message);
	app_redraw(&t->app);
}

/* Which tabs this staff member may see, from the server's permissions. */
static void
tui_set_visibility(struct tui *t)
{
	int i;

	for (i = 0; i < PANE_COUNT; i++) {
		const struct view_ops *ops = t->app.panes[i].ops;

		t->app.panes[i].visible =
		    ops != NULL && (ops->permission == 0 ||
		                    (ops->permission & t->app.permissions));
	}
	if (!t->app.panes[t->app.current].visible) {
		for (i = 0; i < PANE_COUNT; i++)
			if (t->app.panes[i].visible)
				break;
		t->app.current = i < PANE_COUNT ? (enum pane_id)i : PANE_TASKS;
	}
}

/*
 * The pane to start on, once: the config's start-pane, else by role
 * (support answers clients, so starts on Chat; the others on Tasks).
 * One the role cannot see is said, and the role's own used.
 */
static void
tui_start_pane(struct tui *t)
{
	static const char *const names[PANE_COUNT] = { "tasks", "chat",
		                                       "credentials",
		                                       "billing" };
	const char *role = me_store_role(t->app.store->me);
	enum pane_id def = role != NULL && strcmp(role, "support") == 0
	                       ? PANE_CHAT
	                       : PANE_TASKS;
	enum config_start_pane want = t->app.cfg->start_pane;
	enum pane_id p;

	if (t->placed)
		return;
	t->placed = true;
	if (t->app.panes[def].visible)
		t->app.current = def;
	if (want == CONFIG_START_AUTO)
		return;
	p = (enum pane_id)(want - CONFIG_START_TASKS);
	if (t->app.panes[p].visible) {
		t->app.current = p;
		return;
	}
	app_notice(&t->app, true,
	           "start-pane = %s: not available to %s; starting on %s",
	           names[p], role != NULL ? role : "you",
	           names[t->app.current]);
}

/* Opens the panes this member may see and tells them who signed in. */
static void
tui_open_panes(struct tui *t)
{
	struct app_event ev = { .kind = APP_EV_SIGNED_IN };
	int i;

	for (i = 0; i < PANE_COUNT; i++) {
		struct pane *p = &t->app.panes[i];

		if (!p->visible)
			continue;
		if (p->state == NULL) {
			p->state = p->ops->open(&t->app);
			if (p->ops->resize != NULL)
				p->ops->resize(p->state,
				               frame_pane_rows(&t->app),
				               t->app.cols);
		}
		if (p->ops->event != NULL)
			p->ops->event(p->state, &ev);
	}
	if (t->app.panes[t->app.current].ops != NULL &&
	    t->app.panes[t->app.current].ops->focus != NULL)
		t->app.panes[t->app.current].ops->focus(
		    t->app.panes[t->app.current].state, true);
}

/* Signed in (at start-up or through the form): take over me. */
static void
tui_signed_in(struct tui *t, struct me *me)
{
	struct app *app = &t->app;

	me_store_set(app->store->me, me);
	app->permissions = me->permissions;
	app->signed_in = true;
	me_free(me);
	keycheck_app(app);
	login_free(t->login);
	t->login = NULL;
	tui_set_visibility(t);
	tui_start_pane(t);
	tui_start_sender(t);
	tui_open_panes(t);
	tui_start_events(t);
	app_redraw(app);
}

/* Switches to pane p if its tab is shown. */
static void
tui_switch(struct tui *t, enum pane_id p)
{
	struct app *app = &t->app;
	struct pane *old = &app->panes[app->current];
	const char *role = me_store_role(app->store->me);

	if (p >= PANE_COUNT || !app->panes[p].visible) {
		app_notice(app, true, "that pane is not available to %s",
		           role != NULL ? role : "you");
		return;
	}
	if (old->state != NULL && old->ops->focus != NULL)
		old->ops->focus(old->state, false);
	frame_draw_left(app);
	app->current = p;
	if (app->panes[p].state != NULL && app->panes[p].ops->focus != NULL)
		app->panes[p].ops->focus(app->panes[p].state, true);
	app_redraw(app);
}

static void tui_draw(struct tui *t);

/*
 * Secrets on screen are hidden, and their cells drawn over, before the
 * terminal is given up or changes size.
 */
static void
tui_hide_secrets(struct tui *t)
{
	struct app_event ev = { .kind = APP_EV_HIDE };

	tui_broadcast(t, &ev);
	tui_draw(t);
}

/* A pane asked to show a client in another pane (app_goto). */
static void
tui_goto(struct tui *t)
{
	struct app *app = &t->app;
	struct app_event ev = { .kind = APP_EV_CLIENT };
	struct pane *p;

	if (app->go_client == 0)
		return;
	ev.id = app->go_client;
	app->go_client = 0;
	tui_switch(t, app->go_pane);
	p = &app->panes[app->go_pane];
	if (app->current != app->go_pane || p->state == NULL ||
	    p->ops->event == NULL)
		return;
	if (p->ops->event(p->state, &ev) != VIEW_HANDLED)
		app_redraw(app);
}

/* The next (dir 1) or previous (-1) tab shown; none shown, nothing. */
static void
tui_cycle(struct tui *t, int dir)
{
	enum pane_id p = frame_tab_next(&t->app, dir);

	if (t->app.panes[p].visible)
		tui_switch(t, p);
}

/* The key context of the current pane. */
static enum key_context
tui_context(struct tui *t)
{
	struct pane *p = &t->app.panes[t->app.current];

	if (p->state == NULL || p->ops->context == NULL)
		return KEYCTX_GLOBAL;
	return p->ops->context(p->state);
}

static void tui_run_action(struct tui *t, enum action a, const char *args);

/* Opens the command line, prefilled (":filter " for the f key). */
static void
tui_open_cmdline(struct tui *t, enum cmdline_kind kind, const char *prompt,
                 const char *initial)
{
	/* A note or reply line being replaced keeps its text as a draft. */
	if (t->app.text.cb != NULL && cmdline_active(t->app.cmdline)) {
		const char *typed = cmdline_text(t->app.cmdline);

		app_text_done(&t->app, typed[0] ? xstrdup(typed) : NULL, false);
	}
	cmdline_open(t->app.cmdline, kind, prompt, initial);
	curs_set(1);
	app_redraw(&t->app);
}

/* A submitted `:` line: parse it and run the action. */
static void
tui_run_command_line(struct tui *t, const char *line)
{
	struct command cmd;
	char err[256];
	int r = command_parse(line, &cmd, err, sizeof err);

	if (r < 0)
		app_notice(&t->app, true, "%s", err);
	else if (r > 0) {
		t->action_typed = true;
		tui_run_action(t, cmd.action, cmd.args[0] ? cmd.args : NULL);
		t->action_typed = false;
	}
	command_clear(&cmd);
}

/* A line came back from the command line. */
static void
tui_line_done(struct tui *t, enum cmdline_kind kind, char *line)
{
	if (kind == CMDLINE_COMMENT || kind == CMDLINE_REPLY ||
	    kind == CMDLINE_PATH) {
		app_text_done(&t->app, line, true);
		return;
	}
	if (kind == CMDLINE_COMMAND)
		tui_run_command_line(t, line);
	else if (kind == CMDLINE_SEARCH && line[0] != '\0')
		tui_run_action(t, ACTION_SEARCH, line);
	free(line);
}

/* C-x C-e on a text line: finish that text in $EDITOR. */
static void
tui_line_to_editor(struct tui *t, enum cmdline_kind kind, char *text)
{
	struct app_text *q = &t->app.text;
	char *help;

	if (kind != CMDLINE_COMMENT && kind != CMDLINE_REPLY) {
		app_notice(&t->app, true, "C-x C-e works on notes and replies");
		free(text);
		return;
	}
	help = xstrdup(q->help != NULL ? q->help : "");
	app_text_editor(&t->app, text, help, q->cb, q->ud);
	free(help);
	free(text);
}

/* Feeds a key to the open command line. */
static void
tui_cmdline_key(struct tui *t, key_code key)
{
	enum cmdline_kind kind = cmdline_kind(t->app.cmdline);
	/* What was typed, kept as a draft if the key leaves the line. */
	char *typed = xstrdup(cmdline_text(t->app.cmdline));

	switch (cmdline_feed(t->app.cmdline, key)) {
	case CMDLINE_SUBMITTED:
		curs_set(0);
		tui_line_done(t, kind, cmdline_take(t->app.cmdline));
		break;
	case CMDLINE_CANCELLED:
		curs_set(0);
		if ((kind == CMDLINE_COMMENT || kind == CMDLINE_REPLY ||
		     kind == CMDLINE_PATH) &&
		    typed[0] != '\0') {
			app_text_done(&t->app, typed, false); /* takes it */
			typed = NULL;
		} else if (kind == CMDLINE_COMMENT || kind == CMDLINE_REPLY ||
		           kind == CMDLINE_PATH)
			app_text_done(&t->app, NULL, false);
		break;
	case CMDLINE_TO_EDITOR:
		curs_set(0);
		tui_line_to_editor(t, kind, cmdline_take(t->app.cmdline));
		break;
	default:
		break;
	}
	free(typed);
	app_redraw(&t->app);
}

/* Closes the overlay, if one is open. */
static void
tui_overlay_close(struct tui *t)
{
	app_overlay_close(&t->app, NULL);
}

/* Shows an overlay over the pane, replacing any other. */
static void
tui_overlay_open(struct tui *t, const struct view_ops *ops, void *state)
{
	app_overlay_open(&t->app, ops, state);
}

/*
 * The overlay hears actions first: back and quit close it (q closes the
 * help, not the program), ? closes the help again, tab switches close it
 * and go on. Returns true when the action went no further.
 */
static bool
tui_overlay_action(struct tui *t, enum action a, const char *args)
{
	struct pane *o = &t->app.overlay;
	enum view_result r;

	if (o->state == NULL)
		return false;
	if (a == ACTION_BACK || a == ACTION_QUIT) {
		/* A picker or a question answers its cancel choice itself;
		 * a page closes unless it has something to end first (the
		 * help's search). */
		if (o->ops->action(o->state, a, args) == VIEW_UNHANDLED)
			tui_overlay_close(t);
		app_redraw(&t->app);
		return true;
	}
	if (a == ACTION_HELP && o->ops == &help_ops && args == NULL) {
		tui_overlay_close(t);
		return true;
	}
	if (a == ACTION_SEARCH && o->ops == &help_ops && args == NULL) {
		tui_open_cmdline(t, CMDLINE_SEARCH, "/", NULL);
		return true;
	}
	if ((a >= ACTION_TAB_NEXT && a <= ACTION_TAB_BILLING) ||
	    a == ACTION_NEXT_ATTENTION) {
		tui_overlay_close(t);
		return false;
	}
	r = o->ops->action(o->state, a, args);
	if (r == VIEW_REDRAW)
		app_redraw(&t->app);
	return r != VIEW_UNHANDLED;
}

/*
 * What waits in the outbox to be sent (queued or in flight, not refused
 * for good): a malloc'd sentence, or NULL when nothing. *newest gets the
 * time the youngest was typed.
 */
static char *
tui_outbox_waiting(const struct tui *t, long long *newest)
{
	enum sender_item_state st;
	size_t i, n = 0, notes = 0;

	*newest = 0;
	for (i = 0; t->app.sender != NULL && i < sender_count(t->app.sender);
	     i++) {
		const struct outbox_item *it =
		    sender_item(t->app.sender, i, &st);

		if (st == SENDER_ITEM_FAILED)
			continue;
		n++;
		notes += it->internal;
		if (it->created_at > *newest)
			*newest = it->created_at;
	}
	if (n == 0)
		return NULL;
	return xasprintf("%zu %s waiting in the outbox: it will be sent next "
	                 "time, or by `sitecare outbox flush`",
	                 n,
	                 notes == n   ? (n == 1 ? "note" : "notes")
	                 : notes == 0 ? (n == 1 ? "reply" : "replies")
	                              : "items");
}

/* The quit question answered: y leaves, anything else stays. */
static void
on_quit_answer(void *ud, key_code k)
{
	struct tui *t = ud;

	app_overlay_close(&t->app, NULL);
	if (k == 'y')
		t->app.quit = true;
	app_redraw(&t->app);
}

/* q: quits, asking first when a reply was queued moments ago. The line
 * on what waits is printed once the terminal is back (tui_run). */
static void
tui_quit(struct tui *t)
{
	long long newest;
	char *line = tui_outbox_waiting(t, &newest);

	if (line == NULL || (long long)time(NULL) - newest >= QUIT_ASK_SECONDS)
		t->app.quit = true;
	else
		app_overlay_open(&t->app, &ask_ops,
		                 ask_yes_no("Quit with a reply not sent yet?",
		                            line, "quit; it is sent next time",
		                            "stay until it is sent", 'n',
		                            on_quit_answer, t));
	free(line);
}

/* Actions the frame itself handles, whatever the pane. */
static bool
tui_global_action(struct tui *t, enum action a, const char *args)
{
	switch (a) {
	case ACTION_QUIT:
		tui_quit(t);
		return true;
	case ACTION_COMMAND_LINE:
		tui_open_cmdline(t, CMDLINE_COMMAND, ":", args);
		return true;
	case ACTION_REDRAW:
		clearok(curscr, TRUE);
		app_redraw(&t->app);
		return true;
	case ACTION_SUSPEND:
		tui_hide_secrets(t);
		term_suspend();
		frame_layout(&t->app);
		return true;
	case ACTION_TAB_NEXT:
	case ACTION_TAB_PREV:
		tui_cycle(t, a == ACTION_TAB_NEXT ? 1 : -1);
		return true;
	case ACTION_TAB_TASKS:
	case ACTION_TAB_CHAT:
	case ACTION_TAB_CREDENTIALS:
	case ACTION_TAB_BILLING:
		tui_switch(t, (enum pane_id)(a - ACTION_TAB_TASKS));
		return true;
	case ACTION_NEXT_ATTENTION:
		if (!app_attention_next(&t->app))
			app_notice(&t->app, false, "nothing needs attention");
		return true;
	case ACTION_MOUSE:
		term_mouse(args == NULL || strcmp(args, "off") != 0);
		return true;
	case ACTION_HINTS:
		hints_set(&t->app, args);
		return true;
	case ACTION_HELP:
		tui_overlay_open(t, &help_ops,
		                 help_new(&t->app, tui_context(t), args));
		return true;
	case ACTION_CHECKHEALTH:
		tui_overlay_open(t, &health_ops, health_new(&t->app, t->ctx));
		return true;
	case ACTION_MESSAGES:
		tui_overlay_open(t, &messages_ops, messages_page_new(&t->app));
		return true;
	default:
		return false;
	}
}

/* Actions that need text first open the command line for it. */
static bool
tui_prompt_for_args(struct tui *t, enum action a)
{
	switch (a) {
	case ACTION_SEARCH:
		tui_open_cmdline(t, CMDLINE_SEARCH, "/", NULL);
		return true;
	case ACTION_FILTER:
		tui_open_cmdline(t, CMDLINE_COMMAND, ":", "filter ");
		return true;
	case ACTION_SORT:
		tui_open_cmdline(t, CMDLINE_COMMAND, ":", "sort ");
		return true;
	default:
		return false;
	}
}

/* Says that action a was refused ("read-only: ", "is turned off"), in
 * the member's terms: the key they pressed, never the action's name. */
static void
tui_say_refused(struct tui *t, enum action a, const char *before,
                const char *why)
{
	char said[160];

	action_words_said(a, t->action_key, t->action_typed, said, sizeof said);
	app_notice(&t->app, true, "%s%s %s", before, said, why);
}

/* Runs an action: readonly gate, the frame's own, then the pane's. */
static void
tui_run_action(struct tui *t, enum action a, const char *args)
{
	struct pane *p;
	enum view_result r = VIEW_UNHANDLED;

	if (trace_detail_on())
		trace_event("action %s", action_name(a));
	if (t->app.readonly && action_changes(a)) {
		tui_say_refused(t, a, "read-only: ", "is turned off");
		return;
	}
	if (tui_overlay_action(t, a, args))
		return;
	if (tui_global_action(t, a, args))
		return;
	if (t->app.overlay.state != NULL)
		return; /* the pane under the overlay is not in view */
	/* A replaced key is warned of in every pane; the remedy lives in
	 * the Credentials pane. */
	if (a == ACTION_REGISTER_KEY && t->app.current != PANE_CREDENTIALS)
		tui_switch(t, PANE_CREDENTIALS);
	/* The hotlist works from any pane, as weechat's. */
	if (a == ACTION_NEXT_UNREAD && t->app.current != PANE_CHAT) {
		tui_switch(t, PANE_CHAT);
		if (t->app.current != PANE_CHAT)
			return;
	}
	p = &t->app.panes[t->app.current];
	if (args == NULL && tui_prompt_for_args(t, a))
		return;
	if (p->state != NULL)
		r = p->ops->action(p->state, a, args);
	if (r == VIEW_QUIT)
		t->app.quit = true;
	else if (r == VIEW_UNHANDLED) {
		char where[64];

		snprintf(where, sizeof where, "does nothing in %s",
		         p->ops->name);
		tui_say_refused(t, a, "", where);
	} else if (r == VIEW_REDRAW)
		app_redraw(&t->app);
}

/* Submits the sign-in form. */
static void
tui_login_submit(struct tui *t)
{
	login_set_state(t->login, NULL, true);
	t->pending_me = api_login(t->app.api, login_email(t->login),
	                          login_password(t->login), on_login, t);
}

/* One key, routed to the form, the command line or the bindings. */
static void
tui_key(struct tui *t, key_code key)
{
	const struct binding *b;

	t->app.last_input_ms = loop_now_ms();
	if (t->login != NULL) {
		switch (login_key(t->login, t->app.bindings, key)) {
		case LOGIN_SUBMIT:
			tui_login_submit(t);
			break;
		case LOGIN_QUIT:
			t->app.quit = true;
			break;
		default:
			break;
		}
		app_redraw(&t->app);
		return;
	}
	if (cmdline_active(t->app.cmdline) &&
	    (t->app.overlay.state == NULL || t->app.overlay.ops->key == NULL)) {
		tui_cmdline_key(t, key);
		return;
	}
	if (t->app.overlay.state != NULL) {
		struct pane *o = &t->app.overlay;

		if (o->ops->key != NULL) {
			enum view_result r = o->ops->key(o->state, key);

			if (r != VIEW_UNHANDLED) {
				if (r == VIEW_REDRAW)
					app_redraw(&t->app);
				return;
			}
		}
		b = bindings_lookup(t->app.bindings, o->ops->context(o->state),
		                    key);
	} else
		b = bindings_lookup(t->app.bindings, tui_context(t), key);
	if (b != NULL) {
		t->action_key = key;
		tui_run_action(t, b->action, b->args);
		t->action_key = KEYC_NONE;
	}
}

/* A click inside the pane window: the overlay's, else the pane's. */
static void
tui_pane_click(struct tui *t, int row, int col)
{
	struct pane *p = t->app.overlay.state != NULL
	                     ? &t->app.overlay
	                     : &t->app.panes[t->app.current];

	if (p->state == NULL || p->ops->click == NULL)
		return;
	if (p->ops->click(p->state, row, col) == VIEW_REDRAW)
		app_redraw(&t->app);
}

/* A mouse event: tabs switch panes; the rest is the pane's. */
static void
tui_mouse(struct tui *t, const struct term_input *in)
{
	int tab;

	if (in->y == 0 && in->button == 1) {
		tab = frame_tab_at(&t->app, in->x);
		if (tab >= 0) {
			/* As a tab key does: an overlay is left, not kept
			 * over a pane it does not belong to. */
			tui_overlay_close(t);
			tui_switch(t, (enum pane_id)tab);
		}
	} else if (in->button == 1 && in->y < t->app.rows - 1)
		tui_pane_click(t, in->y - 1, in->x);
	else if (in->button == 4 || in->button == 5)
		tui_run_action(t, in->button == 4 ? ACTION_UP : ACTION_DOWN,
		               NULL);
}

/* One pasted key, as UTF-8 text; Enter is a newline. */
static void
tui_paste_key(struct tui *t, key_code key)
{
	char buf[4];
	size_t n;

	if (key == KEYC_ENTER)
		key = '\n';
	if (key & (KEYC_META | KEYC_SPECIAL) || t->npaste + 4 >= PASTE_MAX)
		return;
	n = utf8_encode(key, buf);
	t->paste = xrealloc(t->paste, t->npaste + n + 1);
	memcpy(t->paste + t->npaste, buf, n);
	t->npaste += n;
	t->paste[t->npaste] = '\0';
}

/* The long paste's question answered. */
static void
on_paste_answer(void *ud, key_code k)
{
	struct tui *t = ud;

	app_overlay_close(&t->app, NULL);
	if (k == 'y')
		cmdline_insert(t->app.cmdline, t->paste_wait);
	else
		app_notice(&t->app, false, "paste dropped");
	free(t->paste_wait);
	t->paste_wait = NULL;
	app_redraw(&t->app);
}

/* Asks before a long paste becomes one message. */
static void
tui_paste_ask(struct tui *t, char *text_taken, size_t lines)
{
	static const struct ask_choice choices[] = {
		{ 'y', "paste it into this one message" },
		{ 'n', "drop the paste" },
	};
	char *line = xasprintf("The paste has %zu lines. It becomes ONE "
	                       "message (nothing is sent until Enter).",
	                       lines);
	const char *body[] = { line };
	struct ask_spec spec = {
		.title = "Paste several lines?",
		.body = body,
		.nbody = 1,
		.choices = choices,
		.nchoices = 2,
		.enter = 'y',
		.escape = 'n',
		.on_done = on_paste_answer,
		.ud = t,
	};

	free(t->paste_wait);
	t->paste_wait = text_taken;
	app_overlay_open(&t->app, &ask_ops, ask_new(&spec));
	free(line);
}

/*
 * The paste ended: its text goes into the open line as typed text (a
 * newline never submits). On a reply or note line more than a few lines
 * ask first; on other lines newlines become spaces.
 */
static void
tui_paste_done(struct tui *t)
{
	enum cmdline_kind kind = cmdline_kind(t->app.cmdline);
	char *text = t->paste != NULL ? t->paste : xstrdup("");
	size_t i, lines = 1;

	t->paste = NULL;
	t->npaste = 0;
	t->pasting = false;
	if (!cmdline_active(t->app.cmdline)) {
		app_notice(&t->app, false,
		           "paste ignored: open a reply or a note first");
		free(text);
		return;
	}
	for (i = 0; text[i] != '\0'; i++)
		if (text[i] == '\n') {
			if (kind != CMDLINE_REPLY && kind != CMDLINE_COMMENT)
				text[i] = ' ';
			else if (text[i + 1] != '\0')
				lines++;
		}
	if (lines > PASTE_CONFIRM_LINES) {
		tui_paste_ask(t, text, lines);
		return;
	}
	cmdline_insert(t->app.cmdline, text);
	free(text);
	app_redraw(&t->app);
}

/* The terminal gained or lost the focus: the panes are told. */
static void
tui_term_focus(struct tui *t, bool away)
{
	struct app_event ev = { .kind = APP_EV_TERM_FOCUS };

	t->app.term_focus_seen = true;
	if (t->app.term_away == away)
		return;
	t->app.term_away = away;
	tui_broadcast(t, &ev);
}

/* The terminal is readable: take every waiting input event. */
static void
on_terminal(int fd, short revents, void *ud)
{
	struct tui *t = ud;
	struct term_input in;

	term_input_ready(t->pasting, (revents & POLLIN) != 0);
	while (!t->app.quit && term_read(&in)) {
		if (in.kind == TERM_PASTE_BEGIN)
			t->pasting = true;
		else if (in.kind == TERM_PASTE_END)
			tui_paste_done(t);
		else if (in.kind == TERM_KEY && t->pasting)
			tui_paste_key(t, in.key);
		else if (in.kind == TERM_KEY)
			tui_key(t, in.key);
		else if (in.kind == TERM_MOUSE)
			tui_mouse(t, &in);
		else if (in.kind == TERM_FOCUS_IN || in.kind == TERM_FOCUS_OUT)
			tui_term_focus(t, in.kind == TERM_FOCUS_OUT);
	}
}

static void
on_signal(int signo, void *ud)
{
	struct tui *t = ud;

	if (t->editor != NULL) {
		/* The editor owns the terminal: only its end matters. */
		if (signo == SIGCHLD)
			tui_editor_reap(t);
		else if (signo == SIGTERM || signo == SIGHUP)
			t->app.quit = true;
		else if (signo == SIGTSTP)
			/* C-z in the editor: the whole job stops, so the shell
			 * gets its prompt back; fg continues us both. */
			kill(getpid(), SIGSTOP);
		return;
	}
	switch (signo) {
	case SIGCHLD:
		break;
	case SIGWINCH:
	case SIGCONT:
		tui_hide_secrets(t);
		term_resize();
		frame_layout(&t->app);
		break;
	case SIGTSTP:
		tui_hide_secrets(t);
		term_suspend();
		frame_layout(&t->app);
		break;
	default: /* SIGTERM, SIGHUP, SIGINT */
		t->app.quit = true;
	}
}

/*
 * The text was not sent: hand back a draft, so nothing typed is lost:
 * text (taken) when the editor left some, else what it started from.
 */
static void
tui_text_kept(struct tui *t, char *text)
{
	const char *initial = t->app.text.editor_initial;

	if ((text == NULL || text[0] == '\0') && initial != NULL &&
	    initial[0] != '\0') {
		free(text);
		text = xstrdup(initial);
	}
	if (text != NULL && text[0] == '\0') {
		free(text);
		text = NULL;
	}
	app_text_done(&t->app, text, false);
}

/* The editor has the terminal: the loop goes on without reading keys. */
static void
tui_start_editor(struct tui *t)
{
	struct app_text *q = &t->app.text;
	struct sc_error err = { 0 };

	q->editor_wanted = false;
	tui_hide_secrets(t);
	loop_remove_fd(t->app.loop, STDIN_FILENO);
	term_leave();
	t->editor = editor_start(q->editor_initial, q->help, &err);
	if (t->editor != NULL)
		return;
	term_enter();
	loop_add_fd(t->app.loop, STDIN_FILENO, POLLIN, on_terminal, t);
	frame_layout(&t->app);
	app_notice(&t->app, true, "$EDITOR: %s", err.message);
	sc_error_clear(&err);
	tui_text_kept(t, NULL);
}

/* SIGCHLD: if the editor has exited, take its text and the terminal. */
static void
tui_editor_reap(struct tui *t)
{
	struct sc_error err = { 0 };
	char *text = NULL;
	enum editor_outcome o;

	if (t->editor == NULL || !editor_done(t->editor))
		return;
	o = editor_result(t->editor, EDITOR_DEFAULT_MAX, &text, &err);
	editor_free(t->editor);
	t->editor = NULL;
	term_enter();
	loop_add_fd(t->app.loop, STDIN_FILENO, POLLIN, on_terminal, t);
	frame_layout(&t->app);
	if (o != EDITOR_TEXT && err.message != NULL)
		app_notice(&t->app, o == EDITOR_FAILED, "%s", err.message);
	sc_error_clear(&err);
	if (o == EDITOR_TEXT)
		app_text_done(&t->app, text, true);
	else
		tui_text_kept(t, text);
}

/* True while the status line's spinner must turn. */
static bool
tui_spinning(const struct tui *t)
{
	return t->app.conn == CONN_CONNECTING ||
	       t->app.conn == CONN_RECONNECTING;
}

static void on_tick(void *ud);

/* (Re)arms the tick at the pace the screen needs now. */
static void
tui_schedule_tick(struct tui *t)
{
	if (t->tick != 0)
		loop_timer_cancel(t->app.loop, t->tick);
	t->tick = loop_timer_add(t->app.loop,
	                         tui_spinning(t) ? TICK_FAST_MS : TICK_SLOW_MS,
	                         on_tick, t);
}

/* The spinner, and the panes' clocks (ages, countdowns). */
static void
on_tick(void *ud)
{
	struct tui *t = ud;
	struct app_event ev = { .kind = APP_EV_TICK };

	t->tick = 0;
	if (tui_spinning(t)) {
		t->app.spinner++;
		app_redraw(&t->app);
	}
	tui_broadcast(t, &ev);
	tui_schedule_tick(t);
}

/* Draws the frame, the sign-in form over it, and the command line. */
static void
tui_draw(struct tui *t)
{
	struct app *app = &t->app;

	if (t->editor != NULL)
		return; /* the editor owns the terminal */
	if (app->text.editor_wanted) {
		tui_start_editor(t);
		if (t->editor != NULL)
			return;
	}
	if (cmdline_dirty(app->cmdline))
		app->dirty = true;
	if (!app->dirty)
		return;
	if (t->login != NULL && !frame_too_small(app)) {
		app->dirty = false;
		frame_pane_window(app);
		app->pane_held[app->current] = false;
		werase(app->panewin);
		login_draw(t->login, app->panewin, frame_pane_rows(app),
		           app->cols);
		wnoutrefresh(app->panewin);
		frame_draw_hints(app, KEYCTX_FORM,
		                 hints_for_context(KEYCTX_FORM));
		/* A line the form closed (its text kept as a draft) must not
		 * linger under the form as if it were still open. */
		werase(app->statuswin);
		app->status_drawn = 0; /* the frame's status line is gone */
		wnoutrefresh(app->statuswin);
		doupdate();
		return;
	}
	frame_draw(app);
	/* Only an open line clears its own flag when drawn; a closed one is
	 * covered by the status line, or every wake-up would redraw. */
	if (!cmdline_active(app->cmdline))
		cmdline_drawn(app->cmdline);
	if (cmdline_active(app->cmdline) && !frame_too_small(app)) {
		werase(app->statuswin);
		app->status_drawn = 0; /* the line covers the status line */
		cmdline_draw(app->cmdline, app->statuswin, app->cols);
		wnoutrefresh(app->statuswin);
		doupdate();
	}
}

/* Tab on the : line: command names, then each command's arguments. */
static char **
tui_complete(void *ud, const char *line, int start, int end)
{
	(void)ud;
	return command_complete(line, start, end, NULL);
}

/* Reads the default bindings, then the user's keys file. */
static void
tui_load_bindings(struct tui *t)
{
	struct bindings_errors errs = { 0 };
	struct sc_error err = { 0 };
	char *dir = paths_dir(PATHS_CONFIG, NULL, &err);
	char *path;

	t->app.bindings = bindings_new();
	bindings_load_defaults(t->app.bindings, &errs);
	if (dir != NULL) {
		path = xasprintf("%s/keys", dir);
		bindings_load_file(t->app.bindings, path, &errs);
		free(path);
	}
	free(dir);
	sc_error_clear(&err);
	if (errs.n > 0)
		app_notice(&t->app, true, "%s%s", errs.lines[0],
		           errs.n > 1 ? " (and more)" : "");
	bindings_errors_free(&errs);
}

/*
 * The config file's first problem, in the status line: cmd printed
 * them all on stderr, which the screen covers at once.
 */
static void
tui_say_config_errors(struct tui *t)
{
	const struct config *c = t->app.cfg;

	if (c->nerrors == 0)
		return;
	app_notice(&t->app, true, "config line %d: %s%s", c->errors[0].line,
	           c->errors[0].message, c->nerrors > 1 ? " (and more)" : "");
}

/* What the notifier learnt after a send: a notice to show, or just a
 * route that changed (:checkhealth shows it). */
static void
on_notify_news(void *ud, const char *notice)
{
	struct tui *t = ud;

	if (notice != NULL)
		app_notice(&t->app, false, "%s", notice);
	app_redraw(&t->app);
}

/* Sets up everything that does not need the terminal yet. */
static int
tui_setup(struct tui *t, struct cmd_ctx *ctx)
{
	struct sc_error err = { 0 };
	char *dir;
	int i;

	memset(t, 0, sizeof *t);
	t->ctx = ctx;
	t->app.messages = messages_new(MESSAGES_MAX);
	t->app.api = cmd_api_new(ctx);
	if (t->app.api == NULL)
		return -1;
	t->app.readonly = ctx->o->readonly || ctx->cfg.readonly;
	t->app.hints_off = !ctx->cfg.hints;
	t->app.cfg = &ctx->cfg;
	t->app.loop = loop_new();
	t->app.store = store_new();
	t->app.notify =
	    notify_new(t->app.loop, (enum notify_mode)ctx->cfg.notifications,
	               ctx->cfg.notification_text);
	notify_on_news(t->app.notify, on_notify_news, t);
	/* Revealed credentials and the staff key live in this process: no
	 * core dumps, no ptrace by the same user. */
	if (secret_harden_process(&err) != 0)
		app_notice(&t->app, true, "%s", err.message);
	sc_error_clear(&err);
	/* readline reads the locale and ~/.inputrc before curses starts. */
	t->app.cmdline = cmdline_new();
	cmdline_set_completer(t->app.cmdline, CMDLINE_COMMAND, tui_complete, t);
	dir = paths_dir(PATHS_STATE, NULL, &err);
	if (dir != NULL) {
		t->history_path = xasprintf("%s/history", dir);
		cmdline_history_load(t->app.cmdline, CMDLINE_COMMAND,
		                     t->history_path, &err);
	}
	free(dir);
	sc_error_clear(&err);
	tui_load_bindings(t);
	tui_say_config_errors(t);
	for (i = 0; i < PANE_COUNT; i++)
		t->app.panes[i].ops = panes_ops[i];
	api_on_session_expired(t->app.api, on_session_expired, t);
	return 0;
}

/* Connects the loop to the terminal, the network and the signals. */
static void
tui_wire(struct tui *t)
{
	static const int sigs[] = { SIGWINCH, SIGTSTP, SIGCONT, SIGTERM,
		                    SIGHUP,   SIGINT,  SIGCHLD };
	struct loop_source api = api_source(t->app.api);
	size_t i;

	loop_add_fd(t->app.loop, STDIN_FILENO, POLLIN, on_terminal, t);
	loop_add_source(t->app.loop, &api);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		loop_signal(t->app.loop, sigs[i], on_signal, t);
	tui_schedule_tick(t);
}

/* Frees everything, panes first (they may hold requests). */
static void
tui_teardown(struct tui *t, struct cmd_ctx *ctx)
{
	struct sc_error err = { 0 };
	int i;

	app_overlay_close(&t->app, NULL);
	app_overlay_reap(&t->app);
	/* A line or an editor still open: its text goes back as a draft
	 * while the pane that asked for it is still there. */
	if (t->editor != NULL) {
		editor_free(t->editor);
		t->editor = NULL;
		term_enter();
		tui_text_kept(t, NULL);
	} else if (cmdline_active(t->app.cmdline)) {
		tui_line_keep(t);
	} else
		app_text_done(&t->app, NULL, false);
	for (i = 0; i < PANE_COUNT; i++)
		if (t->app.panes[i].state != NULL)
			t->app.panes[i].ops->free(t->app.panes[i].state);
	events_free(t->events);
	sender_free(t->app.sender);
	notify_free(t->app.notify);
	outbox_free(t->outbox);
	if (t->history_path != NULL)
		cmdline_history_save(t->app.cmdline, CMDLINE_COMMAND,
		                     t->history_path, &err);
	sc_error_clear(&err);
	frame_free(&t->app);
	term_restore();
	login_free(t->login);
	cmdline_free(t->app.cmdline);
	bindings_free(t->app.bindings);
	api_free(t->app.api);
	store_free(t->app.store);
	loop_free(t->app.loop);
	for (i = 0; i < (int)t->app.nattention; i++)
		free(t->app.attention[i].label);
	free(t->app.attention);
	free(t->app.message);
	messages_free(t->app.messages);
	free(t->app.key_warning);
	free(t->history_path);
	free(t->paste);
	free(t->paste_wait);
}

/*
 * The loop's done test, asked before every pass: also where the screen
 * catches up with the last pass (overlays closed, a pane to go to, the
 * redraw), so that the loop sleeps with it drawn.
 */
static bool
tui_pass_done(void *ud)
{
	struct tui *t = ud;

	if (t->app.quit)
		return true;
	app_overlay_reap(&t->app);
	tui_goto(t);
	tui_draw(t);
	return false;
}

int
tui_run(struct cmd_ctx *ctx)
{
	struct tui t;
	char why[512];
	char *waiting;
	long long newest;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "sitecare: the interface needs a terminal; "
		                "see --help for the scriptable commands\n");
		return CMD_USAGE;
	}
	/* curses would draw a blank screen on it, or exit in its words. */
	if (term_check(why, sizeof why) != 0) {
		fprintf(stderr, "sitecare: %s\n", why);
		return CMD_USAGE;
	}
	trace_open_env();
	trace_event("start");
	if (tui_setup(&t, ctx) != 0)
		return CMD_USAGE;
	if (term_init() != 0) {
		fprintf(stderr, "sitecare: cannot start the terminal\n");
		tui_teardown(&t, ctx);
		return CMD_FAILED;
	}
	theme_init(term_colors());
	/* A paste arrives as one text, never as keys that could send. */
	term_bracketed_paste(true);
	/* Whether the staff member is looking: for notifications and read
	 * marks of the conversation in front. */
	term_focus_events(true);
	frame_layout(&t.app);
	tui_wire(&t);
	t.app.conn = CONN_CONNECTING;
	if (api_has_session(t.app.api))
		t.pending_me = api_me(t.app.api, on_me, &t);
	else
		tui_show_login(&t, ctx->cfg.email, NULL);
	loop_run_until(t.app.loop, tui_pass_done, &t, -1);
	waiting = tui_outbox_waiting(&t, &newest);
	tui_teardown(&t, ctx);
	/* Said after curses, so it stays on the terminal. */
	fflush(stdout);
	if (waiting != NULL)
		fprintf(stderr, "sitecare: %s\n", waiting);
	free(waiting);
	trace_close();
	return CMD_OK;
}
