/* Unit tests for net/base/trace.c: the opt-in timing trace of `make bench`. */
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

#include "net/base/trace.h"
#include "tests/unit/net/files_test.h"

/* A fresh directory with the trace file's path in it; the trace closed. */
struct fixture {
	char dir[64];
	char path[96];
	char other[96];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	if (f == NULL)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/sc_trace_XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->path, sizeof f->path, "%s/trace", f->dir);
	snprintf(f->other, sizeof f->other, "%s/other", f->dir);
	unsetenv("SITECARE_TRACE_DETAIL");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	trace_close();
	unsetenv("SITECARE_TRACE");
	unsetenv("SITECARE_TRACE_DETAIL");
	unlink(f->path);
	unlink(f->other);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void
trace__event__one_line_each_after_the_time(void **state)
{
	struct fixture *f = *state;
	char text[4096];
	struct stat st;

	trace_event("before %d", 0); /* off: nothing, nowhere */
	setenv("SITECARE_TRACE", f->path, 1);
	trace_open_env();
	assert_true(trace_on());
	assert_false(trace_detail_on());
	trace_event("http GET %s %d", "/tasks", 200);
	trace_event("frame");
	read_back(f->path, text, sizeof text);
	assert_non_null(strstr(text, " http GET /tasks 200\n"));
	assert_non_null(strstr(text, " frame\n"));
	assert_null(strstr(text, "before"));
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	trace_close();
	assert_false(trace_on());
}

static void
trace__open__a_second_open_keeps_the_first_file(void **state)
{
	struct fixture *f = *state;
	char text[4096];

	setenv("SITECARE_TRACE", f->path, 1);
	setenv("SITECARE_TRACE_DETAIL", "1", 1);
	trace_open_env();
	assert_true(trace_detail_on());
	setenv("SITECARE_TRACE", f->other, 1);
	trace_open_env();
	trace_event("still here");
	read_back(f->path, text, sizeof text);
	assert_non_null(strstr(text, " still here\n"));
	assert_int_equal(access(f->other, F_OK), -1);
}

static void
trace__event__a_long_line_is_cut_and_still_ends(void **state)
{
	struct fixture *f = *state;
	char text[4096], word[700];

	memset(word, 'w', sizeof word - 1);
	word[sizeof word - 1] = '\0';
	setenv("SITECARE_TRACE", f->path, 1);
	trace_open_env();
	trace_event("%s", word);
	trace_event("next");
	read_back(f->path, text, sizeof text);
	/* One line of at most 512 bytes, then the next event on its own. */
	assert_non_null(strchr(text, '\n'));
	assert_true(strchr(text, '\n') - text < 512);
	assert_non_null(strstr(text, "w\n"));
	assert_non_null(strstr(text, " next\n"));
}

static void
trace__open__a_planted_link_is_not_followed(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(symlink(f->other, f->path), 0);
	setenv("SITECARE_TRACE", f->path, 1);
	trace_open_env();
	assert_false(trace_on());
	trace_event("secret");
	assert_int_equal(access(f->other, F_OK), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(trace__event__one_line_each_after_the_time),
		T(trace__open__a_second_open_keeps_the_first_file),
		T(trace__event__a_long_line_is_cut_and_still_ends),
		T(trace__open__a_planted_link_is_not_followed),
#undef T
	};

	return cmocka_run_group_tests_name("net/trace", tests, NULL, NULL);
}
