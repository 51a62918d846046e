/* Unit tests for net/client/http.c: what can be checked without a server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "net/client/http.h"

/* ---- URL checks -------------------------------------------------------- */

/* Checks url and returns the normalised base (freed by the caller). */
static char *
base_of(const char *url, char **origin)
{
	struct sc_error err = { 0 };
	char *base = NULL;

	assert_int_equal(http_url_check(url, &base, origin, &err), 0);
	assert_int_equal(err.kind, SC_OK);
	return base;
}

/* The error message for a refused URL (freed by the caller). */
static char *
refusal_of(const char *url)
{
	struct sc_error err = { 0 };
	char *base = NULL;
	char *msg;

	assert_int_equal(http_url_check(url, &base, NULL, &err), -1);
	assert_null(base);
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	msg = strdup(err.message);
	sc_error_clear(&err);
	return msg;
}

static void
http__url_check__https_normalised(void **state)
{
	char *origin = NULL;
	char *base = base_of("https://example.com", &origin);

	assert_string_equal(base, "https://example.com");
	assert_string_equal(origin, "https://example.com/");
	free(base);
	free(origin);
	base = base_of("https://127.0.0.1:8443/", &origin);
	assert_string_equal(base, "https://127.0.0.1:8443");
	assert_string_equal(origin, "https://127.0.0.1:8443/");
	free(base);
	free(origin);
}

static void
http__url_check__trailing_slash_and_api_prefix_dropped(void **state)
{
	char *base = base_of("https://h.example/care//", NULL);

	assert_string_equal(base, "https://h.example/care");
	free(base);
	base = base_of("https://h.example:9/api/v1/", NULL);
	assert_string_equal(base, "https://h.example:9");
	free(base);
	base = base_of("HTTPS://H.example/x/api/v1", NULL);
	assert_string_equal(base, "https://H.example/x");
	free(base);
}

static void
http__url_check__http_refused_clearly(void **state)
{
	char *msg = refusal_of("http://example.com");

	assert_non_null(strstr(msg, "HTTPS only"));
	assert_non_null(strstr(msg, "http://example.com"));
	free(msg);
	msg = refusal_of("HTTP://example.com:80/");
	assert_non_null(strstr(msg, "HTTPS"));
	free(msg);
}

static void
http__url_check__missing_or_other_scheme_refused(void **state)
{
	char *msg = refusal_of("example.com:8443");

	assert_non_null(strstr(msg, "must start with https://"));
	free(msg);
	msg = refusal_of("ftp://example.com");
	assert_non_null(strstr(msg, "only https://"));
	free(msg);
	msg = refusal_of("");
	assert_non_null(strstr(msg, "no service URL"));
	free(msg);
	msg = refusal_of(NULL);
	free(msg);
}

static void
http__url_check__extra_parts_refused(void **state)
{
	free(refusal_of("https://example.com/?a=1"));
	free(refusal_of("https://example.com/#top"));
	free(refusal_of("https://user@example.com/"));
	free(refusal_of("https://"));
	free(refusal_of("https://exa mple.com/"));
}

/* ---- retry decisions --------------------------------------------------- */

static void
http__should_retry__idempotent_on_transient_statuses(void **state)
{
	static const char *const methods[] = { "GET", "HEAD", "PUT", "DELETE" };
	static const int yes[] = { 429, 502, 503, 504 };
	static const int no[] = { 200, 304, 400, 401, 403, 404,
		                  409, 412, 422, 500, 501 };
	size_t m, i;

	for (m = 0; m < 4; m++) {
		for (i = 0; i < sizeof yes / sizeof yes[0]; i++)
			assert_true(
			    http_should_retry(methods[m], 0, yes[i], 0));
		for (i = 0; i < sizeof no / sizeof no[0]; i++)
			assert_false(
			    http_should_retry(methods[m], 0, no[i], 0));
	}
}

static void
http__should_retry__post_patch_only_when_retry_safe(void **state)
{
	assert_false(http_should_retry("POST", 0, 503, 0));
	assert_false(http_should_retry("PATCH", 0, 502, 0));
	assert_false(http_should_retry("POST", 0, 429, 0));
	assert_true(http_should_retry("POST", HTTP_RETRY_SAFE, 503, 0));
	assert_true(http_should_retry("PATCH", HTTP_RETRY_SAFE, 429, 0));
	assert_false(http_should_retry("POST", HTTP_RETRY_SAFE, 500, 0));
	/* A lost connection may have delivered the POST: not again. */
	assert_false(http_should_retry("POST", 0, 0, CURLE_RECV_ERROR));
	assert_true(
	    http_should_retry("POST", HTTP_RETRY_SAFE, 0, CURLE_RECV_ERROR));
	/* A refused connection never reached the server: safe for all. */
	assert_true(http_should_retry("POST", 0, 0, CURLE_COULDNT_CONNECT));
}

