/* Unit tests for net/base/hash.c: FNV-1a as published. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "net/base/hash.h"

/* The reference values of FNV-1a 64 (draft-eastlake-fnv). */
static void
hash__bytes__matches_the_reference_values(void **state)
{
	(void)state;
	assert_true(hash_bytes(HASH_INIT, "", 0) == 0xcbf29ce484222325ULL);
	assert_true(hash_bytes(HASH_INIT, "a", 1) == 0xaf63dc4c8601ec8cULL);
	assert_true(hash_bytes(HASH_INIT, "foobar", 6) ==
	            0x85944171f73967e8ULL);
}

/* Strings are folded with their NUL, so where one ends is part of it. */
static void
hash__str__splits_differ_and_null_is_empty(void **state)
{
	(void)state;
	assert_true(hash_str(hash_str(HASH_INIT, "ab"), "c") !=
	            hash_str(hash_str(HASH_INIT, "a"), "bc"));
	assert_true(hash_str(HASH_INIT, NULL) == hash_str(HASH_INIT, ""));
	assert_true(hash_str(HASH_INIT, "a") == hash_bytes(HASH_INIT, "a", 2));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hash__bytes__matches_the_reference_values),
		cmocka_unit_test(hash__str__splits_differ_and_null_is_empty),
	};

	return cmocka_run_group_tests_name("net/base/hash", tests, NULL, NULL);
}
