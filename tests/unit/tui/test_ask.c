/* Unit tests for tui/ask.c: answers by key, Enter, Escape, wrapping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curses.h>
#include <locale.h>

#include "tui/ask.h"
#include "tui/sanitize.h"

#include "screen_has.h"

/* What on_done heard, and whether it should free the ask. */
struct done {
	int calls;
	key_code key;
	struct ask *free_me;
};

static void
on_done(void *ud, key_code key)
{
	struct done *d = ud;

	d->calls++;
	d->key = key;
	if (d->free_me != NULL) {
		ask_free(d->free_me);
		d->free_me = NULL;
	}
}

static const struct ask_choice conflict_choices[] = {
	{ 'r', "re-apply on the new version" },
	{ 'd', "drop my change" },
	{ 'v', "view the new version" },
};

/* The 412 question: Enter re-applies, Escape drops. */
static struct ask *
conflict(struct done *d, const char *const *body, size_t nbody)
{
	struct ask_spec spec = {
		.title = "Task #12 changed meanwhile",
		.body = body,
		.nbody = nbody,
		.choices = conflict_choices,
		.nchoices = 3,
		.enter = 'r',
		.escape = 'd',
		.on_done = on_done,
		.ud = d,
	};

	return ask_new(&spec);
}

static const char *const short_body[] = { "Someone else edited it." };

static void
ask__key__each_choice_answers(void **state)
{
	static const key_code keys[] = { 'r', 'd', 'v', 'R', 'D', 'V' };
	static const key_code want[] = { 'r', 'd', 'v', 'r', 'd', 'v' };
	size_t i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		struct done d = { 0 };
		struct ask *a = conflict(&d, short_body, 1);

		assert_int_equal(ask_answer(a), KEYC_NONE);
		assert_int_equal(ask_key(a, keys[i]), ASK_DONE);
		assert_int_equal(d.calls, 1);
		assert_int_equal(d.key, want[i]);
		assert_int_equal(ask_answer(a), want[i]);
		/* Answered once: later keys are not the question's. */
		assert_int_equal(ask_key(a, 'd'), ASK_NONE);
		assert_int_equal(d.calls, 1);
		ask_free(a);
	}
}

static void
ask__key__enter_gives_the_default(void **state)
{
	struct done d = { 0 };
	struct ask *a = conflict(&d, short_body, 1);

	assert_int_equal(ask_key(a, KEYC_ENTER), ASK_DONE);
	assert_int_equal(d.key, 'r');
	ask_free(a);
}

static void
ask__key__escape_gives_the_cancel_choice(void **state)
{
	struct done d = { 0 };
	struct ask *a = conflict(&d, short_body, 1);

	assert_int_equal(ask_key(a, KEYC_ESCAPE), ASK_DONE);
	assert_int_equal(d.key, 'd');
	assert_int_equal(ask_answer(a), 'd');
	ask_free(a);
}

/* ask_yes_no: y and n answer, Escape is n, Enter the default given;
 * the line is the body. */
static void
ask__yes_no__y_n_escape_and_the_enter_given(void **state)
{
	struct done d = { 0 };
	struct ask *a = ask_yes_no("Take it?", "#42 is Sue Support's.", "take",
	                           "leave", 'n', on_done, &d);

	(void)state;
	assert_int_equal(ask_wrap(a, 60), 1);
	assert_string_equal(ask_line(a, 0), "#42 is Sue Support's.");
	assert_int_equal(ask_key(a, KEYC_ENTER), ASK_DONE);
	assert_int_equal(d.key, 'n');
	ask_free(a);
	a = ask_yes_no("Take it?", "x", "take", "leave", 0, on_done, &d);
	assert_int_equal(ask_key(a, KEYC_ENTER), ASK_NONE);
	assert_int_equal(ask_key(a, KEYC_ESCAPE), ASK_DONE);
	assert_int_equal(d.key, 'n');
	ask_free(a);
	a = ask_yes_no("Take it?", "x", "take", "leave", 0, on_done, &d);
	assert_int_equal(ask_key(a, 'Y'), ASK_DONE);
	assert_int_equal(d.key, 'y');
	ask_free(a);
}

