/* One open conversation: see chat_thread.h. */
#include "views/chat/chat_thread.h"

#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/client/api.h"
#include "net/store/chat_store.h"
#include "net/store/me_store.h"
#include "net/store/sender.h"
#include "net/store/store.h"
#include "net/base/xmalloc.h"
#include "tui/app.h"
#include "tui/overlay.h"
#include "tui/sanitize.h"
#include "tui/theme.h"
#include "views/chat/chat_format.h"
#include "views/shared/task_format.h"

/* Messages per history page: a few screens. */
#define PAGE_LIMIT 50
/* The title row above the messages and the footer row below. */
#define TITLE_ROWS  1
#define FOOTER_ROWS 1

/* Which end of the conversation the last change added lines at. */
enum grew { GREW_NONE, GREW_TOP, GREW_BOTTOM };

/* One screen line of the laid-out conversation. */
struct tline {
	char *text; /* sanitised */
	enum theme_item item;
	int indent;
	bool center;
};

/*
 * The state: view state only, the messages are the store's. floor is the
 * oldest message id shown: the store may hold older ones, but between
 * them and the oldest page fetched here there may be a gap (events missed
 * while the conversation was closed). scroll counts lines from the
 * bottom (0: the newest line is on screen), so history prepended above
 * does not move what is shown.
 */
struct chat_thread {
	struct app *app;
	unsigned flags;
	int64_t id;
	struct client_ref client;

	struct chat_store *store;
	int64_t floor;       /* the oldest id shown (INT64_MAX: none yet) */
	bool paging;         /* a page is going into the store */
	bool has_more;       /* older messages exist on the server */
	bool loaded;         /* the first page arrived */
	struct api_req *req; /* a page in flight */
	bool req_older;      /* ...which is an older page */
	char *error;         /* the last fetch's failure, sanitised */

	struct tline *lines;
	size_t nlines;
	int width; /* the width lines were laid out for */
	bool stale;
	enum grew grew;

	size_t scroll;
	int height;
	size_t new_below; /* messages that arrived while scrolled up */
	bool bottom_seen; /* the last draw showed the newest line */
};

static void fetch(struct chat_thread *t, const char *query, bool older);

/* ---- messages ---------------------------------------------------------- */

/* The index in the store of the first message shown. */
static size_t
first_shown(const struct chat_thread *t)
{
	return chat_store_message_from(t->store, t->id, t->floor);
}

/* How many messages are shown. */
static size_t
nshown(const struct chat_thread *t)
{
	size_t n = chat_store_nmessages(t->store, t->id);
	size_t first = first_shown(t);

	return n > first ? n - first : 0;
}

/* Shown message i (0: the oldest shown). */
static const struct message *
shown_at(const struct chat_thread *t, size_t i)
{
	return chat_store_message_at(t->store, t->id, first_shown(t) + i);
}

/* The newest message shown, or NULL. */
static const struct message *
newest(const struct chat_thread *t)
{
	size_t n = nshown(t);

	return n > 0 ? shown_at(t, n - 1) : NULL;
}

/*
 * The store changed. A live message that is now the newest one grows the
 * conversation at the bottom, and counts as new below while scrolled up;
 * pages say where they grew themselves.
 */
static void
on_store(void *ud, enum chat_change change, int64_t conversation,
         int64_t message)
{
	struct chat_thread *t = ud;
	const struct message *last;

	if (change != CHAT_REMOVED && conversation != t->id)
		return;
	t->stale = true;
	if (change != CHAT_INSERTED || message == 0 || t->paging)
		return;
	last = newest(t);
	if (last != NULL && last->id == message) {
		t->grew = GREW_BOTTOM;
		if (t->scroll > 0)
			t->new_below++;
	}
}

/* ---- fetching ---------------------------------------------------------- */

/* A page of messages arrived: newest, newer (after a resync) or older. */
static void
on_page(struct message_page *p, const struct sc_error *err, void *ud)
{
	struct chat_thread *t = ud;
	bool older = t->req_older;
	int64_t oldest;

	t->req = NULL;
	free(t->error);
	t->error = NULL;
	if (err->kind != SC_OK) {
		app_request_failed(t->app, &t->error, "messages", err);
	} else {
		oldest = p->n > 0 ? p->items[0].id : 0;
		/* has_more speaks of older messages except after ?after=. */
		if (older || !t->loaded) {
			t->has_more = p->has_more;
			t->floor = p->has_more ? oldest : 0;
		}
		t->paging = true;
		chat_store_messages(t->store, t->id, p);
		t->paging = false;
		t->grew = older ? GREW_TOP : GREW_BOTTOM;
		t->loaded = true;
	}
	message_page_free(p);
	app_redraw(t->app);
}

