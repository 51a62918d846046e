/* Unit tests for tui/action_words.c: actions said in the member's terms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tui/action_words.h"

/* The help's first clause, first letter lowered. */
static void
action_words__words__first_clause_of_the_help(void **state)
{
	char buf[96];

	(void)state;
	action_words(ACTION_UNMARK_ALL, buf, sizeof buf);
	assert_string_equal(buf, "clear every mark");
	action_words(ACTION_ASSIGN_ME, buf, sizeof buf);
	assert_string_equal(buf, "take the task");
	action_words(ACTION_EXPORT, buf, sizeof buf);
	assert_string_equal(buf, "write the list as CSV");
	action_words(ACTION_NOTE, buf, sizeof buf);
	assert_string_equal(buf, "add an internal note");
}

/* A key in its printed form, a typed command as typed, else words. */
static void
action_words__said__key_command_or_words(void **state)
{
	char buf[160];

	(void)state;
	action_words_said(ACTION_UNASSIGN, 'U', false, buf, sizeof buf);
	assert_string_equal(buf, "U (assign to nobody)");
	action_words_said(ACTION_UNMARK_ALL, KEYC_ESCAPE, false, buf,
	                  sizeof buf);
	assert_string_equal(buf, "Escape (clear every mark)");
	action_words_said(ACTION_UNMARK_ALL, KEYC_NONE, true, buf, sizeof buf);
	assert_string_equal(buf, ":unmark-all");
	action_words_said(ACTION_UP, KEYC_NONE, false, buf, sizeof buf);
	assert_string_equal(buf, "move up one row");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(action_words__words__first_clause_of_the_help),
		cmocka_unit_test(action_words__said__key_command_or_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
