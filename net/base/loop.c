/* The event loop; see loop.h for how it works. */
#include "net/base/loop.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "net/base/xmalloc.h"

#define LOOP_MAX_FDS     256
#define LOOP_MAX_SOURCES 16
/* Timers of a minute or more (the panes' clocks) may run up to this much
 * late, so that they share a wake-up with the event stream's pings
 * instead of waking an idle process of their own. */
#define LOOP_SLACK_FROM_MS 60000
#define LOOP_SLACK_MS      10000

struct watch {
	int fd;
	short events;
	loop_fd_cb cb;
	void *ud;
};

struct timer {
	unsigned id;
	long long due;
	long long late; /* due, plus the slack of a long timer */
	loop_timer_cb cb;
	void *ud;
};

struct sigwatch {
	int signo;
	loop_signal_cb cb;
	void *ud;
	struct sigaction old; /* put back by loop_free */
};

struct loop {
	struct watch *watches;
	size_t nwatches;
	struct loop_source *sources;
	size_t nsources;
	struct timer *timers;
	size_t ntimers;
	unsigned next_timer_id;
	struct sigwatch *sigs;
	size_t nsigs;
	int sigpipe[2];
	long long (*now_ms)(void *ud); /* NULL: loop_now_ms */
	void *clock_ud;
};

/* The write end of the signal pipe: the one global a handler may touch. */
static volatile sig_atomic_t signal_fd = -1;

long long
loop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
loop_set_clock(struct loop *l, long long (*now_ms)(void *ud), void *ud)
{
	l->now_ms = now_ms;
	l->clock_ud = ud;
}

/* The time by l's clock. */
static long long
loop_clock(const struct loop *l)
{
	return l->now_ms != NULL ? l->now_ms(l->clock_ud) : loop_now_ms();
}

struct loop *
loop_new(void)
{
	struct loop *l = xcalloc(1, sizeof *l);

	l->sigpipe[0] = l->sigpipe[1] = -1;
	l->next_timer_id = 1;
	return l;
}

void
loop_free(struct loop *l)
{
	size_t i;

	if (l == NULL)
		return;
	/* Newest first, so a signal watched twice ends as it began. */
	for (i = l->nsigs; i-- > 0;)
		sigaction(l->sigs[i].signo, &l->sigs[i].old, NULL);
	if (l->sigpipe[0] >= 0) {
		signal_fd = -1;
		close(l->sigpipe[0]);
		close(l->sigpipe[1]);
	}
	free(l->watches);
	free(l->sources);
	free(l->timers);
	free(l->sigs);
	free(l);
}

void
loop_add_fd(struct loop *l, int fd, short events, loop_fd_cb cb, void *ud)
{
	size_t i;

	for (i = 0; i < l->nwatches; i++)
		if (l->watches[i].fd == fd)
			break;
	if (i == l->nwatches)
		l->watches = xreallocarray(l->watches, ++l->nwatches,
		                           sizeof *l->watches);
	l->watches[i] = (struct watch){ fd, events, cb, ud };
}

void
loop_remove_fd(struct loop *l, int fd)
{
	size_t i;

	for (i = 0; i < l->nwatches; i++) {
		if (l->watches[i].fd == fd) {
			l->watches[i] = l->watches[--l->nwatches];
			return;
		}
	}
}

int
loop_no_fds(void *ud, struct pollfd *fds, int max)
{
	return 0;
}

void
loop_add_source(struct loop *l, const struct loop_source *src)
{
	if (l->nsources == LOOP_MAX_SOURCES)
		abort(); /* a programming error: there are only a few */
	l->sources =
	    xreallocarray(l->sources, l->nsources + 1, sizeof *l->sources);
	l->sources[l->nsources++] = *src;
}

