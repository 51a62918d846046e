/* Unit tests for tui/pass_strength.c: weak staff-key passphrases are
 * refused with a reason that never quotes them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/secret.h"
#include "tui/pass_strength.h"

/* The reason text is refused for, or NULL when it is accepted; text
 * goes into sodium memory first, as typed passphrases do. */
static char *
reason_for(const char *text)
{
	struct sc_error err = { 0 };
	struct secret *s = secret_new(strlen(text) + 1, &err);
	char *why = NULL;
	int rc;

	assert_non_null(s);
	strcpy((char *)secret_open_write(s), text);
	secret_close(s);
	rc = pass_strength_check(s, &why);
	secret_free(s);
	assert_int_equal(rc, why != NULL ? -1 : 0);
	return why;
}

static void
pass_strength__check__weak_refused_with_reason(void **state)
{
	static const struct {
		const char *pass, *why;
	} weak[] = {
		{ "password", "too weak: it fails the dictionary check" },
		{ "12345678", "too simplistic" },
		{ "dragonfly", "based on a dictionary word" },
		{ "abcdefgh", "too weak" },
	};
	size_t i;

	for (i = 0; i < sizeof weak / sizeof weak[0]; i++) {
		char *why = reason_for(weak[i].pass);

		if (why == NULL)
			fail_msg("%s was accepted", weak[i].pass);
		if (strstr(why, weak[i].why) == NULL)
			fail_msg("%s: %s", weak[i].pass, why);
		assert_null(strstr(why, weak[i].pass));
		free(why);
	}
}

static void
pass_strength__check__too_short_in_characters(void **state)
{
	char *why = reason_for("short");

	assert_string_equal(why, "too short: at least 8 characters");
	free(why);
	/* Seven characters of two bytes each: still too short. */
	why = reason_for("\xc3\xa9\xc3\xa0\xc3\xbc\xc3\xb6\xc3\xa7\xc3\xb1"
	                 "\xc3\xb8");
	assert_string_equal(why, "too short: at least 8 characters");
	free(why);
}

static void
pass_strength__check__good_passphrases_pass(void **state)
{
	static const char *const good[] = {
		"tech passphrase 1",
		"correct horse 42",
		"another one 2",
		"Tr0ub4dor&3 plus",
	};
	size_t i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		char *why = reason_for(good[i]);

		if (why != NULL)
			fail_msg("%s refused: %s", good[i], why);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    pass_strength__check__weak_refused_with_reason),
		cmocka_unit_test(pass_strength__check__too_short_in_characters),
		cmocka_unit_test(pass_strength__check__good_passphrases_pass),
	};

	return cmocka_run_group_tests_name("tui/pass_strength", tests, NULL,
	                                   NULL);
}
