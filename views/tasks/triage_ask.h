/* The questions a change can end in: a conflict, a bulk summary. */
#ifndef SITECARE_VIEWS_TRIAGE_ASK_H
#define SITECARE_VIEWS_TRIAGE_ASK_H

struct triage;
struct batch;

/*
 * Some tasks of b changed on the server since the staff member saw them
 * (412): the question shows, per task, what changed under them and the
 * change they asked for, and offers to re-apply it on the new versions
 * or drop it. The answer goes to triage_conflict_answer(); b stays the
 * triage's until then.
 */
void triage_ask_conflict(struct triage *tr, const struct batch *b);

/* A change to several tasks with failures: each task, done or why not. */
void triage_ask_summary(struct triage *tr, const struct batch *b);

#endif
