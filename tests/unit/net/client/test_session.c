/* Unit tests for net/client/session.c: which cookie jars are trusted on load.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "net/client/session.h"
#include "tests/unit/net/files_test.h"

#define URL "https://127.0.0.1:1"
#define JAR                                                                    \
	"# Netscape HTTP Cookie File\n"                                        \
	"#HttpOnly_127.0.0.1\tFALSE\t/\tTRUE\t4102444800\tsessionid\ts42\n"

/* A fresh state directory and a transport for URL. */
struct fixture {
	char dir[64];
	struct http *h;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct http_config cfg = { .base_url = URL };
	struct sc_error err = { 0 };

	if (f == NULL)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/sc_session_XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	f->h = http_new(&cfg, &err);
	*state = f;
	return f->h != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	http_free(f->h);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* Where the jar of URL lives under f's directory. */
static char *
jar_path(struct fixture *f)
{
	struct sc_error err = { 0 };
	struct session *s = session_new(f->h, f->dir, &err);
	char *path;

	assert_non_null(s);
	path = strdup(session_jar_path(s));
	session_free(s);
	return path;
}

/* Whether a session opened now holds the jar's session cookie. */
static bool
loads_cookie(struct fixture *f)
{
	struct sc_error err = { 0 };
	struct session *s;
	bool has;

	http_cookies_clear(f->h);
	s = session_new(f->h, f->dir, &err);
	assert_non_null(s);
	has = session_has_cookie(s);
	session_free(s);
	return has;
}

/* Writes the jar at path with mode. */
static void
write_jar(const char *path, unsigned mode)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fputs(JAR, fp) >= 0, 1);
	assert_int_equal(fchmod(fileno(fp), mode), 0);
	assert_int_equal(fclose(fp), 0);
}

static void
session__new__loads_a_private_jar(void **state)
{
	struct fixture *f = *state;
	char *path = jar_path(f);

	write_jar(path, 0600);
	assert_true(loads_cookie(f));
	free(path);
}

static void
session__new__ignores_a_jar_others_may_read(void **state)
{
	struct fixture *f = *state;
	char *path = jar_path(f);

	/* Planted or copied in: not a session of ours. */
	write_jar(path, 0644);
	assert_false(loads_cookie(f));
	free(path);
}

static void
session__new__ignores_a_linked_jar(void **state)
{
	struct fixture *f = *state;
	char *path = jar_path(f), other[128];

	snprintf(other, sizeof other, "%s/elsewhere", f->dir);
	write_jar(other, 0600);
	assert_int_equal(symlink(other, path), 0);
	assert_false(loads_cookie(f));
	free(path);
}

static void
session__new__a_fifo_jar_does_not_block(void **state)
{
	struct fixture *f = *state;
	char *path = jar_path(f);

	assert_int_equal(mkfifo(path, 0600), 0);
	alarm(5); /* the old open() waited for a writer for ever */
	assert_false(loads_cookie(f));
	alarm(0);
	free(path);
}

/* Whether the file at path holds needle. */
static bool
file_has(const char *path, const char *needle)
{
	char buf[1024];
	FILE *fp = fopen(path, "r");
	size_t n;

	assert_non_null(fp);
	n = fread(buf, 1, sizeof buf - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	return strstr(buf, needle) != NULL;
}

static void
session__save__signed_out_never_replaces_another_process_jar(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	char *path = jar_path(f);
	struct session *s;
	FILE *fp;

	write_jar(path, 0600);
	http_cookies_clear(f->h);
	s = session_new(f->h, f->dir, &err);
	assert_true(session_has_cookie(s));
	/* Another process signs in: a new jar, session s99. */
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(
	    "#HttpOnly_127.0.0.1\tFALSE\t/\tTRUE\t4102444800\tsessionid\ts99\n",
	    fp);
	fclose(fp);
	/* Our (stale) cookies refreshed, the same session: nothing written. */
	http_cookies_import(f->h, "127.0.0.1\tFALSE\t/\tTRUE\t4102444800\t"
	                          "csrftoken\tc1\n");
	assert_int_equal(session_save(s, &err), 0);
	assert_true(file_has(path, "s99"));
	/* The service deletes our session cookie: nothing written. */
	http_cookies_clear(f->h);
	assert_int_equal(session_save(s, &err), 0);
	assert_true(file_has(path, "s99"));
	/* A sign-in of our own (a new session) is written all the same. */
	http_cookies_import(f->h, "#HttpOnly_127.0.0.1\tFALSE\t/\tTRUE\t"
	                          "4102444800\tsessionid\ts77\n");
	assert_int_equal(session_save(s, &err), 0);
	assert_true(file_has(path, "s77"));
	/* With the jar still ours, signing out is written as before. */
	session_free(s);
	write_jar(path, 0600);
	http_cookies_clear(f->h);
	s = session_new(f->h, f->dir, &err);
	http_cookies_clear(f->h);
	assert_int_equal(session_save(s, &err), 0);
	assert_false(file_has(path, "s42"));
	session_free(s);
	free(path);
}

static void
session__new__state_dir_under_a_file_refused(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	char dir[128], want[256];

	put_file(f->dir, "file", "x", 1);
	snprintf(dir, sizeof dir, "%s/file/state", f->dir);
	assert_null(session_new(f->h, dir, &err));
	snprintf(want, sizeof want, "cannot create %s: %s", dir,
	         strerror(ENOTDIR));
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	assert_string_equal(err.message, want);
	sc_error_clear(&err);
}

static void
session__new__an_oversized_jar_is_not_loaded(void **state)
{
	struct fixture *f = *state;
	char *path = jar_path(f);
	static char pad[256 * 1024];
	FILE *fp;

	/* A valid jar, then comments up to the 256 KiB a jar may hold. */
	write_jar(path, 0600);
	assert_true(loads_cookie(f));
	memset(pad, '#', sizeof pad - 1);
	pad[sizeof pad - 2] = '\n';
	fp = fopen(path, "a");
	assert_non_null(fp);
	assert_int_equal(fwrite(pad, 1, sizeof pad - 1, fp), sizeof pad - 1);
	assert_int_equal(fclose(fp), 0);
	assert_false(loads_cookie(f));
	free(path);
}

static void
session__save_and_forget__a_folder_at_the_jar_said(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	char *path = jar_path(f);
	struct session *s;

	http_cookies_clear(f->h);
	s = session_new(f->h, f->dir, &err);
	assert_non_null(s);
	assert_int_equal(mkdir(path, 0700), 0);
	http_cookies_import(f->h, "#HttpOnly_127.0.0.1\tFALSE\t/\tTRUE\t"
	                          "4102444800\tsessionid\ts77\n");
	assert_int_equal(session_save(s, &err), -1);
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	assert_non_null(strstr(err.message, path));
	sc_error_clear(&err);
	assert_int_equal(session_forget(s, &err), -1);
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	assert_non_null(strstr(err.message, "cannot remove"));
	assert_non_null(strstr(err.message, strerror(EISDIR)));
	sc_error_clear(&err);
	/* The cookies are gone all the same. */
	assert_false(session_has_cookie(s));
	session_free(s);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
		T(session__new__loads_a_private_jar),
		T(session__save__signed_out_never_replaces_another_process_jar),
		T(session__new__ignores_a_jar_others_may_read),
		T(session__new__ignores_a_linked_jar),
		T(session__new__a_fifo_jar_does_not_block),
		T(session__new__state_dir_under_a_file_refused),
		T(session__new__an_oversized_jar_is_not_loaded),
		T(session__save_and_forget__a_folder_at_the_jar_said),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
