/* Unit tests for tui/notify.c: routes, byte sequences, sanitising. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/base/xmalloc.h"
#include "tui/notify.h"

/* What the fake ways out saw. */
struct capture {
	char out[4096]; /* the bytes meant for the terminal */
	size_t len;
	int desktop_calls;
	int fail; /* desktop: fail while > 0 */
	char *title, *body;
	enum notify_urgency urgency;
};

static void
capture_write(void *ud, const char *buf, size_t len)
{
	struct capture *c = ud;

	assert_true(c->len + len < sizeof c->out);
	memcpy(c->out + c->len, buf, len);
	c->len += len;
	c->out[c->len] = '\0';
}

static int
capture_desktop(void *ud, const char *title, const char *body,
                enum notify_urgency u, char **reason)
{
	struct capture *c = ud;

	c->desktop_calls++;
	free(c->title);
	free(c->body);
	c->title = xstrdup(title);
	c->body = body != NULL ? xstrdup(body) : NULL;
	c->urgency = u;
	if (c->fail > 0) {
		c->fail--;
		*reason = xstrdup("boom\033[31m");
		return -1;
	}
	return 0;
}

static void
capture_free(struct capture *c)
{
	free(c->title);
	free(c->body);
}

/* A notifier for mode in a plain xterm (no tmux, no bus unless bus),
 * writing into c. */
static struct notify *
new_captured(enum notify_mode mode, bool show_text, const char *bus,
             struct capture *c)
{
	struct notify_ops ops = { capture_desktop, capture_write, c };
	struct notify *n;

	memset(c, 0, sizeof *c);
	setenv("TERM", "xterm-256color", 1);
	if (bus != NULL)
		setenv("DBUS_SESSION_BUS_ADDRESS", bus, 1);
	else
		unsetenv("DBUS_SESSION_BUS_ADDRESS");
	n = notify_new(NULL, mode, show_text);
	notify_set_ops(n, &ops);
	return n;
}

static void
notify__send__off_writes_nothing(void **state)
{
	struct capture c;
	struct notify *n = new_captured(NOTIFY_OFF, true, "unix:path=/x", &c);

	assert_int_equal(notify_send(n, "Acme", "hi", NOTIFY_URGENT),
	                 NOTIFY_ROUTE_NONE);
	assert_int_equal(c.len, 0);
	assert_int_equal(c.desktop_calls, 0);
	assert_string_equal(notify_describe(n), "off");
	notify_free(n);
	capture_free(&c);
}

static void
notify__send__bell_mode_rings_only(void **state)
{
	struct capture c;
	struct notify *n = new_captured(NOTIFY_BELL, true, "unix:path=/x", &c);

	assert_int_equal(notify_send(n, "Acme", "hi", NOTIFY_NORMAL),
	                 NOTIFY_ROUTE_BELL);
	assert_string_equal(c.out, "\a");
	assert_int_equal(c.desktop_calls, 0);
	assert_string_equal(notify_describe(n), "bell");
	notify_free(n);
	capture_free(&c);
}

static void
notify__send__terminal_writes_osc777_osc9_bell(void **state)
{
	struct capture c;
	struct notify *n;

	unsetenv("TMUX");
	n = new_captured(NOTIFY_TERMINAL, true, "unix:path=/x", &c);
	assert_int_equal(
	    notify_send(n, "Acme Ltd", "Site is down", NOTIFY_NORMAL),
	    NOTIFY_ROUTE_TERMINAL);
	assert_string_equal(c.out, "\033]777;notify;Acme Ltd;Site is down\a"
	                           "\033]9;Acme Ltd: Site is down\a"
	                           "\a");
	assert_int_equal(c.desktop_calls, 0);
	assert_string_equal(notify_describe(n), "terminal (OSC 777/9)");
	notify_free(n);
	capture_free(&c);
}

