/* The tasks the client knows, each held once, and the queue's order. */
#ifndef SITECARE_NET_STORE_TASK_STORE_H
#define SITECARE_NET_STORE_TASK_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/client/model.h"

/*
 * Every version of a task the client receives goes through here: a GET
 * page, a live task.created / task.updated, a PATCH answer. The store
 * keeps one copy per id (net/store/idmap.h) and applies the version rule
 * once: a version older than the one held, or the same one again (an
 * event replayed after a reconnect), is ignored. An optimistic change
 * replaces the held task at once and keeps what it replaced, so a
 * failed PATCH rolls back to it; a newer server version settles it.
 *
 * The queue's order (the server's order for the pane's query, plus live
 * insertions at their place) is an id_order (net/store/id_order.h) the
 * store keeps beside the tasks: no position or insertion scans the queue.
 * Listeners hear of every task inserted, updated or removed.
 *
 * Held compactly, since a queue may hold 200,000 rows: a held task's
 * client and assignee are the shared refs of the store's pool
 * (net/store/ref_pool.h: one per client and staff member, shared by
 * every row), read-only like every shared ref. Its description is NULL
 * until its detail is put (the list never shows one, and the detail's
 * GET brings it); from then on every newer version of it keeps its
 * description. Tasks handed to the store are ordinary parsed ones (refs
 * of their own, which the store swaps for the pool's); copies taken
 * with task_copy() are the caller's as ever, holding counts of their
 * own on the refs, so they stay valid after the store lets go.
 */
struct task_store;

enum task_change {
	TASK_STORE_INSERTED, /* a task the store did not hold */
	TASK_STORE_UPDATED,  /* a newer version, a change or its rollback */
	TASK_STORE_REMOVED,  /* forgotten (deleted) */
};

/* What put() did with a version. */
enum task_put {
	TASK_PUT_STALE, /* older than, or the same as, the one held: ignored */
	TASK_PUT_NEW,   /* the first version held */
	TASK_PUT_NEWER, /* replaced an older one */
};

typedef void (*task_store_cb)(void *ud, int64_t id, enum task_change what);

struct task_store *task_store_new(void);
void task_store_free(struct task_store *ts);

/* Calls cb after every change, until unlisten with the same cb and ud. */
void task_store_listen(struct task_store *ts, task_store_cb cb, void *ud);
void task_store_unlisten(struct task_store *ts, task_store_cb cb, void *ud);

/* The task held for id, or NULL; valid until the store changes it. */
const struct task *task_store_get(const struct task_store *ts, int64_t id);
size_t task_store_count(const struct task_store *ts);
/* Bytes of the rows' slab (net/store/slab.h), which malloc's counters
 * leave out: for the tests that bound what a row costs. */
size_t task_store_slab_bytes(const struct task_store *ts);

/* Takes t (moved: the store owns its fields, or frees them when stale). */
enum task_put task_store_put(struct task_store *ts, struct task *t);
/*
 * The same for the task of a detail (GET /tasks/{id}): its description
 * is kept, also when the version is the one held already (listeners then
 * hear of an update).
 */
enum task_put task_store_put_detail(struct task_store *ts, struct task *t);
/* The same with a copy of t, which stays the caller's. */
enum task_put task_store_put_copy(struct task_store *ts, const struct task *t);

/*
 * An optimistic change: t (copied) is shown at once, whatever its
 * version; the task it replaced is kept until a newer server version
 * settles it (put) or rollback() puts it back. True when id is held.
 */
bool task_store_change(struct task_store *ts, const struct task *t);
/* Puts back what the pending change replaced; true when there was one. */
bool task_store_rollback(struct task_store *ts, int64_t id);
/* True when a change to id waits for the server. */
bool task_store_pending(const struct task_store *ts, int64_t id);
/* Forgets the task (and its place in the queue). */
void task_store_forget(struct task_store *ts, int64_t id);

/* ---- the queue's order ------------------------------------------------- */

/*
 * A long queue is loaded from both ends: a head (the query's first
 * pages, in order), one gap row standing for the rows not loaded yet,
 * and a tail (the first pages of the reversed query, so the last task
 * shows at once). The gap is an entry of the order with the id
 * TASK_STORE_GAP_ID, so positions count it like a row. When a head page
 * brings a task the tail holds, or a tail page one the head holds, the
 * two parts meet: the gap goes, and the rest of that page is only held
 * (the other part lists it already), so every task shows once.
 */
#define TASK_STORE_GAP_ID INT64_MIN

/*
 * A page of the queue's query: each task is put (the version rule
 * applies) and its id appended to the head (before the gap when there
 * is one), unless it is there already (a live insertion the page brings
 * again). first empties the order (head, gap and tail) before. The
 * page's items are moved; p->next stays the caller's.
 */
void task_store_queue_page(struct task_store *ts, struct task_page *p,
                           bool first);
/*
 * A page of the reversed query (last task first): each task goes just
 * after the gap, which is made at the end of the head when there is
 * none. The page's items are moved; p->next stays the caller's.
 */
void task_store_queue_tail_page(struct task_store *ts, struct task_page *p);
/* The gap's position, or -1 when the queue has none. */
long long task_store_queue_gap(const struct task_store *ts);
/* Takes the gap out (the head has reached the query's end); true when
 * there was one. */
bool task_store_queue_close_gap(struct task_store *ts);
/* Rows in the queue, the gap included. */
size_t task_store_queue_count(const struct task_store *ts);
/* The task at pos (< count); NULL at the gap. */
const struct task *task_store_queue_at(const struct task_store *ts, size_t pos);
/* The id at pos (< count): TASK_STORE_GAP_ID at the gap. */
int64_t task_store_queue_id_at(const struct task_store *ts, size_t pos);
/* id's position in the queue, or -1. */
long long task_store_queue_pos(const struct task_store *ts, int64_t id);
/*
 * Where t goes in the queue sorted by before(ud, t, other): one search,
 * no scan (the queue is in the query's order, live rows included). The
 * gap's position when t sorts between the head and the tail.
 */
size_t task_store_queue_place(const struct task_store *ts, const struct task *t,
                              bool (*before)(void *ud, const struct task *t,
                                             const struct task *other),
                              void *ud);
/* Inserts held id at pos; false when it is in the queue already. */
bool task_store_queue_insert(struct task_store *ts, size_t pos, int64_t id);
/* Takes id out of the queue (the task stays held); its old position or -1. */
long long task_store_queue_remove(struct task_store *ts, int64_t id);

#endif
