/* Unit tests for tui/notify_queue.c: the desktop route off the loop. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <pthread.h>

#include "net/base/xmalloc.h"
#include "net/base/loop.h"
#include "tui/notify_queue.h"

/*
 * A fake daemon. show records each title on the worker thread; while
 * stalled is set it waits (as a stopped daemon holds a D-Bus call), and
 * it fails the show whose number is fail_at (1-based; 0: none).
 */
struct daemon {
	pthread_t loop_thread;
	atomic_bool stalled;
	atomic_int entered; /* shows begun */
	int fail_at;
	char shown[32][16];
	int nshown;
	bool off_loop;
	int stops;
	/* What failed reported, on the loop thread. */
	int failed_calls;
	char reason[64];
	char unshown[32][16];
	int nunshown;
	bool failed_on_loop;
};

static int
fake_show(void *ud, const char *title, const char *body, enum notify_urgency u,
          char **reason)
{
	struct daemon *d = ud;
	int i, n = atomic_fetch_add(&d->entered, 1) + 1;

	(void)body;
	(void)u;
	d->off_loop = !pthread_equal(pthread_self(), d->loop_thread);
	for (i = 0; i < 5000 && atomic_load(&d->stalled); i++)
		usleep(1000);
	if (n == d->fail_at) {
		*reason = xstrdup("the daemon went away");
		return -1;
	}
	snprintf(d->shown[d->nshown++], sizeof d->shown[0], "%s", title);
	return 0;
}

static void
fake_stop(void *ud)
{
	struct daemon *d = ud;

	d->stops++;
}

static void
fake_failed(void *ud, const char *reason, const struct notify_note *notes,
            size_t n)
{
	struct daemon *d = ud;
	size_t i;

	d->failed_calls++;
	d->failed_on_loop = pthread_equal(pthread_self(), d->loop_thread);
	snprintf(d->reason, sizeof d->reason, "%s", reason);
	for (i = 0; i < n; i++)
		snprintf(d->unshown[d->nunshown++], sizeof d->unshown[0], "%s",
		         notes[i].title);
}

static struct notify_queue *
queue_new(struct loop *l, struct daemon *d)
{
	memset(d, 0, sizeof *d);
	d->loop_thread = pthread_self();
	return notify_queue_new(l, &(struct notify_queue_ops){
	                               .show = fake_show,
	                               .stop = fake_stop,
	                               .thread_ud = d,
	                               .failed = fake_failed,
	                               .loop_ud = d,
	                           });
}

/* Runs the loop until done(d) or about 5 s have passed. */
static void
run_until(struct loop *l, struct daemon *d, bool (*done)(struct daemon *))
{
	int i;

	for (i = 0; i < 500 && !done(d); i++)
		loop_run_once(l, 10);
}

static bool
shown_three(struct daemon *d)
{
	return d->nshown == 3;
}

static bool
shown_first_and_max(struct daemon *d)
{
	return d->nshown == 1 + NOTIFY_QUEUE_MAX;
}

static bool
failure_reported(struct daemon *d)
{
	return d->failed_calls > 0;
}

static void
push(struct notify_queue *q, int i, unsigned want_dropped)
{
	char title[16];

	snprintf(title, sizeof title, "n%d", i);
	assert_int_equal(notify_queue_push(q, title, "body", NOTIFY_NORMAL),
	                 want_dropped);
}

static void
notify_queue__push__shows_in_order_off_the_loop(void **state)
{
	struct loop *l = loop_new();
	struct daemon d;
	struct notify_queue *q = queue_new(l, &d);
	int i;

	(void)state;
	for (i = 1; i <= 3; i++)
		push(q, i, 0);
	run_until(l, &d, shown_three);
	assert_int_equal(d.nshown, 3);
	assert_string_equal(d.shown[0], "n1");
	assert_string_equal(d.shown[2], "n3");
	assert_true(d.off_loop);
	assert_int_equal(d.failed_calls, 0);
	assert_true(notify_queue_free(q));
	assert_int_equal(d.stops, 1); /* released, on a worker */
	loop_free(l);
}

