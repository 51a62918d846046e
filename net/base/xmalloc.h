/* Allocation that cannot fail: out of memory is the one abort we allow. */
#ifndef SITECARE_NET_XMALLOC_H
#define SITECARE_NET_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
/* Grows an array of n elements of size each, checking for overflow. */
void *xreallocarray(void *p, size_t n, size_t size);
/* Makes room for element n of an array that only grows one element at a
 * time through this call (from NULL, or emptied to NULL): amortised
 * constant, where xreallocarray(p, n + 1, size) copies all n each time. */
void *xgrowarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* A malloc'd printf; the caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
