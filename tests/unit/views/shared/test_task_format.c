/* Unit tests for views/task_format.c: layout, ages, dues, wrapping, and
 * a queue row drawn with them as a person sees it (the pane harness). */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curses.h>

#include "tests/unit/views/harness.h"
#include "tui/columns_draw.h"
#include "tui/sanitize.h"
#include "views/shared/task_format.h"

/* Checks that the shown columns tile width exactly, left to right. */
static void
assert_tiles(const struct column_layout *l, int width)
{
	int c, x = 0, sum = 0, gaps = -1;

	for (c = 0; c < TASK_COL_COUNT; c++) {
		if (l->w[c] == 0)
			continue;
		assert_int_equal(l->x[c], x);
		x += l->w[c] + 1;
		sum += l->w[c];
		gaps++;
	}
	assert_true(sum + gaps <= width);
	/* The title takes the rest: nothing is left over. */
	assert_int_equal(sum + gaps, width);
}

static void
task_format__layout__120_has_every_column(void **state)
{
	struct column_layout l;
	int c;

	task_format_layout(120, 5, &l);
	assert_tiles(&l, 120);
	for (c = 0; c < TASK_COL_COUNT; c++)
		assert_true(l.w[c] > 0);
	assert_int_equal(l.w[TASK_COL_ID], 5);
	assert_int_equal(l.w[TASK_COL_STATUS], 11); /* "in_progress" */
	assert_int_equal(l.w[TASK_COL_DUE], 11);    /* "overdue 12w" */
	assert_true(l.w[TASK_COL_TITLE] >= 40);
}

static void
task_format__layout__80_narrows_but_keeps_all(void **state)
{
	struct column_layout l;
	int c;

	task_format_layout(80, 6, &l);
	assert_tiles(&l, 80);
	for (c = 0; c < TASK_COL_COUNT; c++)
		assert_true(l.w[c] > 0);
	assert_int_equal(l.w[TASK_COL_STATUS], 7);
	assert_true(l.w[TASK_COL_TITLE] >= 20);
}

static void
task_format__layout__60_drops_assignee_and_age(void **state)
{
	struct column_layout l;

	task_format_layout(60, 3, &l);
	assert_tiles(&l, 60);
	assert_int_equal(l.w[TASK_COL_ASSIGNEE], 0);
	assert_int_equal(l.w[TASK_COL_AGE], 0);
	assert_true(l.w[TASK_COL_CLIENT] > 0);
	assert_true(l.w[TASK_COL_DUE] > 0);
	assert_true(l.w[TASK_COL_TITLE] >= 20);
}

static void
task_format__layout__40_keeps_priority_id_title_status(void **state)
{
	struct column_layout l;

	task_format_layout(40, 4, &l);
	assert_tiles(&l, 40);
	assert_int_equal(l.w[TASK_COL_CLIENT], 0);
	assert_int_equal(l.w[TASK_COL_DUE], 0);
	assert_true(l.w[TASK_COL_PRIORITY] > 0);
	assert_true(l.w[TASK_COL_ID] > 0);
	assert_true(l.w[TASK_COL_STATUS] > 0);
	assert_true(l.w[TASK_COL_TITLE] >= 15);
	/* Below 40 (the frame says "too small") it still never overflows. */
	task_format_layout(20, 4, &l);
	assert_tiles(&l, 20);
	task_format_layout(2, 4, &l);
	assert_int_equal(l.w[TASK_COL_TITLE], 0);
}

static void
task_format__layout__short_ids_get_header_room(void **state)
{
	struct column_layout l;

	task_format_layout(100, 1, &l);
	assert_int_equal(l.w[TASK_COL_ID], 2); /* "ID" */
	assert_tiles(&l, 100);
}

