/* Unit tests for tui/picker.c: filtering, selection, keys, drawing. */
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

#include "tui/picker.h"

/* What on_done heard, and whether it should free the picker. */
struct done {
	int calls;
	bool chosen;
	long long id;
	struct picker *free_me;
};

static void
on_done(void *ud, bool chosen, long long id)
{
	struct done *d = ud;

	d->calls++;
	d->chosen = chosen;
	d->id = id;
	if (d->free_me != NULL) {
		picker_free(d->free_me);
		d->free_me = NULL;
	}
}

/* A picker of four staff members, ids 1 to 4. */
static struct picker *
staff(struct done *d)
{
	struct picker *p = picker_new("Assign #12 to", on_done, d);

	picker_add(p, 1, "Ann Smith", "ann@care.example");
	picker_add(p, 2, "Bob Jones", "bob@care.example");
	picker_add(p, 3, "Annabel Lee", NULL);
	picker_add(p, 4, "Carl Banner", "carl@care.example");
	return p;
}

/* Typing ch leaves exactly one match: the item of id. */
static void
only_match_after(struct picker *p, key_code ch, long long id)
{
	assert_int_equal(picker_key(p, ch), PICKER_REDRAW);
	assert_int_equal(picker_matches(p), 1);
	assert_int_equal(picker_match_id(p, 0), id);
}

/* Types an ASCII string into the picker. */
static void
type(struct picker *p, const char *s)
{
	for (; *s != '\0'; s++)
		assert_int_equal(picker_key(p, (key_code)(unsigned char)*s),
		                 PICKER_REDRAW);
}

static void
picker__filter__narrows_and_unnarrows(void **state)
{
	struct done d = { 0 };
	struct picker *p = staff(&d);

	assert_int_equal(picker_matches(p), 4);
	type(p, "ann");
	/* Ann Smith, Annabel Lee, and Carl Banner by "Banner". */
	assert_int_equal(picker_matches(p), 3);
	assert_int_equal(picker_match_id(p, 0), 1);
	assert_int_equal(picker_match_id(p, 1), 3);
	assert_int_equal(picker_match_id(p, 2), 4);
	type(p, "a");
	assert_string_equal(picker_filter(p), "anna");
	assert_int_equal(picker_matches(p), 1);
	assert_int_equal(picker_selected_id(p), 3);
	assert_int_equal(picker_key(p, KEYC_BACKSPACE), PICKER_REDRAW);
	assert_int_equal(picker_matches(p), 3);
	assert_int_equal(picker_key(p, 0x15), PICKER_REDRAW); /* C-u */
	assert_string_equal(picker_filter(p), "");
	assert_int_equal(picker_matches(p), 4);
	assert_int_equal(picker_total(p), 4);
	assert_int_equal(picker_key(p, 0x15), PICKER_NONE);
	assert_int_equal(picker_key(p, KEYC_BACKSPACE), PICKER_NONE);
	picker_free(p);
	assert_int_equal(d.calls, 0);
}

static void
picker__filter__matches_detail_and_ignores_case(void **state)
{
	struct done d = { 0 };
	struct picker *p = staff(&d);

	type(p, "BOB@");
	assert_int_equal(picker_matches(p), 1);
	assert_int_equal(picker_match_id(p, 0), 2);
	assert_int_equal(picker_key(p, 0x15), PICKER_REDRAW);
	picker_add(p, 5, "\xc3\x89lodie Durand", NULL); /* Élodie */
	only_match_after(p, 0xE9, 5);                   /* é */
	picker_free(p);
}

static void
picker__type__utf8_and_backspace_over_multibyte(void **state)
{
	struct done d = { 0 };
	struct picker *p = staff(&d);

	type(p, "a");
	assert_int_equal(picker_key(p, 0xE9), PICKER_REDRAW);    /* é */
	assert_int_equal(picker_key(p, 0x1F600), PICKER_REDRAW); /* 😀 */
	assert_string_equal(picker_filter(p), "a\xc3\xa9\xf0\x9f\x98\x80");
	assert_int_equal(picker_matches(p), 0);
	assert_int_equal(picker_key(p, KEYC_BACKSPACE), PICKER_REDRAW);
	assert_string_equal(picker_filter(p), "a\xc3\xa9");
	assert_int_equal(picker_key(p, 0x08), PICKER_REDRAW); /* C-h */
	assert_string_equal(picker_filter(p), "a");
	assert_int_equal(picker_matches(p), 4);
	picker_free(p);
}

