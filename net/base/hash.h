/* FNV-1a, 64 bits: keys of maps and signatures of what was drawn. */
#ifndef SITECARE_NET_HASH_H
#define SITECARE_NET_HASH_H

#include <stddef.h>
#include <stdint.h>

/* The start value: hash_bytes(HASH_INIT, ...) then more. */
#define HASH_INIT 14695981039346656037ULL

/* Folds n bytes at p into h. Not for secrets: FNV is not keyed. */
uint64_t hash_bytes(uint64_t h, const void *p, size_t n);

/* Folds s and its NUL (so "ab","c" and "a","bc" differ); NULL as "". */
uint64_t hash_str(uint64_t h, const char *s);

#endif