static void
task_format__age__picks_largest_unit(void **state)
{
	static const struct {
		long long secs;
		const char *want;
	} cases[] = {
		{ -30, "now" },        { 0, "now" },
		{ 59, "now" },         { 60, "1m" },
		{ 3 * 60 + 59, "3m" }, { 3599, "59m" },
		{ 5 * 3600, "5h" },    { 86399, "23h" },
		{ 2 * 86400, "2d" },   { 7 * 86400 - 1, "6d" },
		{ 21 * 86400, "3w" },  { 364 * 86400, "52w" },
		{ 800 * 86400, "2y" },
	};
	char buf[16];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		task_format_age(1000000000, 1000000000 - cases[i].secs, buf,
		                sizeof buf);
		assert_string_equal(buf, cases[i].want);
	}
}

static void
task_format__due__says_overdue_or_in(void **state)
{
	time_t now = 1000000000;
	char buf[32];

	task_format_due(now, now - 2 * 86400, 11, buf, sizeof buf);
	assert_string_equal(buf, "overdue 2d");
	task_format_due(now, now + 3 * 86400 + 5, 11, buf, sizeof buf);
	assert_string_equal(buf, "in 3d");
	task_format_due(now, now + 30, 11, buf, sizeof buf);
	assert_string_equal(buf, "in 1m");
	task_format_due(now, now - 5 * 3600, 11, buf, sizeof buf);
	assert_string_equal(buf, "overdue 5h");
	/* Too narrow for words: a sign and the span. */
	task_format_due(now, now - 2 * 86400, 5, buf, sizeof buf);
	assert_string_equal(buf, "-2d");
	task_format_due(now, now + 14 * 86400, 5, buf, sizeof buf);
	assert_string_equal(buf, "in 2w");
	task_format_due(now, now + 80 * 86400, 5, buf, sizeof buf);
	assert_string_equal(buf, "+11w");
}

static void
task_format__size__scales_units(void **state)
{
	char buf[32];

	task_format_size(512, buf, sizeof buf);
	assert_string_equal(buf, "512 B");
	task_format_size(12595, buf, sizeof buf);
	assert_string_equal(buf, "12.3 KB");
	task_format_size(4 * 1024 * 1024, buf, sizeof buf);
	assert_string_equal(buf, "4.0 MB");
	task_format_size(1288490189LL, buf, sizeof buf);
	assert_string_equal(buf, "1.2 GB");
}

static void
task_format__names__fit_their_width(void **state)
{
	assert_string_equal(task_format_priority(PRIORITY_URGENT, 6), "urgent");
	assert_string_equal(task_format_priority(PRIORITY_URGENT, 4), "URG!");
	assert_string_equal(task_format_priority(PRIORITY_NORMAL, 1), "N");
	assert_string_equal(task_format_status(TASK_IN_PROGRESS, 11),
	                    "in_progress");
	assert_string_equal(task_format_status(TASK_IN_PROGRESS, 7), "in prog");
	assert_string_equal(task_format_status(TASK_WAITING_ON_CLIENT, 7),
	                    "waiting");
	assert_true(strlen(task_format_status(TASK_CANCELLED, 7)) <= 7);
}

static void
task_format__find__ignores_ascii_case(void **state)
{
	size_t off = 99;

	assert_true(task_format_find("Disk FULL on disk2", "disk", 0, &off));
	assert_int_equal(off, 0);
	assert_true(task_format_find("Disk FULL on disk2", "disk", 1, &off));
	assert_int_equal(off, 13);
	assert_false(task_format_find("Disk FULL on disk2", "disk", 14, &off));
	assert_true(task_format_find("Disk FULL", "full", 0, &off));
	assert_int_equal(off, 5);
	assert_false(task_format_find("abc", "", 0, &off));
	assert_false(task_format_find("abc", "abcd", 0, &off));
}

