/* Unit tests for net/draft.c: reply drafts kept on disk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "net/draft.h"

/* A fresh directory (with a subdirectory for the store) and the store. */
struct fixture {
	char dir[64];
	char sub[96];
	struct draft_store *ds;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct sc_error err = { 0 };

	if (f == NULL)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/sc_draft_XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->sub, sizeof f->sub, "%s/drafts", f->dir);
	f->ds = draft_store_open(f->sub, &err);
	if (f->ds == NULL)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[160];

	draft_store_free(f->ds);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* The names in dir, counted. */
static int
entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static void
draft__save_load__round_trip_utf8_newlines(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	const char *text = "Bonjour \xc3\xa0 vous\nline two\n\n\xe2\x82\xac";
	char path[160], *back;
	struct stat st;

	assert_int_equal(draft_save(f->ds, 7, text, &err), 0);
	back = draft_load(f->ds, 7, &err);
	assert_non_null(back);
	assert_string_equal(back, text);
	free(back);
	snprintf(path, sizeof path, "%s/7.txt", f->sub);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(f->sub, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	/* Overwritten; no temporary file left behind. */
	assert_int_equal(draft_save(f->ds, 7, "second", &err), 0);
	back = draft_load(f->ds, 7, &err);
	assert_string_equal(back, "second");
	free(back);
	assert_int_equal(entries(f->sub), 1);
}

static void
draft__save__empty_removes_and_missing_is_null(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };

	assert_int_equal(draft_save(f->ds, 3, "x", &err), 0);
	assert_int_equal(draft_save(f->ds, 3, "", &err), 0);
	assert_null(draft_load(f->ds, 3, &err));
	assert_int_equal(err.kind, SC_OK);
	assert_int_equal(entries(f->sub), 0);
	assert_int_equal(draft_remove(f->ds, 3, &err), 0); /* missing: fine */
	assert_int_equal(err.kind, SC_OK);
}

static void
draft__list__sorted_ignoring_other_names(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	char path[160];
	long long *ids;
	size_t n;
	FILE *fp;

	assert_int_equal(draft_save(f->ds, 40, "a", &err), 0);
	assert_int_equal(draft_save(f->ds, 5, "b", &err), 0);
	assert_int_equal(draft_save(f->ds, 123, "c", &err), 0);
	snprintf(path, sizeof path, "%s/notes.txt", f->sub);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fclose(fp);
	snprintf(path, sizeof path, "%s/9.txt.tmp", f->sub);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fclose(fp);
	ids = draft_list(f->ds, &n, &err);
	assert_int_equal(n, 3);
	assert_int_equal(ids[0], 5);
	assert_int_equal(ids[1], 40);
	assert_int_equal(ids[2], 123);
	free(ids);
}

static void
draft__ids__zero_and_negative_refused(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };

	assert_int_equal(draft_save(f->ds, 0, "x", &err), -1);
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	assert_non_null(err.message);
	sc_error_clear(&err);
	assert_null(draft_load(f->ds, -2, &err));
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	sc_error_clear(&err);
}

static void
draft__save__failure_is_reported(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	char path[160];

	/* The draft's path is a directory: even root cannot rename onto it. */
	snprintf(path, sizeof path, "%s/8.txt", f->sub);
	assert_int_equal(mkdir(path, 0700), 0);
	path[strlen(path) - 4] = '\0';
	strcat(path, ".txt/x");
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(draft_save(f->ds, 8, "kept in memory", &err), -1);
	assert_non_null(err.message);
	assert_non_null(strstr(err.message, "cannot save the draft"));
	sc_error_clear(&err);
}

static void
draft__load__symlink_and_directory_refused(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	char path[160];

	snprintf(path, sizeof path, "%s/11.txt", f->sub);
	assert_int_equal(symlink("/etc/passwd", path), 0);
	assert_null(draft_load(f->ds, 11, &err));
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	sc_error_clear(&err);
	snprintf(path, sizeof path, "%s/12.txt", f->sub);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_null(draft_load(f->ds, 12, &err));
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	sc_error_clear(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    draft__save_load__round_trip_utf8_newlines, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    draft__save__empty_removes_and_missing_is_null, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    draft__list__sorted_ignoring_other_names, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    draft__ids__zero_and_negative_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    draft__save__failure_is_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    draft__load__symlink_and_directory_refused, setup,
		    teardown),
	};

	return cmocka_run_group_tests_name("net/draft", tests, NULL, NULL);
}
