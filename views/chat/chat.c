/* The chat pane: see chat.h. */
#include "views/chat/chat.h"

#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net/client/api.h"
#include "net/store/chat_store.h"
#include "net/store/me_store.h"
#include "net/store/sender.h"
#include "net/store/store.h"
#include "net/base/hash.h"
#include "net/base/xmalloc.h"
#include "tui/app.h"
#include "tui/columns_draw.h"
#include "tui/config.h"
#include "tui/list.h"
#include "tui/notify.h"
#include "tui/sanitize.h"
#include "tui/term.h"
#include "tui/theme.h"
#include "tui/hints.h"
#include "views/chat/chat_format.h"
#include "views/chat/chat_list.h"
#include "views/chat/chat_reply.h"
#include "views/chat/chat_thread.h"

/* Conversations per page. */
#define PAGE_LIMIT  100
#define HEADER_ROWS 1
#define FOOTER_ROWS 1

/* What the page in flight is for. */
enum fetch_kind {
	FETCH_UNREAD, /* ?unread=1: its first page, then to the end once the
	                 pane has been shown */
	FETCH_RECENT, /* newest activity, page by page */
	FETCH_SEARCH, /* ?q=: matches not loaded yet */
};

/*
 * The pane's state: view state only. The conversations are the store's
 * (app->store->chat); convs is which of them are shown, and the list
 * helper knows only how many. notified_max is the newest message id
 * announced: ids rise, so a replayed event never announces again.
 */
struct chat {
	struct app *app;
	unsigned flags;
	struct chat_store *store;
	struct chat_list *convs;
	struct list list;
	struct chat_thread *thread; /* the open conversation, or NULL */
	struct chat_reply *reply;

	struct api_req *req;
	enum fetch_kind fetching;
	char *next; /* the cursor of the next recent page, or NULL */
	/* Where the unread walk paused: before the pane is first shown only
	 * the first page of unread conversations is asked for, so a start
	 * with thousands of them makes one request, and the total reads
	 * "N+" until the rest is loaded. */
	char *unread_next;
	bool shown;          /* the pane has been in front since sign-in */
	bool loaded;         /* the first recent page arrived */
	bool refetch;        /* an unknown conversation spoke: fetch again */
	char *error;         /* the last fetch's failure, sanitised */
	int64_t want_client; /* open this client's conversation when found */

	struct api_req *read_req;
	int64_t read_sent; /* the newest message id marked read */
	/* The last read we sent, kept across opening others (keep_read). */
	int64_t read_conv, read_upto;
	int64_t notified_max;
	long long *muted; /* muted for this session (beyond the config) */
	size_t nmuted;
	bool focused;
	long long me_id; /* who the loaded conversations were for */
	int rows, cols;
	/* The window holds the list as last drawn (not the thread or the
	 * empty state) at this width, with this footer: a frame whose pane
	 * window is kept draws only the rows that changed. */
	bool list_shown;
	int list_cols;
	uint64_t footer_drawn;
};

static void fetch(struct chat *c, enum fetch_kind kind, const char *cursor);

/* ---- unread and mutes ---------------------------------------------------- */

/* The tab's and the status line's unread total. */
static void
unread_update(struct chat *c)
{
	app_set_unread(c->app, chat_store_unread_total(c->store),
	               c->unread_next != NULL);
}

/* True when id is muted, in the config or for this session. */
static bool
is_muted(const struct chat *c, int64_t id)
{
	const struct config *cfg = c->app->cfg;
	size_t i;

	for (i = 0; cfg != NULL && i < cfg->nmuted; i++)
		if (cfg->muted[i] == id)
			return true;
	for (i = 0; i < c->nmuted; i++)
		if (c->muted[i] == id)
			return true;
	return false;
}

/* m: mutes or unmutes conversation id for the session. */
static void
toggle_mute(struct chat *c, int64_t id)
{
	const struct config *cfg = c->app->cfg;
	size_t i;

	for (i = 0; cfg != NULL && i < cfg->nmuted; i++)
		if (cfg->muted[i] == id) {
			app_notice(c->app, false,
			           "conversation %lld is muted in the config "
			           "file (muted = ...)",
			           (long long)id);
			return;
		}
	for (i = 0; i < c->nmuted; i++)
		if (c->muted[i] == id) {
			c->muted[i] = c->muted[--c->nmuted];
			app_notice(c->app, false, "conversation %lld unmuted",
			           (long long)id);
			return;
		}
	c->muted = xreallocarray(c->muted, c->nmuted + 1, sizeof *c->muted);
	c->muted[c->nmuted++] = id;
	app_notice(c->app, false, "conversation %lld muted for this session",
	           (long long)id);
}