unsigned
loop_timer_add(struct loop *l, int ms, loop_timer_cb cb, void *ud)
{
	long long due = loop_clock(l) + ms;
	int slack = ms >= LOOP_SLACK_FROM_MS ? LOOP_SLACK_MS : 0;

	l->timers = xreallocarray(l->timers, l->ntimers + 1, sizeof *l->timers);
	l->timers[l->ntimers] =
	    (struct timer){ l->next_timer_id, due, due + slack, cb, ud };
	l->ntimers++;
	return l->next_timer_id++;
}

void
loop_timer_cancel(struct loop *l, unsigned id)
{
	size_t i;

	for (i = 0; i < l->ntimers; i++) {
		if (l->timers[i].id == id) {
			l->timers[i] = l->timers[--l->ntimers];
			return;
		}
	}
}

/* Only async-signal-safe work: one byte into the pipe. */
static void
on_signal(int signo)
{
	int saved = errno;
	unsigned char b = (unsigned char)signo;

	if (signal_fd >= 0)
		(void)!write(signal_fd, &b, 1);
	errno = saved;
}

/* Makes the self-pipe on first use, non-blocking at both ends. */
static int
ensure_sigpipe(struct loop *l)
{
	if (l->sigpipe[0] >= 0)
		return 0;
	if (pipe(l->sigpipe) != 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		fcntl(l->sigpipe[i], F_SETFL, O_NONBLOCK);
		fcntl(l->sigpipe[i], F_SETFD, FD_CLOEXEC);
	}
	signal_fd = l->sigpipe[1];
	return 0;
}

int
loop_signal(struct loop *l, int signo, loop_signal_cb cb, void *ud)
{
	struct sigaction sa;

	if (ensure_sigpipe(l) != 0)
		return -1;
	l->sigs = xreallocarray(l->sigs, l->nsigs + 1, sizeof *l->sigs);
	l->sigs[l->nsigs] =
	    (struct sigwatch){ .signo = signo, .cb = cb, .ud = ud };
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	if (sigaction(signo, &sa, &l->sigs[l->nsigs].old) != 0)
		return -1;
	l->nsigs++;
	return 0;
}

/* Milliseconds until a timer must run, or -1. A timer already due runs
 * at any earlier wake-up (run_timers). */
static int
timers_timeout(const struct loop *l, long long now)
{
	long long best = -1;
	size_t i;

	for (i = 0; i < l->ntimers; i++) {
		long long left = l->timers[i].late - now;

		if (left < 0)
			left = 0;
		if (best < 0 || left < best)
			best = left;
	}
	return best > 1 << 30 ? 1 << 30 : (int)best;
}

