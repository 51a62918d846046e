/* The task queue pane: see task_queue.h. */
#include "views/tasks/task_queue.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net/client/api.h"
#include "net/store/comment_store.h"
#include "net/store/idmap.h"
#include "net/store/me_store.h"
#include "net/store/sender.h"
#include "net/store/store.h"
#include "net/store/task_store.h"
#include "net/base/hash.h"
#include "net/base/trace.h"
#include "net/base/xmalloc.h"
#include "tui/app.h"
#include "tui/columns_draw.h"
#include "tui/list.h"
#include "tui/notify.h"
#include "tui/sanitize.h"
#include "tui/term.h"
#include "tui/theme.h"
#include "tui/hints.h"
#include "views/tasks/attachment_save.h"
#include "views/tasks/client_lookup.h"
#include "views/shared/task_format.h"
#include "views/tasks/task_info.h"
#include "views/tasks/task_query.h"
#include "views/tasks/triage.h"
#include "views/tasks/triage_pick.h"

/* Tasks per page: the API's maximum, so a long queue is few requests. */
#define PAGE_LIMIT 500
/* The first page of a query: two tall screens, not 500. The service's
 * time grows with the rows it writes (about 20 ms for 100, 70 ms for 500
 * at a million tasks), and the first frame waits for this page alone;
 * the next page (500) is asked at the first move. */
#define FIRST_PAGE_LIMIT 100
/* The cursor this close to the loaded end (or the gap) fetches ahead. */
#define PREFETCH_ROWS (2 * PAGE_LIMIT)
/* The background fill after G stops at this many rows (about 40 MB at
 * most): a longer queue stays a head, a gap and a tail, whose ends the
 * cursor still extends a page at a time. */
#define FILL_CAP 200000
/* The column header above the rows and the summary line below them. */
#define HEADER_ROWS 1
#define FOOTER_ROWS 1
/* Attention items at most: the first ones in the queue's order. */
#define MAX_ATTENTION 50
/* Rows either side of the cursor a new first page may keep it near. */
#define NEAR_ROWS 50

/*
 * The pane's state. The rows are the store's queue (task_store.h): the
 * pages loaded so far, in the server's order, plus live insertions; the
 * pane keeps only view state (cursor, marks, which rows are unseen) and
 * the list helper knows only the count and ids. A first-page fetch
 * (filter, sort, search, refresh) keeps the old rows on screen until the
 * new page replaces them, so the list stays usable when the fetch
 * fails. A later page that brings a task a live event inserted already
 * does not show it twice (the queue holds each id once).
 */
struct task_queue {
	struct app *app;
	struct task_store *ts; /* the app's: tasks and the queue's order */
	struct list list;
	struct idmap *unseen;       /* ids of rows new or just assigned to me:
	                               marked '*' until selected */
	int64_t att[MAX_ATTENTION]; /* the attention list's ids, in order */
	bool own_change; /* the store is taking the pane's own change */
	size_t natt;
	struct task_query query;
	struct client_lookup *lookup; /* client=NAME being found... */
	char *lookup_args;            /* ...for this :filter line */
	char *next;                   /* cursor of the next page, or NULL */
	struct api_req *req;          /* the page fetch in flight */
	bool replacing;               /* ...which is a first page */
	bool loaded;                  /* a first page has arrived */
	/* The tail (task_store.h): its next page backwards, and the fetch
	 * in flight. */
	char *tail_next;
	struct api_req *tail_req;
	bool land_last;     /* G: the cursor goes to the last row as it comes */
	bool walk_end;      /* G on an irreversible query: the head walks on */
	bool complete_said; /* tasks.complete traced for this load */
	char *error;        /* why the last fetch failed, for the empty
	                       state; sanitised */
	struct task_info *info; /* the detail view, when open */
	unsigned flags;         /* sanitiser flags: ASCII without UTF-8 */
	struct column_layout layout;
	int64_t max_id; /* the largest id loaded: the id column's width */
	int rows_h, cols;
	/* The window shows the list's frame (header, rows, footer) as the
	 * list last drew it, in this layout: a draw need only draw the
	 * rows that changed (list_draw). False after the detail or the
	 * empty state, or before any draw. */
	bool list_shown;
	struct column_layout shown_layout;
	/* The footer's text and width as the window shows it (0: unknown):
	 * a frame whose footer is the same leaves that line alone. */
	unsigned long long footer_drawn;
	long long minute; /* of the last tick that redrew ages */

	size_t fill_cap; /* FILL_CAP, or a test's (task_queue_set_fill_cap) */

	struct triage *triage;    /* assign, status, priority, undo */
	struct triage_pick *pick; /* ...and their pickers */
	struct attachment_save *save;
	long long mark_anchor; /* the last task marked, for mark-range */
	/* The note or reply being written, for which task; a text that
	 * could not be queued is kept in draft and offered again. */
	int64_t compose_id;
	bool compose_internal;
	char *draft;
	int64_t draft_id;
	bool draft_internal;
};

static void fetch_first(struct task_queue *tq);
static void attention_update(struct task_queue *tq);

/* ---- rows ------------------------------------------------------------ */

static size_t
row_n(const struct task_queue *tq)
{
	return task_store_queue_count(tq->ts);
}

/* The tasks among the rows: the gap row is not one. */
static size_t
task_n(const struct task_queue *tq)
{
	return row_n(tq) - (task_store_queue_gap(tq->ts) >= 0);
}

/* The task shown in row i (< row_n); NULL for the gap row. */
static const struct task *
row_task(const struct task_queue *tq, size_t i)
{
	return task_store_queue_at(tq->ts, i);
}

/* The id of row i (< row_n): TASK_STORE_GAP_ID for the gap row. */
static int64_t
row_id_at(const struct task_queue *tq, size_t i)
{
	return task_store_queue_id_at(tq->ts, i);
}

/* The task under the cursor, or NULL when there are no rows (or the
 * cursor is on the gap row). */
static const struct task *
cursor_task(const struct task_queue *tq)
{
	return row_n(tq) > 0 ? row_task(tq, tq->list.cursor) : NULL;
}

static bool
is_unseen(const struct task_queue *tq, int64_t id)
{
	return idmap_get(tq->unseen, id) != NULL;
}

static void
set_unseen(struct task_queue *tq, int64_t id, bool unseen)
{
	if (unseen)
		idmap_put(tq->unseen, id, tq);
	else
		idmap_remove(tq->unseen, id);
}

/* Keeps max_id, for the id column's width, without a scan per draw. */
static void
note_id(struct task_queue *tq, int64_t id)
{
	if (id > tq->max_id)
		tq->max_id = id;
}

/* Selects the row of task id, found without a scan; false when absent. */
static bool
select_id(struct task_queue *tq, long long id)
{
	long long at = task_store_queue_pos(tq->ts, id);

	if (at < 0)
		return false;
	tq->list.cursor = (size_t)at;
	list_changed(&tq->list);
	return true;
}

/* Inserts held task t at index at, keeping the cursor on its task and
 * the visible rows where they were. */
static void
row_insert(struct task_queue *tq, size_t at, const struct task *t)
{
	bool had_rows = row_n(tq) > 0;

	task_store_queue_insert(tq->ts, at, t->id);
	note_id(tq, t->id);
	if (had_rows && at <= tq->list.cursor)
		tq->list.cursor++;
	if (had_rows && at < tq->list.top)
		tq->list.top++;
}

/* Removes task id's row; the cursor stays on its task, or on the next
 * row. */
static void
row_remove(struct task_queue *tq, int64_t id)
{
	long long at = task_store_queue_remove(tq->ts, id);

	if (at < 0)
		return;
	set_unseen(tq, id, false);
	if ((size_t)at < tq->list.cursor)
		tq->list.cursor--;
	if ((size_t)at < tq->list.top)
		tq->list.top--;
}

/* The row under the cursor has been seen. */
static void
mark_seen(struct task_queue *tq)
{
	const struct task *t = cursor_task(tq);

	if (t != NULL)
		set_unseen(tq, t->id, false);
}

/* ---- fetching ---------------------------------------------------------- */

static bool
can_fetch(const struct task_queue *tq)
{
	return tq->app->api != NULL && tq->app->signed_in;
}

/* Notes the ids of the page's tasks, for the id column's width. */
static void
note_page(struct task_queue *tq, const struct task_page *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		note_id(tq, p->items[i].id);
}

