/* Unit tests for net/client/json.c: parsing limits, getters, times, paths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/client/json.h"

/* Runs json_parse on s; returns whether a tree came back. */
static bool
parses(const char *s, size_t len, struct sc_error *err)
{
	cJSON *root = json_parse(s, len, err);

	cJSON_Delete(root);
	return root != NULL;
}

/* n opening brackets, a value, n closing ones. */
static char *
nested(int n)
{
	char *s = malloc((size_t)n * 2 + 2);
	int i;

	for (i = 0; i < n; i++)
		s[i] = '[';
	s[n] = '1';
	for (i = 0; i < n; i++)
		s[n + 1 + i] = ']';
	s[2 * n + 1] = '\0';
	return s;
}

static void
json__parse__depth_bound(void **state)
{
	struct sc_error err = { 0 };
	char *ok = nested(JSON_MAX_DEPTH);
	char *deep = nested(JSON_MAX_DEPTH + 1);
	char *absurd = nested(100000);

	assert_true(parses(ok, strlen(ok), &err));
	assert_false(parses(deep, strlen(deep), &err));
	assert_int_equal(err.kind, SC_ERR_MALFORMED);
	assert_string_equal(err.message, "response: nested too deeply");
	assert_false(parses(absurd, strlen(absurd), &err));
	assert_string_equal(err.message, "response: nested too deeply");
	/* an unclosed run is refused just as early */
	absurd[50000] = '\0';
	assert_false(parses(absurd, strlen(absurd), &err));
	assert_string_equal(err.message, "response: nested too deeply");
	sc_error_clear(&err);
	free(ok);
	free(deep);
	free(absurd);
}

static void
json__parse__brackets_in_strings_not_counted(void **state)
{
	struct sc_error err = { 0 };
	char s[200];

	snprintf(s, sizeof s, "{\"a\": \"%s\\\"[[[\", \"b\": [\"]]]\"]}",
	         "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[");
	assert_true(parses(s, strlen(s), &err));
	assert_int_equal(err.kind, SC_OK);
}

/* The string value of a one-member object {"a": ...}, parsed. */
static char *
string_of(const char *json)
{
	struct sc_error err = { 0 };
	cJSON *root = json_parse(json, strlen(json), &err);
	char *out;

	assert_non_null(root);
	assert_true(cJSON_IsString(cJSON_GetObjectItem(root, "a")));
	out = strdup(cJSON_GetObjectItem(root, "a")->valuestring);
	cJSON_Delete(root);
	return out;
}

static void
json__parse__refuses_raw_nul(void **state)
{
	struct sc_error err = { 0 };
	const char raw[] = "{\"a\": \"x\0y\"}";
	const char outside[] = "{\"a\": 1}\0";
	const char after_backslash[] = "{\"a\": \"x\\\0y\"}";

	assert_false(parses(raw, sizeof raw - 1, &err));
	assert_string_equal(err.message, "response: contains a NUL character");
	assert_false(parses(outside, sizeof outside - 1, &err));
	assert_string_equal(err.message, "response: contains a NUL character");
	assert_false(parses(after_backslash, sizeof after_backslash - 1, &err));
	sc_error_clear(&err);
}

/* A client may write \u0000: it becomes U+FFFD, never a cut string, and
 * never a refusal of the whole answer. */
static void
json__parse__escaped_nul_becomes_replacement(void **state)
{
	char *s;

	s = string_of("{\"a\": \"x\\u0000y\"}");
	assert_string_equal(s, "x\xef\xbf\xbdy");
	free(s);
	/* \u00000 is NUL then '0'; two in a row; in a key too. */
	s = string_of("{\"a\": \"\\u00000\\u0000\"}");
	assert_string_equal(s, "\xef\xbf\xbd"
	                       "0\xef\xbf\xbd");
	free(s);
	s = string_of("{\"a\\u0000\": 1, \"a\": \"ok\"}");
	assert_string_equal(s, "ok");
	free(s);
	/* \\u0000 is a backslash then "u0000": left alone. */
	s = string_of("{\"a\": \"\\\\u0000\"}");
	assert_string_equal(s, "\\u0000");
	free(s);
	/* Outside a string it is not JSON at all. */
	{
		struct sc_error err = { 0 };

		assert_false(parses("[\\u0000]", 8, &err));
		assert_string_equal(err.message, "response: not valid JSON");
		sc_error_clear(&err);
	}
}

