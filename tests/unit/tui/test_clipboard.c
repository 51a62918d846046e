/* Unit tests for tui/clipboard.c: OSC 52 bytes, tmux, the end of a copy. */
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

#include <sodium.h>

#include "tui/clipboard.h"
#include "tui/loop.h"

/* What the clipboard wrote to the "terminal", and how a copy ended. */
struct capture {
	char buf[4096];
	size_t len;
	int ended;
	enum clipboard_end how;
};

static void
capture_write(const char *buf, size_t len, void *ud)
{
	struct capture *c = ud;

	assert_true(c->len + len < sizeof c->buf);
	memcpy(c->buf + c->len, buf, len);
	c->len += len;
	c->buf[c->len] = '\0';
}

static void
capture_end(enum clipboard_end how, const char *detail, void *ud)
{
	struct capture *c = ud;

	(void)detail;
	c->ended++;
	c->how = how;
}

/* No tmux, no desktop: OSC 52 by itself. */
static void
plain_env(void)
{
	unsetenv("TMUX");
	unsetenv("WAYLAND_DISPLAY");
	unsetenv("DISPLAY");
	unsetenv("SSH_TTY");
	unsetenv("SSH_CONNECTION");
}

static void
clipboard__copy__osc52_exact_bytes_then_placeholder(void **state)
{
	struct loop *l = loop_new();
	struct capture cap = { 0 };
	struct clipboard *c;
	struct sc_error err = { 0 };
	int i;

	plain_env();
	c = clipboard_new(l);
	clipboard_set_writer(c, capture_write, &cap);
	assert_false(clipboard_tmux_keeps_copies(c));
	assert_int_equal(clipboard_copy(c, (const unsigned char *)"hunter2", 7,
	                                50, capture_end, &cap, &err),
	                 CLIPBOARD_OSC52);
	assert_string_equal(cap.buf, "\033]52;c;aHVudGVyMg==\a");
	for (i = 0; i < 100 && cap.ended == 0; i++)
		loop_run_once(l, 20);
	assert_int_equal(cap.ended, 1);
	assert_int_equal(cap.how, CLIPBOARD_OVERWRITTEN);
	assert_string_equal(cap.buf,
	                    "\033]52;c;aHVudGVyMg==\a\033]52;c;IA==\a");
	clipboard_free(c);
	loop_free(l);
}

static void
clipboard__tmux__unknown_sends_both_and_keeps_copies(void **state)
{
	struct loop *l = loop_new();
	struct capture cap = { 0 };
	struct clipboard *c;
	struct sc_error err = { 0 };

	plain_env();
	/* A TMUX whose tmux cannot answer: set-clipboard stays unknown. */
	setenv("TMUX", "/nonexistent/socket,1,0", 1);
	setenv("PATH", "/nonexistent", 1);
	c = clipboard_new(l);
	clipboard_set_writer(c, capture_write, &cap);
	assert_true(clipboard_tmux_keeps_copies(c));
	assert_int_equal(clipboard_copy(c, (const unsigned char *)"pw", 2,
	                                10000, capture_end, &cap, &err),
	                 CLIPBOARD_OSC52);
	assert_string_equal(cap.buf, "\033]52;c;cHc=\a"
	                             "\033Ptmux;\033\033]52;c;cHc=\a\033\\");
	/* Freeing a live copy overwrites it; nobody is told any more. */
	cap.len = 0;
	clipboard_free(c);
	assert_int_equal(cap.ended, 0);
	assert_non_null(strstr(cap.buf, "]52;c;IA=="));
	loop_free(l);
	setenv("PATH", "/usr/bin:/bin", 1);
}

