/* The questions a change can end in: see triage_ask.h. */
#include "views/tasks/triage_ask.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/base/xmalloc.h"
#include "tui/app.h"
#include "tui/ask.h"

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

/* ---- what changed under the staff member ------------------------------- */

static const char *
assignee_of(const struct task *t)
{
	return t->has_assignee && t->assignee->name != NULL ? t->assignee->name
	                                                    : "nobody";
}

/* Appends "label: a -> b" to lines when a and b differ. */
static void
diff_line(char ***lines, size_t *n, const char *label, const char *a,
          const char *b)
{
	if (strcmp(a != NULL ? a : "", b != NULL ? b : "") == 0)
		return;
	*lines = xreallocarray(*lines, *n + 1, sizeof **lines);
	(*lines)[(*n)++] = xasprintf("%s: %s -> %s", label, a != NULL ? a : "",
	                             b != NULL ? b : "");
}

char **
triage_ask_diff(const struct task *was, const struct task *now, size_t *n)
{
	char **lines = NULL;

	*n = 0;
	diff_line(&lines, n, "status", task_status_name(was->status),
	          task_status_name(now->status));
	diff_line(&lines, n, "priority", task_priority_name(was->priority),
	          task_priority_name(now->priority));
	diff_line(&lines, n, "assignee", assignee_of(was), assignee_of(now));
	diff_line(&lines, n, "title", was->title, now->title);
	if (was->has_due_at != now->has_due_at || was->due_at != now->due_at)
		diff_line(&lines, n, "due", was->has_due_at ? "set" : "none",
		          now->has_due_at ? "changed" : "none");
	if (*n == 0) { /* the version moved, but not a field shown here */
		char a[24], b[24];

		snprintf(a, sizeof a, "%lld", (long long)was->version);
		snprintf(b, sizeof b, "%lld", (long long)now->version);
		diff_line(&lines, n, "version", a, b);
	}
	return lines;
}

/* Opens the question; ask sanitises every line. */
static void
open_ask(struct app *app, void *ud, const char *title, const struct lines *l,
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
		.ud = ud,
	};
	struct ask *a = ask_new(&spec);

	app_overlay_open(app, &ask_ops, a);
}

/* One conflicted task: its title, then what changed under it. */
static void
conflict_lines(struct lines *l, int64_t id, const struct task *before,
               const struct task *now)
{
	size_t i, n;
	char **diff = triage_ask_diff(before, now, &n);

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
	const struct triage_ask_answer *to = ud;

	app_overlay_close(to->app, NULL);
	to->answer(to->ud, choice == 'r');
}

void
triage_ask_conflict(const struct triage_ask_batch *b,
                    const struct triage_ask_answer *to)
{
	static const struct ask_choice choices[] = {
		{ 'r', "re-apply my change on the new version" },
		{ 'd', "drop my change" },
	};
	struct lines l = { 0 };
	size_t i, k = 0;

	for (i = 0; i < b->n; i++) {
		const struct triage_ask_item *it = &b->items[i];

		if (it->now == NULL)
			continue;
		conflict_lines(&l, it->id, it->before, it->now);
		k++;
	}
	lines_add(&l, xstrdup(""));
	lines_add(&l, xasprintf("Your change: %s", b->what));
	lines_add(&l, xstrdup("Nothing was changed by it yet."));
	open_ask(to->app, (void *)to,
	         k == 1 ? "Changed by someone else since you loaded it"
	                : "Changed by someone else since you loaded them",
	         &l, choices, 2, 'd', 'd', on_conflict_answer);
	lines_free(&l);
}

static void
on_summary_closed(void *ud, key_code choice)
{
	(void)choice;
	app_overlay_close(ud, NULL);
}

void
triage_ask_summary(struct app *app, const struct triage_ask_batch *b)
{
	static const struct ask_choice choices[] = { { 'o', "ok" } };
	struct lines l = { 0 };
	size_t i, done = 0;

	for (i = 0; i < b->n; i++) {
		const struct triage_ask_item *it = &b->items[i];

		done += it->error == NULL;
		lines_add(&l, it->error == NULL
		                  ? xasprintf("#%lld %s", (long long)it->id,
		                              it->outcome)
		                  : xasprintf("#%lld %s: %s", (long long)it->id,
		                              it->outcome, it->error));
	}
	lines_add(&l, xstrdup(""));
	lines_add(&l, xasprintf("%zu of %zu done", done, b->n));
	open_ask(app, app, b->what, &l, choices, 1, 'o', 'o',
	         on_summary_closed);
	lines_free(&l);
}
