/* Unit tests for tui/columns.c: the panes' one column layout. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curses.h>
#include <stdio.h>

#include "tui/columns.h"
#include "tui/columns_draw.h"
#include "tui/sanitize.h"

enum { C_BADGE, C_NAME, C_NOTE, C_TEXT, C_WHEN, C_COUNT };

/* A table like a pane's: two tiers, a flexible column in the middle. */
static const struct column cols[C_COUNT] = {
	[C_BADGE] = { "badge", "NEW", COLUMN_RIGHT, 0, { 4, 4 } },
	[C_NAME] = { "name", "NAME", COLUMN_LEFT, 0, { 20, 12 } },
	[C_NOTE] = { "note", "NOTE", COLUMN_LEFT, 0, { 10, 0 } },
	[C_TEXT] = { "text",
	             "TEXT",
	             COLUMN_LEFT,
	             8,
	             { COLUMN_FLEX, COLUMN_FLEX } },
	[C_WHEN] = { "when", "WHEN", COLUMN_LEFT, 0, { 6, 6 } },
};

static const struct column_table table = {
	.cols = cols,
	.n = C_COUNT,
	.tiers = { 80, 0 },
};

/* Checks that the shown columns sit one blank apart from left on. */
static int
assert_packed(const struct column_layout *l, int left)
{
	int x = left;
	size_t c;

	for (c = 0; c < l->table->n; c++) {
		assert_int_equal(l->x[c], x);
		if (!l->shown[c]) {
			assert_int_equal(l->w[c], 0);
			continue;
		}
		x += l->w[c] + 1;
	}
	return x - 1; /* where the last shown column ends */
}

static void
columns__layout__wide_shows_every_column(void **state)
{
	struct column_layout l;

	columns_layout(&table, 120, 0, 0, &l);
	assert_int_equal(assert_packed(&l, 0), 120);
	assert_int_equal(l.w[C_BADGE], 4);
	assert_int_equal(l.w[C_NAME], 20);
	assert_int_equal(l.w[C_NOTE], 10);
	assert_int_equal(l.w[C_WHEN], 6);
	/* The text takes the rest: 120 - 40 - 4 blanks. */
	assert_int_equal(l.w[C_TEXT], 76);
	assert_int_equal(l.x[C_WHEN], 114);
}

static void
columns__layout__narrow_picks_a_narrower_tier(void **state)
{
	struct column_layout l;

	columns_layout(&table, 79, 0, 0, &l);
	assert_int_equal(assert_packed(&l, 0), 79);
	assert_false(l.shown[C_NOTE]);
	assert_int_equal(l.w[C_NAME], 12);
	assert_int_equal(l.w[C_TEXT], 79 - 4 - 12 - 6 - 3);
	/* The tier's edge belongs to the wider tier. */
	columns_layout(&table, 80, 0, 0, &l);
	assert_true(l.shown[C_NOTE]);
}

static void
columns__layout__drops_a_column_that_does_not_fit(void **state)
{
	struct column_layout l;

	/* 4 + 12 + 8 (the text's minimum) + 6 + 3 blanks = 33. */
	columns_layout(&table, 33, 0, 0, &l);
	assert_true(l.shown[C_WHEN]);
	assert_int_equal(l.w[C_TEXT], 8);
	/* One less: the rightmost fixed column goes, the text keeps room. */
	columns_layout(&table, 32, 0, 0, &l);
	assert_false(l.shown[C_WHEN]);
	assert_true(l.shown[C_NAME]);
	assert_int_equal(assert_packed(&l, 0), 32);
	assert_int_equal(l.w[C_TEXT], 32 - 4 - 12 - 2);
	/* Below the text's minimum with nothing left to drop: it goes too. */
	columns_layout(&table, 5, 0, 0, &l);
	assert_true(l.shown[C_BADGE]);
	assert_false(l.shown[C_TEXT]);
	assert_false(l.shown[C_NAME]);
	assert_true(assert_packed(&l, 0) <= 5);
	columns_layout(&table, -3, 0, 0, &l);
	assert_false(l.shown[C_TEXT]);
}

static void
columns__layout__pane_hides_columns(void **state)
{
	struct column_layout l;

	columns_layout(&table, 120, 1u << C_NOTE | 1u << C_WHEN, 0, &l);
	assert_false(l.shown[C_NOTE]);
	assert_false(l.shown[C_WHEN]);
	assert_int_equal(assert_packed(&l, 0), 120);
	assert_int_equal(l.w[C_TEXT], 120 - 4 - 20 - 2);
}