static void
notify__send__tmux_wraps_each_sequence(void **state)
{
	struct capture c;
	struct notify *n;

	setenv("TMUX", "/tmp/tmux-0/default,1,0", 1);
	n = new_captured(NOTIFY_TERMINAL, true, NULL, &c);
	unsetenv("TMUX");
	assert_int_equal(notify_send(n, "Acme", "hi", NOTIFY_NORMAL),
	                 NOTIFY_ROUTE_TERMINAL);
	assert_string_equal(c.out,
	                    "\033Ptmux;\033\033]777;notify;Acme;hi\a\033\\"
	                    "\033Ptmux;\033\033]9;Acme: hi\a\033\\"
	                    "\a");
	assert_string_equal(notify_describe(n),
	                    "terminal (OSC 777/9, tmux passthrough)");
	notify_free(n);
	capture_free(&c);
}

static void
notify__send__hostile_title_and_body_are_defused(void **state)
{
	struct capture c;
	struct notify *n;
	size_t i, esc = 0, bel = 0;

	unsetenv("TMUX");
	n = new_captured(NOTIFY_TERMINAL, true, NULL, &c);
	notify_send(n, "a;b\033]52;c;AAAA\a", "4;1\033[2J\xc2\x9b\x9c",
	            NOTIFY_NORMAL);
	assert_string_equal(c.out, "\033]777;notify;a,b^[]52,c,AAAA^G;"
	                           "4;1^[[2J<9B>\xef\xbf\xbd\a"
	                           "\033]9;a,b^[]52,c,AAAA^G: 4;1^[[2J<9B>"
	                           "\xef\xbf\xbd\a"
	                           "\a");
	for (i = 0; i < c.len; i++) {
		esc += c.out[i] == '\033';
		bel += c.out[i] == '\a';
	}
	assert_int_equal(esc, 2); /* the two introducers only */
	assert_int_equal(bel, 3); /* two terminators and the bell */
	notify_free(n);
	capture_free(&c);
}

static void
notify__send__osc9_text_never_starts_with_a_digit(void **state)
{
	struct capture c;
	struct notify *n;

	unsetenv("TMUX");
	n = new_captured(NOTIFY_TERMINAL, true, NULL, &c);
	notify_send(n, "4;1", "12", NOTIFY_NORMAL);
	assert_string_equal(c.out, "\033]777;notify;4,1;12\a"
	                           "\033]9; 4,1: 12\a"
	                           "\a");
	notify_free(n);
	capture_free(&c);
}

static void
notify__send__bidi_and_newlines_removed_for_terminal(void **state)
{
	struct capture c;
	struct notify *n;

	unsetenv("TMUX");
	n = new_captured(NOTIFY_TERMINAL, true, NULL, &c);
	notify_send(n, "Ac\u202Eme", "line one\nline\ttwo\r", NOTIFY_NORMAL);
	assert_string_equal(c.out, "\033]777;notify;Acme;line one line two \a"
	                           "\033]9;Acme: line one line two \a"
	                           "\a");
	notify_free(n);
	capture_free(&c);
}

static void
notify__send__long_text_is_cut(void **state)
{
	struct capture c;
	struct notify *n;
	char title[200], body[600];

	memset(title, 'T', sizeof title - 1);
	title[sizeof title - 1] = '\0';
	memset(body, 'b', sizeof body - 1);
	body[sizeof body - 1] = '\0';
	n = new_captured(NOTIFY_DESKTOP, true, "unix:path=/x", &c);
	notify_send(n, title, body, NOTIFY_NORMAL);
	assert_int_equal(strlen(c.title), 79 + strlen("\u2026"));
	assert_string_equal(c.title + 79, "\u2026");
	assert_int_equal(strlen(c.body), 239 + strlen("\u2026"));
	notify_free(n);
	capture_free(&c);
}

static void
notify__send__desktop_body_keeps_six_lines(void **state)
{
	struct capture c;
	struct notify *n;

	n = new_captured(NOTIFY_DESKTOP, true, "unix:path=/x", &c);
	notify_send(n, "Acme", "1\n2\n3\n4\n5\n6\n7\n\n8", NOTIFY_NORMAL);
	assert_string_equal(c.body, "1\n2\n3\n4\n5\n6 7  8");
	notify_send(n, "Acme", "\n\n\n\n\n\n\n\nx", NOTIFY_NORMAL);
	assert_string_equal(c.body, "\n\n\n\n\n   x");
	notify_free(n);
	capture_free(&c);
}

