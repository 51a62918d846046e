/*
 * Unit tests for net/base/paths.c: atomic writes that cannot be redirected and
 * the one rule for private files.
 *
 * The seam: paths_write_atomic takes the random part of its temporary
 * names from libsodium's randombytes_buf, which this file defines, so
 * it wins over the library's at link time. Call k of it fills every
 * byte with k (or always 0 when `stuck`), so a test knows the names
 * the code will try, plants symbolic links at exactly those names, and
 * checks that none is followed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "net/base/paths.h"
#include "tests/unit/net/files_test.h"

/* paths.c's alphabet: byte k gives letter k % 32. */
#define LETTERS "abcdefghijklmnopqrstuvwxyz234567"

static unsigned fake_calls;
static bool stuck;

void
randombytes_buf(void *const buf, const size_t size)
{
	memset(buf, stuck ? 0 : (int)fake_calls, size);
	fake_calls++;
}

/* A fresh directory; the fake generator reset. */
struct fixture {
	char dir[64];
	char path[128];   /* the file written: dir/data.json */
	char victim[128]; /* what a planted link points to: dir/victim */
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	if (f == NULL)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/sc_paths_XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->path, sizeof f->path, "%s/data.json", f->dir);
	snprintf(f->victim, sizeof f->victim, "%s/victim", f->dir);
	fake_calls = 0;
	stuck = false;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* The temporary name the code tries on its call k of the generator. */
static void
temp_for(const struct fixture *f, unsigned k, char *out, size_t size)
{
	char letters[13];

	memset(letters, LETTERS[k % 32], 12);
	letters[12] = '\0';
	snprintf(out, size, "%s/.data.json.tmp.%ld.%s", f->dir, (long)getpid(),
	         letters);
}

/* A victim file with content others may read, as a target for links. */
static void
make_victim(const struct fixture *f)
{
	put_file(f->dir, "victim", "precious", 8);
	assert_int_equal(chmod(f->victim, 0644), 0);
}

/* The victim still holds what it held, with its mode. */
static void
assert_victim_untouched(const struct fixture *f)
{
	char buf[256];

	read_back(f->victim, buf, sizeof buf);
	assert_string_equal(buf, "precious");
	assert_int_equal(mode_of(f->victim), 0644);
}

static void
paths__write_atomic__content_and_exact_mode(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	mode_t old = umask(077);
	char buf[256];

	/* fchmod makes the mode exactly what was asked, umask or not. */
	assert_int_equal(paths_write_atomic(f->path, "one", 3, 0644, &err), 0);
	umask(old);
	read_back(f->path, buf, sizeof buf);
	assert_string_equal(buf, "one");
	assert_int_equal(mode_of(f->path), 0644);
	assert_int_equal(paths_write_atomic(f->path, "two!", 4, 0600, &err), 0);
	read_back(f->path, buf, sizeof buf);
	assert_string_equal(buf, "two!");
	assert_int_equal(mode_of(f->path), 0600);
	assert_int_equal(count_entries(f->dir), 1); /* no temporary left */
}

static void
paths__write_atomic__planted_links_never_followed(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	char link[192], absent[128], buf[256];
	unsigned k;

	make_victim(f);
	/* The name of earlier versions, <path>.tmp.<pid>... */
	snprintf(link, sizeof link, "%s.tmp.%ld", f->path, (long)getpid());
	assert_int_equal(symlink(f->victim, link), 0);
	/* ...and the first three names this one tries: two to the victim,
	 * one dangling (O_CREAT alone would create its target). */
	snprintf(absent, sizeof absent, "%s/created-through-a-link", f->dir);
	for (k = 0; k < 3; k++) {
		temp_for(f, k, link, sizeof link);
		assert_int_equal(symlink(k == 1 ? absent : f->victim, link), 0);
	}
	assert_int_equal(paths_write_atomic(f->path, "key", 3, 0600, &err), 0);
	assert_int_equal(err.kind, SC_OK);
	assert_victim_untouched(f);
	assert_int_equal(access(absent, F_OK), -1);
	assert_int_equal(fake_calls, 4); /* the fourth name was free */
	read_back(f->path, buf, sizeof buf);
	assert_string_equal(buf, "key");
	assert_int_equal(mode_of(f->path), 0600);
	/* data.json, the victim, four links: the temporary file is gone. */
	assert_int_equal(count_entries(f->dir), 6);
}

