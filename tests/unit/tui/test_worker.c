/* Unit tests for tui/worker.c: a job off the loop thread, done on it. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <pthread.h>

#include "net/base/loop.h"
#include "tui/worker.h"

#include "fds_full.h"

/* What a job saw, written by the worker thread, read after done. */
struct job {
	pthread_t loop_thread, work_thread;
	atomic_bool release; /* set by the loop thread while work waits */
	bool saw_release;    /* work saw it: the loop ran meanwhile */
	bool winch_blocked;  /* SIGWINCH blocked in the worker thread */
	int worked, done;
	bool done_on_loop_thread;
	struct worker *w; /* freed by done when set */
	struct loop *loop;
};

/* Waits (at most 5 s) for the loop thread to set release. */
static void
work_waiting(void *ud)
{
	struct job *j = ud;
	sigset_t mask;
	int i;

	j->work_thread = pthread_self();
	pthread_sigmask(SIG_BLOCK, NULL, &mask);
	j->winch_blocked = sigismember(&mask, SIGWINCH) == 1;
	for (i = 0; i < 5000 && !atomic_load(&j->release); i++)
		usleep(1000);
	j->saw_release = atomic_load(&j->release);
	j->worked++;
}

static void
work_quick(void *ud)
{
	struct job *j = ud;

	j->work_thread = pthread_self();
	j->worked++;
}

static void
on_done(void *ud)
{
	struct job *j = ud;

	j->done++;
	j->done_on_loop_thread = pthread_equal(pthread_self(), j->loop_thread);
	if (j->w != NULL) {
		worker_free(j->w);
		j->w = NULL;
	}
}

static void
release_it(void *ud)
{
	struct job *j = ud;

	atomic_store(&j->release, true);
}

/* Runs the loop until done has run (at most about 10 s). */
static void
run_until_done(struct loop *l, struct job *j)
{
	int i;

	for (i = 0; i < 1000 && j->done == 0; i++)
		loop_run_once(l, 10);
}

static void
worker__runs_off_the_loop_which_keeps_running(void **state)
{
	struct loop *l = loop_new();
	struct job j = { .loop_thread = pthread_self() };
	struct worker *w;

	(void)state;
	w = worker_start(l, work_waiting, on_done, &j);
	assert_true(worker_running(w));
	/* The work waits for this timer: only a loop still running fires it. */
	loop_timer_add(l, 50, release_it, &j);
	run_until_done(l, &j);
	assert_int_equal(j.worked, 1);
	assert_int_equal(j.done, 1);
	assert_true(j.saw_release);
	assert_false(pthread_equal(j.work_thread, j.loop_thread));
	assert_true(j.done_on_loop_thread);
	assert_true(j.winch_blocked);
	assert_false(worker_running(w));
	worker_free(w);
	loop_free(l);
}

static void
worker__done_comes_from_the_loop_never_from_start(void **state)
{
	struct loop *l = loop_new();
	struct job j = { .loop_thread = pthread_self() };
	struct worker *w;

	(void)state;
	w = worker_start(l, work_quick, on_done, &j);
	usleep(50000); /* the work has long returned */
	assert_int_equal(j.done, 0);
	run_until_done(l, &j);
	assert_int_equal(j.done, 1);
	worker_free(w);
	loop_free(l);
}

static void
worker__done_may_free_the_worker(void **state)
{
	struct loop *l = loop_new();
	struct job j = { .loop_thread = pthread_self() };

	(void)state;
	j.w = worker_start(l, work_quick, on_done, &j);
	run_until_done(l, &j);
	assert_int_equal(j.done, 1);
	assert_null(j.w);
	/* Its descriptor is gone from the loop: nothing more runs. */
	assert_int_equal(loop_run_once(l, 0), 0);
	loop_free(l);
}

static void
worker__free_while_running_waits_and_skips_done(void **state)
{
	struct loop *l = loop_new();
	struct job j = { .loop_thread = pthread_self() };
	struct worker *w;

	(void)state;
	w = worker_start(l, work_waiting, on_done, &j);
	atomic_store(&j.release, true);
	worker_free(w); /* joins: the work has returned when this does */
	assert_int_equal(j.worked, 1);
	assert_int_equal(loop_run_once(l, 20), 0);
	assert_int_equal(j.done, 0);
	loop_free(l);
}

static void
worker__let_go_waits_a_little_then_leaves_the_thread(void **state)
{
	struct loop *l = loop_new();
	static struct job j; /* the thread's after let go: kept */
	struct worker *w;
	long long t0;
	int i;

	(void)state;
	j = (struct job){ .loop_thread = pthread_self() };
	w = worker_start(l, work_waiting, on_done, &j);
	t0 = loop_now_ms();
	assert_false(worker_let_go(w, 50)); /* the work still waits */
	assert_true(loop_now_ms() - t0 < 1000);
	atomic_store(&j.release, true);
	for (i = 0; i < 1000 && j.worked == 0; i++)
		usleep(1000);
	usleep(20000); /* the thread frees w (the sanitiser checks) */
	assert_int_equal(j.worked, 1);
	assert_int_equal(loop_run_once(l, 20), 0);
	assert_int_equal(j.done, 0);
	/* Work already returned: let go frees at once, like worker_free. */
	w = worker_start(l, work_quick, on_done, &j);
	assert_true(worker_let_go(w, 1000));
	assert_int_equal(j.done, 0);
	loop_free(l);
}

/* With no descriptor left for the pipe, the work runs inline, at once,
 * and done still comes from the loop, later; freeing or letting go of
 * such a worker before then means done never comes. */
static void
worker__no_pipe_runs_inline_done_from_the_loop(void **state)
{
	struct loop *l = loop_new();
	struct job j = { .loop_thread = pthread_self() };
	struct fds_full f;
	struct worker *w;

	(void)state;
	fds_fill(&f);
	w = worker_start(l, work_quick, on_done, &j);
	fds_unfill(&f);
	assert_int_equal(j.worked, 1);
	assert_true(pthread_equal(j.work_thread, j.loop_thread));
	assert_int_equal(j.done, 0);
	assert_true(worker_running(w));
	run_until_done(l, &j);
	assert_int_equal(j.done, 1);
	assert_true(j.done_on_loop_thread);
	assert_false(worker_running(w));
	worker_free(w);

	j = (struct job){ .loop_thread = pthread_self() };
	fds_fill(&f);
	w = worker_start(l, work_quick, on_done, &j);
	fds_unfill(&f);
	worker_free(w);
	assert_int_equal(loop_run_once(l, 20), 0);
	assert_int_equal(j.done, 0);

	fds_fill(&f);
	w = worker_start(l, work_quick, on_done, &j);
	fds_unfill(&f);
	assert_true(worker_let_go(w, 1000));
	assert_int_equal(loop_run_once(l, 20), 0);
	assert_int_equal(j.worked, 2);
	assert_int_equal(j.done, 0);
	loop_free(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(worker__runs_off_the_loop_which_keeps_running),
		cmocka_unit_test(
		    worker__done_comes_from_the_loop_never_from_start),
		cmocka_unit_test(worker__done_may_free_the_worker),
		cmocka_unit_test(
		    worker__free_while_running_waits_and_skips_done),
		cmocka_unit_test(
		    worker__let_go_waits_a_little_then_leaves_the_thread),
		cmocka_unit_test(
		    worker__no_pipe_runs_inline_done_from_the_loop),
	};

	return cmocka_run_group_tests_name("tui/worker", tests, NULL, NULL);
}
