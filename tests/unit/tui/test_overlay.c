/* Unit tests for tui/overlay.c's scrolling rule (overlay_scroll_top),
 * which the text overlays and the question box share. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tui/overlay.h"

/* Where top ends after action a from start (rows 11: a page is 10). */
static size_t
after(size_t start, enum action a)
{
	size_t top = start;

	assert_true(overlay_scroll_top(&top, 11, 25, a));
	return top;
}

static void
overlay__scroll_top__moves_by_rows_pages_and_halves(void **state)
{
	(void)state;
	assert_int_equal(after(3, ACTION_DOWN), 4);
	assert_int_equal(after(3, ACTION_UP), 2);
	assert_int_equal(after(3, ACTION_PAGE_DOWN), 13);
	assert_int_equal(after(13, ACTION_PAGE_UP), 3);
	assert_int_equal(after(3, ACTION_HALF_DOWN), 8);
	assert_int_equal(after(8, ACTION_HALF_UP), 3);
	assert_int_equal(after(7, ACTION_TOP), 0);
	assert_int_equal(after(7, ACTION_BOTTOM), 25);
}

static void
overlay__scroll_top__stays_within_the_text(void **state)
{
	(void)state;
	assert_int_equal(after(0, ACTION_UP), 0);
	assert_int_equal(after(4, ACTION_PAGE_UP), 0);
	assert_int_equal(after(25, ACTION_DOWN), 25);
	assert_int_equal(after(20, ACTION_PAGE_DOWN), 25);
}

static void
overlay__scroll_top__one_row_still_pages(void **state)
{
	size_t top = 5;

	(void)state;
	assert_true(overlay_scroll_top(&top, 1, 9, ACTION_PAGE_DOWN));
	assert_int_equal(top, 6);
}

static void
overlay__scroll_top__ignores_other_actions(void **state)
{
	size_t top = 5;

	(void)state;
	assert_false(overlay_scroll_top(&top, 11, 25, ACTION_OPEN));
	assert_int_equal(top, 5);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    overlay__scroll_top__moves_by_rows_pages_and_halves),
		cmocka_unit_test(overlay__scroll_top__stays_within_the_text),
		cmocka_unit_test(overlay__scroll_top__one_row_still_pages),
		cmocka_unit_test(overlay__scroll_top__ignores_other_actions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
