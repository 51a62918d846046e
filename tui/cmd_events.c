/* `sitecare events`: the live event stream as JSON lines on stdout. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cJSON.h>

#include "net/api.h"
#include "net/events.h"
#include "net/xmalloc.h"
#include "tui/cmd_signal.h"
#include "tui/cmd_stream.h"
#include "tui/sanitize.h"

/* More sockets than one stream ever opens, plus the signal pipe. */
#define EVENTS_MAX_FDS 64

/* The command line. */
struct events_args {
	const char *since;
	long long count; /* 0: no limit */
};

/* The run's state, shared with the callbacks. */
struct events_run {
	struct events *ev;
	long long count;
	long long seen;
	int rc;
	bool done;
};

/* Reads `events [--since ID] [--count N]`. */
static int
parse_args(struct events_args *args, int argc, char **argv)
{
	int i;
	char *end;

	memset(args, 0, sizeof *args);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--since") == 0 && i + 1 < argc) {
			args->since = argv[++i];
		} else if (strcmp(argv[i], "--count") == 0 && i + 1 < argc) {
			errno = 0;
			args->count = strtoll(argv[++i], &end, 10);
			if (errno != 0 || *end != '\0' || args->count < 1)
				goto bad;
		} else {
			goto bad;
		}
	}
	if (args->since != NULL &&
	    (args->since[0] == '\0' || strpbrk(args->since, "\r\n") != NULL))
		goto bad;
	return 0;
bad:
	fputs(CMD_EVENTS_USAGE, stderr);
	return -1;
}

/* Prints one event as a JSON line: {"id", "event", "data"}. */
static void
on_event(const struct events_event *e, void *ud)
{
	struct events_run *run = ud;
	cJSON *line = cJSON_CreateObject();
	cJSON *data = cJSON_ParseWithLength(e->data, e->data_len);
	char *text;

	cJSON_AddStringToObject(line, "id", e->id);
	cJSON_AddStringToObject(line, "event", e->type);
	cJSON_AddItemToObject(line, "data",
	                      data != NULL ? data : cJSON_CreateObject());
	text = cJSON_PrintUnformatted(line);
	cJSON_Delete(line);
	if (text == NULL)
		abort(); /* out of memory */
	if (puts(text) < 0 || fflush(stdout) != 0) {
		run->done = true; /* nobody reads any more */
		events_stop(run->ev);
	}
	free(text);
	if (e->payload->type == EVENT_RESYNC)
		fputs("sitecare: events: resync: events were missed; refetch "
		      "everything\n",
		      stderr);
	if (run->count > 0 && ++run->seen >= run->count) {
		run->done = true;
		events_stop(run->ev);
	}
}

/* Reports a connection change on stderr; ends the run when offline. */
static void
on_state(const struct events_status *st, void *ud)
{
	struct events_run *run = ud;
	char *why = st->err != NULL ? sanitize_str(st->err->message, 0) : NULL;

	switch (st->state) {
	case EVENTS_CONNECTING:
		fputs("sitecare: events: connecting\n", stderr);
		break;
	case EVENTS_ONLINE:
		fputs("sitecare: events: online\n", stderr);
		break;
	case EVENTS_RECONNECTING:
		fprintf(stderr,
		        "sitecare: events: reconnecting in %.1f s (%s)\n",
		        (double)events_timeout_ms(run->ev) / 1000.0,
		        why != NULL ? why : "");
		break;
	case EVENTS_OFFLINE:
		if (st->err != NULL) {
			fputs("sitecare: events: offline\n", stderr);
			cmd_print_error(st->err);
			run->rc = CMD_FAILED;
		}
		run->done = true;
		break;
	}
	free(why);
}

/* The smaller of two poll timeouts, where -1 means "none". */
static int
min_timeout(int a, int b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

/* Polls the api's sockets, the signal pipe and the stream's timers. */
static int
run_loop(struct api *a, struct events_run *run, int sigread)
{
	struct pollfd fds[EVENTS_MAX_FDS + 1];
	int n, timeout;

	while (!run->done) {
		fds[0] = (struct pollfd){ .fd = sigread, .events = POLLIN };
		n = api_pollfds(a, fds + 1, EVENTS_MAX_FDS);
		timeout =
		    min_timeout(api_timeout_ms(a), events_timeout_ms(run->ev));
		if (poll(fds, (nfds_t)n + 1, timeout) < 0 && errno != EINTR)
			return -1;
		if (fds[0].revents & POLLIN)
			break; /* SIGINT or SIGTERM */
		api_dispatch(a, fds + 1, n);
		if (!run->done)
			events_tick(run->ev);
	}
	return 0;
}

int
cmd_events(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct events_args args;
	struct events_run run = { 0 };
	struct events_config cfg = { 0 };
	struct api *a;
	struct cmd_signal sig;

	if (parse_args(&args, argc, argv) != 0)
		return CMD_USAGE;
	a = cmd_api_new(ctx);
	if (a == NULL)
		return CMD_USAGE;
	signal(SIGPIPE, SIG_IGN);
	if (cmd_signal_open(&sig) != 0) {
		perror("sitecare: events: pipe");
		api_free(a);
		return CMD_FAILED;
	}
	cfg.transport = events_api_transport();
	cfg.transport_ud = a;
	cfg.on_event = on_event;
	cfg.on_state = on_state;
	cfg.ud = &run;
	cfg.last_id = args.since;
	run.count = args.count;
	run.rc = CMD_OK;
	run.ev = events_new(&cfg);
	events_start(run.ev);
	if (run_loop(a, &run, sig.fds[0]) != 0) {
		fputs("sitecare: the event loop failed\n", stderr);
		run.rc = CMD_FAILED;
	}
	events_free(run.ev);
	api_free(a);
	cmd_signal_close(&sig);
	return run.rc;
}
