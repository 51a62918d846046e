/* Unit tests for tui/clipboard.c: routes, OSC 52 bytes, tmux, the end of a
 * copy (fake wl-copy, wl-paste, xclip and tmux on a temporary PATH). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <sodium.h>

#include "tui/clipboard.h"
#include "net/base/loop.h"

/* "hunter2" and " " (the placeholder) in OSC 52. */
#define OSC_HUNTER2 "\033]52;c;aHVudGVyMg==\a"
#define OSC_SPACE   "\033]52;c;IA==\a"
#define DCS_HUNTER2 "\033Ptmux;\033\033]52;c;aHVudGVyMg==\a\033\\"
#define DCS_SPACE   "\033Ptmux;\033\033]52;c;IA==\a\033\\"

/* The PATH the tests started with, restored after each. */
static char *saved_path;
/* The fake tools' directory of the running test, removed after it. */
static char fake_dir[64];

/* What the clipboard wrote to the "terminal", and how copies ended. */
struct capture {
	char buf[4096];
	size_t len;
	int ended;
	enum clipboard_end how;
	char detail[256];
	long long ended_at;
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

	c->ended++;
	c->how = how;
	snprintf(c->detail, sizeof c->detail, "%s",
	         detail != NULL ? detail : "");
	c->ended_at = loop_now_ms();
}

/* A temporary directory holding fake tools, their clipboard file and a
 * log of how they were run. */
struct fake {
	char dir[64];
	char clip[128];
	char log[128];
};

