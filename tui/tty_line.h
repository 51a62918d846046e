/* Reading one line from a file descriptor, optionally with echo off:
 * the prompts of `sitecare login` and `sitecare keygen`. */
#ifndef SITECARE_TUI_TTY_LINE_H
#define SITECARE_TUI_TTY_LINE_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Reads one line of fd into buf (at most size - 1 bytes, NUL-terminated,
 * no newline nor trailing CR), a byte at a time so that nothing stays
 * behind in a stdio buffer; the rest of a longer line is dropped.
 * Returns its length, or -1 at end of input before any byte.
 */
ssize_t tty_read_line(int fd, char *buf, size_t size);

/*
 * The same from the terminal fd with echo turned off; the terminal is
 * restored afterwards, and also when SIGINT or SIGTERM arrive meanwhile.
 * Without a terminal on fd it reads as tty_read_line does.
 */
ssize_t tty_read_noecho(int fd, char *buf, size_t size);

#endif
