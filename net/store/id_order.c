/* An ordered list of ids: see id_order.h. */
#include "net/store/id_order.h"

#include <stdlib.h>
#include <string.h>

#include "net/base/xmalloc.h"
#include "net/store/idmap.h"

/*
 * Ids a block holds at most: 4 KB of ids, so a move inside a block is a
 * short memmove and the index of blocks stays a few hundred entries at
 * 200,000 rows.
 */
#define BLOCK 512

/*
 * A run of consecutive ids of the order; idx is its place in blocks,
 * which changes as blocks come and go, handle its number for the
 * owner's cells, which does not.
 */
struct block {
	uint32_t n;
	uint32_t idx;
	uint32_t handle;
	int64_t ids[BLOCK];
};

/*
 * The blocks by handle, so an owner's cell is 4 bytes (the room a
 * struct task has spare) instead of a pointer: of[h] is block h (NULL
 * when free), spare the free handles; handle 0 is never given (an empty
 * cell).
 */
struct handles {
	struct block **of;
	uint32_t *spare;
	size_t n, cap, nspare;
};

/*
 * How many ids come before each block. Kept apart from struct id_order
 * so the const lookups can bring it up to date: only the first `fresh`
 * entries are right, and a change to block i makes the later ones
 * stale, so a run of appends never walks the index.
 */
struct starts {
	size_t *at;
	size_t fresh;
};

struct id_order {
	struct block **blocks;
	size_t nb, cap;
	size_t count;
	struct starts *starts;
	/* id -> its block's handle: the owner's cells, else the order's
	 * own map (to the block) */
	uint32_t *(*cell)(void *ud, int64_t id);
	void *ud;
	struct handles h;
	struct idmap *where;
};

struct id_order *
id_order_new_in(uint32_t *(*cell)(void *ud, int64_t id), void *ud)
{
	struct id_order *o = xcalloc(1, sizeof *o);

	o->cell = cell;
	o->ud = ud;
	o->h.n = 1;
	if (cell == NULL)
		o->where = idmap_new();
	o->starts = xcalloc(1, sizeof *o->starts);
	return o;
}

struct id_order *
id_order_new(void)
{
	return id_order_new_in(NULL, NULL);
}

/* id's block, or NULL when id is not in the order. */
static struct block *
block_get(const struct id_order *o, int64_t id)
{
	uint32_t *c;

	if (o->cell == NULL)
		return idmap_get(o->where, id);
	c = o->cell(o->ud, id);
	return c != NULL && *c != 0 ? o->h.of[*c] : NULL;
}

/* Notes id's block (NULL: id left the order). */
static void
block_set(struct id_order *o, int64_t id, struct block *b)
{
	if (o->cell != NULL)
		*o->cell(o->ud, id) = b != NULL ? b->handle : 0;
	else if (b != NULL)
		idmap_put(o->where, id, b);
	else
		idmap_remove(o->where, id);
}

/* Frees every block, leaving the ids' cells as they are. */
static void
blocks_free(struct id_order *o)
{
	size_t i;

	for (i = 0; i < o->nb; i++)
		free(o->blocks[i]);
	o->h.n = 1;
	o->h.nspare = 0;
	o->nb = 0;
	o->count = 0;
	o->starts->fresh = 0;
}

void
id_order_clear(struct id_order *o)
{
	size_t i;
	uint32_t k;

	if (o->cell == NULL)
		idmap_clear(o->where);
	else
		for (i = 0; i < o->nb; i++)
			for (k = 0; k < o->blocks[i]->n; k++)
				block_set(o, o->blocks[i]->ids[k], NULL);
	blocks_free(o);
}

void
id_order_free(struct id_order *o)
{
	if (o == NULL)
		return;
	blocks_free(o); /* the owner's cells may be gone already */
	free(o->blocks);
	free(o->starts->at);
	free(o->starts);
	free(o->h.of);
	free(o->h.spare);
	idmap_free(o->where);
	free(o);
}

size_t
id_order_count(const struct id_order *o)
{
	return o->count;
}

bool
id_order_has(const struct id_order *o, int64_t id)
{
	return block_get(o, id) != NULL;
}

/* Block i's count changed, or a block came or went at i. */
static void
stale_from(struct id_order *o, size_t i)
{
	if (o->starts->fresh > i)
		o->starts->fresh = i;
}

/* The number of ids before block i, the index brought up to date. */
static size_t
start_of(const struct id_order *o, size_t i)
{
	struct starts *s = o->starts;

	if (s->fresh == 0 && o->nb > 0) {
		s->at[0] = 0;
		s->fresh = 1;
	}
	for (; s->fresh <= i; s->fresh++)
		s->at[s->fresh] =
		    s->at[s->fresh - 1] + o->blocks[s->fresh - 1]->n;
	return s->at[i];
}

long long
id_order_pos(const struct id_order *o, int64_t id)
{
	const struct block *b = block_get(o, id);
	uint32_t k;

	if (b == NULL)
		return -1;
	for (k = 0; b->ids[k] != id; k++)
		;
	return (long long)(start_of(o, b->idx) + k);
}