/* Writes an executable shell script dir/name. */
static void
script(const struct fake *f, const char *name, const char *body)
{
	char path[256];
	FILE *fp;

	snprintf(path, sizeof path, "%s/%s", f->dir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fprintf(fp, "#!/bin/sh\n%s\n", body);
	fclose(fp);
	assert_int_equal(chmod(path, 0755), 0);
}

/* The fake tools: wl-copy, wl-paste and xclip over f->clip (written
 * whole by a rename), tmux answering $FAKE_SC for set-clipboard,
 * $FAKE_PT (default on) for allow-passthrough and $FAKE_BUFFERS for
 * list-buffers. Each
 * logs its arguments. $FAKE_COPY_FAIL makes the copy fail after reading
 * its input (one that fails at once may make clipboard_copy see EPIPE
 * instead, as $FAKE_COPY_DIE does); $FAKE_PASTE_FAIL makes the paste
 * fail. */
static void
fake_tools(struct fake *f)
{
	char body[1024];

	strcpy(f->dir, "/tmp/sc_clip_XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	strcpy(fake_dir, f->dir);
	snprintf(f->clip, sizeof f->clip, "%s/clip", f->dir);
	snprintf(f->log, sizeof f->log, "%s/log", f->dir);
	snprintf(body, sizeof body,
	         "echo \"wl-copy $*\" >> %s\n"
	         "if [ \"$1\" = --clear ]; then : > %s; exit 0; fi\n"
	         "[ -n \"$FAKE_COPY_DIE\" ] && exit 1\n"
	         "[ -n \"$FAKE_COPY_FAIL\" ] && cat >/dev/null && exit 1\n"
	         "cat > %s.tmp && mv %s.tmp %s",
	         f->log, f->clip, f->clip, f->clip, f->clip);
	script(f, "wl-copy", body);
	snprintf(body, sizeof body,
	         "echo \"wl-paste $*\" >> %s\n"
	         "[ -n \"$FAKE_PASTE_FAIL\" ] && exit 3\n"
	         "cat %s",
	         f->log, f->clip);
	script(f, "wl-paste", body);
	snprintf(body, sizeof body,
	         "echo \"xclip $*\" >> %s\n"
	         "case \"$*\" in *-o*) cat %s;;\n"
	         "*) cat > %s.tmp && mv %s.tmp %s;; esac",
	         f->log, f->clip, f->clip, f->clip, f->clip);
	script(f, "xclip", body);
	snprintf(body, sizeof body,
	         "echo \"tmux $*\" >> %s\n"
	         "case \"$3\" in set-clipboard) echo \"$FAKE_SC\";;\n"
	         "allow-passthrough) echo \"${FAKE_PT-on}\";; esac\n"
	         "[ \"$1\" = list-buffers ] && printf \"%%s\" "
	         "\"$FAKE_BUFFERS\"\n"
	         "exit 0",
	         f->log);
	script(f, "tmux", body);
	snprintf(body, sizeof body, "%s:/usr/bin:/bin", f->dir);
	setenv("PATH", body, 1);
}

/* Removes the fake tools' directory, if a test made one. */
static void
fake_remove(void)
{
	char cmd[128];

	if (fake_dir[0] == '\0')
		return;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", fake_dir);
	assert_int_equal(system(cmd), 0);
	fake_dir[0] = '\0';
}

/* A file's contents ("<none>" when it is not there). */
static const char *
slurp(const char *path)
{
	static char buf[1024];
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL)
		return "<none>";
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Writes text into a file, as another program copying would. */
static void
put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Runs the loop for ms milliseconds. */
static void
run_for(struct loop *l, int ms)
{
	long long end = loop_now_ms() + ms;

	while (loop_now_ms() < end)
		loop_run_once(l, 10);
}

/* Runs the loop until the copy ends (or 5 s). */
static void
run_until_end(struct loop *l, struct capture *cap)
{
	long long end = loop_now_ms() + 5000;

	while (cap->ended == 0 && loop_now_ms() < end)
		loop_run_once(l, 20);
}

/* Runs the loop until path holds want (or 3 s). */
static void
run_until_file(struct loop *l, const char *path, const char *want)
{
	long long end = loop_now_ms() + 3000;

	while (strcmp(slurp(path), want) != 0 && loop_now_ms() < end)
		loop_run_once(l, 10);
	assert_string_equal(slurp(path), want);
}

/* No tmux, no desktop, not over SSH. */
static void
plain_env(void)
{
	unsetenv("TMUX");
	unsetenv("WAYLAND_DISPLAY");
	unsetenv("DISPLAY");
	unsetenv("SSH_TTY");
	unsetenv("SSH_CONNECTION");
	unsetenv("FAKE_SC");
	unsetenv("FAKE_PT");
	unsetenv("FAKE_BUFFERS");
	unsetenv("FAKE_COPY_FAIL");
	unsetenv("FAKE_COPY_DIE");
	unsetenv("FAKE_PASTE_FAIL");
}

/* A clipboard on l writing into cap. */
static struct clipboard *
new_captured(struct loop *l, struct capture *cap)
{
	struct clipboard *c = clipboard_new(l);

	memset(cap, 0, sizeof *cap);
	clipboard_set_writer(c, capture_write, cap);
	return c;
}

/* Copies s; returns the route (or -1). */
static int
copy(struct clipboard *c, const char *s, int ms, struct capture *cap)
{
	struct sc_error err = { 0 };
	int r = clipboard_copy(c, (const unsigned char *)s, strlen(s), ms,
	                       capture_end, cap, &err);

	sc_error_clear(&err);
	return r;
}

static void
clipboard__copy__osc52_exact_bytes(void **state)
{
	struct loop *l = loop_new();
	struct capture cap;
	struct clipboard *c;

	plain_env();
	c = new_captured(l, &cap);
	assert_false(clipboard_tmux_keeps_copies(c));
	assert_int_equal(copy(c, "hunter2", 10000, &cap), CLIPBOARD_OSC52);
	assert_string_equal(cap.buf, OSC_HUNTER2);
	assert_int_equal(cap.ended, 0);
	clipboard_free(c);
	loop_free(l);
}

static void
clipboard__end__osc52_placeholder_after_clear_ms(void **state)
{
	struct loop *l = loop_new();
	struct capture cap;
	struct clipboard *c;
	long long start;

	plain_env();
	c = new_captured(l, &cap);
	start = loop_now_ms();
	assert_int_equal(copy(c, "hunter2", 50, &cap), CLIPBOARD_OSC52);
	run_until_end(l, &cap);
	assert_int_equal(cap.ended, 1);
	assert_int_equal(cap.how, CLIPBOARD_OVERWRITTEN);
	assert_true(cap.ended_at - start >= 50);
	assert_string_equal(cap.buf, OSC_HUNTER2 OSC_SPACE);
	run_for(l, 100); /* told once */
	assert_int_equal(cap.ended, 1);
	clipboard_free(c);
	assert_string_equal(cap.buf, OSC_HUNTER2 OSC_SPACE);
	loop_free(l);
}

static void
clipboard__end_now__osc52_ends_at_once(void **state)
{
	struct loop *l = loop_new();
	struct capture cap;
	struct clipboard *c;

	plain_env();
	c = new_captured(l, &cap);
	assert_int_equal(copy(c, "hunter2", 10000, &cap), CLIPBOARD_OSC52);
	clipboard_end_now(c);
	assert_int_equal(cap.ended, 1);
	assert_int_equal(cap.how, CLIPBOARD_OVERWRITTEN);
	assert_string_equal(cap.buf, OSC_HUNTER2 OSC_SPACE);
	clipboard_end_now(c); /* nothing live: nothing */
	run_for(l, 50);
	assert_int_equal(cap.ended, 1);
	assert_string_equal(cap.buf, OSC_HUNTER2 OSC_SPACE);
	clipboard_free(c);
	loop_free(l);
}

static void
clipboard__free__live_osc52_copy_is_overwritten_silently(void **state)
{
	struct loop *l = loop_new();
	struct capture cap;
	struct clipboard *c;

	plain_env();
	c = new_captured(l, &cap);
	assert_int_equal(copy(c, "hunter2", 10000, &cap), CLIPBOARD_OSC52);
	clipboard_free(c);
	assert_string_equal(cap.buf, OSC_HUNTER2 OSC_SPACE);
	assert_int_equal(cap.ended, 0);
	loop_free(l);
}

static void
clipboard__copy__new_copy_replaces_the_previous(void **state)
{
	struct loop *l = loop_new();
	struct capture cap, first = { 0 };
	struct clipboard *c;
	struct sc_error err = { 0 };

	plain_env();
	c = new_captured(l, &cap);
	assert_int_equal(clipboard_copy(c, (const unsigned char *)"one", 3,
	                                10000, capture_end, &first, &err),
	                 CLIPBOARD_OSC52);
	assert_int_equal(copy(c, "hunter2", 50, &cap), CLIPBOARD_OSC52);
	assert_int_equal(first.ended, 1);
	assert_int_equal(first.how, CLIPBOARD_OVERWRITTEN);
	assert_string_equal(first.detail, "replaced by a new copy");
	assert_int_equal(cap.ended, 0);
	run_until_end(l, &cap);
	assert_int_equal(cap.ended, 1);
	assert_int_equal(first.ended, 1);
	assert_string_equal(cap.buf, "\033]52;c;b25l\a" OSC_HUNTER2 OSC_SPACE);
	clipboard_free(c);
	loop_free(l);
}

static void
clipboard__copy__refuses_empty_and_too_long(void **state)
{
	static unsigned char big[5000];
	struct loop *l = loop_new();
	struct capture cap;
	struct clipboard *c;
	struct sc_error err = { 0 };

	plain_env();
	c = new_captured(l, &cap);
	assert_int_equal(clipboard_copy(c, (const unsigned char *)"", 0, 100,
	                                capture_end, &cap, &err),
	                 -1);
	assert_int_equal(err.kind, SC_ERR_INVALID);
	memset(big, 'a', sizeof big);
	assert_int_equal(
	    clipboard_copy(c, big, sizeof big, 100, capture_end, &cap, &err),
	    -1);
	assert_int_equal(err.kind, SC_ERR_TOO_LARGE);
	assert_non_null(strstr(err.message, "too long"));
	assert_int_equal(cap.len, 0);
	run_for(l, 150);
	assert_int_equal(cap.ended, 0);
	sc_error_clear(&err);
	clipboard_free(c);
	loop_free(l);
}

static void
clipboard__copy__tmux_unknown_sends_both_and_keeps_copies(void **state)
{
	struct loop *l = loop_new();
	struct capture cap;
	struct clipboard *c;
	struct fake f;

	plain_env();
	fake_tools(&f);
	setenv("TMUX", "/tmp/tmux-0/default,1,0", 1);
	setenv("FAKE_SC", "", 1); /* tmux gives no answer */
	c = new_captured(l, &cap);
	assert_true(clipboard_tmux_keeps_copies(c)); /* still asking */
	assert_int_equal(copy(c, "hunter2", 10000, &cap), CLIPBOARD_OSC52);
	assert_string_equal(cap.buf, OSC_HUNTER2 DCS_HUNTER2);
	run_for(l, 400);
	assert_true(clipboard_tmux_keeps_copies(c)); /* answered nothing */
	cap.len = 0;
	clipboard_end_now(c);
	assert_string_equal(cap.buf, OSC_SPACE DCS_SPACE);
	run_until_end(l, &cap); /* tmux is asked for its paste buffers */
	assert_int_equal(cap.how, CLIPBOARD_OVERWRITTEN);
	assert_non_null(strstr(cap.detail, "paste buffer"));
	clipboard_free(c);
	loop_free(l);
}

static void
clipboard__copy__tmux_off_goes_by_passthrough_only(void **state)
{
	struct loop *l = loop_new();
	struct capture cap;
	struct clipboard *c;
	struct fake f;
	long long end;

	plain_env();
	fake_tools(&f);
	setenv("TMUX", "/tmp/tmux-0/default,1,0", 1);
	setenv("FAKE_SC", "off", 1);
	c = new_captured(l, &cap);
	end = loop_now_ms() + 3000;
	while (clipboard_tmux_keeps_copies(c) && loop_now_ms() < end)
		loop_run_once(l, 10);
	assert_false(clipboard_tmux_keeps_copies(c));
	while (strstr(slurp(f.log), "allow-passthrough") == NULL &&
	       loop_now_ms() < end)
		loop_run_once(l, 10);
	assert_non_null(strstr(slurp(f.log), "tmux show -gv set-clipboard"));
	assert_non_null(
	    strstr(slurp(f.log), "tmux show -gv allow-passthrough"));
	assert_int_equal(copy(c, "hunter2", 50, &cap), CLIPBOARD_OSC52);
	assert_string_equal(cap.buf, DCS_HUNTER2);
	run_until_end(l, &cap);
	assert_int_equal(cap.how, CLIPBOARD_OVERWRITTEN);
	assert_string_equal(cap.buf, DCS_HUNTER2 DCS_SPACE);
	clipboard_free(c);
	loop_free(l);
}

static void
clipboard__copy__tmux_external_by_passthrough_on_plain_and_kept(void **state)
{
	struct loop *l = loop_new();
	struct capture cap;
	struct clipboard *c;
	struct fake f;

	plain_env();
	fake_tools(&f);
	setenv("TMUX", "/tmp/tmux-0/default,1,0", 1);
	/* external: tmux drops an application's OSC 52; passthrough is on */
	setenv("FAKE_SC", "external", 1);
	c = new_captured(l, &cap);
	run_for(l, 600);
	assert_false(clipboard_tmux_keeps_copies(c));
	assert_int_equal(clipboard_plan(c), CLIPBOARD_PLAN_PASSTHROUGH);
	assert_int_equal(copy(c, "hunter2", 10000, &cap), CLIPBOARD_OSC52);
	assert_string_equal(cap.buf, DCS_HUNTER2);
	clipboard_free(c);

	setenv("FAKE_SC", "on", 1);
	c = new_captured(l, &cap);
	run_for(l, 600);
	assert_true(clipboard_tmux_keeps_copies(c));
	assert_int_equal(clipboard_plan(c), CLIPBOARD_PLAN_TMUX_BUFFER);
	assert_int_equal(copy(c, "hunter2", 10000, &cap), CLIPBOARD_OSC52);
	assert_string_equal(cap.buf, OSC_HUNTER2); /* answered: one form */
	clipboard_free(c);
	loop_free(l);
}

/* Counts clipboard_ask's answers. */
static void
on_asked(void *ud)
{
	*(int *)ud += 1;
}

static void
clipboard__copy__tmux_would_drop_it_refused_with_the_fix(void **state)
{
	struct loop *l = loop_new();
	struct sc_error err = { 0 };
	struct capture cap;
	struct clipboard *c;
	struct fake f;
	int asked = 0;
	long long end;

	plain_env();
	fake_tools(&f);
	setenv("TMUX", "/tmp/tmux-0/default,1,0", 1);
	setenv("FAKE_SC", "external", 1);
	setenv("FAKE_PT", "off", 1);
	c = new_captured(l, &cap);
	run_for(l, 600);
	assert_int_equal(clipboard_plan(c), CLIPBOARD_PLAN_BLOCKED);
	assert_int_equal(clipboard_copy(c, (const unsigned char *)"hunter2", 7,
	                                10000, capture_end, &cap, &err),
	                 -1);
	assert_non_null(strstr(err.message, "set-clipboard is external"));
	assert_non_null(strstr(err.message, "tmux set -g set-clipboard on"));
	assert_int_equal(cap.len, 0); /* nothing sent */
	sc_error_clear(&err);
	/* The fix taken: asked again, it copies. */
	setenv("FAKE_SC", "on", 1);
	clipboard_ask(c, on_asked, &asked);
	end = loop_now_ms() + 3000;
	while (asked == 0 && loop_now_ms() < end)
		loop_run_once(l, 10);
	assert_int_equal(asked, 1);
	assert_int_equal(clipboard_plan(c), CLIPBOARD_PLAN_TMUX_BUFFER);
	assert_int_equal(copy(c, "hunter2", 10000, &cap), CLIPBOARD_OSC52);
	clipboard_free(c);
	loop_free(l);
}

static void
clipboard__end__tmux_on_deletes_the_paste_buffer_of_the_copy(void **state)
{
	struct loop *l = loop_new();
	struct capture cap;
	struct clipboard *c;
	struct fake f;
	char listing[256];

	plain_env();
	fake_tools(&f);
	setenv("TMUX", "/tmp/tmux-0/default,1,0", 1);
	setenv("FAKE_SC", "on", 1);
	c = new_captured(l, &cap);
	run_for(l, 600);
	assert_int_equal(copy(c, "hunter2", 50, &cap), CLIPBOARD_OSC52);
	/* Its buffer, made as the copy was (stamped after it: a loaded
	 * machine that stalls the test before the copy cannot make it look
	 * older); an older one of the same size; one named by hand. tmux is
	 * asked for the list only when the copy ends. */
	snprintf(listing, sizeof listing,
	         "buffer3 7 %lld\nbuffer1 7 1000\nmine 7 %lld\n",
	         (long long)time(NULL), (long long)time(NULL));
	setenv("FAKE_BUFFERS", listing, 1);
	run_until_end(l, &cap);
	assert_int_equal(cap.how, CLIPBOARD_OVERWRITTEN);
	assert_non_null(
	    strstr(cap.detail, "paste buffer of the password deleted"));
	assert_non_null(
	    strstr(slurp(f.log), "tmux delete-buffer -b buffer3\n"));
	assert_null(strstr(slurp(f.log), "buffer1\n"));
	assert_null(strstr(slurp(f.log), "-b mine"));
	clipboard_free(c);
	loop_free(l);
}

static void
clipboard__route__ssh_uses_osc52_even_with_a_display(void **state)
{
	struct loop *l = loop_new();
	struct capture cap;
	struct clipboard *c;
	struct fake f;

	plain_env();
	fake_tools(&f); /* wl-copy and xclip are there */
	setenv("DISPLAY", ":0", 1);
	setenv("WAYLAND_DISPLAY", "wayland-0", 1);
	setenv("SSH_CONNECTION", "10.0.0.1 5000 10.0.0.2 22", 1);
	c = new_captured(l, &cap);
	assert_int_equal(copy(c, "hunter2", 10000, &cap), CLIPBOARD_OSC52);
	assert_string_equal(cap.buf, OSC_HUNTER2);
	clipboard_free(c);
	unsetenv("SSH_CONNECTION");
	setenv("SSH_TTY", "/dev/pts/3", 1);
	c = new_captured(l, &cap);
	assert_int_equal(copy(c, "hunter2", 10000, &cap), CLIPBOARD_OSC52);
	clipboard_free(c);
	assert_string_equal(slurp(f.log), "<none>"); /* no tool ran */
	loop_free(l);
}

static void
clipboard__route__display_without_a_tool_is_osc52(void **state)
{
	struct loop *l = loop_new();
	struct capture cap;
	struct clipboard *c;

	plain_env();
	setenv("PATH", "/nonexistent", 1);
	setenv("DISPLAY", ":0", 1);
	setenv("WAYLAND_DISPLAY", "wayland-0", 1);
	c = new_captured(l, &cap);
	assert_int_equal(copy(c, "hunter2", 10000, &cap), CLIPBOARD_OSC52);
	clipboard_free(c);
	loop_free(l);
}

static void
clipboard__end__local_unchanged_is_cleared(void **state)
{
	struct loop *l = loop_new();
	struct capture cap;
	struct clipboard *c;
	struct fake f;

	plain_env();
	fake_tools(&f);
	setenv("WAYLAND_DISPLAY", "wayland-0", 1);
	c = new_captured(l, &cap);
	assert_int_equal(copy(c, "s3cret", 10000, &cap), CLIPBOARD_LOCAL);
	assert_int_equal(cap.len, 0); /* nothing to the terminal */
	run_until_file(l, f.clip, "s3cret");
	run_for(l, 200);
	assert_int_equal(cap.ended, 0); /* the copy tool exited 0 */
	clipboard_end_now(c);
	assert_int_equal(cap.ended, 0); /* local: told from the loop */
	run_until_end(l, &cap);
	assert_int_equal(cap.ended, 1);
	assert_int_equal(cap.how, CLIPBOARD_CLEARED);
	assert_string_equal(slurp(f.clip), "");
	assert_string_equal(slurp(f.log), "wl-copy \n"
	                                  "wl-paste -n\n"
	                                  "wl-copy --clear\n");
	clipboard_free(c);
	loop_free(l);
}

static void
clipboard__end__local_changed_is_left(void **state)
{
	struct loop *l = loop_new();
	struct capture cap;
	struct clipboard *c;
	struct fake f;

	plain_env();
	fake_tools(&f);
	setenv("WAYLAND_DISPLAY", "wayland-0", 1);
	c = new_captured(l, &cap);
	assert_int_equal(copy(c, "s3cret", 10000, &cap), CLIPBOARD_LOCAL);
	run_until_file(l, f.clip, "s3cret");
	put(f.clip, "s3creT"); /* same length, another text */
	clipboard_end_now(c);
	run_until_end(l, &cap);
	assert_int_equal(cap.how, CLIPBOARD_LEFT);
	assert_string_equal(slurp(f.clip), "s3creT");

	assert_int_equal(copy(c, "s3cret", 10000, &cap), CLIPBOARD_LOCAL);
	cap.ended = 0;
	run_until_file(l, f.clip, "s3cret");
	put(f.clip, "s3cret and a recipe"); /* longer */
	clipboard_end_now(c);
	run_until_end(l, &cap);
	assert_int_equal(cap.how, CLIPBOARD_LEFT);
	assert_string_equal(slurp(f.clip), "s3cret and a recipe");
	assert_null(strstr(slurp(f.log), "--clear"));
	clipboard_free(c);
	loop_free(l);
}

static void
clipboard__end__local_xclip_cleared_with_empty_input(void **state)
{
	struct loop *l = loop_new();
	struct capture cap;
	struct clipboard *c;
	struct fake f;

	plain_env();
	fake_tools(&f);
	setenv("DISPLAY", ":0", 1);
	c = new_captured(l, &cap);
	assert_int_equal(copy(c, "hunter2", 10000, &cap), CLIPBOARD_LOCAL);
	run_until_file(l, f.clip, "hunter2");
	clipboard_end_now(c);
	run_until_end(l, &cap);
	assert_int_equal(cap.how, CLIPBOARD_CLEARED);
	assert_string_equal(slurp(f.clip), "");
	assert_string_equal(slurp(f.log), "xclip -selection clipboard\n"
	                                  "xclip -selection clipboard -o\n"
	                                  "xclip -selection clipboard\n");
	clipboard_free(c);
	loop_free(l);
}

static void
clipboard__end__local_paste_failure_is_failed(void **state)
{
	struct loop *l = loop_new();
	struct capture cap;
	struct clipboard *c;
	struct fake f;

	plain_env();
	fake_tools(&f);
	setenv("WAYLAND_DISPLAY", "wayland-0", 1);
	setenv("FAKE_PASTE_FAIL", "1", 1);
	c = new_captured(l, &cap);
	assert_int_equal(copy(c, "s3cret", 100, &cap), CLIPBOARD_LOCAL);
	run_until_end(l, &cap);
	assert_int_equal(cap.how, CLIPBOARD_FAILED);
	assert_non_null(strstr(cap.detail, "wl-paste exited with status 3"));
	assert_string_equal(slurp(f.clip), "s3cret"); /* not touched */
	clipboard_free(c);
	loop_free(l);
}

static void
clipboard__copy__local_tool_failure_is_failed(void **state)
{
	struct loop *l = loop_new();
	struct capture cap;
	struct clipboard *c;
	struct fake f;

	plain_env();
	fake_tools(&f);
	setenv("WAYLAND_DISPLAY", "wayland-0", 1);
	setenv("FAKE_COPY_FAIL", "1", 1);
	c = new_captured(l, &cap);
	assert_int_equal(copy(c, "s3cret", 10000, &cap), CLIPBOARD_LOCAL);
	run_until_end(l, &cap);
	assert_int_equal(cap.ended, 1);
	assert_int_equal(cap.how, CLIPBOARD_FAILED);
	assert_non_null(strstr(cap.detail, "wl-copy exited with status 1"));
	clipboard_free(c);
	loop_free(l);
}

static void
clipboard__copy__tool_gone_before_the_write_is_an_error(void **state)
{
	struct loop *l = loop_new();
	struct capture cap;
	struct clipboard *c;
	struct sc_error err = { 0 };
	struct fake f;
	int i, r;

	plain_env();
	fake_tools(&f);
	setenv("WAYLAND_DISPLAY", "wayland-0", 1);
	setenv("FAKE_COPY_DIE", "1", 1);
	c = new_captured(l, &cap);
	/* Whether the tool is gone before the write (EPIPE, not SIGPIPE:
	 * this test process would die of it) or after: a failure, told. */
	for (i = 0; i < 5; i++) {
		memset(&cap, 0, sizeof cap);
		r = clipboard_copy(c, (const unsigned char *)"s3cret", 6, 10000,
		                   capture_end, &cap, &err);
		if (r < 0) {
			assert_non_null(strstr(err.message, "wl-copy"));
			sc_error_clear(&err);
			continue;
		}
		assert_int_equal(r, CLIPBOARD_LOCAL);
		run_until_end(l, &cap);
		assert_int_equal(cap.how, CLIPBOARD_FAILED);
	}
	clipboard_free(c);
	loop_free(l);
}

static void
clipboard__copy__tool_missing_is_an_error(void **state)
{
	struct loop *l = loop_new();
	struct capture cap;
	struct clipboard *c;
	struct sc_error err = { 0 };
	struct fake f;
	char path[256];

	plain_env();
	fake_tools(&f);
	setenv("WAYLAND_DISPLAY", "wayland-0", 1);
	c = new_captured(l, &cap);
	snprintf(path, sizeof path, "%s/wl-copy", f.dir);
	assert_int_equal(unlink(path), 0); /* gone since clipboard_new */
	assert_int_equal(clipboard_copy(c, (const unsigned char *)"s3cret", 6,
	                                10000, capture_end, &cap, &err),
	                 -1);
	assert_non_null(strstr(err.message, "cannot run wl-copy"));
	assert_null(strstr(err.message, "s3cret"));
	run_for(l, 150);
	assert_int_equal(cap.ended, 0);
	sc_error_clear(&err);
	clipboard_free(c);
	loop_free(l);
}

static void
clipboard__free__live_local_copy_is_cleared(void **state)
{
	struct loop *l = loop_new();
	struct capture cap;
	struct clipboard *c;
	struct fake f;

	plain_env();
	fake_tools(&f);
	setenv("WAYLAND_DISPLAY", "wayland-0", 1);
	c = new_captured(l, &cap);
	assert_int_equal(copy(c, "s3cret", 10000, &cap), CLIPBOARD_LOCAL);
	run_until_file(l, f.clip, "s3cret");
	clipboard_free(c); /* waits at most half a second, no loop */
	assert_int_equal(cap.ended, 0);
	assert_string_equal(slurp(f.clip), "");
	assert_non_null(strstr(slurp(f.log), "wl-copy --clear"));
	loop_free(l);
}

static void
clipboard__free__null_is_fine(void **state)
{
	clipboard_free(NULL);
	clipboard_end_now(NULL);
}

/* Copies "s3cret" by the local tool, waits for it to land, ends the
 * copy and runs the loop until it has ended. */
static void
copy_then_end(struct loop *l, struct clipboard *c, struct capture *cap,
              const struct fake *f)
{
	assert_int_equal(copy(c, "s3cret", 10000, cap), CLIPBOARD_LOCAL);
	run_until_file(l, f->clip, "s3cret");
	clipboard_end_now(c);
	run_until_end(l, cap);
	assert_int_equal(cap->ended, 1);
}

/* On X without xclip, xsel copies, reads back and clears. */
static void
clipboard__end__xsel_without_xclip(void **state)
{
	struct loop *l = loop_new();
	struct capture cap;
	struct clipboard *c;
	struct fake f;
	char path[256], body[1024];

	plain_env();
	fake_tools(&f);
	snprintf(path, sizeof path, "%s/xclip", f.dir);
	assert_int_equal(unlink(path), 0);
	snprintf(body, sizeof body,
	         "echo \"xsel $*\" >> %s\n"
	         "case \"$*\" in *--output*) cat %s;;\n"
	         "*) cat > %s.tmp && mv %s.tmp %s;; esac",
	         f.log, f.clip, f.clip, f.clip, f.clip);
	script(&f, "xsel", body);
	setenv("DISPLAY", ":0", 1);
	c = new_captured(l, &cap);
	copy_then_end(l, c, &cap, &f);
	assert_int_equal(cap.how, CLIPBOARD_CLEARED);
	assert_string_equal(slurp(f.clip), "");
	assert_string_equal(slurp(f.log), "xsel --clipboard --input\n"
	                                  "xsel --clipboard --output\n"
	                                  "xsel --clipboard --input\n");
	clipboard_free(c);
	loop_free(l);
}

/* The clear command failing is a failure that names it and its status;
 * the secret is still on the clipboard, and the user is told. */
static void
clipboard__end__clear_failure_is_failed(void **state)
{
	struct loop *l = loop_new();
	struct capture cap;
	struct clipboard *c;
	struct fake f;
	char body[1024];

	plain_env();
	fake_tools(&f);
	snprintf(body, sizeof body,
	         "echo \"wl-copy $*\" >> %s\n"
	         "[ \"$1\" = --clear ] && exit 4\n"
	         "cat > %s.tmp && mv %s.tmp %s",
	         f.log, f.clip, f.clip, f.clip);
	script(&f, "wl-copy", body);
	setenv("WAYLAND_DISPLAY", "wayland-0", 1);
	c = new_captured(l, &cap);
	copy_then_end(l, c, &cap, &f);
	assert_int_equal(cap.how, CLIPBOARD_FAILED);
	assert_string_equal(cap.detail, "clearing with wl-copy failed: it "
	                                "exited with status 4");
	assert_string_equal(slurp(f.clip), "s3cret");
	clipboard_free(c);
	loop_free(l);
}

/* The paste tool gone by the end: the copy cannot be checked, and the
 * failure says why. */
static void
clipboard__end__paste_tool_gone_is_failed(void **state)
{
	struct loop *l = loop_new();
	struct capture cap;
	struct clipboard *c;
	struct fake f;
	char path[256];

	plain_env();
	fake_tools(&f);
	setenv("WAYLAND_DISPLAY", "wayland-0", 1);
	c = new_captured(l, &cap);
	assert_int_equal(copy(c, "s3cret", 10000, &cap), CLIPBOARD_LOCAL);
	run_until_file(l, f.clip, "s3cret");
	snprintf(path, sizeof path, "%s/wl-paste", f.dir);
	assert_int_equal(unlink(path), 0);
	clipboard_end_now(c);
	run_until_end(l, &cap);
	assert_int_equal(cap.how, CLIPBOARD_FAILED);
	assert_string_equal(cap.detail, "cannot run wl-paste: No such file "
	                                "or directory");
	clipboard_free(c);
	loop_free(l);
}

/* A paste tool that never answers: after 3 s the copy fails, naming it. */
static void
clipboard__end__paste_tool_hanging_times_out(void **state)
{
	struct loop *l = loop_new();
	struct capture cap;
	struct clipboard *c;
	struct fake f;
	long long t0;

	plain_env();
	fake_tools(&f);
	script(&f, "wl-paste", "exec sleep 20");
	setenv("WAYLAND_DISPLAY", "wayland-0", 1);
	c = new_captured(l, &cap);
	assert_int_equal(copy(c, "s3cret", 10000, &cap), CLIPBOARD_LOCAL);
	run_until_file(l, f.clip, "s3cret");
	t0 = loop_now_ms();
	clipboard_end_now(c);
	run_until_end(l, &cap);
	assert_int_equal(cap.how, CLIPBOARD_FAILED);
	assert_string_equal(cap.detail, "wl-paste did not answer within 3 s");
	assert_true(cap.ended_at - t0 >= 2900);
	clipboard_free(c);
	loop_free(l);
}

/* Puts the environment back for the next test and removes its fakes. */
static int
teardown(void **state)
{
	plain_env();
	setenv("PATH", saved_path, 1);
	fake_remove(); /* also after a failed assertion */
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(clipboard__copy__osc52_exact_bytes,
		                          teardown),
		cmocka_unit_test_teardown(
		    clipboard__end__osc52_placeholder_after_clear_ms, teardown),
		cmocka_unit_test_teardown(
		    clipboard__end_now__osc52_ends_at_once, teardown),
		cmocka_unit_test_teardown(
		    clipboard__free__live_osc52_copy_is_overwritten_silently,
		    teardown),
		cmocka_unit_test_teardown(
		    clipboard__copy__new_copy_replaces_the_previous, teardown),
		cmocka_unit_test_teardown(
		    clipboard__copy__refuses_empty_and_too_long, teardown),
		cmocka_unit_test_teardown(
		    clipboard__copy__tmux_unknown_sends_both_and_keeps_copies,
		    teardown),
		cmocka_unit_test_teardown(
		    clipboard__copy__tmux_off_goes_by_passthrough_only,
		    teardown),
		cmocka_unit_test_teardown(
		    clipboard__copy__tmux_external_by_passthrough_on_plain_and_kept,
		    teardown),
		cmocka_unit_test_teardown(
		    clipboard__copy__tmux_would_drop_it_refused_with_the_fix,
		    teardown),
		cmocka_unit_test_teardown(
		    clipboard__end__tmux_on_deletes_the_paste_buffer_of_the_copy,
		    teardown),
		cmocka_unit_test_teardown(
		    clipboard__route__ssh_uses_osc52_even_with_a_display,
		    teardown),
		cmocka_unit_test_teardown(
		    clipboard__route__display_without_a_tool_is_osc52,
		    teardown),
		cmocka_unit_test_teardown(
		    clipboard__end__local_unchanged_is_cleared, teardown),
		cmocka_unit_test_teardown(clipboard__end__local_changed_is_left,
		                          teardown),
		cmocka_unit_test_teardown(
		    clipboard__end__local_xclip_cleared_with_empty_input,
		    teardown),
		cmocka_unit_test_teardown(
		    clipboard__end__local_paste_failure_is_failed, teardown),
		cmocka_unit_test_teardown(
		    clipboard__copy__local_tool_failure_is_failed, teardown),
		cmocka_unit_test_teardown(
		    clipboard__copy__tool_gone_before_the_write_is_an_error,
		    teardown),
		cmocka_unit_test_teardown(
		    clipboard__copy__tool_missing_is_an_error, teardown),
		cmocka_unit_test_teardown(
		    clipboard__free__live_local_copy_is_cleared, teardown),
		cmocka_unit_test(clipboard__free__null_is_fine),
		cmocka_unit_test_teardown(clipboard__end__xsel_without_xclip,
		                          teardown),
		cmocka_unit_test_teardown(
		    clipboard__end__clear_failure_is_failed, teardown),
		cmocka_unit_test_teardown(
		    clipboard__end__paste_tool_gone_is_failed, teardown),
		cmocka_unit_test_teardown(
		    clipboard__end__paste_tool_hanging_times_out, teardown),
	};
	const char *path = getenv("PATH");

	if (sodium_init() < 0)
		return 1;
	saved_path = strdup(path != NULL ? path : "/usr/bin:/bin");
	return cmocka_run_group_tests_name("tui/clipboard", tests, NULL, NULL);
}
