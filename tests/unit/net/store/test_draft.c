/* Unit tests for net/store/draft.c: reply drafts kept on disk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "net/store/draft.h"
#include "tests/unit/net/files_test.h"

/* A fresh directory, a store on its "drafts" subdirectory. */
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
	/* A test that mounted a tmpfs there and failed midway. */
	(void)umount2(f->sub, MNT_DETACH);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static void
draft__save__round_trips_utf8_and_newlines(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	const char *text = "Bonjour \xc3\xa0 vous,\r\nline two\n\n\xe2\x82\xac "
	                   "\xf0\x9f\x99\x82\ttab\n";
	char path[160], *back;

	assert_int_equal(draft_save(f->ds, 7, text, &err), 0);
	assert_int_equal(err.kind, SC_OK);
	back = draft_load(f->ds, 7, &err);
	assert_int_equal(err.kind, SC_OK);
	assert_non_null(back);
	assert_string_equal(back, text);
	free(back);
	snprintf(path, sizeof path, "%s/7.txt", f->sub);
	assert_int_equal(mode_of(path), 0600);
	assert_int_equal(mode_of(f->sub), 0700);
	assert_int_equal(count_entries(f->sub), 1);
}

static void
draft__save__overwrites_and_leaves_no_temp_files(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	char path[160], *back;
	int i;

	for (i = 0; i < 5; i++) {
		char text[32];

		snprintf(text, sizeof text, "version %d", i);
		assert_int_equal(draft_save(f->ds, 7, text, &err), 0);
		assert_int_equal(draft_save(f->ds, 8, "other", &err), 0);
	}
	/* A shorter text really replaces a longer one. */
	assert_int_equal(draft_save(f->ds, 7, "x", &err), 0);
	back = draft_load(f->ds, 7, &err);
	assert_string_equal(back, "x");
	free(back);
	assert_int_equal(count_entries(f->sub), 2);
	snprintf(path, sizeof path, "%s/7.txt", f->sub);
	assert_int_equal(mode_of(path), 0600);
}

static void
draft__save__empty_text_removes(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };

	assert_int_equal(draft_save(f->ds, 3, "x", &err), 0);
	assert_int_equal(count_entries(f->sub), 1);
	assert_int_equal(draft_save(f->ds, 3, "", &err), 0);
	assert_int_equal(err.kind, SC_OK);
	assert_int_equal(count_entries(f->sub), 0);
	assert_null(draft_load(f->ds, 3, &err));
	/* Emptying what is not there is fine too. */
	assert_int_equal(draft_save(f->ds, 3, "", &err), 0);
	assert_int_equal(err.kind, SC_OK);
}

static void
draft__remove__deletes_and_missing_is_fine(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };

	assert_int_equal(draft_save(f->ds, 4, "sent soon", &err), 0);
	assert_int_equal(draft_remove(f->ds, 4, &err), 0);
	assert_int_equal(count_entries(f->sub), 0);
	assert_int_equal(draft_remove(f->ds, 4, &err), 0);
	assert_int_equal(err.kind, SC_OK);
}

static void
draft__load__missing_is_null_and_ok(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };

	assert_null(draft_load(f->ds, 99, &err));
	assert_int_equal(err.kind, SC_OK);
	assert_null(err.message);
}

static void
draft__list__sorted_ignoring_other_names(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	static const char *const others[] = {
		"notes.txt",
		"0.txt",
		"007.txt",
		"-3.txt",
		"+3.txt",
		" 3.txt",
		"12.TXT",
		"12.txt~",
		"12.txt.tmp.4242",
		"12.json",
		"12",
		".txt",
		"1a.txt",
		"99999999999999999999.txt",
	};
	char path[160];
	long long *ids;
	size_t n, i;

	assert_int_equal(draft_save(f->ds, 40, "a", &err), 0);
	assert_int_equal(draft_save(f->ds, 5, "b", &err), 0);
	assert_int_equal(draft_save(f->ds, 123, "c", &err), 0);
	assert_int_equal(draft_save(f->ds, 9000000000LL, "d", &err), 0);
	for (i = 0; i < sizeof others / sizeof others[0]; i++)
		put_file(f->sub, others[i], "z", 1);
	/* A directory with a draft's name is not a draft. */
	snprintf(path, sizeof path, "%s/77.txt", f->sub);
	assert_int_equal(mkdir(path, 0700), 0);
	ids = draft_list(f->ds, &n, &err);
	assert_int_equal(err.kind, SC_OK);
	assert_int_equal(n, 4);
	assert_int_equal(ids[0], 5);
	assert_int_equal(ids[1], 40);
	assert_int_equal(ids[2], 123);
	assert_int_equal(ids[3], 9000000000LL);
	free(ids);
}