static void
paths__write_atomic__gives_up_when_every_name_is_taken(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	char link[192], absent[128], want[256];

	/* Every call names the same file, and a dangling link is there. */
	stuck = true;
	snprintf(absent, sizeof absent, "%s/created-through-a-link", f->dir);
	temp_for(f, 0, link, sizeof link);
	assert_int_equal(symlink(absent, link), 0);
	assert_int_equal(paths_write_atomic(f->path, "key", 3, 0600, &err), -1);
	snprintf(want, sizeof want, "cannot write %s: %s", f->path,
	         strerror(EEXIST));
	assert_string_equal(err.message, want);
	sc_error_clear(&err);
	assert_true(fake_calls > 1); /* it did try again */
	assert_int_equal(access(absent, F_OK), -1);
	assert_int_equal(access(f->path, F_OK), -1);
	assert_int_equal(count_entries(f->dir), 1); /* only the link */
}

static void
paths__write_atomic__link_at_path_replaced_not_followed(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	char buf[256];

	make_victim(f);
	assert_int_equal(symlink(f->victim, f->path), 0);
	assert_int_equal(paths_write_atomic(f->path, "new", 3, 0600, &err), 0);
	assert_victim_untouched(f);
	assert_int_equal(mode_of(f->path), 0600); /* a file now, no link */
	read_back(f->path, buf, sizeof buf);
	assert_string_equal(buf, "new");
	assert_int_equal(count_entries(f->dir), 2);
}

static void
paths__write_atomic__failure_leaves_no_temp_file(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	char want[256];

	/* A non-empty directory at path: the temporary file is written,
	 * then even root cannot rename it there. */
	assert_int_equal(mkdir(f->path, 0700), 0);
	put_file(f->path, "inside", "x", 1);
	assert_int_equal(paths_write_atomic(f->path, "data", 4, 0600, &err),
	                 -1);
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	snprintf(want, sizeof want, "cannot write %s: ", f->path);
	assert_memory_equal(err.message, want, strlen(want));
	sc_error_clear(&err);
	assert_int_equal(fake_calls, 1);
	assert_int_equal(count_entries(f->dir), 1); /* only the directory */
}

static void
paths__is_temp_name__this_and_earlier_versions(void **state)
{
	static const char *const not_temp[] = {
		"data.json",
		".data.json",
		"data.json.tmp.",
		"data.json.tmp.0",
		"data.json.tmp.-3",
		"data.json.tmp.12a",
		".tmp.123",
		"data.json.tmp.123.abcdefghijkl", /* random part, no dot */
		".data.json.tmp.123.abcdefghijk", /* 11 letters */
		".data.json.tmp.123.abcdefghijklm",
		".data.json.tmp.123.ABCDEFGHIJKL",
		".data.json.tmp.123.abcdefghijk1",
		".data.json.tmp.x.abcdefghijkl",
	};
	long pid = 0;
	size_t i;

	(void)state;
	assert_true(
	    paths_is_temp_name(".data.json.tmp.123.abcdefghij27", &pid));
	assert_int_equal(pid, 123);
	assert_true(paths_is_temp_name("data.json.tmp.4242", &pid));
	assert_int_equal(pid, 4242);
	/* A name that itself holds the mark: the last one counts. */
	assert_true(paths_is_temp_name(".a.tmp.9.tmp.77.zzzzzzzzzzzz", &pid));
	assert_int_equal(pid, 77);
	for (i = 0; i < sizeof not_temp / sizeof not_temp[0]; i++)
		if (paths_is_temp_name(not_temp[i], &pid))
			fail_msg("\"%s\" taken for a temporary file",
			         not_temp[i]);
}

/* paths_open_private on path refuses it with want (and no descriptor). */
static void
check_refused(const char *path, enum paths_private kind, const char *want)
{
	struct sc_error err = { 0 };
	int fd = 42;

	assert_int_equal(paths_open_private(path, &fd, &err), kind);
	assert_int_equal(fd, -1);
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	assert_string_equal(err.message, want);
	sc_error_clear(&err);
}

