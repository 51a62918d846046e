/* Unit tests for tui/editor.c: real editors are small shell scripts. */
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
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "net/base/xmalloc.h"
#include "tui/editor.h"

#define SCISSORS "# ------------------------ >8 ------------------------"

/* The scratch directory of the whole run: scripts, drafts, outputs. */
static char scratch[] = "/tmp/sitecare-editor-test-XXXXXX";

/* A path inside scratch; malloc'd. */
static char *
in_scratch(const char *name)
{
	return xasprintf("%s/%s", scratch, name);
}

/* Writes an executable sh script named name with body; its path. */
static char *
script(const char *name, const char *body)
{
	char *path = in_scratch(name);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fprintf(f, "#!/bin/sh\n%s\n", body);
	fclose(f);
	assert_int_equal(chmod(path, 0755), 0);
	return path;
}

/* Makes the script the editor ($EDITOR; $VISUAL unset). */
static void
use_editor(const char *name, const char *body)
{
	char *path = script(name, body);

	unsetenv("VISUAL");
	setenv("EDITOR", path, 1);
	free(path);
}

/* The contents of a scratch file, or NULL when it does not exist. */
static char *
slurp(const char *name)
{
	char *path = in_scratch(name);
	FILE *f = fopen(path, "r");
	char buf[4096];
	size_t n;

	free(path);
	if (f == NULL)
		return NULL;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return xstrdup(buf);
}

/* Polls editor_done() for up to five seconds. */
static bool
wait_done(struct editor *e)
{
	struct timespec ts = { 0, 5 * 1000000L };
	int i;

	for (i = 0; i < 1000; i++) {
		if (editor_done(e))
			return true;
		nanosleep(&ts, NULL);
	}
	return false;
}

/* Runs the configured editor to the end; outcome, text and error. */
static enum editor_outcome
run(const char *initial, const char *help, size_t max, char **text,
    struct sc_error *err)
{
	struct editor *e = editor_start(initial, help, err);
	enum editor_outcome out;

	assert_non_null(e);
	assert_true(editor_pid(e) > 0);
	assert_true(wait_done(e));
	out = editor_result(e, max, text, err);
	editor_free(e);
	return out;
}

static int
setup(void **state)
{
	char *run_dir, *state_dir;

	if (mkdtemp(scratch) == NULL)
		return -1;
	run_dir = in_scratch("run");
	state_dir = in_scratch("state");
	mkdir(run_dir, 0700);
	setenv("XDG_RUNTIME_DIR", run_dir, 1);
	setenv("XDG_STATE_HOME", state_dir, 1);
	setenv("OUT", scratch, 1);
	free(run_dir);
	free(state_dir);
	return 0;
}

static int
teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", scratch);
	int rc = system(cmd);

	free(cmd);
	return rc == 0 ? 0 : -1;
}

static void
editor__result__text_comes_back_stripped(void **state)
{
	struct sc_error err = { 0 };
	char *text;

	use_editor("strip.sh", "printf '  \\n\\nhello world  \\n# comment\\n"
	                       "\\n\\n\\n  indented\\t\\n\\n\\n' > \"$1\"");
	assert_int_equal(run(NULL, "help", 0, &text, &err), EDITOR_TEXT);
	assert_string_equal(text, "hello world\n\n  indented");
	free(text);
	sc_error_clear(&err);
}

static void
editor__result__crlf_and_no_final_newline(void **state)
{
	struct sc_error err = { 0 };
	char *text;

	use_editor("crlf.sh", "printf 'one\\r\\n\\r\\ntwo\\r\\n#x\\r\\nthree'"
	                      " > \"$1\"");
	assert_int_equal(run(NULL, NULL, 0, &text, &err), EDITOR_TEXT);
	assert_string_equal(text, "one\n\ntwo\nthree");
	free(text);
	sc_error_clear(&err);
}

