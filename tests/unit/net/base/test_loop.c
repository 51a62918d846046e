/* Unit tests for net/base/loop.c: timers, descriptors, sources, signals. */
#include <setjmp.h>
#include <stdbool.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cmocka.h>

#include "net/base/loop.h"

struct record {
	int order[8];
	int n;
};

static void
mark(void *ud, int what)
{
	struct record *r = ud;

	if (r->n < 8)
		r->order[r->n++] = what;
}

static void
timer_a(void *ud)
{
	mark(ud, 1);
}

static void
timer_b(void *ud)
{
	mark(ud, 2);
}

static long long
frozen_clock(void *ud)
{
	return *(long long *)ud;
}

/* Sets the frozen clock to `at`, runs one pass, and says how many timers
 * have fired so far. */
static int
fired_by(struct loop *l, long long *now, long long at, const struct record *r)
{
	*now = at;
	loop_run_once(l, 0);
	return r->n;
}

/* On a clock the test steps (a loaded machine that pauses the test
 * between the two adds cannot change their order): each timer fires at
 * its time, in due order, and not a millisecond early. */
static void
loop__timers__fire_in_due_order_not_early(void **state)
{
	struct loop *l = loop_new();
	struct record r = { { 0 }, 0 };
	long long start = 1000000, now = start;

	(void)state;
	loop_set_clock(l, frozen_clock, &now);
	loop_timer_add(l, 60, timer_b, &r);
	loop_timer_add(l, 20, timer_a, &r);
	loop_run_once(l, 0);
	assert_int_equal(fired_by(l, &now, start + 19, &r), 0);
	assert_int_equal(fired_by(l, &now, start + 20, &r), 1);
	assert_int_equal(r.order[0], 1);
	assert_int_equal(fired_by(l, &now, start + 59, &r), 1);
	assert_int_equal(fired_by(l, &now, start + 60, &r), 2);
	assert_int_equal(r.order[1], 2);
	loop_free(l);
}

/* A 0 ms timer that adds itself again, up to 1000 times. */
struct again {
	struct loop *l;
	int runs;
};

static void
timer_again(void *ud)
{
	struct again *a = ud;

	if (++a->runs < 1000)
		loop_timer_add(a->l, 0, timer_again, a);
}

/* With the clock standing still, a timer re-added by its own callback
 * still runs once per pass, not until the clock ticks. */
static void
loop__timers__re_added_timer_waits_for_the_next_pass(void **state)
{
	struct loop *l = loop_new();
	long long now = 1000000;
	struct again a = { l, 0 };

	loop_set_clock(l, frozen_clock, &now);
	loop_timer_add(l, 0, timer_again, &a);
	assert_int_equal(loop_run_once(l, 0), 1);
	assert_int_equal(a.runs, 1);
	assert_int_equal(loop_run_once(l, 0), 1);
	assert_int_equal(a.runs, 2);
	loop_free(l);
}

static void
loop__timers__cancelled_never_fire(void **state)
{
	struct loop *l = loop_new();
	struct record r = { { 0 }, 0 };
	unsigned id = loop_timer_add(l, 10, timer_a, &r);

	loop_timer_cancel(l, id);
	loop_run_once(l, 40);
	assert_int_equal(r.n, 0);
	loop_free(l);
}

static void
on_readable(int fd, short revents, void *ud)
{
	char c;

	assert_int_equal(read(fd, &c, 1), 1);
	mark(ud, c);
}

