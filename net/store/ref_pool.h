/* A store's shared client and staff refs: one per id, held by its rows. */
#ifndef SITECARE_NET_STORE_REF_POOL_H
#define SITECARE_NET_STORE_REF_POOL_H

#include "net/client/model.h"

/*
 * Every task names its client and assignee through a shared, counted ref
 * (see struct task in net/client/model.h). A parsed task brings refs of
 * its own; the store swaps them for the pool's, so its rows share one
 * ref per client and one per staff member. The pool lists one ref per
 * id (an idmap, the newest names of each id) with one count of its own
 * and the number of rows holding it; each row holds a count too. With
 * its last row the pool lets the ref go. Copies taken outside the store
 * (task_copy) hold counts of their own, so a ref outlives its rows, and
 * the pool, for as long as they need it; a ref whose id got new names
 * lives on, unlisted, in the rows that hold it.
 */
struct ref_pool;

struct ref_pool *ref_pool_new(void);
void ref_pool_free(struct ref_pool *p);

/* Swaps t's refs for the pool's equal ones (t's own are dropped). */
void ref_pool_adopt(struct ref_pool *p, struct task *t);
/* Drops t's counts on its refs (a row's release) and sets them NULL. */
void ref_pool_release(struct ref_pool *p, struct task *t);

#endif