/*
 * Where the cursor goes when the rows are replaced: its task, else the
 * nearest of its old neighbours still listed (after it first, then
 * before, one row further each time), else the row it was on. The ids
 * are taken from the old rows just before they go.
 */
struct anchor {
	int64_t ids[2 * NEAR_ROWS + 1];
	size_t n;
	size_t row;  /* the cursor's old row */
	size_t line; /* ...and its line on screen */
};

/* Notes the cursor's task and its neighbours, nearest first. */
static void
anchor_take(const struct task_queue *tq, struct anchor *a)
{
	size_t rows = row_n(tq), c = tq->list.cursor, d;

	a->n = 0;
	a->row = c;
	a->line = c >= tq->list.top ? c - tq->list.top : 0;
	if (rows == 0)
		return;
	if (c >= rows) /* not clamped since a row left: the last one */
		c = a->row = rows - 1;
	a->ids[a->n++] = row_id_at(tq, c);
	for (d = 1; d <= NEAR_ROWS; d++) {
		if (c + d < rows)
			a->ids[a->n++] = row_id_at(tq, c + d);
		if (d <= c)
			a->ids[a->n++] = row_id_at(tq, c - d);
	}
}

/* Puts the cursor back by the anchor, on the same screen line when the
 * rows allow (the list helper then keeps it in view). */
static void
anchor_apply(struct task_queue *tq, const struct anchor *a)
{
	size_t i;
	long long at = -1;

	for (i = 0; i < a->n && at < 0; i++)
		at = task_store_queue_pos(tq->ts, a->ids[i]);
	tq->list.cursor = at >= 0 ? (size_t)at : a->row;
	tq->list.top =
	    tq->list.cursor > a->line ? tq->list.cursor - a->line : 0;
	list_changed(&tq->list);
}

/* The first page replaces the rows; the cursor keeps its task, or goes
 * to the nearest one still listed. */
static void
page_replace(struct task_queue *tq, struct task_page *p)
{
	struct anchor a;

	anchor_take(tq, &a);
	idmap_clear(tq->unseen);
	tq->max_id = 0;
	note_page(tq, p);
	tq->own_change = true;
	task_store_queue_page(tq->ts, p, true);
	tq->own_change = false;
	anchor_apply(tq, &a);
	tq->loaded = true;
	tq->complete_said = false;
}

/*
 * A later page joins the head (or, tail, the tail), less the tasks live
 * events already added. The cursor keeps its task and screen line:
 * rows arriving before it (the head's, while the cursor is in the tail)
 * must not move what the staff member is looking at.
 */
static void
page_add(struct task_queue *tq, struct task_page *p, bool tail)
{
	struct anchor a;

	anchor_take(tq, &a);
	note_page(tq, p);
	tq->own_change = true;
	if (tail)
		task_store_queue_tail_page(tq->ts, p);
	else
		task_store_queue_page(tq->ts, p, false);
	tq->own_change = false;
	anchor_apply(tq, &a);
}

/* Cancels the tail's fetch and forgets its cursor: a reload, or the
 * head and the tail have met. */
static void
tail_drop(struct task_queue *tq)
{
	if (tq->tail_req != NULL)
		api_cancel(tq->app->api, tq->tail_req);
	tq->tail_req = NULL;
	free(tq->tail_next);
	tq->tail_next = NULL;
}

/*
 * After a page: when the head and the tail met (tail: a tail was there
 * or came; the gap is gone now) or the head reached the query's end,
 * every task is loaded: no part has a page left to fetch.
 */
static void
parts_settle(struct task_queue *tq, bool tail)
{
	bool met = tail && task_store_queue_gap(tq->ts) < 0;

	if (!met && tq->next != NULL)
		return;
	if (tq->req != NULL && !tq->replacing) { /* the head's, now useless */
		api_cancel(tq->app->api, tq->req);
		tq->req = NULL;
	}
	task_store_queue_close_gap(tq->ts);
	free(tq->next);
	tq->next = NULL;
	tail_drop(tq);
	tq->walk_end = false;
	list_changed(&tq->list);
}

/* Says once per load, for the bench, that every task is loaded. */
static void
note_complete(struct task_queue *tq)
{
	if (tq->complete_said || tq->next != NULL ||
	    task_store_queue_gap(tq->ts) >= 0)
		return;
	tq->complete_said = true;
	trace_event("tasks.complete n=%zu", row_n(tq));
}

/* G waits for the end: the cursor goes to the last row as pages come,
 * until the end itself has come (the tail's page, or the head's last). */
static void
land_last(struct task_queue *tq, bool tail)
{
	if (!tq->land_last || row_n(tq) == 0)
		return;
	tq->list.cursor = row_n(tq) - 1;
	list_changed(&tq->list);
	if (tail || tq->next == NULL)
		tq->land_last = false;
}

static void fetch_ahead(struct task_queue *tq);

/*
 * After a page whose rows went in from position from on: the attention
 * list (the first MAX_ATTENTION urgent or overdue rows) is built again
 * only when it can change, i.e. it is not full or its last item is not
 * before from, so a page of the background fill costs no walk of rows.
 */
static void
attention_after_page(struct task_queue *tq, size_t from)
{
	long long last;

	if (tq->natt == MAX_ATTENTION) {
		last = task_store_queue_pos(tq->ts, tq->att[tq->natt - 1]);
		if (last >= 0 && (size_t)last < from)
			return;
	}
	attention_update(tq);
}

/* Where a later page's rows go in: the gap, or the end of the rows. */
static size_t
head_end(const struct task_queue *tq)
{
	long long gap = task_store_queue_gap(tq->ts);

	return gap >= 0 ? (size_t)gap : row_n(tq);
}

/* What every page's arrival ends with (from: where its rows went in;
 * tail: a tail page), fetching ahead after each, a first page too: it is
 * small, so the next 500 are asked as soon as it is drawn. */
static void
page_done(struct task_queue *tq, size_t from, bool tail)
{
	note_complete(tq);
	land_last(tq, tail);
	mark_seen(tq);
	attention_after_page(tq, from);
	fetch_ahead(tq);
	app_redraw(tq->app);
}

/* A page fetch failed: said in the footer or the empty state. */
static void
page_failed(struct task_queue *tq, struct task_page *p,
            const struct sc_error *err)
{
	app_request_failed(tq->app, &tq->error, "tasks", err);
	task_page_free(p);
	app_redraw(tq->app);
}

/* GET /tasks answered. The page's tasks become rows (moved, not copied). */
static void
on_page(struct task_page *p, const struct sc_error *err, void *ud)
{
	struct task_queue *tq = ud;
	bool had_gap = task_store_queue_gap(tq->ts) >= 0;
	size_t from = tq->replacing ? 0 : head_end(tq);

	tq->req = NULL;
	if (err->kind != SC_OK) {
		page_failed(tq, p, err);
		return;
	}
	free(tq->error);
	tq->error = NULL;
	/* The overdue filter asks in due_at order: past the first task not
	 * overdue, none is. */
	if (task_query_page_overdue(&tq->query, p, time(NULL))) {
		free(p->next);
		p->next = NULL;
	}
	trace_event("tasks.page n=%zu first=%d", p->n, tq->replacing);
	if (tq->replacing)
		page_replace(tq, p);
	else
		page_add(tq, p, false);
	free(tq->next);
	tq->next = p->next; /* the tasks are the store's now */
	parts_settle(tq, had_gap && !tq->replacing);
	page_done(tq, from, false);
}

/* A page of the reversed query answered: the tail grows backwards. */
static void
on_tail_page(struct task_page *p, const struct sc_error *err, void *ud)
{
	struct task_queue *tq = ud;
	size_t from = head_end(tq);

	tq->tail_req = NULL;
	if (err->kind != SC_OK) {
		page_failed(tq, p, err);
		return;
	}
	free(tq->error);
	tq->error = NULL;
	trace_event("tasks.page n=%zu first=0 tail=1", p->n);
	page_add(tq, p, true);
	free(tq->tail_next);
	tq->tail_next = p->next;
	parts_settle(tq, true);
	page_done(tq, from, true);
}

