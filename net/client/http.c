/* HTTPS transport over libcurl's multi interface: no threads, no blocking. */
#include "net/client/http.h"
#include "net/base/trace.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <sodium.h>

#include "net/base/xmalloc.h"

/* How long a request may have the shared connection to itself before the
 * next one is given a connection of its own, and how many at most. */
#define HTTP_TURN_MS      500
#define HTTP_MAX_PARALLEL 6

/* One socket libcurl asked us to watch, and for what. */
struct http_sock {
	curl_socket_t fd;
	short events;
};

/*
 * The transport. Every live request is on one doubly linked list, in one
 * of three states: queued or waiting to retry (easy == NULL, start_at is
 * when to start it), or running (easy != NULL, inside the multi handle).
 * libcurl tells us through two callbacks which sockets it wants (socks)
 * and when it wants to be called back anyway (curl_deadline); retry
 * timers are the requests' start_at. in_curl counts how deep we are
 * inside libcurl, where a handle must not be removed: a cancel there only
 * marks the request, and dispatch sweeps it up afterwards.
 */
struct http {
	struct http_config cfg;
	char *base;
	char *origin;
	char *ca_file;
	char *pin;
	CURLM *multi;
	CURLSH *share;
	CURL *cookie_easy; /* never performed: the cookie engine's handle */
	struct http_sock *socks;
	size_t nsocks;
	size_t capsocks;
	long long curl_deadline; /* monotonic ms, -1: none */
	struct http_request *head;
	size_t pending;
	int in_curl;
	bool multiplexed; /* the server speaks HTTP/2: no turns needed */
};

/* One request across all of its attempts. */
struct http_request {
	struct http *h;
	struct http_request *prev;
	struct http_request *next;
	char *method;
	char *url;
	struct curl_slist *headers;
	char *body;
	size_t body_len;
	void (*release)(char *data, size_t len);
	unsigned flags;
	http_done_cb done;
	http_open_cb on_open;
	http_data_cb on_data;
	void *ud;
	CURL *easy;
	bool sent;
	bool cancelled;
	bool too_large;
	bool opened;
	bool finishing; /* its done callback is running */
	int attempts;
	long long first_at;
	long long start_at;
	long long began; /* when the running attempt started */
	size_t cap;
	struct http_response resp;
	char errbuf[CURL_ERROR_SIZE];
};

/* Monotonic milliseconds. */
static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- pure helpers ------------------------------------------------------ */

/* True when s starts with prefix, ignoring ASCII case. */
static bool
has_prefix_ci(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* Reads one part of a parsed URL; NULL when absent. */
static char *
url_part(CURLU *u, CURLUPart part)
{
	char *v = NULL;
	char *out;

	if (curl_url_get(u, part, &v, 0) != CURLUE_OK || v == NULL)
		return NULL;
	out = xstrdup(v);
	curl_free(v);
	return out;
}

/* The scheme test, before any parsing: the message names the problem. */
static int
url_check_scheme(const char *url, struct sc_error *err)
{
	if (url == NULL || url[0] == '\0') {
		sc_error_set(err, SC_ERR_LOCAL, "no service URL given");
		return -1;
	}
	if (has_prefix_ci(url, "http://")) {
		sc_error_set(err, SC_ERR_LOCAL,
		             "refusing %s: sitecare talks to the service over "
		             "HTTPS only; use https://",
		             url);
		return -1;
	}
	if (strstr(url, "://") == NULL) {
		sc_error_set(err, SC_ERR_LOCAL,
		             "%s is not a URL: it must start with https://",
		             url);
		return -1;
	}
	if (!has_prefix_ci(url, "https://")) {
		sc_error_set(err, SC_ERR_LOCAL,
		             "refusing %s: only https:// URLs are supported",
		             url);
		return -1;
	}
	return 0;
}

/* Drops trailing slashes and a trailing API prefix from a URL path. */
static void
trim_path(char *path)
{
	size_t n = strlen(path);
	size_t p = strlen(HTTP_API_PREFIX);

	while (n > 0 && path[n - 1] == '/')
		path[--n] = '\0';
	if (n >= p && strcmp(path + n - p, HTTP_API_PREFIX) == 0)
		path[n - p] = '\0';
	n = strlen(path);
	while (n > 0 && path[n - 1] == '/')
		path[--n] = '\0';
}

/* Splits a parsed https URL into base and origin; -1 on extra parts. */
static int
url_split(CURLU *u, const char *url, char **base, char **origin,
          struct sc_error *err)
{
	char *host = url_part(u, CURLUPART_HOST);
	char *port = url_part(u, CURLUPART_PORT);
	char *path = url_part(u, CURLUPART_PATH);
	char *query = url_part(u, CURLUPART_QUERY);
	char *frag = url_part(u, CURLUPART_FRAGMENT);
	char *user = url_part(u, CURLUPART_USER);
	char *hostport;
	int rc = -1;

	if (host == NULL || host[0] == '\0')
		sc_error_set(err, SC_ERR_LOCAL, "%s has no host name", url);
	else if (query != NULL || frag != NULL || user != NULL)
		sc_error_set(err, SC_ERR_LOCAL,
		             "%s: give only https://host[:port][/path]", url);
	else {
		hostport = port != NULL ? xasprintf("%s:%s", host, port)
		                        : xstrdup(host);
		if (path == NULL)
			path = xstrdup("");
		trim_path(path);
		if (base != NULL)
			*base = xasprintf("https://%s%s", hostport, path);
		if (origin != NULL)
			*origin = xasprintf("https://%s/", hostport);
		free(hostport);
		rc = 0;
	}
	free(host);
	free(port);
	free(path);
	free(query);
	free(frag);
	free(user);
	return rc;
}

int
http_url_check(const char *url, char **base, char **origin,
               struct sc_error *err)
{
	CURLU *u;
	int rc;

	if (url_check_scheme(url, err) != 0)
		return -1;
	u = curl_url();
	if (u == NULL) {
		sc_error_set(err, SC_ERR_LOCAL, "out of memory");
		return -1;
	}
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
		sc_error_set(err, SC_ERR_LOCAL, "%s is not a valid URL", url);
		curl_url_cleanup(u);
		return -1;
	}
	rc = url_split(u, url, base, origin, err);
	curl_url_cleanup(u);
	return rc;
}

