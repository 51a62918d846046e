/* Unit tests for net/base/uuid.c: random v4 uuids and their validation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/base/uuid.h"

#define MANY 10000

static void
uuid__v4__format(void **state)
{
	char u[UUID_STRLEN + 1];
	int round;
	size_t i;

	for (round = 0; round < 200; round++) {
		memset(u, 'Z', sizeof u);
		uuid_v4(u);
		assert_int_equal(strlen(u), 36);
		for (i = 0; i < 36; i++) {
			if (i == 8 || i == 13 || i == 18 || i == 23)
				assert_int_equal(u[i], '-');
			else
				assert_non_null(
				    strchr("0123456789abcdef", u[i]));
		}
		assert_int_equal(u[14], '4');           /* version */
		assert_non_null(strchr("89ab", u[19])); /* variant 10 */
		assert_true(uuid_valid(u));
	}
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void
uuid__v4__unique(void **state)
{
	char(*u)[UUID_STRLEN + 1] = calloc(MANY, sizeof *u);
	size_t i;

	assert_non_null(u);
	for (i = 0; i < MANY; i++)
		uuid_v4(u[i]);
	qsort(u, MANY, sizeof *u, cmp_str);
	for (i = 1; i < MANY; i++)
		assert_string_not_equal(u[i - 1], u[i]);
	free(u);
}

static void
uuid__valid__accepts_and_rejects(void **state)
{
	assert_true(uuid_valid("0b8e6c1e-2f4a-4c1d-9e3b-5a6f7d8c9e0f"));
	assert_true(uuid_valid("00000000-0000-0000-0000-000000000000"));
	assert_false(uuid_valid(NULL));
	assert_false(uuid_valid(""));
	/* Upper case, a missing or extra character, dashes elsewhere. */
	assert_false(uuid_valid("0B8E6C1E-2F4A-4C1D-9E3B-5A6F7D8C9E0F"));
	assert_false(uuid_valid("0b8e6c1e-2f4a-4c1d-9e3b-5a6f7d8c9e0"));
	assert_false(uuid_valid("0b8e6c1e-2f4a-4c1d-9e3b-5a6f7d8c9e0f0"));
	assert_false(uuid_valid("0b8e6c1e2-f4a-4c1d-9e3b-5a6f7d8c9e0f"));
	assert_false(uuid_valid("0b8e6c1e-2f4a-4c1d-9e3b-5a6f7d8c9e0g"));
	assert_false(uuid_valid("0b8e6c1e-2f4a-4c1d-9e3b-5a6f7d8c9e0f\n"));
	/* Anything path-like. */
	assert_false(uuid_valid("../../../../../../etc/passwd"));
	assert_false(uuid_valid("0b8e6c1e-2f4a-4c1d-9e3b-5a6f7d8c9/../"));
	assert_false(uuid_valid("0b8e6c1e-2f4a-4c1d-9e3b-5a6f7d8c9e0f/x"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(uuid__v4__format),
		cmocka_unit_test(uuid__v4__unique),
		cmocka_unit_test(uuid__valid__accepts_and_rejects),
	};

	return cmocka_run_group_tests_name("net/uuid", tests, NULL, NULL);
}
