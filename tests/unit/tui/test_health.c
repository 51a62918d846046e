/* Unit tests for tui/health.c: the `:checkhealth` page's findings about
 * the terminal, D-Bus, the clipboard, the service, the session and the
 * config, each from the environment the test sets up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>
#include <curses.h>
#include <locale.h>

#include "net/base/loop.h"
#include "net/base/xmalloc.h"
#include "net/client/api.h"
#include "tui/app.h"
#include "tui/cmd/cmd.h"
#include "tui/config.h"
#include "tui/health.h"

#include "screen_has.h"

/* The scratch folder of the run: XDG folders, fake tools, a socket. */
static char scratch[] = "/tmp/sitecare-health-test-XXXXXX";

/* An app with a loop and an api for a closed port (GET /me stays
 * pending: the api's loop source is never added), cols x rows. */
struct fixture {
	struct test_screen ts;
	struct app app;
	WINDOW *w;
};

static void
fixture_open(struct fixture *f, int cols, int rows)
{
	struct api_config cfg = { .url = "https://127.0.0.1:1",
		                  .state_dir = scratch };
	struct sc_error err = { 0 };

	memset(f, 0, sizeof *f);
	test_screen_open(&f->ts);
	f->w = newwin(50, 120, 0, 0);
	assert_non_null(f->w);
	f->app.loop = loop_new();
	f->app.api = api_new(&cfg, &err);
	assert_non_null(f->app.api);
	f->app.cols = cols;
	f->app.rows = rows;
}

static void
fixture_close(struct fixture *f)
{
	api_free(f->app.api);
	loop_free(f->app.loop);
	free(f->app.message);
	delwin(f->w);
	test_screen_close(&f->ts);
}

/* The page of a fresh overlay, drawn into the fixture's window; the
 * overlay is freed. */
static void
page(struct fixture *f)
{
	void *h = health_new(&f->app, NULL);

	werase(f->w);
	health_ops.draw(h, f->w, 50, 120);
	health_ops.free(h);
}

static bool
shows(struct fixture *f, const char *text)
{
	return screen_has(f->w, 50, text);
}

/* TERM unset or dumb, NO_COLOR, a locale that is not UTF-8, and a
 * window too small or smaller than 80x24: each is a finding with what
 * to do. */
static void
health__terminal__warns_and_errors(void **state)
{
	struct fixture f;
	char *term = xstrdup(getenv("TERM") ? getenv("TERM") : "xterm");

	fixture_open(&f, 30, 8);
	unsetenv("TERM");
	setenv("NO_COLOR", "1", 1);
	setlocale(LC_ALL, "C");
	page(&f);
	assert_true(shows(&f, "WARN   TERM is not set"));
	assert_true(shows(&f, "set TERM to your terminal's type"));
	assert_true(shows(&f, "NO_COLOR is set: colours are off"));
	assert_true(shows(&f, "WARN   the locale's charset is"));
	assert_true(shows(&f, "ERROR  size 30x8 is below the minimum 40x10"));
	assert_true(shows(&f, "enlarge the window"));
	f.app.cols = 100; /* wide enough, too short: still too small */
	page(&f);
	assert_true(shows(&f, "ERROR  size 100x8 is below the minimum"));
	setenv("TERM", "dumb", 1);
	unsetenv("NO_COLOR");
	setlocale(LC_ALL, "C.UTF-8");
	f.app.cols = 70;
	f.app.rows = 20;
	page(&f);
	assert_true(shows(&f, "WARN   TERM is dumb"));
	assert_true(shows(&f, "OK     UTF-8 locale (charset UTF-8)"));
	assert_true(shows(&f, "WARN   size 70x20 is below 80x24"));
	setenv("TERM", term, 1);
	f.app.cols = 80;
	f.app.rows = 24;
	page(&f);
	assert_true(shows(&f, "OK     size 80x24"));
	free(term);
	fixture_close(&f);
}

/* A listening unix socket at path; its descriptor. */
static int
listening(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(fd, 1), 0);
	return fd;
}

