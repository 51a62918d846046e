/* Unit tests for tui/config.c: the key table, parsing and rewriting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <sys/stat.h>
#include <unistd.h>

#include "net/base/xmalloc.h"
#include "tui/config.h"

static void
config__init__defaults(void **state)
{
	struct config c;

	config_init(&c);
	assert_null(c.url);
	assert_null(c.ca_file);
	assert_null(c.email);
	assert_false(c.readonly);
	assert_string_equal(c.theme, "default");
	assert_int_equal(c.notifications, CONFIG_NOTIFY_BELL);
	assert_int_equal(c.connect_timeout, 10);
	assert_int_equal(c.idle_lock_minutes, 0);
	assert_true(c.notification_text);
	assert_true(c.hints);
	assert_int_equal(c.key_idle_minutes, 10);
	assert_int_equal(c.reveal_seconds, 15);
	assert_int_equal(c.clipboard_seconds, 30);
	assert_int_equal(c.nmuted, 0);
	assert_int_equal(c.nerrors, 0);
	config_free(&c);
}

/* How long a copied password stays: 5 s to 10 min, refused outside. */
static void
config__clipboard_seconds__bounded(void **state)
{
	struct config c;
	char msg[256];

	(void)state;
	config_init(&c);
	assert_int_equal(config_load_text(&c, "cfg", "clipboard-seconds = 5\n"),
	                 0);
	assert_int_equal(c.clipboard_seconds, 5);
	assert_int_equal(
	    config_set(&c, "clipboard-seconds", "4", msg, sizeof msg), -1);
	assert_int_equal(
	    config_set(&c, "clipboard-seconds", "601", msg, sizeof msg), -1);
	assert_int_equal(c.clipboard_seconds, 5);
	assert_int_equal(
	    config_set(&c, "clipboard-seconds", "600", msg, sizeof msg), 0);
	assert_int_equal(c.clipboard_seconds, 600);
	config_free(&c);
}

static void
config__hints__on_or_off(void **state)
{
	struct config c;
	char msg[256];

	config_init(&c);
	assert_int_equal(config_load_text(&c, "cfg", "hints = off\n"), 0);
	assert_false(c.hints);
	assert_int_equal(config_set(&c, "hints", "maybe", msg, sizeof msg), -1);
	assert_false(c.hints);
	assert_int_equal(config_set(&c, "hints", "on", msg, sizeof msg), 0);
	assert_true(c.hints);
	config_free(&c);
}

static void
config__muted__ids_parsed_and_refused(void **state)
{
	struct config c;
	char msg[256];
	char *text;

	config_init(&c);
	assert_int_equal(config_load_text(&c, "cfg",
	                                  "notification-text = no\n"
	                                  "muted = 12, 7 ,40\n"),
	                 0);
	assert_false(c.notification_text);
	assert_int_equal(c.nmuted, 3);
	assert_int_equal(c.muted[0], 12);
	assert_int_equal(c.muted[1], 7);
	assert_int_equal(c.muted[2], 40);
	/* A bad list leaves the old one in place. */
	assert_int_equal(config_set(&c, "muted", "3,x", msg, sizeof msg), -1);
	assert_non_null(strstr(msg, "muted"));
	assert_int_equal(config_set(&c, "muted", "-4", msg, sizeof msg), -1);
	assert_int_equal(c.nmuted, 3);
	assert_int_equal(config_set(&c, "muted", "", msg, sizeof msg), 0);
	assert_int_equal(c.nmuted, 0);
	config_free(&c);

	text = config_update_text("url = https://a.example\n", "muted", "5,6",
	                          msg, sizeof msg);
	assert_non_null(text);
	assert_non_null(strstr(text, "muted = 5,6\n"));
	free(text);
}

