/* Unit tests for net/client/session.c: the jar it writes is private, and
 * which methods carry the CSRF token (`make mutate` found both untested). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "net/client/session.h"
#include "tests/unit/net/files_test.h"

static void
session__method_unsafe__every_write_carries_the_token(void **state)
{
	/* Django checks the token on each of these; a DELETE without it is
	 * refused, a GET with it would spread it to every log. */
	assert_true(session_method_unsafe("POST"));
	assert_true(session_method_unsafe("PUT"));
	assert_true(session_method_unsafe("PATCH"));
	assert_true(session_method_unsafe("DELETE"));
	assert_false(session_method_unsafe("GET"));
	assert_false(session_method_unsafe("HEAD"));
	assert_false(session_method_unsafe("OPTIONS"));
}

/* A state directory of its own, removed by teardown even when an
 * assertion fails (cmocka runs teardown then). */
static int
setup(void **state)
{
	char *dir = strdup("/tmp/sc_session_XXXXXX");

	if (dir == NULL || mkdtemp(dir) == NULL)
		return -1;
	*state = dir;
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", (char *)*state);
	free(*state);
	return system(cmd) == 0 ? 0 : -1;
}

static void
session__save__a_sign_in_is_written_0600(void **state)
{
	struct http_config cfg = { .base_url = "https://127.0.0.1:1" };
	struct sc_error err = { 0 };
	struct http *h = http_new(&cfg, &err);
	struct session *s;
	unsigned mode;

	assert_non_null(h);
	s = session_new(h, *state, &err);
	assert_non_null(s);
	http_cookies_import(h, "#HttpOnly_127.0.0.1\tFALSE\t/\tTRUE\t"
	                       "4102444800\tsessionid\ts77\n");
	assert_int_equal(session_save(s, &err), 0);
	mode = mode_of(session_jar_path(s));
	session_free(s);
	http_free(h);
	/* The session cookie is the member's sign-in: no one else reads it,
	 * whatever the umask. */
	assert_int_equal(mode, 0600);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    session__method_unsafe__every_write_carries_the_token),
		cmocka_unit_test_setup_teardown(
		    session__save__a_sign_in_is_written_0600, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
