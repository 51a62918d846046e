/* The comments and attachments of tasks' details, each held once. */
#ifndef SITECARE_NET_STORE_COMMENT_STORE_H
#define SITECARE_NET_STORE_COMMENT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/client/model.h"

struct task_store;

/*
 * Per task id: its comments, in the server's order (created_at, then
 * id), each held once and found by id in O(1) (net/store/idmap.h); its
 * attachments; and whether its detail (GET /tasks/{id}) was loaded.
 * Everything that brings a comment goes through comment_store_comment:
 * a live comment.created, the sender's report of a sent comment, and
 * the comments of a GET answer. So an event replayed after a reconnect,
 * a sent comment that comes back as its own echo, or one that a GET
 * brings again is held once, at its place however late it comes.
 *
 * Memory stays bounded however many tasks are opened or commented on:
 * the details nobody holds (comment_store_hold) are a cache of at most
 * COMMENT_STORE_CACHED, the least recently used forgotten first. A held
 * detail (the one a pane shows) is never forgotten that way.
 *
 * Listeners are told, after the change, which task's detail changed
 * (a comment added, a detail put, forgotten). They must not listen or
 * unlisten from inside.
 */
struct comment_store;

/* Details kept that nobody holds: a few dozen recently seen tasks. */
#define COMMENT_STORE_CACHED 32

typedef void (*comment_store_cb)(void *ud, int64_t task_id);

struct comment_store *comment_store_new(void);
void comment_store_free(struct comment_store *cs);

/* Calls cb after every change, until unlisten with the same cb and ud. */
void comment_store_listen(struct comment_store *cs, comment_store_cb cb,
                          void *ud);
void comment_store_unlisten(struct comment_store *cs, comment_store_cb cb,
                            void *ud);

/*
 * A GET /tasks/{id} answer, moved in (d is left empty): the task goes to
 * ts (task_store_put: the version rule applies there), each comment not
 * held yet joins at its place (a live one the answer did not have yet
 * stays), the attachments replace the ones held, and the detail is
 * loaded.
 */
void comment_store_detail(struct comment_store *cs, struct task_store *ts,
                          struct task_detail *d);

/*
 * One comment of task task_id (copied): a comment.created event, or the
 * sent comment the sender reports. True when it was not held (then it
 * is, at its place, whether or not the detail is loaded); false for a
 * comment held already (a replay, or the echo of a sent one).
 */
bool comment_store_comment(struct comment_store *cs, int64_t task_id,
                           const struct comment *c);

/* The comments held for task_id, in order (*n is 0 when none); valid
 * until the store changes that task's detail (its listeners say so). */
const struct comment *const *
comment_store_comments(const struct comment_store *cs, int64_t task_id,
                       size_t *n);
/* Comment id, or NULL. */
const struct comment *comment_store_find(const struct comment_store *cs,
                                         int64_t id);
/* The attachments held for task_id (*n is 0 when none); valid as above. */
const struct attachment *
comment_store_attachments(const struct comment_store *cs, int64_t task_id,
                          size_t *n);
/* True when a GET answer for task_id was put and not forgotten since. */
bool comment_store_loaded(const struct comment_store *cs, int64_t task_id);

/*
 * A pane shows task_id's detail: it is kept until as many releases as
 * holds (the cache's bound does not forget it).
 */
void comment_store_hold(struct comment_store *cs, int64_t task_id);
void comment_store_release(struct comment_store *cs, int64_t task_id);

/* Forgets task_id's comments and attachments (not loaded any more),
 * held or not; a held detail stays held, empty. */
void comment_store_forget(struct comment_store *cs, int64_t task_id);
/* How many details are kept (held ones and the cache). */
size_t comment_store_count(const struct comment_store *cs);

#endif
