/* The tasks the client knows, held once: see task_store.h. */
#include "net/store/task_store.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "net/base/xmalloc.h"
#include "net/store/listeners.h"
#include "net/store/id_order.h"
#include "net/store/idmap.h"
#include "net/store/ref_pool.h"
#include "net/store/slab.h"

/*
 * Every held task is the task of a row (below) in `tasks`; a
 * task with a pending optimistic change has what the change replaced in
 * `before` (few at a time, so no pointer per row for it). A held task's
 * client and assignee are refs of `refs`, which the rows share (one per
 * client, one per staff member); its description is kept only once the
 * task's detail was put (see task_store.h).
 */
/*
 * A row: the task, whose order_cell is the queue's cell for it (where
 * id_order keeps its block's handle, so the order needs no id map of
 * its own), and its title after it in the same piece of the store's
 * slab (net/store/slab.h: no malloc header, 8-byte rounding; 12 bytes a
 * row less than a malloc each). The row never moves, so the pointers
 * task_store_get() hands out stay put; a newer version whose title does
 * not fit the room, or a title too long for a piece, has it malloc'd
 * apart. Whatever fills a row's task, its order_cell stays the row's.
 */

/* One row's struct in 88 bytes, the cell in its spare room, on 64-bit
 * machines. */
_Static_assert(sizeof(struct task) <= 88 || sizeof(void *) < 8,
               "struct task grew: each held row costs more");

struct task_store {
	struct idmap *tasks;  /* id -> struct task, keyed by the task's id */
	struct idmap *before; /* id -> struct task a pending change replaced */
	struct ref_pool *refs;
	struct slab *rows; /* every row's piece */
	struct id_order *queue;
	uint32_t gap_cell; /* the gap's cell in the queue */
	struct listeners ls;
};

/* A new row's task, with room for title when a piece holds it. */
static struct task *
row_new(struct task_store *ts, const char *title)
{
	size_t n =
	    sizeof(struct task) + (title != NULL ? strlen(title) + 1 : 0);
	struct task *t;

	if (n > SLAB_MAX)
		n = sizeof(struct task);
	t = slab_alloc(ts->rows, n);
	t->order_cell = 0;
	return t;
}

/* Where a row's own title goes. */
static char *
room(struct task *t)
{
	return (char *)(t + 1);
}

/* Fills row with src, the row keeping its queue cell. */
static void
row_set(struct task *row, const struct task *src)
{
	uint32_t cell = row->order_cell;

	*row = *src;
	row->order_cell = cell;
}

/* The queue's cell for id: the gap's, a held task's, or NULL. */
static uint32_t *
queue_cell(void *ud, int64_t id)
{
	struct task_store *ts = ud;
	struct task *t;

	if (id == TASK_STORE_GAP_ID)
		return &ts->gap_cell;
	t = idmap_get(ts->tasks, id);
	return t != NULL ? &t->order_cell : NULL;
}

struct task_store *
task_store_new(void)
{
	struct task_store *ts = xcalloc(1, sizeof *ts);

	ts->tasks = idmap_new_keyed(offsetof(struct task, id));
	ts->before = idmap_new();
	ts->refs = ref_pool_new();
	ts->rows = slab_new();
	ts->queue = id_order_new_in(queue_cell, ts);
	return ts;
}

/* Moves a row's malloc'd title into its room when it fits. */
static void
settle_title(struct task *row)
{
	char *title = row->title;
	size_t n;

	if (title == NULL || title == room(row))
		return;
	n = strlen(title) + 1;
	if (n > slab_size(row) - sizeof(struct task))
		return;
	memcpy(room(row), title, n);
	free(title);
	row->title = room(row);
}

/*
 * Frees what a held task (a row when is_row, else a pending change's
 * base) owns, and gives its refs back to the pool.
 */
static void
release(struct task_store *ts, struct task *t, bool is_row)
{
	if (!is_row || t->title != room(t))
		free(t->title);
	free(t->description);
	ref_pool_release(ts->refs, t);
	row_set(t, &(const struct task){ 0 });
}

