/* Before curses starts: can this terminal be drawn on at all? */
#ifndef SITECARE_TUI_TERM_CHECK_H
#define SITECARE_TUI_TERM_CHECK_H

#include <stddef.h>

/*
 * 0 when TERM names a terminal this system's terminfo knows and that can
 * address the cursor (the capability cup). Else -1, with what is wrong
 * and the fix in why ("this terminal (TERM=dumb) cannot address the
 * cursor; ..."): curses would draw a blank screen on it, or exit with
 * its own words. Writes nothing to the terminal.
 */
int term_check(char *why, size_t len);

#endif