static void
picker__key__letters_are_text_not_bindings(void **state)
{
	struct done d = { 0 };
	struct picker *p = staff(&d);

	type(p, "jkq:?");
	assert_string_equal(picker_filter(p), "jkq:?");
	/* Not text: Meta, function keys, controls, bidi, C1. */
	assert_int_equal(picker_key(p, 'j' | KEYC_META), PICKER_NONE);
	assert_int_equal(picker_key(p, KEYC_F1), PICKER_NONE);
	assert_int_equal(picker_key(p, KEYC_TAB), PICKER_NONE);
	assert_int_equal(picker_key(p, 0x01), PICKER_NONE);
	assert_int_equal(picker_key(p, 0x202E), PICKER_NONE);
	assert_int_equal(picker_key(p, 0x9B), PICKER_NONE);
	assert_string_equal(picker_filter(p), "jkq:?");
	assert_int_equal(d.calls, 0);
	picker_free(p);
}

static void
picker__key__moves_with_arrows_and_control_keys(void **state)
{
	struct done d = { 0 };
	struct picker *p = staff(&d);

	picker_ops.resize(p, 24, 80); /* four rows show: a page is three */
	assert_int_equal(picker_selected_id(p), 1);
	assert_int_equal(picker_key(p, KEYC_UP), PICKER_NONE);
	assert_int_equal(picker_key(p, KEYC_DOWN), PICKER_REDRAW);
	assert_int_equal(picker_key(p, 0x0E), PICKER_REDRAW); /* C-n */
	assert_int_equal(picker_selected_id(p), 3);
	assert_int_equal(picker_key(p, 0x10), PICKER_REDRAW); /* C-p */
	assert_int_equal(picker_selected_id(p), 2);
	assert_int_equal(picker_key(p, KEYC_END), PICKER_REDRAW);
	assert_int_equal(picker_selected_id(p), 4);
	assert_int_equal(picker_key(p, KEYC_END), PICKER_NONE);
	assert_int_equal(picker_key(p, KEYC_PGUP), PICKER_REDRAW);
	assert_int_equal(picker_selected_id(p), 1);
	assert_int_equal(picker_key(p, KEYC_HOME), PICKER_NONE);
	assert_int_equal(picker_key(p, KEYC_PGDN), PICKER_REDRAW);
	assert_int_equal(picker_selected_id(p), 4);
	picker_free(p);
}

static void
picker__key__enter_chooses_selected(void **state)
{
	struct done d = { 0 };
	struct picker *p = staff(&d);

	picker_key(p, KEYC_DOWN);
	assert_int_equal(picker_chosen_id(p), -1);
	assert_int_equal(picker_key(p, KEYC_ENTER), PICKER_CHOSEN);
	assert_int_equal(d.calls, 1);
	assert_true(d.chosen);
	assert_int_equal(d.id, 2);
	assert_int_equal(picker_chosen_id(p), 2);
	/* Answered once: later keys are not the picker's. */
	assert_int_equal(picker_key(p, KEYC_ENTER), PICKER_NONE);
	assert_int_equal(picker_key(p, 'x'), PICKER_NONE);
	assert_int_equal(d.calls, 1);
	picker_free(p);
}

static void
picker__key__enter_with_no_match_does_nothing(void **state)
{
	struct done d = { 0 };
	struct picker *p = staff(&d);

	type(p, "zzz");
	assert_int_equal(picker_matches(p), 0);
	assert_int_equal(picker_selected_id(p), -1);
	assert_int_equal(picker_key(p, KEYC_ENTER), PICKER_NONE);
	assert_int_equal(d.calls, 0);
	assert_int_equal(picker_chosen_id(p), -1);
	picker_free(p);
}

static void
picker__key__escape_cancels(void **state)
{
	struct done d = { .id = 99 };
	struct picker *p = staff(&d);

	type(p, "bob");
	assert_int_equal(picker_key(p, KEYC_ESCAPE), PICKER_CANCELLED);
	assert_int_equal(d.calls, 1);
	assert_false(d.chosen);
	assert_int_equal(d.id, -1);
	assert_int_equal(picker_chosen_id(p), -1);
	picker_free(p);
}

