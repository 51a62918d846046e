/* The live event stream: reconnection, liveness and typed delivery. */
#include "net/client/events.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "net/base/clock.h"
#include "net/client/api.h"
#include "net/client/sse.h"
#include "net/base/xmalloc.h"

/*
 * The stream's life: OFFLINE -start-> CONNECTING -2xx-> ONLINE, and from
 * CONNECTING or ONLINE, an error, an end or dead_ms of silence ->
 * RECONNECTING (retry_at set) -tick at retry_at-> CONNECTING again; a
 * final error (401, 403) or events_stop -> OFFLINE. `handle` is the
 * transport's request while CONNECTING or ONLINE, NULL otherwise. The
 * parser lives as long as ev, so the last event id and the server's
 * retry: survive every reopening (sse_parser_reset keeps them).
 */
struct events {
	struct events_config cfg;
	char *initial_id; /* cfg.last_id, copied; sent until an event comes */
	struct sse_parser *parser;
	enum events_state state;
	void *handle;
	int failures;
	long long retry_at;  /* RECONNECTING: when to reopen */
	long long last_byte; /* CONNECTING/ONLINE: the liveness clock */
	bool need_reset;     /* a new request: reset the parser first */
	unsigned long long malformed;
	unsigned generation; /* bumped on every open and close */
};

/* The owner's clock, now. */
static long long
now(const struct events *ev)
{
	return ev->cfg.now_ms(ev->cfg.clock_ud);
}

struct events *
events_new(const struct events_config *cfg)
{
	struct events *ev = xcalloc(1, sizeof *ev);

	ev->cfg = *cfg;
	if (ev->cfg.now_ms == NULL)
		ev->cfg.now_ms = clock_mono_ms;
	if (ev->cfg.random == NULL)
		ev->cfg.random = clock_random;
	if (ev->cfg.dead_ms <= 0)
		ev->cfg.dead_ms = EVENTS_DEAD_MS;
	if (ev->cfg.base_ms <= 0)
		ev->cfg.base_ms = EVENTS_BASE_MS;
	if (ev->cfg.max_ms <= 0)
		ev->cfg.max_ms = EVENTS_MAX_MS;
	ev->initial_id = xstrdup(cfg->last_id != NULL ? cfg->last_id : "");
	ev->cfg.last_id = NULL;
	ev->parser = sse_parser_new();
	ev->state = EVENTS_OFFLINE;
	return ev;
}

/* Stops the transport's request, if any. */
static void
close_handle(struct events *ev)
{
	if (ev->handle != NULL)
		ev->cfg.transport->close(ev->cfg.transport_ud, ev->handle);
	ev->handle = NULL;
	ev->generation++;
}

void
events_free(struct events *ev)
{
	if (ev == NULL)
		return;
	close_handle(ev);
	sse_parser_free(ev->parser);
	free(ev->initial_id);
	free(ev);
}

/* Moves to state st and tells the owner. */
static void
set_state(struct events *ev, enum events_state st, const struct sc_error *err)
{
	struct events_status s = {
		.state = st,
		.retry_at_ms = st == EVENTS_RECONNECTING ? ev->retry_at : 0,
		.failures = ev->failures,
		.err = err,
	};

	ev->state = st;
	if (ev->cfg.on_state != NULL)
		ev->cfg.on_state(&s, ev->cfg.ud);
}

const char *
events_last_id(const struct events *ev)
{
	const char *id = sse_parser_last_id(ev->parser);

	return id[0] != '\0' ? id : ev->initial_id;
}

long long
events_backoff_ms(int failures, long long base_ms, long long max_ms,
                  uint32_t rnd)
{
	long long d = base_ms;
	int i;

	for (i = 1; i < failures && d < max_ms; i++)
		d *= 2;
	if (d > max_ms)
		d = max_ms;
	/* [d/2, d]: spread so that many clients do not come back at once. */
	return d / 2 + (long long)((double)(d - d / 2) * (rnd / 4294967295.0));
}

bool
events_error_is_final(const struct sc_error *err)
{
	switch (err->kind) {
	case SC_ERR_NOT_SIGNED_IN:
	case SC_ERR_SESSION_EXPIRED:
	case SC_ERR_INVALID_CREDENTIALS:
	case SC_ERR_FORBIDDEN:
	case SC_ERR_NOT_ASSIGNED:
		return true;
	default:
		return err->http_status == 401 || err->http_status == 403;
	}
}

