/* The desktop route off the loop: a bounded queue the worker drains. */
#ifndef SITECARE_TUI_NOTIFY_QUEUE_H
#define SITECARE_TUI_NOTIFY_QUEUE_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/notify.h"

struct loop;

/*
 * Desktop notifications are synchronous D-Bus calls (notify_libnotify.h)
 * and a stalled daemon holds one for up to 25 s, so they never run on the
 * loop. The loop pushes a copy of each notification here and returns at
 * once; a worker thread (tui/worker.h) shows them one after another, in
 * order, and is started again when more arrive after it finished. At
 * most NOTIFY_QUEUE_MAX wait behind the one being shown: while the
 * daemon is stalled, a push onto a full queue drops the oldest waiting
 * one, and says so (notify_queue_push returns 1).
 *
 * The first failure ends the desktop route: the thread shows nothing
 * more, and on the loop `failed` gets the reason and every notification
 * not shown (the failed one first, then those still waiting), so the
 * caller can send them by another route.
 */

/* How many notifications wait, at most, behind the one being shown. */
#define NOTIFY_QUEUE_MAX 8

/* How long freeing waits for a notification still being shown. */
#define NOTIFY_QUEUE_QUIT_MS 500

/* One notification as it is handed over (clean already). */
struct notify_note {
	char *title;
	char *body; /* or NULL */
	enum notify_urgency urgency;
};

struct notify_queue_ops {
	/* Worker thread: shows one; 0, or -1 and a malloc'd *reason. */
	int (*show)(void *thread_ud, const char *title, const char *body,
	            enum notify_urgency u, char **reason);
	/* Worker thread, when freeing after show was called: releases. */
	void (*stop)(void *thread_ud);
	void *thread_ud;
	/* Loop thread, once: the route failed; notes were not shown. */
	void (*failed)(void *loop_ud, const char *reason,
	               const struct notify_note *notes, size_t n);
	void *loop_ud;
};

struct notify_queue;

/* A queue whose worker reports back through loop l. */
struct notify_queue *notify_queue_new(struct loop *l,
                                      const struct notify_queue_ops *ops);

/*
 * Hands a copy of title and body (may be NULL) to the worker. Returns
 * how many waiting notifications were dropped to make room: 0 or 1.
 */
unsigned notify_queue_push(struct notify_queue *q, const char *title,
                           const char *body, enum notify_urgency u);

/*
 * Drops what still waits, lets the worker call stop, frees q and returns
 * true. When a notification is still being shown after
 * NOTIFY_QUEUE_QUIT_MS (the daemon is stalled and the program is
 * quitting), the worker thread is left to finish on its own and keeps q
 * and thread_ud: neither is freed, and it returns false. NULL: true.
 */
bool notify_queue_free(struct notify_queue *q);

#endif