/* ---- fetching ---------------------------------------------------------- */

static bool
can_fetch(const struct chat *c)
{
	return c->app->api != NULL && c->app->signed_in;
}

/* Opens the conversation of the client another pane asked for. */
static void open_wanted(struct chat *c);

/*
 * A page asked for before the service took our last read (over HTTP/2 and
 * several workers the two run side by side) still counts what we read as
 * unread: what we marked read stays read unless the page knows a newer
 * message.
 */
static void
keep_read(struct chat *c)
{
	const struct conversation *cv;

	if (c->read_conv == 0)
		return;
	cv = chat_store_conversation(c->store, c->read_conv);
	if (cv != NULL && cv->unread_count > 0 && cv->has_last_message &&
	    cv->last_message.id <= c->read_upto)
		chat_store_set_unread(c->store, c->read_conv, 0);
}

/* A page of conversations arrived: merged, then the walk goes on. */
static void
on_page(struct conversation_page *p, const struct sc_error *err, void *ud)
{
	struct chat *c = ud;
	long long keep = list_selected_id(&c->list);
	enum fetch_kind kind = c->fetching;
	char *next = p->next;

	c->req = NULL;
	p->next = NULL;
	free(c->error);
	c->error = NULL;
	if (err->kind != SC_OK) {
		app_request_failed(c->app, &c->error, "chat", err);
		conversation_page_free(p);
		free(next);
		app_redraw(c->app);
		return;
	}
	chat_store_merge(c->store, p);
	conversation_page_free(p);
	keep_read(c);
	if (keep < 0 || !list_select_id(&c->list, keep))
		list_changed(&c->list);
	unread_update(c);
	if (kind == FETCH_UNREAD) {
		free(c->unread_next);
		c->unread_next = NULL;
	}
	if (kind == FETCH_UNREAD && next != NULL && c->shown)
		fetch(c, FETCH_UNREAD, next);
	else if (kind == FETCH_UNREAD) {
		c->unread_next = next; /* NULL when the walk ended */
		next = NULL;
		unread_update(c);
		fetch(c, FETCH_RECENT, NULL);
	} else if (kind == FETCH_RECENT) {
		free(c->next);
		c->next = next;
		next = NULL;
		c->loaded = true;
	}
	free(next);
	if (c->req == NULL && c->refetch) {
		c->refetch = false;
		fetch(c, FETCH_UNREAD, NULL);
	}
	/* Shown while the first pages were on their way: walk on. */
	if (c->req == NULL && c->shown && c->unread_next != NULL)
		fetch(c, FETCH_UNREAD, c->unread_next);
	open_wanted(c);
	app_redraw(c->app);
}

/* Starts a page fetch of kind (cursor NULL: its first page). */
static void
fetch(struct chat *c, enum fetch_kind kind, const char *cursor)
{
	char *q, *esc = NULL;
	const char *filter = chat_list_filter_text(c->convs);

	if (!can_fetch(c))
		return;
	if (c->req != NULL)
		api_cancel(c->app->api, c->req);
	if (cursor != NULL)
		esc = api_escape(cursor);
	if (kind == FETCH_SEARCH) {
		char *needle = api_escape(filter != NULL ? filter : "");

		q = xasprintf("q=%s&limit=%d", needle, PAGE_LIMIT);
		free(needle);
	} else
		q = xasprintf("%slimit=%d%s%s",
		              kind == FETCH_UNREAD ? "unread=1&" : "",
		              PAGE_LIMIT, esc != NULL ? "&cursor=" : "",
		              esc != NULL ? esc : "");
	c->fetching = kind;
	c->req = api_conversations(c->app->api, q, on_page, c);
	free(q);
	free(esc);
}

/* Everything again: every unread conversation, then the recent ones. */
static void
fetch_all(struct chat *c)
{
	fetch(c, FETCH_UNREAD, NULL);
}

/* The next page of recent conversations, when there is one. */
static void
fetch_more(struct chat *c)
{
	if (c->next != NULL && c->req == NULL && c->loaded)
		fetch(c, FETCH_RECENT, c->next);
}

/* ---- opening a conversation ------------------------------------------- */