/* The base of the backoff: the server's retry: when it sent one. */
static long long
backoff_base(const struct events *ev)
{
	long long r = sse_parser_retry_ms(ev->parser);

	if (r < 0)
		return ev->cfg.base_ms;
	return r < EVENTS_MIN_MS ? EVENTS_MIN_MS : r;
}

static void open_stream(struct events *ev);

/* Drops the current request and waits before reopening. */
static void
schedule_reopen(struct events *ev, const struct sc_error *why)
{
	long long wait;

	close_handle(ev);
	ev->failures++;
	wait = events_backoff_ms(ev->failures, backoff_base(ev), ev->cfg.max_ms,
	                         ev->cfg.random(ev->cfg.clock_ud));
	if (why != NULL && why->kind == SC_ERR_RATE_LIMITED &&
	    why->retry_after * 1000LL > wait)
		wait = why->retry_after * 1000LL;
	ev->retry_at = now(ev) + wait;
	set_state(ev, EVENTS_RECONNECTING, why);
}

/* Sends the request, with Last-Event-ID when an id is known. */
static void
open_stream(struct events *ev)
{
	const char *headers[2] = { NULL, NULL };
	const char *id = events_last_id(ev);
	struct sc_error err = { 0 };
	char *line = NULL;

	close_handle(ev);
	/* Not reset here: this may run from inside sse_feed's callback. */
	ev->need_reset = true;
	if (id[0] != '\0') {
		line = xasprintf("Last-Event-ID: %s", id);
		headers[0] = line;
	}
	ev->last_byte = now(ev);
	ev->state = EVENTS_CONNECTING;
	ev->handle =
	    ev->cfg.transport->open(ev->cfg.transport_ud, headers, ev, &err);
	free(line);
	if (ev->handle == NULL) {
		if (err.kind == SC_OK)
			sc_error_set(&err, SC_ERR_NETWORK,
			             "the event stream could not be opened");
		schedule_reopen(ev, &err);
		sc_error_clear(&err);
		return;
	}
	set_state(ev, EVENTS_CONNECTING, NULL);
}

void
events_start(struct events *ev)
{
	ev->failures = 0;
	open_stream(ev);
}

void
events_stop(struct events *ev)
{
	close_handle(ev);
	if (ev->state != EVENTS_OFFLINE)
		set_state(ev, EVENTS_OFFLINE, NULL);
}

enum events_state
events_state(const struct events *ev)
{
	return ev->state;
}

unsigned long long
events_malformed(const struct events *ev)
{
	return ev->malformed;
}

int
events_timeout_ms(const struct events *ev)
{
	long long due, left;

	switch (ev->state) {
	case EVENTS_RECONNECTING:
		due = ev->retry_at;
		break;
	case EVENTS_CONNECTING:
	case EVENTS_ONLINE:
		due = ev->last_byte + ev->cfg.dead_ms;
		break;
	default:
		return -1;
	}
	left = due - now(ev);
	if (left < 0)
		return 0;
	return left > 0x7fffffff ? 0x7fffffff : (int)left;
}

void
events_tick(struct events *ev)
{
	struct sc_error err = { 0 };
	long long t = now(ev);

	if (ev->state == EVENTS_RECONNECTING && t >= ev->retry_at) {
		open_stream(ev);
		return;
	}
	if ((ev->state == EVENTS_CONNECTING || ev->state == EVENTS_ONLINE) &&
	    t - ev->last_byte >= ev->cfg.dead_ms) {
		sc_error_set(&err, SC_ERR_NETWORK,
		             "no data from the service for %lld s: the "
		             "connection is dead",
		             ev->cfg.dead_ms / 1000);
		schedule_reopen(ev, &err);
		sc_error_clear(&err);
	}
}

static int
source_timeout(void *ev)
{
	return events_timeout_ms(ev);
}

static void
source_dispatch(void *ev, const struct pollfd *fds, int n)
{
	events_tick(ev);
}

struct loop_source
events_source(struct events *ev)
{
	return (struct loop_source){ loop_no_fds, source_timeout,
		                     source_dispatch, ev };
}

void
events_stream_open(struct events *ev, int status)
{
	if (ev->state != EVENTS_CONNECTING)
		return;
	ev->last_byte = now(ev);
	ev->failures = 0;
	set_state(ev, EVENTS_ONLINE, NULL);
	(void)status;
}