/* Starts a page fetch: the first (replacing the rows) or the next. */
static void
fetch_page(struct task_queue *tq, bool first)
{
	char *qs;

	if (!can_fetch(tq))
		return;
	if (tq->req != NULL)
		api_cancel(tq->app->api, tq->req);
	if (first) { /* a reload: head, gap and tail go with the page */
		tail_drop(tq);
		tq->land_last = tq->walk_end = false;
	}
	qs = task_query_string(&tq->query, first ? NULL : tq->next,
	                       first ? FIRST_PAGE_LIMIT : PAGE_LIMIT);
	trace_event("tasks.fetch first=%d cursor=%zu end=%zu", first,
	            tq->list.cursor, row_n(tq));
	tq->replacing = first;
	tq->req = api_tasks(tq->app->api, qs, on_page, tq);
	free(qs);
}

/* Fetches from the first page again; page_replace keeps the cursor's
 * task (the one it is on when the page comes: it may move meanwhile). */
static void
fetch_first(struct task_queue *tq)
{
	fetch_page(tq, true);
}

/* Fetches the next page when there is one and nothing is in flight. */
static void
fetch_more(struct task_queue *tq)
{
	if (tq->next != NULL && tq->req == NULL && tq->loaded)
		fetch_page(tq, false);
}

/* Fetches the tail's first page (first) or its next one, backwards; false
 * when the query cannot be reversed. One tail fetch at a time. */
static bool
fetch_tail(struct task_queue *tq, bool first)
{
	char *qs;

	if (!can_fetch(tq) || !tq->loaded || tq->tail_req != NULL)
		return true;
	if (!first && tq->tail_next == NULL)
		return true;
	qs = task_query_string_reversed(
	    &tq->query, first ? NULL : tq->tail_next, PAGE_LIMIT);
	if (qs == NULL)
		return false;
	trace_event("tasks.fetch first=%d cursor=%zu end=%zu tail=1", first,
	            tq->list.cursor, row_n(tq));
	tq->tail_req = api_tasks(tq->app->api, qs, on_tail_page, tq);
	free(qs);
	return true;
}

/*
 * Keeps pages coming ahead of the cursor: the head's next page when the
 * cursor is within PREFETCH_ROWS of the head's end (the gap, or the last
 * row), the tail's previous page when it is that close below the gap;
 * and, while a gap or a walk to the end remains, both whatever the
 * cursor (the two parts walk towards each other, one request each, so
 * the gap closes in half the round trips), up to FILL_CAP rows (past it
 * only the cursor fetches: memory stays bounded however long the queue).
 */
static void
fetch_ahead(struct task_queue *tq)
{
	long long gap = task_store_queue_gap(tq->ts);
	size_t c = tq->list.cursor;
	size_t end = head_end(tq);
	bool fill = (gap >= 0 || tq->walk_end) && row_n(tq) < tq->fill_cap;

	if (tq->req != NULL && tq->replacing)
		return; /* the rows are about to be replaced */
	if (fill || (c <= end && end - c <= PREFETCH_ROWS))
		fetch_more(tq);
	if (gap >= 0 &&
	    (fill || (c > (size_t)gap && c - (size_t)gap <= PREFETCH_ROWS)))
		fetch_tail(tq, false);
}

/*
 * G: the last task. With the queue all loaded, the last row. Else the
 * first page of the reversed query brings the last tasks at once (the
 * cursor lands on the last one when it comes) and the head fills the gap
 * behind; a query the service cannot reverse (overdue) walks forward.
 */
static void
go_last(struct task_queue *tq)
{
	bool replacing = tq->req != NULL && tq->replacing;

	if (!tq->loaded || replacing || tq->next == NULL ||
	    task_store_queue_gap(tq->ts) >= 0)
		return;
	tq->land_last = true;
	if (!fetch_tail(tq, true)) {
		tq->walk_end = true;
		fetch_more(tq);
	}
}

/* Everything the pane needs after signing in. */
static void
start(struct task_queue *tq)
{
	if (!can_fetch(tq))
		return;
	fetch_first(tq);
}

/* ---- attention --------------------------------------------------------- */

static bool
is_open(const struct task *t)
{
	return t->status != TASK_DONE && t->status != TASK_CANCELLED;
}

static bool
is_overdue(const struct task *t, time_t now)
{
	return task_query_is_overdue(t, now);
}

/* True when t belongs in the attention list: urgent or overdue, open. */
static bool
wants_attention(const struct task *t, time_t now)
{
	return (is_open(t) && t->priority == PRIORITY_URGENT) ||
	       is_overdue(t, now);
}

/* Urgent or overdue open tasks among the loaded rows, in queue order.
 * Walks the rows from the top until the list is full. */
static void
attention_update(struct task_queue *tq)
{
	struct attention_item items[MAX_ATTENTION];
	size_t i, n = 0, rows = row_n(tq);
	time_t now = time(NULL);

	for (i = 0; i < rows && n < MAX_ATTENTION; i++) {
		const struct task *t = row_task(tq, i);
		bool urgent =
		    t != NULL && is_open(t) && t->priority == PRIORITY_URGENT;

		if (t == NULL || !wants_attention(t, now))
			continue;
		tq->att[n] = t->id;
		items[n].pane = PANE_TASKS;
		items[n].id = t->id;
		items[n].label =
		    xasprintf("task #%lld %s: %s", (long long)t->id,
		              urgent ? "urgent" : "overdue",
		              t->title != NULL ? t->title : "");
		n++;
	}
	tq->natt = n;
	app_attention_set(tq->app, PANE_TASKS, items, n); /* sanitises */
	for (i = 0; i < n; i++)
		free(items[i].label);
}

/* True when a task going from old to t leaves what the attention list
 * shows of it as it was (whether it is on it, its reason, its title). */
static bool
same_attention(const struct task *old, const struct task *t)
{
	time_t now = time(NULL);
	bool urgent = is_open(t) && t->priority == PRIORITY_URGENT;
	bool was_urgent = is_open(old) && old->priority == PRIORITY_URGENT;

	return wants_attention(old, now) == wants_attention(t, now) &&
	       urgent == was_urgent &&
	       strcmp(old->title != NULL ? old->title : "",
	              t->title != NULL ? t->title : "") == 0;
}

/*
 * After task id changed, came or left: the attention list is built
 * again only when it can differ, i.e. id is on it, or id now wants
 * attention and sorts before its last item (or it has room). Other
 * changes leave it as it is, so an event costs no walk of the rows.
 */
static void
attention_touch(struct task_queue *tq, int64_t id)
{
	const struct task *t = task_store_get(tq->ts, id);
	long long at = task_store_queue_pos(tq->ts, id);
	size_t i;

	for (i = 0; i < tq->natt; i++)
		if (tq->att[i] == id) {
			attention_update(tq);
			return;
		}
	if (t == NULL || at < 0 || !wants_attention(t, time(NULL)))
		return;
	if (tq->natt < MAX_ATTENTION ||
	    at < task_store_queue_pos(tq->ts, tq->att[tq->natt - 1]))
		attention_update(tq);
}

/* ---- live events ------------------------------------------------------- */

/* The query's order, for task_store_queue_place. */
static bool
sorts_before(void *ud, const struct task *t, const struct task *other)
{
	const struct task_queue *tq = ud;

	return task_query_compare(&tq->query, t, other) < 0;
}

/* True when t is assigned to me and old (NULL: unknown) was not. */
static bool
newly_mine(const struct task_queue *tq, const struct task *old,
           const struct task *t)
{
	int64_t me = me_store_id(tq->app->store->me);
	bool mine = me > 0 && t->has_assignee && t->assignee->id == me;

	return mine &&
	       (old == NULL || !old->has_assignee || old->assignee->id != me);
}

/* A new urgent task in the queue's filter: a notification. */
static void
notify_urgent(struct task_queue *tq, const struct task *t)
{
	char *title = xasprintf("Urgent task #%lld", (long long)t->id);
	char *body = xasprintf("%s: %s", t->client->name ? t->client->name : "",
	                       t->title ? t->title : "");

	if (tq->app->notify != NULL)
		notify_send(tq->app->notify, title, body, NOTIFY_URGENT);
	free(title);
	free(body);
}

/* True when a change to task id, with rows_before rows before it, shows:
 * the row count (the footer) moved, or the task is on screen. */
static bool
shows(const struct task_queue *tq, int64_t id, size_t rows_before)
{
	long long at = task_store_queue_pos(tq->ts, id);

	if (row_n(tq) != rows_before)
		return true;
	if (tq->info != NULL)
		return task_info_id(tq->info) == id;
	return at >= 0 && (size_t)at >= tq->list.top &&
	       (size_t)at < tq->list.top + (size_t)tq->list.height;
}