/* Opens conversation cv (closing any other). */
static void
open_conv(struct chat *c, const struct conversation *cv)
{
	chat_thread_free(c->thread);
	c->thread = chat_thread_new(c->app, cv, c->flags);
	c->read_sent = 0;
}

/* Closes the open conversation, back to the list on the same row. */
static void
close_conv(struct chat *c)
{
	int64_t id = c->thread != NULL ? chat_thread_id(c->thread) : 0;

	chat_thread_free(c->thread);
	c->thread = NULL;
	if (id != 0)
		list_select_id(&c->list, id);
	list_changed(&c->list);
}

static void
open_wanted(struct chat *c)
{
	const struct conversation *cv;

	if (c->want_client == 0)
		return;
	cv = chat_store_find_client(c->store, c->want_client);
	if (cv != NULL) {
		c->want_client = 0;
		chat_list_filter(c->convs, NULL);
		list_select_id(&c->list, cv->id);
		open_conv(c, cv);
	} else if (c->next != NULL || !c->loaded) {
		fetch_more(c); /* not among the loaded ones yet */
	} else if (c->req == NULL) {
		app_notice(c->app, true, "client %lld has no conversation",
		           (long long)c->want_client);
		c->want_client = 0;
	}
}

/* ---- read marking -------------------------------------------------------- */

static void
on_read(const struct sc_error *err, void *ud)
{
	struct chat *c = ud;

	c->read_req = NULL;
	if (err->kind != SC_OK)
		app_notice(c->app, true, "marking read: %s", err->message);
}

/*
 * The open conversation's newest message was drawn with the pane in
 * front: it is read. Done after drawing because only the draw knows
 * what fitted on screen; the request is asynchronous.
 */
static void
mark_read(struct chat *c)
{
	int64_t newest, id;
	const struct conversation *cv;

	if (c->thread == NULL || !c->focused || c->app->term_away ||
	    !can_fetch(c) || c->app->readonly)
		return;
	newest = chat_thread_newest_seen(c->thread);
	id = chat_thread_id(c->thread);
	cv = chat_store_conversation(c->store, id);
	if (newest <= c->read_sent || (cv != NULL && cv->unread_count == 0))
		return;
	c->read_sent = newest;
	c->read_conv = id;
	c->read_upto = newest;
	if (c->read_req != NULL)
		api_cancel(c->app->api, c->read_req);
	c->read_req = api_mark_read(c->app->api, id, newest, on_read, c);
	chat_store_set_unread(c->store, id, 0);
	unread_update(c);
}

/* ---- live events --------------------------------------------------------- */

/* Announces a client's new message, unless muted or in front. */
static void
announce(struct chat *c, const struct message *m)
{
	const struct conversation *cv =
	    chat_store_conversation(c->store, m->conversation_id);
	const char *who = cv != NULL && cv->client.name != NULL
	                      ? cv->client.name
	                      : m->author.name;
	bool in_front = c->focused && !c->app->term_away && c->thread != NULL &&
	                chat_thread_id(c->thread) == m->conversation_id;
	char *title;

	if (m->id <= c->notified_max)
		return;
	c->notified_max = m->id;
	if (m->author.kind != AUTHOR_CLIENT || in_front ||
	    is_muted(c, m->conversation_id) || c->app->notify == NULL)
		return;
	title =
	    xasprintf("New message from %s", who != NULL ? who : "a client");
	notify_send(c->app->notify, title, m->body, NOTIFY_NORMAL);
	free(title);
}

/* message.created: list, open conversation, unread, announcement. */
static void
on_message(struct chat *c, const struct message *m)
{
	long long keep = list_selected_id(&c->list);

	if (!chat_store_message(c->store, m, false) &&
	    chat_store_conversation(c->store, m->conversation_id) == NULL) {
		/* A conversation not loaded: fetch it with the others. */
		if (c->req != NULL)
			c->refetch = true;
		else
			fetch_all(c);
	}
	if (keep >= 0)
		list_select_id(&c->list, keep);
	list_changed(&c->list);
	announce(c, m);
	unread_update(c);
}

/* A server event; only chat events concern this pane. */
static enum view_result
on_server(struct chat *c, const struct event_payload *e)
{
	switch (e->type) {
	case EVENT_MESSAGE_CREATED:
		on_message(c, &e->message);
		return VIEW_REDRAW;
	case EVENT_CONVERSATION_READ:
		chat_store_set_unread(c->store, e->conversation_id,
		                      e->unread_count);
		list_changed(&c->list);
		unread_update(c);
		return VIEW_REDRAW;
	default:
		return VIEW_UNHANDLED;
	}
}

