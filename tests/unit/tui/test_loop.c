/* Unit tests for tui/loop.c: timers, descriptors, sources, signals. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include "tui/loop.h"

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

static void
loop__timers__fire_in_due_order_not_early(void **state)
{
	struct loop *l = loop_new();
	struct record r = { { 0 }, 0 };
	long long start = loop_now_ms();

	loop_timer_add(l, 60, timer_b, &r);
	loop_timer_add(l, 20, timer_a, &r);
	while (r.n < 2 && loop_now_ms() - start < 2000)
		loop_run_once(l, -1);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.order[0], 1);
	assert_int_equal(r.order[1], 2);
	assert_true(loop_now_ms() - start >= 60);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(loop__timers__fire_in_due_order_not_early),
		cmocka_unit_test(loop__timers__cancelled_never_fire),
		cmocka_unit_test(loop__fd__callback_runs_when_ready),
		cmocka_unit_test(loop__signal__delivered_through_self_pipe),
		cmocka_unit_test(loop__source__timeout_wakes_and_fds_reported),
	};

	return cmocka_run_group_tests_name("tui/loop", tests, NULL, NULL);
}