/* on_done frees the picker: nothing may touch it after (ASan checks). */
static void
picker__on_done__may_free_the_picker(void **state)
{
	struct done d = { 0 };
	struct picker *p = staff(&d);

	d.free_me = p;
	assert_int_equal(picker_key(p, KEYC_ENTER), PICKER_CHOSEN);
	assert_int_equal(d.id, 1);
	p = staff(&d);
	d.free_me = p;
	assert_int_equal(picker_key(p, KEYC_ESCAPE), PICKER_CANCELLED);
	p = staff(&d);
	d.free_me = p;
	assert_int_equal(picker_ops.action(p, ACTION_SUBMIT, NULL),
	                 VIEW_REDRAW);
	p = staff(&d);
	d.free_me = p;
	assert_int_equal(picker_ops.action(p, ACTION_BACK, NULL), VIEW_REDRAW);
	assert_int_equal(d.calls, 4);
	assert_null(d.free_me);
}

static void
picker__add__while_loading_keeps_selection(void **state)
{
	struct done d = { 0 };
	struct picker *p = picker_new("Assign", on_done, &d);

	picker_set_loading(p, true);
	assert_true(picker_loading(p));
	assert_int_equal(picker_selected_id(p), -1);
	picker_add(p, 10, "Zoe", NULL);
	picker_add(p, 11, "Yann", NULL);
	assert_int_equal(picker_selected_id(p), 10);
	picker_key(p, KEYC_DOWN);
	assert_int_equal(picker_selected_id(p), 11);
	type(p, "a");
	picker_add(p, 12, "Xavier", NULL);
	picker_add(p, 13, "Walt", NULL);
	picker_add(p, 14, "Vic", NULL); /* does not match "a" */
	assert_int_equal(picker_matches(p), 3);
	assert_int_equal(picker_selected_id(p), 11);
	picker_key(p, KEYC_BACKSPACE);
	assert_int_equal(picker_matches(p), 5);
	assert_int_equal(picker_selected_id(p), 11);
	picker_done_loading(p);
	assert_false(picker_loading(p));
	picker_free(p);
}

static void
picker__select_id__now_and_when_it_arrives(void **state)
{
	struct done d = { 0 };
	struct picker *p = staff(&d);

	picker_select_id(p, 3);
	assert_int_equal(picker_selected_id(p), 3);
	picker_free(p);

	p = picker_new("Assign", on_done, &d);
	picker_set_loading(p, true);
	picker_select_id(p, 7);
	picker_add(p, 5, "Eve", NULL);
	assert_int_equal(picker_selected_id(p), 5);
	picker_add(p, 7, "Gus", NULL);
	picker_add(p, 8, "Hal", NULL);
	assert_int_equal(picker_selected_id(p), 7);
	/* Filtering it away and back brings it back. */
	type(p, "hal");
	assert_int_equal(picker_selected_id(p), 8);
	picker_key(p, 0x15);
	assert_int_equal(picker_selected_id(p), 7);
	/* Once the user moves, later items do not steal the cursor. */
	picker_key(p, KEYC_UP);
	assert_int_equal(picker_selected_id(p), 5);
	picker_add(p, 7, "Gus again", NULL);
	assert_int_equal(picker_selected_id(p), 5);
	picker_free(p);
}

static void
picker__add__hostile_labels_come_out_sanitised(void **state)
{
	struct done d = { 0 };
	struct picker *p = picker_new("Assign \x1b]0;owned\x07", on_done, &d);

	picker_add(p, 1, "Eve\x1b[31m\xe2\x80\xaeRED\tx",
	           "\xe2\x81\xa6mallory\x9b\x07");
	picker_set_error(p, "GET /staff: \x1b[2Jbad\xff");
	assert_string_equal(picker_match_label(p, 0), "Eve^[[31mRED x");
	assert_string_equal(picker_match_detail(p, 0), "mallory\xef\xbf\xbd^G");
	assert_string_equal(picker_error(p),
	                    "GET /staff: ^[[2Jbad\xef\xbf\xbd");
	assert_null(strchr(picker_match_label(p, 0), '\x1b'));
	assert_null(picker_match_label(p, 1));
	/* Typing the escape's caret form finds it as text, harmlessly. */
	type(p, "^[");
	assert_int_equal(picker_matches(p), 1);
	picker_set_error(p, NULL);
	assert_null(picker_error(p));
	picker_free(p);
}

