/* A hash map from a server id to an object: see idmap.h. */
#include "net/store/idmap.h"

#include <stdlib.h>
#include <string.h>

#include "net/base/xmalloc.h"

#define MIN_CAP 16

/*
 * The slots as two arrays: values (NULL: free) and their ids, or, in a
 * keyed map, values alone, each holding its own id at `off`: 8 bytes a
 * slot instead of 16 (about 10 bytes an id at 4/5 full), for a probe
 * that reads the value's id instead of the slot's.
 */
struct idmap {
	void **vals;
	int64_t *ids; /* NULL in a keyed map */
	size_t off;   /* keyed: where a value holds its id */
	size_t cap;   /* a power of two */
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

/* Slot arrays of cap entries, ids only when the map is not keyed. */
static void
alloc_slots(struct idmap *m)
{
	m->vals = xcalloc(m->cap, sizeof *m->vals);
	m->ids = m->off == SIZE_MAX ? xcalloc(m->cap, sizeof *m->ids) : NULL;
}

/* A map whose ids sit in its slots (off SIZE_MAX) or in its values. */
static struct idmap *
map_new(size_t off)
{
	struct idmap *m = xcalloc(1, sizeof *m);

	m->cap = MIN_CAP;
	m->off = off;
	alloc_slots(m);
	return m;
}

struct idmap *
idmap_new(void)
{
	return map_new(SIZE_MAX);
}

struct idmap *
idmap_new_keyed(size_t id_offset)
{
	return map_new(id_offset);
}

void
idmap_free(struct idmap *m)
{
	if (m == NULL)
		return;
	free(m->vals);
	free(m->ids);
	free(m);
}

/* The id a keyed map's value holds. */
static int64_t
value_id(const struct idmap *m, const void *value)
{
	int64_t id;

	memcpy(&id, (const char *)value + m->off, sizeof id);
	return id;
}

/* The id of the taken slot i. */
static int64_t
id_at(const struct idmap *m, size_t i)
{
	return m->ids != NULL ? m->ids[i] : value_id(m, m->vals[i]);
}

/* The slot holding id, or the free slot where it would go. */
static size_t
find(const struct idmap *m, int64_t id)
{
	size_t i = hash(id, m->cap);

	while (m->vals[i] != NULL && id_at(m, i) != id)
		i = (i + 1) & (m->cap - 1);
	return i;
}

/* Fills slot i. */
static void
set(struct idmap *m, size_t i, int64_t id, void *value)
{
	m->vals[i] = value;
	if (m->ids != NULL)
		m->ids[i] = id;
}

void *
idmap_get(const struct idmap *m, int64_t id)
{
	return m->vals[find(m, id)];
}

/*
 * Doubles the table when it is 4/5 full: probes stay short (about 3 for
 * a hit, 13 for a miss, within a few cache lines of slots), and a big
 * queue's maps stay one size smaller than at 3/4 (100,000 ids fit
 * 131,072 slots: 21 bytes an id, not 42; 10.5 in a keyed map).
 */
static void
grow(struct idmap *m)
{
	void **vals = m->vals;
	int64_t *ids = m->ids;
	size_t oldcap = m->cap, i;
	int64_t id;

	m->cap *= 2;
	alloc_slots(m);
	for (i = 0; i < oldcap; i++) {
		if (vals[i] == NULL)
			continue;
		id = ids != NULL ? ids[i] : value_id(m, vals[i]);
		set(m, find(m, id), id, vals[i]);
	}
	free(vals);
	free(ids);
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
	was = m->vals[i];
	if (was == NULL)
		m->n++;
	set(m, i, id, value);
	return was;
}

/*
 * The backward-shift rule: true when the entry at slot j, whose home
 * slot is home, may move back into the hole at slot i.
 */
static bool
may_move(size_t home, size_t i, size_t j)
{
	if (i <= j)
		return home <= i || home > j;
	return home <= i && home > j;
}

void *
idmap_remove(struct idmap *m, int64_t id)
{
	size_t i = find(m, id), j;
	void *was = m->vals[i];

	if (was == NULL)
		return NULL;
	/* Backward shift: pull later entries of the same run into the
	 * hole, so every run stays unbroken without tombstones. */
	for (j = (i + 1) & (m->cap - 1); m->vals[j] != NULL;
	     j = (j + 1) & (m->cap - 1)) {
		if (may_move(hash(id_at(m, j), m->cap), i, j)) {
			set(m, i, id_at(m, j), m->vals[j]);
			i = j;
		}
	}
	m->vals[i] = NULL;
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
		m->vals[i] = NULL;
	m->n = 0;
}

void *
idmap_next(const struct idmap *m, size_t *pos, int64_t *id)
{
	for (; *pos < m->cap; (*pos)++) {
		if (m->vals[*pos] != NULL) {
			*id = id_at(m, *pos);
			return m->vals[(*pos)++];
		}
	}
	return NULL;
}