static void
ask__key__unknown_keys_ignored(void **state)
{
	static const key_code keys[] = { 'x',     'q',      'j',
		                         ' ',     KEYC_TAB, 'r' | KEYC_META,
		                         KEYC_F1, 0x12 };
	struct done d = { 0 };
	struct ask *a = conflict(&d, short_body, 1);
	size_t i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		assert_int_equal(ask_key(a, keys[i]), ASK_NONE);
	assert_int_equal(d.calls, 0);
	assert_int_equal(ask_answer(a), KEYC_NONE);
	ask_free(a);
}

static void
ask__key__no_enter_or_escape_without_a_choice_for_them(void **state)
{
	static const struct ask_choice yes_no[] = { { 'y', "overwrite" },
		                                    { 'n', "keep it" } };
	struct done d = { 0 };
	struct ask_spec spec = {
		.title = "File exists",
		.choices = yes_no,
		.nchoices = 2,
		.on_done = on_done,
		.ud = &d,
	};
	struct ask *a = ask_new(&spec);

	assert_int_equal(ask_key(a, KEYC_ENTER), ASK_NONE);
	assert_int_equal(ask_key(a, KEYC_ESCAPE), ASK_NONE);
	assert_int_equal(ask_ops.action(a, ACTION_SUBMIT, NULL), VIEW_HANDLED);
	assert_int_equal(d.calls, 0);
	assert_int_equal(ask_key(a, 'N'), ASK_DONE);
	assert_int_equal(d.key, 'n');
	ask_free(a);
}

/* on_done frees the ask: nothing may touch it after (ASan checks). */
static void
ask__on_done__may_free_the_ask(void **state)
{
	struct done d = { 0 };
	struct ask *a = conflict(&d, short_body, 1);

	d.free_me = a;
	assert_int_equal(ask_key(a, 'v'), ASK_DONE);
	a = conflict(&d, short_body, 1);
	d.free_me = a;
	assert_int_equal(ask_key(a, KEYC_ENTER), ASK_DONE);
	a = conflict(&d, short_body, 1);
	d.free_me = a;
	assert_int_equal(ask_ops.action(a, ACTION_BACK, NULL), VIEW_REDRAW);
	assert_int_equal(d.calls, 3);
	assert_int_equal(d.key, 'd');
	assert_null(d.free_me);
}

static void
ask__wrap__long_body_at_width(void **state)
{
	static const char *const body[] = {
		"The quick brown fox jumps over the lazy dog",
		"",
		"Supercalifragilistic word",
	};
	struct done d = { 0 };
	struct ask *a = conflict(&d, body, 3);
	size_t i;

	assert_int_equal(ask_wrap(a, 10), 9);
	assert_string_equal(ask_line(a, 0), "The quick");
	assert_string_equal(ask_line(a, 1), "brown fox");
	assert_string_equal(ask_line(a, 2), "jumps over");
	assert_string_equal(ask_line(a, 3), "the lazy");
	assert_string_equal(ask_line(a, 4), "dog");
	assert_string_equal(ask_line(a, 5), "");
	assert_string_equal(ask_line(a, 6), "Supercalif"); /* cut */
	assert_string_equal(ask_line(a, 7), "ragilistic");
	assert_string_equal(ask_line(a, 8), "word");
	assert_null(ask_line(a, 9));
	for (i = 0; i < 9; i++)
		assert_true(sanitize_width(ask_line(a, i)) <= 10);
	/* Wider: fewer lines; the same width again is the same lines. */
	assert_int_equal(ask_wrap(a, 80), 3);
	assert_int_equal(ask_wrap(a, 80), 3);
	assert_string_equal(ask_line(a, 0), body[0]);
	ask_free(a);
}