bool
http_method_idempotent(const char *method)
{
	static const char *const idem[] = { "GET", "HEAD", "PUT", "DELETE",
		                            "OPTIONS" };
	size_t i;

	for (i = 0; i < sizeof idem / sizeof idem[0]; i++)
		if (strcmp(method, idem[i]) == 0)
			return true;
	return false;
}

/* libcurl results after which the request surely never reached the app. */
static bool
curl_never_sent(int code)
{
	return code == CURLE_COULDNT_RESOLVE_HOST ||
	       code == CURLE_COULDNT_CONNECT;
}

/* libcurl results that mean the connection went away midway. */
static bool
curl_lost(int code)
{
	switch (code) {
	case CURLE_GOT_NOTHING:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

/* libcurl results that a later attempt may not repeat. */
static bool
curl_transient(int code)
{
	return curl_never_sent(code) || curl_lost(code) ||
	       code == CURLE_OPERATION_TIMEDOUT ||
	       code == CURLE_SSL_CONNECT_ERROR;
}

bool
http_should_retry(const char *method, unsigned flags, int status, int curl_code)
{
	bool safe =
	    http_method_idempotent(method) || (flags & HTTP_RETRY_SAFE) != 0;

	if (flags & (HTTP_NO_RETRY | HTTP_STREAM))
		return false;
	if (curl_code != 0)
		return curl_transient(curl_code) &&
		       (safe || curl_never_sent(curl_code));
	if (status == 429 || status == 502 || status == 503 || status == 504)
		return safe;
	return false;
}

long
http_backoff_ms(int attempt, long retry_after_s, uint32_t rnd)
{
	long d = HTTP_BACKOFF_BASE_MS;
	int i;

	if (retry_after_s >= 0)
		return retry_after_s * 1000;
	for (i = 2; i < attempt && d < HTTP_BACKOFF_MAX_MS; i++)
		d *= 2;
	if (d > HTTP_BACKOFF_MAX_MS)
		d = HTTP_BACKOFF_MAX_MS;
	return d / 2 + (long)(rnd % (uint32_t)(d / 2 + 1));
}

/* TLS failures: what the staff member should check. */
static bool
tls_error(struct sc_error *e, int code, const char *detail)
{
	switch (code) {
	case CURLE_PEER_FAILED_VERIFICATION:
		sc_error_set(e, SC_ERR_TLS,
		             "the server's certificate is not trusted: %s; "
		             "check --ca-file",
		             detail);
		return true;
	case CURLE_SSL_CACERT_BADFILE:
		sc_error_set(e, SC_ERR_TLS,
		             "the CA file cannot be used: %s; check --ca-file",
		             detail);
		return true;
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
		sc_error_set(e, SC_ERR_TLS,
		             "the server's public key does not match --pin: "
		             "it may not be the real service");
		return true;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_SSL_ENGINE_NOTFOUND:
		sc_error_set(e, SC_ERR_TLS,
		             "the secure connection could not be set up: %s",
		             detail);
		return true;
	default:
		return false;
	}
}

/* Network failures: the server was not reached or went away. */
static bool
network_error(struct sc_error *e, int code, const char *detail)
{
	if (curl_lost(code)) {
		sc_error_set(e, SC_ERR_NETWORK, "the connection was lost: %s",
		             detail);
		return true;
	}
	switch (code) {
	case CURLE_COULDNT_RESOLVE_HOST:
		sc_error_set(e, SC_ERR_NETWORK, "cannot find the server: %s",
		             detail);
		return true;
	case CURLE_COULDNT_CONNECT:
		sc_error_set(e, SC_ERR_NETWORK,
		             "cannot connect to the server: %s", detail);
		return true;
	case CURLE_OPERATION_TIMEDOUT:
		/* curl's own wording ("Operation too slow. Less than 1
		 * bytes/sec...") says little to staff: say which wait ran out.
		 */
		sc_error_set(
		    e, SC_ERR_NETWORK, "%s",
		    strstr(detail, "onnect") != NULL
		        ? "the server did not accept the connection in "
		          "time"
		        : "the server stopped answering (nothing came "
		          "for too long)");
		return true;
	default:
		return false;
	}
}

void
http_error_from_curl(struct sc_error *e, int code, const char *detail)
{
	if (detail == NULL || detail[0] == '\0')
		detail = curl_easy_strerror((CURLcode)code);
	if (tls_error(e, code, detail) || network_error(e, code, detail))
		return;
	switch (code) {
	case CURLE_FILESIZE_EXCEEDED:
		sc_error_set(e, SC_ERR_TOO_LARGE,
		             "the server's answer is too large");
		break;
	case CURLE_BAD_CONTENT_ENCODING:
		sc_error_set(e, SC_ERR_MALFORMED,
		             "the server sent a badly compressed answer");
		break;
	case CURLE_URL_MALFORMAT:
	case CURLE_UNSUPPORTED_PROTOCOL:
		sc_error_set(e, SC_ERR_LOCAL, "bad request URL: %s", detail);
		break;
	case CURLE_OUT_OF_MEMORY:
	case CURLE_WRITE_ERROR:
	case CURLE_ABORTED_BY_CALLBACK:
		sc_error_set(e, SC_ERR_LOCAL, "the request was abandoned: %s",
		             detail);
		break;
	default:
		sc_error_set(e, SC_ERR_NETWORK, "network error: %s", detail);
	}
}

/* ---- sockets and timers, as libcurl asks for them ---------------------- */

/* The index of fd in h->socks, or -1. */
static int
sock_find(const struct http *h, curl_socket_t fd)
{
	size_t i;

	for (i = 0; i < h->nsocks; i++)
		if (h->socks[i].fd == fd)
			return (int)i;
	return -1;
}

/* CURLMOPT_SOCKETFUNCTION: keeps h->socks in step with libcurl. */
static int
on_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *sockp)
{
	struct http *h = userp;
	int i = sock_find(h, fd);

	if (what == CURL_POLL_REMOVE) {
		if (i >= 0)
			h->socks[i] = h->socks[--h->nsocks];
		return 0;
	}
	if (i < 0) {
		if (h->nsocks == h->capsocks) {
			h->capsocks = h->capsocks ? h->capsocks * 2 : 8;
			h->socks = xreallocarray(h->socks, h->capsocks,
			                         sizeof *h->socks);
		}
		i = (int)h->nsocks++;
		h->socks[i].fd = fd;
	}
	h->socks[i].events = (short)(((what & CURL_POLL_IN) ? POLLIN : 0) |
	                             ((what & CURL_POLL_OUT) ? POLLOUT : 0));
	return 0;
}

/* CURLMOPT_TIMERFUNCTION: when libcurl wants to be called anyway. */
static int
on_timer(CURLM *multi, long timeout_ms, void *userp)
{
	struct http *h = userp;

	h->curl_deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
	return 0;
}

int
http_pollfds(struct http *h, struct pollfd *fds, int max)
{
	int n = 0;
	size_t i;

	for (i = 0; i < h->nsocks && n < max; i++) {
		fds[n].fd = h->socks[i].fd;
		fds[n].events = h->socks[i].events;
		fds[n].revents = 0;
		n++;
	}
	return n;
}

/*
 * Connection reuse over HTTP/1.1, where a connection carries one answer
 * at a time. A stream (the event stream, a download) starts at once and
 * keeps a connection of its own. The other requests take turns: one at a
 * time, on the one connection libcurl keeps alive, instead of a burst
 * that opens (and pays a TLS handshake for) a connection per request. A
 * request that holds the connection longer than HTTP_TURN_MS is slow, not
 * a turn: the next one then gets a connection of its own, up to
 * HTTP_MAX_PARALLEL, so a slow answer never holds up the rest for long.
 * Over HTTP/2 everything shares one connection anyway (CURLPIPE_MULTIPLEX,
 * PIPEWAIT), so there are no turns. Returns when the next request may
 * start: now, a later time, or -1 (when a running one finishes).
 */
static long long
next_turn(const struct http *h, long long now)
{
	const struct http_request *r;
	long long last = -1;
	int running = 0;

	if (h->multiplexed)
		return now;
	for (r = h->head; r != NULL; r = r->next) {
		if (r->easy == NULL || (r->flags & HTTP_STREAM))
			continue;
		running++;
		if (now - r->began < HTTP_TURN_MS && r->began > last)
			last = r->began;
	}
	if (running >= HTTP_MAX_PARALLEL)
		return -1;
	return last < 0 ? now : last + HTTP_TURN_MS;
}

/* True when r waits to be started (now or later). */
static bool
queued(const struct http_request *r)
{
	return r->easy == NULL && r->start_at >= 0;
}

int
http_timeout_ms(struct http *h)
{
	long long now = now_ms();
	long long t = h->curl_deadline, turn = -2, at;
	struct http_request *r;

	for (r = h->head; r != NULL; r = r->next) {
		if (!queued(r))
			continue;
		at = r->start_at;
		if (!(r->flags & HTTP_STREAM)) {
			if (turn == -2)
				turn = next_turn(h, now);
			if (turn < 0)
				continue; /* a request that finishes wakes us */
			if (turn > at)
				at = turn;
		}
		if (t < 0 || at < t)
			t = at;
	}
	if (t < 0)
		return -1;
	if (t <= now)
		return 0;
	return t - now > 0x7fffffff ? 0x7fffffff : (int)(t - now);
}

size_t
http_pending(const struct http *h)
{
	return h->pending;
}

/* ---- request lifecycle ------------------------------------------------- */

/* Frees what a response holds and resets it for another attempt. */
static void
response_reset(struct http_response *resp)
{
	free(resp->body);
	free(resp->etag);
	free(resp->content_type);
	free(resp->content_disposition);
	memset(resp, 0, sizeof *resp);
	resp->content_length = -1;
	resp->retry_after = -1;
}

/* Takes r off the live list. */
static void
request_unlink(struct http_request *r)
{
	struct http *h = r->h;

	if (r->prev != NULL)
		r->prev->next = r->next;
	else if (h->head == r)
		h->head = r->next;
	if (r->next != NULL)
		r->next->prev = r->prev;
	r->prev = r->next = NULL;
	if (r->sent)
		h->pending--;
	r->sent = false;
}

/* Stops r's transfer, if any, and frees everything it owns. */
static void
request_destroy(struct http_request *r)
{
	if (r->easy != NULL) {
		curl_multi_remove_handle(r->h->multi, r->easy);
		curl_easy_cleanup(r->easy);
	}
	request_unlink(r);
	if (r->release != NULL)
		r->release(r->body, r->body_len);
	else
		free(r->body);
	curl_slist_free_all(r->headers);
	response_reset(&r->resp);
	free(r->method);
	free(r->url);
	free(r);
}

struct http_request *
http_request_new(struct http *h, const char *method, const char *path)
{
	struct http_request *r = xcalloc(1, sizeof *r);

	r->h = h;
	r->method = xstrdup(method);
	r->url = xasprintf("%s%s%s%s", h->base, HTTP_API_PREFIX,
	                   path[0] == '/' ? "" : "/", path);
	r->start_at = -1;
	r->resp.content_length = -1;
	return r;
}

void
http_request_header(struct http_request *r, const char *name, const char *value)
{
	char *line = xasprintf("%s: %s", name, value);
	struct curl_slist *l = curl_slist_append(r->headers, line);

	free(line);
	if (l == NULL)
		abort(); /* out of memory, as xmalloc would */
	r->headers = l;
}

void
http_request_body_take(struct http_request *r, char *data, size_t len,
                       void (*release)(char *data, size_t len))
{
	if (r->release != NULL)
		r->release(r->body, r->body_len);
	else
		free(r->body);
	r->body = data;
	r->body_len = len;
	r->release = release;
}

void
http_request_body(struct http_request *r, const char *json)
{
	http_request_body_take(r, xstrdup(json), strlen(json), NULL);
}

void
http_request_flags(struct http_request *r, unsigned flags)
{
	r->flags = flags;
}

void
http_request_stream(struct http_request *r, http_open_cb on_open,
                    http_data_cb on_data)
{
	r->on_open = on_open;
	r->on_data = on_data;
	r->flags |= HTTP_STREAM;
}

/* True when any header line of r starts with "name:". */
static bool
has_header(const struct http_request *r, const char *name)
{
	const struct curl_slist *l;
	size_t n = strlen(name);

	for (l = r->headers; l != NULL; l = l->next)
		if (strncasecmp(l->data, name, n) == 0 && l->data[n] == ':')
			return true;
	return false;
}

struct http_request *
http_request_send(struct http_request *r, http_done_cb cb, void *ud)
{
	struct http *h = r->h;

	if (!has_header(r, "Accept"))
		http_request_header(r, "Accept", "application/json");
	if (r->body != NULL && !has_header(r, "Content-Type"))
		http_request_header(r, "Content-Type", "application/json");
	http_request_header(r, "Expect", "");
	r->done = cb;
	r->ud = ud;
	r->sent = true;
	r->first_at = r->start_at = now_ms();
	r->next = h->head;
	if (h->head != NULL)
		h->head->prev = r;
	h->head = r;
	h->pending++;
	return r;
}

void
http_cancel(struct http *h, struct http_request *r)
{
	if (r == NULL || r->finishing)
		return;
	if (trace_detail_on())
		trace_event("http.cancel %p", (void *)r);
	if (h->in_curl > 0 && r->easy != NULL) {
		r->cancelled = true; /* swept up once libcurl returns */
		return;
	}
	request_destroy(r);
}

/* ---- libcurl's data callbacks ------------------------------------------ */

/* The HTTP status of the answer being received. */
static int
current_status(const struct http_request *r)
{
	long status = 0;

	curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
	return (int)status;
}

/* True when r delivers this answer's body to its data callback. */
static bool
streaming_now(const struct http_request *r)
{
	int status;

	if (!(r->flags & HTTP_STREAM))
		return false;
	status = current_status(r);
	return status >= 200 && status < 300;
}

/*
 * The last value of header name in the answer being received, as libcurl
 * keeps it (trimmed); NULL when absent. libcurl also bounds what it keeps:
 * 100 KiB a line, 300 KiB of headers an answer.
 */
static char *
header_value(CURL *e, const char *name)
{
	struct curl_header *h;

	if (curl_easy_header(e, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK)
		return NULL;
	if (h->amount > 1 &&
	    curl_easy_header(e, name, h->amount - 1, CURLH_HEADER, -1, &h) !=
	        CURLHE_OK)
		return NULL;
	return xstrdup(h->value);
}

/*
 * Retry-After in seconds, read by libcurl (delta-seconds or an HTTP-date);
 * -1 when absent or unreadable, 0 for a date already past. libcurl says 0
 * both for "0" and for what it cannot read, so a 0 counts only when the
 * value is digits.
 */
static long
retry_after_of(CURL *e)
{
	curl_off_t secs = 0;
	char *v = header_value(e, "Retry-After");
	bool digits;

	if (v == NULL)
		return -1;
	digits = v[0] != '\0' && v[strspn(v, "0123456789")] == '\0';
	free(v);
	curl_easy_getinfo(e, CURLINFO_RETRY_AFTER, &secs);
	if (secs > 0)
		return secs > HTTP_RETRY_AFTER_MAX_S ? HTTP_RETRY_AFTER_MAX_S
		                                     : (long)secs;
	return secs < 0 || digits ? 0 : -1;
}

/* Takes the headers the callers want from the answer's header block. */
static void
headers_take(struct http_request *r)
{
	struct http_response *resp = &r->resp;
	char *length;

	free(resp->etag);
	free(resp->content_type);
	free(resp->content_disposition);
	resp->etag = header_value(r->easy, "ETag");
	resp->content_type = header_value(r->easy, "Content-Type");
	resp->content_disposition =
	    header_value(r->easy, "Content-Disposition");
	resp->retry_after = retry_after_of(r->easy);
	length = header_value(r->easy, "Content-Length");
	resp->content_length = length != NULL ? strtoll(length, NULL, 10) : -1;
	free(length);
}

/* The end of a header block: a stream opens, a huge body is refused. */
static size_t
headers_done(struct http_request *r, size_t n)
{
	int status = current_status(r);

	if (status < 200)
		return n; /* 1xx: the real answer's headers follow */
	headers_take(r);
	if (streaming_now(r)) {
		if (!r->opened && r->on_open != NULL) {
			r->opened = true;
			r->resp.status = status;
			trace_event("stream.open %d", status);
			r->on_open(&r->resp, r->ud);
		}
		return r->cancelled ? 0 : n;
	}
	if (strcmp(r->method, "HEAD") != 0 &&
	    r->resp.content_length > (long long)r->h->cfg.max_body) {
		r->too_large = true;
		return 0;
	}
	return n;
}

/*
 * CURLOPT_HEADERFUNCTION: one header line at a time. Only the blank line
 * that ends a block matters here; the values are read from libcurl's own
 * store then (curl_easy_header).
 */
static size_t
on_header(char *line, size_t size, size_t nitems, void *ud)
{
	struct http_request *r = ud;
	size_t n = size * nitems;

	if (r->cancelled)
		return 0;
	if (n <= 2 && (line[0] == '\r' || line[0] == '\n'))
		return headers_done(r, n);
	return n;
}

/* CURLOPT_WRITEFUNCTION: streams pass bytes on, others keep them. */
static size_t
on_write(char *data, size_t size, size_t nmemb, void *ud)
{
	struct http_request *r = ud;
	size_t n = size * nmemb;

	if (r->cancelled)
		return 0;
	if (streaming_now(r)) {
		trace_event("stream bytes=%zu", n);
		if (r->on_data != NULL)
			r->on_data(data, n, r->ud);
		return r->cancelled ? 0 : n;
	}
	if (n > r->h->cfg.max_body - r->resp.len) {
		r->too_large = true;
		return 0;
	}
	if (r->resp.len + n + 1 > r->cap) {
		r->cap = (r->resp.len + n + 1) * 2;
		if (r->cap > r->h->cfg.max_body + 1)
			r->cap = r->h->cfg.max_body + 1;
		r->resp.body = xrealloc(r->resp.body, r->cap);
	}
	memcpy(r->resp.body + r->resp.len, data, n);
	r->resp.len += n;
	r->resp.body[r->resp.len] = '\0';
	return n;
}

/* ---- starting and finishing attempts ----------------------------------- */

/* The method and body options of an easy handle. */
static void
easy_method(struct http_request *r, CURL *e)
{
	const char *m = r->method;

	if (strcmp(m, "HEAD") == 0) {
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
		return;
	}
	if (strcmp(m, "GET") == 0 && r->body == NULL)
		return;
	if (strcmp(m, "POST") != 0)
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, m);
	if (r->body != NULL || strcmp(m, "DELETE") != 0) {
		curl_easy_setopt(e, CURLOPT_POSTFIELDS,
		                 r->body != NULL ? r->body : "");
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
		                 (curl_off_t)r->body_len);
	}
}