static void
http__should_retry__network_but_not_tls_or_size(void **state)
{
	assert_true(http_should_retry("GET", 0, 0, CURLE_OPERATION_TIMEDOUT));
	assert_true(http_should_retry("GET", 0, 0, CURLE_GOT_NOTHING));
	assert_true(http_should_retry("GET", 0, 0, CURLE_SEND_ERROR));
	assert_false(
	    http_should_retry("GET", 0, 0, CURLE_PEER_FAILED_VERIFICATION));
	assert_false(
	    http_should_retry("GET", 0, 0, CURLE_SSL_PINNEDPUBKEYNOTMATCH));
	assert_false(http_should_retry("GET", 0, 0, CURLE_WRITE_ERROR));
}

static void
http__should_retry__never_streams_or_no_retry(void **state)
{
	assert_false(http_should_retry("GET", HTTP_STREAM, 503, 0));
	assert_false(
	    http_should_retry("GET", HTTP_STREAM, 0, CURLE_RECV_ERROR));
	assert_false(http_should_retry("GET", HTTP_NO_RETRY, 503, 0));
	assert_false(
	    http_should_retry("POST", HTTP_RETRY_SAFE | HTTP_NO_RETRY, 503, 0));
}

static void
http__backoff__grows_with_jitter_and_cap(void **state)
{
	uint32_t rnds[] = { 0, 1, 77, 4096, 0xffffffffu };
	size_t i;
	int a;

	for (i = 0; i < sizeof rnds / sizeof rnds[0]; i++) {
		long lo = HTTP_BACKOFF_BASE_MS;

		for (a = 2; a < 12; a++) {
			long d = http_backoff_ms(a, -1, rnds[i]);

			assert_true(d >= lo / 2);
			assert_true(d <= lo);
			if (lo < HTTP_BACKOFF_MAX_MS)
				lo *= 2;
			if (lo > HTTP_BACKOFF_MAX_MS)
				lo = HTTP_BACKOFF_MAX_MS;
		}
	}
	assert_int_equal(http_backoff_ms(2, -1, 0), HTTP_BACKOFF_BASE_MS / 2);
	assert_int_equal(http_backoff_ms(20, -1, HTTP_BACKOFF_MAX_MS / 2),
	                 HTTP_BACKOFF_MAX_MS);
}

static void
http__backoff__retry_after_wins(void **state)
{
	assert_int_equal(http_backoff_ms(2, 3, 12345), 3000);
	assert_int_equal(http_backoff_ms(4, 0, 12345), 0);
}

static void
http__method_idempotent__table(void **state)
{
	assert_true(http_method_idempotent("GET"));
	assert_true(http_method_idempotent("HEAD"));
	assert_true(http_method_idempotent("PUT"));
	assert_true(http_method_idempotent("DELETE"));
	assert_false(http_method_idempotent("POST"));
	assert_false(http_method_idempotent("PATCH"));
	assert_false(http_method_idempotent("get"));
}

/* ---- error mapping ----------------------------------------------------- */

/* Maps code and checks the kind and a phrase of the message. */
static void
check_curl(int code, enum sc_error_kind kind, const char *phrase)
{
	struct sc_error e = { 0 };

	http_error_from_curl(&e, code, "detail here");
	assert_int_equal(e.kind, kind);
	assert_non_null(e.message);
	if (strstr(e.message, phrase) == NULL)
		fail_msg("%d: \"%s\" lacks \"%s\"", code, e.message, phrase);
	assert_int_equal(e.http_status, 0);
	sc_error_clear(&e);
}

static void
http__error_from_curl__tls_in_words(void **state)
{
	check_curl(CURLE_PEER_FAILED_VERIFICATION, SC_ERR_TLS,
	           "certificate is not trusted");
	check_curl(CURLE_PEER_FAILED_VERIFICATION, SC_ERR_TLS, "--ca-file");
	check_curl(CURLE_SSL_CACERT_BADFILE, SC_ERR_TLS, "--ca-file");
	check_curl(CURLE_SSL_PINNEDPUBKEYNOTMATCH, SC_ERR_TLS, "--pin");
	check_curl(CURLE_SSL_CONNECT_ERROR, SC_ERR_TLS, "secure connection");
	check_curl(CURLE_SSL_CERTPROBLEM, SC_ERR_TLS, "detail here");
}