static void
paths__open_private__0600_accepted(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	char buf[8] = { 0 };
	int fd;

	put_file(f->dir, "data.json", "mine", 4);
	assert_int_equal(paths_open_private(f->path, &fd, &err),
	                 PATHS_PRIVATE_OK);
	assert_int_equal(err.kind, SC_OK);
	assert_int_equal(read(fd, buf, sizeof buf - 1), 4);
	assert_string_equal(buf, "mine");
	close(fd);
	assert_int_equal(chmod(f->path, 0400), 0); /* read-only is fine */
	assert_int_equal(paths_open_private(f->path, &fd, &err),
	                 PATHS_PRIVATE_OK);
	close(fd);
}

static void
paths__open_private__open_to_others_refused(void **state)
{
	struct fixture *f = *state;
	char want[512];

	put_file(f->dir, "data.json", "mine", 4);
	assert_int_equal(chmod(f->path, 0644), 0);
	snprintf(want, sizeof want,
	         "%s is readable by others (mode 0644): chmod 600 %s", f->path,
	         f->path);
	check_refused(f->path, PATHS_PRIVATE_NOT_PRIVATE, want);
	assert_int_equal(chmod(f->path, 0620), 0);
	snprintf(want, sizeof want,
	         "%s is writable by others (mode 0620): chmod 600 %s", f->path,
	         f->path);
	check_refused(f->path, PATHS_PRIVATE_NOT_PRIVATE, want);
}

static void
paths__open_private__other_owner_refused(void **state)
{
	struct fixture *f = *state;
	char want[512];

	if (geteuid() != 0) {
		skip(); /* giving a file away takes root */
		return;
	}
	put_file(f->dir, "data.json", "theirs", 6);
	assert_int_equal(chown(f->path, 4321, 4321), 0);
	snprintf(want, sizeof want, "%s is owned by uid 4321, not you (uid 0)",
	         f->path);
	check_refused(f->path, PATHS_PRIVATE_NOT_PRIVATE, want);
}

static void
paths__open_private__fifo_refused_without_blocking(void **state)
{
	struct fixture *f = *state;
	char want[256];

	assert_int_equal(mkfifo(f->path, 0600), 0);
	snprintf(want, sizeof want, "%s is not a regular file (a FIFO)",
	         f->path);
	alarm(5); /* a blocking open ends the test (SIGALRM) instead */
	check_refused(f->path, PATHS_PRIVATE_NOT_REGULAR, want);
	alarm(0);
}

static void
paths__open_private__symlink_refused(void **state)
{
	struct fixture *f = *state;
	char want[256];

	/* Even a link to a file that would pass is not followed. */
	put_file(f->dir, "victim", "mine", 4);
	assert_int_equal(symlink(f->victim, f->path), 0);
	snprintf(want, sizeof want,
	         "%s is not a regular file (a symbolic link)", f->path);
	check_refused(f->path, PATHS_PRIVATE_NOT_REGULAR, want);
}

static void
paths__open_private__directory_refused(void **state)
{
	struct fixture *f = *state;
	char want[256];

	assert_int_equal(mkdir(f->path, 0700), 0);
	snprintf(want, sizeof want, "%s is not a regular file (a directory)",
	         f->path);
	check_refused(f->path, PATHS_PRIVATE_NOT_REGULAR, want);
}

static void
paths__open_private__missing_said_apart(void **state)
{
	struct fixture *f = *state;
	char want[256];

	snprintf(want, sizeof want, "cannot open %s: %s", f->path,
	         strerror(ENOENT));
	check_refused(f->path, PATHS_PRIVATE_MISSING, want);
}

static void
paths__open_private__device_and_exec_bit_refused(void **state)
{
	struct fixture *f = *state;
	char want[512], under[256];

	check_refused("/dev/null", PATHS_PRIVATE_NOT_REGULAR,
	              "/dev/null is not a regular file (a device)");
	put_file(f->dir, "data.json", "mine", 4);
	assert_int_equal(chmod(f->path, 0610), 0);
	snprintf(want, sizeof want,
	         "%s is executable by others (mode 0610): chmod 600 %s",
	         f->path, f->path);
	check_refused(f->path, PATHS_PRIVATE_NOT_PRIVATE, want);
	/* A path under a regular file is unreadable, not missing. */
	snprintf(under, sizeof under, "%s/x", f->path);
	snprintf(want, sizeof want, "cannot open %s: %s", under,
	         strerror(ENOTDIR));
	check_refused(under, PATHS_PRIVATE_UNREADABLE, want);
}