/* Security options: https only, verification on, the CA file and pin. */
static void
easy_tls(const struct http *h, CURL *e)
{
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (h->ca_file != NULL) {
		curl_easy_setopt(e, CURLOPT_CAINFO, h->ca_file);
		curl_easy_setopt(e, CURLOPT_CAPATH, NULL);
	}
	if (h->pin != NULL)
		curl_easy_setopt(e, CURLOPT_PINNEDPUBLICKEY, h->pin);
}

/* The path of r's URL without its query string, and its length. */
static const char *
url_path(const struct http_request *r, int *len)
{
	const char *path = strstr(r->url, "://");

	path = path != NULL ? strchr(path + 3, '/') : NULL;
	*len = path != NULL ? (int)strcspn(path, "?") : 0;
	return path != NULL ? path : "";
}

/*
 * CURLOPT_DEBUGFUNCTION, with SITECARE_TRACE_DETAIL only: libcurl's
 * informational lines into the trace, tagged with the request. Lines
 * about cookies and the request's headers hold the session and are left
 * out; a query string is cut at its '?' as everywhere in the trace.
 */
static int
on_curl_debug(CURL *e, curl_infotype type, char *data, size_t size, void *ud)
{
	char line[400];
	size_t n = size < sizeof line ? size : sizeof line - 1;

	(void)e;
	if (type != CURLINFO_TEXT)
		return 0;
	memcpy(line, data, n);
	line[n] = '\0';
	if (strstr(line, "ookie") != NULL || strncmp(line, "h2h3 ", 5) == 0)
		return 0; /* the session, or a header (the CSRF token's too) */
	line[strcspn(line, "?\r\n")] = '\0';
	trace_event("curl %p %s", ud, line);
	return 0;
}