/* Text of one letter and count combining acutes (zero columns each). */
static char *
zero_width_flood(char letter, size_t count)
{
	char *s = xmalloc(1 + 2 * count + 1);
	size_t i;

	s[0] = letter;
	for (i = 0; i < count; i++)
		memcpy(s + 1 + 2 * i, "\xcc\x81", 2);
	s[1 + 2 * count] = '\0';
	return s;
}

static void
notify__send__zero_width_flood_is_cut_to_bytes(void **state)
{
	struct capture c;
	struct notify *n;
	char *title = zero_width_flood('T', 5000);
	char *body = zero_width_flood('b', 5000);

	/* 4 bytes a column: 80 and 240 columns make 320 and 960 bytes. */
	n = new_captured(NOTIFY_DESKTOP, true, "unix:path=/x", &c);
	notify_send(n, title, body, NOTIFY_NORMAL);
	assert_int_equal(strlen(c.title), 320);
	assert_memory_equal(c.title, title, 317);
	assert_string_equal(c.title + 317, "\u2026");
	assert_int_equal(strlen(c.body), 960);
	assert_memory_equal(c.body, body, 957);
	assert_string_equal(c.body + 957, "\u2026");
	notify_free(n);
	capture_free(&c);
	/* The terminal route too: two OSCs of title and body, a bell. */
	unsetenv("TMUX");
	n = new_captured(NOTIFY_TERMINAL, true, NULL, &c);
	notify_send(n, title, body, NOTIFY_NORMAL);
	assert_true(c.len < 2 * (320 + 960) + 32);
	notify_free(n);
	capture_free(&c);
	free(title);
	free(body);
}

static void
notify__send__no_title_is_sitecare(void **state)
{
	struct capture c;
	struct notify *n;

	unsetenv("TMUX");
	n = new_captured(NOTIFY_TERMINAL, true, NULL, &c);
	notify_send(n, NULL, NULL, NOTIFY_NORMAL);
	assert_string_equal(c.out, "\033]777;notify;sitecare;\a"
	                           "\033]9;sitecare\a"
	                           "\a");
	notify_free(n);
	capture_free(&c);
}

static void
notify__send__hidden_text_keeps_only_the_title(void **state)
{
	struct capture c;
	struct notify *n;

	unsetenv("TMUX");
	n = new_captured(NOTIFY_TERMINAL, false, NULL, &c);
	notify_send(n, "New message from Acme", "the secret", NOTIFY_NORMAL);
	assert_string_equal(c.out, "\033]777;notify;New message from Acme;\a"
	                           "\033]9;New message from Acme\a"
	                           "\a");
	notify_free(n);
	n = new_captured(NOTIFY_DESKTOP, false, "unix:path=/x", &c);
	assert_int_equal(notify_send(n, "New message from Acme", "the secret",
	                             NOTIFY_NORMAL),
	                 NOTIFY_ROUTE_DESKTOP);
	assert_string_equal(c.title, "New message from Acme");
	assert_null(c.body);
	notify_free(n);
	capture_free(&c);
}

static void
notify__send__desktop_with_bus_uses_desktop_only(void **state)
{
	struct capture c;
	struct notify *n;

	n = new_captured(NOTIFY_DESKTOP, true, "unix:path=/run/bus", &c);
	assert_string_equal(notify_describe(n), "desktop (libnotify)");
	assert_int_equal(
	    notify_send(n, "Urgent task #12", "line 1\nline\a2", NOTIFY_URGENT),
	    NOTIFY_ROUTE_DESKTOP);
	assert_int_equal(c.desktop_calls, 1);
	assert_string_equal(c.title, "Urgent task #12");
	assert_string_equal(c.body, "line 1\nline^G2");
	assert_int_equal(c.urgency, NOTIFY_URGENT);
	assert_int_equal(c.len, 0);
	notify_free(n);
	capture_free(&c);
}

