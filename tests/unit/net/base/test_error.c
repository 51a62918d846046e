/* Unit tests for net/base/error.c: HTTP answers become the client's errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/base/error.h"

/* Maps status + the contract's error body for code and message. */
static void
from_code(struct sc_error *e, int status, const char *code, const char *msg)
{
	char body[512];

	snprintf(body, sizeof body,
	         "{\"error\": {\"code\": \"%s\", \"message\": \"%s\"}}", code,
	         msg);
	sc_error_from_http(e, status, body, strlen(body));
}

static void
sc_error__from_http__every_contract_code(void **state)
{
	static const struct {
		int status;
		const char *code;
		enum sc_error_kind kind;
	} table[] = {
		{ 401, "not_authenticated", SC_ERR_SESSION_EXPIRED },
		{ 401, "invalid_credentials", SC_ERR_INVALID_CREDENTIALS },
		{ 403, "staff_only", SC_ERR_FORBIDDEN },
		{ 403, "clients_only", SC_ERR_FORBIDDEN },
		{ 403, "forbidden", SC_ERR_FORBIDDEN },
		{ 403, "not_assigned", SC_ERR_NOT_ASSIGNED },
		{ 404, "not_found", SC_ERR_NOT_FOUND },
		{ 409, "no_public_key", SC_ERR_NO_PUBLIC_KEY },
		{ 412, "version_conflict", SC_ERR_CONFLICT },
		{ 422, "invalid", SC_ERR_INVALID },
		{ 429, "rate_limited", SC_ERR_RATE_LIMITED },
		{ 500, "server_error", SC_ERR_SERVER },
		{ 503, "server_error", SC_ERR_SERVER },
	};
	size_t i;

	for (i = 0; i < sizeof table / sizeof table[0]; i++) {
		struct sc_error e = { 0 };

		from_code(&e, table[i].status, table[i].code, "Words here.");
		if (e.kind != table[i].kind)
			fail_msg("%d %s gave %s", table[i].status,
			         table[i].code, sc_error_kind_name(e.kind));
		assert_int_equal(e.http_status, table[i].status);
		assert_string_equal(e.code, table[i].code);
		assert_string_equal(e.message, "Words here.");
		assert_int_equal(e.nfields, 0);
		sc_error_clear(&e);
	}
}

static void
sc_error__from_http__reauth_required_in_own_words(void **state)
{
	struct sc_error e = { 0 };

	/* Whatever the server says, the client's words: a refused password
	 * must not read like a refused passphrase or a missing right. */
	from_code(&e, 403, "reauth_required", "Wrong password.");
	assert_int_equal(e.kind, SC_ERR_REAUTH_REQUIRED);
	assert_string_equal(sc_error_kind_name(e.kind), "reauth_required");
	assert_string_equal(e.code, "reauth_required");
	assert_string_equal(e.message,
	                    "the account password was wrong or missing");
	sc_error_clear(&e);
	/* Without the code a 403 stays forbidden. */
	sc_error_from_http(&e, 403, NULL, 0);
	assert_int_equal(e.kind, SC_ERR_FORBIDDEN);
	sc_error_clear(&e);
}

static void
sc_error__from_http__invalid_fields(void **state)
{
	const char *body =
	    "{\"error\": {\"code\": \"invalid\", \"message\": \"Invalid "
	    "input.\","
	    " \"fields\": {\"body\": [\"Too long.\", \"Not allowed.\"],"
	    " \"limit\": \"A positive integer is required.\","
	    " \"odd\": [1, \"Kept.\"], \"bad\": 7}}}";
	struct sc_error e = { 0 };

	sc_error_from_http(&e, 422, body, strlen(body));
	assert_int_equal(e.kind, SC_ERR_INVALID);
	assert_string_equal(e.message, "Invalid input.");
	assert_int_equal(e.nfields, 3);
	assert_string_equal(e.fields[0].field, "body");
	assert_string_equal(e.fields[0].message, "Too long.; Not allowed.");
	assert_string_equal(e.fields[1].field, "limit");
	assert_string_equal(e.fields[1].message,
	                    "A positive integer is required.");
	assert_string_equal(e.fields[2].field, "odd");
	assert_string_equal(e.fields[2].message, "Kept.");
	sc_error_clear(&e);
	assert_int_equal(e.kind, SC_OK);
	assert_null(e.fields);
}

