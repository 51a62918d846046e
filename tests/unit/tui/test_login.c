/* The sign-in form's keys, through the default bindings' form context:
 * Tab and BTab (and Down and Up) move between the fields and wrap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curses.h>
#include <sodium.h>

#include "keymaps/bindings.h"
#include "tui/login.h"

#include "screen_has.h"

static struct bindings *
default_bindings(void)
{
	struct bindings_errors errs = { 0 };
	struct bindings *b = bindings_new();

	assert_int_equal(bindings_load_defaults(b, &errs), 0);
	assert_int_equal(errs.n, 0);
	bindings_errors_free(&errs);
	return b;
}

static void
press(struct login_form *f, const struct bindings *b, key_code key)
{
	assert_int_equal(login_key(f, b, key), LOGIN_EDITING);
}

/* The password typed so far (taken: the field is empty after). */
static void
password_is(struct login_form *f, const char *want)
{
	char *pw = login_password(f);

	assert_string_equal(pw, want);
	/* Emptied for the next try, as after api_login. */
	memset(pw, 0, strlen(pw));
}

/* In a script, these bytes stand for keys the form binds; any other
 * byte is typed. */
#define S_TAB  "\001"
#define S_BTAB "\002"
#define S_DOWN "\003"
#define S_UP   "\004"

/* Runs script on a form that starts with email (may be NULL), then
 * checks what each field holds. */
static void
run(const char *email, const char *script, const char *want_email,
    const char *want_password)
{
	static const key_code keys[] = { 0, KEYC_TAB, KEYC_BTAB, KEYC_DOWN,
		                         KEYC_UP };
	struct bindings *b = default_bindings();
	struct login_form *f = login_new(email);
	unsigned char c;

	for (; *script != '\0'; script++) {
		c = (unsigned char)*script;
		press(f, b, c < 5 ? keys[c] : (key_code)c);
	}
	assert_string_equal(login_email(f), want_email);
	password_is(f, want_password);
	login_free(f);
	bindings_free(b);
}

/* No email known: the email field first; Tab goes on and wraps. */
static void
login__tab_moves_to_the_next_field_and_wraps(void **state)
{
	(void)state;
	run(NULL, "a@" S_TAB "pw" S_TAB "b.c" S_TAB "1", "a@b.c", "pw1");
}

/* The email known: the password field first; BTab goes back and wraps,
 * and Tab then BTab comes back to the same field. */
static void
login__btab_moves_back_and_wraps(void **state)
{
	(void)state;
	run("me@example.com", "x" S_BTAB "m" S_BTAB "y" S_TAB S_BTAB "z",
	    "me@example.comm", "xyz");
}

static void
login__down_and_up_move_as_tab_and_btab(void **state)
{
	(void)state;
	run(NULL, S_DOWN "p" S_UP "e" S_UP S_UP "f", "ef", "p");
}

/* Enter on the email goes on to the password; on a typed password it
 * submits. */
static void
login__enter_submits_only_from_a_typed_password(void **state)
{
	struct bindings *b = default_bindings();
	struct login_form *f = login_new(NULL);

	(void)state;
	press(f, b, 'e');
	press(f, b, KEYC_ENTER);
	press(f, b, KEYC_ENTER); /* no password yet */
	press(f, b, 'p');
	assert_int_equal(login_key(f, b, KEYC_ENTER), LOGIN_SUBMIT);
	assert_string_equal(login_email(f), "e");
	password_is(f, "p");
	login_free(f);
	bindings_free(b);
}

/* Backspace (and C-h) erases a whole character, of whichever field is
 * current, and nothing when the field is empty. */
static void
login__backspace_erases_whole_characters(void **state)
{
	struct bindings *b = default_bindings();
	struct login_form *f = login_new(NULL);
	static const key_code typed[] = { 'a', 0xe9, 0x20ac, KEYC_BACKSPACE,
		                          8 };

	(void)state;
	press(f, b, KEYC_BACKSPACE); /* empty: stays empty */
	for (size_t i = 0; i < sizeof typed / sizeof typed[0]; i++)
		press(f, b, typed[i]);
	assert_string_equal(login_email(f), "a");
	press(f, b, KEYC_TAB);
	press(f, b, 0x20ac);
	press(f, b, 'x');
	press(f, b, KEYC_BACKSPACE);
	assert_string_equal(login_email(f), "a");
	password_is(f, "\xe2\x82\xac");
	press(f, b, KEYC_BACKSPACE); /* login_password emptied it */
	press(f, b, 0xe9);
	press(f, b, 8);
	press(f, b, 8);
	password_is(f, "");
	login_free(f);
	bindings_free(b);
}