static void
ask__wrap__by_display_width_of_wide_characters(void **state)
{
	/* Five CJK characters, two columns each, then "ok". */
	static const char *const body[] = {
		"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe6\x96\x87\xe5\xad\x97 "
		"ok",
	};
	struct done d = { 0 };
	struct ask *a = conflict(&d, body, 1);

	assert_int_equal(ask_wrap(a, 5), 3);
	assert_string_equal(ask_line(a, 0), "\xe6\x97\xa5\xe6\x9c\xac");
	assert_string_equal(ask_line(a, 1), "\xe8\xaa\x9e\xe6\x96\x87");
	assert_string_equal(ask_line(a, 2), "\xe5\xad\x97 ok");
	/* Narrower than one character: still one per line, no hang. */
	assert_int_equal(ask_wrap(a, 1), 7);
	assert_int_equal(ask_wrap(a, 0), 7);
	ask_free(a);
}

static void
ask__new__body_is_sanitised(void **state)
{
	static const char *const body[] = {
		"Title: \x1b[2J\xe2\x80\xae"
		"evil\tname",
		"two\nlines",
	};
	struct done d = { 0 };
	struct ask *a = conflict(&d, body, 2);

	assert_int_equal(ask_wrap(a, 80), 3);
	assert_string_equal(ask_line(a, 0), "Title: ^[[2Jevil name");
	assert_string_equal(ask_line(a, 1), "two");
	assert_string_equal(ask_line(a, 2), "lines");
	ask_free(a);
}

static void
ask__ops__scroll_and_context(void **state)
{
	const char *body[40];
	char lines[40][16];
	struct done d = { 0 };
	struct ask *a;
	size_t i;

	for (i = 0; i < 40; i++) {
		snprintf(lines[i], sizeof lines[i], "line %zu", i);
		body[i] = lines[i];
	}
	a = conflict(&d, body, 40);
	assert_int_equal(ask_ops.context(a), KEYCTX_DETAIL);
	ask_ops.resize(a, 24, 80); /* 24 - 2 border - blank - choices */
	assert_int_equal(ask_key(a, KEYC_UP), ASK_NONE);
	assert_int_equal(ask_key(a, KEYC_DOWN), ASK_REDRAW);
	assert_int_equal(ask_ops.action(a, ACTION_BOTTOM, NULL), VIEW_REDRAW);
	assert_int_equal(ask_ops.action(a, ACTION_DOWN, NULL), VIEW_HANDLED);
	assert_int_equal(ask_ops.action(a, ACTION_REFRESH, NULL),
	                 VIEW_UNHANDLED);
	assert_int_equal(ask_key(a, KEYC_HOME), ASK_REDRAW);
	assert_int_equal(d.calls, 0);
	ask_free(a);
}

static void
ask__ops_key__swallows_stray_keys_passes_control_keys(void **state)
{
	struct done d = { 0 };
	struct ask *a = conflict(&d, short_body, 1);

	/* h and Left are "back" in the detail table, 1 a tab switch. */
	assert_int_equal(ask_ops.key(a, 'h'), VIEW_HANDLED);
	assert_int_equal(ask_ops.key(a, '1'), VIEW_HANDLED);
	assert_int_equal(ask_ops.key(a, KEYC_TAB), VIEW_HANDLED);
	assert_int_equal(ask_ops.key(a, 'a' | KEYC_META), VIEW_HANDLED);
	assert_int_equal(ask_ops.key(a, 0x0C), VIEW_UNHANDLED); /* C-l */
	assert_int_equal(ask_ops.key(a, KEYC_LEFT), VIEW_UNHANDLED);
	assert_int_equal(d.calls, 0);
	assert_int_equal(ask_ops.key(a, 'v'), VIEW_REDRAW);
	assert_int_equal(d.key, 'v');
	ask_free(a);

	a = conflict(&d, short_body, 1);
	assert_int_equal(ask_ops.action(a, ACTION_QUIT, NULL), VIEW_REDRAW);
	assert_int_equal(d.key, 'd');
	assert_int_equal(d.calls, 2);
	ask_free(a);
}

