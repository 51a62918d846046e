/* A store's shared client and staff refs: see ref_pool.h. */
#include "net/store/ref_pool.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/base/xmalloc.h"
#include "net/store/idmap.h"

/* What the pool does with one kind of ref, through void pointers. */
struct kind {
	int64_t (*id)(const void *r);
	bool (*same)(const void *a, const void *b);
	void (*hold)(const void *r);
	void (*drop)(const void *r);
};

/* A listed ref and how many rows hold it (each with a count of its own). */
struct entry {
	const void *ref;
	size_t rows;
};

struct ref_pool {
	struct idmap *clients; /* id -> struct entry of a client_ref */
	struct idmap *staff;   /* id -> struct entry of a staff_ref */
};

/* Equal strings, NULL equal only to NULL. */
static bool
same_str(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int64_t
client_id(const void *r)
{
	return ((const struct client_ref *)r)->id;
}

static bool
client_same(const void *a, const void *b)
{
	const struct client_ref *x = a, *y = b;

	return same_str(x->name, y->name) && same_str(x->company, y->company);
}

static void
client_hold(const void *r)
{
	client_ref_hold(r);
}

static void
client_drop(const void *r)
{
	client_ref_drop(r);
}

static const struct kind clients = { client_id, client_same, client_hold,
	                             client_drop };

static int64_t
staff_id(const void *r)
{
	return ((const struct staff_ref *)r)->id;
}

static bool
staff_same(const void *a, const void *b)
{
	return same_str(((const struct staff_ref *)a)->name,
	                ((const struct staff_ref *)b)->name);
}

static void
staff_hold(const void *r)
{
	staff_ref_hold(r);
}

static void
staff_drop(const void *r)
{
	staff_ref_drop(r);
}

static const struct kind staff = { staff_id, staff_same, staff_hold,
	                           staff_drop };

struct ref_pool *
ref_pool_new(void)
{
	struct ref_pool *p = xcalloc(1, sizeof *p);

	p->clients = idmap_new();
	p->staff = idmap_new();
	return p;
}

/* Drops the pool's count on every ref of map, and the map. */
static void
drop_all(struct idmap *map, const struct kind *k)
{
	size_t pos = 0;
	int64_t id;
	struct entry *e;

	while ((e = idmap_next(map, &pos, &id)) != NULL) {
		k->drop(e->ref);
		free(e);
	}
	idmap_free(map);
}

void
ref_pool_free(struct ref_pool *p)
{
	if (p == NULL)
		return;
	drop_all(p->clients, &clients);
	drop_all(p->staff, &staff);
	free(p);
}

/* Lists r for its id in place of old (NULL or another ref), one row. */
static void
list(struct idmap *map, const struct kind *k, struct entry *old, const void *r)
{
	struct entry *e = old != NULL ? old : xmalloc(sizeof *e);

	if (old != NULL)
		k->drop(old->ref); /* lives on in the rows that hold it */
	e->ref = r;
	e->rows = 1;
	k->hold(r); /* the pool's count; the row keeps r's own */
	idmap_put(map, k->id(r), e);
}

/*
 * The pool's ref equal to r, held once more for the row, r dropped. A
 * ref with new names for its id replaces the listed one.
 */
static const void *
swap(struct idmap *map, const struct kind *k, const void *r)
{
	struct entry *e = idmap_get(map, k->id(r));

	if (e == NULL || !k->same(e->ref, r)) {
		list(map, k, e, r);
		return r;
	}
	e->rows++;
	k->hold(e->ref);
	k->drop(r);
	return e->ref;
}

/*
 * Gives back a row's count on r, and the pool's with the last row that
 * holds it (copies outside the store keep theirs).
 */
static void
release(struct idmap *map, const struct kind *k, const void *r)
{
	struct entry *e;

	if (r == NULL)
		return;
	e = idmap_get(map, k->id(r));
	if (e != NULL && e->ref == r && --e->rows == 0) {
		idmap_remove(map, k->id(r));
		k->drop(r);
		free(e);
	}
	k->drop(r);
}

void
ref_pool_adopt(struct ref_pool *p, struct task *t)
{
	if (t->client != NULL)
		t->client = swap(p->clients, &clients, t->client);
	if (t->assignee != NULL)
		t->assignee = swap(p->staff, &staff, t->assignee);
}

void
ref_pool_release(struct ref_pool *p, struct task *t)
{
	release(p->clients, &clients, t->client);
	release(p->staff, &staff, t->assignee);
	t->client = NULL;
	t->assignee = NULL;
}