/* The block holding pos (< count): the last one starting at or before. */
static size_t
block_of(const struct id_order *o, size_t pos)
{
	size_t lo = 0, hi = o->nb - 1;

	start_of(o, hi);
	while (lo < hi) {
		size_t mid = lo + (hi - lo + 1) / 2;

		if (o->starts->at[mid] <= pos)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

int64_t
id_order_at(const struct id_order *o, size_t pos)
{
	size_t i;

	if (pos >= o->count)
		abort(); /* the caller's bug */
	i = block_of(o, pos);
	return o->blocks[i]->ids[pos - o->starts->at[i]];
}

/* Renumbers the blocks from i on, after one came or went at i. */
static void
renumber(struct id_order *o, size_t i)
{
	for (; i < o->nb; i++)
		o->blocks[i]->idx = (uint32_t)i;
	stale_from(o, i);
}

/* Gives b a handle: a spare one, else the next. */
static void
handle_new(struct handles *h, struct block *b)
{
	if (h->nspare > 0) {
		b->handle = h->spare[--h->nspare];
	} else {
		if (h->n >= h->cap) {
			h->cap = h->cap != 0 ? h->cap * 2 : 8;
			h->of = xreallocarray(h->of, h->cap, sizeof *h->of);
			h->spare =
			    xreallocarray(h->spare, h->cap, sizeof *h->spare);
		}
		b->handle = (uint32_t)h->n++;
	}
	h->of[b->handle] = b;
}

/* A new empty block at index i. */
static struct block *
block_add(struct id_order *o, size_t i)
{
	struct block *b = xmalloc(sizeof *b);

	handle_new(&o->h, b);

	if (o->nb == o->cap) {
		o->cap = o->cap != 0 ? o->cap * 2 : 8;
		o->blocks = xreallocarray(o->blocks, o->cap, sizeof *o->blocks);
		o->starts->at =
		    xreallocarray(o->starts->at, o->cap, sizeof *o->starts->at);
	}
	memmove(&o->blocks[i + 1], &o->blocks[i],
	        (o->nb - i) * sizeof *o->blocks);
	b->n = 0;
	o->blocks[i] = b;
	o->nb++;
	stale_from(o, i);
	renumber(o, i);
	return b;
}

/* Takes block i out (its ids are gone or moved) and frees it. */
static void
block_drop(struct id_order *o, size_t i)
{
	o->h.of[o->blocks[i]->handle] = NULL;
	o->h.spare[o->h.nspare++] = o->blocks[i]->handle;
	free(o->blocks[i]);
	o->nb--;
	memmove(&o->blocks[i], &o->blocks[i + 1],
	        (o->nb - i) * sizeof *o->blocks);
	stale_from(o, i);
	renumber(o, i);
}

/* Moves b's ids from k on to the end of dst, telling the map. */
static void
move_ids(struct id_order *o, struct block *b, uint32_t k, struct block *dst)
{
	uint32_t j;

	for (j = k; j < b->n; j++) {
		dst->ids[dst->n++] = b->ids[j];
		block_set(o, b->ids[j], dst);
	}
	b->n = k;
}

/*
 * Splits the full block i at k: the ids from k on go to a new block
 * after it. Splitting where the insertion is (not in the middle) keeps
 * blocks full when ids come in order, at the end or at one place (a
 * tail page, each id just after the gap).
 */
static void
split(struct id_order *o, size_t i, uint32_t k)
{
	struct block *b = o->blocks[i];

	move_ids(o, b, k, block_add(o, i + 1));
	stale_from(o, i);
}

/* Puts id at k in block i, which has room. */
static void
put_in(struct id_order *o, size_t i, uint32_t k, int64_t id)
{
	struct block *b = o->blocks[i];

	memmove(&b->ids[k + 1], &b->ids[k], (b->n - k) * sizeof *b->ids);
	b->ids[k] = id;
	b->n++;
	block_set(o, id, b);
	stale_from(o, i + 1);
}

bool
id_order_insert(struct id_order *o, size_t pos, int64_t id)
{
	size_t i;
	uint32_t k;

	if (id_order_has(o, id) ||
	    (o->cell != NULL && o->cell(o->ud, id) == NULL))
		return false;
	if (o->nb == 0)
		block_add(o, 0);
	i = pos < o->count ? block_of(o, pos) : o->nb - 1;
	k = (uint32_t)(pos - start_of(o, i));
	/* At a block's start, the block before may have room at its end. */
	if (k == 0 && i > 0 && o->blocks[i - 1]->n < BLOCK) {
		i--;
		k = o->blocks[i]->n;
	}
	if (o->blocks[i]->n == BLOCK) {
		split(o, i, k);
		if (k == BLOCK) { /* at the end: the new block is empty */
			i++;
			k = 0;
		}
	}
	put_in(o, i, k, id);
	o->count++;
	return true;
}

/*
 * After a removal from block i: an empty block goes, and a block that
 * with its next one would fill at most half a block takes the next
 * one's ids, so removals never leave a long index of sparse blocks.
 */
static void
compact(struct id_order *o, size_t i)
{
	struct block *b = o->blocks[i];

	if (b->n == 0) {
		block_drop(o, i);
		return;
	}
	if (i > 0 && o->blocks[i - 1]->n + b->n <= BLOCK / 2)
		b = o->blocks[--i];
	if (i + 1 < o->nb && b->n + o->blocks[i + 1]->n <= BLOCK / 2) {
		move_ids(o, o->blocks[i + 1], 0, b);
		block_drop(o, i + 1);
		stale_from(o, i);
	}
}

long long
id_order_remove(struct id_order *o, int64_t id)
{
	long long pos = id_order_pos(o, id);
	struct block *b = block_get(o, id);
	uint32_t k;

	if (b == NULL)
		return -1;
	block_set(o, id, NULL);
	k = (uint32_t)((size_t)pos - start_of(o, b->idx));
	memmove(&b->ids[k], &b->ids[k + 1], (b->n - k - 1) * sizeof *b->ids);
	b->n--;
	o->count--;
	stale_from(o, b->idx + 1);
	compact(o, b->idx);
	return pos;
}

size_t
id_order_place(const struct id_order *o, bool (*before)(void *ud, int64_t id),
               void *ud)
{
	size_t lo = 0, hi = o->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (before(ud, id_order_at(o, mid)))
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}
