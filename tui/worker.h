/* One job off the loop thread, for work that would freeze the interface. */
#ifndef SITECARE_TUI_WORKER_H
#define SITECARE_TUI_WORKER_H

#include <stdbool.h>

struct loop;
struct worker;

typedef void (*worker_fn)(void *ud);

/*
 * The network never needs a thread (libcurl's multi interface runs in the
 * loop), but Argon2id does: deriving the staff key's sealing key takes
 * about a second of CPU, and the interface must keep drawing and reading
 * keys meanwhile. worker_start runs work(ud) on a thread of its own; when
 * it returns, done(ud) runs on the loop thread, from the loop, like any
 * other callback. Nothing else is shared: work must touch only what ud
 * gives it, and the loop thread must leave that alone until done.
 *
 * If no thread can be made, work runs at once on the loop thread (the
 * old freeze, not a failure) and done still comes from the loop. done
 * may free the worker.
 */
struct worker *worker_start(struct loop *l, worker_fn work, worker_fn done,
                            void *ud);

/* True until done has been called. */
bool worker_running(const struct worker *w);

/*
 * Waits for work to return if it still runs (a bounded wait: the work is
 * CPU-bound), then frees w; done is not called. NULL is fine.
 */
void worker_free(struct worker *w);

/*
 * For work that can block on something outside (a D-Bus call): waits at
 * most wait_ms for work to return. Then, like worker_free, frees w and
 * returns true. Otherwise returns false and lets the thread go: it frees
 * w itself when work returns, and ud stays the thread's (the caller
 * must leave it allocated). done is not called either way. NULL: true.
 */
bool worker_let_go(struct worker *w, int wait_ms);

#endif