/*
 * True when a task placed at pos sorts among loaded rows: not after the
 * head's last row while more pages follow, nor in the gap (between the
 * head and the tail): those come with a later page.
 */
static bool
loaded_place(const struct task_queue *tq, size_t pos)
{
	long long gap = task_store_queue_gap(tq->ts);

	if (gap >= 0)
		return pos != (size_t)gap;
	return pos < row_n(tq) || tq->next == NULL;
}

/*
 * A task.created or task.updated: the store takes it when it is newer
 * than the version held (a replay or an older version changes nothing);
 * then its row is kept, dropped or inserted where the sort puts it.
 * True when the screen changes (an event for a row out of sight does
 * not cost a frame).
 */
static bool
on_task_event(struct task_queue *tq, const struct task *t, bool created)
{
	size_t rows_before = row_n(tq);
	const struct task *old = task_store_get(tq->ts, t->id);
	bool mine = newly_mine(tq, old, t);
	bool att_same = old != NULL && same_attention(old, t);
	long long at = task_store_queue_pos(tq->ts, t->id);
	bool match =
	    task_query_matches(&tq->query, t, me_store_id(tq->app->store->me));
	size_t pos;

	enum task_put put;

	tq->own_change = true;
	put = task_store_put_copy(tq->ts, t);
	tq->own_change = false;
	if (put == TASK_PUT_STALE)
		return false;
	if (at >= 0 && match) {
		if (mine)
			set_unseen(tq, t->id, true);
	} else if (at >= 0) {
		row_remove(tq, t->id);
	} else if (match && tq->loaded) {
		pos = task_store_queue_place(tq->ts, t, sorts_before, tq);
		if (loaded_place(tq, pos)) {
			row_insert(tq, pos, t);
			set_unseen(tq, t->id,
			           created || newly_mine(tq, NULL, t));
		}
	}
	if (created && t->priority == PRIORITY_URGENT && match)
		notify_urgent(tq, t);
	list_changed(&tq->list);
	if (!(att_same && at >= 0 && match)) /* else nothing there moved */
		attention_touch(tq, t->id);
	return shows(tq, t->id, rows_before);
}

/* A comment.created: the store holds it whatever is open (a replay is
 * held once); it shows when its task's detail is open. */
static enum view_result
on_comment(struct task_queue *tq, const struct event_payload *e)
{
	bool added = comment_store_comment(tq->app->store->comments, e->task_id,
	                                   &e->comment);

	return added && tq->info != NULL && task_info_id(tq->info) == e->task_id
	           ? VIEW_REDRAW
	           : VIEW_HANDLED;
}

/* A live server event; only task and comment events concern this pane. */
static enum view_result
on_server(struct task_queue *tq, const struct event_payload *e)
{
	switch (e->type) {
	case EVENT_TASK_CREATED:
	case EVENT_TASK_UPDATED:
		return on_task_event(tq, &e->task,
		                     e->type == EVENT_TASK_CREATED)
		           ? VIEW_REDRAW
		           : VIEW_HANDLED;
	case EVENT_COMMENT_CREATED:
		return on_comment(tq, e);
	default:
		return VIEW_UNHANDLED;
	}
}

/* ---- drawing ----------------------------------------------------------- */

/* Draws text s (sanitised there) in column c of row y, fitted to it; its
 * padding is the row's blank (draw_row blanks the row first). */
static void
put_cell(struct task_queue *tq, WINDOW *w, int y, enum task_col c,
         const char *s, attr_t attr)
{
	columns_draw_word(w, y, &tq->layout, c, s, attr, tq->flags);
}

/* The title cell, with the search text's matches highlighted. */
static void
put_title(struct task_queue *tq, WINDOW *w, int y, const char *raw, attr_t attr)
{
	const char *needle = tq->query.search;
	char *cell = columns_cell(&tq->layout, TASK_COL_TITLE, raw, tq->flags);
	size_t off = 0, m, len = needle != NULL ? strlen(needle) : 0;

	if (cell == NULL)
		return;
	wmove(w, y, tq->layout.x[TASK_COL_TITLE]);
	while (len > 0 && task_format_find(cell, needle, off, &m)) {
		wattrset(w, attr);
		waddnstr(w, cell + off, (int)(m - off));
		wattrset(w, (attr_t)theme_attr(THEME_MATCH));
		waddnstr(w, cell + m, (int)len);
		off = m + len;
	}
	columns_draw_fitted(w, y, getcurx(w), cell + off, attr);
	free(cell);
}

/* The age and due cells of t. */
static void
put_times(struct task_queue *tq, WINDOW *w, int y, const struct task *t,
          attr_t base, bool selected)
{
	time_t now = time(NULL);
	char buf[32] = "";

	/* The age in the row's own attributes: dimming it would cost a
	 * reset either side of it on every row (theme.h). */
	task_format_age(now, t->created_at, buf, sizeof buf);
	put_cell(tq, w, y, TASK_COL_AGE, buf, base);
	/* "-" for no due date (or none that matters once closed), as for no
	 * assignee: the cell says so rather than looking left out. */
	snprintf(buf, sizeof buf, "-");
	if (t->has_due_at && is_open(t))
		task_format_due(now, t->due_at, tq->layout.w[TASK_COL_DUE], buf,
		                sizeof buf);
	put_cell(tq, w, y, TASK_COL_DUE, buf,
	         (attr_t)theme_emphasis(base, selected,
	                                is_overdue(t, now) ? THEME_OVERDUE
	                                                   : THEME_NORMAL));
}

/* Mixed into the gap row's signature, so it differs from any task's. */
#define GAP_SIG 0x9a9a9a9a9a9a9a9aULL

/* The gap row: the rows between the head and the tail, loading. */
static void
draw_gap(WINDOW *w, int y, int width, attr_t base)
{
	wattrset(w, (attr_t)theme_over(base, THEME_DIM));
	mvwprintw(w, y, 0, "%-*.*s", width, width,
	          "   ... loading the tasks between ...");
	wattrset(w, A_NORMAL);
}

/* The list helper's draw_row: one task, at screen row y + the header. */
static void
draw_row(void *ud, void *win, int y, size_t i, int width, bool selected,
         bool marked)
{
	struct task_queue *tq = ud;
	const struct task *t = row_task(tq, i);
	bool unseen;
	WINDOW *w = win;
	attr_t base = (attr_t)theme_row(selected);
	char buf[32];

	if (t == NULL) {
		draw_gap(w, y + HEADER_ROWS, width, base);
		return;
	}
	unseen = is_unseen(tq, t->id);
	y += HEADER_ROWS;
	/* The row's background across the gaps between cells. */
	columns_draw_blank(w, y, width, base);
	/* A blank mark is drawn in the row's attributes: a coloured space
	 * looks the same and costs an attribute change either side. */
	if (marked || unseen)
		put_cell(tq, w, y, TASK_COL_MARK, marked ? "+" : "*",
		         (attr_t)theme_over(base, unseen ? THEME_WARN
		                                         : THEME_MARKED));
	put_cell(
	    tq, w, y, TASK_COL_PRIORITY,
	    task_format_priority(t->priority, tq->layout.w[TASK_COL_PRIORITY]),
	    (attr_t)theme_emphasis(base, selected,
	                           task_format_priority_theme(t->priority)));
	snprintf(buf, sizeof buf, "%lld", (long long)t->id);
	put_cell(tq, w, y, TASK_COL_ID, buf, base);
	put_cell(tq, w, y, TASK_COL_CLIENT, t->client->name, base);
	put_title(tq, w, y, t->title, base);
	put_cell(tq, w, y, TASK_COL_STATUS,
	         task_format_status(t->status, tq->layout.w[TASK_COL_STATUS]),
	         (attr_t)theme_emphasis(base, selected,
	                                task_format_status_theme(t->status)));
	put_cell(tq, w, y, TASK_COL_ASSIGNEE,
	         t->has_assignee ? t->assignee->name : "-", base);
	put_times(tq, w, y, t, base, selected);
	wattrset(w, A_NORMAL);
}

/*
 * The list helper's row_sig: everything draw_row reads for row i. The
 * minute is in it because ages and dues are counted from now; the
 * layout is not (a new layout draws every row: tq_draw).
 */
