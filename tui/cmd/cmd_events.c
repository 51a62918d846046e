/* `sitecare events`: the live event stream as JSON lines on stdout. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cJSON.h>

#include "net/client/api.h"
#include "net/client/events.h"
#include "net/base/loop.h"
#include "net/base/xmalloc.h"
#include "tui/cmd/cmd_stream.h"
#include "tui/sanitize.h"

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

	cJSON_AddStringToObject(line, "id", e->id);
	cJSON_AddStringToObject(line, "event", e->type);
	cJSON_AddItemToObject(line, "data",
	                      data != NULL ? data : cJSON_CreateObject());
	if (cmd_print_json_line(line) != 0) {
		run->done = true; /* nobody reads any more */
		events_stop(run->ev);
	}
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

/* Ctrl-C or SIGTERM: the run ends cleanly. */
static void
on_stop_signal(int signo, void *ud)
{
	struct events_run *run = ud;

	run->done = true;
}

static bool
run_done(void *ud)
{
	const struct events_run *run = ud;

	return run->done;
}

/* Runs the api and the stream on one loop until the run is done. */
static int
run_loop(struct api *a, struct events_run *run)
{
	struct loop *l = loop_new();
	struct loop_source api = api_source(a), ev = events_source(run->ev);
	int rc = 0;

	loop_add_source(l, &api);
	loop_add_source(l, &ev);
	if (loop_signal(l, SIGINT, on_stop_signal, run) != 0 ||
	    loop_signal(l, SIGTERM, on_stop_signal, run) != 0) {
		perror("sitecare: events: signals");
		rc = -1;
	} else if (loop_run_until(l, run_done, run, -1) != 0)
		rc = -1;
	loop_free(l);
	return rc;
}

int
cmd_events(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct events_args args;
	struct events_run run = { 0 };
	struct events_config cfg = { 0 };
	struct api *a;

	if (parse_args(&args, argc, argv) != 0)
		return CMD_USAGE;
	a = cmd_api_new(ctx);
	if (a == NULL)
		return CMD_USAGE;
	signal(SIGPIPE, SIG_IGN);
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
	if (run_loop(a, &run) != 0) {
		fputs("sitecare: the event loop failed\n", stderr);
		run.rc = CMD_FAILED;
	}
	events_free(run.ev);
	api_free(a);
	return run.rc;
}
