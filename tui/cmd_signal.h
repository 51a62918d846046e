/* SIGINT and SIGTERM as a readable pipe, for the subcommands' loops. */
#ifndef SITECARE_TUI_CMD_SIGNAL_H
#define SITECARE_TUI_CMD_SIGNAL_H

#include <signal.h>

/*
 * A subcommand that runs its own poll loop (events, attachment save)
 * must stop cleanly on Ctrl-C: the handler only writes a byte to a
 * non-blocking, close-on-exec pipe whose read end (fds[0]) the loop
 * polls. old keeps the previous handlers for cmd_signal_restore.
 * Returns 0, or -1 with errno when the pipe cannot be made.
 */
struct cmd_signal {
	int fds[2];
	struct sigaction old[2];
};

int cmd_signal_open(struct cmd_signal *s);
/* Puts the old handlers back and closes the pipe. */
void cmd_signal_close(struct cmd_signal *s);

#endif
