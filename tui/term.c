/* curses start-up, restore and input translation. */
#include "tui/term.h"

#include <curses.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

/* Reset sequences: colours, cursor, alternate screen, mouse, paste,
 * focus reports. */
static const char reset_seq[] = "\033[0m\033[?25h\033[?1000l\033[?1002l"
                                "\033[?1006l\033[?2004l\033[?1004l"
                                "\033[?1049l";

/*
 * The terminal state the crash handler needs: written once at start-up,
 * read in signal context, so plain statics hold it.
 */
static struct termios saved_tios;
static volatile sig_atomic_t curses_on;
static struct sigaction old_fatal[32];
static bool mouse_on, paste_on, focus_on;

/* A fatal signal: put the terminal back, then let the old handler run. */
static void
on_fatal(int signo)
{
	if (curses_on) {
		(void)!write(STDOUT_FILENO, reset_seq, sizeof reset_seq - 1);
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tios);
		curses_on = 0;
	}
	sigaction(signo, &old_fatal[signo], NULL);
	raise(signo);
}

/* Installs on_fatal for the crash signals, keeping the old handlers. */
static void
catch_fatal(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fatal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND | SA_NODEFER;
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, &old_fatal[sigs[i]]);
}

/*
 * Until curses has been left once and resumed, ncurses (6.x) counts as
 * "not yet started" and flushes its output after every cursor move it
 * makes, so one frame left in five or more write()s. A leave and resume
 * before anything is drawn ends that: each doupdate() is then one write
 * (its buffer holds a whole screen). Both go to /dev/null, so the
 * terminal sees neither (no second alternate-screen exit, no title
 * popped twice); its state is the one initscr left, and the first frame
 * paints from a cleared screen, as it would have.
 */
static void
one_write_per_frame(void)
{
	int out = dup(STDOUT_FILENO), null = open("/dev/null", O_WRONLY);

	/* What initscr wrote (the alternate screen's start) waits in
	 * ncurses' buffer: curs_set writes its own with a flush. */
	curs_set(0);
	if (out >= 0 && null >= 0 && dup2(null, STDOUT_FILENO) >= 0) {
		endwin();
		doupdate();
		dup2(out, STDOUT_FILENO);
		clearok(curscr, TRUE);
	}
	if (out >= 0)
		close(out);
	if (null >= 0)
		close(null);
}

static void byte_keys_init(void);

int
term_init(void)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return -1;
	tcgetattr(STDIN_FILENO, &saved_tios);
	/* Escape alone should feel instant; Alt-x arrives within 25 ms. */
	if (getenv("ESCDELAY") == NULL)
		set_escdelay(25);
	if (initscr() == NULL)
		return -1;
	curses_on = 1;
	/* First: endwin would undo the modes set below (keypad's included,
	 * which the first key read would then send again). */
	one_write_per_frame();
	catch_fatal();
	atexit(term_restore);
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	byte_keys_init();
	nodelay(stdscr, TRUE);
	/* doupdate() polls the keyboard twice a frame to cut a frame short
	 * for a key waiting; the loop reads every key before it draws, so
	 * the check finds none and costs two system calls a frame. */
	typeahead(-1);
	curs_set(0);
	if (term_colors()) {
		start_color();
		use_default_colors();
	}
	return 0;
}

void
term_restore(void)
{
	if (!curses_on)
		return;
	term_mouse(false);
	term_bracketed_paste(false);
	term_focus_events(false);
	endwin();
	curses_on = 0;
}

void
term_suspend(void)
{
	term_leave();
	kill(getpid(), SIGSTOP);
	/* Back after SIGCONT: curses resumes with a full repaint. */
	term_enter();
}

/* What term_leave turned off, for term_enter to turn on again. */
static bool left_mouse, left_paste, left_focus;

void
term_leave(void)
{
	left_mouse = mouse_on;
	left_paste = paste_on;
	left_focus = focus_on;
	term_restore();
}

void
term_enter(void)
{
	curses_on = 1;
	refresh();
	term_resize();
	term_mouse(left_mouse);
	term_bracketed_paste(left_paste);
	term_focus_events(left_focus);
}

