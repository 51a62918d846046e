/* For unit tests that draw: a curses screen on /dev/null, and whether
 * a window shows some text. Include after <cmocka.h> and <curses.h>. */
#ifndef SITECARE_TESTS_UNIT_TUI_SCREEN_HAS_H
#define SITECARE_TESTS_UNIT_TUI_SCREEN_HAS_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A screen of 50 x 120 that writes nowhere. */
struct test_screen {
	FILE *out, *in;
	SCREEN *s;
};

__attribute__((unused)) static void
test_screen_open(struct test_screen *t)
{
	setenv("LINES", "50", 1);
	setenv("COLUMNS", "120", 1);
	t->out = fopen("/dev/null", "w");
	t->in = fopen("/dev/null", "r");
	assert_non_null(t->out);
	assert_non_null(t->in);
	t->s = newterm("xterm", t->out, t->in);
	assert_non_null(t->s);
}

__attribute__((unused)) static void
test_screen_close(struct test_screen *t)
{
	endwin();
	delscreen(t->s);
	fclose(t->out);
	fclose(t->in);
}

/* True when some row of w contains needle (ASCII). */
__attribute__((unused)) static bool
screen_has(WINDOW *w, int rows, const char *needle)
{
	char buf[256];
	int y;

	for (y = 0; y < rows; y++) {
		mvwinnstr(w, y, 0, buf, (int)sizeof buf - 1);
		if (strstr(buf, needle) != NULL)
			return true;
	}
	return false;
}

#endif
