/* Unit tests for tui/cmdline.c: readline driven by keys, no terminal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curses.h>
#include <locale.h>
#include <sys/stat.h>
#include <unistd.h>

#include "net/base/xmalloc.h"
#include "tui/cmdline.h"
#include "tui/command.h"

#include "screen_has.h"

#define CTRL(c) ((key_code)((c)&0x1F))

/* Feeds each UTF-8 character of s as one key; returns the last result. */
static enum cmdline_result
type(struct cmdline *cl, const char *s)
{
	enum cmdline_result r = CMDLINE_EDITING;
	mbstate_t st;
	wchar_t wc;
	size_t n;

	memset(&st, 0, sizeof st);
	while (*s != '\0') {
		n = mbrtowc(&wc, s, strlen(s), &st);
		assert_true(n > 0 && n <= 4);
		r = cmdline_feed(cl, (key_code)wc);
		s += n;
	}
	return r;
}

/* Opens a line of kind, types s, presses Enter and checks the result. */
static void
submit(struct cmdline *cl, enum cmdline_kind kind, const char *s)
{
	char *line;

	cmdline_open(cl, kind, ":", NULL);
	type(cl, s);
	assert_int_equal(cmdline_feed(cl, KEYC_ENTER), CMDLINE_SUBMITTED);
	line = cmdline_take(cl);
	assert_string_equal(line, s);
	free(line);
}

static int
setup(void **state)
{
	struct cmdline *cl;

	cl = cmdline_new();
	*state = cl;
	return 0;
}

static int
teardown(void **state)
{
	cmdline_free(*state);
	return 0;
}

static void
cmdline__feed__enter_submits(void **state)
{
	struct cmdline *cl = *state;
	char *line;

	assert_false(cmdline_active(cl));
	cmdline_open(cl, CMDLINE_COMMAND, ":", NULL);
	assert_true(cmdline_active(cl));
	assert_int_equal(type(cl, "filter"), CMDLINE_EDITING);
	assert_string_equal(cmdline_text(cl), "filter");
	assert_int_equal(cmdline_cursor(cl), 6);
	assert_int_equal(cmdline_feed(cl, KEYC_ENTER), CMDLINE_SUBMITTED);
	assert_false(cmdline_active(cl));
	assert_string_equal(cmdline_text(cl), "");
	line = cmdline_take(cl);
	assert_string_equal(line, "filter");
	free(line);
	assert_null(cmdline_take(cl));
	assert_int_equal(cmdline_feed(cl, 'x'), CMDLINE_CANCELLED);
}

static void
cmdline__feed__ctrl_a_inserts_at_start(void **state)
{
	struct cmdline *cl = *state;

	cmdline_open(cl, CMDLINE_COMMAND, ":", NULL);
	type(cl, "bc");
	cmdline_feed(cl, CTRL('a'));
	assert_int_equal(cmdline_cursor(cl), 0);
	type(cl, "a");
	assert_string_equal(cmdline_text(cl), "abc");
	cmdline_feed(cl, CTRL('e'));
	type(cl, "d");
	assert_string_equal(cmdline_text(cl), "abcd");
}

static void
cmdline__feed__ctrl_k_and_meta_f(void **state)
{
	struct cmdline *cl = *state;

	cmdline_open(cl, CMDLINE_COMMAND, ":", NULL);
	type(cl, "hello big world");
	cmdline_feed(cl, CTRL('a'));
	cmdline_feed(cl, KEYC_META | 'f');
	assert_int_equal(cmdline_cursor(cl), 5);
	cmdline_feed(cl, CTRL('k'));
	assert_string_equal(cmdline_text(cl), "hello");
	cmdline_feed(cl, KEYC_META | 'b');
	assert_int_equal(cmdline_cursor(cl), 0);
	cmdline_feed(cl, CTRL('y')); /* yank what C-k killed */
	assert_string_equal(cmdline_text(cl), " big worldhello");
}

static void
cmdline__feed__ctrl_w_and_ctrl_u(void **state)
{
	struct cmdline *cl = *state;

	cmdline_open(cl, CMDLINE_COMMAND, ":", NULL);
	type(cl, "filter status=new");
	cmdline_feed(cl, CTRL('w'));
	assert_string_equal(cmdline_text(cl), "filter ");
	cmdline_feed(cl, CTRL('u'));
	assert_string_equal(cmdline_text(cl), "");
}

