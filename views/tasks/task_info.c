/* The task detail view: fields, description, comments, attachments. */
#include "views/tasks/task_info.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net/client/api.h"
#include "net/store/comment_store.h"
#include "net/store/sender.h"
#include "net/store/store.h"
#include "net/store/task_store.h"
#include "net/base/xmalloc.h"
#include "tui/app.h"
#include "tui/overlay.h"
#include "tui/sanitize.h"
#include "tui/theme.h"
#include "views/shared/task_format.h"

/* Width of the "Priority  " labels of the field lines. */
#define LABEL_W 10

/* One laid-out line: sanitised text, how it looks, its indent. */
struct info_line {
	char *text;
	enum theme_item item;
	int indent;
};

/*
 * The detail of one task, as view state only: which task, whether its
 * GET /tasks/{id} answered, and the lines laid out from the store. The
 * task is the task store's and its comments and attachments the comment
 * store's (net/store/comment_store.h), read at every layout; both
 * stores' listeners mark the lines stale when this task changes. What
 * is drawn is laid out once for the current width (wrapping by display
 * width needs the width) and again only when the width or the data
 * change; scrolling then only moves top over the lines.
 */
struct task_info {
	struct app *app;
	struct task_store *ts;
	struct comment_store *cs;
	unsigned flags;
	int64_t id;  /* the task shown */
	bool loaded; /* GET /tasks/{id} has answered */
	bool failed; /* ...with an error */
	struct api_req *req;

	struct info_line *lines;
	size_t nlines;
	int width;  /* the lines were laid out for this width */
	bool stale; /* the data changed: lay out again */
	size_t top; /* first line shown */
	int height; /* lines shown (the pane less its footer) */
};

static void fetch(struct task_info *ti);
static void layout_outbox(struct task_info *ti);

/* Something of task id changed in the store: laid out again if shown. */
static void
touched(struct task_info *ti, int64_t id)
{
	if (id != ti->id)
		return;
	ti->stale = true;
	app_redraw(ti->app);
}

/* The task store's listener (a removed task shows as gone: nothing of
 * it is kept, so nothing freed is read). */
static void
on_task(void *ud, int64_t id, enum task_change what)
{
	(void)what;
	touched(ud, id);
}

/* The comment store's listener: a comment, a detail, a forget. */
static void
on_comments(void *ud, int64_t task_id)
{
	touched(ud, task_id);
}

struct task_info *
task_info_new(struct app *app, int64_t id, unsigned flags)
{
	struct task_info *ti = xcalloc(1, sizeof *ti);

	ti->app = app;
	ti->ts = app->store->tasks;
	ti->cs = app->store->comments;
	ti->flags = flags;
	ti->id = id;
	ti->stale = true;
	task_store_listen(ti->ts, on_task, ti);
	comment_store_listen(ti->cs, on_comments, ti);
	comment_store_hold(ti->cs, id); /* not evicted while shown */
	fetch(ti);
	return ti;
}

/* Drops the laid-out lines. */
static void
lines_clear(struct task_info *ti)
{
	size_t i;

	for (i = 0; i < ti->nlines; i++)
		free(ti->lines[i].text);
	free(ti->lines);
	ti->lines = NULL;
	ti->nlines = 0;
}

void
task_info_free(struct task_info *ti)
{
	if (ti == NULL)
		return;
	if (ti->req != NULL && ti->app->api != NULL)
		api_cancel(ti->app->api, ti->req);
	task_store_unlisten(ti->ts, on_task, ti);
	comment_store_unlisten(ti->cs, on_comments, ti);
	comment_store_release(ti->cs, ti->id);
	lines_clear(ti);
	free(ti);
}

int64_t
task_info_id(const struct task_info *ti)
{
	return ti->id;
}

/* GET /tasks/{id} answered: the task, its comments and attachments go
 * into the store (whose listeners mark the lines stale). */
static void
on_detail(struct task_detail *d, const struct sc_error *err, void *ud)
{
	struct task_info *ti = ud;

	ti->req = NULL;
	if (err->kind != SC_OK) {
		ti->failed = true;
		app_notice(ti->app, true, "task #%lld: %s", (long long)ti->id,
		           err->message);
		task_detail_free(d);
		return;
	}
	comment_store_detail(ti->cs, ti->ts, d);
	ti->loaded = true;
	ti->failed = false;
	ti->stale = true;
	app_redraw(ti->app);
}