/* Wraps s and compares the lines with the NULL-terminated want. */
static void
assert_wrap(const char *s, int width, const char *const *want)
{
	size_t n, i;
	char **lines = task_format_wrap(s, width, &n);

	for (i = 0; want[i] != NULL; i++) {
		assert_true(i < n);
		assert_string_equal(lines[i], want[i]);
		/* A wide character alone may overflow a one-column line. */
		assert_true(sanitize_width(lines[i]) <=
		            (width > 1 ? width : 2));
	}
	assert_int_equal(n, i);
	task_format_wrap_free(lines, n);
}

static void
task_format__wrap__breaks_at_blanks_and_newlines(void **state)
{
	static const char *const a[] = { "the quick", "brown fox", "", "jumps",
		                         NULL };
	static const char *const b[] = { "abcde", "fghij", "x yz", "w", NULL };
	static const char *const c[] = { "日本語", "のタ", NULL };
	static const char *const d[] = { "日", "本", NULL };
	size_t n;

	assert_wrap("the quick brown fox\n\njumps", 10, a);
	assert_wrap("abcdefghij x yz w", 5, b);
	assert_wrap("日本語のタ", 6, c);
	/* A wide character in a one-column line still makes progress. */
	assert_wrap("日本", 1, d);
	assert_null(task_format_wrap("", 10, &n));
	assert_int_equal(n, 0);
}

/* Values outside the enums (a newer server's) show as "?" in the normal
 * colour, never as whatever lies past the tables. */
static void
task_format__names__unknown_values_are_question_marks(void **state)
{
	assert_string_equal(task_format_priority(TASK_PRIORITY_COUNT, 10), "?");
	assert_string_equal(task_format_status(TASK_STATUS_COUNT, 20), "?");
	assert_int_equal(task_format_priority_theme(TASK_PRIORITY_COUNT),
	                 THEME_NORMAL);
	assert_int_equal(task_format_status_theme(TASK_STATUS_COUNT),
	                 THEME_NORMAL);
}

/* Each priority and status has the colour of its meaning; cancelled is
 * as finished as done. */
static void
task_format__themes__colour_by_meaning(void **state)
{
	assert_int_equal(task_format_priority_theme(PRIORITY_LOW),
	                 THEME_PRIO_LOW);
	assert_int_equal(task_format_priority_theme(PRIORITY_NORMAL),
	                 THEME_PRIO_NORMAL);
	assert_int_equal(task_format_priority_theme(PRIORITY_HIGH),
	                 THEME_PRIO_HIGH);
	assert_int_equal(task_format_priority_theme(PRIORITY_URGENT),
	                 THEME_PRIO_URGENT);
	assert_int_equal(task_format_status_theme(TASK_NEW), THEME_STATE_NEW);
	assert_int_equal(task_format_status_theme(TASK_IN_PROGRESS),
	                 THEME_STATE_ACTIVE);
	assert_int_equal(task_format_status_theme(TASK_WAITING_ON_CLIENT),
	                 THEME_STATE_WAITING);
	assert_int_equal(task_format_status_theme(TASK_DONE), THEME_STATE_DONE);
	assert_int_equal(task_format_status_theme(TASK_CANCELLED),
	                 THEME_STATE_DONE);
}

/* A width below one wraps as one: a character a line. */
static void
task_format__wrap__width_below_one_is_one(void **state)
{
	static const char *const a[] = { "a", "b", NULL };

	assert_wrap("ab", 0, a);
	assert_wrap("ab", -3, a);
}

/* One queue row at width: the header, then a task, drawn with the
 * layout and these names into the harness's screen and read back. */
