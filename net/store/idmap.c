/* A hash map from a server id to an object: see idmap.h. */
#include "net/store/idmap.h"

#include <stdlib.h>

#include "net/base/xmalloc.h"

#define MIN_CAP 16

struct slot {
	int64_t id;
	void *value; /* NULL: the slot is free */
};

struct idmap {
	struct slot *slots;
	size_t cap; /* a power of two */
	size_t n;
};

/* splitmix64's finaliser: ids are sequential, so spread their bits. */
static size_t
hash(int64_t id, size_t cap)
{
	uint64_t x = (uint64_t)id;

	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return (size_t)x & (cap - 1);
}

struct idmap *
idmap_new(void)
{
	struct idmap *m = xcalloc(1, sizeof *m);

	m->cap = MIN_CAP;
	m->slots = xcalloc(m->cap, sizeof *m->slots);
	return m;
}

void
idmap_free(struct idmap *m)
{
	if (m == NULL)
		return;
	free(m->slots);
	free(m);
}

/* The slot holding id, or the free slot where it would go. */
static size_t
find(const struct idmap *m, int64_t id)
{
	size_t i = hash(id, m->cap);

	while (m->slots[i].value != NULL && m->slots[i].id != id)
		i = (i + 1) & (m->cap - 1);
	return i;
}

void *
idmap_get(const struct idmap *m, int64_t id)
{
	return m->slots[find(m, id)].value;
}

/*
 * Doubles the table when it is 4/5 full: probes stay short (about 3 for
 * a hit, 13 for a miss, within a few cache lines of 16-byte slots), and
 * a big queue's maps stay one size smaller than at 3/4 (100,000 ids fit
 * 131,072 slots: 21 bytes an id, not 42).
 */
static void
grow(struct idmap *m)
{
	struct slot *old = m->slots;
	size_t oldcap = m->cap, i;

	m->cap *= 2;
	m->slots = xcalloc(m->cap, sizeof *m->slots);
	for (i = 0; i < oldcap; i++)
		if (old[i].value != NULL)
			m->slots[find(m, old[i].id)] = old[i];
	free(old);
}

void *
idmap_put(struct idmap *m, int64_t id, void *value)
{
	size_t i;
	void *was;

	if (value == NULL)
		return idmap_remove(m, id);
	if ((m->n + 1) * 5 > m->cap * 4)
		grow(m);
	i = find(m, id);
	was = m->slots[i].value;
	if (was == NULL)
		m->n++;
	m->slots[i].id = id;
	m->slots[i].value = value;
	return was;
}

bool
idmap_may_move(size_t home, size_t i, size_t j)
{
	if (i <= j)
		return home <= i || home > j;
	return home <= i && home > j;
}

void *
idmap_remove(struct idmap *m, int64_t id)
{
	size_t i = find(m, id), j;
	void *was = m->slots[i].value;

	if (was == NULL)
		return NULL;
	/* Backward shift: pull later entries of the same run into the
	 * hole, so every run stays unbroken without tombstones. */
	for (j = (i + 1) & (m->cap - 1); m->slots[j].value != NULL;
	     j = (j + 1) & (m->cap - 1)) {
		if (idmap_may_move(hash(m->slots[j].id, m->cap), i, j)) {
			m->slots[i] = m->slots[j];
			i = j;
		}
	}
	m->slots[i].value = NULL;
	m->n--;
	return was;
}

size_t
idmap_count(const struct idmap *m)
{
	return m->n;
}

void
idmap_clear(struct idmap *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		m->slots[i].value = NULL;
	m->n = 0;
}

void *
idmap_next(const struct idmap *m, size_t *pos, int64_t *id)
{
	for (; *pos < m->cap; (*pos)++) {
		if (m->slots[*pos].value != NULL) {
			*id = m->slots[*pos].id;
			return m->slots[(*pos)++].value;
		}
	}
	return NULL;
}
