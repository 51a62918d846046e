/* Child processes: start, watch, reap, report; see job.h. */
#include "tui/job.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "net/base/loop.h"
#include "net/base/xmalloc.h"

/* How often a job is reaped when the kernel has no pidfd for it. */
#define JOB_REAP_MS 20
/* The longest slice job_wait waits before it looks again. */
#define JOB_WAIT_SLICE_MS 10

extern char **environ;

/* The two captured streams. */
enum { JOB_OUT, JOB_ERR, JOB_STREAMS };

struct job {
	struct loop *loop; /* NULL: the owner polls or waits */
	pid_t pid;
	bool reaped;
	int pidfd;               /* readable once the child exits; -1: none */
	unsigned reap_timer;     /* without a pidfd, on a loop */
	unsigned deadline_timer; /* on a loop */
	long long deadline;      /* loop clock; -1: none */
	int fds[JOB_STREAMS];    /* read ends, -1 once closed */
	unsigned char *bufs[JOB_STREAMS];
	size_t caps[JOB_STREAMS];
	bool own_out; /* bufs[JOB_OUT] is ours to free */
	bool kill_on_over;
	struct job_result r;
	job_done_cb done;
	void *ud;
};

void
job_status_words(char *buf, size_t size, int status)
{
	if (status >= 0 && WIFEXITED(status))
		snprintf(buf, size, "exited with status %d",
		         WEXITSTATUS(status));
	else if (status >= 0 && WIFSIGNALED(status))
		snprintf(buf, size, "was killed by signal %d",
		         WTERMSIG(status));
	else
		snprintf(buf, size, "ended (its status was lost)");
}

/* Closes fd if open and marks it closed. */
static void
job_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* A pipe whose two ends do not leak into other children; 0 or errno. */
static int
job_pipe(int fds[2])
{
	if (pipe(fds) != 0)
		return errno;
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	return 0;
}

/* The length of an environment entry's name ("A=b" and "A" give 1). */
static size_t
job_env_name_len(const char *e)
{
	return strcspn(e, "=");
}

/* True when entry e is named in the changes. */
static bool
job_env_changed(const char *const *changes, const char *e)
{
	size_t n = job_env_name_len(e), i;

	for (i = 0; changes[i] != NULL; i++)
		if (job_env_name_len(changes[i]) == n &&
		    strncmp(changes[i], e, n) == 0)
			return true;
	return false;
}

/* Our environment with the changes made; the array is malloc'd, its
 * strings are borrowed. environ itself when there are none. */
static char **
job_env_new(const char *const *changes)
{
	size_t n = 0, i, k = 0;
	char **env;

	if (changes == NULL)
		return environ;
	while (environ[n] != NULL)
		n++;
	for (i = 0; changes[i] != NULL; i++)
		n++;
	env = xcalloc(n + 1, sizeof *env);
	for (i = 0; environ[i] != NULL; i++)
		if (!job_env_changed(changes, environ[i]))
			env[k++] = environ[i];
	for (i = 0; changes[i] != NULL; i++)
		if (strchr(changes[i], '=') != NULL)
			env[k++] = (char *)changes[i];
	return env;
}

/* The spawn attributes: every signal at its default and unblocked (the
 * client ignores SIGPIPE); in the background, a process group of its own
 * (so a suspended client does not stop a clipboard owner). */
static void
job_spawn_attr(posix_spawnattr_t *attr, enum job_mode mode)
{
	short flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK;
	sigset_t all, none;

	sigfillset(&all);
	sigdelset(&all, SIGKILL);
	sigdelset(&all, SIGSTOP);
	sigemptyset(&none);
	posix_spawnattr_init(attr);
	posix_spawnattr_setsigdefault(attr, &all);
	posix_spawnattr_setsigmask(attr, &none);
	if (mode == JOB_BACKGROUND) {
		posix_spawnattr_setpgroup(attr, 0);
		flags |= POSIX_SPAWN_SETPGROUP;
	}
	posix_spawnattr_setflags(attr, flags);
}

/* Child fd target: the pipe end, or /dev/null opened with flags. */
static void
job_spawn_fd(posix_spawn_file_actions_t *fa, int pipe_end, int target,
             int flags)
{
	if (pipe_end >= 0)
		posix_spawn_file_actions_adddup2(fa, pipe_end, target);
	else
		posix_spawn_file_actions_addopen(fa, target, "/dev/null", flags,
		                                 0);
}