static unsigned long long
row_sig(void *ud, size_t i, bool selected, bool marked)
{
	struct task_queue *tq = ud;
	const struct task *t = row_task(tq, i);
	long long minute = (long long)time(NULL) / 60;
	unsigned char bits[4] = { selected, marked, 0,
		                  (unsigned char)tq->flags };
	uint64_t h = HASH_INIT;

	if (t == NULL) /* the gap row: its text never changes */
		return hash_bytes(h, bits, 2) ^ (unsigned long long)GAP_SIG;
	bits[2] = is_unseen(tq, t->id);
	long long nums[8] = { t->id,
		              t->priority,
		              t->status,
		              t->has_assignee,
		              (long long)t->created_at,
		              t->has_due_at,
		              (long long)t->due_at,
		              minute };

	h = hash_bytes(h, bits, sizeof bits);
	h = hash_bytes(h, nums, sizeof nums);
	h = hash_str(h, t->client->name);
	h = hash_str(h, t->has_assignee ? t->assignee->name : NULL);
	h = hash_str(h, t->title);
	return hash_str(h, tq->query.search);
}

/* The list helper's clear_row: a line below the last row. */
static void
clear_row(void *ud, void *win, int y)
{
	(void)ud;
	wmove(win, y + HEADER_ROWS, 0);
	wclrtoeol(win);
}

/* The line under the rows: filter, sort, count, fetching. */
static void
draw_footer(struct task_queue *tq, WINDOW *w, int y, int cols)
{
	char *desc = task_query_describe(&tq->query), *line, *clean, *fit;
	char above[32];
	size_t n = task_n(tq);
	unsigned long long sig;

	/* Rows scrolled off the top are said: the cursor may sit below them. */
	snprintf(above, sizeof above, " | %zu above", tq->list.top);
	line = xasprintf(" %s | sort %s | %zu%s task%s%s%s", desc,
	                 task_query_sort_name(&tq->query), n,
	                 tq->next != NULL ? "+" : "", n == 1 ? "" : "s",
	                 tq->list.top > 0 ? above : "",
	                 tq->req != NULL ? " | loading..." : "");
	sig = hash_bytes(hash_str(HASH_INIT, line), &cols, sizeof cols);
	if (sig == tq->footer_drawn) {
		free(line);
		free(desc);
		return;
	}
	tq->footer_drawn = sig;
	clean = sanitize_str(line, tq->flags | SANITIZE_TABS_AS_SPACE);
	fit = sanitize_fit(clean, cols, tq->flags);
	wmove(w, y, 0);
	wclrtoeol(w); /* the window is not erased: a longer line was here */
	wattrset(w, (attr_t)theme_attr(THEME_DIM));
	mvwaddstr(w, y, 0, fit);
	wattrset(w, A_NORMAL);
	free(fit);
	free(clean);
	free(line);
	free(desc);
}

/* What shows instead of rows: loading, nothing matches, or an error. */
static void
draw_empty(struct task_queue *tq, WINDOW *w, int cols)
{
	char *desc = task_query_describe(&tq->query), *line, *clean, *fit;
	enum theme_item item = THEME_DIM;

	if (tq->req != NULL)
		line = xstrdup("loading tasks...");
	else if (tq->error != NULL) {
		line = xasprintf("could not load tasks: %s (r retries)",
		                 tq->error);
		item = THEME_ERROR;
	} else if (tq->loaded)
		line = xasprintf("no tasks match: %s", desc);
	else
		line = xstrdup("not signed in");
	clean = sanitize_str(line, tq->flags | SANITIZE_TABS_AS_SPACE);
	fit = sanitize_fit(clean, cols - 2, tq->flags);
	wattrset(w, (attr_t)theme_attr(item));
	mvwaddstr(w, HEADER_ROWS, 1, fit);
	wattrset(w, A_NORMAL);
	free(fit);
	free(clean);
	free(line);
	free(desc);
}

/* The number of digits of the largest id loaded. */
static int
id_width(const struct task_queue *tq)
{
	int64_t max = tq->max_id;
	int d = 1;

	while (max >= 10) {
		max /= 10;
		d++;
	}
	return d;
}

static void
tq_resize(void *state, int rows, int cols)
{
	struct task_queue *tq = state;

	tq->rows_h = rows;
	tq->cols = cols;
	list_resize(&tq->list, rows - HEADER_ROWS - FOOTER_ROWS);
}

/* Whether two layouts place the same columns at the same places. */
static bool
layout_same(const struct column_layout *a, const struct column_layout *b)
{
	return a->table == b->table && memcmp(a->x, b->x, sizeof a->x) == 0 &&
	       memcmp(a->w, b->w, sizeof a->w) == 0 &&
	       memcmp(a->shown, b->shown, sizeof a->shown) == 0;
}

/*
 * Whether the window must be erased and every line drawn: it does not
 * hold the list's last frame (another pane, an overlay, the detail, the
 * empty state, a new window) or the columns moved.
 */
static bool
needs_whole(const struct task_queue *tq)
{
	return !tq->app->pane_kept || !tq->list_shown || row_n(tq) == 0 ||
	       !layout_same(&tq->layout, &tq->shown_layout);
}

static void
tq_draw(void *state, void *win, int rows, int cols)
{
	struct task_queue *tq = state;
	WINDOW *w = win;

	if (tq->info != NULL) {
		task_info_draw(tq->info, win, rows, cols);
		tq->list_shown = false;
		return;
	}
	if (rows != tq->rows_h || cols != tq->cols)
		tq_resize(tq, rows, cols);
	task_format_layout(cols, id_width(tq), &tq->layout);
	if (needs_whole(tq)) {
		werase(w);
		list_forget(&tq->list);
		tq->footer_drawn = 0;
		columns_draw_header(w, 0, &tq->layout,
		                    (attr_t)theme_attr(THEME_TITLE), tq->flags);
	}
	tq->list_shown = row_n(tq) > 0;
	tq->shown_layout = tq->layout;
	if (row_n(tq) == 0)
		draw_empty(tq, w, cols);
	else
		list_draw(&tq->list, w, cols);
	if (rows > HEADER_ROWS + FOOTER_ROWS)
		draw_footer(tq, w, rows - 1, cols);
}

/* ---- triage ------------------------------------------------------------ */

/*
 * The tasks an action applies to: the open task; else the marked ones
 * (all of them, loaded or not: the triage skips those not loaded); else
 * the one under the cursor. Returns how many; *ids is malloc'd.
 */
static size_t
targets(struct task_queue *tq, int64_t **ids)
{
	size_t i;

	*ids = xcalloc(tq->list.nmarks + 1, sizeof **ids);
	if (tq->info != NULL) {
		(*ids)[0] = task_info_id(tq->info);
		return 1;
	}
	if (tq->list.nmarks > 0) {
		for (i = 0; i < tq->list.nmarks; i++)
			(*ids)[i] = tq->list.marks[i];
		return tq->list.nmarks;
	}
	if (cursor_task(tq) == NULL)
		return 0;
	(*ids)[0] = cursor_task(tq)->id;
	return 1;
}

/* The status line's count of marks follows the list's. */
static void
marks_changed(struct task_queue *tq)
{
	app_set_marked(tq->app, tq->list.nmarks);
}

/* A change went out (now, or when its picker or question was answered):
 * when it was for the marked tasks, it spends the marks. */
static void
on_sent(void *ud, const int64_t *ids, size_t n)
{
	struct task_queue *tq = ud;
	size_t i;

	if (n != tq->list.nmarks)
		return;
	for (i = 0; i < n; i++)
		if (!list_is_marked(&tq->list, ids[i]))
			return;
	list_clear_marks(&tq->list);
	marks_changed(tq);
	app_redraw(tq->app);
}

/* Runs one triage action over the targets (on_sent spends the marks). */
static enum view_result
do_triage(struct task_queue *tq, enum action a, const char *args)
{
	int64_t *ids;
	size_t n = targets(tq, &ids);

	switch (a) {
	case ACTION_ASSIGN_ME:
		triage_pick_take(tq->pick, ids, n);
		break;
	case ACTION_UNASSIGN:
		triage_pick_assign_arg(tq->pick, ids, n, "none");
		break;
	case ACTION_ASSIGN:
		if (args == NULL)
			triage_pick_assignee(tq->pick, ids, n);
		else
			triage_pick_assign_arg(tq->pick, ids, n, args);
		break;
	case ACTION_SET_STATUS:
		if (args == NULL)
			triage_pick_status(tq->pick, ids, n);
		else
			triage_pick_status_arg(tq->pick, ids, n, args);
		break;
	default: /* ACTION_SET_PRIORITY */
		if (args == NULL)
			triage_pick_priority(tq->pick, ids, n);
		else
			triage_pick_priority_arg(tq->pick, ids, n, args);
		break;
	}
	free(ids);
	return VIEW_REDRAW;
}

