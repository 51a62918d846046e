/* Deleting tmux's paste buffers of copied secrets; see tmux_buffer.h. */
#include "tui/tmux_buffer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/base/loop.h"
#include "net/base/xmalloc.h"
#include "tui/job.h"

/* What `tmux list-buffers` may print before the rest is ignored. */
#define TMUX_BUFFER_LISTING 8192

/*
 * One sweep: `tmux list-buffers`, then (when something matched) one
 * `tmux delete-buffer -b A ; delete-buffer -b B ...`. job is the one
 * running; deadline bounds both. done is set once cb has been called.
 */
struct tmux_buffer_sweep {
	struct loop *loop;
	struct job *job;
	long long deadline;
	struct tmux_buffer_mark marks[TMUX_BUFFER_MARKS];
	size_t nmarks;
	char names[TMUX_BUFFER_MARKS][TMUX_BUFFER_NAME];
	size_t nnames;
	tmux_buffer_cb cb;
	void *ud;
	bool done;
};

/* True when a buffer of size bytes made at created is one of the marks. */
static bool
tmux_buffer_matches(const struct tmux_buffer_mark *marks, size_t nmarks,
                    size_t size, long long created)
{
	size_t i;

	for (i = 0; i < nmarks; i++)
		if (marks[i].n == size &&
		    created >= (long long)marks[i].at - 1 &&
		    created <= (long long)marks[i].at + 5)
			return true;
	return false;
}

size_t
tmux_buffer_pick(const char *listing, size_t len,
                 const struct tmux_buffer_mark *marks, size_t nmarks,
                 char (*names)[TMUX_BUFFER_NAME], size_t max)
{
	char line[128], name[TMUX_BUFFER_NAME];
	unsigned long size;
	long long created;
	size_t got = 0, at = 0, end;

	while (at < len && got < max) {
		end = at;
		while (end < len && listing[end] != '\n')
			end++;
		if (end - at < sizeof line) {
			memcpy(line, listing + at, end - at);
			line[end - at] = '\0';
			/* Only tmux's own names: a buffer named by hand is the
			 * user's, whatever it holds. */
			if (sscanf(line, "%31s %lu %lld", name, &size,
			           &created) == 3 &&
			    strncmp(name, "buffer", 6) == 0 &&
			    tmux_buffer_matches(marks, nmarks, size, created))
				snprintf(names[got++], TMUX_BUFFER_NAME, "%s",
				         name);
		}
		at = end + 1;
	}
	return got;
}

/* The sweep is over: tells the owner, once. */
static void
tmux_buffer_end(struct tmux_buffer_sweep *s, int deleted, const char *why)
{
	if (s->done)
		return;
	s->done = true;
	s->cb(deleted, why, s->ud);
}

/* Milliseconds left before the deadline (at least 1). */
static int
tmux_buffer_left(const struct tmux_buffer_sweep *s)
{
	long long left = s->deadline - loop_now_ms();

	return left > 0 ? (int)left : 1;
}

static void tmux_buffer_on_list(const struct job_result *r, void *ud);
static void tmux_buffer_on_delete(const struct job_result *r, void *ud);

/* Starts tmux with argv; false (and the sweep ended: s may be gone)
 * when it cannot. */
static bool
tmux_buffer_run(struct tmux_buffer_sweep *s, const char *const *argv,
                bool listing)
{
	struct job_spec spec = {
		.argv = argv,
		.out_max = listing ? TMUX_BUFFER_LISTING : 0,
		.timeout_ms = tmux_buffer_left(s),
		.done = listing ? tmux_buffer_on_list : tmux_buffer_on_delete,
		.ud = s,
	};
	struct sc_error err = { 0 };
	char why[256];

	job_free(s->job);
	s->job = job_start(s->loop, &spec, &err);
	snprintf(why, sizeof why, "%s", err.message != NULL ? err.message : "");
	sc_error_clear(&err);
	if (s->job != NULL)
		return true;
	tmux_buffer_end(s, -1, why); /* the owner may free s */
	return false;
}

/* Deletes the buffers picked, in one tmux command. */
static void
tmux_buffer_delete(struct tmux_buffer_sweep *s)
{
	const char *argv[1 + 4 * TMUX_BUFFER_MARKS + 1];
	size_t i, a = 0;

	argv[a++] = "tmux";
	for (i = 0; i < s->nnames; i++) {
		if (i > 0)
			argv[a++] = ";";
		argv[a++] = "delete-buffer";
		argv[a++] = "-b";
		argv[a++] = s->names[i];
	}
	argv[a] = NULL;
	tmux_buffer_run(s, argv, false);
}

/* tmux has listed its buffers: picks the marked ones. */
static void
tmux_buffer_on_list(const struct job_result *r, void *ud)
{
	struct tmux_buffer_sweep *s = ud;

	if (r->status != 0 || r->timed_out) {
		tmux_buffer_end(s, -1, "tmux list-buffers failed");
		return;
	}
	s->nnames = tmux_buffer_pick((const char *)r->out, r->out_len, s->marks,
	                             s->nmarks, s->names, TMUX_BUFFER_MARKS);
	if (s->nnames == 0)
		tmux_buffer_end(s, 0, NULL);
	else
		tmux_buffer_delete(s);
}

/* tmux has deleted the buffers (or not). */
static void
tmux_buffer_on_delete(const struct job_result *r, void *ud)
{
	struct tmux_buffer_sweep *s = ud;

	if (r->status != 0 || r->timed_out)
		tmux_buffer_end(s, -1, "tmux delete-buffer failed");
	else
		tmux_buffer_end(s, (int)s->nnames, NULL);
}

/* Without a loop: waits for each job in turn until the deadline. */
static void
tmux_buffer_wait(struct tmux_buffer_sweep *s)
{
	struct job *j;

	while (!s->done && (j = s->job) != NULL) {
		if (!job_wait(j, s->deadline)) {
			tmux_buffer_end(s, -1, "tmux did not answer in time");
			return;
		}
		if (s->job == j) /* done() started nothing more */
			return;
	}
}

struct tmux_buffer_sweep *
tmux_buffer_sweep(struct loop *loop, const struct tmux_buffer_mark *marks,
                  size_t nmarks, int timeout_ms, tmux_buffer_cb cb, void *ud)
{
	static const char *const argv[] = {
		"tmux", "list-buffers", "-F",
		"#{buffer_name} #{buffer_size} #{buffer_created}", NULL
	};
	struct tmux_buffer_sweep *s = xcalloc(1, sizeof *s);

	s->loop = loop;
	s->deadline = loop_now_ms() + timeout_ms;
	s->nmarks = nmarks < TMUX_BUFFER_MARKS ? nmarks : TMUX_BUFFER_MARKS;
	memcpy(s->marks, marks, s->nmarks * sizeof *marks);
	s->cb = cb;
	s->ud = ud;
	if (!tmux_buffer_run(s, argv, true) || loop == NULL) {
		tmux_buffer_wait(s);
		tmux_buffer_sweep_free(s);
		return NULL;
	}
	return s;
}

void
tmux_buffer_sweep_free(struct tmux_buffer_sweep *s)
{
	if (s == NULL)
		return;
	job_free(s->job);
	free(s);
}