/* The replies in the outbox go into the store as pending. */
static void
pending_update(struct chat *c)
{
	struct sender *s = c->app->sender;
	const struct outbox_item *it;
	enum sender_item_state st;
	size_t i;

	for (i = 0; s != NULL && i < sender_count(s); i++) {
		it = sender_item(s, i, &st);
		if (it->kind == OUTBOX_MESSAGE)
			chat_store_pending_add(c->store, it->target_id, it->id);
	}
}

/* The outbox moved: a sent reply joins the conversation, settling its
 * pending copy. */
static void
on_outbox(struct chat *c, const struct sender_report *r)
{
	if (r != NULL && r->message != NULL) {
		chat_store_message(c->store, r->message, true);
		if (r->message->id > c->notified_max)
			c->notified_max = r->message->id;
		list_changed(&c->list);
	}
	pending_update(c);
	if (c->thread != NULL)
		chat_thread_outbox_changed(c->thread);
}

/* ---- drawing the list ---------------------------------------------------- */

/* The preview: a draft mark, a mute mark, then the last message. */
static char *
preview(const struct chat *c, const struct conversation *cv)
{
	char *body = cv->has_last_message
	                 ? chat_format_preview(cv->last_message.body, c->flags)
	                 : xstrdup("(no messages yet)");
	bool staff = cv->has_last_message &&
	             cv->last_message.author.kind == AUTHOR_STAFF;
	bool mine = staff && cv->last_message.author.id ==
	                         me_store_id(c->app->store->me);
	char *out =
	    xasprintf("%s%s%s%s",
	              chat_reply_has_draft(c->reply, cv->id) ? "[draft] " : "",
	              is_muted(c, cv->id) ? "[muted] " : "",
	              mine    ? "you: "
	              : staff ? "staff: "
	                      : "",
	              body);

	free(body);
	return out;
}

/* The list helper's draw_row: one conversation. */
static void
draw_row(void *ud, void *win, int y, size_t i, int width, bool selected,
         bool marked)
{
	struct chat *c = ud;
	const struct conversation *cv = chat_list_at(c->convs, i);
	WINDOW *w = win;
	attr_t base = (attr_t)theme_row(selected);
	attr_t strong = cv->unread_count > 0 ? A_BOLD : 0;
	/* The cursor row is one span of reverse video, as in the task list,
	 * and an unread row is bold from end to end, as a mail index draws
	 * it: coloured cells in them would cost a full attribute reset
	 * either side on every row drawn (theme.h), and their words say the
	 * same. A read row's company and time are plain in colour, dim
	 * without (THEME_ASIDE), for the same reason. */
	attr_t dim = selected || strong ? base | strong
	                                : (attr_t)theme_over(base, THEME_ASIDE);
	struct column_layout l;
	char buf[32] = "";
	char *pv;

	(void)marked;
	y += HEADER_ROWS;
	chat_format_layout(width, &l);
	/* The gaps between an unread row's bold cells bold too: a blank
	 * shows the same either way, and the terminal is not sent an
	 * attribute change around each gap. Each cell's padding is left as
	 * that blank (columns_draw_word). */
	columns_draw_blank(w, y, width, base | strong);
	wattrset(w, base);
	if (cv->unread_count > 0)
		snprintf(buf, sizeof buf, "%" PRId64, cv->unread_count);
	/* No count, no colour: a blank cell in the row's own attributes. */
	if (buf[0] != '\0')
		columns_draw_word(
		    w, y, &l, CHAT_COL_UNREAD, buf,
		    selected ? base
		             : (attr_t)theme_over(base, THEME_WARN) | A_BOLD,
		    c->flags);
	columns_draw_word(w, y, &l, CHAT_COL_CLIENT, cv->client.name,
	                  base | strong, c->flags);
	columns_draw_word(w, y, &l, CHAT_COL_COMPANY, cv->client.company, dim,
	                  c->flags);
	pv = preview(c, cv);
	columns_draw_word(w, y, &l, CHAT_COL_PREVIEW, pv, base | strong,
	                  c->flags);
	free(pv);
	buf[0] = '\0';
	if (cv->has_last_message_at)
		chat_format_when(time(NULL), cv->last_message_at, buf,
		                 sizeof buf);
	columns_draw_word(w, y, &l, CHAT_COL_WHEN, buf, dim, c->flags);
	wattrset(w, A_NORMAL);
}

