/* Unit tests for tui/job.c: exit status, output and its bound, stdin,
 * environment, timeout, a child that closes stdout early, no zombie. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "net/base/loop.h"
#include "tui/job.h"

#include "fds_full.h"

/* What done() saw. */
struct seen {
	int calls;
	int status;
	bool timed_out;
	char out[8192];
	size_t out_len;
	bool out_over;
	char err[256];
	size_t err_len;
	struct job *free_me; /* freed from inside done() */
};

static void
on_done(const struct job_result *r, void *ud)
{
	struct seen *s = ud;

	s->calls++;
	s->status = r->status;
	s->timed_out = r->timed_out;
	s->out_len = r->out_len;
	s->out_over = r->out_over;
	s->err_len = r->err_len;
	if (r->out_len > 0)
		memcpy(s->out, r->out, r->out_len);
	s->out[r->out_len] = '\0';
	if (r->err_len > 0)
		memcpy(s->err, r->err, r->err_len);
	s->err[r->err_len] = '\0';
	if (s->free_me != NULL)
		job_free(s->free_me);
}

static bool
seen_done(void *ud)
{
	return ((struct seen *)ud)->calls > 0;
}

/* Runs sh -c script on a new loop until done() or 5 s; the job is
 * freed from done() (so the callback may free it). */
static void
run_sh(const char *script, struct job_spec *spec, struct seen *s)
{
	const char *argv[] = { "sh", "-c", script, NULL };
	struct loop *l = loop_new();
	struct sc_error err = { 0 };
	struct job *j;

	spec->argv = argv;
	spec->done = on_done;
	spec->ud = s;
	j = job_start(l, spec, &err);
	assert_non_null(j);
	s->free_me = j;
	assert_int_equal(loop_run_until(l, seen_done, s, loop_now_ms() + 5000),
	                 0);
	loop_free(l);
}

/* True when pid is gone for good: not a zombie waiting to be reaped. */
static bool
reaped(pid_t pid)
{
	return waitpid(pid, NULL, WNOHANG) < 0 && errno == ECHILD &&
	       kill(pid, 0) < 0;
}

static void
job__exit_status_and_output(void **state)
{
	struct job_spec spec = { .out_max = 64, .err_max = 64 };
	struct seen s = { 0 };

	(void)state;
	run_sh("printf hello; printf oops >&2; exit 3", &spec, &s);
	assert_int_equal(s.calls, 1);
	assert_true(WIFEXITED(s.status));
	assert_int_equal(WEXITSTATUS(s.status), 3);
	assert_string_equal(s.out, "hello");
	assert_string_equal(s.err, "oops");
	assert_false(s.out_over);
	assert_false(s.timed_out);
}

static void
job__output_is_bounded(void **state)
{
	struct job_spec spec = { .out_max = 10 };
	struct seen s = { 0 };

	(void)state;
	/* 100 kB: more than a pipe holds, so the child needs us reading. */
	run_sh("head -c 100000 /dev/zero | tr '\\0' x", &spec, &s);
	assert_int_equal(s.out_len, 10);
	assert_string_equal(s.out, "xxxxxxxxxx");
	assert_true(s.out_over);
	assert_int_equal(WEXITSTATUS(s.status), 0);
}

static void
job__overflow_can_kill(void **state)
{
	struct job_spec spec = { .out_max = 4, .kill_on_over = true };
	struct seen s = { 0 };

	(void)state;
	run_sh("printf 12345; sleep 5", &spec, &s);
	assert_true(s.out_over);
	assert_true(WIFSIGNALED(s.status));
	assert_int_equal(WTERMSIG(s.status), SIGKILL);
}

static void
job__stdin_is_fed(void **state)
{
	static const unsigned char in[] = "fed through stdin";
	struct job_spec spec = { .in = in,
		                 .in_len = sizeof in - 1,
		                 .out_max = 64 };
	struct seen s = { 0 };

	(void)state;
	run_sh("cat; echo .", &spec, &s);
	assert_string_equal(s.out, "fed through stdin.\n");
}

static void
job__stdin_too_long_is_refused(void **state)
{
	static unsigned char in[JOB_STDIN_MAX + 1];
	const char *argv[] = { "cat", NULL };
	struct job_spec spec = { .argv = argv, .in = in, .in_len = sizeof in };
	struct sc_error err = { 0 };

	(void)state;
	assert_null(job_start(NULL, &spec, &err));
	assert_non_null(strstr(err.message, "cannot run cat"));
	sc_error_clear(&err);
}

static void
job__environment_changes(void **state)
{
	const char *env[] = { "JOB_SET=yes", "JOB_GONE", NULL };
	struct job_spec spec = { .env = env, .out_max = 64 };
	struct seen s = { 0 };

	(void)state;
	setenv("JOB_GONE", "still here", 1);
	run_sh("printf '%s/%s' \"$JOB_SET\" \"${JOB_GONE-unset}\"", &spec, &s);
	unsetenv("JOB_GONE");
	assert_string_equal(s.out, "yes/unset");
}