static void
editor__result__long_line_within_and_over_the_cap(void **state)
{
	struct sc_error err = { 0 };
	char *text;

	use_editor("long.sh", "head -c 100000 /dev/zero | tr '\\0' x > \"$1\"");
	assert_int_equal(run(NULL, NULL, 200000, &text, &err), EDITOR_TEXT);
	assert_int_equal(strlen(text), 100000);
	assert_int_equal(strspn(text, "x"), 100000);
	free(text);

	assert_int_equal(run(NULL, NULL, 0, &text, &err), EDITOR_FAILED);
	assert_int_equal(err.kind, SC_ERR_TOO_LARGE);
	assert_non_null(strstr(err.message, "at most 65536"));
	assert_non_null(text); /* kept, so the caller can reopen it */
	assert_int_equal(strlen(text), 100000);
	free(text);
	sc_error_clear(&err);
}

static void
editor__result__unchanged_is_cancelled(void **state)
{
	struct sc_error err = { 0 };
	char *text;

	use_editor("noop.sh", "exit 0");
	assert_int_equal(run("draft", "help", 0, &text, &err),
	                 EDITOR_CANCELLED);
	assert_null(text);
	assert_string_equal(err.message,
	                    "cancelled: the message was not changed");
	sc_error_clear(&err);
}

static void
editor__result__empty_is_cancelled(void **state)
{
	struct sc_error err = { 0 };
	char *text;

	use_editor("empty.sh", ": > \"$1\"");
	assert_int_equal(run("draft", "help", 0, &text, &err),
	                 EDITOR_CANCELLED);
	assert_null(text);
	assert_string_equal(err.message, "cancelled: the message was empty");

	use_editor("comments.sh", "printf '\\n  \\n# only\\n#comments\\n' "
	                          "> \"$1\"");
	assert_int_equal(run(NULL, "help", 0, &text, &err), EDITOR_CANCELLED);
	assert_null(text);
	assert_string_equal(err.message, "cancelled: the message was empty");
	sc_error_clear(&err);
}

static void
editor__result__nonzero_exit_is_cancelled(void **state)
{
	struct sc_error err = { 0 };
	char *text;

	use_editor("fail.sh", "printf 'written\\n' > \"$1\"; exit 1");
	assert_int_equal(run(NULL, NULL, 0, &text, &err), EDITOR_CANCELLED);
	assert_null(text);
	assert_string_equal(err.message,
	                    "cancelled: the editor exited with status 1");
	sc_error_clear(&err);
}

static void
editor__result__killed_editor_failed(void **state)
{
	struct sc_error err = { 0 };
	char *text;

	use_editor("killed.sh", "printf 'x' > \"$1\"; kill -TERM $$");
	assert_int_equal(run(NULL, NULL, 0, &text, &err), EDITOR_FAILED);
	assert_null(text);
	assert_non_null(strstr(err.message, "killed"));
	sc_error_clear(&err);
}

static void
editor__result__missing_command_failed(void **state)
{
	struct sc_error err = { 0 };
	char *text;

	unsetenv("VISUAL");
	setenv("EDITOR", "/nonexistent/sitecare-editor", 1);
	assert_int_equal(run(NULL, NULL, 0, &text, &err), EDITOR_FAILED);
	assert_null(text);
	assert_non_null(strstr(err.message, "could not run the editor"));
	sc_error_clear(&err);
}