static void
config__load_text__every_key(void **state)
{
	struct config c;

	config_init(&c);
	assert_int_equal(config_load_text(&c, "cfg",
	                                  "# a comment\n"
	                                  "\n"
	                                  "url = https://care.example:8443/\n"
	                                  "  ca-file=/etc/ca.pem  \n"
	                                  "pin = sha256//abc=\n"
	                                  "email = \"me@example.com\"\n"
	                                  "readonly = yes\n"
	                                  "theme = mono # trailing comment\n"
	                                  "notifications = desktop\n"
	                                  "connect-timeout = 30\n"
	                                  "idle-lock-minutes = 15"),
	                 0);
	assert_string_equal(c.url, "https://care.example:8443/");
	assert_string_equal(c.ca_file, "/etc/ca.pem");
	assert_string_equal(c.pin, "sha256//abc=");
	assert_string_equal(c.email, "me@example.com");
	assert_true(c.readonly);
	assert_string_equal(c.theme, "mono");
	assert_int_equal(c.notifications, CONFIG_NOTIFY_DESKTOP);
	assert_int_equal(c.connect_timeout, 30);
	assert_int_equal(c.idle_lock_minutes, 15);
	config_free(&c);
}

/* config_key_name walks the table: each name once, each one config_set
 * knows, and NULL after the last. */
static void
config__key_name__lists_every_key_once(void **state)
{
	struct config c;
	char msg[256];
	size_t i, j;

	(void)state;
	config_init(&c);
	for (i = 0; config_key_name(i) != NULL; i++) {
		msg[0] = '\0';
		config_set(&c, config_key_name(i), "", msg, sizeof msg);
		assert_null(strstr(msg, "unknown key"));
		for (j = 0; j < i; j++)
			assert_string_not_equal(config_key_name(i),
			                        config_key_name(j));
	}
	assert_int_equal(i, 16);
	assert_null(config_key_name(i + 1));
	config_free(&c);
}

static void
config__load_text__errors_collected_with_lines(void **state)
{
	struct config c;

	config_init(&c);
	assert_int_equal(config_load_text(&c, "my.conf",
	                                  "colour = red\n"
	                                  "url = http://care.example\n"
	                                  "just words\n"
	                                  "connect-timeout = 0\n"
	                                  "readonly = maybe\n"
	                                  "notifications = loud\n"
	                                  "theme = dark\n"),
	                 6);
	assert_int_equal(c.nerrors, 6);
	assert_string_equal(c.errors[0].file, "my.conf");
	assert_int_equal(c.errors[0].line, 1);
	assert_non_null(strstr(c.errors[0].message, "unknown key"));
	assert_non_null(strstr(c.errors[0].message, "colour"));
	assert_int_equal(c.errors[1].line, 2);
	assert_non_null(strstr(c.errors[1].message, "HTTPS"));
	assert_int_equal(c.errors[2].line, 3);
	assert_non_null(strstr(c.errors[2].message, "key = value"));
	assert_int_equal(c.errors[3].line, 4);
	assert_non_null(strstr(c.errors[3].message, "1 to 300"));
	assert_int_equal(c.errors[4].line, 5);
	assert_int_equal(c.errors[5].line, 6);
	assert_non_null(strstr(c.errors[5].message, "desktop"));
	/* The bad lines changed nothing; the good one still applied. */
	assert_null(c.url);
	assert_int_equal(c.connect_timeout, 10);
	assert_false(c.readonly);
	assert_string_equal(c.theme, "dark");
	config_free(&c);
}

static void
config__set__checks_values(void **state)
{
	struct config c;
	char msg[256];

	config_init(&c);
	assert_int_equal(config_set(&c, "email", "nobody", msg, sizeof msg),
	                 -1);
	assert_non_null(strstr(msg, "email"));
	assert_int_equal(config_set(&c, "pin", "md5//x", msg, sizeof msg), -1);
	assert_int_equal(
	    config_set(&c, "idle-lock-minutes", "12x", msg, sizeof msg), -1);
	assert_int_equal(
	    config_set(&c, "idle-lock-minutes", "1440", msg, sizeof msg), 0);
	assert_int_equal(c.idle_lock_minutes, 1440);
	assert_int_equal(
	    config_set(&c, "url", "https://x.example", msg, sizeof msg), 0);
	assert_int_equal(config_set(&c, "url", "", msg, sizeof msg), 0);
	assert_null(c.url);
	config_free(&c);
}