static void
clipboard__route__ssh_uses_osc52_even_with_a_display(void **state)
{
	struct loop *l = loop_new();
	struct capture cap = { 0 };
	struct clipboard *c;
	struct sc_error err = { 0 };

	plain_env();
	setenv("DISPLAY", ":0", 1);
	setenv("SSH_CONNECTION", "10.0.0.1 5000 10.0.0.2 22", 1);
	c = clipboard_new(l);
	clipboard_set_writer(c, capture_write, &cap);
	assert_int_equal(clipboard_copy(c, (const unsigned char *)"x", 1, 1000,
	                                NULL, NULL, &err),
	                 CLIPBOARD_OSC52);
	clipboard_free(c);
	loop_free(l);
	plain_env();
}

/* Writes an executable shell script. */
static void
script(const char *path, const char *body)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fprintf(f, "#!/bin/sh\n%s\n", body);
	fclose(f);
	assert_int_equal(chmod(path, 0755), 0);
}

/* A fake wl-copy / wl-paste pair over a file in dir. */
static void
fake_wayland(const char *dir)
{
	char p[256], body[512];

	snprintf(p, sizeof p, "%s/wl-copy", dir);
	snprintf(body, sizeof body,
	         "if [ \"$1\" = --clear ]; then : > %s/clip; "
	         "else cat > %s/clip; fi",
	         dir, dir);
	script(p, body);
	snprintf(p, sizeof p, "%s/wl-paste", dir);
	snprintf(body, sizeof body, "cat %s/clip", dir);
	script(p, body);
}

/* Runs the loop until the copy ends (or 5 s). */
static void
run_until_end(struct loop *l, struct capture *cap)
{
	int i;

	for (i = 0; i < 250 && cap->ended == 0; i++)
		loop_run_once(l, 20);
}

/* The file's contents. */
static char *
slurp(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void
clipboard__local__cleared_when_unchanged_left_when_changed(void **state)
{
	char dir[] = "/tmp/sc_clip_XXXXXX", clip[256], path[512];
	struct loop *l = loop_new();
	struct capture cap = { 0 };
	struct clipboard *c;
	struct sc_error err = { 0 };
	FILE *f;

	assert_non_null(mkdtemp(dir));
	fake_wayland(dir);
	snprintf(clip, sizeof clip, "%s/clip", dir);
	plain_env();
	setenv("WAYLAND_DISPLAY", "wayland-0", 1);
	snprintf(path, sizeof path, "%s:/usr/bin:/bin", dir);
	setenv("PATH", path, 1);
	c = clipboard_new(l);
	clipboard_set_writer(c, capture_write, &cap);
	assert_int_equal(clipboard_copy(c, (const unsigned char *)"s3cret", 6,
	                                300, capture_end, &cap, &err),
	                 CLIPBOARD_LOCAL);
	assert_int_equal(cap.len, 0); /* nothing to the terminal */
	run_until_end(l, &cap);
	assert_int_equal(cap.how, CLIPBOARD_CLEARED);
	usleep(200000); /* the clearing child */
	assert_string_equal(slurp(clip), "");

	/* Copied, then something else copied over it: left alone. */
	cap.ended = 0;
	assert_int_equal(clipboard_copy(c, (const unsigned char *)"s3cret", 6,
	                                300, capture_end, &cap, &err),
	                 CLIPBOARD_LOCAL);
	usleep(200000);
	f = fopen(clip, "w");
	assert_non_null(f);
	fputs("a recipe", f);
	fclose(f);
	run_until_end(l, &cap);
	assert_int_equal(cap.how, CLIPBOARD_LEFT);
	assert_string_equal(slurp(clip), "a recipe");
	clipboard_free(c);
	loop_free(l);
	plain_env();
	setenv("PATH", "/usr/bin:/bin", 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    clipboard__copy__osc52_exact_bytes_then_placeholder),
		cmocka_unit_test(
		    clipboard__tmux__unknown_sends_both_and_keeps_copies),
		cmocka_unit_test(
		    clipboard__route__ssh_uses_osc52_even_with_a_display),
		cmocka_unit_test(
		    clipboard__local__cleared_when_unchanged_left_when_changed),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests_name("tui/clipboard", tests, NULL, NULL);
}