/* The session bus: unset, an address not checked, a stale path or
 * abstract name, and one that accepts. */
static void
health__dbus__each_kind_of_address(void **state)
{
	struct fixture f;
	char *bus = xasprintf("%s/bus", scratch);
	char *addr = xasprintf("unix:path=%s,guid=1", bus);
	int fd;

	fixture_open(&f, 80, 24);
	unsetenv("DBUS_SESSION_BUS_ADDRESS");
	page(&f);
	assert_true(shows(&f, "WARN   DBUS_SESSION_BUS_ADDRESS is not set"));
	setenv("DBUS_SESSION_BUS_ADDRESS", "tcp:host=localhost,port=1", 1);
	page(&f);
	assert_true(shows(&f, "WARN   session bus at tcp:host=localhost,"
	                      "port=1: not checked"));
	setenv("DBUS_SESSION_BUS_ADDRESS", addr, 1);
	page(&f);
	assert_true(shows(&f, "ERROR  cannot connect to the session bus"));
	assert_true(shows(&f, "No such file or directory"));
	setenv("DBUS_SESSION_BUS_ADDRESS",
	       "unix:abstract=sitecare-health-no-such-bus", 1);
	page(&f);
	assert_true(shows(&f, "ERROR  cannot connect to the session bus "
	                      "sitecare-health-no-such-bus: Connection "
	                      "refused"));
	fd = listening(bus);
	setenv("DBUS_SESSION_BUS_ADDRESS", addr, 1);
	page(&f);
	assert_true(shows(&f, "OK     session bus"));
	assert_true(shows(&f, "accepts connections"));
	close(fd);
	unlink(bus);
	unsetenv("DBUS_SESSION_BUS_ADDRESS");
	free(addr);
	free(bus);
	fixture_close(&f);
}

/* Writes an empty executable dir/name. */
static void
tool(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs("#!/bin/sh\n", fp);
	fclose(fp);
	assert_int_equal(chmod(path, 0755), 0);
	free(path);
}

/* The clipboard's routes: over SSH; the tools found with a display;
 * none (a warning that OSC 52 is the only way). */
static void
health__clipboard__routes_found(void **state)
{
	struct fixture f;
	char *old = xstrdup(getenv("PATH"));
	char *bin = xasprintf("%s/bin", scratch);

	mkdir(bin, 0700);
	tool(bin, "wl-copy");
	tool(bin, "xclip");
	tool(bin, "xsel");
	fixture_open(&f, 80, 24);
	unsetenv("SSH_CONNECTION");
	setenv("SSH_TTY", "/dev/pts/9", 1);
	page(&f);
	assert_true(shows(&f, "over SSH (SSH_TTY/SSH_CONNECTION set)"));
	assert_false(shows(&f, "no local clipboard tool"));
	unsetenv("SSH_TTY");
	unsetenv("DISPLAY");
	unsetenv("WAYLAND_DISPLAY");
	page(&f);
	assert_true(shows(&f, "WARN   no local clipboard tool"));
	setenv("PATH", bin, 1);
	setenv("DISPLAY", ":0", 1);
	setenv("WAYLAND_DISPLAY", "wayland-0", 1);
	page(&f);
	setenv("PATH", old, 1);
	assert_true(shows(&f, "OK     wl-copy found (WAYLAND_DISPLAY set)"));
	assert_true(shows(&f, "OK     xclip found (DISPLAY set)"));
	assert_true(shows(&f, "OK     xsel found (DISPLAY set)"));
	assert_false(shows(&f, "no local clipboard tool"));
	unsetenv("DISPLAY");
	unsetenv("WAYLAND_DISPLAY");
	free(bin);
	free(old);
	fixture_close(&f);
}

/* Without sign-in or a config: the service's URL and the wait for GET
 * /me, "not signed in", no config path; F5 asks again. */