/* The smaller of two timeouts where -1 means "none". */
static int
min_timeout(int a, int b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

/*
 * Runs the timers that are due; one run each: a timer added by a
 * callback (a 0 ms timer re-adding itself, say) waits for the next pass,
 * so it cannot spin here until the clock ticks.
 */
static int
run_timers(struct loop *l)
{
	long long now = loop_clock(l);
	unsigned first_new = l->next_timer_id;
	int ran = 0;
	size_t i = 0;

	while (i < l->ntimers) {
		struct timer t = l->timers[i];

		if (t.due > now || t.id >= first_new) {
			i++;
			continue;
		}
		l->timers[i] = l->timers[--l->ntimers];
		t.cb(t.ud);
		ran++;
	}
	return ran;
}

/* Reads the signal bytes and calls each signal's callback. */
static int
run_signals(struct loop *l)
{
	unsigned char buf[64];
	ssize_t n;
	int ran = 0;

	while ((n = read(l->sigpipe[0], buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			for (size_t s = 0; s < l->nsigs; s++) {
				if (l->sigs[s].signo != buf[i])
					continue;
				l->sigs[s].cb(buf[i], l->sigs[s].ud);
				ran++;
			}
		}
	}
	return ran;
}

/* Fills fds: signal pipe, then watches, then each source's share. */
static int
gather(struct loop *l, struct pollfd *fds, int *src_start, int *src_n,
       int *timeout)
{
	int n = 0;
	size_t i;

	if (l->sigpipe[0] >= 0)
		fds[n++] = (struct pollfd){ l->sigpipe[0], POLLIN, 0 };
	for (i = 0; i < l->nwatches && n < LOOP_MAX_FDS; i++)
		fds[n++] = (struct pollfd){ l->watches[i].fd,
			                    l->watches[i].events, 0 };
	for (i = 0; i < l->nsources; i++) {
		const struct loop_source *s = &l->sources[i];

		src_start[i] = n;
		src_n[i] = s->pollfds(s->ud, fds + n, LOOP_MAX_FDS - n);
		n += src_n[i];
		*timeout = min_timeout(*timeout, s->timeout_ms(s->ud));
	}
	return n;
}

/* Calls the fd callbacks of watches whose descriptor is ready. */
static int
run_watches(struct loop *l, const struct pollfd *fds, int n)
{
	int ran = 0;

	for (int i = 0; i < n; i++) {
		if (fds[i].revents == 0 || fds[i].fd == l->sigpipe[0])
			continue;
		for (size_t w = 0; w < l->nwatches; w++) {
			if (l->watches[w].fd != fds[i].fd)
				continue;
			l->watches[w].cb(fds[i].fd, fds[i].revents,
			                 l->watches[w].ud);
			ran++;
			break;
		}
	}
	return ran;
}

int
loop_run_once(struct loop *l, int max_wait_ms)
{
	struct pollfd fds[LOOP_MAX_FDS];
	int src_start[LOOP_MAX_SOURCES] = { 0 },
	    src_n[LOOP_MAX_SOURCES] = { 0 };
	int timeout =
	    min_timeout(max_wait_ms, timers_timeout(l, loop_clock(l)));
	int n, rc, ran = 0, nwatch;
	size_t i;

	n = gather(l, fds, src_start, src_n, &timeout);
	if (n == 0 && timeout < 0)
		return -1; /* nothing could ever wake the poll */
	rc = poll(fds, (nfds_t)n, timeout);
	if (rc < 0 && errno != EINTR)
		return -1;
	/* The signal pipe is fds[0]: read only when poll says it holds
	 * bytes (or poll was cut short by a signal), so a key costs no
	 * read() of an empty pipe. */
	if (l->sigpipe[0] >= 0 &&
	    (rc < 0 || fds[0].fd != l->sigpipe[0] || (fds[0].revents & POLLIN)))
		ran += run_signals(l);
	nwatch = l->nsources > 0 ? src_start[0] : n;
	if (rc > 0)
		ran += run_watches(l, fds, nwatch);
	/* Sources run every pass: their own timers may be due, not fds. */
	for (i = 0; i < l->nsources; i++)
		l->sources[i].dispatch(l->sources[i].ud, fds + src_start[i],
		                       src_n[i]);
	ran += run_timers(l);
	return ran;
}

/* loop_wait_fd's callback: keeps what poll saw. */
static void
on_waited_fd(int fd, short revents, void *ud)
{
	*(short *)ud = revents;
}

static bool
fd_was_ready(void *ud)
{
	return *(const short *)ud != 0;
}

int
loop_wait_fd(int fd, short events, int ms)
{
	struct loop *l = loop_new();
	short revents = 0;
	int rc;

	loop_add_fd(l, fd, events, on_waited_fd, &revents);
	rc = loop_run_until(l, fd_was_ready, &revents, loop_clock(l) + ms);
	loop_free(l);
	return rc < 0 ? -1 : revents;
}

int
loop_run_until(struct loop *l, bool (*done)(void *ud), void *ud,
               long long deadline_ms)
{
	long long left;
	int wait = -1;

	while (!done(ud)) {
		if (deadline_ms >= 0) {
			left = deadline_ms - loop_clock(l);
			if (left <= 0)
				return 1;
			wait = left > INT_MAX ? INT_MAX : (int)left;
		}
		if (loop_run_once(l, wait) < 0)
			return -1;
	}
	return 0;
}