static void
loop__fd__callback_runs_when_ready(void **state)
{
	struct loop *l = loop_new();
	struct record r = { { 0 }, 0 };
	int p[2];

	assert_int_equal(pipe(p), 0);
	loop_add_fd(l, p[0], POLLIN, on_readable, &r);
	assert_int_equal(loop_run_once(l, 0), 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_int_equal(loop_run_once(l, 1000), 1);
	assert_int_equal(r.order[0], 'x');
	loop_remove_fd(l, p[0]);
	assert_int_equal(write(p[1], "y", 1), 1);
	assert_int_equal(loop_run_once(l, 0), 0);
	close(p[0]);
	close(p[1]);
	loop_free(l);
}

static void
on_sig(int signo, void *ud)
{
	mark(ud, signo);
}

static void
loop__signal__delivered_through_self_pipe(void **state)
{
	struct loop *l = loop_new();
	struct record r = { { 0 }, 0 };

	assert_int_equal(loop_signal(l, SIGUSR1, on_sig, &r), 0);
	raise(SIGUSR1);
	loop_run_once(l, 1000);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.order[0], SIGUSR1);
	loop_free(l);
}

/* A source whose fd is a pipe and whose own deadline is 30 ms away. */
struct fake_source {
	int fd;
	int dispatched;
	int saw_ready;
	long long deadline;
};

static int
fake_pollfds(void *ud, struct pollfd *fds, int max)
{
	struct fake_source *f = ud;

	fds[0] = (struct pollfd){ f->fd, POLLIN, 0 };
	return 1;
}

static int
fake_timeout(void *ud)
{
	struct fake_source *f = ud;
	long long left = f->deadline - loop_now_ms();

	return left < 0 ? 0 : (int)left;
}

static void
fake_dispatch(void *ud, const struct pollfd *fds, int n)
{
	struct fake_source *f = ud;

	f->dispatched++;
	if (n == 1 && (fds[0].revents & POLLIN))
		f->saw_ready++;
}

static void
loop__source__timeout_wakes_and_fds_reported(void **state)
{
	struct loop *l = loop_new();
	struct fake_source f = { 0 };
	struct loop_source src = { fake_pollfds, fake_timeout, fake_dispatch,
		                   &f };
	long long start;
	int p[2];

	assert_int_equal(pipe(p), 0);
	f.fd = p[0];
	f.deadline = loop_now_ms() + 30;
	loop_add_source(l, &src);
	start = loop_now_ms();
	loop_run_once(l, -1); /* must wake for the source's deadline */
	assert_true(loop_now_ms() - start >= 25);
	assert_true(loop_now_ms() - start < 1000);
	assert_int_equal(f.saw_ready, 0);
	f.deadline = loop_now_ms() + 100000;
	assert_int_equal(write(p[1], "z", 1), 1);
	loop_run_once(l, -1);
	assert_int_equal(f.saw_ready, 1);
	close(p[0]);
	close(p[1]);
	loop_free(l);
}

/* ---- the slack of long timers ------------------------------------------ */

/*
 * A clock that runs at the real pace from wherever the test puts it, so a
 * test can step to just before a minute timer is due and then let the
 * loop really sleep the last few hundred milliseconds.
 */
struct fake_clock {
	long long offset;
	long long last; /* what it read last time */
};

static long long
fake_now(void *ud)
{
	struct fake_clock *c = ud;

	c->last = loop_now_ms() + c->offset;
	return c->last;
}

/* Sets the fake clock so that it reads `when` now. */
static void
clock_jump_to(struct fake_clock *c, long long when)
{
	c->offset = when - loop_now_ms();
}

/* When a timer ran, by the fake clock, and how often. */
struct firing {
	struct fake_clock *clock;
	int n;
	long long at;
};

static void
on_fire(void *ud)
{
	struct firing *f = ud;

	f->n++;
	f->at = fake_now(f->clock);
}

/* A loop on a fake clock, with a timer of ms whose due time is *due. */
static struct loop *
loop_with_timer(struct fake_clock *c, int ms, struct firing *f, long long *due,
                unsigned *id)
{
	struct loop *l = loop_new();
	unsigned tid;

	loop_set_clock(l, fake_now, c);
	f->clock = c;
	c->last = -1;
	tid = loop_timer_add(l, ms, on_fire, f);
	assert_true(c->last >= 0); /* the loop read its clock */
	*due = c->last + ms;
	if (id != NULL)
		*id = tid;
	return l;
}