/* Starts GET /tasks/{id} unless one is in flight. */
static void
fetch(struct task_info *ti)
{
	if (ti->req != NULL || ti->app->api == NULL)
		return;
	ti->req = api_task(ti->app->api, ti->id, on_detail, ti);
}

void
task_info_reload(struct task_info *ti)
{
	fetch(ti);
}

const struct task *
task_info_task(const struct task_info *ti)
{
	return task_store_get(ti->ts, ti->id);
}

const struct attachment *
task_info_attachments(const struct task_info *ti, size_t *n)
{
	if (!ti->loaded) {
		*n = 0;
		return NULL;
	}
	return comment_store_attachments(ti->cs, ti->id, n);
}

void
task_info_outbox_changed(struct task_info *ti)
{
	ti->stale = true;
}

/* ---- laying out ------------------------------------------------------ */

/* Appends one line (text taken). */
static void
add(struct task_info *ti, char *text_taken, enum theme_item item, int indent)
{
	ti->lines = xgrowarray(ti->lines, ti->nlines, sizeof *ti->lines);
	ti->lines[ti->nlines++] =
	    (struct info_line){ text_taken, item, indent };
}

/* Appends server text, sanitised and wrapped to the width less indent. */
static void
add_wrapped(struct task_info *ti, const char *raw, unsigned extra,
            enum theme_item item, int indent)
{
	char *clean =
	         sanitize_str(raw, ti->flags | extra | SANITIZE_TABS_AS_SPACE),
	     **lines;
	size_t n, i;

	lines = task_format_wrap(clean, ti->width - indent, &n);
	for (i = 0; i < n; i++)
		add(ti, lines[i], item, indent);
	free(lines); /* the strings are the lines' now */
	free(clean);
}

/* A date in local time: "2026-11-28 06:55". */
static void
date(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%d %H:%M", &tm) == 0)
		snprintf(buf, len, "?");
}

/* A time for people: "2026-11-28 06:55 (3d ago)". */
static void
when(time_t t, char *buf, size_t len)
{
	char d[32], age[16];

	date(t, d, sizeof d);
	task_format_age(time(NULL), t, age, sizeof age);
	snprintf(buf, len, strcmp(age, "now") == 0 ? "%s (%s)" : "%s (%s ago)",
	         d, age);
}

/* A "Label     value" line; value is server text (sanitised here). */
static void
add_field(struct task_info *ti, const char *label, const char *value,
          enum theme_item item)
{
	char *clean = sanitize_str(value, ti->flags | SANITIZE_TABS_AS_SPACE);

	add(ti, xasprintf("%-*s%s", LABEL_W, label, clean), item, 0);
	free(clean);
}
/* The due line: the date, and how late or how soon for open work. */
static void
add_due(struct task_info *ti, const struct task *t)
{
	bool open = t->status != TASK_DONE && t->status != TASK_CANCELLED;
	char d[32], rel[32], buf[80];

	if (!t->has_due_at) {
		add_field(ti, "Due", "none", THEME_DIM);
		return;
	}
	date(t->due_at, d, sizeof d);
	if (!open) {
		add_field(ti, "Due", d, THEME_NORMAL);
		return;
	}
	task_format_due(time(NULL), t->due_at, 32, rel, sizeof rel);
	snprintf(buf, sizeof buf, "%s (%s)", d, rel);
	add_field(ti, "Due", buf,
	          t->due_at < time(NULL) ? THEME_ERROR : THEME_NORMAL);
}

/* The title and the field lines. */
static void
layout_fields(struct task_info *ti, const struct task *t)
{
	char buf[96], *client, *title;

	/* Only the title is server text, but sanitising "#12 " is harmless. */
	title = xasprintf("#%lld  %s", (long long)t->id,
	                  t->title != NULL ? t->title : "");
	add_wrapped(ti, title, 0, THEME_TITLE, 0);
	free(title);
	add(ti, xstrdup(""), THEME_NORMAL, 0);
	add_field(ti, "Status", task_status_name(t->status),
	          task_format_status_theme(t->status));
	add_field(ti, "Priority", task_priority_name(t->priority),
	          task_format_priority_theme(t->priority));
	client = t->client->company != NULL && t->client->company[0] != '\0'
	             ? xasprintf("%s (%s)", t->client->name, t->client->company)
	             : xstrdup(t->client->name != NULL ? t->client->name : "");
	add_field(ti, "Client", client, THEME_NORMAL);
	free(client);
	if (t->has_assignee)
		add_field(ti, "Assignee", t->assignee->name, THEME_NORMAL);
	else
		add_field(ti, "Assignee", "unassigned", THEME_DIM);
	add_due(ti, t);
	when(t->created_at, buf, sizeof buf);
	add_field(ti, "Created", buf, THEME_DIM);
	when(t->updated_at, buf, sizeof buf);
	add_field(ti, "Updated", buf, THEME_DIM);
}

