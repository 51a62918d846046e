/* Changing tasks: assign, status, priority; conflicts, bulk, undo. */
#ifndef SITECARE_VIEWS_TRIAGE_H
#define SITECARE_VIEWS_TRIAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/client/body.h"
#include "net/client/model.h"

struct app;
struct task_store;
struct triage;

/*
 * A change is a store operation (net/store/task_store.h): the tasks are
 * the store's, the optimistic change, the server's answer and the
 * rollback all go into it, and the panes that show the task hear of it
 * as its listeners.
 *
 * Every change is a PATCH with If-Match on the version the staff member
 * saw. The row changes at once (optimistic) and the status line says so;
 * the server's answer then confirms it (the row takes the server's
 * version) or rolls it back with the reason. A 412 shows what changed
 * under the staff member and asks whether to re-apply the change on the
 * new version or drop it; nothing is applied blindly. A change to
 * several tasks (marked rows) ends with a summary of what succeeded and
 * what failed, and why. The last change that went through can be undone
 * for TRIAGE_UNDO_MS with one key: the undo is itself a PATCH with
 * If-Match, so it too stops at a conflict.
 */
#define TRIAGE_UNDO_MS 10000

struct triage *triage_new(struct app *app, struct task_store *ts);
/* Cancels what is in flight (rows stay as they are) and frees. */
void triage_free(struct triage *tr);

/* What to set: the fields of net/client/body.h's task_patch. */
struct triage_change {
	struct task_patch patch;
	const char *assignee_name; /* for set_assignee to someone; copied */
};

/* Applies change to the tasks ids (held ones; others are skipped). */
void triage_apply(struct triage *tr, const int64_t *ids, size_t n,
                  const struct triage_change *change);

/*
 * The same for the tasks as the staff member saw them (copies taken
 * when a picker opened): the PATCH carries the version seen, so a
 * change someone else made meanwhile ends in the conflict question
 * instead of being overwritten.
 */
void triage_apply_seen(struct triage *tr, const struct task *seen, size_t n,
                       const struct triage_change *c);

/* The task shown for id, or NULL. */
const struct task *triage_find(struct triage *tr, int64_t id);

/* Undoes the last change that went through, if still in time. */
void triage_undo(struct triage *tr);

/* Changes in flight (for the footer). */
size_t triage_pending(const struct triage *tr);

/* The status line's text for a change ("priority high"); malloc'd. */
char *triage_describe(const struct triage_change *c);

/* The conflict question's answer: re-apply on the new versions, or drop. */
void triage_conflict_answer(struct triage *tr, bool reapply);

/* The application, for the pickers and questions. */
struct app *triage_app(struct triage *tr);

#endif
