/* Unit tests for tui/list.c: virtual scrolling, marks, search. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tui/list.h"

/* Rows are ids; "even" rows match the search "even". */
struct rows {
	size_t n;
	long long offset; /* id of row i is i + offset */
	int drawn;
	size_t last_drawn;
};

static size_t
rows_count(void *ud)
{
	return ((struct rows *)ud)->n;
}

static long long
rows_id(void *ud, size_t i)
{
	return (long long)i + ((struct rows *)ud)->offset;
}

static void
rows_draw(void *ud, void *win, int y, size_t i, int width, bool sel,
          bool marked)
{
	struct rows *r = ud;

	r->drawn++;
	r->last_drawn = i;
}

static bool
rows_match(void *ud, size_t i, const char *needle)
{
	return strcmp(needle, "even") == 0 && rows_id(ud, i) % 2 == 0;
}

static const struct list_ops ops = {
	.count = rows_count,
	.id_at = rows_id,
	.draw_row = rows_draw,
	.matches = rows_match,
};

static void
list__draw__only_visible_rows_of_100000(void **state)
{
	struct rows r = { 100000, 0, 0, 0 };
	struct list l;

	list_init(&l, &ops, &r);
	list_resize(&l, 20);
	list_action(&l, ACTION_BOTTOM);
	list_draw(&l, NULL, 80);
	assert_int_equal(r.drawn, 20);
	assert_int_equal(r.last_drawn, 99999);
	assert_int_equal(l.cursor, 99999);
	assert_int_equal(l.top, 99980);
	list_free(&l);
}

static void
list__action__moves_and_clamps(void **state)
{
	struct rows r = { 100, 0, 0, 0 };
	struct list l;

	list_init(&l, &ops, &r);
	list_resize(&l, 10);
	assert_int_equal(list_action(&l, ACTION_UP), LIST_SAME);
	assert_int_equal(list_action(&l, ACTION_DOWN), LIST_MOVED);
	assert_int_equal(l.cursor, 1);
	list_action(&l, ACTION_PAGE_DOWN);
	assert_int_equal(l.cursor, 10);
	assert_int_equal(l.top, 1);
	list_action(&l, ACTION_HALF_UP);
	assert_int_equal(l.cursor, 5);
	list_action(&l, ACTION_TOP);
	assert_int_equal(l.cursor, 0);
	assert_int_equal(l.top, 0);
	assert_int_equal(list_action(&l, ACTION_OPEN), LIST_UNHANDLED);
	list_free(&l);
}

static void
list__action__near_end_asks_for_more(void **state)
{
	struct rows r = { 50, 0, 0, 0 };
	struct list l;

	list_init(&l, &ops, &r);
	list_resize(&l, 10); /* a page moves 9 rows */
	assert_int_equal(list_action(&l, ACTION_DOWN), LIST_MOVED); /* 1 */
	list_action(&l, ACTION_PAGE_DOWN);                          /* 10 */
	list_action(&l, ACTION_PAGE_DOWN);                          /* 19 */
	assert_int_equal(list_action(&l, ACTION_PAGE_DOWN), LIST_MOVED);
	assert_int_equal(l.cursor, 28); /* 22 rows left: not yet */
	assert_int_equal(list_action(&l, ACTION_PAGE_DOWN), LIST_NEAR_END);
	assert_int_equal(l.cursor, 37);
	list_free(&l);
}

/* A pane returns what the list's answer asks: the frame's key, nothing,
 * or a redraw (near the end too, where the pane also fetches). */
static void
list__view_result__says_what_the_pane_returns(void **state)
{
	struct rows r = { 50, 0, 0, 0 };
	struct list l;

	(void)state;
	list_init(&l, &ops, &r);
	list_resize(&l, 10);
	assert_int_equal(list_view_result(list_action(&l, ACTION_OPEN)),
	                 VIEW_UNHANDLED);
	assert_int_equal(list_view_result(list_action(&l, ACTION_UP)),
	                 VIEW_HANDLED);
	assert_int_equal(list_view_result(list_action(&l, ACTION_DOWN)),
	                 VIEW_REDRAW);
	assert_int_equal(list_view_result(list_action(&l, ACTION_BOTTOM)),
	                 VIEW_REDRAW);
	/* At the end already: nothing moves, yet the next page is asked
	 * for and the pane redraws. */
	assert_int_equal(list_action(&l, ACTION_DOWN), LIST_NEAR_END);
	assert_int_equal(list_view_result(LIST_NEAR_END), VIEW_REDRAW);
	list_free(&l);
}

static void
list__changed__shrinking_keeps_cursor_valid(void **state)
{
	struct rows r = { 100, 0, 0, 0 };
	struct list l;

	list_init(&l, &ops, &r);
	list_resize(&l, 10);
	list_action(&l, ACTION_BOTTOM);
	r.n = 5;
	list_changed(&l);
	assert_int_equal(l.cursor, 4);
	assert_int_equal(l.top, 0);
	r.n = 0;
	list_changed(&l);
	assert_int_equal(list_selected_id(&l), -1);
	list_free(&l);
}

