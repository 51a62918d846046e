/* Interned strings: see strpool.h. */
#include "net/store/strpool.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/base/xmalloc.h"
#include "net/store/idmap.h"

#define MIN_CAP 16

/* One distinct string, its count of references and its hash. */
struct entry {
	uint32_t refs;
	uint32_t hash;
	char s[];
};

struct strpool {
	struct entry **slots; /* NULL: free */
	size_t cap;           /* a power of two */
	size_t n;
};

/* FNV-1a: names are short, and this spreads them well enough. */
static uint32_t
hash_of(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

struct strpool *
strpool_new(void)
{
	struct strpool *p = xcalloc(1, sizeof *p);

	p->cap = MIN_CAP;
	p->slots = xcalloc(p->cap, sizeof *p->slots);
	return p;
}

void
strpool_free(struct strpool *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->cap; i++)
		free(p->slots[i]);
	free(p->slots);
	free(p);
}

/* The slot holding s (hash h), or the free slot where it would go. */
static size_t
find(const struct strpool *p, const char *s, uint32_t h)
{
	size_t i = h & (p->cap - 1);

	while (p->slots[i] != NULL &&
	       (p->slots[i]->hash != h || strcmp(p->slots[i]->s, s) != 0))
		i = (i + 1) & (p->cap - 1);
	return i;
}

/* Doubles the table when it is 3/4 full, so probes stay short. */
static void
grow(struct strpool *p)
{
	struct entry **old = p->slots;
	size_t oldcap = p->cap, i, j;

	p->cap *= 2;
	p->slots = xcalloc(p->cap, sizeof *p->slots);
	for (i = 0; i < oldcap; i++) {
		if (old[i] == NULL)
			continue;
		j = old[i]->hash & (p->cap - 1);
		while (p->slots[j] != NULL)
			j = (j + 1) & (p->cap - 1);
		p->slots[j] = old[i];
	}
	free(old);
}

const char *
strpool_intern(struct strpool *p, const char *s)
{
	uint32_t h;
	size_t i, len;
	struct entry *e;

	if (s == NULL)
		return NULL;
	if ((p->n + 1) * 4 > p->cap * 3)
		grow(p);
	h = hash_of(s);
	i = find(p, s, h);
	if (p->slots[i] == NULL) {
		len = strlen(s);
		e = xmalloc(sizeof *e + len + 1);
		e->refs = 0;
		e->hash = h;
		memcpy(e->s, s, len + 1);
		p->slots[i] = e;
		p->n++;
	}
	p->slots[i]->refs++;
	return p->slots[i]->s;
}

/* Empties slot i without breaking any probe run (backward shift). */
static void
unslot(struct strpool *p, size_t i)
{
	size_t j;

	for (j = (i + 1) & (p->cap - 1); p->slots[j] != NULL;
	     j = (j + 1) & (p->cap - 1)) {
		if (idmap_may_move(p->slots[j]->hash & (p->cap - 1), i, j)) {
			p->slots[i] = p->slots[j];
			i = j;
		}
	}
	p->slots[i] = NULL;
	p->n--;
}

void
strpool_release(struct strpool *p, const char *s)
{
	struct entry *e;
	size_t i;

	if (s == NULL)
		return;
	e = (struct entry *)(void *)(s - offsetof(struct entry, s));
	if (--e->refs > 0)
		return;
	i = e->hash & (p->cap - 1);
	while (p->slots[i] != e)
		i = (i + 1) & (p->cap - 1);
	unslot(p, i);
	free(e);
}

size_t
strpool_count(const struct strpool *p)
{
	return p->n;
}