static void
notify__send__desktop_failure_falls_back_for_the_session(void **state)
{
	struct capture c;
	struct notify *n;

	unsetenv("TMUX");
	n = new_captured(NOTIFY_DESKTOP, true, "unix:path=/run/bus", &c);
	c.fail = 1;
	assert_int_equal(notify_send(n, "Acme", "one", NOTIFY_NORMAL),
	                 NOTIFY_ROUTE_TERMINAL);
	assert_int_equal(c.desktop_calls, 1);
	assert_string_equal(c.out, "\033]777;notify;Acme;one\a"
	                           "\033]9;Acme: one\a"
	                           "\a");
	assert_string_equal(notify_describe(n),
	                    "terminal (desktop failed: boom^[[31m)");
	c.len = 0;
	assert_int_equal(notify_send(n, "Acme", "two", NOTIFY_NORMAL),
	                 NOTIFY_ROUTE_TERMINAL);
	assert_int_equal(c.desktop_calls, 1); /* not tried again */
	assert_string_equal(c.out, "\033]777;notify;Acme;two\a"
	                           "\033]9;Acme: two\a"
	                           "\a");
	notify_free(n);
	capture_free(&c);
}

static void
notify__new__desktop_without_bus_never_tries_it(void **state)
{
	struct capture c;
	struct notify *n;

	unsetenv("TMUX");
	n = new_captured(NOTIFY_DESKTOP, true, NULL, &c);
	assert_string_equal(notify_describe(n),
	                    "terminal (no D-Bus session bus)");
	assert_int_equal(notify_send(n, "Acme", "x", NOTIFY_NORMAL),
	                 NOTIFY_ROUTE_TERMINAL);
	assert_int_equal(c.desktop_calls, 0);
	notify_free(n);
	n = new_captured(NOTIFY_DESKTOP, true, "", &c); /* set but empty */
	assert_int_equal(notify_send(n, "Acme", "x", NOTIFY_NORMAL),
	                 NOTIFY_ROUTE_TERMINAL);
	assert_int_equal(c.desktop_calls, 0);
	notify_free(n);
	capture_free(&c);
}

static void
notify__send__linux_console_gets_the_bell(void **state)
{
	struct capture c;
	struct notify *n;

	memset(&c, 0, sizeof c);
	setenv("TERM", "linux", 1);
	unsetenv("DBUS_SESSION_BUS_ADDRESS");
	n = notify_new(NULL, NOTIFY_TERMINAL, true);
	notify_set_ops(
	    n, &(struct notify_ops){ capture_desktop, capture_write, &c });
	assert_int_equal(notify_send(n, "Acme", "x", NOTIFY_NORMAL),
	                 NOTIFY_ROUTE_BELL);
	assert_string_equal(c.out, "\a");
	assert_string_equal(notify_describe(n),
	                    "bell (TERM cannot show OSC 777/9)");
	notify_free(n);
	capture_free(&c);
}

static void
notify__free__null_is_fine(void **state)
{
	notify_free(NULL);
}

static int
setup(void **state)
{
	return setlocale(LC_CTYPE, "C.UTF-8") == NULL ? -1 : 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(notify__send__off_writes_nothing),
		cmocka_unit_test(notify__send__bell_mode_rings_only),
		cmocka_unit_test(
		    notify__send__terminal_writes_osc777_osc9_bell),
		cmocka_unit_test(notify__send__tmux_wraps_each_sequence),
		cmocka_unit_test(
		    notify__send__hostile_title_and_body_are_defused),
		cmocka_unit_test(
		    notify__send__osc9_text_never_starts_with_a_digit),
		cmocka_unit_test(
		    notify__send__bidi_and_newlines_removed_for_terminal),
		cmocka_unit_test(notify__send__long_text_is_cut),
		cmocka_unit_test(notify__send__desktop_body_keeps_six_lines),
		cmocka_unit_test(
		    notify__send__zero_width_flood_is_cut_to_bytes),
		cmocka_unit_test(notify__send__no_title_is_sitecare),
		cmocka_unit_test(
		    notify__send__hidden_text_keeps_only_the_title),
		cmocka_unit_test(
		    notify__send__desktop_with_bus_uses_desktop_only),
		cmocka_unit_test(
		    notify__send__desktop_failure_falls_back_for_the_session),
		cmocka_unit_test(
		    notify__new__desktop_without_bus_never_tries_it),
		cmocka_unit_test(notify__send__linux_console_gets_the_bell),
		cmocka_unit_test(notify__free__null_is_fine),
	};

	return cmocka_run_group_tests_name("tui/notify", tests, setup, NULL);
}
