/* The task queue's pickers: whom to assign, which status or priority. */
#ifndef SITECARE_VIEWS_TRIAGE_PICK_H
#define SITECARE_VIEWS_TRIAGE_PICK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct triage;
struct triage_pick;

/*
 * A picker opens over the pane for the tasks ids (the marked ones, or
 * the one under the cursor) and applies the choice through the triage.
 * The staff to assign to come from GET /staff, fetched once when first
 * needed; assigning someone else is offered only with tasks.assign_any
 * (the server refuses it anyway; the client explains instead).
 */
struct triage_pick *triage_pick_new(struct triage *tr);
void triage_pick_free(struct triage_pick *tp);

/*
 * Who hears that a change went out for the tasks ids: when the staff
 * member answers (a picker, the take question, a name that waited for
 * the staff list), not when the picker opens, and not when nothing was
 * sent. The task list spends its marks there.
 */
typedef void (*triage_pick_sent_fn)(void *ud, const int64_t *ids, size_t n);
void triage_pick_on_sent(struct triage_pick *tp, triage_pick_sent_fn fn,
                         void *ud);

/*
 * t: assigns the tasks ids to the signed-in member. When any of them has
 * another assignee, asks first ("#42 is Sue Support's. Take it?", or how
 * many of the marked tasks are others'); no leaves them as they are.
 */
void triage_pick_take(struct triage_pick *tp, const int64_t *ids, size_t n);

void triage_pick_assignee(struct triage_pick *tp, const int64_t *ids, size_t n);
void triage_pick_status(struct triage_pick *tp, const int64_t *ids, size_t n);
void triage_pick_priority(struct triage_pick *tp, const int64_t *ids, size_t n);

/*
 * The `:` forms: assign "me", "none", a staff id or a name (matched in
 * GET /staff, once it has arrived); a status or a priority name. Returns
 * false, with a notice saying why, when arg is not understood.
 */
bool triage_pick_assign_arg(struct triage_pick *tp, const int64_t *ids,
                            size_t n, const char *arg);
bool triage_pick_status_arg(struct triage_pick *tp, const int64_t *ids,
                            size_t n, const char *arg);
bool triage_pick_priority_arg(struct triage_pick *tp, const int64_t *ids,
                              size_t n, const char *arg);

#endif
