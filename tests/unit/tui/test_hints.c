/* Unit tests for tui/hints.c: the hint bar's text from the bindings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tui/hints.h"

static const char keys[] = "bind ? help\n"
                           "bind -c list j down\n"
                           "bind -c list k up\n"
                           "bind -c list x open\n"
                           "bind -c list / search\n";

static const struct hint table[] = {
	{ ACTION_DOWN, ACTION_UP, "move" },
	{ ACTION_SORT, ACTION_NONE, "sort" }, /* unbound: left out */
	{ ACTION_OPEN, ACTION_NONE, "open" },
	{ ACTION_SEARCH, ACTION_NONE, "search" },
	{ ACTION_HELP, ACTION_NONE, "help" },
	{ ACTION_NONE, ACTION_NONE, NULL },
};

/* Bindings from keys, with no errors. */
static struct bindings *
load(void)
{
	struct bindings *b = bindings_new();
	struct bindings_errors errs = { 0 };

	assert_int_equal(bindings_load(b, keys, "test", &errs), 0);
	bindings_errors_free(&errs);
	return b;
}

static void
hints__format__live_keys_and_unbound_left_out(void **state)
{
	struct bindings *b = load();
	char buf[128];

	hints_format(b, KEYCTX_LIST, table, 80, buf, sizeof buf);
	assert_string_equal(buf, "j/k move  x open  / search  ? help");
	bindings_free(b);
}

static void
hints__format__whole_entries_only(void **state)
{
	struct bindings *b = load();
	char buf[128];

	/* "j/k move  x open" is 16 columns: "/ search" does not fit. */
	hints_format(b, KEYCTX_LIST, table, 20, buf, sizeof buf);
	assert_string_equal(buf, "j/k move  x open");
	hints_format(b, KEYCTX_LIST, table, 16, buf, sizeof buf);
	assert_string_equal(buf, "j/k move  x open");
	hints_format(b, KEYCTX_LIST, table, 15, buf, sizeof buf);
	assert_string_equal(buf, "j/k move");
	hints_format(b, KEYCTX_LIST, table, 3, buf, sizeof buf);
	assert_string_equal(buf, "");
	bindings_free(b);
}

static void
hints__for_context__every_context_has_a_table(void **state)
{
	int ctx;

	for (ctx = 0; ctx < KEYCTX_COUNT; ctx++) {
		const struct hint *h = hints_for_context((enum key_context)ctx);

		assert_non_null(h);
		assert_non_null(h[0].label);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hints__format__live_keys_and_unbound_left_out),
		cmocka_unit_test(hints__format__whole_entries_only),
		cmocka_unit_test(hints__for_context__every_context_has_a_table),
	};

	return cmocka_run_group_tests_name("tui/hints", tests, NULL, NULL);
}