static void
http__error_from_curl__network_and_others(void **state)
{
	check_curl(CURLE_COULDNT_CONNECT, SC_ERR_NETWORK, "cannot connect");
	check_curl(CURLE_COULDNT_RESOLVE_HOST, SC_ERR_NETWORK, "find");
	check_curl(CURLE_OPERATION_TIMEDOUT, SC_ERR_NETWORK, "stopped");
	check_curl(CURLE_RECV_ERROR, SC_ERR_NETWORK, "lost");
	check_curl(CURLE_GOT_NOTHING, SC_ERR_NETWORK, "lost");
	check_curl(CURLE_FILESIZE_EXCEEDED, SC_ERR_TOO_LARGE, "too large");
	check_curl(CURLE_BAD_CONTENT_ENCODING, SC_ERR_MALFORMED, "compressed");
	check_curl(CURLE_TOO_MANY_REDIRECTS, SC_ERR_NETWORK, "detail here");
}

static void
http__error_from_curl__empty_detail_uses_curl_text(void **state)
{
	struct sc_error e = { 0 };

	http_error_from_curl(&e, CURLE_COULDNT_CONNECT, "");
	assert_non_null(strstr(e.message, "connect"));
	assert_null(strstr(e.message, ": ;"));
	sc_error_clear(&e);
}

/* ---- a transport without a server ------------------------------------- */

static struct http *
local_http(const char *url)
{
	struct http_config cfg = { .base_url = url };
	struct sc_error err = { 0 };
	struct http *h = http_new(&cfg, &err);

	assert_non_null(h);
	assert_int_equal(err.kind, SC_OK);
	return h;
}

static void
http__new__refuses_http_before_any_request(void **state)
{
	struct http_config cfg = { .base_url = "http://127.0.0.1:1" };
	struct sc_error err = { 0 };

	assert_null(http_new(&cfg, &err));
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	assert_non_null(strstr(err.message, "HTTPS"));
	sc_error_clear(&err);
}

static void
http__cookies__import_lookup_export_clear(void **state)
{
	struct http *h = local_http("https://127.0.0.1:1");
	char *v, *text;

	http_cookies_import(h, "# Netscape HTTP Cookie File\n"
	                       "127.0.0.1\tFALSE\t/\tTRUE\t4102444800\t"
	                       "csrftoken\tabc123\n"
	                       "#HttpOnly_127.0.0.1\tFALSE\t/\tTRUE\t"
	                       "4102444800\tsessionid\tsess42\r\n");
	v = http_cookie_value(h, "csrftoken");
	assert_string_equal(v, "abc123");
	free(v);
	v = http_cookie_value(h, "sessionid");
	assert_string_equal(v, "sess42");
	free(v);
	assert_null(http_cookie_value(h, "nothing"));
	text = http_cookies_export(h);
	assert_non_null(strstr(text, "\tcsrftoken\tabc123\n"));
	assert_non_null(strstr(text, "#HttpOnly_127.0.0.1\t"));
	assert_non_null(strstr(text, "\tsessionid\tsess42\n"));
	free(text);
	http_cookies_clear(h);
	assert_null(http_cookie_value(h, "sessionid"));
	text = http_cookies_export(h);
	assert_string_equal(text, "");
	free(text);
	http_free(h);
}

/* What a finished request reported. */
struct outcome {
	int calls;
	enum sc_error_kind kind;
	int attempts;
};

static void
on_done(struct http_response *resp, const struct sc_error *err, void *ud)
{
	struct outcome *o = ud;

	o->calls++;
	o->kind = err->kind;
	o->attempts = resp->attempts;
}

/* Drives h until nothing is pending or ms pass. */
static void
drive(struct http *h, int ms)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (http_pending(h) > 0) {
		struct pollfd fds[16];
		int n = http_pollfds(h, fds, 16);
		int wait = http_timeout_ms(h);

		if (wait < 0 || wait > 50)
			wait = 50;
		poll(fds, (nfds_t)n, wait);
		http_dispatch(h, fds, n);
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000 +
		        (t.tv_nsec - t0.tv_nsec) / 1000000 >
		    ms)
			break;
	}
}

/* A loopback port with nothing listening (bound, then closed). */
static int
dead_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int port;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	getsockname(fd, (struct sockaddr *)&a, &len);
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

