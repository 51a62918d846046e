/* The opt-in timing trace: see trace.h. */
#include "net/base/trace.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int trace_fd = -1;
static int trace_wire; /* SITECARE_TRACE_DETAIL: requests, actions too */

void
trace_open_env(void)
{
	const char *path = getenv("SITECARE_TRACE");

	if (path == NULL || path[0] == '\0' || trace_fd >= 0)
		return;
	/* Never through a link planted at the trace's path. */
	trace_fd = open(
	    path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
	trace_wire = trace_fd >= 0 && getenv("SITECARE_TRACE_DETAIL") != NULL;
}

void
trace_close(void)
{
	if (trace_fd >= 0)
		close(trace_fd);
	trace_fd = -1;
	trace_wire = 0;
}

int
trace_on(void)
{
	return trace_fd >= 0;
}

int
trace_detail_on(void)
{
	return trace_wire;
}

void
trace_event(const char *fmt, ...)
{
	struct timespec ts;
	char line[512];
	va_list ap;
	int n, m;

	if (trace_fd < 0)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	n = snprintf(line, sizeof line, "%lld.%06ld ", (long long)ts.tv_sec,
	             ts.tv_nsec / 1000);
	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		return;
	n += m < (int)(sizeof line - (size_t)n - 1)
	         ? m
	         : (int)(sizeof line - (size_t)n - 2);
	line[n++] = '\n';
	if (write(trace_fd, line, (size_t)n) < 0) {
		/* a benchmark aid: a failed write is not worth an error */
	}
}