static void
picker__set_error__ends_loading(void **state)
{
	struct done d = { 0 };
	struct picker *p = picker_new("Assign", NULL, &d);

	picker_set_loading(p, true);
	picker_set_error(p, "could not load staff");
	assert_false(picker_loading(p));
	/* No on_done: the result is polled. */
	picker_add(p, 4, "Dan", NULL);
	assert_int_equal(picker_key(p, KEYC_ENTER), PICKER_CHOSEN);
	assert_int_equal(picker_chosen_id(p), 4);
	picker_free(p);
}

static void
picker__ops__actions_move_and_choose(void **state)
{
	struct done d = { 0 };
	struct picker *p = staff(&d);

	assert_int_equal(picker_ops.context(p), KEYCTX_INPUT);
	assert_int_equal(picker_ops.action(p, ACTION_DOWN, NULL), VIEW_REDRAW);
	assert_int_equal(picker_ops.action(p, ACTION_BOTTOM, NULL),
	                 VIEW_REDRAW);
	assert_int_equal(picker_selected_id(p), 4);
	assert_int_equal(picker_ops.action(p, ACTION_REFRESH, NULL),
	                 VIEW_UNHANDLED);
	assert_int_equal(picker_ops.action(p, ACTION_SUBMIT, NULL),
	                 VIEW_REDRAW);
	assert_int_equal(d.calls, 1);
	assert_int_equal(d.id, 4);
	assert_int_equal(picker_ops.action(p, ACTION_DOWN, NULL),
	                 VIEW_UNHANDLED);
	picker_free(p);
}

static void
picker__ops_key__keeps_text_passes_control_keys(void **state)
{
	struct done d = { 0 };
	struct picker *p = staff(&d);
	int i;

	assert_int_equal(picker_ops.key(p, 'q'), VIEW_REDRAW);
	assert_int_equal(picker_ops.key(p, '1'), VIEW_REDRAW);
	assert_string_equal(picker_filter(p), "q1");
	/* Changing nothing, but still the picker's: no quit, no tab. */
	assert_int_equal(picker_ops.key(p, KEYC_TAB), VIEW_HANDLED);
	assert_int_equal(picker_ops.key(p, 'a' | KEYC_META), VIEW_HANDLED);
	assert_int_equal(picker_ops.key(p, KEYC_ENTER), VIEW_HANDLED);
	assert_int_equal(picker_ops.key(p, KEYC_DOWN), VIEW_HANDLED);
	/* The bindings' keys: redraw, suspend, F5. */
	assert_int_equal(picker_ops.key(p, 0x0C), VIEW_UNHANDLED);
	assert_int_equal(picker_ops.key(p, 0x1A), VIEW_UNHANDLED);
	assert_int_equal(picker_ops.key(p, KEYC_F1 + 4), VIEW_UNHANDLED);
	assert_int_equal(d.calls, 0);
	/* A full filter still swallows text. */
	for (i = 0; i < 300; i++)
		assert_int_equal(picker_key(p, 'x'), PICKER_REDRAW);
	assert_int_equal(strlen(picker_filter(p)), 255);
	assert_int_equal(picker_ops.key(p, 'q'), VIEW_REDRAW);
	assert_int_equal(strlen(picker_filter(p)), 255);
	assert_int_equal(picker_ops.key(p, KEYC_ESCAPE), VIEW_REDRAW);
	assert_int_equal(d.calls, 1);
	assert_false(d.chosen);
	picker_free(p);
}

static void
picker__ops__quit_cancels(void **state)
{
	struct done d = { 0 };
	struct picker *p = staff(&d);

	assert_int_equal(picker_ops.action(p, ACTION_QUIT, NULL), VIEW_REDRAW);
	assert_int_equal(d.calls, 1);
	assert_false(d.chosen);
	picker_free(p);
}