static void
editor__result__invalid_utf8_refused(void **state)
{
	static const char *const bad[] = {
		"ok\\n\\377bad",             /* not a UTF-8 byte */
		"ok\\n\\300\\257",           /* overlong '/' */
		"ok\\n\\355\\240\\200",      /* a surrogate */
		"ok\\n\\364\\220\\200\\200", /* above U+10FFFF */
		"ok\\n\\303",                /* cut short */
	};
	struct sc_error err = { 0 };
	char *text, *body;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		body = xasprintf("printf '%s\\n' > \"$1\"", bad[i]);
		use_editor("bad.sh", body);
		free(body);
		assert_int_equal(run(NULL, NULL, 0, &text, &err),
		                 EDITOR_FAILED);
		assert_int_equal(err.kind, SC_ERR_INVALID);
		assert_string_equal(
		    err.message,
		    "line 2 of the message is not valid UTF-8 text");
		assert_non_null(text);
		free(text);
	}
	use_editor("good.sh", "printf 'h\\303\\251llo \\342\\234\\223 "
	                      "\\360\\237\\230\\200\\n' > \"$1\"");
	assert_int_equal(run(NULL, NULL, 0, &text, &err), EDITOR_TEXT);
	assert_string_equal(text, "h\xc3\xa9llo \xe2\x9c\x93 \xf0\x9f\x98\x80");
	free(text);
	sc_error_clear(&err);
}

static void
editor__start__draft_holds_initial_and_help(void **state)
{
	struct sc_error err = { 0 };
	char *text, *draft;

	use_editor("copy.sh", "cp \"$1\" \"$OUT/draft\"");
	assert_int_equal(
	    run("first line\nsecond", "Note on #12.\n\nBye.", 0, &text, &err),
	    EDITOR_CANCELLED);
	draft = slurp("draft");
	assert_string_equal(draft,
	                    "first line\nsecond\n\n" SCISSORS
	                    "\n# Everything below the line above is ignored.\n"
	                    "# Note on #12.\n#\n# Bye.\n");
	free(draft);

	assert_int_equal(run(NULL, "Internal note.", 0, &text, &err),
	                 EDITOR_CANCELLED);
	draft = slurp("draft");
	assert_string_equal(draft,
	                    "\n" SCISSORS
	                    "\n# Everything below the line above is ignored.\n"
	                    "# Internal note.\n");
	free(draft);
	sc_error_clear(&err);
}

/* "#12 is fixed" above the scissors is text, not a comment. */
static void
editor__result__hash_lines_above_scissors_kept(void **state)
{
	struct sc_error err = { 0 };
	char *text = NULL;

	use_editor("hash.sh", "sed -i '1s/^/#12 is fixed\\n# and #13/' \"$1\"");
	assert_int_equal(run(NULL, "Help.", 0, &text, &err), EDITOR_TEXT);
	assert_string_equal(text, "#12 is fixed\n# and #13");
	free(text);
	sc_error_clear(&err);
}

static void
editor__start__command_with_arguments(void **state)
{
	struct sc_error err = { 0 };
	char *path = script("args.sh", "printf '%s|%s|%s' \"$1\" \"$2\" "
	                               "\"$(basename \"$3\")\" > \"$3\"");
	char *cmd = xasprintf("%s --flag 'two  words'", path);
	char *text;

	unsetenv("VISUAL");
	setenv("EDITOR", cmd, 1);
	assert_int_equal(run(NULL, NULL, 0, &text, &err), EDITOR_TEXT);
	assert_string_equal(text, "--flag|two  words|sitecare-draft.txt");
	free(text);
	free(cmd);
	free(path);
	sc_error_clear(&err);
}

static void
editor__done__false_while_running_then_true(void **state)
{
	struct sc_error err = { 0 };
	struct editor *e;
	char *text;

	use_editor("slow.sh", "sleep 0.3; printf 'late' > \"$1\"");
	e = editor_start(NULL, NULL, &err);
	assert_non_null(e);
	assert_false(editor_done(e));
	assert_int_equal(editor_result(e, 0, &text, &err), EDITOR_FAILED);
	assert_string_equal(err.message, "the editor is still running");
	assert_null(text);
	assert_true(wait_done(e));
	assert_true(editor_done(e)); /* again: harmless */
	assert_int_equal(editor_result(e, 0, &text, &err), EDITOR_TEXT);
	assert_string_equal(text, "late");
	free(text);
	editor_free(e);
	sc_error_clear(&err);
}