/* Space: marks or unmarks the row and moves down, as in mutt. */
static enum view_result
do_mark(struct task_queue *tq)
{
	if (cursor_task(tq) == NULL)
		return VIEW_HANDLED;
	list_toggle_mark(&tq->list);
	if (list_is_marked(&tq->list, list_selected_id(&tq->list)))
		tq->mark_anchor = list_selected_id(&tq->list);
	list_action(&tq->list, ACTION_DOWN);
	app_notice(tq->app, false, "%zu marked", tq->list.nmarks);
	marks_changed(tq);
	return VIEW_REDRAW;
}

/* V: marks every row between the last one marked and the cursor. */
static enum view_result
do_mark_range(struct task_queue *tq)
{
	long long from = task_store_queue_pos(tq->ts, tq->mark_anchor);
	size_t lo, hi, i, keep = tq->list.cursor;

	if (row_n(tq) == 0)
		return VIEW_HANDLED;
	if (from < 0)
		from = (long long)tq->list.cursor;
	lo = (size_t)from < keep ? (size_t)from : keep;
	hi = (size_t)from < keep ? keep : (size_t)from;
	for (i = lo; i <= hi; i++) {
		tq->list.cursor = i;
		if (row_id_at(tq, i) != TASK_STORE_GAP_ID &&
		    !list_is_marked(&tq->list, row_id_at(tq, i)))
			list_toggle_mark(&tq->list);
	}
	tq->list.cursor = keep;
	tq->mark_anchor = row_id_at(tq, keep);
	app_notice(tq->app, false, "%zu marked", tq->list.nmarks);
	marks_changed(tq);
	return VIEW_REDRAW;
}

/* ---- notes and replies ------------------------------------------------- */

/* Queues text as a comment on the task being written for. */
static void
compose_submit(struct task_queue *tq, const char *raw)
{
	char *text =
	    sanitize_str(raw, SANITIZE_KEEP_NEWLINES | SANITIZE_TABS_AS_SPACE);
	const char *what = tq->compose_internal ? "note" : "reply";
	struct sc_error err = { 0 };

	if (text[strspn(text, " \n")] == '\0') {
		app_notice(tq->app, false, "%s cancelled: it was empty", what);
	} else if (tq->app->sender == NULL) {
		app_notice(tq->app, true,
		           "%s not sent: the outbox is not "
		           "available; it is kept (c or R brings it back)",
		           what);
		free(tq->draft);
		tq->draft = xstrdup(text);
		tq->draft_id = tq->compose_id;
		tq->draft_internal = tq->compose_internal;
	} else if (sender_submit(tq->app->sender, OUTBOX_COMMENT,
	                         tq->compose_id, tq->compose_internal, text,
	                         NULL, &err) != 0) {
		app_notice(tq->app, true,
		           "%s not queued: %s; it is kept (c or R brings it "
		           "back)",
		           what, err.message);
		free(tq->draft);
		tq->draft = xstrdup(text);
		tq->draft_id = tq->compose_id;
		tq->draft_internal = tq->compose_internal;
		sc_error_clear(&err);
	} else {
		app_notice(tq->app, false, "%s on #%lld queued: pending", what,
		           (long long)tq->compose_id);
		free(tq->draft);
		tq->draft = NULL;
	}
	if (tq->info != NULL)
		task_info_outbox_changed(tq->info);
	free(text);
}

/* The line's or the editor's answer. */
static void
on_compose_text(void *ud, char *text, bool submitted)
{
	struct task_queue *tq = ud;

	if (!submitted) {
		/* Kept for the next c or R on this task. */
		if (text != NULL) {
			free(tq->draft);
			tq->draft = text;
			tq->draft_id = tq->compose_id;
			tq->draft_internal = tq->compose_internal;
		}
		app_notice(tq->app, false, "nothing sent%s",
		           text != NULL
		               ? " (the text is kept: c or R brings it "
		                 "back)"
		               : "");
		return;
	}
	compose_submit(tq, text);
	free(text);
	app_redraw(tq->app);
}

/* Starts a note (internal) or a reply the client sees, on the line or
 * in $EDITOR; args, when given, is the text itself. */
static enum view_result
do_compose(struct task_queue *tq, bool internal, bool editor, const char *args)
{
	const struct task *t;
	const char *draft;
	char *prompt, *help, *client;

	if (!(tq->app->permissions & PERM_TASKS_COMMENT)) {
		app_notice(tq->app, true, "commenting needs tasks.comment");
		return VIEW_HANDLED;
	}
	t = tq->info != NULL ? task_info_task(tq->info) : cursor_task(tq);
	if (t == NULL)
		return VIEW_HANDLED;
	tq->compose_id = t->id;
	tq->compose_internal = internal;
	if (args != NULL && args[0] != '\0') {
		compose_submit(tq, args);
		return VIEW_REDRAW;
	}
	draft = tq->draft != NULL && tq->draft_id == t->id &&
	                tq->draft_internal == internal
	            ? tq->draft
	            : NULL;
	client = sanitize_str(t->client->name, SANITIZE_TABS_AS_SPACE);
	if (internal) {
		prompt = xasprintf("note on #%lld (internal, staff only): ",
		                   (long long)t->id);
		help = xasprintf("Internal note on task #%lld (staff only; the "
		                 "client never sees it).",
		                 (long long)t->id);
	} else {
		prompt = xasprintf("REPLY to %s on #%lld (THE CLIENT SEES "
		                   "THIS): ",
		                   client, (long long)t->id);
		help = xasprintf("Reply on task #%lld: THE CLIENT (%s) WILL "
		                 "SEE THIS.",
		                 (long long)t->id, client);
	}
	if (editor)
		app_text_editor(tq->app, draft, help, on_compose_text, tq);
	else
		app_text_line(tq->app, CMDLINE_COMMENT, prompt, !internal,
		              draft, help, on_compose_text, tq);
	free(prompt);
	free(help);
	free(client);
	return VIEW_REDRAW;
}

/* w in the open task: save one of its attachments. */
static enum view_result
do_save(struct task_queue *tq, const char *args)
{
	const struct attachment *atts;
	size_t n;

	if (tq->info == NULL) {
		app_notice(tq->app, false,
		           "open the task first (Enter), then w saves");
		return VIEW_HANDLED;
	}
	atts = task_info_attachments(tq->info, &n);
	attachment_save_start(tq->save, task_info_id(tq->info), atts, n, args);
	return VIEW_REDRAW;
}

static enum view_result show_client(struct task_queue *tq, long long client_id);

/* T: this client's tasks; M: its conversation; K: its credentials. */
static enum view_result
do_client(struct task_queue *tq, enum action a)
{
	const struct task *t =
	    tq->info != NULL ? task_info_task(tq->info) : cursor_task(tq);

	if (t == NULL)
		return VIEW_HANDLED;
	if (a == ACTION_CLIENT_TASKS)
		return show_client(tq, t->client->id);
	if (a == ACTION_CLIENT_CREDENTIALS) {
		if (!(tq->app->permissions & PERM_CREDENTIALS_REVEAL)) {
			app_notice(tq->app, true,
			           "credentials need credentials.reveal");
			return VIEW_HANDLED;
		}
		/* The task is the purpose the reveal will offer. */
		app_goto_from_task(tq->app, PANE_CREDENTIALS, t->client->id,
		                   t->id);
		return VIEW_HANDLED;
	}
	if (!(tq->app->permissions & PERM_CHAT_READ)) {
		app_notice(tq->app, true, "chat needs chat.read");
		return VIEW_HANDLED;
	}
	app_goto(tq->app, PANE_CHAT, t->client->id);
	return VIEW_HANDLED;
}

