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