static void
editor__free__removes_the_private_draft(void **state)
{
	struct sc_error err = { 0 };
	struct editor *e;
	struct stat st;
	char *path, *mode, *dirmode, *dir;

	use_editor("private.sh",
	           "stat -c %a \"$1\" > \"$OUT/mode\"; "
	           "stat -c %a \"$(dirname \"$1\")\" > \"$OUT/dirmode\"; "
	           "printf '%s' \"$1\" > \"$OUT/path\"; "
	           "printf 'secret' > \"$1\"; touch \"$1.swp\"");
	e = editor_start(NULL, NULL, &err);
	assert_non_null(e);
	assert_true(wait_done(e));
	mode = slurp("mode");
	dirmode = slurp("dirmode");
	path = slurp("path");
	assert_string_equal(mode, "600\n");
	assert_string_equal(dirmode, "700\n");
	assert_non_null(strstr(path, "/run/sitecare/edit-"));
	assert_int_equal(stat(path, &st), 0);
	editor_free(e);
	assert_int_equal(stat(path, &st), -1);
	assert_int_equal(errno, ENOENT);
	dir = xstrndup(path, (size_t)(strrchr(path, '/') - path));
	assert_int_equal(stat(dir, &st), -1); /* swap file and dir gone */
	free(dir);
	free(path);
	free(mode);
	free(dirmode);
	sc_error_clear(&err);
}

/* Monotonic milliseconds. */
static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
editor__start__signals_at_default_in_the_editor(void **state)
{
	struct sc_error err = { 0 };
	struct sigaction ignore = { .sa_handler = SIG_IGN }, old[4];
	const int sigs[] = { SIGINT, SIGQUIT, SIGTSTP, SIGPIPE };
	sigset_t block, saved;
	unsigned long long blk, ign;
	char *text, *seen;
	size_t i;

	for (i = 0; i < 4; i++)
		sigaction(sigs[i], &ignore, &old[i]);
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGWINCH);
	sigprocmask(SIG_BLOCK, &block, &saved);
	use_editor("sigs.sh", "grep -E '^Sig(Ign|Blk)' /proc/self/status "
	                      "> \"$OUT/sigs\"; printf 'x' > \"$1\"");
	assert_int_equal(run(NULL, NULL, 0, &text, &err), EDITOR_TEXT);
	sigprocmask(SIG_SETMASK, &saved, NULL);
	for (i = 0; i < 4; i++)
		sigaction(sigs[i], &old[i], NULL);
	seen = slurp("sigs");
	/* Signals 1-31 only: glibc's posix_spawn ignores its own 32, 33. */
	assert_int_equal(
	    sscanf(seen, "SigBlk:\t%llx\nSigIgn:\t%llx", &blk, &ign), 2);
	assert_int_equal(blk, 0);
	assert_int_equal(ign & 0x7fffffffULL, 0);
	free(seen);
	free(text);
	sc_error_clear(&err);
}

static void
editor__free__stops_a_running_editor(void **state)
{
	struct sc_error err = { 0 };
	struct editor *e;
	pid_t pid;
	long long t0 = now_ms();

	use_editor("forever.sh", "exec sleep 30");
	e = editor_start(NULL, NULL, &err);
	assert_non_null(e);
	pid = editor_pid(e);
	editor_free(e);
	assert_true(now_ms() - t0 < 900);   /* SIGTERM did it, not SIGKILL */
	assert_int_equal(kill(pid, 0), -1); /* reaped, not a zombie */
	assert_int_equal(errno, ESRCH);
	sc_error_clear(&err);
}

static void
editor__start__state_dir_without_runtime_dir(void **state)
{
	struct sc_error err = { 0 };
	char *text, *path, *run_dir = in_scratch("run");

	unsetenv("XDG_RUNTIME_DIR");
	use_editor("where.sh", "printf '%s' \"$1\" > \"$OUT/path\"; "
	                       "printf 'x' > \"$1\"");
	assert_int_equal(run(NULL, NULL, 0, &text, &err), EDITOR_TEXT);
	path = slurp("path");
	assert_non_null(strstr(path, "/state/sitecare/drafts/edit-"));
	setenv("XDG_RUNTIME_DIR", run_dir, 1);
	free(path);
	free(run_dir);
	free(text);
	sc_error_clear(&err);
}