/* paths_dir(kind, sub) with err expected clear; the caller frees it. */
static char *
dir_ok(enum paths_kind kind, const char *sub)
{
	struct sc_error err = { 0 };
	char *dir = paths_dir(kind, sub, &err);

	assert_non_null(dir);
	assert_int_equal(err.kind, SC_OK);
	return dir;
}

static void
paths__dir__relative_xdg_ignored_for_home(void **state)
{
	struct fixture *f = *state;
	char *old_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
	char want[256], here[512], *dir;
	struct stat st;

	setenv("XDG_DATA_HOME", "relative/data", 1);
	setenv("HOME", f->dir, 1);
	dir = dir_ok(PATHS_DATA, "x");
	snprintf(want, sizeof want, "%s/.local/share/sitecare/x", f->dir);
	assert_string_equal(dir, want);
	assert_int_equal(stat(want, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	free(dir);
	/* No HOME at all: the current folder. */
	unsetenv("HOME");
	assert_non_null(getcwd(here, sizeof here));
	assert_int_equal(chdir(f->dir), 0);
	dir = dir_ok(PATHS_DATA, NULL);
	assert_int_equal(chdir(here), 0);
	assert_string_equal(dir, "./.local/share/sitecare");
	free(dir);
	if (old_home != NULL)
		setenv("HOME", old_home, 1);
	free(old_home);
	unsetenv("XDG_DATA_HOME");
}

static void
paths__dir__cannot_create_says_where_and_why(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	char base[256], want[512];

	put_file(f->dir, "file", "x", 1);
	snprintf(base, sizeof base, "%s/file", f->dir);
	setenv("XDG_CONFIG_HOME", base, 1);
	assert_null(paths_dir(PATHS_CONFIG, "sub", &err));
	snprintf(want, sizeof want, "cannot create %s/sitecare/sub: %s", base,
	         strerror(ENOTDIR));
	assert_string_equal(err.message, want);
	sc_error_clear(&err);
	/* The last folder alone cannot be made: a read-only disk. */
	snprintf(base, sizeof base, "%s/ro", f->dir);
	assert_int_equal(mkdir(base, 0700), 0);
	if (mount("tmpfs", base, "tmpfs", MS_RDONLY, "size=4k") != 0) {
		unsetenv("XDG_CONFIG_HOME");
		skip(); /* mounting takes root */
	}
	setenv("XDG_CONFIG_HOME", base, 1);
	assert_null(paths_dir(PATHS_CONFIG, NULL, &err));
	assert_int_equal(umount2(base, MNT_DETACH), 0);
	snprintf(want, sizeof want, "cannot create %s/sitecare: %s", base,
	         strerror(EROFS));
	assert_string_equal(err.message, want);
	sc_error_clear(&err);
	unsetenv("XDG_CONFIG_HOME");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(paths__write_atomic__content_and_exact_mode),
		T(paths__write_atomic__planted_links_never_followed),
		T(paths__write_atomic__gives_up_when_every_name_is_taken),
		T(paths__write_atomic__link_at_path_replaced_not_followed),
		T(paths__write_atomic__failure_leaves_no_temp_file),
		cmocka_unit_test(
		    paths__is_temp_name__this_and_earlier_versions),
		T(paths__open_private__0600_accepted),
		T(paths__open_private__open_to_others_refused),
		T(paths__open_private__other_owner_refused),
		T(paths__open_private__fifo_refused_without_blocking),
		T(paths__open_private__symlink_refused),
		T(paths__open_private__directory_refused),
		T(paths__open_private__missing_said_apart),
		T(paths__open_private__device_and_exec_bit_refused),
		T(paths__dir__relative_xdg_ignored_for_home),
		T(paths__dir__cannot_create_says_where_and_why),
#undef T
	};

	return cmocka_run_group_tests_name("net/paths", tests, NULL, NULL);
}
