/* The heap's bytes, for the unit tests that bound what a structure costs
 * (id_order, idmap). */
#ifndef SITECARE_TESTS_HEAP_TEST_H
#define SITECARE_TESTS_HEAP_TEST_H

#include <malloc.h>
#include <stddef.h>

/*
 * ASan's allocator, which mallinfo2() does not see, leaves nothing to
 * measure: byte counts are checked in the plain build only.
 */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

/* Bytes the heap holds, mmapped chunks included. */
static inline size_t
heap_bytes(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

#endif
