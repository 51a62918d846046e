/* Unit tests for net/store/strpool.c: interned, counted strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "net/store/strpool.h"

#define N 3000

static void
test_strpool__one_copy_counted_until_the_last_release(void **state)
{
	struct strpool *p = strpool_new();
	char a[] = "Acme Ltd", b[] = "Acme Ltd";
	const char *x, *y;

	(void)state;
	x = strpool_intern(p, a);
	y = strpool_intern(p, b);
	assert_ptr_equal(x, y);
	assert_ptr_not_equal(x, a); /* the pool's own copy */
	assert_string_equal(x, "Acme Ltd");
	assert_int_equal(strpool_count(p), 1);
	assert_null(strpool_intern(p, NULL));
	strpool_release(p, NULL);
	strpool_release(p, x);
	assert_int_equal(strpool_count(p), 1);
	assert_string_equal(y, "Acme Ltd"); /* still held once */
	strpool_release(p, y);
	assert_int_equal(strpool_count(p), 0);
	strpool_free(p);
}

/* Many names through growth, released in another order: every lookup
 * still finds its string (the backward shift keeps probe runs whole). */
static void
test_strpool__agrees_through_growth_and_releases(void **state)
{
	static const char *held[N];
	struct strpool *p = strpool_new();
	char name[32];
	size_t i;

	(void)state;
	for (i = 0; i < N; i++) {
		snprintf(name, sizeof name, "staff %zu", i);
		held[i] = strpool_intern(p, name);
	}
	assert_int_equal(strpool_count(p), N);
	for (i = 0; i < N; i += 2)
		strpool_release(p, held[i]);
	assert_int_equal(strpool_count(p), N / 2);
	for (i = 1; i < N; i += 2) {
		snprintf(name, sizeof name, "staff %zu", i);
		assert_ptr_equal(strpool_intern(p, name), held[i]);
		strpool_release(p, held[i]);
		assert_string_equal(held[i], name);
	}
	for (i = 1; i < N; i += 2)
		strpool_release(p, held[i]);
	assert_int_equal(strpool_count(p), 0);
	strpool_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_strpool__one_copy_counted_until_the_last_release),
		cmocka_unit_test(
		    test_strpool__agrees_through_growth_and_releases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
