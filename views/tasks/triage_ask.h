/* The questions a change can end in: a conflict, a bulk summary. */
#ifndef SITECARE_VIEWS_TRIAGE_ASK_H
#define SITECARE_VIEWS_TRIAGE_ASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/client/model.h"

struct app;

/* One task of a finished change: its id, its outcome ("done",
 * "failed", "conflict"), why it failed (NULL when it did not), the task
 * as it was and (for a conflict) as it is now on the server. */
struct triage_ask_item {
	int64_t id;
	const char *outcome;
	const char *error;
	const struct task *before;
	const struct task *now; /* NULL unless a conflict */
};

/* A finished change as the questions show it (all borrowed). */
struct triage_ask_batch {
	const char *what; /* the change's description: "priority high" */
	const struct triage_ask_item *items;
	size_t n;
};

/* Who hears the conflict question's answer; the caller's, and it must
 * outlive the question. */
struct triage_ask_answer {
	struct app *app;
	void (*answer)(void *ud, bool reapply);
	void *ud;
};

/*
 * Some tasks of b changed on the server since the staff member saw them
 * (412): the question shows, per task, what changed under them and the
 * change they asked for, and offers to re-apply it on the new versions
 * or drop it. to->answer(to->ud, reapply) is called with the choice. The
 * text is copied: b may go once this returns.
 */
void triage_ask_conflict(const struct triage_ask_batch *b,
                         const struct triage_ask_answer *to);

/* A change to several tasks with failures: each task, done or why not. */
void triage_ask_summary(struct app *app, const struct triage_ask_batch *b);

/* Where two versions of a task differ, one line a field ("status: new
 * -> done"); a malloc'd array of malloc'd strings, *n of them. */
char **triage_ask_diff(const struct task *was, const struct task *now,
                       size_t *n);

#endif