/* Starts argv with child ends ends[0..2] (-1: /dev/null); 0 or errno. */
static int
job_spawn_argv(struct job *j, const struct job_spec *s, const int ends[3])
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	char **env = job_env_new(s->env);
	int rc;

	posix_spawn_file_actions_init(&fa);
	if (s->mode == JOB_BACKGROUND) {
		job_spawn_fd(&fa, ends[0], STDIN_FILENO, O_RDONLY);
		job_spawn_fd(&fa, ends[1], STDOUT_FILENO, O_WRONLY);
		job_spawn_fd(&fa, ends[2], STDERR_FILENO, O_WRONLY);
	}
	job_spawn_attr(&attr, s->mode);
	rc = posix_spawnp(&j->pid, s->argv[0], &fa, &attr,
	                  (char *const *)s->argv, env);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	if (env != environ)
		free(env);
	return rc;
}

/* In the child of job_spawn_fn: puts end (or /dev/null) on target. */
static void
job_child_fd(int end, int target)
{
	int fd = end >= 0 ? end : open("/dev/null", O_RDWR);

	if (fd >= 0 && fd != target)
		dup2(fd, target);
}

/* Forks a child that runs s->fn and exits; 0 or errno. */
static int
job_spawn_fn(struct job *j, const struct job_spec *s, const int ends[3])
{
	int i;

	j->pid = fork();
	if (j->pid < 0)
		return errno;
	if (j->pid > 0)
		return 0;
	if (s->mode == JOB_BACKGROUND)
		for (i = 0; i < 3; i++)
			job_child_fd(ends[i], i);
	s->fn(s->fn_ud);
	_exit(0); /* no atexit handlers, no stdio flush */
}

/*
 * Writes bytes into the child's stdin in one non-blocking write (at most
 * PIPE_BUF, so all or nothing). A child that has gone gives EPIPE:
 * SIGPIPE is blocked meanwhile and, if it came, taken back. 0 or errno.
 */
static int
job_feed(int fd, const unsigned char *bytes, size_t n)
{
	struct timespec zero = { 0, 0 };
	sigset_t pipe_set, old, pending;
	bool was_pending;
	ssize_t r;
	int e = 0;

	fcntl(fd, F_SETFL, O_NONBLOCK);
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
	sigpending(&pending);
	was_pending = sigismember(&pending, SIGPIPE) == 1;
	do
		r = write(fd, bytes, n);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		e = errno;
	else if ((size_t)r < n)
		e = EAGAIN;
	if (e == EPIPE && !was_pending)
		sigtimedwait(&pipe_set, NULL, &zero);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return e;
}

/* Stops reading stream i. */
static void
job_stream_close(struct job *j, int i)
{
	if (j->fds[i] < 0)
		return;
	if (j->loop != NULL)
		loop_remove_fd(j->loop, j->fds[i]);
	job_close(&j->fds[i]);
}

/* Takes bytes that do not fit: they only say there were more. */
static void
job_overflow(struct job *j, int i, ssize_t r)
{
	if (r <= 0)
		return;
	if (i == JOB_OUT) {
		j->r.out_over = true;
		if (j->kill_on_over)
			job_signal(j, SIGKILL);
	} else {
		j->r.err_over = true;
	}
}

/* Reads what stream i has now; at its end (or an error) closes it. */
static void
job_stream_read(struct job *j, int i)
{
	size_t *len = i == JOB_OUT ? &j->r.out_len : &j->r.err_len;
	unsigned char scratch[512];
	ssize_t r;

	while (j->fds[i] >= 0) {
		if (*len < j->caps[i])
			r = read(j->fds[i], j->bufs[i] + *len,
			         j->caps[i] - *len);
		else
			r = read(j->fds[i], scratch, sizeof scratch);
		if (r > 0 && *len < j->caps[i])
			*len += (size_t)r;
		else
			job_overflow(j, i, r);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EAGAIN)
			break;
		if (r <= 0)
			job_stream_close(j, i);
	}
	explicit_bzero(scratch, sizeof scratch);
}

/* Stops every watch the loop has for the job. */
static void
job_unwatch(struct job *j)
{
	if (j->loop != NULL && j->pidfd >= 0)
		loop_remove_fd(j->loop, j->pidfd);
	job_close(&j->pidfd);
	if (j->loop != NULL && j->reap_timer != 0)
		loop_timer_cancel(j->loop, j->reap_timer);
	if (j->loop != NULL && j->deadline_timer != 0)
		loop_timer_cancel(j->loop, j->deadline_timer);
	j->reap_timer = j->deadline_timer = 0;
}

/* The child is reaped: the rest of its output, then done(). */
static void
job_finish(struct job *j, int status)
{
	int i;

	j->reaped = true;
	j->r.status = status;
	for (i = 0; i < JOB_STREAMS; i++) {
		job_stream_read(j, i);
		job_stream_close(j, i);
	}
	job_unwatch(j);
	if (j->done != NULL)
		j->done(&j->r, j->ud); /* may free j */
}