static void
draft__list__empty_is_null(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	size_t n = 77;

	assert_null(draft_list(f->ds, &n, &err));
	assert_int_equal(n, 0);
	assert_int_equal(err.kind, SC_OK);
}

static void
draft__ids__zero_and_negative_refused(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };

	assert_int_equal(draft_save(f->ds, 0, "x", &err), -1);
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	assert_non_null(strstr(err.message, "invalid conversation id 0"));
	sc_error_clear(&err);
	assert_null(draft_load(f->ds, -2, &err));
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	assert_non_null(strstr(err.message, "invalid conversation id -2"));
	sc_error_clear(&err);
	assert_int_equal(draft_remove(f->ds, -1, &err), -1);
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	sc_error_clear(&err);
	/* Even an empty text (a removal) needs a real id. */
	assert_int_equal(draft_save(f->ds, 0, "", &err), -1);
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	sc_error_clear(&err);
	assert_int_equal(count_entries(f->sub), 0);
}

static void
draft__save__fails_when_the_path_is_a_directory(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	char path[160], child[200], want[256];

	/* A non-empty directory: even root cannot rename a file onto it. */
	snprintf(path, sizeof path, "%s/8.txt", f->sub);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(child, sizeof child, "%s/x", path);
	assert_int_equal(mkdir(child, 0700), 0);
	assert_int_equal(draft_save(f->ds, 8, "kept in memory", &err), -1);
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	snprintf(want, sizeof want, "cannot save the draft: %s: ", path);
	assert_non_null(err.message);
	assert_memory_equal(err.message, want, strlen(want));
	sc_error_clear(&err);
	assert_int_equal(count_entries(f->sub), 1); /* no temp file left */
}

static void
draft__save__fails_when_the_dir_is_a_file(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	char want[256];

	/* The store's directory replaced by a regular file: ENOTDIR. */
	assert_int_equal(rmdir(f->sub), 0);
	put_file(f->dir, "drafts", "not a dir", 9);
	assert_int_equal(draft_save(f->ds, 7, "hello", &err), -1);
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	snprintf(want, sizeof want,
	         "cannot save the draft: %s/7.txt: Not a directory", f->sub);
	assert_string_equal(err.message, want);
	sc_error_clear(&err);
	/* Listing says so too, rather than pretending there is nothing. */
	{
		size_t n = 5;

		assert_null(draft_list(f->ds, &n, &err));
		assert_int_equal(n, 0);
		assert_int_equal(err.kind, SC_ERR_LOCAL);
		assert_non_null(strstr(err.message, f->sub));
		sc_error_clear(&err);
	}
}

static void
draft__save__full_disk_said_in_plain_words(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	char fill[160], *back;

	/* A real ENOSPC: a filled 16 KiB tmpfs on the store's directory.
	 * Needs the right to mount (root in the test container). */
	if (!fill_tmpfs(f->sub, fill, sizeof fill)) {
		skip();
		return;
	}
	assert_int_equal(draft_save(f->ds, 4, "half a reply", &err), -1);
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	assert_string_equal(err.message,
	                    "cannot save the draft: no space left on the disk");
	sc_error_clear(&err);
	assert_int_equal(count_entries(f->sub), 1); /* only the filler */
	unlink(fill);
	assert_int_equal(draft_save(f->ds, 4, "half a reply", &err), 0);
	back = draft_load(f->ds, 4, &err);
	assert_string_equal(back, "half a reply");
	free(back);
	assert_int_equal(umount2(f->sub, MNT_DETACH), 0);
}

static void
draft__load__symlink_refused(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	char path[160], target[160];

	/* Even a link to a perfectly good draft is not followed. */
	put_file(f->dir, "elsewhere.txt", "secret", 6);
	snprintf(target, sizeof target, "%s/elsewhere.txt", f->dir);
	snprintf(path, sizeof path, "%s/11.txt", f->sub);
	assert_int_equal(symlink(target, path), 0);
	assert_null(draft_load(f->ds, 11, &err));
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	assert_non_null(strstr(err.message, path));
	sc_error_clear(&err);
}

static void
draft__load__open_to_others_refused(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	char path[160], want[512], *back;

	assert_int_equal(draft_save(f->ds, 15, "sent as me?", &err), 0);
	snprintf(path, sizeof path, "%s/15.txt", f->sub);
	assert_int_equal(chmod(path, 0644), 0);
	assert_null(draft_load(f->ds, 15, &err));
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	snprintf(want, sizeof want,
	         "cannot read the draft: %s is readable by others (mode "
	         "0644): chmod 600 %s",
	         path, path);
	assert_string_equal(err.message, want);
	sc_error_clear(&err);
	assert_int_equal(chmod(path, 0600), 0);
	back = draft_load(f->ds, 15, &err);
	assert_string_equal(back, "sent as me?");
	free(back);
}

