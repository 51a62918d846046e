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
