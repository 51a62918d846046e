/* Unit tests for tui/passphrase.c: what is typed goes into the secret
 * (never to the bindings or the screen), is edited by character, and
 * goes to on_done once. */
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

#include "keymaps/key.h"
#include "net/base/secret.h"
#include "tui/passphrase.h"

#include "screen_has.h"

/* What on_done was given: how often, and a copy of the secret. */
struct got {
	int calls;
	bool secret;
	char text[2048];
};

static void
on_done(void *ud, struct secret *pass)
{
	struct got *g = ud;

	g->calls++;
	g->secret = pass != NULL;
	g->text[0] = '\0';
	if (pass != NULL) {
		snprintf(g->text, sizeof g->text, "%s",
		         (const char *)secret_open_read(pass));
		secret_close(pass);
		secret_free(pass);
	}
}

/* Types the code points of keys, each answered with a redraw. */
static void
type(struct passphrase *p, const key_code *keys, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		assert_int_equal(passphrase_ops.key(p, keys[i]), VIEW_REDRAW);
}

/* Backspace and C-h drop a whole character (all its UTF-8 bytes), C-u
 * everything; Enter gives what is left, once; keys after that are
 * taken and ignored. */
static void
passphrase__key__edits_by_character_then_gives_once(void **state)
{
	static const key_code word[] = { 'a', 0xe9, 'b', 0x20ac };
	struct got g = { 0 };
	struct passphrase *p =
	    passphrase_new("Unlock", "Your key", on_done, &g);

	(void)state;
	/* Backspace with nothing typed: nothing to drop. */
	assert_int_equal(passphrase_ops.key(p, KEYC_BACKSPACE), VIEW_REDRAW);
	type(p, word, 4);
	assert_int_equal(passphrase_ops.key(p, KEYC_BACKSPACE), VIEW_REDRAW);
	assert_int_equal(passphrase_ops.key(p, 'h' & 0x1f), VIEW_REDRAW);
	type(p, (const key_code[]){ 'c' }, 1);
	assert_int_equal(g.calls, 0);
	assert_int_equal(passphrase_ops.key(p, KEYC_ENTER), VIEW_REDRAW);
	assert_int_equal(g.calls, 1);
	assert_true(g.secret);
	assert_string_equal(g.text, "a\xc3\xa9"
	                            "c");
	assert_int_equal(passphrase_ops.key(p, 'x'), VIEW_HANDLED);
	assert_int_equal(passphrase_ops.key(p, '\n'), VIEW_HANDLED);
	assert_int_equal(g.calls, 1);

	/* Retry: a fresh entry; C-u clears; Enter on nothing gives NULL. */
	passphrase_retry(p, "wrong passphrase");
	type(p, word, 4);
	assert_int_equal(passphrase_ops.key(p, 'u' & 0x1f), VIEW_REDRAW);
	assert_int_equal(passphrase_ops.key(p, '\n'), VIEW_REDRAW);
	assert_int_equal(g.calls, 2);
	assert_false(g.secret);
	passphrase_ops.free(p);
	passphrase_free(NULL);
}

/* Escape and C-g cancel (NULL, even with text typed); C-l goes on to
 * the bindings (redraw); other control, Alt and function keys are taken
 * and typed nowhere. */
static void
passphrase__key__cancel_and_keys_kept_from_the_bindings(void **state)
{
	static const key_code cancel[] = { KEYC_ESCAPE, 'g' & 0x1f };
	struct got g = { 0 };
	struct passphrase *p;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		p = passphrase_new("Unlock", "Your key", on_done, &g);
		type(p, (const key_code[]){ 's', 'e' }, 2);
		assert_int_equal(passphrase_ops.key(p, cancel[i]), VIEW_REDRAW);
		assert_int_equal(g.calls, (int)i + 1);
		assert_false(g.secret);
		passphrase_free(p);
	}
	p = passphrase_new("Unlock", "Your key", on_done, &g);
	assert_int_equal(passphrase_ops.key(p, 'l' & 0x1f), VIEW_UNHANDLED);
	assert_int_equal(passphrase_ops.key(p, 'a' & 0x1f), VIEW_HANDLED);
	assert_int_equal(passphrase_ops.key(p, KEYC_META | 'x'), VIEW_HANDLED);
	assert_int_equal(passphrase_ops.key(p, KEYC_F1), VIEW_REDRAW);
	assert_int_equal(passphrase_ops.key(p, KEYC_UP), VIEW_REDRAW);
	assert_int_equal(passphrase_ops.key(p, KEYC_ENTER), VIEW_REDRAW);
	assert_false(g.secret); /* none of them was typed */
	/* Of the actions, only redraw (C-l) is left to the frame. */
	assert_int_equal(passphrase_ops.action(p, ACTION_REDRAW, NULL),
	                 VIEW_UNHANDLED);
	assert_int_equal(passphrase_ops.action(p, ACTION_QUIT, NULL),
	                 VIEW_HANDLED);
	assert_int_equal(passphrase_ops.context(p), KEYCTX_INPUT);
	passphrase_free(p);
}