static void
json__parse__trailing_and_truncated(void **state)
{
	struct sc_error err = { 0 };

	assert_true(parses("{\"a\": 1} \r\n\t", 12, &err));
	assert_false(parses("{\"a\": 1} x", 10, &err));
	assert_string_equal(err.message, "response: text after the JSON value");
	assert_false(parses("{\"a\": 1}{}", 10, &err));
	assert_false(parses("{\"a\": 1", 7, &err));
	assert_string_equal(err.message, "response: not valid JSON");
	/* the length is honoured: the text past it is never read */
	assert_true(parses("{\"a\": 1}garbage", 8, &err));
	assert_false(parses("", 0, &err));
	assert_string_equal(err.message, "response: empty body");
	assert_false(parses(NULL, 5, &err));
	sc_error_clear(&err);
}

/* Parses s and runs json_int on member "v". */
static int
int_of(const char *s, int64_t min, int64_t max, int64_t *out,
       struct sc_error *err)
{
	cJSON *root = cJSON_Parse(s);
	int rc = json_int(root, "v", NULL, min, max, out, err);

	cJSON_Delete(root);
	return rc;
}

static void
json__int__ranges(void **state)
{
	struct sc_error err = { 0 };
	int64_t v;

	assert_int_equal(int_of("{\"v\": 9007199254740992}", JSON_ID, &v, &err),
	                 0);
	assert_int_equal(v, JSON_MAX_INT);
	assert_int_equal(int_of("{\"v\": 9007199254740994}", JSON_ID, &v, &err),
	                 -1);
	assert_string_equal(err.message, "v: out of range");
	assert_int_equal(int_of("{\"v\": 0}", JSON_ID, &v, &err), -1);
	assert_int_equal(int_of("{\"v\": -3}", JSON_COUNT, &v, &err), -1);
	assert_int_equal(int_of("{\"v\": 1e999}", JSON_COUNT, &v, &err), -1);
	assert_int_equal(
	    int_of("{\"v\": -1e999}", -JSON_MAX_INT, JSON_MAX_INT, &v, &err),
	    -1);
	assert_int_equal(int_of("{\"v\": 2.5}", JSON_COUNT, &v, &err), -1);
	assert_string_equal(err.message, "v: expected an integer");
	assert_int_equal(int_of("{\"v\": \"2\"}", JSON_COUNT, &v, &err), -1);
	assert_string_equal(err.message, "v: expected an integer");
	assert_int_equal(int_of("{\"v\": true}", JSON_COUNT, &v, &err), -1);
	assert_int_equal(int_of("{\"v\": 1e2}", JSON_COUNT, &v, &err), 0);
	assert_int_equal(v, 100);
	assert_int_equal(int_of("{\"v\": -7}", -10, 10, &v, &err), 0);
	assert_int_equal(v, -7);
	assert_int_equal(int_of("{}", JSON_COUNT, &v, &err), -1);
	assert_string_equal(err.message, "v: missing");
	assert_int_equal(int_of("{\"v\": null}", JSON_COUNT, &v, &err), -1);
	assert_string_equal(err.message, "v: must not be null");
	sc_error_clear(&err);
}