/* The actions of triage, the same in the list and the detail. */
static enum view_result
triage_action(struct task_queue *tq, enum action a, const char *args)
{
	switch (a) {
	case ACTION_ASSIGN_ME:
	case ACTION_ASSIGN:
	case ACTION_UNASSIGN:
	case ACTION_SET_STATUS:
	case ACTION_SET_PRIORITY:
		return do_triage(tq, a, args);
	case ACTION_UNDO:
		triage_undo(tq->triage);
		return VIEW_REDRAW;
	case ACTION_SAVE_ATTACHMENT:
		return do_save(tq, args);
	case ACTION_NOTE:
	case ACTION_NOTE_EDITOR:
		return do_compose(tq, true, a == ACTION_NOTE_EDITOR, args);
	case ACTION_REPLY_CLIENT:
	case ACTION_REPLY_CLIENT_EDITOR:
		return do_compose(tq, false, a == ACTION_REPLY_CLIENT_EDITOR,
		                  args);
	case ACTION_CLIENT_TASKS:
	case ACTION_CLIENT_CHAT:
	case ACTION_CLIENT_CREDENTIALS:
		return do_client(tq, a);
	default:
		return VIEW_UNHANDLED;
	}
}

/* ---- actions ----------------------------------------------------------- */

/* The list helper's matches: the search text in the title (any case). */
static bool
row_matches(void *ud, size_t i, const char *needle)
{
	struct task_queue *tq = ud;
	const struct task *t = row_task(tq, i);
	size_t off;

	return t != NULL && t->title != NULL &&
	       task_format_find(t->title, needle, 0, &off);
}

static size_t
row_count(void *ud)
{
	return row_n(ud);
}

static long long
row_id(void *ud, size_t i)
{
	return row_id_at(ud, i);
}

static const struct list_ops row_ops = {
	.count = row_count,
	.id_at = row_id,
	.draw_row = draw_row,
	.row_sig = row_sig,
	.clear_row = clear_row,
	.matches = row_matches,
};

/* Drops a client=NAME still being found (a newer filter replaces it). */
static void
lookup_drop(struct task_queue *tq)
{
	client_lookup_free(tq->lookup);
	tq->lookup = NULL;
	free(tq->lookup_args);
	tq->lookup_args = NULL;
}

/* The client of client=NAME is found, or is not: only then does the
 * :filter line apply (a filter that fails changes nothing). */
static void
on_client_found(void *ud, int64_t id, const char *name, const char *why)
{
	struct task_queue *tq = ud;
	char err[256];

	if (id <= 0)
		app_notice(tq->app, true, "%s", why);
	else if (task_query_filter(&tq->query, tq->lookup_args, err,
	                           sizeof err) != 0)
		app_notice(tq->app, true, "%s", err);
	else {
		tq->query.client_id = id;
		snprintf(tq->query.client_name, sizeof tq->query.client_name,
		         "%s", name);
		fetch_first(tq);
	}
	lookup_drop(tq); /* the lookup is done with: it may go here */
	app_redraw(tq->app);
}

/* :filter ARGS; with none typed, says what the filter is. A client
 * named, not numbered, is found first (GET /clients). */
static enum view_result
do_filter(struct task_queue *tq, const char *args)
{
	struct task_query check = tq->query;
	char err[256], *desc;

	if (args[strspn(args, " \t")] == '\0') {
		desc = task_query_describe(&tq->query);
		app_notice(tq->app, false, "filter: %s", desc);
		free(desc);
		return VIEW_HANDLED;
	}
	lookup_drop(tq);
	check.search = NULL; /* tried on a copy that owns nothing */
	if (task_query_filter(&check, args, err, sizeof err) != 0) {
		app_notice(tq->app, true, "%s", err);
		return VIEW_HANDLED;
	}
	if (task_query_client_pending(&check)) {
		tq->lookup_args = xstrdup(args);
		tq->lookup = client_lookup_start(tq->app, check.client_name,
		                                 on_client_found, tq);
		app_notice(tq->app, tq->lookup == NULL, "%s %s",
		           tq->lookup == NULL
		               ? "offline: cannot look for client"
		               : "looking for client",
		           check.client_name);
		if (tq->lookup == NULL)
			lookup_drop(tq);
		return VIEW_REDRAW;
	}
	task_query_filter(&tq->query, args, err, sizeof err);
	fetch_first(tq);
	return VIEW_REDRAW;
}

/* :sort VALUE; with none typed, says what the order is. */
static enum view_result
do_sort(struct task_queue *tq, const char *args)
{
	char err[256];

	if (args[strspn(args, " \t")] == '\0') {
		app_notice(tq->app, false, "sort: %s",
		           task_query_sort_name(&tq->query));
		return VIEW_HANDLED;
	}
	if (task_query_sort(&tq->query, args, err, sizeof err) != 0) {
		app_notice(tq->app, true, "%s", err);
		return VIEW_HANDLED;
	}
	fetch_first(tq);
	return VIEW_REDRAW;
}

/* / TEXT: the server searches (q=); an empty text ends the search. */
static enum view_result
do_search(struct task_queue *tq, const char *args)
{
	task_query_search(&tq->query, args);
	fetch_first(tq);
	return VIEW_REDRAW;
}

/* Esc during a search ends it (as k9s and lazygit do): the unsearched
 * list comes back with the cursor on its task; marks stay (a second Esc
 * clears them). */
static enum view_result
end_search(struct task_queue *tq)
{
	app_notice(tq->app, false, "search ended%s",
	           tq->list.nmarks > 0 ? " (Esc again clears the marks)" : "");
	return do_search(tq, NULL);
}

/* n / N: the next or previous loaded row whose title has the text. */
static enum view_result
do_search_step(struct task_queue *tq, int dir)
{
	if (tq->query.search == NULL) {
		app_notice(tq->app, false, "no search: / searches");
		return VIEW_HANDLED;
	}
	if (!list_search(&tq->list, tq->query.search, dir)) {
		app_notice(tq->app, false,
		           "no title among the loaded tasks "
		           "has the search text");
		return VIEW_HANDLED;
	}
	mark_seen(tq);
	return VIEW_REDRAW;
}

/* Opens the selected task's detail. */
static enum view_result
do_open(struct task_queue *tq)
{
	if (cursor_task(tq) == NULL)
		return VIEW_HANDLED;
	mark_seen(tq);
	tq->info = task_info_new(tq->app, cursor_task(tq)->id, tq->flags);
	return VIEW_REDRAW;
}

/* A click selects a row; a click on the selected row opens it. */
static enum view_result
tq_click(void *state, int row, int col)
{
	struct task_queue *tq = state;
	size_t before = tq->list.cursor;

	(void)col;
	if (tq->info != NULL || row_n(tq) == 0)
		return VIEW_HANDLED;
	if (!list_select_visible(&tq->list, row - HEADER_ROWS))
		return VIEW_HANDLED;
	if (tq->list.cursor == before)
		return do_open(tq);
	mark_seen(tq);
	return VIEW_REDRAW;
}

/* Actions while the detail is open. */
static enum view_result
info_action(struct task_queue *tq, enum action a)
{
	switch (a) {
	case ACTION_BACK:
		task_info_free(tq->info);
		tq->info = NULL;
		list_changed(&tq->list);
		return VIEW_REDRAW;
	case ACTION_REFRESH:
		task_info_reload(tq->info);
		return VIEW_HANDLED;
	case ACTION_OPEN:
		return VIEW_HANDLED;
	default:
		return task_info_action(tq->info, a);
	}
}

/* A movement of the list; near the end, the next page is fetched. */
static enum view_result
scroll_list(struct task_queue *tq, enum action a)
{
	enum list_result r = list_action(&tq->list, a);

	if (r == LIST_UNHANDLED)
		return VIEW_UNHANDLED;
	tq->land_last = false; /* moved since: it stays where it is */
	if (a == ACTION_BOTTOM)
		go_last(tq);
	fetch_ahead(tq);
	mark_seen(tq);
	return list_view_result(r);
}

static enum view_result
tq_action(void *state, enum action a, const char *args)
{
	struct task_queue *tq = state;
	enum view_result r = triage_action(tq, a, args);

	if (r != VIEW_UNHANDLED)
		return r;
	if (tq->info != NULL)
		return info_action(tq, a);
	switch (a) {
	case ACTION_MARK:
		return do_mark(tq);
	case ACTION_MARK_RANGE:
		return do_mark_range(tq);
	case ACTION_UNMARK_ALL:
		if (tq->query.search != NULL)
			return end_search(tq);
		list_clear_marks(&tq->list);
		app_notice(tq->app, false, "no task marked");
		marks_changed(tq);
		return VIEW_REDRAW;
	case ACTION_OPEN:
		return do_open(tq);
	case ACTION_REFRESH:
		fetch_first(tq);
		return VIEW_REDRAW;
	/* Without arguments, the frame asks for them on the command line. */
	case ACTION_FILTER:
		return args == NULL ? VIEW_UNHANDLED : do_filter(tq, args);
	case ACTION_SORT:
		return args == NULL ? VIEW_UNHANDLED : do_sort(tq, args);
	case ACTION_SEARCH:
		return args == NULL ? VIEW_UNHANDLED : do_search(tq, args);
	case ACTION_SEARCH_NEXT:
		return do_search_step(tq, 1);
	case ACTION_SEARCH_PREV:
		return do_search_step(tq, -1);
	default:
		return scroll_list(tq, a);
	}
}