static void
draft__load__directory_and_oversized_refused(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	size_t big = 1024 * 1024;
	char path[160], *text = malloc(big + 1), *back;

	assert_non_null(text);
	snprintf(path, sizeof path, "%s/12.txt", f->sub);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_null(draft_load(f->ds, 12, &err));
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	assert_non_null(strstr(err.message, "not a regular file"));
	sc_error_clear(&err);
	/* Exactly 1 MiB is still a draft; one byte more is not. */
	memset(text, 'a', big + 1);
	put_file(f->sub, "13.txt", text, big);
	back = draft_load(f->ds, 13, &err);
	assert_int_equal(err.kind, SC_OK);
	assert_non_null(back);
	assert_int_equal(strlen(back), big);
	free(back);
	put_file(f->sub, "14.txt", text, big + 1);
	assert_null(draft_load(f->ds, 14, &err));
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	assert_non_null(strstr(err.message, "1 MiB"));
	sc_error_clear(&err);
	free(text);
}

static void
draft__open__makes_or_reuses_dir(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	struct draft_store *ds;
	char path[160], *back;

	/* The same directory again: what is there is kept. */
	assert_int_equal(draft_save(f->ds, 2, "kept", &err), 0);
	ds = draft_store_open(f->sub, &err);
	assert_non_null(ds);
	back = draft_load(ds, 2, &err);
	assert_string_equal(back, "kept");
	free(back);
	draft_store_free(ds);
	/* A file where the directory should be is an error. */
	put_file(f->dir, "file", "x", 1);
	snprintf(path, sizeof path, "%s/file", f->dir);
	assert_null(draft_store_open(path, &err));
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	assert_non_null(strstr(err.message, path));
	assert_non_null(strstr(err.message, "Not a directory"));
	sc_error_clear(&err);
	draft_store_free(NULL);
}

static void
draft__open__default_dir_under_xdg_state(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	struct draft_store *ds;
	char want[160];

	setenv("XDG_STATE_HOME", f->dir, 1);
	ds = draft_store_open(NULL, &err);
	assert_non_null(ds);
	assert_int_equal(draft_save(ds, 21, "here", &err), 0);
	snprintf(want, sizeof want, "%s/sitecare/drafts/21.txt", f->dir);
	assert_int_equal(mode_of(want), 0600);
	snprintf(want, sizeof want, "%s/sitecare/drafts", f->dir);
	assert_int_equal(mode_of(want), 0700);
	draft_store_free(ds);
	unsetenv("XDG_STATE_HOME");
}

#define STAGING "https://staging.example"
#define PROD    "https://prod.example"
/* hashlib.blake2b(STAGING.encode(), digest_size=8).hexdigest() */
#define STAGING_KEY "860723ea1ff0a878"

static void
draft__service__offered_only_in_its_own_service(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	struct draft_store *staging, *prod, *again;
	char *back;
	size_t n;

	staging = draft_store_open_service(f->sub, STAGING, &err);
	prod = draft_store_open_service(f->sub, PROD, &err);
	assert_non_null(staging);
	assert_non_null(prod);
	/* Staging's conversation 5 has a draft; production's 5 has none. */
	assert_int_equal(draft_save(staging, 5, "for staging", &err), 0);
	assert_null(draft_load(prod, 5, &err));
	assert_int_equal(err.kind, SC_OK);
	assert_null(draft_list(prod, &n, &err));
	assert_int_equal(n, 0);
	/* Opened again for staging, it is offered there. */
	again = draft_store_open_service(f->sub, STAGING, &err);
	assert_non_null(again);
	back = draft_load(again, 5, &err);
	assert_non_null(back);
	assert_string_equal(back, "for staging");
	free(back);
	draft_store_free(again);
	draft_store_free(prod);
	draft_store_free(staging);
}

