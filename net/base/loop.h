/* The one event loop: poll() over descriptors, timers and signals. */
#ifndef SITECARE_NET_LOOP_H
#define SITECARE_NET_LOOP_H

#include <poll.h>
#include <stdbool.h>

/*
 * A single-threaded loop in the style of tmux's proc.c. Everything that
 * can wake the program is one of:
 *   - a descriptor with a callback (the terminal);
 *   - a source that lends the loop its descriptors and timeout each pass
 *     (the network layer hands these out: api_source, events_source,
 *     sender_source);
 *   - a one-shot timer;
 *   - a signal, delivered through a self-pipe so the handler only writes
 *     one byte and all the work happens here, outside signal context.
 * Nothing polls on a fixed tick: with no timer due, poll() sleeps until a
 * descriptor is ready, so an idle client uses no CPU.
 *
 * The interface and every subcommand use it the same way: loop_new, add
 * the sources and signals, run until done (loop_run_until), loop_free.
 * It lives in net/ so that the network layer can hand out its sources;
 * it knows no curses.
 */
struct loop;

typedef void (*loop_fd_cb)(int fd, short revents, void *ud);
typedef void (*loop_timer_cb)(void *ud);
typedef void (*loop_signal_cb)(int signo, void *ud);

/* A pollable subsystem: fills fds, says how long it may wait, runs. */
struct loop_source {
	int (*pollfds)(void *ud, struct pollfd *fds, int max);
	int (*timeout_ms)(void *ud); /* -1: no deadline */
	void (*dispatch)(void *ud, const struct pollfd *fds, int n);
	void *ud;
};

struct loop *loop_new(void);
void loop_free(struct loop *l);

/* Watches fd for events; a second call for the same fd replaces it. */
void loop_add_fd(struct loop *l, int fd, short events, loop_fd_cb cb, void *ud);
void loop_remove_fd(struct loop *l, int fd);

/* A source's pollfds for one that only has timers: no descriptors. */
int loop_no_fds(void *ud, struct pollfd *fds, int max);

/* Adds a copy of src; its ud must stay valid while the loop runs. */
void loop_add_source(struct loop *l, const struct loop_source *src);

/* Calls cb once after ms milliseconds; returns an id for cancelling. */
unsigned loop_timer_add(struct loop *l, int ms, loop_timer_cb cb, void *ud);
void loop_timer_cancel(struct loop *l, unsigned id);

/*
 * Routes signo through the self-pipe to cb (SIGWINCH, SIGTSTP, SIGCONT,
 * SIGTERM, SIGHUP, SIGINT). Returns -1 if the pipe cannot be made.
 * loop_free puts back the handlers the signals had before.
 */
int loop_signal(struct loop *l, int signo, loop_signal_cb cb, void *ud);

/*
 * One pass: waits at most max_wait_ms (-1: until something happens) and
 * runs every ready callback and due timer. Returns the number of
 * callbacks run, or -1 on a poll error other than EINTR, or when
 * nothing could ever wake it (no descriptor, no timer, no deadline).
 */
int loop_run_once(struct loop *l, int max_wait_ms);

/*
 * Runs passes until done(ud) is true or the loop's clock reaches
 * deadline_ms (an absolute time by the loop's clock; -1: none). done is
 * asked before each pass, so it is also the place for work due once a
 * pass (the interface draws the screen there). Returns 0 when done, 1 when the
 * deadline came first, -1 when a pass fails (see loop_run_once).
 */
int loop_run_until(struct loop *l, bool (*done)(void *ud), void *ud,
                   long long deadline_ms);

/*
 * Waits up to ms for fd to be ready for events, on a loop of its own:
 * for the few places that must wait in place (a full terminal, a local
 * socket's connect, the clipboard read back at exit). Returns the
 * revents seen, 0 when the time ran out, -1 when the wait failed.
 */
int loop_wait_fd(int fd, short events, int ms);

/* Monotonic milliseconds, the loop's clock. */
long long loop_now_ms(void);

/*
 * Replaces the clock the loop's timers are measured with (loop_now_ms by
 * default; NULL restores it), so tests can step over minutes. The
 * signature is net/base/clock.h's.
 */
void loop_set_clock(struct loop *l, long long (*now_ms)(void *ud), void *ud);

#endif