static void
json__time__accepts_rfc3339_utc(void **state)
{
	time_t t;

	assert_int_equal(json_time_parse("2026-11-28T06:55:13Z", &t), 0);
	assert_int_equal(t, 1795848913);
	assert_int_equal(json_time_parse("2026-11-28T06:55:13+00:00", &t), 0);
	assert_int_equal(t, 1795848913);
	assert_int_equal(json_time_parse("2026-11-28T06:55:13.123456Z", &t), 0);
	assert_int_equal(t, 1795848913);
	assert_int_equal(json_time_parse("1970-01-01T00:00:00Z", &t), 0);
	assert_int_equal(t, 0);
	assert_int_equal(json_time_parse("2000-02-29T23:59:59Z", &t), 0);
	assert_int_equal(t, 951868799);
	assert_int_equal(json_time_parse("1969-12-31T23:59:59Z", &t), 0);
	assert_int_equal(t, -1);
}

static void
json__time__refuses_the_rest(void **state)
{
	static const char *const bad[] = {
		"",
		"2026-11-28",
		"2026-11-28T06:55:13",
		"2026-11-28T06:55Z",
		"2026-11-28 06:55:13Z",
		"2026-11-28t06:55:13Z",
		"2026-11-28T06:55:13z",
		"2026-11-28T06:55:13+01:00",
		"2026-11-28T06:55:13-00:00",
		"2026-11-28T06:55:13+0000",
		"2026-11-28T06:55:13.Z",
		"2026-11-28T06:55:13ZZ",
		"2026-11-28T06:55:13Z ",
		"2026-13-01T00:00:00Z",
		"2026-00-01T00:00:00Z",
		"2026-02-29T00:00:00Z",
		"1900-02-29T00:00:00Z",
		"2026-04-31T00:00:00Z",
		"2026-11-28T24:00:00Z",
		"2026-11-28T23:60:00Z",
		"2026-11-28T23:59:61Z",
		"+2026-11-28T06:55:13Z",
		"26-11-28T06:55:13Z",
		"2026-1-28T06:55:13Z",
		"2026-11-28T06:55:1aZ",
	};
	size_t i;
	time_t t;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (json_time_parse(bad[i], &t) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
}

static void
json__path__format(void **state)
{
	struct json_path results = JSON_KEY(NULL, "results");
	struct json_path third = JSON_INDEX(&results, 3);
	struct json_path client = JSON_KEY(&third, "client");
	struct json_path top = JSON_INDEX(NULL, 0);
	char buf[64];

	json_path_format(&client, "name", buf, sizeof buf);
	assert_string_equal(buf, "results[3].client.name");
	json_path_format(&third, NULL, buf, sizeof buf);
	assert_string_equal(buf, "results[3]");
	json_path_format(NULL, NULL, buf, sizeof buf);
	assert_string_equal(buf, "response");
	json_path_format(NULL, "next", buf, sizeof buf);
	assert_string_equal(buf, "next");
	json_path_format(&top, "id", buf, sizeof buf);
	assert_string_equal(buf, "[0].id");
	json_path_format(&client, "name", buf, 8);
	assert_string_equal(buf, "results");
}

static void
json__string__checks(void **state)
{
	struct sc_error err = { 0 };
	cJSON *root = cJSON_Parse("{\"s\": \"caf\\u00e9 \\\"q\\\"\", \"n\": "
	                          "null, \"i\": 3}");
	char *s;

	assert_int_equal(json_string(root, "s", NULL, &s, &err), 0);
	assert_string_equal(s, "caf\xc3\xa9 \"q\"");
	free(s);
	assert_int_equal(json_string(root, "n", NULL, &s, &err), -1);
	assert_null(s);
	assert_string_equal(err.message, "n: must not be null");
	assert_int_equal(json_string_null(root, "n", NULL, &s, &err), 0);
	assert_null(s);
	assert_int_equal(json_string_null(root, "i", NULL, &s, &err), -1);
	assert_string_equal(err.message, "i: expected a string");
	assert_int_equal(json_string_null(root, "x", NULL, &s, &err), -1);
	assert_string_equal(err.message, "x: missing");
	cJSON_Delete(root);
	sc_error_clear(&err);
}

static void
json__string__too_long(void **state)
{
	struct sc_error err = { 0 };
	size_t n = JSON_MAX_STRING + 1;
	char *big = malloc(n + 16);
	cJSON *root;
	char *s;

	memcpy(big, "{\"s\": \"", 7);
	memset(big + 7, 'a', n);
	memcpy(big + 7 + n, "\"}", 3);
	root = json_parse(big, strlen(big), &err);
	assert_non_null(root);
	assert_int_equal(json_string(root, "s", NULL, &s, &err), -1);
	assert_string_equal(err.message, "s: string too long");
	cJSON_Delete(root);
	free(big);
	sc_error_clear(&err);
}

static void
json__enum__unknown_quoted_only_when_safe(void **state)
{
	static const char *const names[] = { "a", "b" };
	struct sc_error err = { 0 };
	cJSON *root = cJSON_Parse("{\"x\": \"b\", \"y\": \"c\", \"z\": "
	                          "\"\\u001b[31m\", \"w\": 1}");
	int v;

	assert_int_equal(json_enum(root, "x", NULL, names, 2, &v, &err), 0);
	assert_int_equal(v, 1);
	assert_int_equal(json_enum(root, "y", NULL, names, 2, &v, &err), -1);
	assert_string_equal(err.message, "y: unknown value \"c\"");
	assert_int_equal(json_enum(root, "z", NULL, names, 2, &v, &err), -1);
	assert_string_equal(err.message, "z: unknown value");
	assert_int_equal(json_enum(root, "w", NULL, names, 2, &v, &err), -1);
	assert_string_equal(err.message, "w: expected a string");
	cJSON_Delete(root);
	sc_error_clear(&err);
}

static void
json__time__getters(void **state)
{
	struct sc_error err = { 0 };
	cJSON *root = cJSON_Parse("{\"t\": \"2026-11-28T06:55:13Z\", \"n\": "
	                          "null, \"b\": \"yesterday\"}");
	bool present = true;
	time_t t;

	assert_int_equal(json_time(root, "t", NULL, &t, &err), 0);
	assert_int_equal(t, 1795848913);
	assert_int_equal(json_time_null(root, "n", NULL, &present, &t, &err),
	                 0);
	assert_false(present);
	assert_int_equal(t, 0);
	assert_int_equal(json_time_null(root, "t", NULL, &present, &t, &err),
	                 0);
	assert_true(present);
	assert_int_equal(json_time(root, "n", NULL, &t, &err), -1);
	assert_int_equal(json_time(root, "b", NULL, &t, &err), -1);
	assert_string_equal(err.message, "b: expected an RFC 3339 UTC time");
	cJSON_Delete(root);
	sc_error_clear(&err);
}

static void
json__path__format_into_nothing_writes_nothing(void **state)
{
	struct json_path results = JSON_KEY(NULL, "results");
	char buf[4] = "abc";

	json_path_format(&results, "next", buf, 0);
	assert_string_equal(buf, "abc");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json__parse__depth_bound),
		cmocka_unit_test(json__parse__brackets_in_strings_not_counted),
		cmocka_unit_test(json__parse__refuses_raw_nul),
		cmocka_unit_test(json__parse__escaped_nul_becomes_replacement),
		cmocka_unit_test(json__parse__trailing_and_truncated),
		cmocka_unit_test(json__int__ranges),
		cmocka_unit_test(json__time__accepts_rfc3339_utc),
		cmocka_unit_test(json__time__refuses_the_rest),
		cmocka_unit_test(json__path__format),
		cmocka_unit_test(json__string__checks),
		cmocka_unit_test(json__string__too_long),
		cmocka_unit_test(json__enum__unknown_quoted_only_when_safe),
		cmocka_unit_test(json__time__getters),
		cmocka_unit_test(
		    json__path__format_into_nothing_writes_nothing),
	};

	return cmocka_run_group_tests_name("net/json", tests, NULL, NULL);
}