static void
health__service_session_config_before_sign_in(void **state)
{
	struct fixture f;
	void *h;

	fixture_open(&f, 80, 24);
	h = health_new(&f.app, NULL);
	health_ops.draw(h, f.w, 50, 120);
	assert_true(shows(&f, "OK     https://127.0.0.1:1 (https)"));
	assert_true(shows(&f, "certificates checked against the system's CA "
	                      "store"));
	assert_true(shows(&f, "...    asking the service (GET /me)"));
	assert_true(shows(&f, "WARN   not signed in"));
	assert_true(shows(&f, "WARN   config file: no path"));
	assert_int_equal(health_ops.action(h, ACTION_REFRESH, NULL),
	                 VIEW_REDRAW);
	assert_int_equal(health_ops.context(h), KEYCTX_DETAIL);
	health_ops.free(h);
	fixture_close(&f);
}

/* Draws h until text shows, running the loop (at most 5 s). */
static bool
shows_in_time(struct fixture *f, void *h, const char *text)
{
	long long end = loop_now_ms() + 5000;

	for (;;) {
		werase(f->w);
		health_ops.draw(h, f->w, 50, 120);
		if (shows(f, text))
			return true;
		if (loop_now_ms() >= end)
			return false;
		loop_run_once(f->app.loop, 20);
	}
}

/* The page inside tmux, with tmux answering set-clipboard sc,
 * allow-passthrough pt and focus-events fe (NULL: it fails); the
 * overlay, its answers drawn. */
static void *
in_tmux(struct fixture *f, const char *sc, const char *pt, const char *fe)
{
	void *h;

	setenv("FAKE_SC", sc != NULL ? sc : "", 1);
	setenv("FAKE_PT", pt, 1);
	setenv("FAKE_FE", fe, 1);
	h = health_new(&f->app, NULL);
	werase(f->w);
	health_ops.draw(h, f->w, 50, 120);
	assert_true(shows(f, "OK     inside tmux (TMUX is set)"));
	assert_true(shows(f, "...    asking tmux"));
	assert_true(shows_in_time(f, h, "focus-events "));
	return h;
}

/* tmux's three settings, as it answers them, each a finding with what
 * to do; no answer is "unknown". */
static void
health__tmux__settings_as_tmux_answers(void **state)
{
	struct fixture f;
	char *old = xstrdup(getenv("PATH"));
	char *bin = xasprintf("%s/tmuxbin", scratch), *path;
	char *script = xasprintf("%s/tmux", bin);
	FILE *fp;
	void *h;

	mkdir(bin, 0700);
	fp = fopen(script, "w");
	assert_non_null(fp);
	fputs("#!/bin/sh\ncase \"$3\" in set-clipboard) v=$FAKE_SC;;\n"
	      "allow-passthrough) v=$FAKE_PT;; focus-events) v=$FAKE_FE;; "
	      "esac\n[ -z \"$v\" ] && exit 1\necho \"$v\"\n",
	      fp);
	fclose(fp);
	assert_int_equal(chmod(script, 0755), 0);
	path = xasprintf("%s:%s", bin, old);
	setenv("PATH", path, 1);
	setenv("TMUX", "/tmp/tmux-0/default,1,0", 1);
	fixture_open(&f, 80, 24);

	h = in_tmux(&f, "on", "on", "on");
	assert_true(shows(&f, "WARN   set-clipboard on: OSC 52 copies reach "
	                      "the clipboard"));
	assert_true(shows(&f, "OK     allow-passthrough on: OSC 9/777"));
	assert_true(shows(&f, "OK     focus-events on: a conversation"));
	health_ops.free(h);

	h = in_tmux(&f, "external", "off", "off");
	assert_true(shows(&f, "WARN   set-clipboard external: tmux drops"));
	assert_true(shows(&f, "WARN   allow-passthrough off"));
	assert_true(shows(&f, "WARN   focus-events off: the open"));
	health_ops.free(h);

	h = in_tmux(&f, NULL, "all", "on");
	assert_true(shows(&f, "WARN   set-clipboard unknown (tmux gave no "
	                      "answer within 5000 ms)"));
	assert_true(shows(&f, "OK     allow-passthrough all"));
	health_ops.free(h);

	unsetenv("TMUX");
	setenv("PATH", old, 1);
	fixture_close(&f);
	free(path);
	free(script);
	free(bin);
	free(old);
}