void
term_resize(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
}

void
term_mouse(bool on)
{
	mouse_on = on;
	if (!curses_on)
		return;
	mousemask(on ? BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED |
	                   BUTTON5_PRESSED
	             : 0,
	          NULL);
	mouseinterval(0);
}

void
term_bracketed_paste(bool on)
{
	paste_on = on;
	if (curses_on) {
		fputs(on ? "\033[?2004h" : "\033[?2004l", stdout);
		fflush(stdout);
	}
}

void
term_focus_events(bool on)
{
	focus_on = on;
	if (curses_on) {
		fputs(on ? "\033[?1004h" : "\033[?1004l", stdout);
		fflush(stdout);
	}
}

bool
term_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs != NULL && strcmp(cs, "UTF-8") == 0;
}

bool
term_colors(void)
{
	const char *nc = getenv("NO_COLOR");

	if (nc != NULL && nc[0] != '\0')
		return false;
	return curses_on ? has_colors() : true;
}

/* curses' special keys in sitecare's terms. */
static key_code
translate_special(int ch)
{
	static const struct {
		int curses;
		key_code key;
	} map[] = {
		{ KEY_UP, KEYC_UP },
		{ KEY_DOWN, KEYC_DOWN },
		{ KEY_LEFT, KEYC_LEFT },
		{ KEY_RIGHT, KEYC_RIGHT },
		{ KEY_HOME, KEYC_HOME },
		{ KEY_END, KEYC_END },
		{ KEY_PPAGE, KEYC_PGUP },
		{ KEY_NPAGE, KEYC_PGDN },
		{ KEY_IC, KEYC_INSERT },
		{ KEY_DC, KEYC_DELETE },
		{ KEY_BTAB, KEYC_BTAB },
		{ KEY_ENTER, KEYC_ENTER },
		{ KEY_BACKSPACE, KEYC_BACKSPACE },
	};
	size_t i;

	for (i = 0; i < sizeof map / sizeof map[0]; i++)
		if (map[i].curses == ch)
			return map[i].key;
	if (ch >= KEY_F(1) && ch <= KEY_F(12))
		return KEYC_F1 + (key_code)(ch - KEY_F(1));
	return KEYC_NONE;
}

/* Fills in a mouse event from curses; false when there is none. */
static bool
read_mouse(struct term_input *in)
{
	MEVENT ev;

	if (getmouse(&ev) != OK)
		return false;
	in->kind = TERM_MOUSE;
	in->x = ev.x;
	in->y = ev.y;
	in->button = (ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)) ? 1
	             : (ev.bstate & BUTTON4_PRESSED)                   ? 4
	             : (ev.bstate & BUTTON5_PRESSED)                   ? 5
	                                                               : 0;
	return true;
}

/* The report in c (n characters after ESC) as an input kind, or -1. */
static int
report_kind(const wint_t *c, int n)
{
	if (focus_on && n >= 2 && c[0] == '[' && (c[1] == 'I' || c[1] == 'O'))
		return c[1] == 'I' ? TERM_FOCUS_IN : TERM_FOCUS_OUT;
	if (paste_on && n == 5 && c[0] == '[' && c[1] == '2' && c[2] == '0' &&
	    (c[3] == '0' || c[3] == '1') && c[4] == '~')
		return c[3] == '0' ? TERM_PASTE_BEGIN : TERM_PASTE_END;
	return -1;
}

/*
 * Recognises what the terminal reports after ESC: the bracketed paste
 * markers ESC [200~ and ESC [201~, focus in and out ESC [I and ESC [O.
 * Anything else is put back, to be read as keys.
 */
static bool
read_report(struct term_input *in)
{
	wint_t c[5];
	int n, kind = -1;

	for (n = 0; n < 5 && kind < 0; n++) {
		if (get_wch(&c[n]) != OK)
			break;
		kind = report_kind(c, n + 1);
	}
	if (kind >= 0) {
		in->kind = kind;
		return true;
	}
	while (n > 0)
		unget_wch((wchar_t)c[--n]);
	return false;
}