/* The description, wrapped with its own line breaks kept. */
static void
layout_description(struct task_info *ti, const struct task *t)
{
	const char *desc = t->description;

	add(ti, xstrdup(""), THEME_NORMAL, 0);
	add(ti, xstrdup("Description"), THEME_TITLE, 0);
	if (desc == NULL && !ti->loaded) /* the store keeps the detail's */
		add(ti, xstrdup("(loading)"), THEME_DIM, 2);
	else if (desc == NULL || desc[0] == '\0')
		add(ti, xstrdup("(none)"), THEME_DIM, 2);
	else
		add_wrapped(ti, desc, SANITIZE_KEEP_NEWLINES, THEME_NORMAL, 2);
}

/* One comment: a header naming who and when (INTERNAL marked), the body. */
static void
layout_comment(struct task_info *ti, const struct comment *c)
{
	char date[64], *name;
	const char *kind = c->author.kind == AUTHOR_CLIENT ? "client" : "staff";

	when(c->created_at, date, sizeof date);
	name = sanitize_str(c->author.name, ti->flags | SANITIZE_TABS_AS_SPACE);
	if (c->internal)
		add(ti,
		    xasprintf("[INTERNAL] %s (%s), %s - not shown to the "
		              "client",
		              name, kind, date),
		    THEME_INTERNAL, 2);
	else
		add(ti, xasprintf("%s (%s), %s", name, kind, date),
		    c->author.kind == AUTHOR_CLIENT ? THEME_CLIENT
		                                    : THEME_STAFF,
		    2);
	free(name);
	add_wrapped(ti, c->body, SANITIZE_KEEP_NEWLINES,
	            c->internal ? THEME_INTERNAL : THEME_NORMAL, 4);
}

/* The comments, or why they are not there yet. */
static void
layout_comments(struct task_info *ti)
{
	const struct comment *const *cm;
	size_t i, n;

	add(ti, xstrdup(""), THEME_NORMAL, 0);
	if (!ti->loaded) {
		add(ti, xstrdup("Comments"), THEME_TITLE, 0);
		add(ti,
		    xstrdup(ti->failed ? "(could not load: r retries)"
		                       : "(loading...)"),
		    THEME_DIM, 2);
		return;
	}
	cm = comment_store_comments(ti->cs, ti->id, &n);
	add(ti, xasprintf("Comments (%zu)", n), THEME_TITLE, 0);
	if (n == 0)
		add(ti, xstrdup("(none)"), THEME_DIM, 2);
	for (i = 0; i < n; i++) {
		if (i > 0)
			add(ti, xstrdup(""), THEME_NORMAL, 0);
		layout_comment(ti, cm[i]);
	}
	layout_outbox(ti);
}

/* One comment still in the outbox: pending, sending or refused. */
static void
layout_pending(struct task_info *ti, const struct outbox_item *it,
               enum sender_item_state st)
{
	const char *state = st == SENDER_ITEM_SENDING  ? "sending..."
	                    : st == SENDER_ITEM_FAILED ? "NOT SENT"
	                    : it->attempts > 0         ? "waiting to retry"
	                                               : "pending";

	add(ti, xstrdup(""), THEME_NORMAL, 0);
	if (st == SENDER_ITEM_FAILED)
		add(ti,
		    xasprintf("[%s] %s %s: %s (:outbox retries)",
		              it->internal ? "INTERNAL" : "to client", state,
		              "refused", it->last_error ? it->last_error : ""),
		    THEME_ERROR, 2);
	else
		add(ti,
		    xasprintf("[%s] you, %s%s%s",
		              it->internal ? "INTERNAL" : "to client", state,
		              it->last_error ? ": " : "",
		              it->last_error ? it->last_error : ""),
		    THEME_WARN, 2);
	add_wrapped(ti, it->body, SANITIZE_KEEP_NEWLINES, THEME_DIM, 4);
}

