/* Server-Sent Events: the WHATWG "event stream interpretation", in pieces. */
#ifndef SITECARE_NET_SSE_H
#define SITECARE_NET_SSE_H

#include <stddef.h>

#include "net/base/error.h"

/* The default bound on one line and on one event's data, in bytes. */
#define SSE_DEFAULT_LIMIT ((size_t)4 * 1024 * 1024)

/*
 * One dispatched event. The strings belong to the parser and are valid
 * only during the callback. All text is valid UTF-8: invalid input bytes
 * were replaced by U+FFFD as the spec's UTF-8 decode does.
 */
struct sse_event {
	const char *id;   /* the last event ID buffer; "" when none */
	const char *type; /* the event field, or "message" when none/empty */
	size_t type_len;  /* type may hold NUL bytes too (never empty) */
	const char *data; /* data lines joined with \n, final \n removed */
	size_t data_len;  /* data may hold NUL bytes; NUL-terminated anyway */
};

/*
 * Called once per dispatched event. Returning non-zero stops parsing
 * right after the line end that dispatched this event: sse_feed then
 * returns SSE_STOPPED and leaves the rest of its buffer unparsed (see
 * sse_parser_unparsed), with the parser still consistent.
 */
typedef int (*sse_event_cb)(const struct sse_event *ev, void *ud);

enum sse_status {
	SSE_ERROR = -1,  /* a bound was exceeded; err says which */
	SSE_OK = 0,      /* the whole buffer was consumed */
	SSE_STOPPED = 1, /* the callback asked to stop */
};

struct sse_parser;

/* A parser for one EventSource, at the start of a stream. */
struct sse_parser *sse_parser_new(void);
void sse_parser_free(struct sse_parser *p);

/*
 * Bounds both one line and one event's data buffer to max bytes (after
 * UTF-8 repair), default SSE_DEFAULT_LIMIT. A smaller value takes effect
 * from the next byte fed.
 */
void sse_parser_set_limit(struct sse_parser *p, size_t max);

/*
 * Parses len more bytes of the stream; any split of the stream into
 * calls gives the same events. Returns SSE_OK, SSE_STOPPED, or SSE_ERROR
 * with err set (kind SC_ERR_TOO_LARGE; err may be NULL). After an error
 * the stream is unusable and every later sse_feed fails until
 * sse_parser_reset: drop the connection and reconnect.
 */
int sse_feed(struct sse_parser *p, const char *buf, size_t len, sse_event_cb cb,
             void *ud, struct sc_error *err);

/*
 * After sse_feed returned SSE_STOPPED, how many bytes at the end of its
 * buffer were not parsed; feeding them later resumes the stream exactly.
 * 0 after any other result.
 */
size_t sse_parser_unparsed(const struct sse_parser *p);

/*
 * Starts a new stream (a reconnection): forgets the partial line, the
 * pending event, the BOM and UTF-8 state and any error, and keeps the
 * last event ID string and the reconnection time, as EventSource does.
 */
void sse_parser_reset(struct sse_parser *p);

/*
 * The last event ID string, to send as Last-Event-ID on reconnection:
 * the id field's value as of the last blank line. "" when none.
 */
const char *sse_parser_last_id(const struct sse_parser *p);

/* The reconnection time the server last set with retry:, or -1. */
long long sse_parser_retry_ms(const struct sse_parser *p);

/* Comment lines (": ping") seen since the parser was made: liveness. */
unsigned long long sse_parser_comments(const struct sse_parser *p);

/* Bytes fed and parsed since the parser was made: liveness too. */
unsigned long long sse_parser_bytes_seen(const struct sse_parser *p);

#endif
