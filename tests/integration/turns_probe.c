/*
 * Sends GET requests through the client's own layers (net/client/api.h over
 * net/client/http.h, driven by tui/cmd/runloop.h) as the steps say, for
 * test_http_turns.py to see on how many connections they arrive:
 *
 *   turns_probe URL CA STATE_DIR STEP...
 *
 * A step is a path under the API prefix, sent at once (alongside every
 * request still running), or "wait": run until nothing is pending. Each
 * finished request prints one line:
 *
 *   done PATH STATUS SENT_MS DONE_MS
 *
 * STATUS is -1 when the request failed; the times are milliseconds since
 * the probe started. "end" closes the output.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "net/client/api.h"
#include "tui/cmd/runloop.h"

#define PROBE_MAX_STEPS 64

static long long started;

/* Monotonic milliseconds. */
static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* What one request was and when it was sent. */
struct sent {
	const char *path;
	long long at;
};

/* Prints one finished request. */
static void
on_done(struct http_response *resp, const struct sc_error *err, void *ud)
{
	struct sent *s = ud;

	printf("done %s %d %lld %lld\n", s->path,
	       err->kind == SC_OK ? resp->status : -1, s->at,
	       now_ms() - started);
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	struct api_config cfg = { 0 };
	struct sc_error err = { 0 };
	struct sent sent[PROBE_MAX_STEPS];
	struct api *a;
	int i, n = 0, rc = 0;

	if (argc < 5 || argc - 4 > PROBE_MAX_STEPS) {
		fprintf(stderr,
		        "usage: turns_probe URL CA STATE_DIR STEP...\n");
		return 2;
	}
	started = now_ms();
	cfg.url = argv[1];
	cfg.ca_file = argv[2];
	cfg.state_dir = argv[3];
	a = api_new(&cfg, &err);
	if (a == NULL) {
		fprintf(stderr, "turns_probe: %s\n", err.message);
		sc_error_clear(&err);
		return 1;
	}
	for (i = 4; i < argc && rc == 0; i++) {
		if (strcmp(argv[i], "wait") == 0) {
			rc = runloop_run(a);
			continue;
		}
		sent[n] = (struct sent){ argv[i], now_ms() - started };
		api_request(a, "GET", argv[i], NULL, 0, on_done, &sent[n]);
		n++;
	}
	if (rc == 0)
		rc = runloop_run(a);
	printf("end\n");
	api_free(a);
	return rc == 0 ? 0 : 1;
}