/* The screen's row y as text (ASCII only). */
static void
row_text(WINDOW *w, int y, char *buf, int len)
{
	mvwinnstr(w, y, 0, buf, len);
}

/* True when some row of w contains needle. */
static bool
screen_has(WINDOW *w, int rows, const char *needle)
{
	char buf[256];
	int y;

	for (y = 0; y < rows; y++) {
		row_text(w, y, buf, (int)sizeof buf - 1);
		if (strstr(buf, needle) != NULL)
			return true;
	}
	return false;
}

/* A curses screen writing to /dev/null, so draw() runs without a tty. */
static SCREEN *
fake_screen(FILE **out, FILE **in)
{
	SCREEN *s;

	setenv("LINES", "50", 1);
	setenv("COLUMNS", "120", 1);
	*out = fopen("/dev/null", "w");
	*in = fopen("/dev/null", "r");
	assert_non_null(*out);
	assert_non_null(*in);
	s = newterm("xterm", *out, *in);
	if (s == NULL) {
		fclose(*out);
		fclose(*in);
	}
	return s;
}

static void
picker__draw__fits_panes_down_to_nothing(void **state)
{
	static const int sizes[][2] = { { 24, 80 }, { 6, 20 }, { 5, 12 },
		                        { 3, 9 },   { 2, 4 },  { 1, 1 } };
	struct done d = { 0 };
	struct picker *p = staff(&d);
	FILE *out, *in;
	SCREEN *s = fake_screen(&out, &in);
	WINDOW *w;
	size_t i;

	if (s == NULL)
		skip();
	picker_set_loading(p, true);
	for (i = 0; i < 30; i++) {
		char label[32];

		snprintf(label, sizeof label, "Extra person %zu", i);
		picker_add(p, 100 + (long long)i, label, "x@care.example");
	}
	type(p, "an");
	w = newwin(24, 80, 0, 0);
	picker_ops.draw(p, w, 24, 80);
	assert_true(screen_has(w, 24, "Assign #12 to"));
	assert_true(screen_has(w, 24, "> an_"));
	assert_true(screen_has(w, 24, "Ann Smith"));
	assert_true(screen_has(w, 24, "3/34"));
	assert_true(screen_has(w, 24, "loading..."));
	assert_true(screen_has(w, 24, "Esc cancel"));
	/* The box is centred: nothing in the first and last columns. */
	assert_int_equal(mvwinch(w, 12, 0) & A_CHARTEXT, ' ');
	delwin(w);
	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		w = newwin(sizes[i][0], sizes[i][1], 0, 0);
		picker_ops.draw(p, w, sizes[i][0], sizes[i][1]);
		if (sizes[i][0] == 6)
			assert_true(screen_has(w, 6, "> an_"));
		delwin(w);
	}
	w = newwin(1, 1, 0, 0);
	picker_ops.draw(p, w, 0, 0);
	picker_ops.draw(p, w, -1, 5);
	delwin(w);
	endwin();
	delscreen(s);
	fclose(out);
	fclose(in);
	picker_free(p);
}

static void
picker__click__selects_then_chooses(void **state)
{
	struct done d = { 0 };
	struct picker *p = staff(&d);
	FILE *out, *in;
	SCREEN *s = fake_screen(&out, &in);
	WINDOW *w;
	int y;
	char buf[128];

	if (s == NULL)
		skip();
	w = newwin(24, 80, 0, 0);
	picker_ops.draw(p, w, 24, 80);
	for (y = 0; y < 24; y++) {
		row_text(w, y, buf, (int)sizeof buf - 1);
		if (strstr(buf, "Bob Jones") != NULL)
			break;
	}
	assert_true(y < 24);
	assert_int_equal(picker_ops.click(p, y, 1), VIEW_UNHANDLED);
	assert_int_equal(picker_ops.click(p, y, 40), VIEW_REDRAW);
	assert_int_equal(picker_selected_id(p), 2);
	assert_int_equal(d.calls, 0);
	assert_int_equal(picker_ops.click(p, y, 40), VIEW_REDRAW);
	assert_int_equal(d.calls, 1);
	assert_int_equal(d.id, 2);
	delwin(w);
	endwin();
	delscreen(s);
	fclose(out);
	fclose(in);
	picker_free(p);
}

