/* An ordered list of ids: see id_order.h. */
#include "net/store/id_order.h"

#include <stdlib.h>

#include "net/base/xmalloc.h"
#include "net/store/idmap.h"

/* One id in the tree; size counts the nodes of its subtree. */
struct node {
	int64_t id;
	uint32_t prio; /* heap order on these keeps the tree balanced */
	size_t size;
	struct node *l, *r, *up;
};

struct id_order {
	struct node *root;
	struct idmap *nodes; /* id -> its node */
	uint64_t seed;       /* xorshift state for priorities */
};

static size_t
size_of(const struct node *n)
{
	return n != NULL ? n->size : 0;
}

static void
resize(struct node *n)
{
	n->size = 1 + size_of(n->l) + size_of(n->r);
}

/* A pseudo-random priority: a treap needs no better. */
static uint32_t
next_prio(struct id_order *o)
{
	o->seed ^= o->seed << 13;
	o->seed ^= o->seed >> 7;
	o->seed ^= o->seed << 17;
	return (uint32_t)(o->seed >> 16);
}

struct id_order *
id_order_new(void)
{
	struct id_order *o = xcalloc(1, sizeof *o);

	o->nodes = idmap_new();
	o->seed = 0x9e3779b97f4a7c15ULL;
	return o;
}

void
id_order_clear(struct id_order *o)
{
	size_t pos = 0;
	int64_t id;
	struct node *n;

	while ((n = idmap_next(o->nodes, &pos, &id)) != NULL)
		free(n);
	idmap_clear(o->nodes);
	o->root = NULL;
}

void
id_order_free(struct id_order *o)
{
	if (o == NULL)
		return;
	id_order_clear(o);
	idmap_free(o->nodes);
	free(o);
}

size_t
id_order_count(const struct id_order *o)
{
	return size_of(o->root);
}

bool
id_order_has(const struct id_order *o, int64_t id)
{
	return idmap_get(o->nodes, id) != NULL;
}

long long
id_order_pos(const struct id_order *o, int64_t id)
{
	const struct node *n = idmap_get(o->nodes, id);
	size_t pos;

	if (n == NULL)
		return -1;
	pos = size_of(n->l);
	for (; n->up != NULL; n = n->up)
		if (n == n->up->r)
			pos += size_of(n->up->l) + 1;
	return (long long)pos;
}

int64_t
id_order_at(const struct id_order *o, size_t pos)
{
	const struct node *n = o->root;

	while (n != NULL) {
		size_t left = size_of(n->l);

		if (pos == left)
			return n->id;
		if (pos < left)
			n = n->l;
		else {
			pos -= left + 1;
			n = n->r;
		}
	}
	abort(); /* pos out of range: the caller's bug */
}

/* Puts child where old was under old's parent (or at the root). */
static void
replace_child(struct id_order *o, struct node *old, struct node *child)
{
	struct node *up = old->up;

	if (child != NULL)
		child->up = up;
	if (up == NULL)
		o->root = child;
	else if (up->l == old)
		up->l = child;
	else
		up->r = child;
}

/* Rotates n above its parent, keeping the in-order sequence. */
static void
rotate_up(struct id_order *o, struct node *n)
{
	struct node *p = n->up;

	replace_child(o, p, n);
	if (p->l == n) {
		p->l = n->r;
		if (n->r != NULL)
			n->r->up = p;
		n->r = p;
	} else {
		p->r = n->l;
		if (n->l != NULL)
			n->l->up = p;
		n->l = p;
	}
	p->up = n;
	resize(p);
	resize(n);
}

/* Hangs n as a leaf at in-order position pos below the root. */
static void
attach_leaf(struct id_order *o, struct node *n, size_t pos)
{
	struct node *cur = o->root, **slot = &o->root, *up = NULL;

	while (cur != NULL) {
		size_t left = size_of(cur->l);

		cur->size++;
		up = cur;
		if (pos <= left) {
			slot = &cur->l;
		} else {
			pos -= left + 1;
			slot = &cur->r;
		}
		cur = *slot;
	}
	n->up = up;
	*slot = n;
}

bool
id_order_insert(struct id_order *o, size_t pos, int64_t id)
{
	struct node *n;

	if (id_order_has(o, id))
		return false;
	n = xcalloc(1, sizeof *n);
	n->id = id;
	n->prio = next_prio(o);
	n->size = 1;
	attach_leaf(o, n, pos);
	while (n->up != NULL && n->prio > n->up->prio)
		rotate_up(o, n);
	idmap_put(o->nodes, id, n);
	return true;
}

long long
id_order_remove(struct id_order *o, int64_t id)
{
	long long pos = id_order_pos(o, id);
	struct node *n = idmap_remove(o->nodes, id), *up;

	if (n == NULL)
		return -1;
	/* Sink n to a leaf under its higher-priority child, then cut it. */
	while (n->l != NULL || n->r != NULL) {
		struct node *c = n->l == NULL              ? n->r
		                 : n->r == NULL            ? n->l
		                 : n->l->prio > n->r->prio ? n->l
		                                           : n->r;
		rotate_up(o, c);
	}
	up = n->up;
	replace_child(o, n, NULL);
	for (; up != NULL; up = up->up)
		up->size--;
	free(n);
	return pos;
}

size_t
id_order_place(const struct id_order *o, bool (*before)(void *ud, int64_t id),
               void *ud)
{
	const struct node *n = o->root;
	size_t pos = 0;

	while (n != NULL) {
		if (before(ud, n->id)) {
			n = n->l;
		} else {
			pos += size_of(n->l) + 1;
			n = n->r;
		}
	}
	return pos;
}
