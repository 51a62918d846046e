/* Unit tests for net/base/filename.c: hostile server names, default folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "net/base/filename.h"
#include "net/base/xmalloc.h"

/* Asserts filename_safe(in) == want. */
static void
check_safe(const char *in, const char *want)
{
	char *got = filename_safe(in);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/* Asserts the invariants every safe name keeps. */
static void
check_invariants(const char *in)
{
	char *got = filename_safe(in);
	const unsigned char *p;

	assert_non_null(got);
	assert_true(got[0] != '\0');
	assert_true(strlen(got) <= FILENAME_MAX_BYTES);
	assert_null(strchr(got, '/'));
	assert_null(strchr(got, '\\'));
	assert_true(got[0] != '.' && got[0] != ' ');
	assert_true(got[strlen(got) - 1] != '.' && got[strlen(got) - 1] != ' ');
	for (p = (const unsigned char *)got; *p != '\0'; p++)
		assert_true(*p >= 0x20 && *p != 0x7F);
	free(got);
}

static void
filename__safe__parent_traversal_keeps_last_component(void **state)
{
	check_safe("../../etc/passwd", "passwd");
	check_safe("../../../../../../root/.ssh/authorized_keys",
	           "authorized_keys");
	check_safe("a/b/../c.txt", "c.txt");
}

static void
filename__safe__absolute_path(void **state)
{
	check_safe("/etc/shadow", "shadow");
	check_safe("//etc//shadow//", "attachment");
	check_safe("/", "attachment");
}

static void
filename__safe__backslash_separates(void **state)
{
	check_safe("..\\..\\Windows\\System32\\evil.dll", "evil.dll");
	check_safe("C:\\Users\\x\\report.pdf", "report.pdf");
	check_safe("..\\", "attachment");
}

static void
filename__safe__terminal_escapes_dropped(void **state)
{
	check_safe("scan\x1b]0;pwned\x07.pdf", "scan]0;pwned.pdf");
	check_safe("\x1b[2Jclear.txt", "[2Jclear.txt");
	check_safe("tab\there\r\n.txt", "tabhere.txt");
	check_safe("del\x7f.txt", "del.txt");
}

static void
filename__safe__c1_controls_dropped(void **state)
{
	/* U+009B (CSI) encoded in UTF-8, and as a raw (invalid) byte */
	check_safe("a\xc2\x9b"
	           "2Jb.txt",
	           "a2Jb.txt");
	check_safe("a\x9b"
	           "2Jb.txt",
	           "a2Jb.txt");
	check_safe("\xc2\x85next.txt", "next.txt");
}

static void
filename__safe__bidi_overrides_dropped(void **state)
{
	/* "invoice<RLO>fdp.exe": shown as invoiceexe.pdf by a terminal */
	check_safe("invoice\xe2\x80\xae"
	           "fdp.exe",
	           "invoicefdp.exe");
	check_safe("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad"
	           "a.txt",
	           "a.txt");
	check_safe("x\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9y.png",
	           "xy.png");
	check_safe("l\xe2\x80\x8er\xe2\x80\x8f.txt", "lr.txt");
	check_safe("\xd8\x9c"
	           "alm.txt",
	           "alm.txt");
	check_safe("line\xe2\x80\xa8sep.txt", "linesep.txt");
}

static void
filename__safe__invalid_utf8_dropped(void **state)
{
	check_safe("caf\xe9.txt", "caf.txt");               /* Latin-1 byte */
	check_safe("over\xc0\xaflong.txt", "overlong.txt"); /* overlong '/' */
	check_safe("sur\xed\xa0\x80rogate.txt", "surrogate.txt");
	check_safe("big\xf4\x90\x80\x80.txt", "big.txt"); /* > U+10FFFF */
	check_safe("cut\xe2\x82", "cut");                 /* truncated */
	check_safe("\xff\xfe\xfd", "attachment");
}

static void
filename__safe__valid_unicode_kept(void **state)
{
	check_safe("caf\xc3\xa9 men\xc3\xbc.pdf",
	           "caf\xc3\xa9 men\xc3\xbc.pdf");
	check_safe("\xe6\x97\xa5\xe6\x9c\xac.txt",
	           "\xe6\x97\xa5\xe6\x9c\xac.txt");
	check_safe("smile \xf0\x9f\x98\x80.png", "smile \xf0\x9f\x98\x80.png");
}

static void
filename__safe__dots_and_spaces_trimmed(void **state)
{
	check_safe(".bashrc", "bashrc");
	check_safe("..", "attachment");
	check_safe(".", "attachment");
	check_safe("...", "attachment");
	check_safe("  . hidden.txt", "hidden.txt");
	check_safe("report.pdf. . ", "report.pdf");
	check_safe(".\x07.", "attachment"); /* ".." once the bell goes */
	check_safe("a b.txt", "a b.txt");
}

static void
filename__safe__empty_and_null_fall_back(void **state)
{
	check_safe("", "attachment");
	check_safe(NULL, "attachment");
	check_safe("\x1b\x07\x7f", "attachment");
	check_safe("dir/", "attachment");
}

static void
filename__safe__long_name_keeps_extension(void **state)
{
	char in[600], *got;

	memset(in, 'a', 500);
	strcpy(in + 500, ".pdf");
	got = filename_safe(in);
	assert_int_equal(strlen(got), FILENAME_MAX_BYTES);
	assert_string_equal(got + FILENAME_MAX_BYTES - 4, ".pdf");
	assert_int_equal(got[FILENAME_MAX_BYTES - 5], 'a');
	free(got);
}

static void
filename__safe__long_name_never_splits_a_character(void **state)
{
	char in[700], *got;
	size_t i;

	/* 'x' then 3-byte characters: byte 200 falls inside one */
	in[0] = 'x';
	for (i = 0; i < 200; i++)
		memcpy(in + 1 + 3 * i, "\xe2\x82\xac", 3); /* the euro sign */
	in[601] = '\0';
	got = filename_safe(in);
	assert_int_equal(strlen(got), 199); /* 1 + 66 * 3 */
	check_invariants(in);
	for (i = 1; i < strlen(got); i += 3)
		assert_memory_equal(got + i, "\xe2\x82\xac", 3);
	free(got);
}

static void
filename__safe__long_extension_is_cut_like_the_rest(void **state)
{
	char in[600], *got;

	memset(in, 'a', 300);
	in[300] = '.';
	memset(in + 301, 'e', 100); /* not a "short" extension */
	in[401] = '\0';
	got = filename_safe(in);
	assert_int_equal(strlen(got), FILENAME_MAX_BYTES);
	assert_int_equal(got[FILENAME_MAX_BYTES - 1], 'a');
	free(got);
}

static void
filename__safe__cut_stem_loses_trailing_dots(void **state)
{
	char in[600], *got;

	memset(in, 'a', 190);
	memset(in + 190, '.', 100);
	strcpy(in + 290, "z.txt");
	got = filename_safe(in);
	assert_string_equal(got + 190, ".txt");
	assert_int_equal(strlen(got), 194);
	free(got);
}

static void
filename__safe__hostile_corpus_keeps_invariants(void **state)
{
	static const char *const hostile[] = {
		"../../etc/passwd",
		"scan\x1b]0;pwned\x07.pdf",
		"..",
		"\\\\server\\share\\..\\x",
		"\xe2\x80\xae\xe2\x80\xae\xe2\x80\xae",
		" . . . ",
		"a\x00hidden", /* C strings stop at NUL: "a" */
		"\xc3",
		"name.\xe2\x80\xae",
		"-rf",
		"~",
		"\xf0\x9f",
		"CON",
		"x\xe2\x80\x8f.",
	};
	size_t i;

	for (i = 0; i < sizeof hostile / sizeof hostile[0]; i++)
		check_invariants(hostile[i]);
	check_safe("name.\xe2\x80\xae", "name");
}

/* A fresh directory under /tmp; the caller removes it. */
static char *
temp_dir(void)
{
	char *dir = xstrdup("/tmp/sitecare-test-filename-XXXXXX");

	assert_non_null(mkdtemp(dir));
	return dir;
}

/* Creates an empty file dir/name. */
static void
touch(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fclose(f);
	free(path);
}

/* Removes dir/name, then returns nothing. */
static void
rm(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);

	unlink(path);
	free(path);
}

