/* FNV-1a: see hash.h. */
#include "net/base/hash.h"

#include <string.h>

uint64_t
hash_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t k;

	for (k = 0; k < n; k++)
		h = (h ^ b[k]) * 1099511628211ULL;
	return h;
}

uint64_t
hash_str(uint64_t h, const char *s)
{
	return hash_bytes(h, s != NULL ? s : "", s != NULL ? strlen(s) + 1 : 1);
}
