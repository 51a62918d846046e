/* Small objects packed by size: see slab.h. */
#include "net/store/slab.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "net/base/xmalloc.h"

#if defined(__SANITIZE_ADDRESS__)
#define SLAB_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SLAB_ASAN 1
#endif
#endif

#ifdef SLAB_ASAN
#include <sanitizer/asan_interface.h>
/* Under ASan a free piece (and a chunk's unused end) is poisoned, so a
 * pointer kept past slab_free() is reported as with free(). */
#define POISON(p, n)   ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n)   ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define CHUNK 16384 /* bytes, and the alignment that finds the header */
/*
 * Chunks are cut from mappings of this many: malloc's aligned pieces
 * (posix_memalign) leave a hole before each, which the heap fills with
 * short-lived garbage (218 bytes a row at 100,000 rows, against 164
 * with a malloc a row). A mapping's pages cost nothing until a chunk is
 * cut from them, and only the first chunk's alignment is lost.
 */
#define REGION_CHUNKS 64
#define REGION        ((size_t)CHUNK * (REGION_CHUNKS + 1))
#define ALIGN         8
#define CLASSES       (SLAB_MAX / ALIGN + 1)

/* A chunk's header; its pieces of `size` bytes follow. */
struct chunk {
	size_t size;
	size_t used; /* bytes handed out from the chunk's start, header too */
};

#define HEADER ((sizeof(struct chunk) + ALIGN - 1) / ALIGN * ALIGN)

/* A mapping chunks are cut from: this header at its start, its chunks
 * from the next CHUNK boundary on. */
struct region {
	struct region *next;
	char *cut; /* the next chunk */
	char *end;
};

/* One size's pieces: freed ones (each holds the next), and the chunk
 * new ones are cut from. */
struct size_class {
	void *freed;
	struct chunk *cur;
};

struct slab {
	struct size_class c[CLASSES];
	struct region *regions;
	size_t chunks; /* cut so far */
};

struct slab *
slab_new(void)
{
	return xcalloc(1, sizeof(struct slab));
}

void
slab_free_all(struct slab *s)
{
	struct region *r, *next;

	if (s == NULL)
		return;
	for (r = s->regions; r != NULL; r = next) {
		next = r->next;
		UNPOISON(r, REGION);
		munmap(r, REGION);
	}
	free(s);
}

/* The chunk p was cut from. */
static struct chunk *
chunk_of(const void *p)
{
	return (struct chunk *)((uintptr_t)p & ~(uintptr_t)(CHUNK - 1));
}

/* A new mapping to cut chunks from. */
static struct region *
region_new(struct slab *s)
{
	void *mem = mmap(NULL, REGION, PROT_READ | PROT_WRITE,
	                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct region *r;
	uintptr_t first;

	if (mem == MAP_FAILED)
		abort(); /* as xmalloc does when memory runs out */
	r = mem;
	first = ((uintptr_t)(r + 1) + CHUNK - 1) & ~(uintptr_t)(CHUNK - 1);
	r->cut = (char *)first;
	r->end = (char *)mem + REGION;
	r->next = s->regions;
	s->regions = r;
	return r;
}

/* A new chunk for pieces of size, made the class's current one. */
static struct chunk *
chunk_new(struct slab *s, struct size_class *c, size_t size)
{
	struct region *r = s->regions;
	struct chunk *k;

	if (r == NULL || r->cut + CHUNK > r->end)
		r = region_new(s);
	k = (struct chunk *)r->cut;
	r->cut += CHUNK;
	s->chunks++;
	k->size = size;
	k->used = HEADER;
	c->cur = k;
	POISON((char *)k + HEADER, CHUNK - HEADER);
	return k;
}

void *
slab_alloc(struct slab *s, size_t n)
{
	size_t size = n < ALIGN ? ALIGN : (n + ALIGN - 1) / ALIGN * ALIGN;
	struct size_class *c;
	struct chunk *k;
	void *p;

	if (n > SLAB_MAX)
		return NULL;
	c = &s->c[size / ALIGN];
	if (c->freed != NULL) {
		p = c->freed;
		UNPOISON(p, size);
		c->freed = *(void **)p;
		return p;
	}
	k = c->cur;
	if (k == NULL || k->used + size > CHUNK)
		k = chunk_new(s, c, size);
	p = (char *)k + k->used;
	k->used += size;
	UNPOISON(p, size);
	return p;
}

size_t
slab_bytes(const struct slab *s)
{
	return s->chunks * CHUNK;
}

size_t
slab_size(const void *p)
{
	return chunk_of(p)->size;
}

void
slab_free(struct slab *s, void *p)
{
	struct size_class *c;
	size_t size;

	if (p == NULL)
		return;
	size = chunk_of(p)->size;
	c = &s->c[size / ALIGN];
	*(void **)p = c->freed;
	c->freed = p;
	POISON(p, size); /* the link too: slab_alloc unpoisons to read it */
}