/* One pass of l from `from` by the fake clock; the real ms it took. */
static long long
pass_from(struct loop *l, struct fake_clock *c, long long from, int max_wait)
{
	long long start;

	clock_jump_to(c, from);
	start = loop_now_ms();
	loop_run_once(l, max_wait);
	return loop_now_ms() - start;
}

static void
loop__timers__long_timer_never_fires_before_due(void **state)
{
	struct fake_clock c = { 0 };
	struct firing f = { 0 };
	long long due;
	struct loop *l = loop_with_timer(&c, 60000, &f, &due, NULL);

	clock_jump_to(&c, due - 1000);
	assert_int_equal(loop_run_once(l, 0), 0);
	assert_int_equal(f.n, 0);
	clock_jump_to(&c, due);
	assert_int_equal(loop_run_once(l, 0), 1);
	assert_int_equal(f.n, 1);
	assert_true(f.at >= due);
	clock_jump_to(&c, due + 60000);
	assert_int_equal(loop_run_once(l, 0), 0); /* one-shot */
	assert_int_equal(f.n, 1);
	loop_free(l);
}

/* The event stream's ping, as a source that wakes the loop once at
 * `deadline` by the fake clock. */
struct ping {
	struct fake_clock *clock;
	long long deadline;
	int dispatched;
};

static int
ping_pollfds(void *ud, struct pollfd *fds, int max)
{
	return 0;
}

static int
ping_timeout(void *ud)
{
	struct ping *p = ud;
	long long left = p->deadline - fake_now(p->clock);

	return left < 0 ? 0 : (int)left;
}

static void
ping_dispatch(void *ud, const struct pollfd *fds, int n)
{
	struct ping *p = ud;

	p->dispatched++;
}

static int
zero_timeout(void *ud)
{
	return 0;
}

static void
loop__timers__long_timer_rides_on_a_nearby_wakeup(void **state)
{
	struct fake_clock c = { 0 };
	struct firing f = { 0 };
	struct ping p = { &c, 0, 0 };
	struct loop_source src = { ping_pollfds, ping_timeout, ping_dispatch,
		                   &p };
	long long due;
	struct loop *l = loop_with_timer(&c, 60000, &f, &due, NULL);

	/* Due in 100 ms; the next ping comes 300 ms after that. */
	loop_add_source(l, &src);
	p.deadline = due + 300;
	pass_from(l, &c, due - 100, -1);
	/* One wake-up, the ping's, and the timer went with it. */
	assert_int_equal(p.dispatched, 1);
	assert_int_equal(f.n, 1);
	assert_true(f.at >= p.deadline);
	assert_true(f.at <= due + 10000);
	loop_free(l);
}

static void
loop__timers__long_timer_alone_fires_ten_seconds_late_at_most(void **state)
{
	struct fake_clock c = { 0 };
	struct firing f = { 0 };
	long long due;
	struct loop *l = loop_with_timer(&c, 60000, &f, &due, NULL);

	/* Past due, but nothing else wakes the loop: it waits out the
	 * slack (200 ms more), then runs the timer without being asked. */
	assert_true(pass_from(l, &c, due + 9800, 5000) >= 150);
	assert_int_equal(f.n, 1);
	assert_true(f.at >= due + 9950);
	assert_true(f.at <= due + 10000 + 1500);
	loop_free(l);
}

static void
loop__timers__short_timer_gets_no_slack(void **state)
{
	struct fake_clock c = { 0 };
	struct firing f = { 0 };
	long long due;
	struct loop *l = loop_with_timer(&c, 59999, &f, &due, NULL);

	/* Due in 100 ms: the loop wakes then, not at the 3 s limit. */
	assert_true(pass_from(l, &c, due - 100, 3000) < 2500);
	assert_int_equal(f.n, 1);
	assert_true(f.at >= due);
	assert_true(f.at <= due + 2000);
	loop_free(l);
}

