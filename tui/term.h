/* The terminal: curses set-up and restore, keys, mouse, capabilities. */
#ifndef SITECARE_TUI_TERM_H
#define SITECARE_TUI_TERM_H

#include <stdbool.h>

#include "keymaps/key.h"

/* One input event from the terminal. */
struct term_input {
	enum {
		TERM_KEY,
		TERM_MOUSE,
		TERM_PASTE_BEGIN,
		TERM_PASTE_END,
		TERM_FOCUS_IN, /* the terminal (or tmux pane) got the focus */
		TERM_FOCUS_OUT,
	} kind;
	key_code key;
	int x, y;   /* mouse position */
	int button; /* 1 left click, 4 wheel up, 5 wheel down, 0 other */
};

/*
 * Starts curses on the controlling terminal. The terminal is restored on
 * exit (atexit), on SIGTERM/SIGHUP via the loop, and on a crash: a fatal
 * signal writes the reset sequences and the saved termios with
 * async-signal-safe calls only, then re-raises to the earlier handler
 * (the default, or the sanitizer's, so its report still appears).
 */
int term_init(void);

/* Leaves curses mode; safe to call twice. */
void term_restore(void);

/* Leaves curses, stops the process (SIGTSTP), and comes back on SIGCONT. */
void term_suspend(void);
/* Gives the terminal to another program ($EDITOR) and takes it back, with
 * mouse and bracketed paste as they were. */
void term_leave(void);
void term_enter(void);

/* Re-reads the window size after SIGWINCH or SIGCONT. */
void term_resize(void);

/* Reads one input event without blocking; false when none is waiting. */
bool term_read(struct term_input *in);

/* The loop woke for the terminal, readable when it has bytes (not only
 * a hang-up or an error): a plain key read first ends the pass
 * (term_read is false after it; the loop wakes again for what follows),
 * unless whole (a paste arriving: all of it at once). */
void term_input_ready(bool whole, bool readable);

/* Turns mouse reporting on or off (off by default: it steals selection). */
void term_mouse(bool on);

/* Bracketed paste: pasted text arrives between PASTE_BEGIN and END. */
void term_bracketed_paste(bool on);

/*
 * Focus reporting (DECSET 1004): the terminal says when it gains or
 * loses the focus (TERM_FOCUS_IN, TERM_FOCUS_OUT). Terminals without it,
 * and tmux without `focus-events on`, say nothing: then nothing arrives.
 */
void term_focus_events(bool on);

bool term_utf8(void);   /* the locale's charset is UTF-8 */
bool term_colors(void); /* colours are available and NO_COLOR is unset */

#endif