static struct harness *
draw_row(int width, const char *title)
{
	struct harness *h = harness_new(12, width);
	WINDOW *w = harness_app(h)->panewin;
	struct column_layout l;
	char due[16];

	task_format_layout(width, 4, &l);
	task_format_due(1000000000, 1000000000 - 2 * 86400, l.w[TASK_COL_DUE],
	                due, sizeof due);
	werase(w);
	columns_draw_header(w, 0, &l, A_NORMAL, 0);
	columns_draw_cell(w, 1, &l, TASK_COL_MARK, "*", A_NORMAL, 0);
	columns_draw_cell(
	    w, 1, &l, TASK_COL_PRIORITY,
	    task_format_priority(PRIORITY_URGENT, l.w[TASK_COL_PRIORITY]),
	    A_NORMAL, 0);
	columns_draw_cell(w, 1, &l, TASK_COL_ID, "1234", A_NORMAL, 0);
	columns_draw_cell(w, 1, &l, TASK_COL_CLIENT, "Acme Shop", A_NORMAL, 0);
	columns_draw_cell(w, 1, &l, TASK_COL_TITLE, title, A_NORMAL, 0);
	columns_draw_cell(
	    w, 1, &l, TASK_COL_STATUS,
	    task_format_status(TASK_IN_PROGRESS, l.w[TASK_COL_STATUS]),
	    A_NORMAL, 0);
	columns_draw_cell(w, 1, &l, TASK_COL_ASSIGNEE, "Ann", A_NORMAL, 0);
	columns_draw_cell(w, 1, &l, TASK_COL_DUE, due, A_NORMAL, 0);
	harness_read(h);
	return h;
}

/* Every text of want (NULL-terminated) is in row. */
static void
assert_has_all(const char *row, const char *const *want)
{
	for (; *want != NULL; want++)
		if (strstr(row, *want) == NULL)
			fail_msg("\"%s\" not in \"%s\"", *want, row);
}

/* Wide: every column at full length. */
static void
task_format__row__wide_shows_every_column(void **state)
{
	static const char *const head[] = { "PRIO", "WHO", "DUE", NULL };
	static const char *const row[] = {
		"urgent",      "1234", "Acme Shop",  "Backups fail every night",
		"in_progress", "Ann",  "overdue 2d", NULL,
	};
	struct harness *h = draw_row(120, "Backups fail every night");

	assert_has_all(harness_row(h, 1), head);
	assert_has_all(harness_row(h, 2), row);
	harness_free(h);
}

/* Narrow: shortened names, the assignee gone, a wide-character title
 * cut whole characters at a time. */
static void
task_format__row__narrow_shortens_and_drops(void **state)
{
	static const char *const row[] = { "URG!", "in prog", "-2d",
		                           "日本語のタイトル", NULL };
	struct harness *h =
	    draw_row(60, "日本語のタイトルはとても長いですから切られます");

	assert_has_all(harness_row(h, 2), row);
	assert_null(strstr(harness_row(h, 2), "切られます"));
	assert_null(strstr(harness_row(h, 2), "Ann"));
	assert_null(strstr(harness_row(h, 1), "WHO"));
	harness_free(h);
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
		cmocka_unit_test(task_format__layout__120_has_every_column),
		cmocka_unit_test(task_format__layout__80_narrows_but_keeps_all),
		cmocka_unit_test(
		    task_format__layout__60_drops_assignee_and_age),
		cmocka_unit_test(
		    task_format__layout__40_keeps_priority_id_title_status),
		cmocka_unit_test(
		    task_format__layout__short_ids_get_header_room),
		cmocka_unit_test(task_format__age__picks_largest_unit),
		cmocka_unit_test(task_format__due__says_overdue_or_in),
		cmocka_unit_test(task_format__size__scales_units),
		cmocka_unit_test(task_format__names__fit_their_width),
		cmocka_unit_test(task_format__find__ignores_ascii_case),
		cmocka_unit_test(
		    task_format__wrap__breaks_at_blanks_and_newlines),
		cmocka_unit_test(
		    task_format__names__unknown_values_are_question_marks),
		cmocka_unit_test(task_format__themes__colour_by_meaning),
		cmocka_unit_test(task_format__wrap__width_below_one_is_one),
		cmocka_unit_test(task_format__row__wide_shows_every_column),
		cmocka_unit_test(task_format__row__narrow_shortens_and_drops),
	};

	return cmocka_run_group_tests_name("views/task_format", tests, setup,
	                                   NULL);
}