/*
 * Moves t (as parsed, or a copy) into dst as the store holds it: its
 * refs the pool's, the description kept only when keep_desc.
 */
static void
adopt(struct task_store *ts, struct task *dst, struct task *t, bool keep_desc)
{
	row_set(dst, t);
	memset(t, 0, sizeof *t);
	if (!keep_desc) {
		free(dst->description);
		dst->description = NULL;
	}
	ref_pool_adopt(ts->refs, dst);
	settle_title(dst);
}

/* Frees a row (is_row) or a pending change's base, and the struct. */
static void
held_free(struct task_store *ts, struct task *t, bool is_row)
{
	if (t == NULL)
		return;
	release(ts, t, is_row);
	if (is_row)
		slab_free(ts->rows, t);
	else
		free(t);
}

/* Frees every task of map (rows, or pending changes' bases). */
static void
free_all(struct task_store *ts, struct idmap *map, bool rows)
{
	size_t pos = 0;
	int64_t id;
	struct task *t;

	while ((t = idmap_next(map, &pos, &id)) != NULL)
		held_free(ts, t, rows);
	idmap_free(map);
}

void
task_store_free(struct task_store *ts)
{
	if (ts == NULL)
		return;
	id_order_free(ts->queue); /* before the rows that hold its cells */
	free_all(ts, ts->tasks, true);
	free_all(ts, ts->before, false);
	slab_free_all(ts->rows);
	ref_pool_free(ts->refs);
	listeners_clear(&ts->ls);
	free(ts);
}

void
task_store_listen(struct task_store *ts, task_store_cb cb, void *ud)
{
	listeners_add(&ts->ls, (listener_fn)cb, ud);
}

void
task_store_unlisten(struct task_store *ts, task_store_cb cb, void *ud)
{
	listeners_remove(&ts->ls, (listener_fn)cb, ud);
}

/* Tells every listener. */
static void
tell(struct task_store *ts, int64_t id, enum task_change what)
{
	size_t i;

	for (i = 0; i < ts->ls.n; i++)
		((task_store_cb)ts->ls.v[i].fn)(ts->ls.v[i].ud, id, what);
}

const struct task *
task_store_get(const struct task_store *ts, int64_t id)
{
	return idmap_get(ts->tasks, id);
}

size_t
task_store_count(const struct task_store *ts)
{
	return idmap_count(ts->tasks);
}

size_t
task_store_slab_bytes(const struct task_store *ts)
{
	return slab_bytes(ts->rows);
}

/*
 * A detail of the version held (or of the one a pending change was made
 * on) brings the description the list left out: t's goes to both.
 */
static void
fill_description(struct task *h, struct task *base, struct task *t)
{
	if (t->version != base->version)
		return;
	if (base != h && base->description == NULL)
		base->description = xstrdup(t->description);
	if (h->description == NULL) {
		h->description = t->description;
		t->description = NULL;
	}
}

/* Holds t (moved) without telling anyone; what put() did. */
static enum task_put
hold(struct task_store *ts, struct task *t, bool detail)
{
	struct task *h = idmap_get(ts->tasks, t->id);
	struct task *base;

	if (h == NULL) {
		h = row_new(ts, t->title);
		adopt(ts, h, t, detail);
		idmap_put(ts->tasks, h->id, h);
		return TASK_PUT_NEW;
	}
	/* A pending change shows the version it was made on: compare
	 * with the server's version it replaced. */
	base = idmap_get(ts->before, t->id);
	if (base == NULL)
		base = h;
	if (t->version <= base->version) {
		if (detail)
			fill_description(h, base, t);
		task_free(t);
		return TASK_PUT_STALE;
	}
	/* Once a detail was put, newer versions keep theirs. */
	detail = detail || h->description != NULL;
	release(ts, h, true);
	adopt(ts, h, t, detail);
	/* The server has spoken: a pending change is settled. */
	held_free(ts, idmap_remove(ts->before, h->id), false);
	return TASK_PUT_NEWER;
}

