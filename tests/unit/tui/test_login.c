/* The sign-in form's keys, through the default bindings' form context:
 * Tab and BTab (and Down and Up) move between the fields and wrap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "keymaps/bindings.h"
#include "tui/login.h"

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

/* Types text; ASCII only, one key a character. */
static void
type(struct login_form *f, const struct bindings *b, const char *text)
{
	for (; *text != '\0'; text++)
		press(f, b, (key_code)(unsigned char)*text);
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

static void
login__tab_moves_to_the_next_field_and_wraps(void **state)
{
	struct bindings *b = default_bindings();
	struct login_form *f = login_new(NULL);

	(void)state;
	/* No email known: the email field first. */
	type(f, b, "a@");
	press(f, b, KEYC_TAB);
	type(f, b, "pw");
	assert_string_equal(login_email(f), "a@");
	press(f, b, KEYC_TAB); /* wraps to the email */
	type(f, b, "b.c");
	assert_string_equal(login_email(f), "a@b.c");
	press(f, b, KEYC_TAB);
	type(f, b, "1");
	assert_string_equal(login_email(f), "a@b.c");
	password_is(f, "pw1");
	login_free(f);
	bindings_free(b);
}

static void
login__btab_moves_back_and_wraps(void **state)
{
	struct bindings *b = default_bindings();
	struct login_form *f = login_new("me@example.com");

	(void)state;
	/* The email known: the password field first. */
	type(f, b, "x");
	press(f, b, KEYC_BTAB);
	type(f, b, "m");
	assert_string_equal(login_email(f), "me@example.comm");
	press(f, b, KEYC_BTAB); /* wraps to the password */
	type(f, b, "y");
	assert_string_equal(login_email(f), "me@example.comm");
	/* Tab then BTab comes back to the same field. */
	press(f, b, KEYC_TAB);
	press(f, b, KEYC_BTAB);
	type(f, b, "z");
	assert_string_equal(login_email(f), "me@example.comm");
	password_is(f, "xyz");
	login_free(f);
	bindings_free(b);
}

static void
login__down_and_up_move_as_tab_and_btab(void **state)
{
	struct bindings *b = default_bindings();
	struct login_form *f = login_new(NULL);

	(void)state;
	press(f, b, KEYC_DOWN);
	type(f, b, "p");
	press(f, b, KEYC_UP);
	type(f, b, "e");
	assert_string_equal(login_email(f), "e");
	password_is(f, "p");
	login_free(f);
	bindings_free(b);
}

/* Enter on the email goes on to the password; on a typed password it
 * submits. */
static void
login__enter_submits_only_from_a_typed_password(void **state)
{
	struct bindings *b = default_bindings();
	struct login_form *f = login_new(NULL);

	(void)state;
	type(f, b, "e");
	press(f, b, KEYC_ENTER);
	press(f, b, KEYC_ENTER); /* no password yet */
	type(f, b, "p");
	assert_int_equal(login_key(f, b, KEYC_ENTER), LOGIN_SUBMIT);
	assert_string_equal(login_email(f), "e");
	password_is(f, "p");
	login_free(f);
	bindings_free(b);
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
	};

	return cmocka_run_group_tests(tests, init_sodium, NULL);
}
