/* A hash map from a server id to the one object the store holds for it. */
#ifndef SITECARE_NET_STORE_IDMAP_H
#define SITECARE_NET_STORE_IDMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Open addressing with linear probing and backward-shift deletion, so a
 * lookup, an insert and a removal are O(1) on average however many
 * objects are held and however often they come and go (no tombstones to
 * pile up). The map stores pointers it does not own: the store that
 * holds the objects frees them.
 */
struct idmap;

struct idmap *idmap_new(void);
/*
 * A map whose values hold their own id, an int64_t at id_offset (as a
 * struct task does): its slots hold only the pointer, half the bytes,
 * and a probe reads the value's id. A held value's id must not change,
 * and the map reads it from every value it probes: free a value only
 * once it is removed (or while walking it to free the map).
 */
struct idmap *idmap_new_keyed(size_t id_offset);
void idmap_free(struct idmap *m);

/* The value held for id, or NULL. */
void *idmap_get(const struct idmap *m, int64_t id);
/* Holds value for id, replacing (and returning) any value held before. */
void *idmap_put(struct idmap *m, int64_t id, void *value);
/* Forgets id; returns the value it held, or NULL. */
void *idmap_remove(struct idmap *m, int64_t id);
size_t idmap_count(const struct idmap *m);
/* Forgets everything (the values are the caller's to free first). */
void idmap_clear(struct idmap *m);

/*
 * Walks the map in no particular order: start *pos at 0; each call
 * returns the next value and sets *id, or NULL at the end. The map must
 * not change during a walk.
 */
void *idmap_next(const struct idmap *m, size_t *pos, int64_t *id);

#endif