/* Starts a page fetch; one at a time. */
static void
fetch(struct chat_thread *t, const char *query, bool older)
{
	if (t->req != NULL || t->app->api == NULL || !t->app->signed_in)
		return;
	t->req_older = older;
	t->req = api_messages(t->app->api, t->id, query, on_page, t);
}

/* The page before the oldest message, when there is one. */
static void
fetch_older(struct chat_thread *t)
{
	char q[64];

	if (!t->has_more || nshown(t) == 0 || t->req != NULL ||
	    t->error != NULL)
		return;
	snprintf(q, sizeof q, "before=%" PRId64 "&limit=%d", shown_at(t, 0)->id,
	         PAGE_LIMIT);
	fetch(t, q, true);
}

void
chat_thread_reload(struct chat_thread *t)
{
	char q[64];

	free(t->error);
	t->error = NULL;
	if (!t->loaded || newest(t) == NULL)
		snprintf(q, sizeof q, "limit=%d", PAGE_LIMIT);
	else
		snprintf(q, sizeof q, "after=%" PRId64 "&limit=100",
		         newest(t)->id);
	fetch(t, q, false);
}

/* ---- the object ---------------------------------------------------------- */

struct chat_thread *
chat_thread_new(struct app *app, const struct conversation *c, unsigned flags)
{
	struct chat_thread *t = xcalloc(1, sizeof *t);

	t->app = app;
	t->flags = flags;
	t->id = c->id;
	t->client.id = c->client.id;
	t->client.name = xstrdup(c->client.name ? c->client.name : "");
	t->client.company = xstrdup(c->client.company ? c->client.company : "");
	t->stale = true;
	t->store = app->store->chat;
	t->floor = INT64_MAX;
	chat_store_listen(t->store, on_store, t);
	chat_thread_reload(t);
	return t;
}

/* Frees the laid-out lines. */
static void
lines_clear(struct chat_thread *t)
{
	size_t i;

	for (i = 0; i < t->nlines; i++)
		free(t->lines[i].text);
	free(t->lines);
	t->lines = NULL;
	t->nlines = 0;
}

void
chat_thread_free(struct chat_thread *t)
{
	if (t == NULL)
		return;
	if (t->app->api != NULL)
		api_cancel(t->app->api, t->req);
	chat_store_unlisten(t->store, on_store, t);
	lines_clear(t);
	free(t->client.name);
	free(t->client.company);
	free(t->error);
	free(t);
}

int64_t
chat_thread_id(const struct chat_thread *t)
{
	return t->id;
}

const struct client_ref *
chat_thread_client(const struct chat_thread *t)
{
	return &t->client;
}

void
chat_thread_outbox_changed(struct chat_thread *t)
{
	t->stale = true;
	t->grew = GREW_BOTTOM;
}

/* ---- laying out ---------------------------------------------------------- */

/* Appends one line (text taken). */
static void
add(struct chat_thread *t, char *text_taken, enum theme_item item, int indent)
{
	t->lines = xgrowarray(t->lines, t->nlines, sizeof *t->lines);
	t->lines[t->nlines++] =
	    (struct tline){ text_taken, item, indent, false };
}

/* Appends a message body, sanitised and wrapped below its header. */
static void
add_body(struct chat_thread *t, const char *raw, enum theme_item item,
         int indent)
{
	char *clean = sanitize_str(raw, t->flags | SANITIZE_KEEP_NEWLINES |
	                                    SANITIZE_TABS_AS_SPACE),
	     **lines;
	size_t n, i;

	lines = task_format_wrap(clean, t->width - indent, &n);
	for (i = 0; i < n; i++)
		add(t, lines[i], item, indent);
	free(lines); /* the strings are the lines' now */
	free(clean);
}

/* How far staff messages are pushed right, so they stand apart. */
static int
staff_indent(const struct chat_thread *t)
{
	int i = t->width / 4;

	if (t->width < 40)
		return 2;
	return i > 16 ? 16 : i;
}

