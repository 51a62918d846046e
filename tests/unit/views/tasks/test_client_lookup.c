/* Unit tests for views/tasks/client_lookup.c: which client a name means. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "views/tasks/client_lookup.h"

static struct client clients[] = {
	{ .id = 1, .name = "Carla Client" },
	{ .id = 2, .name = "Ann Lee" },
	{ .id = 3, .name = "Anna Brennan" },
	{ .id = 4, .name = "Hanna Ng" },
	{ .id = 5, .name = "Priya Nguyen" },
	{ .id = 6, .name = "Alice Nguyen" },
	{ .id = 7, .name = "Lena Nguyen" },
	{ .id = 8, .name = "Omar Nguyen" },
	{ .id = 9, .name = "Sven Nguyen" },
	{ .id = 10, .name = NULL },
};
#define NCLIENTS (sizeof clients / sizeof clients[0])

static void
client_lookup__match__one_name_any_case(void **state)
{
	char err[256] = "";

	assert_int_equal(
	    client_lookup_match(clients, NCLIENTS, "carla", err, sizeof err),
	    0);
	/* The exact name wins over the names that contain it. */
	assert_int_equal(
	    client_lookup_match(clients, NCLIENTS, "ANN LEE", err, sizeof err),
	    1);
	assert_int_equal(
	    client_lookup_match(clients, NCLIENTS, "brennan", err, sizeof err),
	    2);
	assert_string_equal(err, "");
}

static void
client_lookup__match__several_are_named_not_guessed(void **state)
{
	char err[256];

	assert_int_equal(
	    client_lookup_match(clients, NCLIENTS, "ann", err, sizeof err), -1);
	assert_string_equal(err, "filter: client=ann matches 3 clients: Ann "
	                         "Lee (2), Anna Brennan (3), Hanna Ng (4); "
	                         "give client=ID");
	assert_int_equal(
	    client_lookup_match(clients, NCLIENTS, "nguyen", err, sizeof err),
	    -1);
	assert_non_null(strstr(err, "matches 5 clients: Priya Nguyen (5), "));
	assert_non_null(strstr(err, "Omar Nguyen (8), ...; give client=ID"));
}

static void
client_lookup__match__none_is_said(void **state)
{
	char err[256];

	assert_int_equal(
	    client_lookup_match(clients, NCLIENTS, "zed", err, sizeof err), -1);
	assert_string_equal(err, "filter: no client is named zed");
	assert_int_equal(client_lookup_match(NULL, 0, "zed", err, sizeof err),
	                 -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(client_lookup__match__one_name_any_case),
		cmocka_unit_test(
		    client_lookup__match__several_are_named_not_guessed),
		cmocka_unit_test(client_lookup__match__none_is_said),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