/* At most 1023 bytes are kept: the rest of a long paste is dropped,
 * a character that would not fit whole included. */
static void
passphrase__key__bounded_length(void **state)
{
	struct got g = { 0 };
	struct passphrase *p =
	    passphrase_new("Unlock", "Your key", on_done, &g);
	int i;

	(void)state;
	for (i = 0; i < 1022; i++)
		passphrase_ops.key(p, 'x');
	passphrase_ops.key(p, 0xe9); /* two bytes: 1024 with the NUL */
	passphrase_ops.key(p, 'y');
	passphrase_ops.key(p, 'z');
	passphrase_ops.key(p, KEYC_ENTER);
	assert_int_equal(g.calls, 1);
	assert_int_equal(strlen(g.text), 1023);
	assert_int_equal(g.text[1021], 'x');
	assert_int_equal(g.text[1022], 'y');
	passphrase_free(p);
}

/* Draws p into a fresh rows x cols window, returned. */
static WINDOW *
drawn(struct passphrase *p, int rows, int cols)
{
	WINDOW *w = newwin(rows, cols, 0, 0);

	assert_non_null(w);
	passphrase_ops.draw(p, w, rows, cols);
	return w;
}

/* The box shows the title, prompt, field and keys, that something is
 * typed but never what; busy replaces the entry; an error shows; below
 * its size nothing is drawn. */
static void
passphrase__draw__never_the_text(void **state)
{
	struct got g = { 0 };
	struct passphrase *p =
	    passphrase_new("Unlock", "Your key", on_done, &g);
	struct test_screen ts;
	WINDOW *w;

	(void)state;
	test_screen_open(&ts);
	w = drawn(p, 24, 80);
	assert_true(screen_has(w, 24, "Unlock"));
	assert_true(screen_has(w, 24, "Your key"));
	assert_true(screen_has(w, 24, "passphrase:"));
	assert_false(screen_has(w, 24, "typed, not shown"));
	assert_true(screen_has(w, 24, "Enter unlocks  Esc cancels"));
	delwin(w);

	type(p, (const key_code[]){ 'q', 'z', 'q' }, 3);
	passphrase_ask_for(p, "new passphrase", "Enter saves");
	w = drawn(p, 24, 80);
	assert_true(screen_has(w, 24, "new passphrase: (typed, not shown)"));
	assert_true(screen_has(w, 24, "Enter saves"));
	assert_false(screen_has(w, 24, "qzq"));
	delwin(w);

	passphrase_busy(p, "checking\tstrength");
	passphrase_retry(p, "too short");
	passphrase_busy(p, "checking\tstrength");
	w = drawn(p, 24, 80);
	assert_true(screen_has(w, 24, "checking strength"));
	assert_false(screen_has(w, 24, "new passphrase:"));
	assert_true(screen_has(w, 24, "too short"));
	delwin(w);

	/* Too narrow (under 20 columns for the box) or too short: blank. */
	w = drawn(p, 24, 23);
	assert_false(screen_has(w, 24, "Unlock"));
	delwin(w);
	w = drawn(p, 6, 80);
	assert_false(screen_has(w, 6, "Unlock"));
	delwin(w);
	w = drawn(p, 7, 24);
	assert_true(screen_has(w, 7, "Unlock"));
	delwin(w);
	test_screen_close(&ts);
	passphrase_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    passphrase__key__edits_by_character_then_gives_once),
		cmocka_unit_test(
		    passphrase__key__cancel_and_keys_kept_from_the_bindings),
		cmocka_unit_test(passphrase__key__bounded_length),
		cmocka_unit_test(passphrase__draw__never_the_text),
	};

	return cmocka_run_group_tests_name("tui/passphrase", tests, NULL, NULL);
}