static void
config__update_text__replaces_in_place_keeping_comments(void **state)
{
	char msg[256];
	char *out =
	    config_update_text("# mine\n"
	                       "url = https://old.example\n"
	                       "theme = mono # keep\n"
	                       "url = https://dup.example\n",
	                       "url", "https://new.example", msg, sizeof msg);

	assert_non_null(out);
	assert_string_equal(out, "# mine\n"
	                         "url = https://new.example\n"
	                         "theme = mono # keep\n");
	free(out);
}

static void
config__update_text__appends_missing_key(void **state)
{
	char msg[256];
	char *out = config_update_text("# only a comment", "email",
	                               "a@b.example", msg, sizeof msg);

	assert_string_equal(out, "# only a comment\nemail = a@b.example\n");
	free(out);
	out = config_update_text("", "readonly", "yes", msg, sizeof msg);
	assert_string_equal(out, "readonly = true\n");
	free(out);
	/* A commented-out key is a comment, not the key. */
	out = config_update_text("# url = https://x.example\n", "url",
	                         "https://y.example", msg, sizeof msg);
	assert_string_equal(out, "# url = https://x.example\n"
	                         "url = https://y.example\n");
	free(out);
}

static void
config__update_text__refuses_bad_values(void **state)
{
	char msg[256];

	assert_null(
	    config_update_text("", "url", "http://x.example", msg, sizeof msg));
	assert_non_null(strstr(msg, "HTTPS"));
	assert_null(config_update_text("", "nope", "1", msg, sizeof msg));
	assert_non_null(strstr(msg, "unknown key"));
}

/* Found by fuzz_config: blanks, quotes and " #" in a value written by
 * config_update_text did not read back as themselves. */
static void
config__update_text__values_read_back(void **state)
{
	static const struct {
		const char *value, *line;
	} cases[] = {
		{ "/home/me/certs #2/ca.pem",
		  "theme = \"/home/me/certs #2/ca.pem\"\n" },
		{ "#1", "theme = \"#1\"\n" },
		{ " ", "theme = \" \"\n" },
		{ " padded\t", "theme = \" padded\t\"\n" },
		{ "\"dark\"", "theme = \"\"dark\"\"\n" },
		{ "\"", "theme = \"\"\"\n" },
		{ "a#b \"c\"", "theme = a#b \"c\"\n" },
	};
	char msg[256];
	struct config c;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *out = config_update_text("", "theme", cases[i].value, msg,
		                               sizeof msg);

		assert_non_null(out);
		assert_string_equal(out, cases[i].line);
		config_init(&c);
		assert_int_equal(config_load_text(&c, "cfg", out), 0);
		assert_string_equal(c.theme, cases[i].value);
		config_free(&c);
		free(out);
	}
}

/* Found by fuzz_config: a value with a line break wrote extra lines. */
static void
config__update_text__refuses_line_breaks(void **state)
{
	char msg[256];

	assert_null(config_update_text(
	    "", "theme", "dark\nurl = https://evil.example", msg, sizeof msg));
	assert_non_null(strstr(msg, "lines"));
}

/* Found by fuzz_config: "url\f=" set url when read but was not seen as
 * a url line when rewriting, so it overrode the new value. */
static void
config__update_text__replaces_lines_as_read(void **state)
{
	char msg[256];
	char *out =
	    config_update_text("url=\n"
	                       "url\f=https://old.example\n"
	                       "theme\v= mono\n",
	                       "url", "https://new.example", msg, sizeof msg);

	assert_string_equal(out, "url = https://new.example\n"
	                         "theme\v= mono\n");
	free(out);
}

static void
config__load_text__quoted_hash_is_value(void **state)
{
	struct config c;

	config_init(&c);
	assert_int_equal(config_load_text(&c, "cfg",
	                                  "theme = \"a # b\" # a comment\n"
	                                  "ca-file = \"/x #1/ca.pem\"\n"
	                                  "email = a@b.example # work\n"),
	                 0);
	assert_string_equal(c.theme, "a # b");
	assert_string_equal(c.ca_file, "/x #1/ca.pem");
	assert_string_equal(c.email, "a@b.example");
	config_free(&c);
}

