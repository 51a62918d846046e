/* The desktop route off the loop: see notify_queue.h. */
#include "tui/notify_queue.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "net/base/xmalloc.h"
#include "tui/worker.h"

/*
 * waiting is a ring of count notes from head. current is the note the
 * worker took and is showing (or failed to show). mu guards everything
 * the two threads share: the ring, current, failed, reason, closing and
 * shown; the worker pointer belongs to the loop thread alone.
 */
struct notify_queue {
	struct loop *loop;
	struct notify_queue_ops ops;
	pthread_mutex_t mu;
	struct notify_note waiting[NOTIFY_QUEUE_MAX];
	size_t head, count;
	struct notify_note current;
	bool failed;   /* show failed: nothing more is shown */
	char *reason;  /* why, once failed */
	bool reported; /* failed was called */
	bool closing;  /* freeing: show nothing more, then stop */
	bool shown;    /* show was called: stop is due at the end */
	bool stopped;  /* ...and stop was called */
	struct worker *worker;
};

static void
note_clear(struct notify_note *n)
{
	free(n->title);
	free(n->body);
	*n = (struct notify_note){ 0 };
}

/* Takes the oldest waiting note into *out; false when none waits. */
static bool
take_oldest(struct notify_queue *q, struct notify_note *out)
{
	if (q->count == 0)
		return false;
	*out = q->waiting[q->head];
	q->waiting[q->head] = (struct notify_note){ 0 };
	q->head = (q->head + 1) % NOTIFY_QUEUE_MAX;
	q->count--;
	return true;
}

/* The worker thread: shows what waits until none does, a show fails or
 * the queue closes; then, when closing, releases what show started. */
static void
drain(void *ud)
{
	struct notify_queue *q = ud;
	char *reason = NULL;
	bool stop;
	int rc;

	pthread_mutex_lock(&q->mu);
	while (!q->closing && !q->failed && take_oldest(q, &q->current)) {
		q->shown = true;
		pthread_mutex_unlock(&q->mu);
		rc = q->ops.show(q->ops.thread_ud, q->current.title,
		                 q->current.body, q->current.urgency, &reason);
		pthread_mutex_lock(&q->mu);
		if (rc == 0) {
			note_clear(&q->current);
			free(reason);
		} else {
			q->failed = true;
			q->reason =
			    reason != NULL ? reason : xstrdup("unknown error");
		}
		reason = NULL;
	}
	stop = q->closing && q->shown && !q->stopped;
	q->stopped = q->stopped || stop;
	pthread_mutex_unlock(&q->mu);
	if (stop && q->ops.stop != NULL)
		q->ops.stop(q->ops.thread_ud);
}

/* Hands the failure and every note not shown to ops.failed, once. */
static void
report_failure(struct notify_queue *q)
{
	struct notify_note notes[NOTIFY_QUEUE_MAX + 1];
	size_t n = 0, i;

	pthread_mutex_lock(&q->mu);
	notes[n++] = q->current;
	q->current = (struct notify_note){ 0 };
	while (take_oldest(q, &notes[n]))
		n++;
	q->reported = true;
	pthread_mutex_unlock(&q->mu);
	q->ops.failed(q->ops.loop_ud, q->reason, notes, n);
	for (i = 0; i < n; i++)
		note_clear(&notes[i]);
}

static void start_worker(struct notify_queue *q);

/* The loop thread, after drain returned: a failure to report, or notes
 * that arrived after it looked, for a new worker. */
static void
drained(void *ud)
{
	struct notify_queue *q = ud;
	bool failed, more;

	worker_free(q->worker);
	q->worker = NULL;
	pthread_mutex_lock(&q->mu);
	failed = q->failed && !q->reported;
	more = q->count > 0 && !q->failed;
	pthread_mutex_unlock(&q->mu);
	if (failed)
		report_failure(q);
	else if (more)
		start_worker(q);
}

static void
start_worker(struct notify_queue *q)
{
	q->worker = worker_start(q->loop, drain, drained, q);
}

struct notify_queue *
notify_queue_new(struct loop *l, const struct notify_queue_ops *ops)
{
	struct notify_queue *q = xcalloc(1, sizeof *q);

	q->loop = l;
	q->ops = *ops;
	pthread_mutex_init(&q->mu, NULL);
	return q;
}

unsigned
notify_queue_push(struct notify_queue *q, const char *title, const char *body,
                  enum notify_urgency u)
{
	struct notify_note note = { xstrdup(title),
		                    body != NULL ? xstrdup(body) : NULL, u };
	unsigned dropped = 0;

	pthread_mutex_lock(&q->mu);
	if (q->count == NOTIFY_QUEUE_MAX) {
		note_clear(&q->waiting[q->head]);
		q->head = (q->head + 1) % NOTIFY_QUEUE_MAX;
		q->count--;
		dropped = 1;
	}
	q->waiting[(q->head + q->count) % NOTIFY_QUEUE_MAX] = note;
	q->count++;
	pthread_mutex_unlock(&q->mu);
	if (q->worker == NULL)
		start_worker(q);
	return dropped;
}

bool
notify_queue_free(struct notify_queue *q)
{
	struct notify_note note;
	bool last_stop;

	if (q == NULL)
		return true;
	pthread_mutex_lock(&q->mu);
	q->closing = true;
	while (take_oldest(q, &note))
		note_clear(&note);
	pthread_mutex_unlock(&q->mu);
	/* A worker may have drained everything before closing was set and
	 * so not stopped: wait for it, then stop on a last one. */
	if (q->worker != NULL &&
	    !worker_let_go(q->worker, NOTIFY_QUEUE_QUIT_MS))
		return false; /* the thread keeps q */
	q->worker = NULL;
	pthread_mutex_lock(&q->mu);
	last_stop = q->shown && !q->stopped;
	pthread_mutex_unlock(&q->mu);
	if (last_stop) {
		start_worker(q);
		if (!worker_let_go(q->worker, NOTIFY_QUEUE_QUIT_MS))
			return false;
	}
	note_clear(&q->current);
	free(q->reason);
	pthread_mutex_destroy(&q->mu);
	free(q);
	return true;
}
