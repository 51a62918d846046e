/* The live event stream: GET /events, kept open, resumed, never doubled. */
#ifndef SITECARE_NET_EVENTS_H
#define SITECARE_NET_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/base/error.h"
#include "net/base/loop.h"
#include "net/client/model.h"

/*
 * One struct events keeps one Server-Sent Events stream open for its
 * owner. Bytes go through the SSE parser (net/client/sse.h); each event's data
 * is parsed with event_payload_parse and handed over typed. Unknown
 * event types are skipped; `resync` is delivered as EVENT_RESYNC so the
 * owner refetches everything it shows.
 *
 * The stream is reopened after an error, an end of stream, or a dead
 * connection (no byte at all, data or ": ping", for dead_ms = 45 s),
 * after a wait that grows exponentially from the server's `retry:` (or
 * base_ms) with jitter. Every reopening sends Last-Event-ID: the id of
 * the last event delivered, so the server resumes right after it:
 * nothing is missed or delivered twice. A first start without an id
 * sends none and receives only new events. A 401 (session expired or
 * never signed in) or a 403 stops it in state EVENTS_OFFLINE with the
 * error: the owner calls events_start again after signing in.
 *
 * Nothing here blocks, owns a socket or reads a clock by itself. The
 * owner's loop calls events_timeout_ms / events_tick next to the
 * transport's poll trio. The transport and the clock are injected, so
 * the state machine is tested without a network (tests/unit/net/).
 *
 * Callbacks (events, state changes) run from inside events_tick or the
 * events_stream_* functions; they may call events_stop and
 * events_start, never events_free.
 */
struct events;

/* The connection as the status line shows it. */
enum events_state {
	EVENTS_OFFLINE,      /* stopped: not started, events_stop, 401/403 */
	EVENTS_CONNECTING,   /* the request is out, no answer yet */
	EVENTS_ONLINE,       /* a 2xx answer: events flow */
	EVENTS_RECONNECTING, /* waiting until retry_at_ms to reopen */
};

/* A state change. err is NULL or why (valid during the callback only). */
struct events_status {
	enum events_state state;
	long long retry_at_ms; /* RECONNECTING: when, on the config's clock */
	int failures;          /* reopenings since the last 2xx answer */
	const struct sc_error *err;
};

/*
 * One delivered event. payload->type is the kind (EVENT_RESYNC
 * included). Everything is valid during the callback only; the callback
 * may take the payload's contents (copy the struct, then zero it),
 * which are otherwise freed with event_payload_free.
 */
struct events_event {
	const char *id;   /* the SSE id, "" when none */
	const char *type; /* the SSE event type, e.g. "message.created" */
	struct event_payload *payload;
	const char *data; /* the raw data (JSON), data_len bytes */
	size_t data_len;
};

typedef void (*events_event_cb)(const struct events_event *e, void *ud);
typedef void (*events_state_cb)(const struct events_status *st, void *ud);
/* An event of a known type whose data did not parse: it is skipped. */
typedef void (*events_malformed_cb)(const char *type,
                                    const struct sc_error *err, void *ud);

/*
 * How the stream is opened. open starts GET /events with Accept:
 * text/event-stream and the extra "Name: value" header lines given
 * (NULL-terminated; Last-Event-ID when resuming) as a streaming request,
 * and reports back through events_stream_open / _data / _end on ev.
 * It returns a handle for close, or NULL when it could not even start
 * (then it calls nothing; err says why). close stops the request: no
 * events_stream_* call follows for it.
 */
struct events_transport {
	void *(*open)(void *ud, const char *const *headers, struct events *ev,
	              struct sc_error *err);
	void (*close)(void *ud, void *handle);
};

/* Defaults used when a member of struct events_config is 0. */
#define EVENTS_DEAD_MS 45000LL
#define EVENTS_BASE_MS 1000LL
#define EVENTS_MAX_MS  60000LL
#define EVENTS_MIN_MS  250LL /* floor for a server's retry: */

struct events_config {
	const struct events_transport *transport;
	void *transport_ud;
	events_event_cb on_event;
	events_state_cb on_state;         /* optional */
	events_malformed_cb on_malformed; /* optional */
	void *ud;                         /* for the callbacks */
	/* The clock, in milliseconds (monotonic); NULL: CLOCK_MONOTONIC. */
	long long (*now_ms)(void *clock_ud);
	void *clock_ud;
	/* Jitter source; NULL: libsodium's randombytes_random. */
	uint32_t (*random)(void *clock_ud);
	const char *last_id; /* resume after this id (--since); NULL: none */
	long long dead_ms;   /* silence that counts as a dead connection */
	long long base_ms;   /* first wait, unless the server sent retry: */
	long long max_ms;    /* the longest wait */
};

/* A stopped stream (EVENTS_OFFLINE) for cfg (copied). */
struct events *events_new(const struct events_config *cfg);
/* Closes the stream without calling back, then frees. */
void events_free(struct events *ev);

/* Opens the stream now (from any state; a wait is cut short). */
void events_start(struct events *ev);
/* Closes the stream: EVENTS_OFFLINE, the last id kept. */
void events_stop(struct events *ev);

enum events_state events_state(const struct events *ev);
/* The id Last-Event-ID will carry, "" when none yet. */
const char *events_last_id(const struct events *ev);
/* Events whose data did not parse (skipped, their id still counted). */
unsigned long long events_malformed(const struct events *ev);

/* Milliseconds until events_tick is due; -1 when nothing waits. */
int events_timeout_ms(const struct events *ev);
/* Acts on due timers: reopens after a wait, drops a dead connection. */
void events_tick(struct events *ev);
/* The two above as a loop source (timers only; its sockets are the
 * transport's), for the caller to loop_add_source. */
struct loop_source events_source(struct events *ev);

/* ---- the transport reports back -------------------------------------- */

/* A 2xx answer's headers arrived: the stream is online. */
void events_stream_open(struct events *ev, int status);
/* Body bytes, as they arrive. */
void events_stream_data(struct events *ev, const char *buf, size_t len);
/*
 * The request ended: err SC_OK when the server closed a 2xx stream,
 * otherwise why (its http_status set when an answer came). The handle is
 * gone.
 */
void events_stream_end(struct events *ev, const struct sc_error *err);

/* ---- pure helpers, exposed for tests ---------------------------------- */

/*
 * The wait before reopening after `failures` (>= 1) consecutive failed
 * or ended streams: base_ms doubled per failure, capped at max_ms, then
 * spread into [50%, 100%] of that by rnd.
 */
long long events_backoff_ms(int failures, long long base_ms, long long max_ms,
                            uint32_t rnd);

/* True when an answer with this error means "stop, do not reopen". */
bool events_error_is_final(const struct sc_error *err);

/* ---- the real transport ----------------------------------------------- */

struct api;

/*
 * The transport over net/client/api.h: open is api_send(GET /events) with the
 * session's cookies; its transport_ud is the struct api.
 */
const struct events_transport *events_api_transport(void);

#endif
