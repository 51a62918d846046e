/* Unit tests for tui/tmux_buffer.c: which of tmux's paste buffers are a
 * copied secret's, from `tmux list-buffers` output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tui/tmux_buffer.h"

/* Picks from listing (a C string) with marks; returns how many. */
static size_t
pick(const char *listing, const struct tmux_buffer_mark *marks, size_t n,
     char (*names)[TMUX_BUFFER_NAME], size_t max)
{
	return tmux_buffer_pick(listing, strlen(listing), marks, n, names, max);
}

static void
tmux_buffer__pick__by_size_and_time_only_automatic(void **state)
{
	const struct tmux_buffer_mark marks[] = { { 1000, 7 }, { 2000, 12 } };
	char names[TMUX_BUFFER_MARKS][TMUX_BUFFER_NAME];
	const char *listing = "buffer9 12 2003\n" /* the second copy */
	                      "mine 7 1000\n"     /* named by hand */
	                      "buffer8 8 1000\n"  /* another size */
	                      "buffer7 7 990\n"   /* too early */
	                      "buffer6 7 1007\n"  /* too late */
	                      "buffer5 7 999\n"   /* the first copy */
	                      "garbage\n";

	(void)state;
	assert_int_equal(pick(listing, marks, 2, names, TMUX_BUFFER_MARKS), 2);
	assert_string_equal(names[0], "buffer9");
	assert_string_equal(names[1], "buffer5");
	/* No marks, nothing; max is kept. */
	assert_int_equal(pick(listing, marks, 0, names, TMUX_BUFFER_MARKS), 0);
	assert_int_equal(pick(listing, marks, 2, names, 1), 1);
	assert_string_equal(names[0], "buffer9");
}

static void
tmux_buffer__pick__empty_and_unterminated_listing(void **state)
{
	const struct tmux_buffer_mark mark = { 50, 3 };
	char names[TMUX_BUFFER_MARKS][TMUX_BUFFER_NAME];

	(void)state;
	assert_int_equal(pick("", &mark, 1, names, TMUX_BUFFER_MARKS), 0);
	assert_int_equal(
	    pick("buffer0 3 50", &mark, 1, names, TMUX_BUFFER_MARKS), 1);
	assert_string_equal(names[0], "buffer0");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    tmux_buffer__pick__by_size_and_time_only_automatic),
		cmocka_unit_test(
		    tmux_buffer__pick__empty_and_unterminated_listing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