static void
columns__layout__margins_and_auto_width(void **state)
{
	static const struct column two[] = {
		{ "id", "ID", COLUMN_RIGHT, 0, { COLUMN_AUTO } },
		{ "rest", "REST", COLUMN_LEFT, 0, { COLUMN_FLEX } },
	};
	static const struct column_table t = {
		.cols = two, .n = 2, .left = 1, .right = 1
	};
	struct column_layout l;

	columns_layout(&t, 40, 0, 7, &l);
	assert_int_equal(l.x[0], 1);
	assert_int_equal(l.w[0], 7);
	assert_int_equal(assert_packed(&l, 1), 39);
	/* An automatic column is never narrower than its title. */
	columns_layout(&t, 40, 0, 1, &l);
	assert_int_equal(l.w[0], 2);
	/* A flexible column without a minimum stays, 0 wide. */
	columns_layout(&t, 2, 0, 1, &l);
	assert_false(l.shown[0]);
	assert_true(l.shown[1]);
	assert_int_equal(l.w[1], 0);
}

static void
columns__fit__aligns_left_and_right(void **state)
{
	char *c;

	c = columns_fit("42", 5, COLUMN_RIGHT, 0);
	assert_string_equal(c, "   42");
	free(c);
	c = columns_fit("42", 5, COLUMN_LEFT, 0);
	assert_string_equal(c, "42   ");
	free(c);
	c = columns_fit("123456", 5, COLUMN_RIGHT, 0);
	assert_string_equal(c, "1234\u2026");
	free(c);
	c = columns_fit("日本", 5, COLUMN_RIGHT, 0);
	assert_string_equal(c, " 日本");
	free(c);
}

static void
columns__fit__pads_and_truncates_by_width(void **state)
{
	char *c;

	c = columns_fit("abc", 6, COLUMN_LEFT, 0);
	assert_string_equal(c, "abc   ");
	free(c);
	c = columns_fit("abcdefgh", 6, COLUMN_LEFT, 0);
	assert_string_equal(c, "abcde\u2026");
	free(c);
	c = columns_fit("abcdefgh", 6, COLUMN_LEFT, SANITIZE_ASCII);
	assert_string_equal(c, "abc...");
	free(c);
}

static void
columns__fit__wide_characters_never_split(void **state)
{
	/* Each of these is two columns wide. */
	const char *title = "日本語のタイトル";
	char *c;

	assert_int_equal(sanitize_width(title), 16);
	c = columns_fit(title, 7, COLUMN_LEFT, 0);
	assert_string_equal(c, "日本語\u2026");
	assert_int_equal(sanitize_width(c), 7);
	free(c);
	/* 6 columns: two wide chars and the ellipsis make 5; one blank pads. */
	c = columns_fit(title, 6, COLUMN_LEFT, 0);
	assert_string_equal(c, "日本\u2026 ");
	assert_int_equal(sanitize_width(c), 6);
	free(c);
	c = columns_fit("ab日本", 4, COLUMN_LEFT, 0);
	assert_string_equal(c, "ab\u2026 ");
	free(c);
	c = columns_fit(title, 16, COLUMN_LEFT, 0);
	assert_string_equal(c, title);
	free(c);
}

static void
columns__cell__sanitises_server_text(void **state)
{
	struct column_layout l;
	char *c;

	columns_layout(&table, 120, 0, 0, &l);
	/* Escapes, newlines and tabs arrive inert, in the column's width. */
	c = columns_cell(&l, C_NAME, "a\x1b[2Jb\nc\td", 0);
	assert_string_equal(c, "a^[[2Jb^Jc d        ");
	assert_int_equal(sanitize_width(c), 20);
	free(c);
	c = columns_cell(&l, C_BADGE, "\xff", 0);
	assert_string_equal(c, "   \xef\xbf\xbd");
	free(c);
	columns_layout(&table, 60, 0, 0, &l);
	assert_null(columns_cell(&l, C_NOTE, "x", 0));
	assert_null(columns_cell(&l, C_COUNT, "x", 0));
}

/* A curses screen on /dev/null for the draw tests (TERM xterm). */
struct scr {
	FILE *out, *in;
	SCREEN *s;
};