/* ---- the rest of the view interface ------------------------------------ */

/* Another pane asked for a client's tasks: the open ones of that client,
 * whoever has them. */
static enum view_result
show_client(struct task_queue *tq, long long client_id)
{
	char err[256], *f = xasprintf("client=%lld assignee=any", client_id);

	lookup_drop(tq); /* a client=NAME still being found is overtaken */
	if (tq->info != NULL)
		info_action(tq, ACTION_BACK);
	if (task_query_filter(&tq->query, f, err, sizeof err) != 0)
		app_notice(tq->app, true, "%s", err);
	else
		fetch_first(tq);
	free(f);
	return VIEW_REDRAW;
}

/* The outbox moved: a sent comment joins its task's comments in the
 * store (its echo, comment.created, is then held once); the open
 * detail shows the pending ones again. */
static void
on_outbox(struct task_queue *tq, const struct sender_report *r)
{
	if (r != NULL && r->comment != NULL)
		comment_store_comment(tq->app->store->comments,
		                      r->item->target_id, r->comment);
	if (tq->info != NULL)
		task_info_outbox_changed(tq->info);
}

static enum view_result
tq_event(void *state, const struct app_event *ev)
{
	struct task_queue *tq = state;
	long long minute;

	switch (ev->kind) {
	case APP_EV_SIGNED_IN:
		start(tq);
		return VIEW_REDRAW;
	case APP_EV_SERVER:
		return ev->data != NULL ? on_server(tq, ev->data)
		                        : VIEW_UNHANDLED;
	case APP_EV_CLIENT:
		return show_client(tq, ev->id);
	case APP_EV_OUTBOX:
		on_outbox(tq, ev->data);
		return tq->info != NULL ? VIEW_REDRAW : VIEW_HANDLED;
	case APP_EV_RESYNC:
		fetch_first(tq);
		if (tq->info != NULL)
			task_info_reload(tq->info);
		return VIEW_REDRAW;
	case APP_EV_ATTENTION:
		if (tq->info != NULL)
			info_action(tq, ACTION_BACK);
		select_id(tq, ev->id);
		mark_seen(tq);
		return VIEW_REDRAW;
	case APP_EV_TICK:
		/* Ages and dues change by the minute; so does overdue. */
		minute = (long long)time(NULL) / 60;
		if (minute == tq->minute)
			return VIEW_HANDLED;
		tq->minute = minute;
		attention_update(tq);
		return VIEW_REDRAW;
	default:
		return VIEW_UNHANDLED;
	}
}

static void
tq_focus(void *state, bool focused)
{
	struct task_queue *tq = state;

	if (focused && !tq->loaded && tq->req == NULL)
		start(tq);
}

static enum key_context
tq_context(void *state)
{
	struct task_queue *tq = state;

	return tq->info != NULL ? KEYCTX_DETAIL : KEYCTX_LIST;
}

/*
 * The store changed a task (the open detail hears of it itself): a
 * change from elsewhere (the triage's optimistic change, its answer, its
 * rollback) may change the attention list and is drawn. A live event's
 * change is the pane's own (on_task_event) and a page's is drawn once.
 */
static void
on_store(void *ud, int64_t id, enum task_change what)
{
	struct task_queue *tq = ud;

	(void)what;
	if (tq->own_change)
		return;
	attention_touch(tq, id);
	app_redraw(tq->app);
}

static void *
tq_open(struct app *app)
{
	struct task_queue *tq = xcalloc(1, sizeof *tq);

	tq->app = app;
	tq->flags = term_utf8() ? 0 : SANITIZE_ASCII;
	tq->ts = app->store->tasks;
	tq->fill_cap = FILL_CAP;
	tq->unseen = idmap_new();
	task_store_listen(tq->ts, on_store, tq);
	task_query_init(&tq->query);
	list_init(&tq->list, &row_ops, tq);
	tq->triage = triage_new(app, tq->ts);
	tq->pick = triage_pick_new(tq->triage);
	triage_pick_on_sent(tq->pick, on_sent, tq);
	tq->save = attachment_save_new(app);
	/* The first fetch waits for APP_EV_SIGNED_IN or focus. */
	return tq;
}

void
task_queue_set_fill_cap(void *pane, size_t rows)
{
	struct task_queue *tq = pane;

	tq->fill_cap = rows;
}

static void
tq_free(void *state)
{
	struct task_queue *tq = state;

	if (tq == NULL)
		return;
	attachment_save_free(tq->save);
	triage_pick_free(tq->pick);
	triage_free(tq->triage);
	task_info_free(tq->info);
	free(tq->draft);
	if (tq->app->api != NULL) {
		api_cancel(tq->app->api, tq->req);
		tail_drop(tq);
	}
	free(tq->tail_next);
	task_store_unlisten(tq->ts, on_store, tq);
	idmap_free(tq->unseen);
	free(tq->next);
	free(tq->error);
	lookup_drop(tq);
	task_query_free(&tq->query);
	list_free(&tq->list);
	app_set_marked(tq->app, 0);
	free(tq);
}

/* The hint bar: the keys this pane is used with most. */
static const struct hint tq_list_hints[] = {
	{ ACTION_DOWN, ACTION_UP, "move" },
	{ ACTION_OPEN, ACTION_NONE, "open" },
	{ ACTION_SEARCH, ACTION_NONE, "search" },
	{ ACTION_FILTER, ACTION_NONE, "filter" },
	{ ACTION_SORT, ACTION_NONE, "sort" },
	{ ACTION_ASSIGN_ME, ACTION_NONE, "take" },
	{ ACTION_MARK, ACTION_NONE, "mark" },
	{ ACTION_SET_STATUS, ACTION_NONE, "status" },
	{ ACTION_HELP, ACTION_NONE, "help" },
	{ ACTION_NONE, ACTION_NONE, NULL },
};

static const struct hint tq_detail_hints[] = {
	{ ACTION_DOWN, ACTION_UP, "scroll" },
	{ ACTION_ASSIGN_ME, ACTION_NONE, "take" },
	{ ACTION_SET_STATUS, ACTION_NONE, "status" },
	{ ACTION_NOTE, ACTION_NONE, "note" },
	{ ACTION_REPLY_CLIENT, ACTION_NONE, "reply to client" },
	{ ACTION_BACK, ACTION_NONE, "back" },
	{ ACTION_HELP, ACTION_NONE, "help" },
	{ ACTION_NONE, ACTION_NONE, NULL },
};

/* The pane's own actions: the help lists them only while it shows. */
static const enum action tq_own_actions[] = {
	ACTION_MARK,
	ACTION_MARK_RANGE,
	ACTION_UNMARK_ALL,
	ACTION_ASSIGN_ME,
	ACTION_ASSIGN,
	ACTION_UNASSIGN,
	ACTION_SET_STATUS,
	ACTION_SET_PRIORITY,
	ACTION_UNDO,
	ACTION_NOTE,
	ACTION_NOTE_EDITOR,
	ACTION_REPLY_CLIENT,
	ACTION_REPLY_CLIENT_EDITOR,
	ACTION_SAVE_ATTACHMENT,
	ACTION_CLIENT_CREDENTIALS,
	ACTION_NONE,
};

const struct view_ops task_queue_view = {
	.name = "Tasks",
	.title = "Tasks",
	.permission = PERM_TASKS_READ,
	.open = tq_open,
	.free = tq_free,
	.resize = tq_resize,
	.draw = tq_draw,
	.action = tq_action,
	.event = tq_event,
	.focus = tq_focus,
	.context = tq_context,
	.hints = { [KEYCTX_LIST] = tq_list_hints,
	           [KEYCTX_DETAIL] = tq_detail_hints },
	.own_actions = tq_own_actions,
	.click = tq_click,
};
