/* HTTPS transport: libcurl's multi interface, driven by the caller's loop. */
#ifndef SITECARE_NET_HTTP_H
#define SITECARE_NET_HTTP_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/base/error.h"

/*
 * One struct http is one libcurl multi handle (one connection pool, one
 * cookie engine shared by every request) bound to one service. It never
 * blocks and starts no thread: the caller's event loop asks it which
 * descriptors to poll (http_pollfds) and for how long (http_timeout_ms),
 * polls, and hands the result back (http_dispatch), which moves the
 * transfers on and runs completion callbacks.
 *
 * Callbacks run only from inside http_dispatch (data and open callbacks
 * of streams from inside libcurl, done callbacks outside it). A callback
 * may send and cancel requests; it must not call http_free.
 */
struct http;
struct http_request;

/* Defaults used when a member of struct http_config is 0. */
#define HTTP_CONNECT_TIMEOUT_MS 10000L
#define HTTP_STALL_SECONDS      30L
#define HTTP_MAX_BODY           ((size_t)32 * 1024 * 1024)
#define HTTP_MAX_ATTEMPTS       4
#define HTTP_RETRY_BUDGET_MS    30000L
#define HTTP_BACKOFF_BASE_MS    250L
/* The longest Retry-After believed, in seconds (about 11 days). */
#define HTTP_RETRY_AFTER_MAX_S 1000000L
#define HTTP_BACKOFF_MAX_MS    8000L

/* The API lives under this path of the service's URL. */
#define HTTP_API_PREFIX "/api/v1"

struct http_config {
	const char *base_url; /* https://host[:port][/prefix]; checked */
	const char *ca_file;  /* NULL: the system's CA store */
	const char *pin;      /* "sha256//BASE64[;sha256//...]" or NULL */
	long connect_timeout_ms;
	long stall_seconds; /* below 1 byte/s this long: the request fails */
	size_t max_body;    /* a larger response is cut off: SC_ERR_TOO_LARGE */
	int max_attempts;   /* including the first */
	long retry_budget_ms; /* no retry starts later than this after the
	                         first attempt */
};

/* Request flags. */
enum {
	/* A POST or PATCH that the server deduplicates (client_msg_id,
	 * If-Match): it may be retried like an idempotent request. */
	HTTP_RETRY_SAFE = 1u << 0,
	/* Never retry, whatever the method. */
	HTTP_NO_RETRY = 1u << 1,
	/* Deliver a 2xx body through the data callback as it arrives,
	 * without a stall timeout and without retries (Server-Sent Events:
	 * the caller watches liveness and reconnects). */
	HTTP_STREAM = 1u << 2,
};

/*
 * A finished response. body is NUL-terminated (len excludes the NUL) and
 * NULL when there was none or the request streamed. The headers are the
 * last values seen, or NULL. The done callback may take body (set it to
 * NULL and free() it later); everything else is freed after the callback.
 */
struct http_response {
	int status; /* 0 when no HTTP answer came */
	char *body;
	size_t len;
	char *etag;
	long retry_after; /* seconds, Retry-After; -1 when absent/unreadable */
	char *content_type;
	char *content_disposition;
	long long content_length; /* -1 when not sent */
	int attempts;             /* how many attempts were made */
};

/*
 * Called once when a request ends, unless it was cancelled. err is SC_OK
 * on 2xx and 304; otherwise it says what went wrong (a non-2xx answer is
 * mapped with sc_error_from_http). The request handle is gone afterwards.
 */
typedef void (*http_done_cb)(struct http_response *resp,
                             const struct sc_error *err, void *ud);
/* Streams: the headers of a 2xx answer arrived (resp has no body). */
typedef void (*http_open_cb)(const struct http_response *resp, void *ud);
/* Streams: body bytes as they arrive; nothing is kept. */
typedef void (*http_data_cb)(const char *data, size_t len, void *ud);

/* Makes a transport for cfg; NULL with err set (bad URL, curl failure). */
struct http *http_new(const struct http_config *cfg, struct sc_error *err);

/* Cancels every request without calling back, then frees everything. */
void http_free(struct http *h);

