/*
 * An LD_PRELOAD library for the terminal tests: every byte the client hands
 * curses to draw is appended to the file $SITECARE_TEST_DRAWN, before curses
 * sees it.
 *
 * ncurses turns a control character into a caret escape by itself (ESC is
 * drawn as ^[, BEL as ^G), so the bytes on the terminal look alike whether
 * or not the client's sanitiser ran. What the client passes to curses says
 * whether the server's controls got past the client itself. The client
 * draws through these three calls only (nm -D sitecare); mvwaddstr and
 * waddstr are macros over waddnstr.
 */
#define _GNU_SOURCE
#include <curses.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Appends n bytes of s to the log; opened once, at the first call. */
static void
record(const char *s, size_t n)
{
	static int fd = -2;
	const char *path;

	if (fd == -2) {
		path = getenv("SITECARE_TEST_DRAWN");
		fd = path == NULL
		         ? -1
		         : open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
		                0600);
	}
	if (fd >= 0 && n > 0)
		(void)!write(fd, s, n);
}

/* The text byte of each cell (attributes and colour dropped). */
static void
record_cells(const chtype *cells, int n)
{
	char c;
	int i;

	for (i = 0; cells != NULL && (n < 0 || i < n) && cells[i] != 0; i++) {
		c = (char)(cells[i] & A_CHARTEXT);
		record(&c, 1);
	}
}

int
waddnstr(WINDOW *w, const char *s, int n)
{
	static int (*real)(WINDOW *, const char *, int);

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "waddnstr");
	if (s != NULL)
		record(s, n < 0 ? strlen(s) : strnlen(s, (size_t)n));
	return real(w, s, n);
}

int
waddch(WINDOW *w, const chtype ch)
{
	static int (*real)(WINDOW *, const chtype);

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "waddch");
	record_cells(&ch, 1);
	return real(w, ch);
}

int
waddchnstr(WINDOW *w, const chtype *cells, int n)
{
	static int (*real)(WINDOW *, const chtype *, int);

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "waddchnstr");
	record_cells(cells, n);
	return real(w, cells, n);
}