/* A configured easy handle for one attempt of r. */
static CURL *
easy_new(struct http_request *r)
{
	struct http *h = r->h;
	CURL *e = curl_easy_init();

	if (e == NULL)
		abort();
	curl_easy_setopt(e, CURLOPT_URL, r->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, r);
	curl_easy_setopt(e, CURLOPT_SHARE, h->share);
	curl_easy_setopt(e, CURLOPT_COOKIEFILE, "");
	curl_easy_setopt(e, CURLOPT_USERAGENT, "sitecare/" SITECARE_VERSION);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
	                 h->cfg.connect_timeout_ms);
	if (!(r->flags & HTTP_STREAM)) {
		curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
		curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME,
		                 h->cfg.stall_seconds);
	}
	easy_tls(h, e);
	if (trace_detail_on()) {
		curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, on_curl_debug);
		curl_easy_setopt(e, CURLOPT_DEBUGDATA, r);
		curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
	}
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->headers);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf);
	easy_method(r, e);
	return e;
}

/* Starts r's next attempt: a fresh easy handle in the multi handle. */
static void
attempt_start(struct http *h, struct http_request *r, long long now)
{
	r->start_at = -1;
	r->began = now;
	r->errbuf[0] = '\0';
	r->too_large = false;
	r->cap = 0;
	response_reset(&r->resp);
	r->attempts++;
	r->easy = easy_new(r);
	if (trace_detail_on()) {
		int len;
		const char *path = url_path(r, &len);

		trace_event("http.start %p %s %.*s attempt=%d", (void *)r,
		            r->method, len, path, r->attempts);
	}
	curl_multi_add_handle(h->multi, r->easy);
}