/* Reaps the child if it has exited (flags: 0 to wait for it); true when
 * it is reaped, with the job finished. */
static bool
job_reap(struct job *j, int flags)
{
	int status = 0;
	pid_t r;

	if (j->reaped)
		return true;
	do
		r = waitpid(j->pid, &status, flags);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		return false;
	job_finish(j, r == j->pid ? status : -1);
	return true;
}

/* Kills the child once its deadline has passed. */
static void
job_check_deadline(struct job *j)
{
	if (j->reaped || j->deadline < 0 || j->r.timed_out ||
	    loop_now_ms() < j->deadline)
		return;
	j->r.timed_out = true;
	job_signal(j, SIGKILL);
}

/* ---- on the loop ----------------------------------------------------- */

/* An output pipe is readable. */
static void
job_on_stream(int fd, short revents, void *ud)
{
	struct job *j = ud;

	(void)revents;
	job_stream_read(j, fd == j->fds[JOB_OUT] ? JOB_OUT : JOB_ERR);
}

/* The pidfd is readable: the child has exited. */
static void
job_on_exit(int fd, short revents, void *ud)
{
	(void)fd;
	(void)revents;
	job_reap(ud, WNOHANG);
}

/* Without a pidfd: looks for the child's exit every JOB_REAP_MS. */
static void
job_on_reap_timer(void *ud)
{
	struct job *j = ud;

	j->reap_timer = 0;
	if (!job_reap(j, WNOHANG))
		j->reap_timer =
		    loop_timer_add(j->loop, JOB_REAP_MS, job_on_reap_timer, j);
}

/* The deadline: SIGKILL; the exit is reaped as any other. */
static void
job_on_deadline(void *ud)
{
	struct job *j = ud;

	j->deadline_timer = 0;
	j->r.timed_out = true;
	job_signal(j, SIGKILL);
}

/* Puts the job's pipes, exit and deadline on its loop. */
static void
job_watch(struct job *j, int timeout_ms)
{
	int i;

	j->pidfd = (int)syscall(SYS_pidfd_open, j->pid, 0);
	if (j->loop == NULL)
		return;
	for (i = 0; i < JOB_STREAMS; i++)
		if (j->fds[i] >= 0)
			loop_add_fd(j->loop, j->fds[i], POLLIN, job_on_stream,
			            j);
	if (j->pidfd >= 0)
		loop_add_fd(j->loop, j->pidfd, POLLIN, job_on_exit, j);
	else
		j->reap_timer =
		    loop_timer_add(j->loop, JOB_REAP_MS, job_on_reap_timer, j);
	if (timeout_ms > 0)
		j->deadline_timer =
		    loop_timer_add(j->loop, timeout_ms, job_on_deadline, j);
}

/* ---- starting -------------------------------------------------------- */

/* The capture buffers, as the spec asks. */
static void
job_buffers(struct job *j, const struct job_spec *s)
{
	j->caps[JOB_OUT] = s->out_max;
	j->caps[JOB_ERR] = s->err_max;
	j->own_out = s->out_buf == NULL && s->out_max > 0;
	j->bufs[JOB_OUT] = j->own_out ? xmalloc(s->out_max) : s->out_buf;
	j->bufs[JOB_ERR] = s->err_max > 0 ? xmalloc(s->err_max) : NULL;
	j->r.out = j->bufs[JOB_OUT];
	j->r.err = j->bufs[JOB_ERR];
}

/* The pipes the spec needs: pipes[k] for stdin, stdout, stderr, or
 * {-1, -1} where it is /dev/null; 0 or errno. */
static int
job_pipes(const struct job_spec *s, int pipes[3][2])
{
	bool want[3] = { s->in != NULL, s->out_max > 0, s->err_max > 0 };
	int i, rc;

	for (i = 0; i < 3; i++) {
		pipes[i][0] = pipes[i][1] = -1;
		if (s->mode == JOB_BACKGROUND && want[i] &&
		    (rc = job_pipe(pipes[i])) != 0)
			return rc;
	}
	return 0;
}

/* Closes the pipe ends left over. */
static void
job_pipes_close(int pipes[3][2])
{
	int i;

	for (i = 0; i < 3; i++) {
		job_close(&pipes[i][0]);
		job_close(&pipes[i][1]);
	}
}