static void
editor__command__visual_wins_over_editor(void **state)
{
	struct sc_error err = { 0 };
	char *vis = script("visual.sh", "printf 'visual' > \"$1\"");
	char *cmd, *text;

	setenv("VISUAL", vis, 1);
	setenv("EDITOR", "/nonexistent/editor", 1);
	cmd = editor_command();
	assert_string_equal(cmd, vis);
	free(cmd);
	unsetenv("EDITOR");
	assert_int_equal(run(NULL, NULL, 0, &text, &err), EDITOR_TEXT);
	assert_string_equal(text, "visual");
	free(text);
	unsetenv("VISUAL");
	free(vis);
	sc_error_clear(&err);
}

static void
editor__command__falls_back_to_path(void **state)
{
	char *old = xstrdup(getenv("PATH"));
	char *bin = in_scratch("bin"), *nano, *vi, *cmd, *want;

	mkdir(bin, 0700);
	nano = in_scratch("bin/nano");
	vi = in_scratch("bin/vi");
	fclose(fopen(vi, "w"));
	fclose(fopen(nano, "w"));
	chmod(vi, 0755);
	chmod(nano, 0644); /* not executable: skipped */
	unsetenv("VISUAL");
	unsetenv("EDITOR");
	want = xasprintf("%s/vi", bin);
	setenv("PATH", bin, 1);
	cmd = editor_command();
	setenv("PATH", old, 1);
	assert_non_null(cmd);
	assert_string_equal(cmd, want);
	free(cmd);
	free(want);
	free(nano);
	free(vi);
	free(bin);
	free(old);
}

static void
editor__start__no_editor_is_a_clear_error(void **state)
{
	struct sc_error err = { 0 };
	char *old = xstrdup(getenv("PATH"));
	struct editor *e;

	unsetenv("VISUAL");
	unsetenv("EDITOR");
	setenv("PATH", "", 1);
	assert_null(editor_command());
	e = editor_start("text", "help", &err);
	setenv("PATH", old, 1);
	assert_null(e);
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	assert_string_equal(err.message,
	                    "no editor found: set $VISUAL or $EDITOR");
	free(old);
	sc_error_clear(&err);
}

/* The draft's folder when $XDG_RUNTIME_DIR is runtime: run the editor
 * that writes its draft's path, and return the path. */
static char *
draft_path_with_runtime(const char *runtime)
{
	struct sc_error err = { 0 };
	char *text;

	setenv("XDG_RUNTIME_DIR", runtime, 1);
	use_editor("where.sh", "printf '%s' \"$1\" > \"$OUT/path\"; "
	                       "printf 'x' > \"$1\"");
	assert_int_equal(run(NULL, NULL, 0, &text, &err), EDITOR_TEXT);
	free(text);
	sc_error_clear(&err);
	return slurp("path");
}

/* A runtime folder that cannot hold ours (it is a file, or its
 * "sitecare" is a file) is passed over for the state folder; an open
 * "sitecare" folder there is closed to others first. */
