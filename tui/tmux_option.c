/* Asking tmux for a global option through a job; see tmux_option.h. */
#include "tui/tmux_option.h"

#include <stdlib.h>
#include <string.h>

#include "tui/job.h"
#include "net/base/xmalloc.h"

/* The longest value taken; tmux's options are short words. */
#define TMUX_OPTION_MAX 63

struct tmux_option {
	struct job *job;
	tmux_option_cb cb;
	void *ud;
};

/* tmux has ended: its first line, if it exited well, is the answer. */
static void
tmux_option_done(const struct job_result *r, void *ud)
{
	struct tmux_option *q = ud;
	char value[TMUX_OPTION_MAX + 1];
	bool ok = r->status == 0 && !r->timed_out;

	memcpy(value, r->out, r->out_len);
	value[r->out_len] = '\0';
	value[strcspn(value, "\r\n")] = '\0';
	q->cb(ok && value[0] != '\0' ? value : NULL, q->ud);
}

struct tmux_option *
tmux_option_ask(struct loop *loop, const char *name, int timeout_ms,
                tmux_option_cb cb, void *ud)
{
	const char *argv[] = { "tmux", "show", "-gv", name, NULL };
	struct tmux_option *q = xcalloc(1, sizeof *q);
	struct job_spec spec = { .argv = argv,
		                 .out_max = TMUX_OPTION_MAX,
		                 .timeout_ms = timeout_ms,
		                 .done = tmux_option_done,
		                 .ud = q };
	struct sc_error err = { 0 };

	q->cb = cb;
	q->ud = ud;
	q->job = job_start(loop, &spec, &err);
	sc_error_clear(&err);
	if (q->job == NULL) {
		free(q);
		return NULL;
	}
	return q;
}

void
tmux_option_free(struct tmux_option *q)
{
	if (q == NULL)
		return;
	job_free(q->job);
	free(q);
}