/* Hands one parsed SSE event to the owner; non-zero stops the feed. */
static int
on_sse_event(const struct sse_event *se, void *ud)
{
	struct events *ev = ud;
	struct event_payload payload = { 0 };
	struct sc_error err = { 0 };
	struct events_event e;
	unsigned gen = ev->generation;
	int rc;

	if (strlen(se->type) != se->type_len)
		return 0; /* a type with a NUL byte: not one of ours */
	rc = event_payload_parse(se->type, se->data, se->data_len, &payload,
	                         &err);
	if (rc != 0 && rc != EVENT_IGNORED) {
		ev->malformed++;
		if (ev->cfg.on_malformed != NULL)
			ev->cfg.on_malformed(se->type, &err, ev->cfg.ud);
	}
	sc_error_clear(&err);
	if (rc != 0)
		return 0;
	e = (struct events_event){
		.id = se->id,
		.type = se->type,
		.payload = &payload,
		.data = se->data,
		.data_len = se->data_len,
	};
	ev->cfg.on_event(&e, ev->cfg.ud);
	event_payload_free(&payload);
	return gen != ev->generation; /* stopped or reopened: this stream
	                                  is over */
}

void
events_stream_data(struct events *ev, const char *buf, size_t len)
{
	struct sc_error err = { 0 };
	unsigned gen = ev->generation;

	if (ev->state != EVENTS_CONNECTING && ev->state != EVENTS_ONLINE)
		return;
	ev->last_byte = now(ev);
	if (ev->state == EVENTS_CONNECTING) {
		events_stream_open(ev, 200);
		if (gen != ev->generation)
			return; /* the state callback stopped the stream */
	}
	if (ev->need_reset) {
		sse_parser_reset(ev->parser);
		ev->need_reset = false;
	}
	if (sse_feed(ev->parser, buf, len, on_sse_event, ev, &err) ==
	        SSE_ERROR &&
	    gen == ev->generation)
		schedule_reopen(ev, &err);
	sc_error_clear(&err);
}

void
events_stream_end(struct events *ev, const struct sc_error *err)
{
	struct sc_error end = { 0 };

	ev->handle = NULL;
	ev->generation++;
	if (ev->state != EVENTS_CONNECTING && ev->state != EVENTS_ONLINE)
		return;
	if (err != NULL && err->kind != SC_OK && events_error_is_final(err)) {
		set_state(ev, EVENTS_OFFLINE, err);
		return;
	}
	if (err == NULL || err->kind == SC_OK) {
		sc_error_set(&end, SC_ERR_NETWORK,
		             "the service closed the event stream");
		err = &end;
	}
	schedule_reopen(ev, err);
	sc_error_clear(&end);
}

/* ---- the transport over net/client/api.h
 * ---------------------------------------
 */

/* One GET /events in flight through the api; the callbacks' ud. */
struct api_stream {
	struct api *a;
	struct api_req *req;
	struct events *ev;
};

/* The stream's 2xx headers came. */
static void
api_on_open(const struct http_response *resp, void *ud)
{
	struct api_stream *s = ud;

	events_stream_open(s->ev, resp->status);
}

/* Stream bytes came. */
static void
api_on_data(const char *data, size_t len, void *ud)
{
	struct api_stream *s = ud;

	events_stream_data(s->ev, data, len);
}

/* The stream's request ended (never after api_close). */
static void
api_on_done(struct http_response *resp, const struct sc_error *err, void *ud)
{
	struct api_stream *s = ud;
	struct events *ev = s->ev;

	(void)resp;
	free(s);
	events_stream_end(ev, err);
}

/* Opens GET /events through the api (ud). */
static void *
api_open(void *ud, const char *const *headers, struct events *ev,
         struct sc_error *err)
{
	struct api_stream *s = xcalloc(1, sizeof *s);
	const char *lines[8] = { "Accept: text/event-stream",
		                 "Cache-Control: no-cache" };
	struct api_opts opts = { 0 };
	size_t n = 2, i;

	(void)err;
	for (i = 0; headers != NULL && headers[i] != NULL && n + 1 < 8; i++)
		lines[n++] = headers[i];
	opts.headers = lines;
	opts.flags = HTTP_STREAM;
	opts.on_open = api_on_open;
	opts.on_data = api_on_data;
	s->a = ud;
	s->ev = ev;
	s->req = api_send(s->a, "GET", "/events", NULL, &opts, api_on_done, s);
	return s;
}

/* Stops the request: none of its callbacks runs afterwards. */
static void
api_close(void *ud, void *handle)
{
	struct api_stream *s = handle;

	api_cancel(s->a, s->req);
	free(s);
}

const struct events_transport *
events_api_transport(void)
{
	static const struct events_transport t = {
		.open = api_open,
		.close = api_close,
	};

	return &t;
}