static void
filename__unique__free_name_as_is(void **state)
{
	char *dir = temp_dir();
	char *want = xasprintf("%s/report.pdf", dir);
	char *got = filename_unique(dir, "report.pdf");

	assert_string_equal(got, want);
	free(got);
	free(want);
	rmdir(dir);
	free(dir);
}

static void
filename__unique__numbers_before_the_extension(void **state)
{
	char *dir = temp_dir();
	char *want = xasprintf("%s/report (2).pdf", dir);
	char *got;

	touch(dir, "report.pdf");
	touch(dir, "report (1).pdf");
	got = filename_unique(dir, "report.pdf");
	assert_string_equal(got, want);
	free(got);
	free(want);
	want = xasprintf("%s/README (1)", dir);
	touch(dir, "README");
	got = filename_unique(dir, "README");
	assert_string_equal(got, want);
	free(got);
	free(want);
	rm(dir, "report.pdf");
	rm(dir, "report (1).pdf");
	rm(dir, "README");
	assert_int_equal(rmdir(dir), 0);
	free(dir);
}

static void
filename__unique__dangling_symlink_counts_as_taken(void **state)
{
	char *dir = temp_dir();
	char *link_path = xasprintf("%s/x.txt", dir);
	char *want = xasprintf("%s/x (1).txt", dir);
	char *got;

	assert_int_equal(symlink("/nonexistent/target", link_path), 0);
	got = filename_unique(dir, "x.txt");
	assert_string_equal(got, want);
	unlink(link_path);
	free(got);
	free(want);
	free(link_path);
	rmdir(dir);
	free(dir);
}

