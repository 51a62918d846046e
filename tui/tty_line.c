/* Reads one line from a descriptor, optionally with echo off. */
#include "tui/tty_line.h"

#include <errno.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

/*
 * The terminal's state while echo is off, so that the signal handler can
 * put it back: a handler can reach nothing else.
 */
static int noecho_fd = -1;
static struct termios noecho_saved;

/* SIGINT/SIGTERM while echo is off: put the terminal back, then die. */
static void
restore_and_die(int signo)
{
	if (noecho_fd >= 0)
		tcsetattr(noecho_fd, TCSAFLUSH, &noecho_saved);
	signal(signo, SIG_DFL);
	raise(signo);
}

ssize_t
tty_read_line(int fd, char *buf, size_t size)
{
	size_t n = 0;
	char c = 0;
	ssize_t r;

	for (;;) {
		r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || c == '\n')
			break;
		if (n + 1 < size)
			buf[n++] = c;
	}
	sodium_memzero(&c, sizeof c); /* the last byte of a password */
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return r <= 0 && n == 0 ? -1 : (ssize_t)n;
}

ssize_t
tty_read_noecho(int fd, char *buf, size_t size)
{
	struct termios t;
	ssize_t n;

	if (tcgetattr(fd, &noecho_saved) != 0)
		return tty_read_line(fd, buf, size);
	t = noecho_saved;
	t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	t.c_lflag |= ICANON;
	noecho_fd = fd;
	signal(SIGINT, restore_and_die);
	signal(SIGTERM, restore_and_die);
	tcsetattr(fd, TCSAFLUSH, &t);
	n = tty_read_line(fd, buf, size);
	tcsetattr(fd, TCSAFLUSH, &noecho_saved);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	noecho_fd = -1;
	(void)!write(fd, "\n", 1);
	return n;
}
