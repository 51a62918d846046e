/* Drives the net layer with poll() until every call has finished. */
#include "tui/runloop.h"

#include <errno.h>
#include <poll.h>

#include "net/api.h"

/* More sockets than one command ever opens. */
#define RUNLOOP_MAX_FDS 64

int
runloop_run(struct api *a)
{
	struct pollfd fds[RUNLOOP_MAX_FDS];
	int n, timeout;

	while (api_pending(a) > 0) {
		n = api_pollfds(a, fds, RUNLOOP_MAX_FDS);
		timeout = api_timeout_ms(a);
		if (n == 0 && timeout < 0)
			return -1; /* nothing could ever wake us */
		if (poll(fds, (nfds_t)n, timeout) < 0 && errno != EINTR)
			return -1;
		api_dispatch(a, fds, n);
	}
	return 0;
}