static void
loop__timers__cancelled_long_timer_neither_fires_nor_wakes(void **state)
{
	struct fake_clock c = { 0 };
	struct firing gone = { 0 }, kept = { 0 };
	long long due;
	unsigned id;
	struct loop *l = loop_with_timer(&c, 60000, &gone, &due, &id);

	kept.clock = &c;
	loop_timer_add(l, 60000, on_fire, &kept);
	loop_timer_cancel(l, id);
	/* Past both, slack and all. */
	pass_from(l, &c, due + 10000 + 1000, 0);
	assert_int_equal(gone.n, 0);
	assert_int_equal(kept.n, 1);
	/* With only a cancelled one left, its slack ends no sleep. */
	id = loop_timer_add(l, 60000, on_fire, &gone);
	due = c.last + 60000;
	loop_timer_cancel(l, id);
	assert_true(pass_from(l, &c, due + 10000 - 50, 300) >= 250);
	assert_int_equal(gone.n, 0);
	loop_free(l);
}

/* The loop keeps its own copy: the caller's struct may go away. */
static void
loop__source__added_by_copy(void **state)
{
	struct loop *l = loop_new();
	struct ping p = { 0 }, other = { 0 };
	struct loop_source src = { ping_pollfds, zero_timeout, ping_dispatch,
		                   &p };

	loop_add_source(l, &src);
	src.ud = &other; /* what a reused stack slot would look like */
	loop_run_once(l, 0);
	assert_int_equal(p.dispatched, 1);
	assert_int_equal(other.dispatched, 0);
	loop_free(l);
}

/* ---- running until done -------------------------------------------------- */

static bool
flag_set(void *ud)
{
	return *(bool *)ud;
}

static void
set_flag(void *ud)
{
	*(bool *)ud = true;
}

static void
loop__run_until__stops_when_done(void **state)
{
	struct loop *l = loop_new();
	bool done = false;
	long long start = loop_now_ms();

	loop_timer_add(l, 20, set_flag, &done);
	assert_int_equal(loop_run_until(l, flag_set, &done, -1), 0);
	assert_true(done);
	assert_true(loop_now_ms() - start >= 20);
	/* Already done: no pass at all, even past the deadline. */
	assert_int_equal(loop_run_until(l, flag_set, &done, 0), 0);
	loop_free(l);
}

static void
loop__run_until__returns_at_the_deadline(void **state)
{
	struct loop *l = loop_new();
	bool done = false;
	long long start = loop_now_ms();
	int p[2];

	assert_int_equal(pipe(p), 0);
	loop_add_fd(l, p[0], POLLIN, on_readable, NULL); /* never ready */
	assert_int_equal(loop_run_until(l, flag_set, &done, start + 30), 1);
	assert_true(loop_now_ms() - start >= 30);
	assert_true(loop_now_ms() - start < 1000);
	close(p[0]);
	close(p[1]);
	loop_free(l);
}

/* No descriptor, no timer, no deadline: an error, not a hang. */
static void
loop__run_until__fails_when_nothing_can_wake_it(void **state)
{
	struct loop *l = loop_new();
	bool done = false;

	assert_int_equal(loop_run_once(l, -1), -1);
	assert_int_equal(loop_run_until(l, flag_set, &done, -1), -1);
	loop_free(l);
}

/* Waiting in place: the time runs out, or the descriptor is ready. */
static void
loop__wait_fd__times_out_or_reports_ready(void **state)
{
	long long start = loop_now_ms();
	int p[2];

	assert_int_equal(pipe(p), 0);
	assert_int_equal(loop_wait_fd(p[0], POLLIN, 30), 0);
	assert_true(loop_now_ms() - start >= 30);
	assert_int_equal(write(p[1], "w", 1), 1);
	start = loop_now_ms();
	assert_int_equal(loop_wait_fd(p[0], POLLIN, 5000), POLLIN);
	assert_true(loop_now_ms() - start < 1000);
	close(p[0]);
	close(p[1]);
}

static void
on_usr2(int signo)
{
	(void)signo;
}