/* The email holds at most 254 bytes: what would go past is dropped,
 * a character that does not fit whole included. */
static void
login__email_is_bounded(void **state)
{
	struct bindings *b = default_bindings();
	struct login_form *f = login_new(NULL);
	char want[255];

	(void)state;
	for (int i = 0; i < 253; i++)
		press(f, b, 'e');
	press(f, b, 0xe9); /* two bytes: one too many */
	press(f, b, 'z');
	press(f, b, 'y');
	memset(want, 'e', 253);
	want[253] = 'z';
	want[254] = '\0';
	assert_string_equal(login_email(f), want);
	login_free(f);
	bindings_free(b);
}

/* While signing in every key is ignored; C-c and Escape quit; keys the
 * form does not use (C-l, an unbound one) leave it as it is. */
static void
login__busy_ignores_keys_and_quit_keys(void **state)
{
	struct bindings *b = default_bindings();
	struct login_form *f = login_new("e@x.example");

	(void)state;
	login_set_state(f, NULL, true);
	press(f, b, 'p');
	press(f, b, 3);
	press(f, b, KEYC_ENTER);
	password_is(f, "");
	login_set_state(f, "bad password", false);
	press(f, b, 'l' & 0x1f);
	press(f, b, 0x01);
	press(f, b, 'p');
	password_is(f, "p");
	assert_int_equal(login_key(f, b, 3), LOGIN_QUIT);
	assert_int_equal(login_key(f, b, KEYC_ESCAPE), LOGIN_QUIT);
	login_free(f);
	login_free(NULL);
	bindings_free(b);
}

/* The row the title is drawn on in a rows x 80 window, or -1. */
static int
title_row(struct login_form *f, int rows)
{
	WINDOW *w = newwin(rows, 80, 0, 0);
	char buf[128];
	int y, at = -1;

	assert_non_null(w);
	login_draw(f, w, rows, 80);
	for (y = 0; y < rows && at < 0; y++) {
		mvwinnstr(w, y, 0, buf, (int)sizeof buf - 1);
		if (strstr(buf, "Sign in to SiteCarePlusPro") != NULL)
			at = y;
	}
	delwin(w);
	return at;
}

/* The form sits a little above the middle; a long error lifts it so
 * the error's end shows, but never above the first row. */
static void
login__draw__long_error_lifts_the_form(void **state)
{
	struct login_form *f = login_new("e@x.example");
	char error[1200];
	struct test_screen ts;
	WINDOW *w;
	int y;

	(void)state;
	test_screen_open(&ts);
	assert_int_equal(title_row(f, 24), 8);
	login_set_state(f, "short error", false);
	assert_int_equal(title_row(f, 24), 8);
	memset(error, 'w', sizeof error - 1);
	for (size_t i = 10; i < sizeof error - 1; i += 11)
		error[i] = ' ';
	memcpy(error + sizeof error - 8, " theEND", 8);
	login_set_state(f, error, false);
	y = title_row(f, 30);
	assert_true(y >= 0 && y < 30 / 2 - 4);
	w = newwin(30, 80, 0, 0);
	login_draw(f, w, 30, 80);
	assert_true(screen_has(w, 30, "theEND"));
	delwin(w);
	assert_int_equal(title_row(f, 12), 0);
	login_set_state(f, error, true);
	w = newwin(24, 80, 0, 0);
	login_draw(f, w, 24, 80);
	assert_true(screen_has(w, 24, "signing in..."));
	assert_false(screen_has(w, 24, "theEND"));
	delwin(w);
	test_screen_close(&ts);
	login_free(f);
}

static int
init_sodium(void **state)
{
	(void)state;
	return sodium_init() < 0 ? -1 : 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(login__tab_moves_to_the_next_field_and_wraps),
		cmocka_unit_test(login__btab_moves_back_and_wraps),
		cmocka_unit_test(login__down_and_up_move_as_tab_and_btab),
		cmocka_unit_test(
		    login__enter_submits_only_from_a_typed_password),
		cmocka_unit_test(login__backspace_erases_whole_characters),
		cmocka_unit_test(login__email_is_bounded),
		cmocka_unit_test(login__busy_ignores_keys_and_quit_keys),
		cmocka_unit_test(login__draw__long_error_lifts_the_form),
	};

	return cmocka_run_group_tests(tests, init_sodium, NULL);
}
