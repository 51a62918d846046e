/* Before curses starts: can this terminal be drawn on at all? */
#include "tui/term_check.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <term.h>
#include <unistd.h>

#include "tui/sanitize.h"

/* The advice that ends every refusal. */
#define TERM_CHECK_FIX                                                         \
	"set TERM to your terminal's type, such as xterm-256color "            \
	"(TERM=xterm-256color sitecare)"

/* Whether the terminal set up by setupterm() can move the cursor. */
static bool
term_check_cup(void)
{
	const char *cup = tigetstr("cup");

	return cup != NULL && cup != (const char *)-1;
}

int
term_check(char *why, size_t len)
{
	const char *term = getenv("TERM");
	char *shown;
	int err = 0, rc = 0;

	if (term == NULL || term[0] == '\0') {
		snprintf(why, len, "TERM is not set; %s", TERM_CHECK_FIX);
		return -1;
	}
	/* TERM is the environment's: shown, never obeyed. */
	shown = sanitize_str(term, SANITIZE_ASCII);
	if (setupterm(term, STDOUT_FILENO, &err) != OK) {
		snprintf(why, len,
		         "this terminal (TERM=%s) is not known here (no "
		         "terminfo entry); %s",
		         shown, TERM_CHECK_FIX);
		rc = -1;
	} else if (!term_check_cup()) {
		snprintf(why, len,
		         "this terminal (TERM=%s) cannot address the cursor; "
		         "%s",
		         shown, TERM_CHECK_FIX);
		rc = -1;
	}
	if (cur_term != NULL)
		del_curterm(cur_term); /* initscr() sets it up again */
	free(shown);
	return rc;
}