/* A signal watched by the loop gets its old handler back at the end. */
static void
loop__signal__free_puts_back_the_old_handler(void **state)
{
	struct loop *l = loop_new();
	struct record r = { { 0 }, 0 };
	struct sigaction sa = { 0 }, now;

	sa.sa_handler = on_usr2;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGUSR2, &sa, NULL), 0);
	assert_int_equal(loop_signal(l, SIGUSR2, on_sig, &r), 0);
	loop_free(l);
	assert_int_equal(sigaction(SIGUSR2, NULL, &now), 0);
	assert_ptr_equal(now.sa_handler, on_usr2);
	signal(SIGUSR2, SIG_DFL);
}

/* Lowers the soft limit of open files to n; the old limit in *old. */
static void
limit_files(rlim_t n, struct rlimit *old)
{
	struct rlimit low;

	assert_int_equal(getrlimit(RLIMIT_NOFILE, old), 0);
	low = *old;
	low.rlim_cur = n;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
}

static void
loop__signal__refused_when_it_cannot_be_watched(void **state)
{
	struct loop *l = loop_new(), *full = loop_new();
	struct record r = { { 0 }, 0 };
	struct rlimit old;
	int rc;

	/* SIGKILL cannot be caught. */
	assert_int_equal(loop_signal(l, SIGKILL, on_sig, &r), -1);
	/* No descriptor left for the self-pipe. */
	limit_files(3, &old);
	rc = loop_signal(full, SIGUSR1, on_sig, &r);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
	assert_int_equal(rc, -1);
	loop_free(full);
	loop_free(l);
	assert_int_equal(r.n, 0);
}

static void
loop__run_once__fails_when_poll_fails(void **state)
{
	struct loop *l = loop_new();
	struct record r = { { 0 }, 0 };
	struct rlimit old;
	int p[2], rc;

	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "z", 1), 1);
	loop_add_fd(l, p[0], POLLIN, on_readable, &r);
	/* poll refuses more descriptors than the process may open. */
	limit_files(0, &old);
	rc = loop_run_once(l, 0);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
	assert_int_equal(rc, -1);
	assert_int_equal(r.n, 0); /* nothing ran */
	assert_int_equal(loop_run_once(l, 0), 1);
	assert_int_equal(r.order[0], 'z');
	close(p[0]);
	close(p[1]);
	loop_free(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(loop__timers__fire_in_due_order_not_early),
		cmocka_unit_test(loop__timers__cancelled_never_fire),
		cmocka_unit_test(
		    loop__timers__re_added_timer_waits_for_the_next_pass),
		cmocka_unit_test(loop__fd__callback_runs_when_ready),
		cmocka_unit_test(loop__signal__delivered_through_self_pipe),
		cmocka_unit_test(loop__source__timeout_wakes_and_fds_reported),
		cmocka_unit_test(loop__source__added_by_copy),
		cmocka_unit_test(loop__run_until__stops_when_done),
		cmocka_unit_test(loop__run_until__returns_at_the_deadline),
		cmocka_unit_test(
		    loop__run_until__fails_when_nothing_can_wake_it),
		cmocka_unit_test(loop__wait_fd__times_out_or_reports_ready),
		cmocka_unit_test(loop__signal__free_puts_back_the_old_handler),
		cmocka_unit_test(
		    loop__signal__refused_when_it_cannot_be_watched),
		cmocka_unit_test(loop__run_once__fails_when_poll_fails),
		cmocka_unit_test(
		    loop__timers__long_timer_never_fires_before_due),
		cmocka_unit_test(
		    loop__timers__long_timer_rides_on_a_nearby_wakeup),
		cmocka_unit_test(
		    loop__timers__long_timer_alone_fires_ten_seconds_late_at_most),
		cmocka_unit_test(loop__timers__short_timer_gets_no_slack),
		cmocka_unit_test(
		    loop__timers__cancelled_long_timer_neither_fires_nor_wakes),
	};

	return cmocka_run_group_tests_name("net/loop", tests, NULL, NULL);
}