static void
cmdline__feed__arrows_home_end_delete(void **state)
{
	struct cmdline *cl = *state;

	cmdline_open(cl, CMDLINE_COMMAND, ":", NULL);
	type(cl, "abc");
	cmdline_feed(cl, KEYC_LEFT);
	cmdline_feed(cl, KEYC_LEFT);
	assert_int_equal(cmdline_cursor(cl), 1);
	cmdline_feed(cl, KEYC_HOME);
	cmdline_feed(cl, KEYC_DELETE);
	assert_string_equal(cmdline_text(cl), "bc");
	cmdline_feed(cl, KEYC_END);
	cmdline_feed(cl, KEYC_BACKSPACE);
	cmdline_feed(cl, KEYC_RIGHT);
	assert_string_equal(cmdline_text(cl), "b");
	/* Keys readline has no use for are ignored, not inserted. */
	assert_int_equal(cmdline_feed(cl, KEYC_F1), CMDLINE_EDITING);
	assert_int_equal(cmdline_feed(cl, KEYC_PGUP), CMDLINE_EDITING);
	assert_string_equal(cmdline_text(cl), "b");
}

static void
cmdline__feed__utf8(void **state)
{
	struct cmdline *cl = *state;
	char *line;

	cmdline_open(cl, CMDLINE_REPLY, "> ", NULL);
	type(cl, "日本");
	assert_string_equal(cmdline_text(cl), "日本");
	cmdline_feed(cl, KEYC_LEFT);
	assert_int_equal(cmdline_cursor(cl), 3);
	type(cl, "é");
	assert_string_equal(cmdline_text(cl), "日é本");
	assert_int_equal(cmdline_cursor(cl), 5);
	cmdline_feed(cl, KEYC_BACKSPACE);
	cmdline_feed(cl, KEYC_BACKSPACE);
	assert_string_equal(cmdline_text(cl), "本");
	assert_int_equal(cmdline_feed(cl, KEYC_ENTER), CMDLINE_SUBMITTED);
	line = cmdline_take(cl);
	assert_string_equal(line, "本");
	free(line);
}

/* C-v then Escape puts a literal ESC in the line (readline's
 * quoted-insert) instead of cancelling it, however the keys arrive. */
static void
cmdline__feed__quoted_escape_is_text(void **state)
{
	struct cmdline *cl = *state;
	char *line;

	cmdline_open(cl, CMDLINE_REPLY, "reply: ", NULL);
	type(cl, "a");
	assert_int_equal(cmdline_feed(cl, CTRL('v')), CMDLINE_EDITING);
	assert_int_equal(cmdline_feed(cl, KEYC_ESCAPE), CMDLINE_EDITING);
	assert_true(cmdline_active(cl));
	type(cl, "b");
	assert_int_equal(cmdline_feed(cl, KEYC_ENTER), CMDLINE_SUBMITTED);
	line = cmdline_take(cl);
	assert_string_equal(line, "a\x1b"
	                          "b");
	free(line);
	/* The quoting is for one key only: Escape cancels again. */
	cmdline_open(cl, CMDLINE_REPLY, "reply: ", NULL);
	type(cl, "c");
	assert_int_equal(cmdline_feed(cl, KEYC_ESCAPE), CMDLINE_CANCELLED);
}

static void
cmdline__feed__escape_cancels(void **state)
{
	struct cmdline *cl = *state;
	const key_code keys[] = { KEYC_ESCAPE, CTRL('g'), CTRL('c') };
	size_t i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		cmdline_open(cl, CMDLINE_COMMAND, ":", NULL);
		type(cl, "abc");
		assert_int_equal(cmdline_feed(cl, keys[i]), CMDLINE_CANCELLED);
		assert_false(cmdline_active(cl));
		assert_null(cmdline_take(cl));
		assert_string_equal(cmdline_text(cl), "");
	}
	/* C-d on an empty line cancels too; on text it deletes. */
	cmdline_open(cl, CMDLINE_COMMAND, ":", NULL);
	type(cl, "ab");
	cmdline_feed(cl, CTRL('a'));
	assert_int_equal(cmdline_feed(cl, CTRL('d')), CMDLINE_EDITING);
	assert_string_equal(cmdline_text(cl), "b");
	cmdline_feed(cl, CTRL('d'));
	assert_int_equal(cmdline_feed(cl, CTRL('d')), CMDLINE_CANCELLED);
	assert_null(cmdline_take(cl));
}