static void
filename__unique__trailing_slash_not_doubled(void **state)
{
	char *got = filename_unique("/nonexistent-sitecare-dir/", "a.txt");

	assert_string_equal(got, "/nonexistent-sitecare-dir/a.txt");
	free(got);
}

/* Writes text to dir/user-dirs.dirs. */
static void
write_user_dirs(const char *dir, const char *text)
{
	char *path = xasprintf("%s/user-dirs.dirs", dir);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

static void
filename__default_dir__env_wins_when_absolute(void **state)
{
	char *got;

	setenv("XDG_DOWNLOAD_DIR", "/srv/dl/", 1);
	got = filename_default_dir();
	assert_string_equal(got, "/srv/dl");
	free(got);
	setenv("XDG_DOWNLOAD_DIR", "relative/dl", 1);
	setenv("HOME", "/home/someone", 1);
	setenv("XDG_CONFIG_HOME", "/nonexistent-sitecare-config", 1);
	got = filename_default_dir();
	assert_string_equal(got, "/home/someone/Downloads");
	free(got);
	unsetenv("XDG_DOWNLOAD_DIR");
}

static void
filename__default_dir__user_dirs_file_expands_home(void **state)
{
	char *dir = temp_dir();
	char *got;

	unsetenv("XDG_DOWNLOAD_DIR");
	setenv("HOME", "/home/someone", 1);
	setenv("XDG_CONFIG_HOME", dir, 1);
	write_user_dirs(dir, "# written by xdg-user-dirs-update\n"
	                     "XDG_DESKTOP_DIR=\"$HOME/Desktop\"\n"
	                     "XDG_DOWNLOAD_DIR=\"$HOME/T\\\"el\\\\ech\"\n");
	got = filename_default_dir();
	assert_string_equal(got, "/home/someone/T\"el\\ech");
	free(got);
	write_user_dirs(dir, "  XDG_DOWNLOAD_DIR=\"/data/dl/\"\n");
	got = filename_default_dir();
	assert_string_equal(got, "/data/dl");
	free(got);
	rm(dir, "user-dirs.dirs");
	rmdir(dir);
	free(dir);
}

static void
filename__default_dir__bad_user_dirs_lines_ignored(void **state)
{
	char *dir = temp_dir();
	char *got;

	unsetenv("XDG_DOWNLOAD_DIR");
	setenv("HOME", "/home/someone", 1);
	setenv("XDG_CONFIG_HOME", dir, 1);
	write_user_dirs(dir, "XDG_DOWNLOAD_DIR=\"relative/dl\"\n"
	                     "XDG_DOWNLOAD_DIR=\"$HOMEX/dl\"\n"
	                     "XDG_DOWNLOAD_DIR=\"$HOME/unterminated\n"
	                     "XDG_DOWNLOAD_DIRX=\"/x\"\n"
	                     "#XDG_DOWNLOAD_DIR=\"/commented\"\n");
	got = filename_default_dir();
	assert_string_equal(got, "/home/someone/Downloads");
	free(got);
	rm(dir, "user-dirs.dirs");
	rmdir(dir);
	free(dir);
}

static void
filename__default_dir__config_home_defaults_to_dot_config(void **state)
{
	char *home = temp_dir();
	char *cfg = xasprintf("%s/.config", home);
	char *want = xasprintf("%s/Dl", home);
	char *got;

	assert_int_equal(mkdir(cfg, 0700), 0);
	write_user_dirs(cfg, "XDG_DOWNLOAD_DIR=\"$HOME/Dl\"\n");
	unsetenv("XDG_DOWNLOAD_DIR");
	unsetenv("XDG_CONFIG_HOME");
	setenv("HOME", home, 1);
	got = filename_default_dir();
	assert_string_equal(got, want);
	free(got);
	rm(cfg, "user-dirs.dirs");
	rmdir(cfg);
	rmdir(home);
	free(want);
	free(cfg);
	free(home);
}

static void
filename__default_dir__relative_home_read_from_the_password_file(void **state)
{
	char *cfg = temp_dir();
	const struct passwd *pw = getpwuid(getuid());
	char *want, *got;

	assert_non_null(pw);
	want = xasprintf("%s/Dl", pw->pw_dir);
	write_user_dirs(cfg, "XDG_DOWNLOAD_DIR=\"$HOME/Dl\"\n");
	unsetenv("XDG_DOWNLOAD_DIR");
	setenv("XDG_CONFIG_HOME", cfg, 1);
	setenv("HOME", "not/absolute", 1);
	got = filename_default_dir();
	assert_string_equal(got, want);
	free(got);
	unsetenv("XDG_CONFIG_HOME");
	rm(cfg, "user-dirs.dirs");
	rmdir(cfg);
	free(want);
	free(cfg);
}

static void
filename__unique__gives_up_after_9999_numbers(void **state)
{
	char *dir = temp_dir(), name[32], *got, *want;
	int i;

	touch(dir, "a.txt");
	for (i = 1; i <= 9999; i++) {
		snprintf(name, sizeof name, "a (%d).txt", i);
		touch(dir, name);
	}
	assert_null(filename_unique(dir, "a.txt"));
	/* One number free again: that one. */
	rm(dir, "a (9999).txt");
	got = filename_unique(dir, "a.txt");
	want = xasprintf("%s/a (9999).txt", dir);
	assert_string_equal(got, want);
	free(got);
	free(want);
	for (i = 1; i < 9999; i++) {
		snprintf(name, sizeof name, "a (%d).txt", i);
		rm(dir, name);
	}
	rm(dir, "a.txt");
	assert_int_equal(rmdir(dir), 0);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    filename__safe__parent_traversal_keeps_last_component),
		cmocka_unit_test(filename__safe__absolute_path),
		cmocka_unit_test(filename__safe__backslash_separates),
		cmocka_unit_test(filename__safe__terminal_escapes_dropped),
		cmocka_unit_test(filename__safe__c1_controls_dropped),
		cmocka_unit_test(filename__safe__bidi_overrides_dropped),
		cmocka_unit_test(filename__safe__invalid_utf8_dropped),
		cmocka_unit_test(filename__safe__valid_unicode_kept),
		cmocka_unit_test(filename__safe__dots_and_spaces_trimmed),
		cmocka_unit_test(filename__safe__empty_and_null_fall_back),
		cmocka_unit_test(filename__safe__long_name_keeps_extension),
		cmocka_unit_test(
		    filename__safe__long_name_never_splits_a_character),
		cmocka_unit_test(
		    filename__safe__long_extension_is_cut_like_the_rest),
		cmocka_unit_test(filename__safe__cut_stem_loses_trailing_dots),
		cmocka_unit_test(
		    filename__safe__hostile_corpus_keeps_invariants),
		cmocka_unit_test(filename__unique__free_name_as_is),
		cmocka_unit_test(
		    filename__unique__numbers_before_the_extension),
		cmocka_unit_test(
		    filename__unique__dangling_symlink_counts_as_taken),
		cmocka_unit_test(filename__unique__trailing_slash_not_doubled),
		cmocka_unit_test(filename__default_dir__env_wins_when_absolute),
		cmocka_unit_test(
		    filename__default_dir__user_dirs_file_expands_home),
		cmocka_unit_test(
		    filename__default_dir__bad_user_dirs_lines_ignored),
		cmocka_unit_test(
		    filename__default_dir__config_home_defaults_to_dot_config),
		cmocka_unit_test(
		    filename__default_dir__relative_home_read_from_the_password_file),
		cmocka_unit_test(filename__unique__gives_up_after_9999_numbers),
	};

	return cmocka_run_group_tests_name("net/filename", tests, NULL, NULL);
}