static void
config__update__rewrites_file_0600(void **state)
{
	char dir[] = "/tmp/sitecare-config-XXXXXX";
	char path[128];
	struct sc_error err = { 0 };
	struct config c;
	struct stat st;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/config", dir);
	assert_int_equal(config_update(path, "email", "x@y.example", &err), 0);
	f = fopen(path, "a");
	fputs("# a note\ntheme = mono\n", f);
	fclose(f);
	assert_int_equal(config_update(path, "email", "z@y.example", &err), 0);
	assert_int_equal(
	    config_update(path, "url", "https://s.example:1/", &err), 0);
	assert_int_equal(config_update(path, "url", "http://s.example", &err),
	                 -1);
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	sc_error_clear(&err);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	config_init(&c);
	assert_int_equal(config_load(&c, path), 0);
	assert_string_equal(c.email, "z@y.example");
	assert_string_equal(c.theme, "mono");
	assert_string_equal(c.url, "https://s.example:1/");
	config_free(&c);
	unlink(path);
	rmdir(dir);
}

static void
config__load__missing_file_is_fine(void **state)
{
	struct config c;

	config_init(&c);
	assert_int_equal(config_load(&c, "/nonexistent/sitecare/config"), 0);
	assert_int_equal(c.nerrors, 0);
	config_free(&c);
}

/* A scratch folder holding a regular file "file": paths under it fail
 * with ENOTDIR, as a config path under a file does. */
struct scratch {
	char dir[32];
	char file[64];
};

static void
scratch_new(struct scratch *s)
{
	FILE *f;

	snprintf(s->dir, sizeof s->dir, "%s", "/tmp/sitecare-config-XXXXXX");
	assert_non_null(mkdtemp(s->dir));
	snprintf(s->file, sizeof s->file, "%s/file", s->dir);
	f = fopen(s->file, "w");
	assert_non_null(f);
	fclose(f);
}

static void
scratch_free(struct scratch *s)
{
	unlink(s->file);
	rmdir(s->dir);
}

/* A file that cannot be read (not missing) is one error for the file,
 * line 0, naming why; the defaults stand. */
static void
config__load__unreadable_file_is_one_error(void **state)
{
	struct scratch s;
	char path[96];
	struct config c;

	scratch_new(&s);
	snprintf(path, sizeof path, "%s/config", s.file);
	config_init(&c);
	assert_int_equal(config_load(&c, path), 1);
	assert_int_equal(c.nerrors, 1);
	assert_string_equal(c.errors[0].file, path);
	assert_int_equal(c.errors[0].line, 0);
	assert_string_equal(c.errors[0].message,
	                    "cannot read: Not a directory");
	assert_int_equal(c.connect_timeout, 10);
	config_free(&c);
	scratch_free(&s);
}

/* A folder given as the config file (--config DIR): fopen() opens it,
 * the read fails; one error says why, not an empty config in silence. */
static void
config__load__folder_is_one_error(void **state)
{
	struct scratch s;
	struct config c;

	scratch_new(&s);
	config_init(&c);
	assert_int_equal(config_load(&c, s.dir), 1);
	assert_int_equal(c.nerrors, 1);
	assert_string_equal(c.errors[0].file, s.dir);
	assert_int_equal(c.errors[0].line, 0);
	assert_string_equal(c.errors[0].message, "cannot read: Is a directory");
	config_free(&c);
	scratch_free(&s);
}

/* A file over 1 MiB: its first MiB is read, and an error says the rest
 * is ignored. */
static void
config__load__oversized_file_read_in_part(void **state)
{
	struct scratch s;
	struct config c;
	FILE *f = NULL;
	size_t i;

	scratch_new(&s);
	f = fopen(s.file, "w");
	assert_non_null(f);
	fputs("email = big@x.example\n", f);
	for (i = 0; i < 1024 * 1024 / 8; i++)
		fputs("#comment", f);
	fputs("\ntheme = never-read\n", f);
	fclose(f);
	config_init(&c);
	assert_int_equal(config_load(&c, s.file), 1);
	assert_int_equal(c.nerrors, 1);
	assert_int_equal(c.errors[0].line, 0);
	assert_string_equal(c.errors[0].message,
	                    "longer than 1048576 bytes: the rest is ignored");
	assert_string_equal(c.email, "big@x.example");
	assert_string_equal(c.theme, "default");
	config_free(&c);
	scratch_free(&s);
}

/* A file that cannot be read is not taken for a missing one (which
 * would be rewritten from nothing): the update fails, saying why. */