static void
notify_queue__push__stalled_daemon_blocks_nothing_drops_oldest(void **state)
{
	struct loop *l = loop_new();
	struct daemon d;
	struct notify_queue *q = queue_new(l, &d);
	long long t0;
	int i;

	(void)state;
	atomic_store(&d.stalled, true);
	push(q, 1, 0);
	for (i = 0; i < 500 && atomic_load(&d.entered) == 0; i++)
		usleep(1000);
	/* n1 is being shown, held by the stalled daemon; pushes return at
	 * once, and past NOTIFY_QUEUE_MAX waiting the oldest goes. */
	t0 = loop_now_ms();
	for (i = 2; i <= 1 + NOTIFY_QUEUE_MAX; i++)
		push(q, i, 0);
	push(q, 2 + NOTIFY_QUEUE_MAX, 1);
	push(q, 3 + NOTIFY_QUEUE_MAX, 1);
	assert_true(loop_now_ms() - t0 < 100);
	assert_int_equal(loop_run_once(l, 20), 0); /* nothing done yet */
	atomic_store(&d.stalled, false);
	run_until(l, &d, shown_first_and_max);
	assert_int_equal(d.nshown, 1 + NOTIFY_QUEUE_MAX);
	assert_string_equal(d.shown[0], "n1");
	assert_string_equal(d.shown[1], "n4"); /* n2 and n3 dropped */
	assert_string_equal(d.shown[NOTIFY_QUEUE_MAX], "n11");
	assert_true(notify_queue_free(q));
	loop_free(l);
}

static void
notify_queue__show_fails__unshown_come_back_on_the_loop(void **state)
{
	struct loop *l = loop_new();
	struct daemon d;
	struct notify_queue *q = queue_new(l, &d);
	int i;

	(void)state;
	d.fail_at = 2;
	atomic_store(&d.stalled, true);
	for (i = 1; i <= 4; i++)
		push(q, i, 0);
	atomic_store(&d.stalled, false);
	run_until(l, &d, failure_reported);
	assert_int_equal(d.failed_calls, 1);
	assert_true(d.failed_on_loop);
	assert_string_equal(d.reason, "the daemon went away");
	assert_int_equal(d.nshown, 1);
	assert_int_equal(d.nunshown, 3);
	assert_string_equal(d.unshown[0], "n2"); /* the failed one first */
	assert_string_equal(d.unshown[2], "n4");
	assert_int_equal(atomic_load(&d.entered), 2); /* none tried after */
	assert_true(notify_queue_free(q));
	loop_free(l);
}

/* What the test below leaves to the thread, kept where a leak checker
 * sees it, as a quitting program's last pointers are (volatile: stores
 * nobody reads are not optimised away). */
static void *volatile kept[2];

static void
notify_queue__free__stalled_daemon_is_left_behind(void **state)
{
	struct loop *l = loop_new();
	struct daemon *d = kept[0] = xmalloc(sizeof *d);
	struct notify_queue *q = kept[1] = queue_new(l, d);
	long long t0;
	int i;

	(void)state;
	atomic_store(&d->stalled, true);
	push(q, 1, 0);
	push(q, 2, 0);
	for (i = 0; i < 500 && atomic_load(&d->entered) == 0; i++)
		usleep(1000);
	t0 = loop_now_ms();
	assert_false(notify_queue_free(q)); /* does not wait for the daemon */
	assert_true(loop_now_ms() - t0 < NOTIFY_QUEUE_QUIT_MS + 200);
	loop_free(l);
	atomic_store(&d->stalled, false);
	/* The thread finishes on its own, showing nothing more. */
	for (i = 0; i < 500 && d->nshown == 0; i++)
		usleep(1000);
	usleep(20000);
	assert_int_equal(d->nshown, 1);
	/* q and d stay the thread's: kept (kept[]). */
}

static void
notify_queue__free__null_is_fine(void **state)
{
	(void)state;
	assert_true(notify_queue_free(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    notify_queue__push__shows_in_order_off_the_loop),
		cmocka_unit_test(
		    notify_queue__push__stalled_daemon_blocks_nothing_drops_oldest),
		cmocka_unit_test(
		    notify_queue__show_fails__unshown_come_back_on_the_loop),
		cmocka_unit_test(
		    notify_queue__free__stalled_daemon_is_left_behind),
		cmocka_unit_test(notify_queue__free__null_is_fine),
	};

	return cmocka_run_group_tests_name("tui/notify_queue", tests, NULL,
	                                   NULL);
}
