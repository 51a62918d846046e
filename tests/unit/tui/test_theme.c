/* Unit tests for tui/theme.c: a row's base and an item over it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>
#include <curses.h>

#include "tui/theme.h"

struct screen {
	SCREEN *s;
	FILE *out, *in;
};

/* A curses screen (TERM xterm: 8 colours, 64 pairs) on /dev/null. */
static int
setup(void **state)
{
	static struct screen scr;

	scr.out = fopen("/dev/null", "w");
	scr.in = fopen("/dev/null", "r");
	if (scr.out == NULL || scr.in == NULL)
		return -1;
	scr.s = newterm("xterm", scr.out, scr.in);
	if (scr.s == NULL)
		return -1;
	start_color();
	use_default_colors();
	*state = &scr;
	return 0;
}

static int
teardown(void **state)
{
	struct screen *scr = *state;

	endwin();
	delscreen(scr->s);
	fclose(scr->out);
	fclose(scr->in);
	return 0;
}

static void
theme__colour__row_is_a_pair_and_items_replace_its_colour(void **state)
{
	unsigned long row, rev;

	(void)state;
	theme_init(true);
	row = theme_row(false);
	rev = theme_row(true);
	/* A plain row: a pair of its own (ncurses leaves a pair for another
	 * with one SGR, where A_NORMAL costs a reset), no attributes. */
	assert_int_equal(row, COLOR_PAIR(THEME_ROW));
	assert_int_equal(rev, A_REVERSE);
	/* An urgent priority over it: its colour instead of the row's,
	 * and no bold (bold off is a full reset on a terminal). */
	assert_int_equal(theme_over(row, THEME_PRIO_URGENT),
	                 COLOR_PAIR(THEME_PRIO_URGENT));
	assert_int_equal(theme_over(row, THEME_STATE_NEW),
	                 COLOR_PAIR(THEME_STATE_NEW));
	assert_int_equal(theme_over(row, THEME_STATE_DONE),
	                 COLOR_PAIR(THEME_STATE_DONE));
	/* An item without colours keeps the row's. */
	assert_int_equal(theme_over(row, THEME_PRIO_NORMAL), row);
	assert_int_equal(theme_over(row, THEME_PRIO_LOW), row);
	/* Over the cursor row: reverse kept, the item's colour added. */
	assert_int_equal(theme_over(rev, THEME_PRIO_HIGH),
	                 A_REVERSE | COLOR_PAIR(THEME_PRIO_HIGH));
	/* A list cell's emphasis: the item's colour off the cursor row, the
	 * cursor row's reverse alone on it (one span, no colour switched). */
	assert_int_equal(theme_emphasis(row, false, THEME_PRIO_URGENT),
	                 COLOR_PAIR(THEME_PRIO_URGENT));
	assert_int_equal(theme_emphasis(rev, true, THEME_PRIO_URGENT), rev);
}

static void
theme__monochrome__keeps_reverse_bold_and_dim(void **state)
{
	unsigned long row;

	(void)state;
	theme_init(false);
	row = theme_row(false);
	assert_int_equal(row, A_NORMAL);
	assert_int_equal(theme_row(true), A_REVERSE);
	assert_int_equal(theme_over(row, THEME_PRIO_URGENT),
	                 A_BOLD | A_UNDERLINE);
	assert_int_equal(theme_over(row, THEME_PRIO_LOW), A_DIM);
	assert_int_equal(theme_over(row, THEME_STATE_DONE), A_DIM);
	assert_int_equal(theme_over(A_REVERSE, THEME_PRIO_HIGH),
	                 A_REVERSE | A_BOLD);
}

/* The other panes' lists: mine, a name, and a column for reference are
 * a colour or nothing in colour (no bold or dim to switch off), bold and
 * dim in monochrome, where nothing else tells them apart. */
static void
theme__lists__colour_in_colour_bold_and_dim_without(void **state)
{
	unsigned long row;

	(void)state;
	theme_init(true);
	row = theme_row(false);
	assert_int_equal(theme_over(row, THEME_MINE), COLOR_PAIR(THEME_MINE));
	assert_int_equal(theme_over(row, THEME_ASIDE), row);
	assert_int_equal(theme_over(row, THEME_NAME), row);
	assert_int_equal(theme_over(row, THEME_OVERDUE),
	                 COLOR_PAIR(THEME_OVERDUE));
	theme_init(false);
	row = theme_row(false);
	assert_int_equal(theme_over(row, THEME_MINE), A_BOLD);
	assert_int_equal(theme_over(row, THEME_ASIDE), A_DIM);
	assert_int_equal(theme_over(row, THEME_NAME), A_BOLD);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    theme__colour__row_is_a_pair_and_items_replace_its_colour),
		cmocka_unit_test(theme__monochrome__keeps_reverse_bold_and_dim),
		cmocka_unit_test(
		    theme__lists__colour_in_colour_bold_and_dim_without),
	};

	return cmocka_run_group_tests_name("tui/theme", tests, setup, teardown);
}