/*
 * Starts every queued request whose time and turn have come: streams
 * first (the event stream must not wait behind page loads, or events
 * would be missed), then the others oldest first, so the pane in front,
 * which asks first, is answered first.
 */
static void
start_due(struct http *h)
{
	long long now = now_ms();
	struct http_request *r, *tail = h->head;

	while (tail != NULL && tail->next != NULL)
		tail = tail->next; /* the list is newest first */
	for (r = tail; r != NULL; r = r->prev)
		if (queued(r) && (r->flags & HTTP_STREAM) && r->start_at <= now)
			attempt_start(h, r, now);
	for (r = tail; r != NULL; r = r->prev) {
		if (!queued(r) || (r->flags & HTTP_STREAM) || r->start_at > now)
			continue;
		if (next_turn(h, now) != now)
			break;
		attempt_start(h, r, now);
	}
}

/* Schedules another attempt of r if the rules and the budget allow. */
static bool
maybe_retry(struct http_request *r, int status, CURLcode code)
{
	const struct http_config *c = &r->h->cfg;
	long ra = -1;
	long delay;

	if (r->too_large || r->attempts >= c->max_attempts ||
	    !http_should_retry(r->method, r->flags, status, (int)code))
		return false;
	if (status == 429 || status == 503)
		ra = r->resp.retry_after;
	delay = http_backoff_ms(r->attempts + 1, ra, randombytes_random());
	if (now_ms() + delay - r->first_at > c->retry_budget_ms)
		return false;
	r->start_at = now_ms() + delay;
	return true;
}