/* Spawns the child and keeps the parent's ends; 0 or errno. */
static int
job_spawn(struct job *j, const struct job_spec *s, int pipes[3][2])
{
	int ends[3] = { pipes[0][0], pipes[1][1], pipes[2][1] };
	int rc, i;

	rc = s->argv != NULL ? job_spawn_argv(j, s, ends)
	                     : job_spawn_fn(j, s, ends);
	job_close(&pipes[0][0]);
	job_close(&pipes[1][1]);
	job_close(&pipes[2][1]);
	if (rc != 0)
		return rc;
	for (i = 0; i < JOB_STREAMS; i++) {
		j->fds[i] = pipes[i + 1][0];
		pipes[i + 1][0] = -1;
		if (j->fds[i] >= 0)
			fcntl(j->fds[i], F_SETFL, O_NONBLOCK);
	}
	return 0;
}

/* The name a message gives the child. */
static const char *
job_name(const struct job_spec *s)
{
	return s->argv != NULL ? s->argv[0] : "a child process";
}

struct job *
job_start(struct loop *loop, const struct job_spec *s, struct sc_error *err)
{
	struct job *j = xcalloc(1, sizeof *j);
	int pipes[3][2] = { { -1, -1 }, { -1, -1 }, { -1, -1 } }, rc;

	j->loop = loop;
	j->pid = -1;
	j->pidfd = j->fds[JOB_OUT] = j->fds[JOB_ERR] = -1;
	j->deadline = s->timeout_ms > 0 ? loop_now_ms() + s->timeout_ms : -1;
	j->kill_on_over = s->kill_on_over;
	j->done = s->done;
	j->ud = s->ud;
	j->reaped = true; /* until there is a child */
	rc = s->in_len > JOB_STDIN_MAX ? E2BIG : job_pipes(s, pipes);
	if (rc == 0)
		rc = job_spawn(j, s, pipes);
	if (rc != 0) {
		job_pipes_close(pipes);
		sc_error_set(err, SC_ERR_LOCAL, "cannot run %s: %s",
		             job_name(s), strerror(rc));
		job_free(j);
		return NULL;
	}
	j->reaped = false;
	job_buffers(j, s);
	if (pipes[0][1] >= 0) {
		rc = job_feed(pipes[0][1], s->in, s->in_len);
		job_close(&pipes[0][1]);
	}
	if (rc != 0) {
		sc_error_set(err, SC_ERR_LOCAL, "%s did not take its input: %s",
		             job_name(s), strerror(rc));
		job_free(j);
		return NULL;
	}
	job_watch(j, s->timeout_ms);
	return j;
}

/* ---- the owner's calls ----------------------------------------------- */

bool
job_poll(struct job *j)
{
	int i;

	if (j->reaped)
		return true;
	for (i = 0; i < JOB_STREAMS; i++)
		job_stream_read(j, i);
	job_check_deadline(j);
	return job_reap(j, WNOHANG);
}

/* The descriptor job_wait waits on: an open pipe, else the pidfd. */
static int
job_wait_fd(const struct job *j)
{
	int i;

	for (i = 0; i < JOB_STREAMS; i++)
		if (j->fds[i] >= 0)
			return j->fds[i];
	return j->pidfd;
}

/* Sleeps ms milliseconds (job_wait without a descriptor to wait on). */
static void
job_nap(int ms)
{
	struct timespec ts = { 0, ms * 1000L * 1000L };

	nanosleep(&ts, NULL);
}

bool
job_wait(struct job *j, long long deadline_ms)
{
	long long left;
	int slice, fd;

	while (!job_poll(j)) {
		left = deadline_ms < 0 ? JOB_WAIT_SLICE_MS
		                       : deadline_ms - loop_now_ms();
		if (left <= 0)
			return false;
		slice =
		    left < JOB_WAIT_SLICE_MS ? (int)left : JOB_WAIT_SLICE_MS;
		fd = job_wait_fd(j);
		if (fd >= 0)
			loop_wait_fd(fd, POLLIN, slice);
		else
			job_nap(slice);
	}
	return true;
}

void
job_signal(struct job *j, int sig)
{
	if (!j->reaped && j->pid > 0)
		kill(j->pid, sig);
}

pid_t
job_pid(const struct job *j)
{
	return j->pid;
}

const struct job_result *
job_result(const struct job *j)
{
	return &j->r;
}

void
job_free(struct job *j)
{
	int i;

	if (j == NULL)
		return;
	j->done = NULL;
	if (!j->reaped) {
		job_signal(j, SIGKILL);
		job_reap(j, 0);
	}
	job_unwatch(j);
	for (i = 0; i < JOB_STREAMS; i++)
		job_stream_close(j, i);
	if (j->bufs[JOB_OUT] != NULL && j->own_out)
		explicit_bzero(j->bufs[JOB_OUT], j->caps[JOB_OUT]);
	if (j->own_out)
		free(j->bufs[JOB_OUT]);
	free(j->bufs[JOB_ERR]);
	free(j);
}