/* What the test copy wrote to the terminal (stdout, caught in a pipe),
 * and what the page says after. */
static void
health__key__test_copy_bytes_and_notice(void **state)
{
	static const char plain[] = "\033]52;c;c2l0ZWNhcmUgY2hlY2toZWFsdGg=\a";
	struct fixture f;
	char got[256];
	int p[2], saved;
	ssize_t n;
	void *h;

	unsetenv("TMUX"); /* outside tmux: the plain form only */
	fixture_open(&f, 80, 24);
	h = health_new(&f.app, NULL);
	assert_int_equal(pipe(p), 0);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(p[1], STDOUT_FILENO);
	assert_int_equal(health_ops.key(h, 'c'), VIEW_REDRAW);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	close(p[1]);
	n = read(p[0], got, sizeof got - 1);
	close(p[0]);
	assert_int_equal(n, (ssize_t)strlen(plain));
	got[n] = '\0';
	assert_string_equal(got, plain);
	werase(f.w);
	health_ops.draw(h, f.w, 50, 120);
	assert_true(shows(&f, "sent an OSC 52 copy of \"sitecare "
	                      "checkhealth\": paste to check"));
	assert_int_equal(health_ops.key(h, 'z'), VIEW_UNHANDLED);
	health_ops.free(h);
	fixture_close(&f);
}

/* With a config: its path (there or not), each of its errors with file
 * and line, the CA file; `n` with notifications off sends nothing and
 * says so. */
static void
health__config_errors_ca_file_and_notifications_off(void **state)
{
	struct fixture f;
	struct cmd_ctx ctx = { 0 };
	char *cfg = xasprintf("%s/my-config", scratch);
	void *h;

	config_init(&ctx.cfg);
	assert_int_equal(config_load_text(&ctx.cfg, cfg,
	                                  "notifications = off\n"
	                                  "theme = default\n"
	                                  "nonsense = 1\n"),
	                 1);
	ctx.config_path = cfg;
	ctx.ca_file = "/etc/sitecare/ca.pem";
	fixture_open(&f, 80, 24);
	h = health_new(&f.app, &ctx);
	assert_int_equal(health_ops.key(h, 'n'), VIEW_REDRAW);
	health_ops.draw(h, f.w, 50, 120);
	assert_true(shows(&f, "config file "));
	assert_true(shows(&f, "(not there: defaults)"));
	assert_true(shows(&f, "ERROR  "));
	assert_true(shows(&f, "my-config:3: "));
	assert_true(shows(&f, "fix that line; the rest of the file applied"));
	assert_true(shows(&f, "checked against the CA file "
	                      "/etc/sitecare/ca.pem"));
	assert_true(shows(&f, "notifications are off (notifications = off "
	                      "in the config): nothing sent"));
	health_ops.free(h);
	fixture_close(&f);
	config_free(&ctx.cfg);
	free(cfg);
}

static int
setup(void **state)
{
	char *dir;

	if (mkdtemp(scratch) == NULL)
		return -1;
	dir = xasprintf("%s/state", scratch);
	setenv("XDG_STATE_HOME", dir, 1);
	free(dir);
	dir = xasprintf("%s/config", scratch);
	setenv("XDG_CONFIG_HOME", dir, 1);
	free(dir);
	unsetenv("TMUX");
	return setlocale(LC_ALL, "C.UTF-8") == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", scratch);
	int rc = system(cmd);

	free(cmd);
	return rc == 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(health__terminal__warns_and_errors),
		cmocka_unit_test(health__dbus__each_kind_of_address),
		cmocka_unit_test(health__clipboard__routes_found),
		cmocka_unit_test(health__service_session_config_before_sign_in),
		cmocka_unit_test(health__tmux__settings_as_tmux_answers),
		cmocka_unit_test(health__key__test_copy_bytes_and_notice),
		cmocka_unit_test(
		    health__config_errors_ca_file_and_notifications_off),
	};

	return cmocka_run_group_tests_name("tui/health", tests, setup,
	                                   teardown);
}
