/* Child processes: start one, watch it on the loop, reap it, report. */
#ifndef SITECARE_TUI_JOB_H
#define SITECARE_TUI_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "net/base/error.h"

/*
 * One module starts every child of the client (as tmux's job.c): the
 * clipboard tools, tmux's option probes, $EDITOR and the passphrase
 * check. A job is started from a spec; on a loop its output pipes, its
 * exit (a pidfd, else a short reaping timer) and its deadline are
 * watched there, so no second poll() and no SIGCHLD handler of its own;
 * without a loop the owner asks (job_poll) or waits (job_wait), e.g. on
 * a worker thread. When the child has been reaped the job is finished:
 * its pipes are drained and closed and done() is called once with the
 * result. The owner frees the job with job_free, which may be called
 * from done(); a job freed while its child runs SIGKILLs and reaps it,
 * so no child is left a zombie.
 */
struct job;
struct loop;

/* The most stdin bytes a job takes: they go in one write at the start,
 * all or nothing (a pipe's atomic size), and are not kept. */
#define JOB_STDIN_MAX 4096

enum job_mode {
	/* stdin, stdout and stderr are pipes or /dev/null; the child is in
	 * a process group of its own (out of the terminal's job control). */
	JOB_BACKGROUND,
	/* The child inherits the terminal: our stdin, stdout, stderr and
	 * process group ($EDITOR). Nothing is captured or fed. */
	JOB_FOREGROUND,
};

/* How a job ended and what it printed (valid during done() and, for the
 * output, until job_free). */
struct job_result {
	int status;     /* waitpid's status, or -1 when it was lost */
	bool timed_out; /* killed at its deadline */
	const unsigned char *out;
	size_t out_len;
	bool out_over; /* more than out_max came (the rest was dropped) */
	const unsigned char *err;
	size_t err_len;
	bool err_over;
};

typedef void (*job_done_cb)(const struct job_result *r, void *ud);

struct job_spec {
	/* The command, argv[0] looked up on PATH. Or, with argv NULL, fn
	 * run in a forked child (its output on fd 1), which then _exits. */
	const char *const *argv;
	void (*fn)(void *fn_ud);
	void *fn_ud;
	/* Environment changes for the child: "NAME=value" sets, "NAME"
	 * unsets; NULL-terminated, or NULL for ours unchanged. */
	const char *const *env;
	/* stdin bytes (at most JOB_STDIN_MAX), or NULL for /dev/null. */
	const unsigned char *in;
	size_t in_len;
	/* Captures up to this many bytes of stdout / stderr (0: /dev/null).
	 * out_buf, when given, is where stdout goes (out_max bytes, the
	 * caller's: sodium memory for a secret); else the job allocates. */
	size_t out_max, err_max;
	unsigned char *out_buf;
	bool kill_on_over; /* SIGKILL the child once stdout overflows */
	int timeout_ms;    /* SIGKILL after this long; 0: no deadline */
	enum job_mode mode;
	job_done_cb done; /* may be NULL */
	void *ud;
};

/*
 * Starts a job; on loop when loop is not NULL. Returns the job, or NULL
 * with err ("cannot run ...": nothing was started; "... did not take its
 * input": the child was killed and reaped).
 */
struct job *job_start(struct loop *loop, const struct job_spec *spec,
                      struct sc_error *err);

/* Without waiting: reads what output is there and reaps the child if it
 * has exited. True when the job is finished (done() has been called). */
bool job_poll(struct job *j);

/*
 * Waits in place until the job is finished or the loop's clock reaches
 * deadline_ms (-1: no limit). True when finished. For the places that
 * must wait: a worker thread, an exit.
 */
bool job_wait(struct job *j, long long deadline_ms);

/* Sends sig to the child while it is not reaped. */
void job_signal(struct job *j, int sig);

/* The child's pid (unique while the job is not freed). */
pid_t job_pid(const struct job *j);

/* The result so far (final once job_poll says finished). */
const struct job_result *job_result(const struct job *j);

/* Stops watching; a child still running is SIGKILLed and reaped. NULL
 * is fine. Does not call done(). */
void job_free(struct job *j);

/* A status in words: "exited with status 1", "was killed by signal 9". */
void job_status_words(char *buf, size_t size, int status);

#endif
