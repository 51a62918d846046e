/* The tasks the client knows, held once: see task_store.h. */
#include "net/store/task_store.h"

#include <stdlib.h>

#include "net/base/xmalloc.h"
#include "net/store/listeners.h"
#include "net/store/id_order.h"
#include "net/store/idmap.h"

/* One task held, and what an optimistic change replaced (or NULL). */
struct held {
	struct task task;
	struct task *before;
};

struct task_store {
	struct idmap *tasks; /* id -> struct held */
	struct id_order *queue;
	struct listeners ls;
};

struct task_store *
task_store_new(void)
{
	struct task_store *ts = xcalloc(1, sizeof *ts);

	ts->tasks = idmap_new();
	ts->queue = id_order_new();
	return ts;
}

/* Frees what a held task owns, the pending change's base included. */
static void
held_free(struct held *h)
{
	task_free(&h->task);
	if (h->before != NULL) {
		task_free(h->before);
		free(h->before);
	}
	free(h);
}

void
task_store_free(struct task_store *ts)
{
	size_t pos = 0;
	int64_t id;
	struct held *h;

	if (ts == NULL)
		return;
	while ((h = idmap_next(ts->tasks, &pos, &id)) != NULL)
		held_free(h);
	idmap_free(ts->tasks);
	id_order_free(ts->queue);
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
	const struct held *h = idmap_get(ts->tasks, id);

	return h != NULL ? &h->task : NULL;
}

size_t
task_store_count(const struct task_store *ts)
{
	return idmap_count(ts->tasks);
}

/* Holds t (moved) without telling anyone; what put() did. */
static enum task_put
hold(struct task_store *ts, struct task *t)
{
	struct held *h = idmap_get(ts->tasks, t->id);

	if (h == NULL) {
		h = xcalloc(1, sizeof *h);
		h->task = *t;
		idmap_put(ts->tasks, t->id, h);
		return TASK_PUT_NEW;
	}
	/* A pending change shows the version it was made on: compare
	 * with the server's version it replaced. */
	if (t->version <= (h->before != NULL ? h->before : &h->task)->version) {
		task_free(t);
		return TASK_PUT_STALE;
	}
	task_free(&h->task);
	h->task = *t;
	if (h->before != NULL) { /* the server has spoken: settled */
		task_free(h->before);
		free(h->before);
		h->before = NULL;
	}
	return TASK_PUT_NEWER;
}

enum task_put
task_store_put(struct task_store *ts, struct task *t)
{
	int64_t id = t->id;
	enum task_put r = hold(ts, t);

	if (r != TASK_PUT_STALE)
		tell(ts, id,
		     r == TASK_PUT_NEW ? TASK_STORE_INSERTED
		                       : TASK_STORE_UPDATED);
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
	struct held *h = idmap_get(ts->tasks, t->id);
	struct task c;

	if (h == NULL)
		return false;
	task_copy(&c, t);
	if (h->before == NULL) {
		h->before = xmalloc(sizeof *h->before);
		*h->before = h->task;
	} else {
		task_free(&h->task);
	}
	h->task = c;
	tell(ts, t->id, TASK_STORE_UPDATED);
	return true;
}

bool
task_store_rollback(struct task_store *ts, int64_t id)
{
	struct held *h = idmap_get(ts->tasks, id);

	if (h == NULL || h->before == NULL)
		return false;
	task_free(&h->task);
	h->task = *h->before;
	free(h->before);
	h->before = NULL;
	tell(ts, id, TASK_STORE_UPDATED);
	return true;
}

bool
task_store_pending(const struct task_store *ts, int64_t id)
{
	const struct held *h = idmap_get(ts->tasks, id);

	return h != NULL && h->before != NULL;
}

void
task_store_forget(struct task_store *ts, int64_t id)
{
	struct held *h = idmap_remove(ts->tasks, id);

	if (h == NULL)
		return;
	id_order_remove(ts->queue, id);
	held_free(h);
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

/* Frees the page's item array, whose tasks the store took. */
static void
page_taken(struct task_page *p)
{
	free(p->items);
	p->items = NULL;
	p->n = 0;
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