/* The error of a finished attempt (SC_OK for 2xx and 304). */
static void
attempt_error(struct http_request *r, int status, CURLcode code,
              struct sc_error *err)
{
	if (r->too_large)
		sc_error_set(err, SC_ERR_TOO_LARGE,
		             "the server's answer is larger than the %zu MiB "
		             "allowed",
		             r->h->cfg.max_body / (1024 * 1024));
	else if (code != CURLE_OK)
		http_error_from_curl(err, (int)code, r->errbuf);
	else if ((status >= 200 && status < 300) || status == 304)
		sc_error_clear(err);
	else {
		sc_error_from_http(err, status, r->resp.body, r->resp.len);
		if (status == 429)
			err->retry_after = r->resp.retry_after;
	}
}

/* The benchmark's trace line of a finished request: no query string. */
static void
trace_request(struct http_request *r, int status)
{
	long connects = 0;
	const char *path;
	int len;

	if (!trace_on() || r->easy == NULL)
		return;
	curl_easy_getinfo(r->easy, CURLINFO_NUM_CONNECTS, &connects);
	path = url_path(r, &len);
	trace_event("http %s %.*s %d bytes=%zu connects=%ld ms=%lld", r->method,
	            len, path, status, r->resp.len, connects,
	            now_ms() - r->began);
}