/* The header: the column names. */
static void
draw_header(struct chat *c, WINDOW *w, int cols)
{
	struct column_layout l;

	chat_format_layout(cols, &l);
	columns_draw_header(w, 0, &l, (attr_t)theme_attr(THEME_TITLE),
	                    c->flags);
}

/* The footer: filter, counts, loading. */
static void
draw_footer(struct chat *c, WINDOW *w, int y, int cols)
{
	const char *f = chat_list_filter_text(c->convs);
	char *line, *clean, *fit;

	line = xasprintf(" %s%s%s%zu%s conversation%s | %" PRId64 "%s unread%s",
	                 f != NULL ? "client ~ \"" : "", f != NULL ? f : "",
	                 f != NULL ? "\" | " : "", chat_list_count(c->convs),
	                 c->next != NULL ? "+" : "",
	                 chat_list_count(c->convs) == 1 ? "" : "s",
	                 chat_store_unread_total(c->store),
	                 c->unread_next != NULL ? "+" : "",
	                 c->req != NULL ? " | loading..." : "");
	if (hash_str(HASH_INIT, line) == c->footer_drawn) {
		free(line);
		return; /* the window holds it already */
	}
	c->footer_drawn = hash_str(HASH_INIT, line);
	clean = sanitize_str(line, c->flags | SANITIZE_TABS_AS_SPACE);
	fit = sanitize_fit(clean, cols, c->flags);
	wattrset(w, A_NORMAL);
	wmove(w, y, 0);
	wclrtoeol(w);
	wattrset(w, (attr_t)theme_attr(THEME_DIM));
	mvwaddstr(w, y, 0, fit);
	free(fit);
	free(clean);
	free(line);
}

/* What shows instead of rows. */
static void
draw_empty(struct chat *c, WINDOW *w, int cols)
{
	const char *f = chat_list_filter_text(c->convs);
	enum theme_item item = THEME_DIM;
	char *line, *clean, *fit;

	if (c->error != NULL) {
		line = xasprintf("could not load conversations: %s (r retries)",
		                 c->error);
		item = THEME_ERROR;
	} else if (c->req != NULL || (!c->loaded && can_fetch(c)))
		line = xstrdup("loading conversations...");
	else if (f != NULL)
		line = xasprintf("no conversation with a client matching "
		                 "\"%s\" (:filter clear shows all)",
		                 f);
	else if (c->loaded)
		line = xstrdup("no conversations yet");
	else
		line = xstrdup("not signed in");
	clean = sanitize_str(line, c->flags | SANITIZE_TABS_AS_SPACE);
	fit = sanitize_fit(clean, cols - 2, c->flags);
	wattrset(w, (attr_t)theme_attr(item));
	mvwaddstr(w, HEADER_ROWS, 1, fit);
	free(fit);
	free(clean);
	free(line);
}

static void
chat_resize(void *state, int rows, int cols)
{
	struct chat *c = state;

	c->rows = rows;
	c->cols = cols;
	list_resize(&c->list, rows - HEADER_ROWS - FOOTER_ROWS);
}

static void
chat_draw(void *state, void *win, int rows, int cols)
{
	struct chat *c = state;
	WINDOW *w = win;

	if (c->thread != NULL) {
		chat_thread_draw(c->thread, win, rows, cols);
		mark_read(c);
		c->list_shown = false;
		return;
	}
	if (rows != c->rows || cols != c->cols)
		chat_resize(c, rows, cols);
	if (!c->app->pane_kept || !c->list_shown || cols != c->list_cols ||
	    chat_list_count(c->convs) == 0) {
		werase(w);
		list_forget(&c->list);
		c->footer_drawn = 0;
		draw_header(c, w, cols);
	}
	c->list_shown = chat_list_count(c->convs) > 0;
	c->list_cols = cols;
	if (!c->list_shown)
		draw_empty(c, w, cols);
	else
		list_draw(&c->list, w, cols);
	if (rows > HEADER_ROWS + FOOTER_ROWS)
		draw_footer(c, w, rows - 1, cols);
	wattrset(w, A_NORMAL);
}

/* ---- actions ----------------------------------------------------------- */

