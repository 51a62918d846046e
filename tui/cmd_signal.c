/* SIGINT and SIGTERM as a readable pipe: see cmd_signal.h. */
#include "tui/cmd_signal.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* The write end the handler writes to; a handler has no user pointer. */
static volatile sig_atomic_t sig_fd = -1;

/* Wakes the loop; the loop then ends cleanly. */
static void
on_signal(int sig)
{
	char c = (char)sig;
	int saved = errno;

	if (sig_fd >= 0 && write(sig_fd, &c, 1) < 0) {
		/* the pipe is full: a wake-up is pending anyway */
	}
	errno = saved;
}

int
cmd_signal_open(struct cmd_signal *s)
{
	struct sigaction sa;
	int i;

	if (pipe(s->fds) != 0)
		return -1;
	for (i = 0; i < 2; i++) {
		fcntl(s->fds[i], F_SETFL, O_NONBLOCK);
		fcntl(s->fds[i], F_SETFD, FD_CLOEXEC);
	}
	sig_fd = s->fds[1];
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &s->old[0]);
	sigaction(SIGTERM, &sa, &s->old[1]);
	return 0;
}

void
cmd_signal_close(struct cmd_signal *s)
{
	sigaction(SIGINT, &s->old[0], NULL);
	sigaction(SIGTERM, &s->old[1], NULL);
	sig_fd = -1;
	close(s->fds[0]);
	close(s->fds[1]);
}