/* The service's URL as checked and normalised (no trailing slash). */
const char *http_base_url(const struct http *h);
/* "https://host[:port]/": what Django wants in Referer. */
const char *http_origin(const struct http *h);

/* ---- driving it from an event loop ---------------------------------- */

/* Fills up to max pollfds with libcurl's sockets; returns how many. */
int http_pollfds(struct http *h, struct pollfd *fds, int max);
/* Milliseconds until http_dispatch is due anyway; -1 when nothing waits. */
int http_timeout_ms(struct http *h);
/* Acts on ready descriptors among fds and on due timers; runs callbacks. */
void http_dispatch(struct http *h, const struct pollfd *fds, int n);
/* Requests not yet finished (in flight or waiting to retry). */
size_t http_pending(const struct http *h);

/* ---- requests --------------------------------------------------------- */

/*
 * A request for method (GET, HEAD, POST, PUT, PATCH, DELETE) on path,
 * which is joined to the base URL + HTTP_API_PREFIX ("/me",
 * "/tasks?limit=5"). Nothing is sent until http_request_send.
 */
struct http_request *http_request_new(struct http *h, const char *method,
                                      const char *path);
/* Adds "Name: value"; both are copied. A later one does not replace. */
void http_request_header(struct http_request *r, const char *name,
                         const char *value);
/* A JSON body, copied; sets Content-Type: application/json. */
void http_request_body(struct http_request *r, const char *json);
/*
 * A JSON body the request takes over: release(data, len) is called when
 * the request is done with it (sodium_free for a body holding a password).
 */
void http_request_body_take(struct http_request *r, char *data, size_t len,
                            void (*release)(char *data, size_t len));
void http_request_flags(struct http_request *r, unsigned flags);
/* Streaming callbacks (implies HTTP_STREAM). */
void http_request_stream(struct http_request *r, http_open_cb on_open,
                         http_data_cb on_data);
/*
 * Queues the request; it starts on the next http_dispatch (the timeout
 * drops to 0). Returns r, valid until its done callback has run or it is
 * cancelled.
 */
struct http_request *http_request_send(struct http_request *r, http_done_cb cb,
                                       void *ud);
/* Stops r (sent or not) and frees it; its callbacks are never called. */
void http_cancel(struct http *h, struct http_request *r);

/* ---- the cookie engine (shared by every request) ---------------------- */

/* Adds cookies from Netscape cookie-file text (as http_cookies_export). */
void http_cookies_import(struct http *h, const char *text);
/* Every cookie as Netscape cookie-file text; malloc'd, never NULL. */
char *http_cookies_export(struct http *h);
/* The value of the cookie name for this service, malloc'd, or NULL. */
char *http_cookie_value(struct http *h, const char *name);
/* Forgets every cookie. */
void http_cookies_clear(struct http *h);

/* A percent-encoded copy of s for a query string; the caller frees. */
char *http_escape(const char *s);

/* ---- pure helpers, exposed for tests ---------------------------------- */

/*
 * Checks a service URL: https only, a host, no query, fragment or user
 * name. On success returns 0 and malloc'd normalised forms: *base without
 * a trailing slash (a trailing HTTP_API_PREFIX is dropped too) and
 * *origin "https://host[:port]/". Either out pointer may be NULL.
 */
int http_url_check(const char *url, char **base, char **origin,
                   struct sc_error *err);

/* True for the methods that may be repeated safely. */
bool http_method_idempotent(const char *method);

/*
 * Whether a finished attempt may be tried again: status is the HTTP
 * status (0 for none), curl_code libcurl's result (0 for none).
 */
bool http_should_retry(const char *method, unsigned flags, int status,
                       int curl_code);

/*
 * The wait before attempt number `attempt` (2 for the first retry):
 * exponential from HTTP_BACKOFF_BASE_MS, capped at HTTP_BACKOFF_MAX_MS,
 * with jitter in [50%, 100%] taken from rnd (any 32-bit value). A
 * Retry-After of retry_after_s >= 0 seconds wins over the computed wait.
 */
long http_backoff_ms(int attempt, long retry_after_s, uint32_t rnd);

/* Maps a libcurl result code to the client's error, in plain words. */
void http_error_from_curl(struct sc_error *e, int curl_code,
                          const char *detail);

#endif