static void
ask__draw__fits_panes_down_to_nothing(void **state)
{
	static const int sizes[][2] = { { 24, 80 }, { 6, 20 }, { 4, 10 },
		                        { 3, 9 },   { 2, 4 },  { 1, 1 } };
	static const char *const body[] = {
		"Task #12 was changed by Ann while you edited it; the server "
		"refused your change (412).",
	};
	struct done d = { 0 };
	struct ask *a = conflict(&d, body, 1);
	FILE *out, *in;
	SCREEN *s;
	WINDOW *w;
	size_t i;
	char buf[256], *at = NULL;
	int y;

	setenv("LINES", "50", 1);
	setenv("COLUMNS", "120", 1);
	out = fopen("/dev/null", "w");
	in = fopen("/dev/null", "r");
	assert_non_null(out);
	assert_non_null(in);
	s = newterm("xterm", out, in);
	if (s == NULL) {
		fclose(out);
		fclose(in);
		ask_free(a);
		skip();
	}
	w = newwin(24, 80, 0, 0);
	ask_ops.draw(a, w, 24, 80);
	assert_true(screen_has(w, 24, "Task #12 changed meanwhile"));
	assert_true(screen_has(w, 24, "the server"));
	assert_true(
	    screen_has(w, 24, "[r] re-apply on the new version (Enter)"));
	assert_true(screen_has(w, 24, "[d] drop my change (Esc)"));
	delwin(w);
	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		w = newwin(sizes[i][0], sizes[i][1], 0, 0);
		ask_ops.draw(a, w, sizes[i][0], sizes[i][1]);
		delwin(w);
	}
	w = newwin(1, 1, 0, 0);
	ask_ops.draw(a, w, 0, 0);
	delwin(w);
	/* A click on a drawn choice gives it. */
	w = newwin(24, 80, 0, 0);
	ask_ops.draw(a, w, 24, 80);
	assert_int_equal(ask_ops.click(a, 0, 0), VIEW_UNHANDLED);
	assert_int_equal(d.calls, 0);
	for (y = 0; y < 24; y++) {
		mvwinnstr(w, y, 0, buf, (int)sizeof buf - 1);
		if ((at = strstr(buf, "[d] drop")) != NULL)
			break;
	}
	assert_non_null(at);
	assert_int_equal(ask_ops.click(a, y, (int)(at - buf) + 2), VIEW_REDRAW);
	assert_int_equal(d.calls, 1);
	assert_int_equal(d.key, 'd');
	delwin(w);
	endwin();
	delscreen(s);
	fclose(out);
	fclose(in);
	ask_free(a);
}

static int
setup(void **state)
{
	return setlocale(LC_ALL, "C.UTF-8") == NULL ? -1 : 0;
}

/* Submit gives the Enter choice and Back / Quit the Escape one; once
 * answered, the ask takes no more actions or clicks. */
static void
ask__ops_action__submit_back_then_nothing(void **state)
{
	static const enum action giving[] = { ACTION_SUBMIT, ACTION_OPEN,
		                              ACTION_BACK, ACTION_QUIT };
	static const key_code want[] = { 'r', 'r', 'd', 'd' };
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++) {
		struct done d = { 0 };
		struct ask *a = conflict(&d, short_body, 1);

		assert_int_equal(ask_ops.action(a, giving[i], NULL),
		                 VIEW_REDRAW);
		assert_int_equal(d.calls, 1);
		assert_int_equal(d.key, want[i]);
		assert_int_equal(ask_answer(a), want[i]);
		assert_int_equal(ask_ops.action(a, giving[i], NULL),
		                 VIEW_UNHANDLED);
		assert_int_equal(ask_ops.action(a, ACTION_DOWN, NULL),
		                 VIEW_UNHANDLED);
		assert_int_equal(ask_ops.click(a, 0, 0), VIEW_UNHANDLED);
		assert_int_equal(d.calls, 1);
		ask_free(a);
	}
	ask_free(NULL);
}

/* With no Enter or Escape choice, those actions keep the question
 * open; with no on_done an answer is still recorded. A NULL body line
 * is an empty line, a NULL label an empty label. */