static void
list__marks__follow_ids_not_positions(void **state)
{
	struct rows r = { 10, 0, 0, 0 };
	struct list l;

	list_init(&l, &ops, &r);
	list_action(&l, ACTION_DOWN);
	list_toggle_mark(&l); /* id 1 */
	assert_true(list_is_marked(&l, 1));
	r.offset = 100; /* the rows changed under the list */
	assert_true(list_is_marked(&l, 1));
	assert_true(list_select_id(&l, 105));
	assert_int_equal(l.cursor, 5);
	list_toggle_mark(&l);
	list_toggle_mark(&l);
	assert_false(list_is_marked(&l, 105));
	assert_int_equal(l.nmarks, 1);
	list_clear_marks(&l);
	assert_false(list_is_marked(&l, 1));
	list_free(&l);
}

static void
list__search__wraps_both_ways(void **state)
{
	struct rows r = { 5, 1, 0, 0 }; /* ids 1..5: even ids at rows 1, 3 */
	struct list l;

	list_init(&l, &ops, &r);
	list_resize(&l, 5);
	assert_true(list_search(&l, "even", 1));
	assert_int_equal(l.cursor, 1);
	assert_true(list_search(&l, "even", 1));
	assert_int_equal(l.cursor, 3);
	assert_true(list_search(&l, "even", 1));
	assert_int_equal(l.cursor, 1);
	assert_true(list_search(&l, "even", -1));
	assert_int_equal(l.cursor, 3);
	assert_false(list_search(&l, "odd", 1));
	list_free(&l);
}

static void
list__select_visible__maps_screen_line_to_row(void **state)
{
	struct rows r = { 100, 0, 0, 0 };
	struct list l;

	list_init(&l, &ops, &r);
	list_resize(&l, 10);
	list_action(&l, ACTION_PAGE_DOWN); /* cursor 9, top 0 */
	list_action(&l, ACTION_DOWN);      /* cursor 10, top 1 */
	assert_true(list_select_visible(&l, 3));
	assert_int_equal(l.cursor, 4);
	assert_false(list_select_visible(&l, 10)); /* below the list */
	assert_false(list_select_visible(&l, -1));
	r.n = 3;
	list_changed(&l);
	assert_false(list_select_visible(&l, 5)); /* past the last row */
	list_free(&l);
}

/* Rows with signatures: row i shows its id, plus version[i] if set. */
struct sig_rows {
	struct rows r;
	unsigned long long version[16];
	int cleared;
};

static unsigned long long
sig_rows_sig(void *ud, size_t i, bool sel, bool marked)
{
	struct sig_rows *s = ud;

	return (i + 1) * 1000 + s->version[i % 16] * 10 + (sel ? 2 : 0) +
	       (marked ? 1 : 0);
}

static void
sig_rows_clear(void *ud, void *win, int y)
{
	((struct sig_rows *)ud)->cleared++;
}

static const struct list_ops sig_ops = {
	.count = rows_count,
	.id_at = rows_id,
	.draw_row = rows_draw,
	.row_sig = sig_rows_sig,
	.clear_row = sig_rows_clear,
};

static void
list__draw__a_cursor_move_draws_the_two_rows_it_touches(void **state)
{
	struct sig_rows s = { { 100, 0, 0, 0 }, { 0 }, 0 };
	struct list l;

	list_init(&l, &sig_ops, &s);
	list_resize(&l, 10);
	list_draw(&l, NULL, 80);
	assert_int_equal(s.r.drawn, 10);
	s.r.drawn = 0;
	list_draw(&l, NULL, 80); /* nothing changed */
	assert_int_equal(s.r.drawn, 0);
	list_action(&l, ACTION_DOWN);
	list_draw(&l, NULL, 80);
	assert_int_equal(s.r.drawn, 2);
	s.r.drawn = 0;
	s.version[5] = 1; /* row 5's text changed */
	list_draw(&l, NULL, 80);
	assert_int_equal(s.r.drawn, 1);
	assert_int_equal(s.r.last_drawn, 5);
	s.r.drawn = 0;
	list_draw(&l, NULL, 100); /* another width: every row */
	assert_int_equal(s.r.drawn, 10);
	s.r.drawn = 0;
	list_forget(&l); /* the window was erased */
	list_draw(&l, NULL, 100);
	assert_int_equal(s.r.drawn, 10);
	list_free(&l);
}

static void
list__draw__lines_a_shorter_list_left_are_cleared_once(void **state)
{
	struct sig_rows s = { { 10, 0, 0, 0 }, { 0 }, 0 };
	struct list l;

	list_init(&l, &sig_ops, &s);
	list_resize(&l, 10);
	list_draw(&l, NULL, 80);
	s.r.n = 4;
	list_changed(&l);
	list_draw(&l, NULL, 80);
	assert_int_equal(s.cleared, 6);
	list_draw(&l, NULL, 80);
	assert_int_equal(s.cleared, 6);
	list_free(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(list__draw__only_visible_rows_of_100000),
		cmocka_unit_test(list__action__moves_and_clamps),
		cmocka_unit_test(list__action__near_end_asks_for_more),
		cmocka_unit_test(list__view_result__says_what_the_pane_returns),
		cmocka_unit_test(list__changed__shrinking_keeps_cursor_valid),
		cmocka_unit_test(list__marks__follow_ids_not_positions),
		cmocka_unit_test(list__search__wraps_both_ways),
		cmocka_unit_test(list__select_visible__maps_screen_line_to_row),
		cmocka_unit_test(
		    list__draw__a_cursor_move_draws_the_two_rows_it_touches),
		cmocka_unit_test(
		    list__draw__lines_a_shorter_list_left_are_cleared_once),
	};

	return cmocka_run_group_tests_name("tui/list", tests, NULL, NULL);
}
