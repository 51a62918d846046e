/* The questions a change can end in: see triage_ask.h. */
#include "views/tasks/triage_ask.h"

#include <stdint.h>
#include <stdlib.h>

#include "net/base/xmalloc.h"
#include "tui/app.h"
#include "tui/ask.h"
#include "views/tasks/triage.h"

/* A growing list of body lines. */
struct lines {
	char **v;
	size_t n;
};

static void
lines_add(struct lines *l, char *taken)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n++] = taken;
}

static void
lines_free(struct lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/* Opens the question; ask sanitises every line. */
static void
open_ask(struct triage *tr, const char *title, const struct lines *l,
         const struct ask_choice *choices, size_t nchoices, key_code enter,
         key_code escape, ask_done_fn done)
{
	struct ask_spec spec = {
		.title = title,
		.body = (const char *const *)l->v,
		.nbody = l->n,
		.choices = choices,
		.nchoices = nchoices,
		.enter = enter,
		.escape = escape,
		.on_done = done,
		.ud = tr,
	};
	struct ask *a = ask_new(&spec);

	app_overlay_open(triage_app(tr), &ask_ops, a);
}

/* One conflicted task: its title, then what changed under it. */
static void
conflict_lines(struct lines *l, int64_t id, const struct task *before,
               const struct task *now)
{
	size_t i, n;
	char **diff = triage_diff(before, now, &n);

	lines_add(l, xasprintf("#%lld %s", (long long)id,
	                       now->title != NULL ? now->title : ""));
	for (i = 0; i < n; i++) {
		lines_add(l, xasprintf("    %s", diff[i]));
		free(diff[i]);
	}
	free(diff);
}

static void
on_conflict_answer(void *ud, key_code choice)
{
	struct triage *tr = ud;

	app_overlay_close(triage_app(tr), NULL);
	triage_conflict_answer(tr, choice == 'r');
}

void
triage_ask_conflict(struct triage *tr, const struct batch *b)
{
	static const struct ask_choice choices[] = {
		{ 'r', "re-apply my change on the new version" },
		{ 'd', "drop my change" },
	};
	struct lines l = { 0 };
	size_t i, k = 0;

	for (i = 0; i < triage_batch_count(b); i++) {
		const struct task *before, *now;
		const char *error;
		int64_t id;

		triage_batch_item(b, i, &id, &error, &before, &now);
		if (now == NULL)
			continue;
		conflict_lines(&l, id, before, now);
		k++;
	}
	lines_add(&l, xstrdup(""));
	lines_add(&l, xasprintf("Your change: %s", triage_batch_what(b)));
	lines_add(&l, xstrdup("Nothing was changed by it yet."));
	open_ask(tr,
	         k == 1 ? "Changed by someone else since you loaded it"
	                : "Changed by someone else since you loaded them",
	         &l, choices, 2, 'd', 'd', on_conflict_answer);
	lines_free(&l);
}

static void
on_summary_closed(void *ud, key_code choice)
{
	(void)choice;
	app_overlay_close(triage_app(ud), NULL);
}

void
triage_ask_summary(struct triage *tr, const struct batch *b)
{
	static const struct ask_choice choices[] = { { 'o', "ok" } };
	struct lines l = { 0 };
	size_t i, done = 0;

	for (i = 0; i < triage_batch_count(b); i++) {
		const struct task *before, *now;
		const char *error, *outcome;
		int64_t id;

		outcome = triage_batch_item(b, i, &id, &error, &before, &now);
		done += error == NULL;
		lines_add(&l,
		          error == NULL
		              ? xasprintf("#%lld %s", (long long)id, outcome)
		              : xasprintf("#%lld %s: %s", (long long)id,
		                          outcome, error));
	}
	lines_add(&l, xstrdup(""));
	lines_add(&l,
	          xasprintf("%zu of %zu done", done, triage_batch_count(b)));
	{
		char *title = xasprintf("%s", triage_batch_what(b));

		open_ask(tr, title, &l, choices, 1, 'o', 'o',
		         on_summary_closed);
		free(title);
	}
	lines_free(&l);
}