static void
ask__ops_action__no_default_choices_and_no_callback(void **state)
{
	static const struct ask_choice choices[] = { { 'x', NULL },
		                                     { 'y', "yes" } };
	static const char *const body[] = { "first", NULL, "third" };
	struct ask_spec spec = { .title = "t",
		                 .body = body,
		                 .nbody = 3,
		                 .choices = choices,
		                 .nchoices = 2 };
	struct ask *a = ask_new(&spec);

	(void)state;
	assert_int_equal(ask_wrap(a, 40), 3);
	assert_string_equal(ask_line(a, 0), "first");
	assert_string_equal(ask_line(a, 1), "");
	assert_string_equal(ask_line(a, 2), "third");
	assert_int_equal(ask_ops.action(a, ACTION_SUBMIT, NULL), VIEW_HANDLED);
	assert_int_equal(ask_ops.action(a, ACTION_BACK, NULL), VIEW_HANDLED);
	assert_int_equal(ask_ops.action(a, ACTION_QUIT, NULL), VIEW_HANDLED);
	assert_int_equal(ask_answer(a), KEYC_NONE);
	assert_int_equal(ask_ops.key(a, 'x'), VIEW_REDRAW);
	assert_int_equal(ask_answer(a), 'x');
	ask_free(a);
}

/* A body longer than the box says which lines show ("1-18/40"), and
 * scrolling moves it; a taller window keeps the top in range. */
static void
ask__draw__long_body_says_which_lines_show(void **state)
{
	const char *body[40];
	char lines[40][16];
	struct done d = { 0 };
	struct ask *a;
	struct test_screen ts;
	WINDOW *w;
	size_t i;

	(void)state;
	for (i = 0; i < 40; i++) {
		snprintf(lines[i], sizeof lines[i], "line %zu", i);
		body[i] = lines[i];
	}
	a = conflict(&d, body, 40);
	test_screen_open(&ts);
	w = newwin(24, 80, 0, 0);
	ask_ops.draw(a, w, 24, 80);
	assert_true(screen_has(w, 24, " 1-18/40 "));
	assert_true(screen_has(w, 24, "line 0"));
	assert_int_equal(ask_ops.action(a, ACTION_BOTTOM, NULL), VIEW_REDRAW);
	ask_ops.draw(a, w, 24, 80);
	assert_true(screen_has(w, 24, " 23-40/40 "));
	assert_true(screen_has(w, 24, "line 39"));
	assert_false(screen_has(w, 24, "line 0 "));
	delwin(w);
	/* Taller: all 40 fit, so the page starts at the first line. */
	w = newwin(50, 80, 0, 0);
	ask_ops.draw(a, w, 50, 80);
	assert_true(screen_has(w, 50, "line 0"));
	assert_true(screen_has(w, 50, "line 39"));
	assert_false(screen_has(w, 50, "/40 "));
	delwin(w);
	test_screen_close(&ts);
	assert_int_equal(d.calls, 0);
	ask_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ask__key__each_choice_answers),
		cmocka_unit_test(ask__key__enter_gives_the_default),
		cmocka_unit_test(ask__key__escape_gives_the_cancel_choice),
		cmocka_unit_test(ask__yes_no__y_n_escape_and_the_enter_given),
		cmocka_unit_test(ask__key__unknown_keys_ignored),
		cmocka_unit_test(
		    ask__key__no_enter_or_escape_without_a_choice_for_them),
		cmocka_unit_test(ask__on_done__may_free_the_ask),
		cmocka_unit_test(ask__wrap__long_body_at_width),
		cmocka_unit_test(
		    ask__wrap__by_display_width_of_wide_characters),
		cmocka_unit_test(ask__new__body_is_sanitised),
		cmocka_unit_test(ask__ops__scroll_and_context),
		cmocka_unit_test(
		    ask__ops_key__swallows_stray_keys_passes_control_keys),
		cmocka_unit_test(ask__draw__fits_panes_down_to_nothing),
		cmocka_unit_test(ask__ops_action__submit_back_then_nothing),
		cmocka_unit_test(
		    ask__ops_action__no_default_choices_and_no_callback),
		cmocka_unit_test(ask__draw__long_body_says_which_lines_show),
	};

	return cmocka_run_group_tests_name("tui/ask", tests, setup, NULL);
}