/* put() and put_detail(): holds t, tells of what changed. */
static enum task_put
put(struct task_store *ts, struct task *t, bool detail)
{
	int64_t id = t->id;
	enum task_put r = hold(ts, t, detail);

	if (r != TASK_PUT_STALE)
		tell(ts, id,
		     r == TASK_PUT_NEW ? TASK_STORE_INSERTED
		                       : TASK_STORE_UPDATED);
	return r;
}

enum task_put
task_store_put(struct task_store *ts, struct task *t)
{
	return put(ts, t, false);
}

enum task_put
task_store_put_detail(struct task_store *ts, struct task *t)
{
	int64_t id = t->id;
	const struct task *h = task_store_get(ts, id);
	bool had = h != NULL && h->description != NULL;
	enum task_put r = put(ts, t, true);

	/* The same version, but now with its description: the detail
	 * pane shows it. */
	h = task_store_get(ts, id);
	if (r == TASK_PUT_STALE && !had && h->description != NULL)
		tell(ts, id, TASK_STORE_UPDATED);
	return r;
}

enum task_put
task_store_put_copy(struct task_store *ts, const struct task *t)
{
	struct task c;

	task_copy(&c, t);
	return task_store_put(ts, &c);
}

bool
task_store_change(struct task_store *ts, const struct task *t)
{
	struct task *h = idmap_get(ts->tasks, t->id);
	struct task c, *before;
	bool keep_desc;

	if (h == NULL)
		return false;
	keep_desc = h->description != NULL;
	task_copy(&c, t);
	if (idmap_get(ts->before, t->id) == NULL) {
		before = xmalloc(sizeof *before);
		/* its refs' counts move with it */
		*before = *h;
		if (h->title == room(h)) /* the room is the change's now */
			before->title = xstrdup(h->title);
		idmap_put(ts->before, t->id, before);
	} else {
		release(ts, h, true);
	}
	adopt(ts, h, &c, keep_desc);
	tell(ts, t->id, TASK_STORE_UPDATED);
	return true;
}

bool
task_store_rollback(struct task_store *ts, int64_t id)
{
	struct task *h = idmap_get(ts->tasks, id);
	struct task *before = idmap_get(ts->before, id);

	if (h == NULL || before == NULL)
		return false;
	idmap_remove(ts->before, id);
	release(ts, h, true);
	row_set(h, before);
	free(before);
	settle_title(h);
	tell(ts, id, TASK_STORE_UPDATED);
	return true;
}

bool
task_store_pending(const struct task_store *ts, int64_t id)
{
	return idmap_get(ts->before, id) != NULL;
}

void
task_store_forget(struct task_store *ts, int64_t id)
{
	struct task *h;

	id_order_remove(ts->queue, id); /* while its row holds its cell */
	h = idmap_remove(ts->tasks, id);
	if (h == NULL)
		return;
	held_free(ts, h, true);
	held_free(ts, idmap_remove(ts->before, id), false);
	tell(ts, id, TASK_STORE_REMOVED);
}

/* ---- the queue's order ------------------------------------------------- */

/*
 * Puts every task of p from i on (the version rule applies) without
 * placing it: the other part of the queue lists them already.
 */
static void
put_rest(struct task_store *ts, struct task_page *p, size_t i)
{
	for (; i < p->n; i++)
		task_store_put(ts, &p->items[i]);
}

/*
 * Frees the page's item array, whose tasks the store took. After a big
 * page, gives the heap's free pages back: a page's parse (its body, the
 * JSON tree, the parsed strings) leaves about a megabyte of holes
 * between the rows, which malloc keeps resident until asked: with
 * 100,000 rows loaded, 1.0 MB less RSS (34.3 -> 33.3 MB) for about
 * 0.4 ms a page of 500.
 */
static void
page_taken(struct task_page *p)
{
	bool big = p->n >= 250;

	free(p->items);
	p->items = NULL;
	p->n = 0;
	if (big)
		malloc_trim(0);
}