static size_t
row_count(void *ud)
{
	return chat_list_count(((struct chat *)ud)->convs);
}

static long long
row_id(void *ud, size_t i)
{
	return chat_list_at(((struct chat *)ud)->convs, i)->id;
}

static bool
row_matches(void *ud, size_t i, const char *needle)
{
	return chat_format_matches(chat_list_at(((struct chat *)ud)->convs, i),
	                           needle);
}

/* The list helper's row_sig: everything draw_row shows for row i (the
 * age as drawn, so a row is drawn again when its minute or day turns). */
static unsigned long long
row_sig(void *ud, size_t i, bool selected, bool marked)
{
	struct chat *c = ud;
	const struct conversation *cv = chat_list_at(c->convs, i);
	char when[32] = "";
	char *pv = preview(c, cv);
	uint64_t h =
	    hash_bytes(HASH_INIT, &cv->unread_count, sizeof cv->unread_count);

	(void)marked;
	if (cv->has_last_message_at)
		chat_format_when(time(NULL), cv->last_message_at, when,
		                 sizeof when);
	h = hash_str(hash_str(h, cv->client.name), cv->client.company);
	h = hash_str(hash_str(h, pv), when);
	free(pv);
	return hash_bytes(h, &selected, sizeof selected);
}

/* The list helper's clear_row: a line below the last row. */
static void
clear_row(void *ud, void *win, int y)
{
	(void)ud;
	wattrset((WINDOW *)win, A_NORMAL);
	wmove(win, y + HEADER_ROWS, 0);
	wclrtoeol(win);
}

static const struct list_ops row_ops = {
	.count = row_count,
	.id_at = row_id,
	.draw_row = draw_row,
	.row_sig = row_sig,
	.clear_row = clear_row,
	.matches = row_matches,
};

/* The selected conversation (list) or the open one, or NULL. */
static const struct conversation *
current(const struct chat *c)
{
	long long id = c->thread != NULL ? chat_thread_id(c->thread)
	                                 : list_selected_id(&c->list);

	return id >= 0 ? chat_store_conversation(c->store, id) : NULL;
}

/* / NAME or :filter NAME: only clients matching; "clear" or "" ends it. */
static enum view_result
do_filter(struct chat *c, const char *args)
{
	const char *s = args + strspn(args, " \t");

	if (strcmp(s, "clear") == 0 || s[0] == '\0') {
		chat_list_filter(c->convs, NULL);
		app_notice(c->app, false, "showing every conversation");
	} else {
		chat_list_filter(c->convs, s);
		fetch(c, FETCH_SEARCH, NULL);
	}
	c->list.cursor = c->list.top = 0;
	list_changed(&c->list);
	return VIEW_REDRAW;
}

/* r or E: a reply to the open (or selected) conversation. */
static enum view_result
do_reply(struct chat *c, bool editor, const char *args)
{
	const struct conversation *cv = current(c);

	if (c->thread != NULL)
		chat_reply_start(c->reply, chat_thread_id(c->thread),
		                 chat_thread_client(c->thread), editor, args);
	else if (cv != NULL)
		chat_reply_start(c->reply, cv->id, &cv->client, editor, args);
	else
		app_notice(c->app, false, "open a conversation first");
	return VIEW_REDRAW;
}

/* T: the client's tasks, in the Tasks pane. */
static enum view_result
do_client_tasks(struct chat *c)
{
	const struct client_ref *cl = c->thread != NULL
	                                  ? chat_thread_client(c->thread)
	                              : current(c) != NULL ? &current(c)->client
	                                                   : NULL;

	if (cl != NULL)
		app_goto(c->app, PANE_TASKS, cl->id);
	return VIEW_HANDLED;
}

/* Where conversation id sits in the store's order, or n when absent. */
static size_t
store_index(const struct chat *c, int64_t id, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (chat_store_at(c->store, i)->id == id)
			return i;
	return n;
}

/*
 * The hotlist (weechat's M-a): opens the first conversation with unread
 * messages after the current one in the store's order, wrapping round,
 * whatever the list's filter hides.
 */
static enum view_result
next_unread(struct chat *c)
{
	size_t k, n = chat_store_count(c->store);
	const struct conversation *cur = current(c), *cv;
	/* The one after the current (last of all), else the first. */
	size_t start = cur != NULL ? store_index(c, cur->id, n) + 1 : 0;

	for (k = 0; k < n; k++) {
		cv = chat_store_at(c->store, (start + k) % n);
		if (cv == NULL || cv->unread_count == 0)
			continue;
		list_select_id(&c->list, cv->id);
		open_conv(c, cv);
		return VIEW_REDRAW;
	}
	app_notice(c->app, false, "no unread conversations");
	return VIEW_REDRAW;
}