/* A centred day separator. */
static void
add_day(struct chat_thread *t, time_t when)
{
	char day[64];

	chat_format_day(time(NULL), when, day, sizeof day);
	add(t,
	    xasprintf("%s %s %s",
	              (t->flags & SANITIZE_ASCII) ? "--" : "\u2500\u2500", day,
	              (t->flags & SANITIZE_ASCII) ? "--" : "\u2500\u2500"),
	    THEME_DIM, 0);
	t->lines[t->nlines - 1].center = true;
}

/* One message: header (author, time) and body, client left, staff right. */
static void
add_message(struct chat_thread *t, const struct message *m)
{
	bool staff = m->author.kind == AUTHOR_STAFF;
	bool mine = staff && m->author.id == me_store_id(t->app->store->me);
	int indent = staff ? staff_indent(t) : 0;
	char clock[16], *name;

	chat_format_clock(m->created_at, clock, sizeof clock);
	name = sanitize_str(m->author.name, t->flags | SANITIZE_TABS_AS_SPACE);
	if (staff)
		add(t,
		    xasprintf("%s %s%s  %s",
		              (t->flags & SANITIZE_ASCII) ? ">>" : "\u00bb",
		              name, mine ? " (you)" : " (staff)", clock),
		    THEME_STAFF, indent);
	else
		add(t, xasprintf("%s  %s", name, clock), THEME_CLIENT, indent);
	free(name);
	add_body(t, m->body, THEME_NORMAL, indent + 2);
}

/* A reply still in the outbox: its state, then its text. */
static void
add_pending(struct chat_thread *t, const struct outbox_item *it,
            enum sender_item_state st)
{
	int indent = staff_indent(t);
	const char *marker = (t->flags & SANITIZE_ASCII) ? ">>" : "\u00bb";

	add(t, xstrdup(""), THEME_NORMAL, 0);
	if (st == SENDER_ITEM_FAILED)
		add(t,
		    xasprintf("%s you  NOT SENT: %s (:outbox retries)", marker,
		              it->last_error ? it->last_error : "refused"),
		    THEME_ERROR, indent);
	else
		add(t,
		    xasprintf("%s you  %s%s%s", marker,
		              st == SENDER_ITEM_SENDING ? "sending..."
		              : it->attempts > 0        ? "waiting to retry"
		                                        : "pending",
		              it->last_error ? ": " : "",
		              it->last_error ? it->last_error : ""),
		    THEME_WARN, indent);
	add_body(t, it->body, THEME_DIM, indent + 2);
}

/* Replies to this conversation still in the outbox, in send order. */
static void
add_outbox(struct chat_thread *t)
{
	struct sender *s = t->app->sender;
	enum sender_item_state st;
	const struct outbox_item *it;
	size_t i;

	for (i = 0; s != NULL && i < sender_count(s); i++) {
		it = sender_item(s, i, &st);
		if (it->kind == OUTBOX_MESSAGE && it->target_id == t->id &&
		    !chat_store_settled(t->store, it->id))
			add_pending(t, it, st);
	}
}

/* Lays the conversation out for width, when something changed. */
static void
layout(struct chat_thread *t, int width)
{
	size_t i, n = nshown(t), before = t->nlines;
	const struct message *m, *prev = NULL;

	if (!t->stale && width == t->width)
		return;
	lines_clear(t);
	t->width = width > 4 ? width : 4;
	if (t->has_more)
		add(t, xstrdup("(older messages: scroll up)"), THEME_DIM, 0);
	for (i = 0; i < n; i++, prev = m) {
		m = shown_at(t, i);
		if (prev == NULL ||
		    !chat_format_same_day(prev->created_at, m->created_at)) {
			if (prev != NULL)
				add(t, xstrdup(""), THEME_NORMAL, 0);
			add_day(t, m->created_at);
		} else
			add(t, xstrdup(""), THEME_NORMAL, 0);
		add_message(t, m);
	}
	add_outbox(t);
	/* Lines added below while scrolled up keep the view still. */
	if (t->grew == GREW_BOTTOM && t->scroll > 0 && t->nlines > before)
		t->scroll += t->nlines - before;
	t->grew = GREW_NONE;
	t->stale = false;
}

