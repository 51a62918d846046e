/* One open conversation: see chat_thread.h. */
#include "views/chat/chat_thread.h"

#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/client/api.h"
#include "net/store/sender.h"
#include "net/base/xmalloc.h"
#include "tui/app.h"
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
 * The state. msgs are ascending by id (the server's order). scroll
 * counts lines from the bottom (0: the newest line is on screen), so
 * history prepended above does not move what is shown.
 */
struct chat_thread {
	struct app *app;
	unsigned flags;
	int64_t id;
	struct client_ref client;

	struct message *msgs;
	size_t n;
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

/* The index where message id belongs, and whether it is already there. */
static size_t
msg_slot(const struct chat_thread *t, int64_t id, bool *found)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->msgs[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < t->n && t->msgs[lo].id == id;
	return lo;
}

/* Inserts a copy of m in id order; false when it was already there. */
static bool
msg_insert(struct chat_thread *t, const struct message *m)
{
	bool found;
	size_t at = msg_slot(t, m->id, &found);

	if (found)
		return false;
	t->msgs = xreallocarray(t->msgs, t->n + 1, sizeof *t->msgs);
	memmove(&t->msgs[at + 1], &t->msgs[at], (t->n - at) * sizeof *t->msgs);
	message_copy(&t->msgs[at], m);
	t->n++;
	t->stale = true;
	return true;
}

bool
chat_thread_add(struct chat_thread *t, const struct message *m)
{
	bool newest = t->n == 0 || m->id > t->msgs[t->n - 1].id;

	if (m->conversation_id != t->id || !msg_insert(t, m))
		return false;
	if (newest) {
		t->grew = GREW_BOTTOM;
		if (t->scroll > 0)
			t->new_below++;
	}
	return true;
}

/* ---- fetching ---------------------------------------------------------- */

/* A page of messages arrived: newest, newer (after a resync) or older. */
static void
on_page(struct message_page *p, const struct sc_error *err, void *ud)
{
	struct chat_thread *t = ud;
	bool older = t->req_older;
	size_t i;

	t->req = NULL;
	free(t->error);
	t->error = NULL;
	if (err->kind != SC_OK) {
		t->error = sanitize_str(err->message, SANITIZE_TABS_AS_SPACE);
		app_notice(t->app, true, "messages: %s", err->message);
	} else {
		for (i = 0; i < p->n; i++)
			msg_insert(t, &p->items[i]);
		/* has_more speaks of older messages except after ?after=. */
		if (older || !t->loaded)
			t->has_more = p->has_more;
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

	if (!t->has_more || t->n == 0 || t->req != NULL || t->error != NULL)
		return;
	snprintf(q, sizeof q, "before=%" PRId64 "&limit=%d", t->msgs[0].id,
	         PAGE_LIMIT);
	fetch(t, q, true);
}

void
chat_thread_reload(struct chat_thread *t)
{
	char q[64];

	free(t->error);
	t->error = NULL;
	if (t->n == 0)
		snprintf(q, sizeof q, "limit=%d", PAGE_LIMIT);
	else
		snprintf(q, sizeof q, "after=%" PRId64 "&limit=100",
		         t->msgs[t->n - 1].id);
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
	size_t i;

	if (t == NULL)
		return;
	if (t->app->api != NULL)
		api_cancel(t->app->api, t->req);
	for (i = 0; i < t->n; i++)
		message_free(&t->msgs[i]);
	free(t->msgs);
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
	t->lines = xreallocarray(t->lines, t->nlines + 1, sizeof *t->lines);
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
	bool mine = staff && m->author.id == t->app->me_id;
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
		if (it->kind == OUTBOX_MESSAGE && it->target_id == t->id)
			add_pending(t, it, st);
	}
}

/* Lays the conversation out for width, when something changed. */
static void
layout(struct chat_thread *t, int width)
{
	size_t i, before = t->nlines;

	if (!t->stale && width == t->width)
		return;
	lines_clear(t);
	t->width = width > 4 ? width : 4;
	if (t->has_more)
		add(t, xstrdup("(older messages: scroll up)"), THEME_DIM, 0);
	for (i = 0; i < t->n; i++) {
		if (i == 0 || !chat_format_same_day(t->msgs[i - 1].created_at,
		                                    t->msgs[i].created_at)) {
			if (i > 0)
				add(t, xstrdup(""), THEME_NORMAL, 0);
			add_day(t, t->msgs[i].created_at);
		} else
			add(t, xstrdup(""), THEME_NORMAL, 0);
		add_message(t, &t->msgs[i]);
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
	size_t before = t->scroll, page = t->height > 1 ? t->height - 1 : 1;

	switch (a) {
	case ACTION_UP:
		t->scroll++;
		break;
	case ACTION_DOWN:
		t->scroll = t->scroll > 0 ? t->scroll - 1 : 0;
		break;
	case ACTION_PAGE_UP:
	case ACTION_HALF_UP:
		t->scroll += a == ACTION_PAGE_UP ? page : (page + 1) / 2;
		break;
	case ACTION_PAGE_DOWN:
	case ACTION_HALF_DOWN:
		page = a == ACTION_PAGE_DOWN ? page : (page + 1) / 2;
		t->scroll = t->scroll > page ? t->scroll - page : 0;
		break;
	case ACTION_TOP:
		t->scroll = max_scroll(t);
		break;
	case ACTION_BOTTOM:
		t->scroll = 0;
		break;
	default:
		return VIEW_UNHANDLED;
	}
	if (t->scroll > max_scroll(t))
		t->scroll = max_scroll(t);
	if (t->scroll == max_scroll(t))
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
	return t->bottom_seen && t->n > 0 ? t->msgs[t->n - 1].id : 0;
}