/* Actions common to the list and the open conversation. */
static enum view_result
common_action(struct chat *c, enum action a, const char *args)
{
	const struct conversation *cv;

	switch (a) {
	case ACTION_REPLY:
	case ACTION_REPLY_EDITOR:
		return do_reply(c, a == ACTION_REPLY_EDITOR, args);
	case ACTION_MUTE:
		cv = current(c);
		if (cv != NULL)
			toggle_mute(c, cv->id);
		else if (c->thread != NULL)
			toggle_mute(c, chat_thread_id(c->thread));
		return VIEW_REDRAW;
	case ACTION_CLIENT_TASKS:
		return do_client_tasks(c);
	case ACTION_CLIENT_CHAT:
		return VIEW_HANDLED; /* already here */
	case ACTION_NEXT_UNREAD:
		return next_unread(c);
	default:
		return VIEW_UNHANDLED;
	}
}

/* Actions while a conversation is open. */
static enum view_result
thread_action(struct chat *c, enum action a)
{
	switch (a) {
	case ACTION_BACK:
		close_conv(c);
		return VIEW_REDRAW;
	case ACTION_REFRESH:
		chat_thread_reload(c->thread);
		return VIEW_REDRAW;
	case ACTION_OPEN:
		return VIEW_HANDLED;
	default:
		return chat_thread_action(c->thread, a);
	}
}

/* A movement of the list; near the end, the next page is fetched. */
static enum view_result
scroll_list(struct chat *c, enum action a)
{
	enum list_result r = list_action(&c->list, a);

	if (r == LIST_NEAR_END)
		fetch_more(c);
	return list_view_result(r);
}

static enum view_result
chat_action(void *state, enum action a, const char *args)
{
	struct chat *c = state;
	enum view_result r = common_action(c, a, args);
	const struct conversation *cv;

	if (r != VIEW_UNHANDLED)
		return r;
	if (c->thread != NULL)
		return thread_action(c, a);
	switch (a) {
	case ACTION_OPEN:
		cv = current(c);
		if (cv != NULL)
			open_conv(c, cv);
		return VIEW_REDRAW;
	case ACTION_REFRESH:
		fetch_all(c);
		return VIEW_REDRAW;
	case ACTION_FILTER:
	case ACTION_SEARCH:
		return args == NULL ? VIEW_UNHANDLED : do_filter(c, args);
	default:
		return scroll_list(c, a);
	}
}

/* A click selects a row; a click on the selected row opens it. */
static enum view_result
chat_click(void *state, int row, int col)
{
	struct chat *c = state;
	size_t before = c->list.cursor;

	(void)col;
	if (c->thread != NULL || chat_list_count(c->convs) == 0)
		return VIEW_HANDLED;
	if (!list_select_visible(&c->list, row - HEADER_ROWS))
		return VIEW_HANDLED;
	if (c->list.cursor == before)
		return chat_action(c, ACTION_OPEN, NULL);
	return VIEW_REDRAW;
}

/* ---- the rest of the view interface -------------------------------------- */

/* Another pane asked for a client's conversation. */
static enum view_result
show_client(struct chat *c, long long client_id)
{
	if (c->thread != NULL && chat_thread_client(c->thread)->id == client_id)
		return VIEW_HANDLED;
	if (c->thread != NULL)
		close_conv(c);
	c->want_client = client_id;
	open_wanted(c);
	return VIEW_REDRAW;
}