static void
draft__service__folder_keyed_like_the_jar_and_names_its_service(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	struct draft_store *ds;
	char path[256], text[64] = { 0 };
	FILE *fp;

	ds = draft_store_open_service(f->sub, STAGING, &err);
	assert_non_null(ds);
	assert_int_equal(draft_save(ds, 3, "x", &err), 0);
	draft_store_free(ds);
	/* 16 hex digits of BLAKE2b-64 of the URL, as in cookies-<key>. */
	snprintf(path, sizeof path, "%s/" STAGING_KEY "/3.txt", f->sub);
	assert_int_equal(mode_of(path), 0600);
	assert_int_equal(count_entries(f->sub), 1);
	/* The folder names its service, 0600. */
	snprintf(path, sizeof path, "%s/" STAGING_KEY "/service", f->sub);
	assert_int_equal(mode_of(path), 0600);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	assert_true(fread(text, 1, sizeof text - 1, fp) > 0);
	fclose(fp);
	assert_string_equal(text, STAGING);
	/* A folder that names another service is not opened for this one. */
	put_file(f->sub, STAGING_KEY "/service", PROD, strlen(PROD));
	assert_null(draft_store_open_service(f->sub, STAGING, &err));
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	assert_non_null(strstr(err.message, PROD));
	sc_error_clear(&err);
}

static void
draft__service__a_service_file_others_may_write_is_refused(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	struct draft_store *ds;
	char path[256];

	ds = draft_store_open_service(f->sub, STAGING, &err);
	assert_non_null(ds);
	draft_store_free(ds);
	/* Whoever may write the file that names the service may redirect. */
	snprintf(path, sizeof path, "%s/" STAGING_KEY "/service", f->sub);
	assert_int_equal(chmod(path, 0666), 0);
	assert_null(draft_store_open_service(f->sub, STAGING, &err));
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	assert_non_null(strstr(err.message, "chmod 600"));
	sc_error_clear(&err);
}

static void
draft__remove__a_folder_in_the_way_is_an_error(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	char path[160], want[256];

	snprintf(path, sizeof path, "%s/5.txt", f->sub);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(want, sizeof want, "cannot remove the draft: %s: %s", path,
	         strerror(EISDIR));
	assert_int_equal(draft_remove(f->ds, 5, &err), -1);
	assert_string_equal(err.message, want);
	sc_error_clear(&err);
	/* Saving an empty draft removes it, so says the same. */
	assert_int_equal(draft_save(f->ds, 5, "", &err), -1);
	assert_string_equal(err.message, want);
	sc_error_clear(&err);
	assert_int_equal(mode_of(path) & 0777, 0700);
}

static void
draft__service__full_disk_still_opens_keyed_by_its_folder(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	struct draft_store *ds;
	char fill[160], path[256];
	struct stat st;

	if (!fill_tmpfs(f->sub, fill, sizeof fill)) {
		skip();
		return;
	}
	ds = draft_store_open_service(f->sub, STAGING, &err);
	assert_non_null(ds);
	assert_int_equal(err.kind, SC_OK);
	draft_store_free(ds);
	/* The service file could not be written, and left nothing behind. */
	snprintf(path, sizeof path, "%s/" STAGING_KEY, f->sub);
	assert_int_equal(count_entries(path), 0);
	snprintf(path, sizeof path, "%s/" STAGING_KEY "/service", f->sub);
	assert_int_equal(lstat(path, &st), -1);
	/* Room again: the next open names its service. */
	unlink(fill);
	ds = draft_store_open_service(f->sub, STAGING, &err);
	assert_non_null(ds);
	draft_store_free(ds);
	assert_int_equal(mode_of(path), 0600);
	assert_int_equal(umount2(f->sub, MNT_DETACH), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(draft__save__round_trips_utf8_and_newlines),
		T(draft__save__overwrites_and_leaves_no_temp_files),
		T(draft__save__empty_text_removes),
		T(draft__remove__deletes_and_missing_is_fine),
		T(draft__load__missing_is_null_and_ok),
		T(draft__list__sorted_ignoring_other_names),
		T(draft__list__empty_is_null),
		T(draft__ids__zero_and_negative_refused),
		T(draft__save__fails_when_the_path_is_a_directory),
		T(draft__save__fails_when_the_dir_is_a_file),
		T(draft__save__full_disk_said_in_plain_words),
		T(draft__load__symlink_refused),
		T(draft__load__open_to_others_refused),
		T(draft__load__directory_and_oversized_refused),
		T(draft__open__makes_or_reuses_dir),
		T(draft__open__default_dir_under_xdg_state),
		T(draft__service__offered_only_in_its_own_service),
		T(draft__service__folder_keyed_like_the_jar_and_names_its_service),
		T(draft__service__a_service_file_others_may_write_is_refused),
		T(draft__remove__a_folder_in_the_way_is_an_error),
		T(draft__service__full_disk_still_opens_keyed_by_its_folder),
#undef T
	};

	return cmocka_run_group_tests_name("net/draft", tests, NULL, NULL);
}