static void
cmdline__open__initial_text_and_replace(void **state)
{
	struct cmdline *cl = *state;
	char *line;

	cmdline_open(cl, CMDLINE_COMMAND, ":", "sort ");
	assert_string_equal(cmdline_text(cl), "sort ");
	assert_int_equal(cmdline_cursor(cl), 5);
	type(cl, "-due_at");
	/* Opening again drops the line being typed. */
	cmdline_open(cl, CMDLINE_SEARCH, "/", NULL);
	assert_true(cmdline_active(cl));
	assert_int_equal(cmdline_kind(cl), CMDLINE_SEARCH);
	assert_string_equal(cmdline_text(cl), "");
	type(cl, "x");
	assert_int_equal(cmdline_feed(cl, KEYC_ENTER), CMDLINE_SUBMITTED);
	line = cmdline_take(cl);
	assert_string_equal(line, "x");
	free(line);
	/* Replacing a line in the middle of C-r or of a C-x prefix. */
	submit(cl, CMDLINE_COMMAND, "refresh");
	cmdline_open(cl, CMDLINE_COMMAND, ":", NULL);
	cmdline_feed(cl, CTRL('r'));
	type(cl, "ref");
	assert_string_equal(cmdline_text(cl), "refresh");
	cmdline_open(cl, CMDLINE_SEARCH, "/", NULL);
	cmdline_feed(cl, CTRL('x'));
	cmdline_open(cl, CMDLINE_SEARCH, "/", NULL);
	type(cl, "ab");
	assert_string_equal(cmdline_text(cl), "ab");
	assert_int_equal(cmdline_feed(cl, KEYC_ENTER), CMDLINE_SUBMITTED);
	line = cmdline_take(cl);
	assert_string_equal(line, "ab");
	free(line);
	/* The dropped lines never reached the command history. */
	cmdline_open(cl, CMDLINE_COMMAND, ":", NULL);
	cmdline_feed(cl, KEYC_UP);
	assert_string_equal(cmdline_text(cl), "refresh");
	cmdline_feed(cl, KEYC_UP);
	assert_string_equal(cmdline_text(cl), "refresh");
}

static void
cmdline__history__per_kind(void **state)
{
	struct cmdline *cl = *state;

	submit(cl, CMDLINE_COMMAND, "one");
	submit(cl, CMDLINE_COMMAND, "two");
	submit(cl, CMDLINE_SEARCH, "needle");
	submit(cl, CMDLINE_COMMAND, "two"); /* no adjacent duplicate */
	cmdline_open(cl, CMDLINE_COMMAND, ":", NULL);
	cmdline_feed(cl, KEYC_UP);
	assert_string_equal(cmdline_text(cl), "two");
	cmdline_feed(cl, KEYC_UP);
	assert_string_equal(cmdline_text(cl), "one");
	cmdline_feed(cl, KEYC_UP);
	assert_string_equal(cmdline_text(cl), "one");
	cmdline_feed(cl, KEYC_DOWN);
	assert_string_equal(cmdline_text(cl), "two");
	cmdline_feed(cl, CTRL('n'));
	assert_string_equal(cmdline_text(cl), "");
	cmdline_open(cl, CMDLINE_SEARCH, "/", NULL);
	cmdline_feed(cl, CTRL('p'));
	assert_string_equal(cmdline_text(cl), "needle");
	cmdline_feed(cl, KEYC_UP);
	assert_string_equal(cmdline_text(cl), "needle");
	cmdline_open(cl, CMDLINE_REPLY, "> ", NULL);
	cmdline_feed(cl, KEYC_UP);
	assert_string_equal(cmdline_text(cl), "");
}

