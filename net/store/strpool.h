/* Interned strings: one copy of each distinct text, shared by reference. */
#ifndef SITECARE_NET_STORE_STRPOOL_H
#define SITECARE_NET_STORE_STRPOOL_H

#include <stddef.h>

/*
 * The names a big queue repeats on every row (a client's name and
 * company, an assignee's name) take few distinct values: a store keeps
 * one counted copy of each here instead of one per row. The table is
 * open-addressed by the text's hash with backward-shift deletion (as
 * idmap.h), so interning and releasing cost O(1) on average. A string
 * handed out stays valid until released as often as it was interned;
 * the last release frees it.
 */
struct strpool;

struct strpool *strpool_new(void);
/* Frees the pool; every string it handed out must have been released. */
void strpool_free(struct strpool *p);

/* The pool's copy of s (counted once more), or NULL for NULL. */
const char *strpool_intern(struct strpool *p, const char *s);
/* Gives back one reference to s (from this pool, or NULL). */
void strpool_release(struct strpool *p, const char *s);
/* How many distinct strings the pool holds. */
size_t strpool_count(const struct strpool *p);

#endif