static void
config__update__unreadable_file_refused(void **state)
{
	struct scratch s;
	char path[96], *want;
	struct sc_error err = { 0 };

	scratch_new(&s);
	snprintf(path, sizeof path, "%s/config", s.file);
	assert_int_equal(config_update(path, "email", "x@y.example", &err), -1);
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	want = xasprintf("%s: cannot read: Not a directory", path);
	assert_string_equal(err.message, want);
	free(want);
	sc_error_clear(&err);
	scratch_free(&s);
}

/* Numbers and choices are written back as the file spells them. */
static void
config__update_text__numbers_and_choices(void **state)
{
	char msg[256] = "";
	char *out =
	    config_update_text("", "connect-timeout", "42", msg, sizeof msg);

	assert_non_null(out);
	assert_string_equal(out, "connect-timeout = 42\n");
	free(out);
	out = config_update_text("notifications = bell\n", "notifications",
	                         "desktop", msg, sizeof msg);
	assert_non_null(out);
	assert_string_equal(out, "notifications = desktop\n");
	free(out);
}

/* With no override the path is $XDG_CONFIG_HOME/sitecare/config, the
 * folder made; a folder that cannot be made is an error naming it. */
static void
config__path__xdg_folder_made_or_error(void **state)
{
	struct scratch s;
	char home[96], *want, *path;
	struct sc_error err = { 0 };
	const char *old = getenv("XDG_CONFIG_HOME");
	char *saved = old != NULL ? xstrdup(old) : NULL;
	struct stat st;

	scratch_new(&s);
	path = config_path("/else/where", &err);
	assert_string_equal(path, "/else/where");
	free(path);
	snprintf(home, sizeof home, "%s/xdg", s.dir);
	setenv("XDG_CONFIG_HOME", home, 1);
	path = config_path(NULL, &err);
	want = xasprintf("%s/sitecare/config", home);
	assert_string_equal(path, want);
	free(want);
	free(path);
	want = xasprintf("%s/sitecare", home);
	assert_int_equal(stat(want, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	rmdir(want);
	rmdir(home);
	free(want);

	setenv("XDG_CONFIG_HOME", s.file, 1);
	assert_null(config_path(NULL, &err));
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	want = xasprintf("cannot create %s/sitecare: Not a directory", s.file);
	assert_string_equal(err.message, want);
	free(want);
	sc_error_clear(&err);
	if (saved != NULL)
		setenv("XDG_CONFIG_HOME", saved, 1);
	else
		unsetenv("XDG_CONFIG_HOME");
	free(saved);
	scratch_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(config__init__defaults),
		cmocka_unit_test(config__load_text__every_key),
		cmocka_unit_test(config__key_name__lists_every_key_once),
		cmocka_unit_test(
		    config__load_text__errors_collected_with_lines),
		cmocka_unit_test(config__set__checks_values),
		cmocka_unit_test(
		    config__update_text__replaces_in_place_keeping_comments),
		cmocka_unit_test(config__update_text__appends_missing_key),
		cmocka_unit_test(config__update_text__refuses_bad_values),
		cmocka_unit_test(config__update_text__values_read_back),
		cmocka_unit_test(config__update_text__refuses_line_breaks),
		cmocka_unit_test(config__update_text__replaces_lines_as_read),
		cmocka_unit_test(config__load_text__quoted_hash_is_value),
		cmocka_unit_test(config__update__rewrites_file_0600),
		cmocka_unit_test(config__load__missing_file_is_fine),
		cmocka_unit_test(config__clipboard_seconds__bounded),
		cmocka_unit_test(config__hints__on_or_off),
		cmocka_unit_test(config__muted__ids_parsed_and_refused),
		cmocka_unit_test(config__load__unreadable_file_is_one_error),
		cmocka_unit_test(config__load__folder_is_one_error),
		cmocka_unit_test(config__load__oversized_file_read_in_part),
		cmocka_unit_test(config__update__unreadable_file_refused),
		cmocka_unit_test(config__update_text__numbers_and_choices),
		cmocka_unit_test(config__path__xdg_folder_made_or_error),
	};

	return cmocka_run_group_tests_name("tui/config", tests, NULL, NULL);
}