static void
job__timeout_kills(void **state)
{
	struct job_spec spec = { .timeout_ms = 200, .out_max = 16 };
	struct seen s = { 0 };
	long long t0 = loop_now_ms();

	(void)state;
	run_sh("printf started; exec sleep 30", &spec, &s);
	assert_true(s.timed_out);
	assert_true(WIFSIGNALED(s.status));
	assert_string_equal(s.out, "started");
	assert_true(loop_now_ms() - t0 < 3000);
}

static void
job__stdout_closed_early(void **state)
{
	struct job_spec spec = { .out_max = 16 };
	struct seen s = { 0 };

	(void)state;
	/* Output ends long before the exit: done() waits for the exit. */
	run_sh("printf early; exec >&-; sleep 0.3; exit 7", &spec, &s);
	assert_string_equal(s.out, "early");
	assert_int_equal(WEXITSTATUS(s.status), 7);
}

static void
job__cannot_run(void **state)
{
	const char *argv[] = { "/nonexistent/sitecare-no-such-tool", NULL };
	struct job_spec spec = { .argv = argv };
	struct sc_error err = { 0 };

	(void)state;
	assert_null(job_start(NULL, &spec, &err));
	assert_non_null(strstr(err.message, "cannot run"));
	sc_error_clear(&err);
}

static void
job__free_kills_and_reaps(void **state)
{
	const char *argv[] = { "sleep", "30", NULL };
	struct job_spec spec = { .argv = argv };
	struct loop *l = loop_new();
	struct sc_error err = { 0 };
	struct job *j = job_start(l, &spec, &err);
	pid_t pid;

	(void)state;
	assert_non_null(j);
	pid = job_pid(j);
	assert_true(pid > 0);
	assert_int_equal(kill(pid, 0), 0);
	job_free(j);
	assert_true(reaped(pid));
	loop_free(l);
}

static void
job__reaped_after_done(void **state)
{
	const char *argv[] = { "true", NULL };
	struct job_spec spec = { .argv = argv };
	struct sc_error err = { 0 };
	struct job *j = job_start(NULL, &spec, &err);
	pid_t pid;

	(void)state;
	assert_non_null(j);
	pid = job_pid(j);
	assert_true(job_wait(j, loop_now_ms() + 5000));
	assert_true(reaped(pid)); /* before job_free: no zombie meanwhile */
	assert_int_equal(job_result(j)->status, 0);
	job_free(j);
}

static void
job__wait_gives_up_at_deadline(void **state)
{
	const char *argv[] = { "sleep", "30", NULL };
	struct job_spec spec = { .argv = argv };
	struct sc_error err = { 0 };
	struct job *j = job_start(NULL, &spec, &err);
	pid_t pid = job_pid(j);

	(void)state;
	assert_false(job_wait(j, loop_now_ms() + 50));
	assert_false(job_poll(j));
	job_free(j);
	assert_true(reaped(pid));
}

/* A function child: prints its argument. */
static void
say(void *ud)
{
	(void)!write(STDOUT_FILENO, ud, strlen(ud));
}

static void
job__function_child(void **state)
{
	struct job_spec spec = { .fn = say,
		                 .fn_ud = "from the fork",
		                 .out_max = 64 };
	struct sc_error err = { 0 };
	struct job *j = job_start(NULL, &spec, &err);
	const struct job_result *r;

	(void)state;
	assert_non_null(j);
	assert_true(job_wait(j, -1));
	r = job_result(j);
	assert_int_equal(r->out_len, strlen("from the fork"));
	assert_memory_equal(r->out, "from the fork", r->out_len);
	assert_int_equal(r->status, 0);
	job_free(j);
}

static void
job__status_words(void **state)
{
	char buf[64];

	(void)state;
	job_status_words(buf, sizeof buf, 3 << 8);
	assert_string_equal(buf, "exited with status 3");
	job_status_words(buf, sizeof buf, SIGKILL);
	assert_string_equal(buf, "was killed by signal 9");
	job_status_words(buf, sizeof buf, -1);
	assert_string_equal(buf, "ended (its status was lost)");
}

/* A function child that outlives a few reaping rounds, then exits 7. */
static void
nap_then_7(void *ud)
{
	(void)ud;
	usleep(100 * 1000);
	_exit(7);
}

/* A function child that would run for 10 s. */
static void
nap_long(void *ud)
{
	(void)ud;
	sleep(10);
	_exit(0);
}

/* The job of spec started while no descriptor is free: no pipe and no
 * pidfd can be made (the child has no /dev/null either). */
