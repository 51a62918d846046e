/* Unit tests for net/base/xmalloc.c: the growth rule of xgrowarray. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "net/base/xmalloc.h"

/* Room is made only when n reaches a power of two (the capacity then
 * doubles): between two, the array is handed back as it was, so a long
 * run of appends does not copy the array at each one. */
static void
xgrowarray__reallocates_only_at_powers_of_two(void **state)
{
	size_t *a = NULL, *before, n, reallocs = 0;

	(void)state;
	for (n = 0; n < 100000; n++) {
		before = a;
		a = xgrowarray(a, n, sizeof *a);
		if (n != 0 && (n & (n - 1)) != 0)
			assert_ptr_equal(a, before);
		else
			reallocs++;
		a[n] = n;
	}
	assert_int_equal(reallocs, 18); /* 0, 1, 2, 4, ..., 65536 */
	for (n = 0; n < 100000; n++)
		assert_int_equal(a[n], n);
	free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(xgrowarray__reallocates_only_at_powers_of_two),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