/* One attempt ended: retry it, or hand the outcome to the caller. */
static void
attempt_done(struct http_request *r, CURLcode code)
{
	struct sc_error err = { 0 };
	int status = current_status(r);
	long version = 0;

	trace_request(r, status);
	if (trace_detail_on())
		trace_event("http.end %p %d curl=%d", (void *)r, status,
		            (int)code);
	curl_easy_getinfo(r->easy, CURLINFO_HTTP_VERSION, &version);
	curl_multi_remove_handle(r->h->multi, r->easy);
	curl_easy_cleanup(r->easy);
	r->easy = NULL;
	if (version == CURL_HTTP_VERSION_2_0 || version == CURL_HTTP_VERSION_3)
		r->h->multiplexed = true;
	if (r->cancelled) {
		request_destroy(r);
		return;
	}
	if (maybe_retry(r, status, code))
		return;
	if (code != CURLE_OK || r->too_large) { /* a partial body: useless */
		free(r->resp.body);
		r->resp.body = NULL;
		r->resp.len = 0;
	}
	r->resp.status = status;
	r->resp.attempts = r->attempts;
	attempt_error(r, status, code, &err);
	request_unlink(r);
	r->finishing = true;
	if (r->done != NULL)
		r->done(&r->resp, &err, r->ud);
	sc_error_clear(&err);
	request_destroy(r);
}

/* Frees requests cancelled while libcurl was running. */
static void
sweep_cancelled(struct http *h)
{
	struct http_request *r, *next;

	for (r = h->head; r != NULL; r = next) {
		next = r->next;
		if (r->cancelled)
			request_destroy(r);
	}
}

/* Hands every finished transfer to attempt_done, one at a time. */
static void
read_done(struct http *h)
{
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(h->multi, &left)) != NULL) {
		struct http_request *r = NULL;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &r);
		attempt_done(r, msg->data.result);
	}
}

/* The CURL_CSELECT_* mask for poll's revents. */
static int
select_mask(short revents)
{
	int mask = 0;

	if (revents & (POLLIN | POLLHUP))
		mask |= CURL_CSELECT_IN;
	if (revents & POLLOUT)
		mask |= CURL_CSELECT_OUT;
	if (revents & (POLLERR | POLLNVAL))
		mask |= CURL_CSELECT_ERR;
	return mask;
}

void
http_dispatch(struct http *h, const struct pollfd *fds, int n)
{
	int i, running;

	h->in_curl++;
	for (i = 0; i < n; i++)
		if (fds[i].revents != 0 && sock_find(h, fds[i].fd) >= 0)
			curl_multi_socket_action(h->multi, fds[i].fd,
			                         select_mask(fds[i].revents),
			                         &running);
	if (h->curl_deadline >= 0 && h->curl_deadline <= now_ms()) {
		h->curl_deadline = -1;
		curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0,
		                         &running);
	}
	h->in_curl--;
	sweep_cancelled(h);
	read_done(h);
	start_due(h);
}

/* ---- the cookie engine ------------------------------------------------- */

void
http_cookies_import(struct http *h, const char *text)
{
	const char *p = text;

	while (p != NULL && *p != '\0') {
		const char *end = strchr(p, '\n');
		size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
		char *line = xstrndup(p, n);

		if (n > 0 && line[n - 1] == '\r')
			line[n - 1] = '\0';
		if (line[0] != '\0' &&
		    (line[0] != '#' || has_prefix_ci(line, "#HttpOnly_")))
			curl_easy_setopt(h->cookie_easy, CURLOPT_COOKIELIST,
			                 line);
		sodium_memzero(line, n);
		free(line);
		p = end != NULL ? end + 1 : NULL;
	}
}

/* The engine's cookies as libcurl lists them (Netscape lines). */
static struct curl_slist *
cookie_list(struct http *h)
{
	struct curl_slist *list = NULL;

	curl_easy_getinfo(h->cookie_easy, CURLINFO_COOKIELIST, &list);
	return list;
}