static void
cmdline__history__edit_recalled_line_then_cancel(void **state)
{
	struct cmdline *cl = *state;
	char *line;

	submit(cl, CMDLINE_COMMAND, "sort due_at");
	cmdline_open(cl, CMDLINE_COMMAND, ":", NULL);
	cmdline_feed(cl, KEYC_UP);
	type(cl, "!!");
	cmdline_feed(cl, KEYC_ESCAPE);
	/* The edit was dropped with the line: history is unchanged. */
	cmdline_open(cl, CMDLINE_COMMAND, ":", NULL);
	cmdline_feed(cl, KEYC_UP);
	assert_string_equal(cmdline_text(cl), "sort due_at");
	cmdline_feed(cl, CTRL('w'));
	type(cl, "-due_at");
	assert_int_equal(cmdline_feed(cl, KEYC_ENTER), CMDLINE_SUBMITTED);
	line = cmdline_take(cl);
	assert_string_equal(line, "sort -due_at");
	free(line);
}

static void
cmdline__history__reverse_search(void **state)
{
	struct cmdline *cl = *state;
	char *line;

	submit(cl, CMDLINE_COMMAND, "filter status=new");
	submit(cl, CMDLINE_COMMAND, "sort -priority");
	cmdline_open(cl, CMDLINE_COMMAND, ":", NULL);
	cmdline_feed(cl, CTRL('r'));
	type(cl, "filt");
	assert_string_equal(cmdline_text(cl), "filter status=new");
	/* Escape ends the search, keeping the line, as in bash. */
	assert_int_equal(cmdline_feed(cl, KEYC_ESCAPE), CMDLINE_EDITING);
	assert_true(cmdline_active(cl));
	assert_string_equal(cmdline_text(cl), "filter status=new");
	assert_int_equal(cmdline_feed(cl, KEYC_ENTER), CMDLINE_SUBMITTED);
	line = cmdline_take(cl);
	assert_string_equal(line, "filter status=new");
	free(line);
	/* C-g aborts the search and gives back the line as it was. */
	cmdline_open(cl, CMDLINE_COMMAND, ":", "so");
	cmdline_feed(cl, CTRL('r'));
	type(cl, "status");
	assert_string_equal(cmdline_text(cl), "filter status=new");
	assert_int_equal(cmdline_feed(cl, CTRL('g')), CMDLINE_EDITING);
	assert_string_equal(cmdline_text(cl), "so");
	assert_int_equal(cmdline_feed(cl, KEYC_ESCAPE), CMDLINE_CANCELLED);
}

/* command_complete() as a cmdline completer. */
static char **
complete_command(void *ud, const char *line, int start, int end)
{
	return command_complete(line, start, end, NULL);
}

static void
cmdline__complete__tab_inserts_unique_match(void **state)
{
	struct cmdline *cl = *state;

	cmdline_set_completer(cl, CMDLINE_COMMAND, complete_command, NULL);
	cmdline_open(cl, CMDLINE_COMMAND, ":", NULL);
	type(cl, "chec");
	cmdline_feed(cl, KEYC_TAB);
	assert_string_equal(cmdline_text(cl), "checkhealth ");
	cmdline_feed(cl, CTRL('u'));
	type(cl, "filter st");
	cmdline_feed(cl, KEYC_TAB);
	assert_string_equal(cmdline_text(cl), "filter status="); /* no space */
	type(cl, "new,in");
	cmdline_feed(cl, KEYC_TAB);
	assert_string_equal(cmdline_text(cl), "filter status=new,in_progress ");
	cmdline_feed(cl, CTRL('u'));
	type(cl, "sort -p");
	cmdline_feed(cl, KEYC_TAB);
	assert_string_equal(cmdline_text(cl), "sort -priority ");
}

static void
cmdline__complete__second_tab_lists(void **state)
{
	struct cmdline *cl = *state;

	cmdline_set_completer(cl, CMDLINE_COMMAND, complete_command, NULL);
	cmdline_open(cl, CMDLINE_COMMAND, ":", NULL);
	type(cl, "filter priority=");
	cmdline_feed(cl, KEYC_TAB);
	assert_null(cmdline_hint(cl));
	cmdline_feed(cl, KEYC_TAB);
	assert_non_null(cmdline_hint(cl));
	assert_string_equal(cmdline_hint(cl), "high low normal urgent");
	assert_string_equal(cmdline_text(cl), "filter priority=");
	type(cl, "h");
	assert_null(cmdline_hint(cl));
	/* Without a completer Tab completes nothing (never file names). */
	cmdline_open(cl, CMDLINE_SEARCH, "/", NULL);
	type(cl, "/et");
	cmdline_feed(cl, KEYC_TAB);
	assert_string_equal(cmdline_text(cl), "/et");
}