/* The comments of this task still in the outbox, oldest first. */
static void
layout_outbox(struct task_info *ti)
{
	struct sender *s = ti->app->sender;
	enum sender_item_state st;
	const struct outbox_item *it;
	size_t i;

	for (i = 0; s != NULL && i < sender_count(s); i++) {
		it = sender_item(s, i, &st);
		if (it->kind == OUTBOX_COMMENT && it->target_id == ti->id)
			layout_pending(ti, it, st);
	}
}

/* The attachments: number, file name (sanitised), size, type. */
static void
layout_attachments(struct task_info *ti)
{
	const struct attachment *atts, *a;
	char size[32], *name, *type;
	size_t i, n;

	if (!ti->loaded)
		return;
	atts = comment_store_attachments(ti->cs, ti->id, &n);
	add(ti, xstrdup(""), THEME_NORMAL, 0);
	add(ti, xasprintf("Attachments (%zu)", n), THEME_TITLE, 0);
	if (n == 0)
		add(ti, xstrdup("(none)"), THEME_DIM, 2);
	for (i = 0; i < n; i++) {
		a = &atts[i];
		task_format_size(a->size, size, sizeof size);
		name = sanitize_str(a->filename,
		                    ti->flags | SANITIZE_TABS_AS_SPACE);
		type = sanitize_str(a->content_type,
		                    ti->flags | SANITIZE_TABS_AS_SPACE);
		add(ti, xasprintf("%zu. %s  %s  %s", i + 1, name, size, type),
		    THEME_NORMAL, 2);
		free(name);
		free(type);
	}
}

/* The store no longer holds the task (forgotten while open): its id and
 * why nothing else shows; Esc goes back to the list. */
static void
layout_gone(struct task_info *ti)
{
	add(ti, xasprintf("#%lld", (long long)ti->id), THEME_TITLE, 0);
	add(ti, xstrdup(""), THEME_NORMAL, 0);
	add(ti, xstrdup("(this task no longer exists)"), THEME_DIM, 2);
}

/* Lays the whole detail out for width, when anything changed. */
static void
layout(struct task_info *ti, int width)
{
	const struct task *t;

	if (!ti->stale && width == ti->width)
		return;
	lines_clear(ti);
	ti->width = width > 8 ? width : 8;
	ti->stale = false;
	t = task_store_get(ti->ts, ti->id);
	if (t == NULL) {
		layout_gone(ti);
		return;
	}
	layout_fields(ti, t);
	layout_description(ti, t);
	layout_comments(ti);
	layout_attachments(ti);
}

/* ---- scrolling and drawing ------------------------------------------- */

/* The largest top that still fills the screen. */
static size_t
max_top(const struct task_info *ti)
{
	size_t h = ti->height > 0 ? (size_t)ti->height : 1;

	return ti->nlines > h ? ti->nlines - h : 0;
}

enum view_result
task_info_action(struct task_info *ti, enum action a)
{
	size_t before = ti->top;

	if (!overlay_scroll_top(&ti->top, ti->height, max_top(ti), a))
		return VIEW_UNHANDLED;
	return ti->top != before ? VIEW_REDRAW : VIEW_HANDLED;
}

/* The last row: where in the detail we are and how to leave. */
static void
draw_footer(struct task_info *ti, WINDOW *w, int y, int cols)
{
	char buf[128];
	size_t end = ti->top + (size_t)ti->height;

	snprintf(buf, sizeof buf, " lines %zu-%zu of %zu  (Esc back)",
	         ti->nlines > 0 ? ti->top + 1 : 0,
	         end < ti->nlines ? end : ti->nlines, ti->nlines);
	wattrset(w, (attr_t)theme_attr(THEME_DIM));
	mvwaddnstr(w, y, 0, buf, cols);
}

void
task_info_draw(struct task_info *ti, void *win, int rows, int cols)
{
	WINDOW *w = win;
	const struct info_line *l;
	char *fit;
	int y;

	werase(w);
	layout(ti, cols - 2);
	ti->height = rows > 1 ? rows - 1 : 1;
	if (ti->top > max_top(ti))
		ti->top = max_top(ti);
	for (y = 0; y < ti->height && ti->top + (size_t)y < ti->nlines; y++) {
		l = &ti->lines[ti->top + (size_t)y];
		fit = sanitize_fit(l->text, cols - 1 - l->indent, ti->flags);
		wattrset(w, (attr_t)theme_attr(l->item));
		mvwaddstr(w, y, 1 + l->indent, fit);
		free(fit);
	}
	if (rows > 1)
		draw_footer(ti, w, rows - 1, cols);
	wattrset(w, A_NORMAL);
}