static void
scr_open(struct scr *c)
{
	c->out = fopen("/dev/null", "w");
	c->in = fopen("/dev/null", "r");
	c->s = c->out != NULL && c->in != NULL ? newterm("xterm", c->out, c->in)
	                                       : NULL;
	if (c->s == NULL) {
		if (c->out != NULL)
			fclose(c->out);
		if (c->in != NULL)
			fclose(c->in);
		skip();
	}
}

static void
scr_close(struct scr *c, WINDOW *w)
{
	delwin(w);
	endwin();
	delscreen(c->s);
	fclose(c->out);
	fclose(c->in);
}

static void
columns__draw_word__leaves_the_padding_as_it_was(void **state)
{
	struct column_layout l;
	struct scr c;
	WINDOW *w;
	int x, i;

	(void)state;
	scr_open(&c);
	w = newwin(1, 120, 0, 0);
	columns_layout(&table, 120, 0, 0, &l);
	x = l.x[C_NAME];
	/* The row's blank, drawn first: dots, so a padding space shows. */
	wmove(w, 0, 0);
	whline(w, '.', 120);
	columns_draw_word(w, 0, &l, C_NAME, "ab", A_BOLD, 0);
	assert_int_equal(mvwinch(w, 0, x), 'a' | A_BOLD);
	assert_int_equal(mvwinch(w, 0, x + 1), 'b' | A_BOLD);
	/* The column is 20 wide: its 18 cells of padding stay the row's. */
	for (i = 2; i < l.w[C_NAME]; i++)
		assert_int_equal(mvwinch(w, 0, x + i), '.');
	/* A hidden column draws nothing. */
	columns_layout(&table, 60, 0, 0, &l);
	columns_draw_word(w, 0, &l, C_NOTE, "zz", A_NORMAL, 0);
	for (i = 0; i < 120; i++)
		assert_int_not_equal(mvwinch(w, 0, i) & A_CHARTEXT, 'z');
	scr_close(&c, w);
}

/*
 * The header is one span in its attributes, from the first title to the
 * end of the last one, the gaps between titles too (a gap in another
 * attribute cost a reset either side of it); the rest is left as it was.
 */
static void
columns__draw_header__one_span_from_first_title_to_last(void **state)
{
	struct column_layout l;
	struct scr c;
	WINDOW *w;
	int i, end;

	(void)state;
	scr_open(&c);
	w = newwin(1, 120, 0, 0);
	wmove(w, 0, 0);
	whline(w, '.', 120);
	columns_layout(&table, 120, 1, 0, &l);
	columns_draw_header(w, 0, &l, A_DIM, 0);
	end = l.x[C_WHEN] + 4; /* "WHEN" */
	for (i = 0; i < 120; i++) {
		chtype ch = mvwinch(w, 0, i);

		if (i < l.x[C_BADGE] || i >= end)
			assert_int_equal(ch, '.');
		else
			assert_int_equal(ch & A_ATTRIBUTES, A_DIM);
	}
	/* Each title at the start of its column. */
	assert_int_equal(mvwinch(w, 0, l.x[C_BADGE]) & A_CHARTEXT, 'N');
	assert_int_equal(mvwinch(w, 0, l.x[C_NAME]) & A_CHARTEXT, 'N');
	assert_int_equal(mvwinch(w, 0, l.x[C_NAME] + 4) & A_CHARTEXT, ' ');
	assert_int_equal(mvwinch(w, 0, l.x[C_TEXT]) & A_CHARTEXT, 'T');
	scr_close(&c, w);
}

static int
setup(void **state)
{
	/* Widths of non-ASCII characters need a UTF-8 LC_CTYPE. */
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		return -1;
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(columns__layout__wide_shows_every_column),
		cmocka_unit_test(columns__layout__narrow_picks_a_narrower_tier),
		cmocka_unit_test(
		    columns__layout__drops_a_column_that_does_not_fit),
		cmocka_unit_test(columns__layout__pane_hides_columns),
		cmocka_unit_test(columns__layout__margins_and_auto_width),
		cmocka_unit_test(columns__fit__aligns_left_and_right),
		cmocka_unit_test(columns__fit__pads_and_truncates_by_width),
		cmocka_unit_test(columns__fit__wide_characters_never_split),
		cmocka_unit_test(columns__cell__sanitises_server_text),
		cmocka_unit_test(
		    columns__draw_word__leaves_the_padding_as_it_was),
		cmocka_unit_test(
		    columns__draw_header__one_span_from_first_title_to_last),
	};

	return cmocka_run_group_tests_name("tui/columns", tests, setup, NULL);
}