void
task_store_queue_page(struct task_store *ts, struct task_page *p, bool first)
{
	size_t i;
	long long gap;

	if (first)
		id_order_clear(ts->queue);
	for (i = 0; i < p->n; i++) {
		int64_t id = p->items[i].id;
		long long at = id_order_pos(ts->queue, id);

		gap = id_order_pos(ts->queue, TASK_STORE_GAP_ID);
		if (gap >= 0 && at > gap) { /* the head meets the tail */
			id_order_remove(ts->queue, TASK_STORE_GAP_ID);
			break;
		}
		task_store_put(ts, &p->items[i]);
		id_order_insert(
		    ts->queue,
		    gap >= 0 ? (size_t)gap : id_order_count(ts->queue), id);
	}
	put_rest(ts, p, i);
	page_taken(p);
}

void
task_store_queue_tail_page(struct task_store *ts, struct task_page *p)
{
	size_t i;
	long long gap = id_order_pos(ts->queue, TASK_STORE_GAP_ID);

	if (gap < 0) {
		gap = (long long)id_order_count(ts->queue);
		id_order_insert(ts->queue, (size_t)gap, TASK_STORE_GAP_ID);
	}
	for (i = 0; i < p->n; i++) {
		int64_t id = p->items[i].id;
		long long at = id_order_pos(ts->queue, id);

		if (at >= 0 && at < gap) { /* the tail meets the head */
			id_order_remove(ts->queue, TASK_STORE_GAP_ID);
			break;
		}
		task_store_put(ts, &p->items[i]);
		id_order_insert(ts->queue, (size_t)gap + 1, id);
	}
	put_rest(ts, p, i);
	page_taken(p);
	/* A gap with nothing after it says nothing: the head's end. */
	if (id_order_pos(ts->queue, TASK_STORE_GAP_ID) ==
	    (long long)id_order_count(ts->queue) - 1)
		id_order_remove(ts->queue, TASK_STORE_GAP_ID);
}

long long
task_store_queue_gap(const struct task_store *ts)
{
	return id_order_pos(ts->queue, TASK_STORE_GAP_ID);
}

bool
task_store_queue_close_gap(struct task_store *ts)
{
	return id_order_remove(ts->queue, TASK_STORE_GAP_ID) >= 0;
}

int64_t
task_store_queue_id_at(const struct task_store *ts, size_t pos)
{
	return id_order_at(ts->queue, pos);
}

size_t
task_store_queue_count(const struct task_store *ts)
{
	return id_order_count(ts->queue);
}

const struct task *
task_store_queue_at(const struct task_store *ts, size_t pos)
{
	return task_store_get(ts, id_order_at(ts->queue, pos));
}

long long
task_store_queue_pos(const struct task_store *ts, int64_t id)
{
	return id_order_pos(ts->queue, id);
}

/* What id_order_place asks: does the task sort before id's task? */
struct place {
	const struct task_store *ts;
	const struct task *t;
	bool (*before)(void *ud, const struct task *t, const struct task *o);
	void *ud;
};

/*
 * At the gap, the task sorts before it when it sorts before the tail's
 * first task: one that lands just before the gap sorts between the head
 * and the tail, in the rows not loaded yet.
 */
static bool
place_before(void *ud, int64_t id)
{
	struct place *p = ud;
	long long gap;

	if (id == TASK_STORE_GAP_ID) {
		gap = id_order_pos(p->ts->queue, id);
		if ((size_t)gap + 1 >= id_order_count(p->ts->queue))
			return true;
		id = id_order_at(p->ts->queue, (size_t)gap + 1);
	}
	return p->before(p->ud, p->t, task_store_get(p->ts, id));
}

size_t
task_store_queue_place(const struct task_store *ts, const struct task *t,
                       bool (*before)(void *ud, const struct task *t,
                                      const struct task *other),
                       void *ud)
{
	struct place p = { ts, t, before, ud };

	return id_order_place(ts->queue, place_before, &p);
}

bool
task_store_queue_insert(struct task_store *ts, size_t pos, int64_t id)
{
	return id_order_insert(ts->queue, pos, id);
}

long long
task_store_queue_remove(struct task_store *ts, int64_t id)
{
	return id_order_remove(ts->queue, id);
}
