/* For unit tests that draw: whether a curses window shows some text.
 * Include after <cmocka.h> and <curses.h>. */
#ifndef SITECARE_TESTS_UNIT_TUI_SCREEN_HAS_H
#define SITECARE_TESTS_UNIT_TUI_SCREEN_HAS_H

#include <stdbool.h>
#include <string.h>

/* True when some row of w contains needle (ASCII). */
static bool
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