static enum view_result
chat_event(void *state, const struct app_event *ev)
{
	struct chat *c = state;

	switch (ev->kind) {
	case APP_EV_SIGNED_IN:
		/* Someone else signed in: nothing of the last one's stays. */
		if (c->me_id != me_store_id(c->app->store->me)) {
			if (c->thread != NULL)
				close_conv(c);
			chat_store_clear(c->store);
			list_changed(&c->list);
			c->me_id = me_store_id(c->app->store->me);
			c->shown = c->focused;
			free(c->unread_next);
			c->unread_next = NULL;
		}
		fetch_all(c);
		return VIEW_REDRAW;
	case APP_EV_SERVER:
		return ev->data != NULL ? on_server(c, ev->data)
		                        : VIEW_UNHANDLED;
	case APP_EV_RESYNC:
		fetch_all(c);
		if (c->thread != NULL)
			chat_thread_reload(c->thread);
		return VIEW_REDRAW;
	case APP_EV_OUTBOX:
		on_outbox(c, ev->data);
		return VIEW_REDRAW;
	case APP_EV_CLIENT:
		return show_client(c, ev->id);
	case APP_EV_ATTENTION:
		if (c->thread != NULL)
			close_conv(c);
		list_select_id(&c->list, ev->id);
		return VIEW_REDRAW;
	case APP_EV_TICK:
		return VIEW_HANDLED;
	case APP_EV_TERM_FOCUS:
		/* Back: the draw marks what is on screen as read. */
		return c->thread != NULL && c->focused ? VIEW_REDRAW
		                                       : VIEW_HANDLED;
	default:
		return VIEW_UNHANDLED;
	}
}

static void
chat_focus(void *state, bool focused)
{
	struct chat *c = state;

	c->focused = focused;
	c->shown = c->shown || focused;
	if (focused && !c->loaded && c->req == NULL)
		fetch_all(c);
	else if (focused && c->unread_next != NULL && c->req == NULL)
		fetch(c, FETCH_UNREAD, c->unread_next);
}

static enum key_context
chat_context(void *state)
{
	struct chat *c = state;

	return c->thread != NULL ? KEYCTX_DETAIL : KEYCTX_LIST;
}

static void *
chat_open(struct app *app)
{
	struct chat *c = xcalloc(1, sizeof *c);

	c->app = app;
	c->flags = term_utf8() ? 0 : SANITIZE_ASCII;
	c->store = app->store->chat;
	c->convs = chat_list_new(c->store);
	c->reply = chat_reply_new(app);
	list_init(&c->list, &row_ops, c);
	/* The first fetch waits for APP_EV_SIGNED_IN. */
	return c;
}

static void
chat_free(void *state)
{
	struct chat *c = state;

	if (c == NULL)
		return;
	chat_thread_free(c->thread);
	if (c->app->api != NULL) {
		api_cancel(c->app->api, c->req);
		api_cancel(c->app->api, c->read_req);
	}
	chat_reply_free(c->reply);
	chat_list_free(c->convs);
	list_free(&c->list);
	free(c->next);
	free(c->unread_next);
	free(c->error);
	free(c->muted);
	free(c);
}

/* The hint bar: the keys this pane is used with most. */
static const struct hint chat_list_hints[] = {
	{ ACTION_DOWN, ACTION_UP, "move" },
	{ ACTION_OPEN, ACTION_NONE, "open" },
	{ ACTION_SEARCH, ACTION_NONE, "search" },
	{ ACTION_MUTE, ACTION_NONE, "mute" },
	{ ACTION_HELP, ACTION_NONE, "help" },
	{ ACTION_NONE, ACTION_NONE, NULL },
};

static const struct hint chat_detail_hints[] = {
	{ ACTION_DOWN, ACTION_UP, "scroll" },
	{ ACTION_REPLY, ACTION_NONE, "reply" },
	{ ACTION_REPLY_EDITOR, ACTION_NONE, "reply in $EDITOR" },
	{ ACTION_MUTE, ACTION_NONE, "mute" },
	{ ACTION_BACK, ACTION_NONE, "back" },
	{ ACTION_HELP, ACTION_NONE, "help" },
	{ ACTION_NONE, ACTION_NONE, NULL },
};

/* The pane's own actions: the help lists them only while it shows. */
static const enum action chat_own_actions[] = {
	ACTION_REPLY,        ACTION_REPLY_EDITOR, ACTION_MUTE,
	ACTION_CLIENT_TASKS, ACTION_CLIENT_CHAT,  ACTION_NONE,
};

const struct view_ops chat_view = {
	.name = "Chat",
	.title = "Chat",
	.permission = PERM_CHAT_READ,
	.open = chat_open,
	.free = chat_free,
	.resize = chat_resize,
	.draw = chat_draw,
	.action = chat_action,
	.event = chat_event,
	.focus = chat_focus,
	.context = chat_context,
	.hints = { [KEYCTX_LIST] = chat_list_hints,
	           [KEYCTX_DETAIL] = chat_detail_hints },
	.own_actions = chat_own_actions,
	.click = chat_click,
};