/*
 * The loop's pass over a readable terminal. curses polls the descriptor
 * before each read (nodelay), and a pass that asked until curses had
 * nothing more paid one more poll() for every key. A plain key (ASCII,
 * not ESC, not the start of any key sequence of the terminal's) read
 * first in a pass is one byte that curses read and did not keep: the
 * pass ends there, and the loop wakes again for whatever follows. After
 * anything else curses is asked until it has nothing, since its buffer
 * may then hold bytes the descriptor no longer shows.
 */
static enum { PASS_NONE, PASS_FIRST, PASS_DONE } pass;

/* Bytes that start or are a key in the terminal's key table (kbs ^?). */
static bool byte_is_key[0x80];

/* Fills byte_is_key from the terminal's key table, once keypad is on. */
static void
byte_keys_init(void)
{
	char s[2] = { 0, 0 };
	int b;

	for (b = 1; b < 0x80; b++) {
		s[0] = (char)b;
		byte_is_key[b] = b == KEYC_ESCAPE || key_defined(s) != 0;
	}
}

/* Whether the loop saw bytes waiting for this pass's first read. */
static bool first_waiting;

void
term_input_ready(bool whole, bool readable)
{
	pass = whole ? PASS_NONE : PASS_FIRST;
	first_waiting = readable;
}

/*
 * The pass's first get_wch. With bytes known to be waiting, the first
 * byte is read in blocking mode, which does not block then: curses skips
 * the poll() it makes before each read in nodelay mode, one system call
 * less a key. One byte only (wgetch; a key sequence after ESC is still
 * waited for with curses' escape delay): get_wch in blocking mode would
 * wait for a multibyte character's missing bytes, and a lone byte of
 * one (a Latin-1 terminal's é) froze the loop in read() until more keys
 * came. Such a byte goes back to curses, for get_wch in nodelay mode.
 */
static int
first_get_wch(wint_t *ch)
{
	int c;

	if (pass != PASS_FIRST || !first_waiting)
		return get_wch(ch);
	first_waiting = false;
	nodelay(stdscr, FALSE);
	c = getch();
	nodelay(stdscr, TRUE);
	if (c == ERR)
		return ERR;
	if (c >= KEY_MIN) {
		*ch = (wint_t)c;
		return KEY_CODE_YES;
	}
	if (c < 0x80) {
		*ch = (wint_t)c;
		return OK;
	}
	ungetch(c);
	return get_wch(ch);
}

/* Whether ch, returned by get_wch as the pass's first input, was one
 * byte that curses read and did not keep. */
static bool
plain_first(int r, wint_t ch)
{
	bool plain =
	    pass == PASS_FIRST && r == OK && ch < 0x80 && !byte_is_key[ch];

	pass = plain ? PASS_DONE : PASS_NONE;
	return plain;
}

bool
term_read(struct term_input *in)
{
	wint_t ch, next;
	int r;

	memset(in, 0, sizeof *in);
	in->kind = TERM_KEY;
	if (pass == PASS_DONE)
		return false;
	r = first_get_wch(&ch);
	if (plain_first(r, ch)) {
		in->key = ch == '\n' ? KEYC_ENTER
		          : ch == 8  ? KEYC_BACKSPACE
		                     : ch;
		return true;
	}
	if (r == ERR)
		return false;
	if (r == KEY_CODE_YES) {
		if (ch == KEY_MOUSE)
			return read_mouse(in);
		in->key = translate_special((int)ch);
		return in->key != KEYC_NONE || term_read(in);
	}
	if (ch == '\n')
		ch = KEYC_ENTER;
	if (ch == KEYC_ESCAPE && (paste_on || focus_on) && read_report(in))
		return true;
	/* ESC followed at once by a key is Alt+key (what xterm sends). */
	if (ch == KEYC_ESCAPE && get_wch(&next) == OK && next != KEYC_ESCAPE) {
		in->key = KEYC_META | (next == '\n' ? KEYC_ENTER : next);
		return true;
	}
	in->key = ch == 8 ? KEYC_BACKSPACE : (key_code)ch;
	return true;
}