static void
editor__start__unusable_runtime_dir_falls_back(void **state)
{
	char *file = in_scratch("rt-file"), *rt = in_scratch("rt");
	char *inner = in_scratch("rt/sitecare"), *run_dir = in_scratch("run");
	char *path;
	struct stat st;

	fclose(fopen(file, "w"));
	path = draft_path_with_runtime(file);
	assert_non_null(strstr(path, "/state/sitecare/drafts/edit-"));
	free(path);
	mkdir(rt, 0700);
	fclose(fopen(inner, "w"));
	path = draft_path_with_runtime(rt);
	assert_non_null(strstr(path, "/state/sitecare/drafts/edit-"));
	free(path);
	unlink(inner);
	mkdir(inner, 0755);
	path = draft_path_with_runtime(rt);
	assert_true(strncmp(path, inner, strlen(inner)) == 0);
	assert_int_equal(stat(inner, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	free(path);
	setenv("XDG_RUNTIME_DIR", run_dir, 1);
	free(run_dir);
	free(inner);
	free(rt);
	free(file);
}

/* No runtime folder and a state folder that cannot be made: no editor
 * starts, and the error names the folder. */
static void
editor__start__no_draft_folder_is_an_error(void **state)
{
	struct sc_error err = { 0 };
	char *file = in_scratch("state-file"), *old = in_scratch("state");
	char *want = xasprintf("cannot create %s/sitecare/drafts: Not a "
	                       "directory",
	                       file);

	fclose(fopen(file, "w"));
	use_editor("never.sh", "exit 0");
	unsetenv("XDG_RUNTIME_DIR");
	setenv("XDG_STATE_HOME", file, 1);
	assert_null(editor_start("text", "help", &err));
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	assert_string_equal(err.message, want);
	setenv("XDG_STATE_HOME", old, 1);
	free(file);
	free(old);
	free(want);
	sc_error_clear(&err);
	file = in_scratch("run");
	setenv("XDG_RUNTIME_DIR", file, 1);
	free(file);
}

/* A fallback editor whose path needs quoting for sh comes back quoted
 * (empty $PATH entries before it are passed over). */
static void
editor__command__fallback_path_quoted_for_sh(void **state)
{
	char *old = xstrdup(getenv("PATH"));
	char *bin = in_scratch("my bin's"), *vi = in_scratch("my bin's/vi");
	char *path = xasprintf("::%s", bin), *cmd, *want;

	mkdir(bin, 0700);
	fclose(fopen(vi, "w"));
	chmod(vi, 0755);
	unsetenv("VISUAL");
	unsetenv("EDITOR");
	setenv("PATH", path, 1);
	cmd = editor_command();
	setenv("PATH", old, 1);
	want = xasprintf("'%s/my bin'\\''s/vi'", scratch);
	assert_non_null(cmd);
	assert_string_equal(cmd, want);
	free(cmd);
	free(want);
	free(path);
	free(vi);
	free(bin);
	free(old);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(editor__result__text_comes_back_stripped),
		cmocka_unit_test(editor__result__crlf_and_no_final_newline),
		cmocka_unit_test(
		    editor__result__long_line_within_and_over_the_cap),
		cmocka_unit_test(editor__result__unchanged_is_cancelled),
		cmocka_unit_test(editor__result__empty_is_cancelled),
		cmocka_unit_test(editor__result__nonzero_exit_is_cancelled),
		cmocka_unit_test(editor__result__killed_editor_failed),
		cmocka_unit_test(editor__result__missing_command_failed),
		cmocka_unit_test(editor__result__invalid_utf8_refused),
		cmocka_unit_test(editor__start__draft_holds_initial_and_help),
		cmocka_unit_test(
		    editor__result__hash_lines_above_scissors_kept),
		cmocka_unit_test(editor__start__command_with_arguments),
		cmocka_unit_test(editor__done__false_while_running_then_true),
		cmocka_unit_test(editor__free__removes_the_private_draft),
		cmocka_unit_test(
		    editor__start__signals_at_default_in_the_editor),
		cmocka_unit_test(editor__free__stops_a_running_editor),
		cmocka_unit_test(editor__start__state_dir_without_runtime_dir),
		cmocka_unit_test(editor__command__visual_wins_over_editor),
		cmocka_unit_test(editor__command__falls_back_to_path),
		cmocka_unit_test(editor__start__no_editor_is_a_clear_error),
		cmocka_unit_test(
		    editor__start__unusable_runtime_dir_falls_back),
		cmocka_unit_test(editor__start__no_draft_folder_is_an_error),
		cmocka_unit_test(editor__command__fallback_path_quoted_for_sh),
	};

	return cmocka_run_group_tests_name("tui/editor", tests, setup,
	                                   teardown);
}