static void
sc_error__from_http__rate_limited_kind_only(void **state)
{
	struct sc_error e = { 0 };

	/* Retry-After is a header: the transport fills retry_after */
	from_code(&e, 429, "rate_limited", "Slow down.");
	assert_int_equal(e.kind, SC_ERR_RATE_LIMITED);
	assert_int_equal(e.retry_after, 0);
	sc_error_from_http(&e, 429, NULL, 0);
	assert_int_equal(e.kind, SC_ERR_RATE_LIMITED);
	assert_string_equal(e.message, "too many attempts; wait a moment");
	sc_error_clear(&e);
}

static void
sc_error__from_http__non_json_body(void **state)
{
	const char *html = "<html><body>502 Bad Gateway</body></html>";
	struct sc_error e = { 0 };

	sc_error_from_http(&e, 502, html, strlen(html));
	assert_int_equal(e.kind, SC_ERR_SERVER);
	assert_int_equal(e.http_status, 502);
	assert_null(e.code);
	assert_string_equal(e.message, "the service had an internal error");
	sc_error_from_http(&e, 401, "oops", 4);
	assert_int_equal(e.kind, SC_ERR_SESSION_EXPIRED);
	assert_string_equal(e.message,
	                    "your session has expired; sign in again");
	sc_error_from_http(&e, 404, "{\"error\": \"gone\"}", 17);
	assert_int_equal(e.kind, SC_ERR_NOT_FOUND);
	assert_null(e.code);
	sc_error_from_http(&e, 412, "{\"error\": {\"code\": 5}}", 22);
	assert_int_equal(e.kind, SC_ERR_CONFLICT);
	assert_null(e.code);
	sc_error_clear(&e);
}

static void
sc_error__from_http__status_decides_unknown_codes(void **state)
{
	struct sc_error e = { 0 };

	from_code(&e, 403, "csrf_failed", "CSRF verification failed.");
	assert_int_equal(e.kind, SC_ERR_FORBIDDEN);
	assert_string_equal(e.code, "csrf_failed");
	from_code(&e, 413, "too_big", "");
	assert_int_equal(e.kind, SC_ERR_TOO_LARGE);
	assert_string_equal(e.message, "too large for the server");
	from_code(&e, 400, "parse_error", "Bad JSON.");
	assert_int_equal(e.kind, SC_ERR_INVALID);
	from_code(&e, 418, "teapot", "I am a teapot.");
	assert_int_equal(e.kind, SC_ERR_MALFORMED);
	/* a known code still wins over its status */
	from_code(&e, 400, "not_authenticated", "x");
	assert_int_equal(e.kind, SC_ERR_SESSION_EXPIRED);
	sc_error_clear(&e);
}

static void
sc_error__set_and_move(void **state)
{
	struct sc_error a = { 0 }, b = { 0 };

	sc_error_set(&a, SC_ERR_MALFORMED, "%s: %d", "x", 3);
	assert_string_equal(a.message, "x: 3");
	from_code(&b, 404, "not_found", "No.");
	sc_error_move(&b, &a);
	assert_int_equal(b.kind, SC_ERR_MALFORMED);
	assert_string_equal(b.message, "x: 3");
	assert_null(b.code);
	assert_int_equal(a.kind, SC_OK);
	assert_null(a.message);
	assert_string_equal(sc_error_kind_name(SC_ERR_NO_PUBLIC_KEY),
	                    "no_public_key");
	sc_error_clear(&b);
}

static void
sc_error__from_http__own_words_when_the_body_says_nothing(void **state)
{
	struct sc_error e = { 0 };

	sc_error_from_http(&e, 422, "<html>", 6);
	assert_int_equal(e.kind, SC_ERR_INVALID);
	assert_string_equal(e.message, "the server refused the values sent");
	sc_error_from_http(&e, 418, "<html>", 6);
	assert_int_equal(e.kind, SC_ERR_MALFORMED);
	assert_string_equal(e.message, "the service gave an unexpected answer");
	sc_error_clear(&e);
	assert_string_equal(sc_error_kind_name((enum sc_error_kind)999),
	                    "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sc_error__from_http__every_contract_code),
		cmocka_unit_test(
		    sc_error__from_http__reauth_required_in_own_words),
		cmocka_unit_test(sc_error__from_http__invalid_fields),
		cmocka_unit_test(sc_error__from_http__rate_limited_kind_only),
		cmocka_unit_test(sc_error__from_http__non_json_body),
		cmocka_unit_test(
		    sc_error__from_http__status_decides_unknown_codes),
		cmocka_unit_test(sc_error__set_and_move),
		cmocka_unit_test(
		    sc_error__from_http__own_words_when_the_body_says_nothing),
	};

	return cmocka_run_group_tests_name("net/error", tests, NULL, NULL);
}