static struct job *
start_without_fds(struct loop *l, struct job_spec *spec)
{
	struct sc_error err = { 0 };
	struct fds_full f;
	struct job *j;

	fds_fill(&f);
	j = job_start(l, spec, &err);
	fds_unfill(&f);
	assert_non_null(j);
	return j;
}

/* With no pidfd, the loop looks for the child's exit on a timer, again
 * until it has exited: done() comes once, with its status. */
static void
job__no_pidfd_reaped_on_a_timer(void **state)
{
	struct job_spec spec = { .fn = nap_then_7 };
	struct seen s = { 0 };
	struct loop *l = loop_new();
	struct job *j;
	pid_t pid;

	(void)state;
	spec.done = on_done;
	spec.ud = &s;
	j = start_without_fds(l, &spec);
	pid = job_pid(j);
	assert_int_equal(loop_run_until(l, seen_done, &s, loop_now_ms() + 5000),
	                 0);
	assert_int_equal(s.calls, 1);
	assert_true(WIFEXITED(s.status));
	assert_int_equal(WEXITSTATUS(s.status), 7);
	assert_true(reaped(pid));
	job_free(j);
	loop_free(l);
}

/* Without a loop and with nothing to poll on, job_wait naps between
 * looks and still sees the exit. */
static void
job__wait_without_descriptors_naps(void **state)
{
	struct job_spec spec = { .fn = nap_then_7 };
	struct job *j;

	(void)state;
	j = start_without_fds(NULL, &spec);
	assert_true(job_wait(j, loop_now_ms() + 5000));
	assert_int_equal(WEXITSTATUS(job_result(j)->status), 7);
	job_free(j);
}

/* Without a loop, the deadline is kept by job_poll: the child is killed
 * and the result says it timed out. */
static void
job__deadline_without_a_loop(void **state)
{
	struct job_spec spec = { .fn = nap_long, .timeout_ms = 50 };
	struct sc_error err = { 0 };
	struct job *j = job_start(NULL, &spec, &err);
	long long t0 = loop_now_ms();

	(void)state;
	assert_non_null(j);
	assert_true(job_wait(j, t0 + 5000));
	assert_true(loop_now_ms() - t0 < 5000);
	assert_true(job_result(j)->timed_out);
	assert_true(WIFSIGNALED(job_result(j)->status));
	assert_int_equal(WTERMSIG(job_result(j)->status), SIGKILL);
	job_free(j);
}

/* stderr is bounded as stdout is, and says it overflowed. */
static void
job__stderr_is_bounded(void **state)
{
	const char *argv[] = { "sh", "-c", "printf abcdef >&2", NULL };
	struct job_spec spec = { .argv = argv, .err_max = 3 };
	struct sc_error err = { 0 };
	struct job *j = job_start(NULL, &spec, &err);
	const struct job_result *r;

	(void)state;
	assert_non_null(j);
	assert_true(job_wait(j, loop_now_ms() + 5000));
	r = job_result(j);
	assert_int_equal(r->err_len, 3);
	assert_memory_equal(r->err, "abc", 3);
	assert_true(r->err_over);
	assert_false(r->out_over);
	assert_int_equal(WEXITSTATUS(r->status), 0);
	job_free(j);
}

/* No descriptor for the pipe: the job does not start, and says why. */
static void
job__no_pipe_is_an_error(void **state)
{
	const char *argv[] = { "true", NULL };
	struct job_spec spec = { .argv = argv, .out_max = 8 };
	struct sc_error err = { 0 };
	struct fds_full f;
	struct job *j;

	(void)state;
	fds_fill(&f);
	j = job_start(NULL, &spec, &err);
	fds_unfill(&f);
	assert_null(j);
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	assert_string_equal(err.message,
	                    "cannot run true: Too many open files");
	sc_error_clear(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(job__exit_status_and_output),
		cmocka_unit_test(job__output_is_bounded),
		cmocka_unit_test(job__overflow_can_kill),
		cmocka_unit_test(job__stdin_is_fed),
		cmocka_unit_test(job__stdin_too_long_is_refused),
		cmocka_unit_test(job__environment_changes),
		cmocka_unit_test(job__timeout_kills),
		cmocka_unit_test(job__stdout_closed_early),
		cmocka_unit_test(job__cannot_run),
		cmocka_unit_test(job__free_kills_and_reaps),
		cmocka_unit_test(job__reaped_after_done),
		cmocka_unit_test(job__wait_gives_up_at_deadline),
		cmocka_unit_test(job__function_child),
		cmocka_unit_test(job__status_words),
		cmocka_unit_test(job__no_pidfd_reaped_on_a_timer),
		cmocka_unit_test(job__wait_without_descriptors_naps),
		cmocka_unit_test(job__deadline_without_a_loop),
		cmocka_unit_test(job__stderr_is_bounded),
		cmocka_unit_test(job__no_pipe_is_an_error),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