char *
http_cookies_export(struct http *h)
{
	struct curl_slist *list = cookie_list(h), *l;
	size_t len = 1;
	char *out;

	for (l = list; l != NULL; l = l->next)
		len += strlen(l->data) + 1;
	out = xcalloc(1, len);
	for (l = list; l != NULL; l = l->next) {
		strcat(out, l->data);
		strcat(out, "\n");
	}
	curl_slist_free_all(list);
	return out;
}

/* Field i (0-based) of a tab-separated cookie line, malloc'd, or NULL. */
static char *
cookie_field(const char *line, int i)
{
	const char *end;

	while (i-- > 0) {
		line = strchr(line, '\t');
		if (line == NULL)
			return NULL;
		line++;
	}
	end = strchr(line, '\t');
	return end != NULL ? xstrndup(line, (size_t)(end - line))
	                   : xstrdup(line);
}

char *
http_cookie_value(struct http *h, const char *name)
{
	struct curl_slist *list = cookie_list(h), *l;
	char *value = NULL;

	for (l = list; l != NULL && value == NULL; l = l->next) {
		char *n = cookie_field(l->data, 5);

		if (n != NULL && strcmp(n, name) == 0)
			value = cookie_field(l->data, 6);
		free(n);
	}
	curl_slist_free_all(list);
	return value;
}

void
http_cookies_clear(struct http *h)
{
	curl_easy_setopt(h->cookie_easy, CURLOPT_COOKIELIST, "ALL");
}

char *
http_escape(const char *s)
{
	char *e = curl_easy_escape(NULL, s, 0);
	char *out;

	if (e == NULL)
		abort();
	out = xstrdup(e);
	curl_free(e);
	return out;
}

/* ---- making and freeing ------------------------------------------------ */

/* Copies cfg with defaults filled in. */
static void
config_defaults(struct http_config *out, const struct http_config *in)
{
	*out = *in;
	if (out->connect_timeout_ms <= 0)
		out->connect_timeout_ms = HTTP_CONNECT_TIMEOUT_MS;
	if (out->stall_seconds <= 0)
		out->stall_seconds = HTTP_STALL_SECONDS;
	if (out->max_body == 0)
		out->max_body = HTTP_MAX_BODY;
	if (out->max_attempts <= 0)
		out->max_attempts = HTTP_MAX_ATTEMPTS;
	if (out->retry_budget_ms <= 0)
		out->retry_budget_ms = HTTP_RETRY_BUDGET_MS;
	out->base_url = out->ca_file = out->pin = NULL;
}

/* The libcurl handles: one multi, one share for cookies and TLS sessions. */
static int
curl_handles(struct http *h, struct sc_error *err)
{
	static bool global_done;

	if (!global_done && curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		sc_error_set(err, SC_ERR_LOCAL, "libcurl failed to start");
		return -1;
	}
	global_done = true;
	h->multi = curl_multi_init();
	h->share = curl_share_init();
	h->cookie_easy = curl_easy_init();
	if (h->multi == NULL || h->share == NULL || h->cookie_easy == NULL) {
		sc_error_set(err, SC_ERR_LOCAL, "libcurl failed to start");
		return -1;
	}
	curl_share_setopt(h->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_COOKIE);
	curl_share_setopt(h->share, CURLSHOPT_SHARE,
	                  CURL_LOCK_DATA_SSL_SESSION);
	curl_easy_setopt(h->cookie_easy, CURLOPT_SHARE, h->share);
	curl_easy_setopt(h->cookie_easy, CURLOPT_COOKIEFILE, "");
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, on_timer);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
	curl_multi_setopt(h->multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
	return 0;
}

struct http *
http_new(const struct http_config *cfg, struct sc_error *err)
{
	struct http *h = xcalloc(1, sizeof *h);

	config_defaults(&h->cfg, cfg);
	h->curl_deadline = -1;
	if (http_url_check(cfg->base_url, &h->base, &h->origin, err) != 0 ||
	    curl_handles(h, err) != 0) {
		http_free(h);
		return NULL;
	}
	if (sodium_init() < 0) {
		sc_error_set(err, SC_ERR_LOCAL, "libsodium failed to start");
		http_free(h);
		return NULL;
	}
	h->ca_file = cfg->ca_file != NULL ? xstrdup(cfg->ca_file) : NULL;
	h->pin = cfg->pin != NULL ? xstrdup(cfg->pin) : NULL;
	return h;
}

void
http_free(struct http *h)
{
	if (h == NULL)
		return;
	while (h->head != NULL)
		request_destroy(h->head);
	if (h->cookie_easy != NULL)
		curl_easy_cleanup(h->cookie_easy);
	if (h->multi != NULL)
		curl_multi_cleanup(h->multi);
	if (h->share != NULL)
		curl_share_cleanup(h->share);
	free(h->socks);
	free(h->base);
	free(h->origin);
	free(h->ca_file);
	free(h->pin);
	free(h);
}

const char *
http_base_url(const struct http *h)
{
	return h->base;
}

const char *
http_origin(const struct http *h)
{
	return h->origin;
}
