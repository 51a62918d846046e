/* One job off the loop thread: see worker.h. */
#include "tui/worker.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "net/base/xmalloc.h"
#include "net/base/loop.h"

/*
 * The thread says "finished" by writing one byte to pipe[1]; the loop
 * watches pipe[0]. joined is set once pthread_join has run, so freeing
 * never joins twice. threaded is false when the work ran inline. mu
 * guards returned and let_go: once let go (worker_let_go), the thread
 * owns w and frees it when the work returns.
 */
struct worker {
	struct loop *loop;
	worker_fn work, done;
	void *ud;
	pthread_t thread;
	pthread_mutex_t mu;
	int pipe[2];
	bool threaded, joined, running;
	bool returned, let_go;
	unsigned inline_timer;
};

/* The thread: the work, then "finished" to the loop, or, when the loop
 * has let go of w, w freed here. */
static void *
run(void *arg)
{
	struct worker *w = arg;
	ssize_t n;

	w->work(w->ud);
	pthread_mutex_lock(&w->mu);
	w->returned = true;
	if (w->let_go) {
		pthread_mutex_unlock(&w->mu);
		close(w->pipe[1]);
		pthread_mutex_destroy(&w->mu);
		free(w);
		return NULL;
	}
	do
		n = write(w->pipe[1], "", 1);
	while (n < 0 && errno == EINTR);
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/* Stops watching and closes the pipe. */
static void
close_pipe(struct worker *w)
{
	if (w->pipe[0] >= 0) {
		loop_remove_fd(w->loop, w->pipe[0]);
		close(w->pipe[0]);
	}
	if (w->pipe[1] >= 0)
		close(w->pipe[1]);
	w->pipe[0] = w->pipe[1] = -1;
}

/* Marks w finished, then calls done last: it may free w. */
static void
finish(struct worker *w)
{
	w->running = false;
	w->done(w->ud);
}

/* The byte arrived: the thread has returned. */
static void
on_pipe(int fd, short revents, void *ud)
{
	struct worker *w = ud;

	(void)fd;
	(void)revents;
	pthread_join(w->thread, NULL);
	w->joined = true;
	close_pipe(w);
	finish(w);
}

/* No thread could be made: the work ran inline; done comes from here. */
static void
on_inline(void *ud)
{
	struct worker *w = ud;

	w->inline_timer = 0;
	finish(w);
}

/* A non-blocking, close-on-exec pipe; -1 (none left open) on failure. */
static int
open_pipe(struct worker *w)
{
	int i;

	if (pipe(w->pipe) != 0) {
		w->pipe[0] = w->pipe[1] = -1;
		return -1;
	}
	for (i = 0; i < 2; i++)
		if (fcntl(w->pipe[i], F_SETFL, O_NONBLOCK) != 0 ||
		    fcntl(w->pipe[i], F_SETFD, FD_CLOEXEC) != 0) {
			close_pipe(w);
			return -1;
		}
	return 0;
}

/*
 * The pipe and the thread; -1 (nothing left open) when either fails. The
 * thread starts with every signal blocked, so SIGWINCH, SIGTSTP and the
 * rest keep reaching the loop's thread and its self-pipe.
 */
static int
start_thread(struct worker *w)
{
	sigset_t all, old;
	int rc;

	if (open_pipe(w) != 0)
		return -1;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&w->thread, NULL, run, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		close_pipe(w);
		return -1;
	}
	loop_add_fd(w->loop, w->pipe[0], POLLIN, on_pipe, w);
	return 0;
}

struct worker *
worker_start(struct loop *l, worker_fn work, worker_fn done, void *ud)
{
	struct worker *w = xcalloc(1, sizeof *w);

	w->loop = l;
	w->work = work;
	w->done = done;
	w->ud = ud;
	w->running = true;
	pthread_mutex_init(&w->mu, NULL);
	w->threaded = start_thread(w) == 0;
	if (!w->threaded) {
		work(ud);
		w->inline_timer = loop_timer_add(l, 0, on_inline, w);
	}
	return w;
}

bool
worker_running(const struct worker *w)
{
	return w != NULL && w->running;
}

void
worker_free(struct worker *w)
{
	if (w == NULL)
		return;
	if (w->threaded && !w->joined)
		pthread_join(w->thread, NULL);
	close_pipe(w);
	if (w->inline_timer != 0)
		loop_timer_cancel(w->loop, w->inline_timer);
	pthread_mutex_destroy(&w->mu);
	free(w);
}

/* Waits at most ms for the thread's "finished" byte; true when it came. */
static bool
wait_finished(struct worker *w, int ms)
{
	return loop_wait_fd(w->pipe[0], POLLIN, ms) > 0;
}

bool
worker_let_go(struct worker *w, int wait_ms)
{
	if (w == NULL || !w->threaded || w->joined ||
	    wait_finished(w, wait_ms)) {
		worker_free(w);
		return true;
	}
	pthread_mutex_lock(&w->mu);
	if (w->returned) {
		pthread_mutex_unlock(&w->mu);
		worker_free(w);
		return true;
	}
	w->let_go = true;
	loop_remove_fd(w->loop, w->pipe[0]);
	close(w->pipe[0]);
	pthread_detach(w->thread);
	pthread_mutex_unlock(&w->mu);
	return false;
}