/* ---- scrolling and drawing --------------------------------------------- */

/* The furthest scroll up that still fills the screen. */
static size_t
max_scroll(const struct chat_thread *t)
{
	size_t h = t->height > 0 ? (size_t)t->height : 1;

	return t->nlines > h ? t->nlines - h : 0;
}

enum view_result
chat_thread_action(struct chat_thread *t, enum action a)
{
	size_t before = t->scroll, max = max_scroll(t);
	/* scroll counts from the bottom, the overlay's top from the top. */
	size_t top = t->scroll < max ? max - t->scroll : 0;

	if (!overlay_scroll_top(&top, t->height, max, a))
		return VIEW_UNHANDLED;
	t->scroll = max - top;
	if (t->scroll == max)
		fetch_older(t);
	return t->scroll != before ? VIEW_REDRAW : VIEW_HANDLED;
}

/* The title row: who this conversation is with. */
static void
draw_title(struct chat_thread *t, WINDOW *w, int cols)
{
	char *line, *clean, *fit;

	if (t->client.company[0] != '\0')
		line = xasprintf(" Chat with %s (%s)", t->client.name,
		                 t->client.company);
	else
		line = xasprintf(" Chat with %s", t->client.name);
	clean = sanitize_str(line, t->flags | SANITIZE_TABS_AS_SPACE);
	fit = sanitize_fit(clean, cols, t->flags);
	wattrset(w, (attr_t)theme_attr(THEME_TITLE));
	mvwaddstr(w, 0, 0, fit);
	free(fit);
	free(clean);
	free(line);
}

/* The bottom row: loading, errors, new messages below, or the keys. */
static void
draw_footer(struct chat_thread *t, WINDOW *w, int y, int cols)
{
	enum theme_item item = THEME_DIM;
	char *line, *fit;

	if (t->error != NULL) {
		line = xasprintf(" could not load messages: %s (C-r retries)",
		                 t->error);
		item = THEME_ERROR;
	} else if (t->req != NULL)
		line = xstrdup(t->req_older ? " loading older messages..."
		                            : " loading messages...");
	else if (t->new_below > 0) {
		line = xasprintf(" %zu new message%s below (G jumps there)",
		                 t->new_below, t->new_below == 1 ? "" : "s");
		item = THEME_WARN;
	} else
		line =
		    xstrdup(" r reply  E $EDITOR  m mute  T tasks  Esc back");
	fit = sanitize_fit(line, cols, t->flags);
	wattrset(w, (attr_t)theme_attr(item));
	mvwaddstr(w, y, 0, fit);
	free(fit);
	free(line);
}

void
chat_thread_draw(struct chat_thread *t, void *win, int rows, int cols)
{
	WINDOW *w = win;
	size_t first;
	int y;

	werase(w);
	layout(t, cols - 2);
	t->height = rows - TITLE_ROWS - FOOTER_ROWS;
	if (t->height < 1)
		t->height = 1;
	if (t->scroll > max_scroll(t))
		t->scroll = max_scroll(t);
	if (t->scroll == 0)
		t->new_below = 0;
	first = t->nlines > (size_t)t->height + t->scroll
	            ? t->nlines - (size_t)t->height - t->scroll
	            : 0;
	draw_title(t, w, cols);
	for (y = 0; y < t->height && first + (size_t)y < t->nlines; y++) {
		const struct tline *l = &t->lines[first + (size_t)y];
		char *fit =
		    sanitize_fit(l->text, cols - 2 - l->indent, t->flags);
		int x = 1 + l->indent;

		if (l->center)
			x = (cols - sanitize_width(fit)) / 2;
		wattrset(w, (attr_t)theme_attr(l->item));
		mvwaddstr(w, TITLE_ROWS + y, x > 0 ? x : 0, fit);
		free(fit);
	}
	if (rows > TITLE_ROWS + FOOTER_ROWS)
		draw_footer(t, w, rows - 1, cols);
	wattrset(w, A_NORMAL);
	t->bottom_seen = t->loaded && t->scroll == 0;
	/* History above a short conversation comes without scrolling. */
	if (first == 0)
		fetch_older(t);
}

int64_t
chat_thread_newest_seen(const struct chat_thread *t)
{
	return t->bottom_seen && newest(t) != NULL ? newest(t)->id : 0;
}