/* A fresh temporary directory for history files; caller frees. */
static char *
temp_dir(void)
{
	char *dir = xstrdup("/tmp/sitecare-cmdline-XXXXXX");

	assert_non_null(mkdtemp(dir));
	return dir;
}

/* The contents of path, or NULL; caller frees. */
static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;

	if (f == NULL)
		return NULL;
	buf = xcalloc(1, 1 << 16);
	n = fread(buf, 1, (1 << 16) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void
cmdline__history__save_load_round_trip(void **state)
{
	struct cmdline *cl = *state;
	struct sc_error err = { 0 };
	char *dir = temp_dir(), *path, *reply, *text;
	struct stat st;

	path = xasprintf("%s/history", dir);
	reply = xasprintf("%s/replies", dir);
	submit(cl, CMDLINE_COMMAND, "filter status=new");
	submit(cl, CMDLINE_REPLY, "Dear client, your password is hunter2");
	submit(cl, CMDLINE_COMMAND, "sort -priority");
	assert_int_equal(cmdline_history_save(cl, CMDLINE_COMMAND, path, &err),
	                 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	text = slurp(path);
	assert_string_equal(text, "filter status=new\nsort -priority\n");
	free(text);
	/* Replies never reach the disk. */
	assert_int_equal(cmdline_history_save(cl, CMDLINE_REPLY, reply, &err),
	                 -1);
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	sc_error_clear(&err);
	assert_int_equal(access(reply, F_OK), -1);
	assert_int_equal(cmdline_history_load(cl, CMDLINE_COMMENT, path, &err),
	                 -1);
	sc_error_clear(&err);

	/* A new editor reads it back. */
	cmdline_free(cl);
	*state = cl = cmdline_new();
	assert_int_equal(cmdline_history_load(cl, CMDLINE_COMMAND, path, &err),
	                 0);
	cmdline_open(cl, CMDLINE_COMMAND, ":", NULL);
	cmdline_feed(cl, KEYC_UP);
	assert_string_equal(cmdline_text(cl), "sort -priority");
	cmdline_feed(cl, KEYC_UP);
	assert_string_equal(cmdline_text(cl), "filter status=new");
	cmdline_close(cl);
	assert_false(cmdline_active(cl));

	unlink(path);
	rmdir(dir);
	free(path);
	free(reply);
	free(dir);
}

static void
cmdline__history__missing_file_and_bound(void **state)
{
	struct cmdline *cl = *state;
	struct sc_error err = { 0 };
	char *dir = temp_dir(), *path, *text, *nl;
	FILE *f;
	size_t lines = 0;
	int i;

	path = xasprintf("%s/history", dir);
	assert_int_equal(cmdline_history_load(cl, CMDLINE_COMMAND, path, &err),
	                 0);
	f = fopen(path, "w");
	for (i = 0; i < CMDLINE_HISTORY_MAX + 100; i++)
		fprintf(f, "line%d\r\n", i);
	fclose(f);
	assert_int_equal(cmdline_history_load(cl, CMDLINE_COMMAND, path, &err),
	                 0);
	assert_int_equal(cmdline_history_save(cl, CMDLINE_COMMAND, path, &err),
	                 0);
	text = slurp(path);
	assert_true(strncmp(text, "line100\n", 8) == 0);
	for (nl = text; (nl = strchr(nl, '\n')) != NULL; nl++)
		lines++;
	assert_int_equal(lines, CMDLINE_HISTORY_MAX);
	free(text);
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
}

/* The text of row 0 of w, trailing blanks included (moves the cursor). */
static void
row_text(WINDOW *w, char *buf, int n)
{
	mvwinnstr(w, 0, 0, buf, n);
}

static void
cmdline__draw__scrolls_to_cursor(void **state)
{
	struct cmdline *cl = *state;
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	SCREEN *scr = newterm("xterm", out, in);
	WINDOW *w;
	char row[64];

	assert_non_null(scr);
	w = newwin(1, 10, 0, 0);
	cmdline_open(cl, CMDLINE_COMMAND, ":", NULL);
	type(cl, "abcdefghijklmno");
	assert_true(cmdline_dirty(cl));
	cmdline_draw(cl, w, 10);
	assert_false(cmdline_dirty(cl));
	assert_int_equal(getcurx(w), 9);
	row_text(w, row, 10);
	assert_string_equal(row, ":hijklmno ");
	cmdline_feed(cl, CTRL('a'));
	cmdline_draw(cl, w, 10);
	assert_int_equal(getcurx(w), 1);
	row_text(w, row, 10);
	assert_string_equal(row, ":abcdefghi");
	/* A control character shows as an escape and counts two columns. */
	cmdline_feed(cl, CTRL('u'));
	cmdline_feed(cl, CTRL('k'));
	cmdline_feed(cl, CTRL('v'));
	cmdline_feed(cl, CTRL('a'));
	type(cl, "x");
	assert_string_equal(cmdline_text(cl), "\001x");
	cmdline_draw(cl, w, 10);
	assert_int_equal(getcurx(w), 4);
	row_text(w, row, 10);
	assert_string_equal(row, ":^Ax      ");
	/* Wide characters take two columns each. */
	cmdline_feed(cl, CTRL('u'));
	type(cl, "日本語");
	cmdline_draw(cl, w, 10);
	assert_int_equal(getcurx(w), 7);
	/* Scrolled into the middle of a wide character: a blank stands in. */
	cmdline_feed(cl, CTRL('u'));
	type(cl, "日本語x");
	cmdline_draw(cl, w, 6);
	assert_int_equal(getcurx(w), 5);
	assert_int_equal(mvwinch(w, 0, 1) & A_CHARTEXT, ' ');
	assert_int_equal(mvwinch(w, 0, 4) & A_CHARTEXT, 'x');
	cmdline_feed(cl, KEYC_ESCAPE);
	cmdline_draw(cl, w, 10);
	row_text(w, row, 10);
	assert_string_equal(row, "          ");
	delwin(w);
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
}

/* A history that cannot be read (a folder, or a path under a file) is an
 * error naming it, not an empty history. */
static void
cmdline__history__unreadable_is_an_error(void **state)
{
	struct cmdline *cl = *state;
	struct sc_error err = { 0 };
	char *dir = temp_dir(), *file = xasprintf("%s/file", dir);
	char *under = xasprintf("%s/history", file), *want;
	FILE *f = fopen(file, "w");

	assert_non_null(f);
	fclose(f);
	assert_int_equal(cmdline_history_load(cl, CMDLINE_COMMAND, under, &err),
	                 -1);
	want = xasprintf("cannot read %s: Not a directory", under);
	assert_string_equal(err.message, want);
	free(want);
	sc_error_clear(&err);
	assert_int_equal(cmdline_history_load(cl, CMDLINE_SEARCH, dir, &err),
	                 -1);
	want = xasprintf("cannot read %s", dir);
	assert_string_equal(err.message, want);
	free(want);
	sc_error_clear(&err);
	unlink(file);
	rmdir(dir);
	free(under);
	free(file);
	free(dir);
}

/* M-Enter is a newline inside a reply or a note; M-Left and M-Right
 * move by words. */
static void
cmdline__feed__meta_enter_and_meta_arrows(void **state)
{
	struct cmdline *cl = *state;
	char *line;

	cmdline_open(cl, CMDLINE_REPLY, "reply: ", NULL);
	type(cl, "one two");
	assert_int_equal(cmdline_feed(cl, KEYC_META | KEYC_LEFT),
	                 CMDLINE_EDITING);
	assert_int_equal(cmdline_cursor(cl), 4);
	cmdline_feed(cl, KEYC_META | KEYC_LEFT);
	assert_int_equal(cmdline_cursor(cl), 0);
	cmdline_feed(cl, KEYC_META | KEYC_RIGHT);
	assert_int_equal(cmdline_cursor(cl), 3);
	assert_int_equal(cmdline_feed(cl, KEYC_META | KEYC_ENTER),
	                 CMDLINE_EDITING);
	assert_string_equal(cmdline_text(cl), "one\n two");
	assert_int_equal(cmdline_feed(cl, KEYC_ENTER), CMDLINE_SUBMITTED);
	line = cmdline_take(cl);
	assert_string_equal(line, "one\n two");
	free(line);
}

/* Listed completions follow the line, dimmed, when they fit; not when
 * the line is too wide for them. */
static void
cmdline__draw__hint_after_the_line_when_it_fits(void **state)
{
	struct cmdline *cl = *state;
	struct test_screen ts;
	WINDOW *w;
	char row[64];

	test_screen_open(&ts);
	w = newwin(1, 60, 0, 0);
	cmdline_set_completer(cl, CMDLINE_COMMAND, complete_command, NULL);
	cmdline_open(cl, CMDLINE_COMMAND, ":", NULL);
	type(cl, "filter priority=");
	cmdline_feed(cl, KEYC_TAB);
	cmdline_feed(cl, KEYC_TAB);
	cmdline_draw(cl, w, 60);
	mvwinnstr(w, 0, 0, row, 60);
	assert_non_null(strstr(row, ":filter priority=  high low normal"));
	assert_true(mvwinch(w, 0, 19) & A_DIM);
	assert_false(mvwinch(w, 0, 1) & A_DIM);
	/* 24 columns: the list is cut to what fits; 19: no room at all. */
	werase(w);
	cmdline_draw(cl, w, 24);
	mvwinnstr(w, 0, 0, row, 24);
	assert_string_equal(row, ":filter priority=  high ");
	werase(w);
	cmdline_draw(cl, w, 19);
	mvwinnstr(w, 0, 0, row, 24);
	assert_null(strstr(row, "h"));
	delwin(w);
	test_screen_close(&ts);
	cmdline_close(cl);
}

/* A scrolled line that gets shorter scrolls back, so that no more of
 * the view than needed is empty. */
static void
cmdline__draw__shorter_line_scrolls_back(void **state)
{
	struct cmdline *cl = *state;
	struct test_screen ts;
	WINDOW *w;
	char row[16];
	int i;

	test_screen_open(&ts);
	w = newwin(1, 10, 0, 0);
	cmdline_open(cl, CMDLINE_COMMAND, ":", NULL);
	type(cl, "abcdefghijklmno");
	cmdline_draw(cl, w, 10);
	mvwinnstr(w, 0, 0, row, 10);
	assert_string_equal(row, ":hijklmno ");
	for (i = 0; i < 5; i++)
		cmdline_feed(cl, KEYC_BACKSPACE);
	werase(w);
	cmdline_draw(cl, w, 10);
	assert_int_equal(getcurx(w), 9);
	mvwinnstr(w, 0, 0, row, 10);
	assert_string_equal(row, ":cdefghij ");
	delwin(w);
	test_screen_close(&ts);
	cmdline_close(cl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(cmdline__feed__enter_submits,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(
		    cmdline__feed__ctrl_a_inserts_at_start, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    cmdline__feed__ctrl_k_and_meta_f, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    cmdline__feed__ctrl_w_and_ctrl_u, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    cmdline__feed__arrows_home_end_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(cmdline__feed__utf8, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(
		    cmdline__feed__quoted_escape_is_text, setup, teardown),
		cmocka_unit_test_setup_teardown(cmdline__feed__escape_cancels,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(
		    cmdline__open__initial_text_and_replace, setup, teardown),
		cmocka_unit_test_setup_teardown(cmdline__history__per_kind,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(
		    cmdline__history__edit_recalled_line_then_cancel, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    cmdline__history__reverse_search, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    cmdline__complete__tab_inserts_unique_match, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    cmdline__complete__second_tab_lists, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    cmdline__history__save_load_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    cmdline__history__missing_file_and_bound, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    cmdline__draw__scrolls_to_cursor, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    cmdline__history__unreadable_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    cmdline__feed__meta_enter_and_meta_arrows, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    cmdline__draw__hint_after_the_line_when_it_fits, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    cmdline__draw__shorter_line_scrolls_back, setup, teardown),
	};

	/* Readline reads these once, at the first cmdline_new(). */
	setenv("INPUTRC", "/dev/null", 1);
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		return 1;
	return cmocka_run_group_tests_name("tui/cmdline", tests, NULL, NULL);
}