/* Labels with three- and four-byte characters are matched by whole
 * characters, and a case-folded three-byte letter matches its pair;
 * surrogates and code points past Unicode are not text. */
static void
picker__filter__wide_characters_and_invalid_code_points(void **state)
{
	struct done d = { 0 };
	struct picker *p = picker_new("Pick", on_done, &d);

	picker_add(p, 1, "Caf\xe2\x82\xac 5", NULL);           /* € */
	picker_add(p, 2, "Smile \xf0\x9f\x98\x80 team", NULL); /* 😀 */
	picker_add(p, 3, "\xe1\xb8\x82ob", NULL);              /* Ḃ */
	only_match_after(p, 0x1F600, 2);
	assert_int_equal(picker_key(p, 0x15), PICKER_REDRAW); /* C-u */
	only_match_after(p, 0x20AC, 1);
	assert_int_equal(picker_key(p, 0x15), PICKER_REDRAW);
	only_match_after(p, 0x1E03, 3); /* ḃ */
	assert_int_equal(picker_key(p, 0xD800), PICKER_NONE);
	assert_int_equal(picker_key(p, 0x110000), PICKER_NONE);
	assert_string_equal(picker_filter(p), "\xe1\xb8\x83");
	assert_null(picker_match_label(p, 1));
	assert_null(picker_match_detail(p, 1));
	assert_string_equal(picker_match_detail(p, 0), "");
	picker_free(p);
	picker_free(NULL);
}

/* With nothing shown the list says why: nothing to choose from, or
 * nothing matching the filter. */
static void
picker__draw__says_why_the_list_is_empty(void **state)
{
	struct done d = { 0 };
	struct picker *p = picker_new("Pick", on_done, &d);
	FILE *out, *in;
	SCREEN *s = fake_screen(&out, &in);
	WINDOW *w;

	assert_non_null(s);
	w = newwin(24, 80, 0, 0);
	picker_ops.draw(p, w, 24, 80);
	assert_true(screen_has(w, 24, "(nothing to choose)"));
	picker_add(p, 1, "Ann Smith", NULL);
	type(p, "zz");
	werase(w);
	picker_ops.draw(p, w, 24, 80);
	assert_true(screen_has(w, 24, "no matches"));
	assert_false(screen_has(w, 24, "Ann Smith"));
	delwin(w);
	endwin();
	delscreen(s);
	fclose(out);
	fclose(in);
	picker_free(p);
}

static int
setup(void **state)
{
	return setlocale(LC_ALL, "C.UTF-8") == NULL ? -1 : 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(picker__filter__narrows_and_unnarrows),
		cmocka_unit_test(
		    picker__filter__matches_detail_and_ignores_case),
		cmocka_unit_test(
		    picker__type__utf8_and_backspace_over_multibyte),
		cmocka_unit_test(picker__key__letters_are_text_not_bindings),
		cmocka_unit_test(
		    picker__key__moves_with_arrows_and_control_keys),
		cmocka_unit_test(picker__key__enter_chooses_selected),
		cmocka_unit_test(picker__key__enter_with_no_match_does_nothing),
		cmocka_unit_test(picker__key__escape_cancels),
		cmocka_unit_test(picker__on_done__may_free_the_picker),
		cmocka_unit_test(picker__add__while_loading_keeps_selection),
		cmocka_unit_test(picker__select_id__now_and_when_it_arrives),
		cmocka_unit_test(
		    picker__add__hostile_labels_come_out_sanitised),
		cmocka_unit_test(picker__set_error__ends_loading),
		cmocka_unit_test(picker__ops__actions_move_and_choose),
		cmocka_unit_test(
		    picker__ops_key__keeps_text_passes_control_keys),
		cmocka_unit_test(picker__ops__quit_cancels),
		cmocka_unit_test(picker__draw__fits_panes_down_to_nothing),
		cmocka_unit_test(picker__click__selects_then_chooses),
		cmocka_unit_test(
		    picker__filter__wide_characters_and_invalid_code_points),
		cmocka_unit_test(picker__draw__says_why_the_list_is_empty),
	};

	return cmocka_run_group_tests_name("tui/picker", tests, setup, NULL);
}