static void
http__request__refused_connection_retried_then_network_error(void **state)
{
	char url[64];
	struct http *h;
	struct outcome o = { 0 };

	snprintf(url, sizeof url, "https://127.0.0.1:%d", dead_port());
	h = local_http(url);
	http_request_send(http_request_new(h, "GET", "/me"), on_done, &o);
	assert_int_equal(http_pending(h), 1);
	assert_int_equal(http_timeout_ms(h), 0);
	drive(h, 10000);
	assert_int_equal(o.calls, 1);
	assert_int_equal(o.kind, SC_ERR_NETWORK);
	assert_int_equal(o.attempts, HTTP_MAX_ATTEMPTS);
	assert_int_equal(http_pending(h), 0);
	http_free(h);
}

static void
http__free__with_requests_in_flight_is_clean(void **state)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof a;
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	struct outcome o = { 0 };
	struct http_request *r;
	struct http *h;
	char url[64];

	/* Listens but never answers: the TLS handshake hangs. */
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(lfd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(lfd, 8), 0);
	getsockname(lfd, (struct sockaddr *)&a, &len);
	snprintf(url, sizeof url, "https://127.0.0.1:%d", ntohs(a.sin_port));
	h = local_http(url);
	http_request_send(http_request_new(h, "GET", "/a"), on_done, &o);
	r = http_request_new(h, "POST", "/b");
	http_request_body(r, "{\"x\":1}");
	http_request_send(r, on_done, &o);
	r = http_request_new(h, "GET", "/c");
	http_request_send(r, on_done, &o);
	drive(h, 300);
	assert_int_equal(http_pending(h), 3);
	http_cancel(h, r);
	assert_int_equal(http_pending(h), 2);
	http_free(h);
	assert_int_equal(o.calls, 0);
	close(lfd);
}

static void
http__error_from_curl__local_and_abandoned_in_words(void **state)
{
	check_curl(CURLE_URL_MALFORMAT, SC_ERR_LOCAL,
	           "bad request URL: detail here");
	check_curl(CURLE_UNSUPPORTED_PROTOCOL, SC_ERR_LOCAL,
	           "bad request URL: detail here");
	check_curl(CURLE_OUT_OF_MEMORY, SC_ERR_LOCAL,
	           "the request was abandoned: detail here");
	check_curl(CURLE_WRITE_ERROR, SC_ERR_LOCAL,
	           "the request was abandoned: detail here");
	check_curl(CURLE_ABORTED_BY_CALLBACK, SC_ERR_LOCAL,
	           "the request was abandoned: detail here");
}

static void
http__url_check__slashes_before_the_api_prefix_dropped(void **state)
{
	/* The slash before the prefix goes too, whatever came first. */
	char *base = base_of("https://example.com/x//api/v1/", NULL);

	assert_string_equal(base, "https://example.com/x");
	free(base);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(http__url_check__https_normalised),
		cmocka_unit_test(
		    http__url_check__trailing_slash_and_api_prefix_dropped),
		cmocka_unit_test(http__url_check__http_refused_clearly),
		cmocka_unit_test(
		    http__url_check__missing_or_other_scheme_refused),
		cmocka_unit_test(http__url_check__extra_parts_refused),
		cmocka_unit_test(
		    http__should_retry__idempotent_on_transient_statuses),
		cmocka_unit_test(
		    http__should_retry__post_patch_only_when_retry_safe),
		cmocka_unit_test(
		    http__should_retry__network_but_not_tls_or_size),
		cmocka_unit_test(http__should_retry__never_streams_or_no_retry),
		cmocka_unit_test(http__backoff__grows_with_jitter_and_cap),
		cmocka_unit_test(http__backoff__retry_after_wins),
		cmocka_unit_test(http__method_idempotent__table),
		cmocka_unit_test(http__error_from_curl__tls_in_words),
		cmocka_unit_test(http__error_from_curl__network_and_others),
		cmocka_unit_test(
		    http__error_from_curl__empty_detail_uses_curl_text),
		cmocka_unit_test(http__new__refuses_http_before_any_request),
		cmocka_unit_test(http__cookies__import_lookup_export_clear),
		cmocka_unit_test(
		    http__request__refused_connection_retried_then_network_error),
		cmocka_unit_test(http__free__with_requests_in_flight_is_clean),
		cmocka_unit_test(
		    http__error_from_curl__local_and_abandoned_in_words),
		cmocka_unit_test(
		    http__url_check__slashes_before_the_api_prefix_dropped),
	};

	return cmocka_run_group_tests_name("net/http", tests, NULL, NULL);
}
