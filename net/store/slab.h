/* Small objects of many sizes, packed without malloc's per-object cost. */
#ifndef SITECARE_NET_STORE_SLAB_H
#define SITECARE_NET_STORE_SLAB_H

#include <stddef.h>

/*
 * The task store's rows (a struct and its title, 100 to 200 bytes) come
 * by the hundred thousand and live as long as the store: malloc gives
 * each an 8-byte header and rounds it to 16 bytes, about 12 bytes a row
 * for nothing. A slab hands out pieces rounded to 8 bytes, without a
 * header: each chunk (16 KB, aligned to its size) holds pieces of one
 * size, which its own header names, so slab_size() and slab_free() need
 * only the pointer. Freed pieces are kept for the next of their size;
 * the chunks (cut from anonymous mappings) go with the slab.
 */
struct slab;

/* Pieces at most this big (larger asks get NULL). */
#define SLAB_MAX 2048

struct slab *slab_new(void);
/* Frees every piece and the slab. */
void slab_free_all(struct slab *s);

/* A piece of at least n bytes (n <= SLAB_MAX), 8-aligned; NULL if bigger. */
void *slab_alloc(struct slab *s, size_t n);
/* The piece's usable size: n rounded up to 8. */
size_t slab_size(const void *p);
/* Gives p (from slab_alloc on s) back; NULL does nothing. */
void slab_free(struct slab *s, void *p);
/* Bytes of the chunks cut so far: what the pieces can hold resident
 * (malloc's counters do not see them). */
size_t slab_bytes(const struct slab *s);

#endif
