/* Unit tests for net/client/sse.c: the WHATWG event stream interpretation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/client/sse.h"

/* What the callback saw: one "type|id|data" line per event, escaped. */
struct record {
	char log[8192];
	size_t len;
	int events;
	int stop_after; /* stop when this many events were seen; 0: never */
};

/* Appends s to the log, with bytes outside printable ASCII as \xHH. */
static void
log_escaped(struct record *r, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int w;

		if (c >= 0x20 && c < 0x7f && c != '\\')
			w = snprintf(r->log + r->len, sizeof r->log - r->len,
			             "%c", c);
		else
			w = snprintf(r->log + r->len, sizeof r->log - r->len,
			             "\\x%02x", c);
		assert_true(w > 0 && (size_t)w < sizeof r->log - r->len);
		r->len += (size_t)w;
	}
}

static int
on_event(const struct sse_event *ev, void *ud)
{
	struct record *r = ud;

	assert_non_null(ev->id);
	assert_non_null(ev->type);
	assert_non_null(ev->data);
	assert_int_equal(ev->data[ev->data_len], '\0');
	assert_true(ev->type_len > 0);
	assert_int_equal(ev->type[ev->type_len], '\0');
	log_escaped(r, ev->type, ev->type_len);
	log_escaped(r, "|", 1);
	log_escaped(r, ev->id, strlen(ev->id));
	log_escaped(r, "|", 1);
	log_escaped(r, ev->data, ev->data_len);
	log_escaped(r, "\n", 1);
	r->events++;
	return r->stop_after != 0 && r->events == r->stop_after;
}

/* Feeds len bytes of s to p in one call, expecting success. */
static void
feed(struct sse_parser *p, struct record *r, const char *s, size_t len)
{
	struct sc_error err = { 0 };

	assert_int_equal(sse_feed(p, s, len, on_event, r, &err), SSE_OK);
	assert_int_equal(err.kind, SC_OK);
}

/* Parses the whole of s with a new parser; returns the event log. */
static const char *
parse_n(struct record *r, const char *s, size_t len)
{
	struct sse_parser *p = sse_parser_new();

	memset(r, 0, sizeof *r);
	feed(p, r, s, len);
	sse_parser_free(p);
	return r->log;
}

#define PARSE(r, lit) parse_n((r), (lit), sizeof(lit) - 1)

static void
sse__feed__field_with_and_without_space(void **state)
{
	struct record r;

	assert_string_equal(PARSE(&r, "data: x\n\n"), "message||x\\x0a");
	assert_string_equal(PARSE(&r, "data:x\n\n"), "message||x\\x0a");
	/* Only one space goes. */
	assert_string_equal(PARSE(&r, "data:  x\n\n"), "message|| x\\x0a");
	/* A tab is not a space. */
	assert_string_equal(PARSE(&r, "data:\tx\n\n"), "message||\\x09x\\x0a");
	/* Only the first colon separates. */
	assert_string_equal(PARSE(&r, "data: a: b\n\n"), "message||a: b\\x0a");
}

static void
sse__feed__empty_value_and_no_colon(void **state)
{
	struct record r;

	/* An empty data line still dispatches, with empty data. */
	assert_string_equal(PARSE(&r, "data:\n\n"), "message||\\x0a");
	assert_string_equal(PARSE(&r, "data: \n\n"), "message||\\x0a");
	assert_string_equal(PARSE(&r, "data\n\n"), "message||\\x0a");
	assert_int_equal(r.events, 1);
	/* A bare "event" sets an empty type: that is "message". */
	assert_string_equal(PARSE(&r, "event: x\nevent\ndata: a\n\n"),
	                    "message||a\\x0a");
	assert_string_equal(PARSE(&r, "event:\ndata: a\n\n"),
	                    "message||a\\x0a");
}

static void
sse__feed__multi_line_data(void **state)
{
	struct record r;

	assert_string_equal(PARSE(&r, "data: a\ndata: b\ndata: c\n\n"),
	                    "message||a\\x0ab\\x0ac\\x0a");
	/* Two empty data lines make one \n. */
	assert_string_equal(PARSE(&r, "data\ndata\n\n"), "message||\\x0a\\x0a");
	assert_string_equal(PARSE(&r, "data: a\ndata:\n\n"),
	                    "message||a\\x0a\\x0a");
}

static void
sse__feed__event_type_and_reset(void **state)
{
	struct record r;

	assert_string_equal(
	    PARSE(&r, "event: task.updated\ndata: {}\n\ndata: 2\n\n"),
	    "task.updated||{}\\x0amessage||2\\x0a");
	/* A later event line wins. */
	assert_string_equal(PARSE(&r, "event: a\nevent: b\ndata: 1\n\n"),
	                    "b||1\\x0a");
}

static void
sse__feed__line_endings(void **state)
{
	struct record r;

	assert_string_equal(PARSE(&r, "data: a\r\n\r\n"), "message||a\\x0a");
	assert_string_equal(PARSE(&r, "data: a\r\r"), "message||a\\x0a");
	assert_string_equal(PARSE(&r, "data: a\n\n"), "message||a\\x0a");
	/* Mixed: CRLF, CR, LF then a CRLF blank line. */
	assert_string_equal(PARSE(&r, "data: a\r\ndata: b\rdata: c\n\r\n"),
	                    "message||a\\x0ab\\x0ac\\x0a");
	/* LF CR is two line ends: the CR is the blank line. */
	assert_string_equal(PARSE(&r, "data: a\n\rdata: b\r\n\n"),
	                    "message||a\\x0amessage||b\\x0a");
	/* CR CR LF: a line end, then a blank line (CRLF). */
	assert_string_equal(PARSE(&r, "data: a\r\r\n"), "message||a\\x0a");
	assert_int_equal(r.events, 1);
}

static void
sse__feed__crlf_split_across_calls(void **state)
{
	struct sse_parser *p = sse_parser_new();
	struct record r = { 0 };

	feed(p, &r, "data: a\r", 8);
	feed(p, &r, "\ndata: b\r", 9);
	feed(p, &r, "\n", 1);
	assert_int_equal(r.events, 0);
	feed(p, &r, "\r", 1);
	assert_int_equal(r.events, 1);
	feed(p, &r, "\n", 1); /* the LF of that CRLF, not another line */
	feed(p, &r, "data: c\n\n", 9);
	assert_string_equal(r.log, "message||a\\x0ab\\x0amessage||c\\x0a");
	sse_parser_free(p);
}

static void
sse__feed__bom_skipped_once(void **state)
{
	struct record r;
	struct sse_parser *p;

	assert_string_equal(PARSE(&r, "\xef\xbb\xbf"
	                              "data: a\n\n"),
	                    "message||a\\x0a");
	/* A second BOM belongs to the first field's name: unknown field. */
	assert_string_equal(PARSE(&r, "\xef\xbb\xbf\xef\xbb\xbf"
	                              "data: a\n\ndata: b\n\n"),
	                    "message||b\\x0a");
	/* A BOM later in the stream is not skipped. */
	assert_string_equal(PARSE(&r, "data: a\n\n\xef\xbb\xbf"
	                              "data: b\n\n"),
	                    "message||a\\x0a");
	/* The start of a BOM that is not one is decoded after all. */
	assert_string_equal(PARSE(&r, "\xef\xbb"
	                              "data: a\n\ndata: b\n\n"),
	                    "message||b\\x0a");
	assert_string_equal(PARSE(&r, "\xef"
	                              "data: a\n\n"),
	                    "");
	/* Split byte by byte. */
	p = sse_parser_new();
	memset(&r, 0, sizeof r);
	feed(p, &r, "\xef", 1);
	feed(p, &r, "\xbb", 1);
	feed(p, &r, "\xbf", 1);
	feed(p, &r, "data: z\n\n", 9);
	assert_string_equal(r.log, "message||z\\x0a");
	sse_parser_free(p);
}

static void
sse__feed__comments_counted_not_dispatched(void **state)
{
	struct sse_parser *p = sse_parser_new();
	struct record r = { 0 };
	static const char s[] = ": ping\n\n:\ndata: a\n: in the middle\n"
	                        "data: b\n\n:no space\r\n";

	feed(p, &r, s, sizeof s - 1);
	assert_string_equal(r.log, "message||a\\x0ab\\x0a");
	assert_int_equal(sse_parser_comments(p), 4);
	assert_int_equal(sse_parser_bytes_seen(p), sizeof s - 1);
	sse_parser_free(p);
}

static void
sse__feed__id_persists(void **state)
{
	struct sse_parser *p = sse_parser_new();
	struct record r = { 0 };
	static const char s[] = "id: 41\ndata: a\n\ndata: b\n\n"
	                        "id: 42\n\ndata: c\n\n"
	                        "id\ndata: d\n\n";

	assert_string_equal(sse_parser_last_id(p), "");
	feed(p, &r, s, sizeof s - 1);
	assert_string_equal(r.log, "message|41|a\\x0amessage|41|b\\x0a"
	                           "message|42|c\\x0amessage||d\\x0a");
	assert_string_equal(sse_parser_last_id(p), "");
	sse_parser_free(p);
}

static void
sse__feed__last_id_set_at_blank_line(void **state)
{
	struct sse_parser *p = sse_parser_new();
	struct record r = { 0 };

	/* An id with no data is still recorded, at the blank line. */
	feed(p, &r, "id: 7\n\n", 7);
	assert_int_equal(r.events, 0);
	assert_string_equal(sse_parser_last_id(p), "7");
	/* Not before the blank line that ends its event. */
	feed(p, &r, "id: 8\ndata: x\n", 14);
	assert_string_equal(sse_parser_last_id(p), "7");
	feed(p, &r, "\n", 1);
	assert_string_equal(sse_parser_last_id(p), "8");
	assert_string_equal(r.log, "message|8|x\\x0a");
	sse_parser_free(p);
}

static void
sse__feed__id_with_nul_ignored(void **state)
{
	struct sse_parser *p = sse_parser_new();
	struct record r = { 0 };
	static const char s[] = "id: 1\n\nid: 2\0x\ndata: a\n\n";

	feed(p, &r, s, sizeof s - 1);
	assert_string_equal(r.log, "message|1|a\\x0a");
	assert_string_equal(sse_parser_last_id(p), "1");
	sse_parser_free(p);
}

/* Found by fuzz_sse: an event type made of NUL bytes is not empty. */
static void
sse__feed__nul_in_event_type_kept(void **state)
{
	struct record r;
	static const char s[] = "event: \0\0\ndata: a\n\n"
	                        "event: x\0y\ndata: b\n\n";

	assert_string_equal(parse_n(&r, s, sizeof s - 1),
	                    "\\x00\\x00||a\\x0ax\\x00y||b\\x0a");
}

static void
sse__feed__nul_in_data_kept(void **state)
{
	struct record r;
	static const char s[] = "data: a\0b\n\n";

	assert_string_equal(parse_n(&r, s, sizeof s - 1),
	                    "message||a\\x00b\\x0a");
}

/* The reconnection time after feeding s to a new parser. */
static long long
retry_after(const char *s)
{
	struct sse_parser *p = sse_parser_new();
	struct record r = { 0 };
	long long ms;

	feed(p, &r, s, strlen(s));
	ms = sse_parser_retry_ms(p);
	sse_parser_free(p);
	return ms;
}

static void
sse__feed__retry(void **state)
{
	assert_int_equal(retry_after(""), -1);
	assert_int_equal(retry_after("retry: 3000\n"), 3000);
	assert_int_equal(retry_after("retry:0\n"), 0);
	assert_int_equal(retry_after("retry: 3000\nretry: 10\n"), 10);
	/* Anything but digits leaves the time alone. */
	assert_int_equal(retry_after("retry: 3000\nretry: 30s\n"), 3000);
	assert_int_equal(retry_after("retry: -1\n"), -1);
	assert_int_equal(retry_after("retry: 1.5\n"), -1);
	assert_int_equal(retry_after("retry:  100\n"), -1);
	assert_int_equal(retry_after("retry: 100 \n"), -1);
	assert_int_equal(retry_after("retry:\n"), -1);
	assert_int_equal(retry_after("retry\n"), -1);
	assert_int_equal(retry_after("retry: \xd9\xa1\n"), -1); /* Arabic 1 */
	/* Huge values saturate instead of wrapping. */
	assert_true(retry_after("retry: 99999999999999999999999999\n") >
	            1000000000LL);
	/* retry alone dispatches nothing. */
	{
		struct record r;

		assert_string_equal(PARSE(&r, "retry: 5\n\n"), "");
	}
}

static void
sse__feed__event_without_data_not_dispatched(void **state)
{
	struct record r;

	assert_string_equal(PARSE(&r, "event: a\n\ndata: x\n\n"),
	                    "message||x\\x0a");
	assert_string_equal(PARSE(&r, "event: a\nid: 3\n\n"), "");
	/* An event never ended by a blank line is not dispatched. */
	assert_string_equal(PARSE(&r, "data: x\n"), "");
	assert_string_equal(PARSE(&r, "data: x"), "");
}

static void
sse__feed__unknown_fields_ignored(void **state)
{
	struct record r;

	assert_string_equal(PARSE(&r, "foo: bar\nDATA: x\ndata : y\n"
	                              "Event: z\n\n"),
	                    "");
	assert_string_equal(PARSE(&r, "foo: bar\ndata: x\nbaz\n\n"),
	                    "message||x\\x0a");
}

static void
sse__feed__utf8_repaired_and_split(void **state)
{
	struct record r;
	struct sse_parser *p;
	static const char euro[] = "data: \xe2\x82\xac\n\n";
	size_t i;

	assert_string_equal(PARSE(&r, "data: \xff\n\n"),
	                    "message||\\xef\\xbf\\xbd\\x0a");
	/* A truncated sequence is one U+FFFD. */
	assert_string_equal(PARSE(&r, "data: \xe2\x82x\n\n"),
	                    "message||\\xef\\xbf\\xbdx\\x0a");
	/* ...and does not swallow the line end. */
	assert_string_equal(PARSE(&r, "data: \xe2\x82\n\n"),
	                    "message||\\xef\\xbf\\xbd\\x0a");
	/* Overlong forms and surrogates: one U+FFFD per byte. */
	assert_string_equal(PARSE(&r, "data:\xc0\xaf\n\n"),
	                    "message||\\xef\\xbf\\xbd\\xef\\xbf\\xbd\\x0a");
	assert_string_equal(PARSE(&r, "data:\xed\xa0\x80\n\n"),
	                    "message||\\xef\\xbf\\xbd\\xef\\xbf\\xbd"
	                    "\\xef\\xbf\\xbd\\x0a");
	/* A four-byte character passes through. */
	assert_string_equal(PARSE(&r, "data:\xf0\x9f\x98\x80\n\n"),
	                    "message||\\xf0\\x9f\\x98\\x80\\x0a");
	/* Split inside the character. */
	for (i = 0; i <= sizeof euro - 1; i++) {
		p = sse_parser_new();
		memset(&r, 0, sizeof r);
		feed(p, &r, euro, i);
		feed(p, &r, euro + i, sizeof euro - 1 - i);
		assert_string_equal(r.log, "message||\\xe2\\x82\\xac\\x0a");
		sse_parser_free(p);
	}
}

static void
sse__feed__line_limit(void **state)
{
	struct sse_parser *p = sse_parser_new();
	struct sc_error err = { 0 };
	struct record r = { 0 };

	sse_parser_set_limit(p, 16);
	feed(p, &r, "data: 0123456789\n\n", 18); /* 16 bytes: fits */
	assert_int_equal(
	    sse_feed(p, "data: 0123456789A", 17, on_event, &r, &err),
	    SSE_ERROR);
	assert_int_equal(err.kind, SC_ERR_TOO_LARGE);
	assert_non_null(err.message);
	sc_error_clear(&err);
	/* The stream stays failed... */
	assert_int_equal(sse_feed(p, "\n\n", 2, on_event, &r, &err), SSE_ERROR);
	assert_int_equal(err.kind, SC_ERR_TOO_LARGE);
	sc_error_clear(&err);
	/* ...until a reconnection resets it. */
	sse_parser_reset(p);
	feed(p, &r, "data: ok\n\n", 10);
	assert_string_equal(r.log, "message||0123456789\\x0amessage||ok\\x0a");
	/* Without an error to fill, the result alone says it. */
	assert_int_equal(
	    sse_feed(p, "xxxxxxxxxxxxxxxxxxxxxxxxxxx", 27, on_event, &r, NULL),
	    SSE_ERROR);
	sse_parser_free(p);
}

static void
sse__feed__data_limit(void **state)
{
	struct sse_parser *p = sse_parser_new();
	struct sc_error err = { 0 };
	struct record r = { 0 };

	sse_parser_set_limit(p, 16);
	/* Each line fits; the data buffer (with its \n) would not. */
	feed(p, &r, "data: 1234567\ndata: 1234567\n", 28); /* 16 bytes */
	assert_int_equal(sse_feed(p, "data:\n", 6, on_event, &r, &err),
	                 SSE_ERROR);
	assert_int_equal(err.kind, SC_ERR_TOO_LARGE);
	assert_int_equal(r.events, 0);
	sc_error_clear(&err);
	sse_parser_free(p);
}

static void
sse__feed__default_limit(void **state)
{
	struct sse_parser *p = sse_parser_new();
	struct sc_error err = { 0 };
	struct record r = { 0 };
	size_t n = SSE_DEFAULT_LIMIT + 1;
	char *big = malloc(n);

	assert_non_null(big);
	memset(big, 'x', n);
	assert_int_equal(sse_feed(p, big, n - 1, on_event, &r, &err), SSE_OK);
	assert_int_equal(sse_feed(p, big, 1, on_event, &r, &err), SSE_ERROR);
	assert_int_equal(err.kind, SC_ERR_TOO_LARGE);
	sc_error_clear(&err);
	free(big);
	sse_parser_free(p);
}

static void
sse__feed__callback_stops(void **state)
{
	struct sse_parser *p = sse_parser_new();
	struct record r = { 0 };
	static const char s[] = "data: a\r\n\r\ndata: b\r\n\r\n";
	size_t rest;

	r.stop_after = 1;
	assert_int_equal(sse_feed(p, s, sizeof s - 1, on_event, &r, NULL),
	                 SSE_STOPPED);
	assert_string_equal(r.log, "message||a\\x0a");
	/* Stopped at the CR of the blank line: "\n" and event b remain. */
	rest = sse_parser_unparsed(p);
	assert_int_equal(rest, sizeof s - 1 - 10);
	assert_int_equal(sse_parser_bytes_seen(p), 10);
	feed(p, &r, s + sizeof s - 1 - rest, rest);
	assert_int_equal(sse_parser_unparsed(p), 0);
	assert_string_equal(r.log, "message||a\\x0amessage||b\\x0a");
	sse_parser_free(p);
}

static void
sse__reset__keeps_last_id_and_retry(void **state)
{
	struct sse_parser *p = sse_parser_new();
	struct record r = { 0 };

	feed(p, &r, "retry: 500\nid: 9\n\nid: 10\ndata: half", 35);
	sse_parser_reset(p);
	assert_string_equal(sse_parser_last_id(p), "9");
	assert_int_equal(sse_parser_retry_ms(p), 500);
	/* The half event is gone; the id buffer starts from the last id. */
	feed(p, &r,
	     "\xef\xbb\xbf"
	     "data: new\n\n",
	     14);
	assert_string_equal(r.log, "message|9|new\\x0a");
	sse_parser_free(p);
}

/* A stream with every feature, for the split tests. */
static const char stream[] =
    "\xef\xbb\xbf: welcome\r\n"
    "retry: 2500\r\n"
    "id: 1234\n"
    "event: message.created\n"
    "data: {\"conversation_id\": 7,\r"
    "data:  \"body\": \"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"}\r\n"
    "\r\n"
    ": ping\n"
    "\n"
    "event: resync\r"
    "data\r"
    "\r"
    "id: 1235\n"
    "data: bad \xff\xe2\x82 utf8\n"
    "unknown: field\n"
    "data:last\n"
    "\n"
    "event: ignored-no-data\n"
    "\n"
    "id: 12\0"
    "36\n"
    "data: x\n"
    "\n"
    "data: unfinished";

/* The events of stream, fed in the chunks that cut[] marks. */
static void
parse_cut(struct record *r, const size_t *cut, size_t ncut)
{
	struct sse_parser *p = sse_parser_new();
	size_t i, from = 0;

	memset(r, 0, sizeof *r);
	for (i = 0; i <= ncut; i++) {
		size_t to = i < ncut ? cut[i] : sizeof stream - 1;

		feed(p, r, stream + from, to - from);
		from = to;
	}
	assert_string_equal(sse_parser_last_id(p), "1235");
	assert_int_equal(sse_parser_retry_ms(p), 2500);
	assert_int_equal(sse_parser_comments(p), 2);
	assert_int_equal(sse_parser_bytes_seen(p), sizeof stream - 1);
	sse_parser_free(p);
}

/* The log of stream's events; the log escapes newlines as \x0a. */
static const char want[] =
    "message.created|1234|{\"conversation_id\": 7,\\x0a "
    "\"body\": \"caf\\xc3\\xa9 \\xe2\\x82\\xac \\xf0\\x9f\\x98\\x80\"}\\x0a"
    "resync|1234|\\x0a"
    "message|1235|bad \\xef\\xbf\\xbd\\xef\\xbf\\xbd utf8\\x0alast\\x0a"
    "message|1235|x\\x0a";

static void
sse__feed__every_split_gives_same_events(void **state)
{
	struct record r;
	size_t cut[2], i, j;
	size_t n = sizeof stream - 1;

	parse_cut(&r, NULL, 0);
	assert_string_equal(r.log, want);
	assert_int_equal(r.events, 4);
	for (i = 0; i <= n; i++) {
		cut[0] = i;
		parse_cut(&r, cut, 1);
		assert_string_equal(r.log, want);
	}
	/* Every pair of cuts: three chunks, covering all two-byte splits. */
	for (i = 0; i <= n; i++)
		for (j = i; j <= n; j++) {
			cut[0] = i;
			cut[1] = j;
			parse_cut(&r, cut, 2);
			assert_string_equal(r.log, want);
		}
}

static void
sse__feed__byte_by_byte_gives_same_events(void **state)
{
	struct record whole, bytes;
	size_t cut[sizeof stream - 1];
	size_t i;

	parse_cut(&whole, NULL, 0);
	for (i = 0; i < sizeof stream - 1; i++)
		cut[i] = i;
	parse_cut(&bytes, cut, sizeof stream - 1);
	assert_int_equal(bytes.events, 4);
	assert_string_equal(bytes.log, whole.log);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sse__feed__field_with_and_without_space),
		cmocka_unit_test(sse__feed__empty_value_and_no_colon),
		cmocka_unit_test(sse__feed__multi_line_data),
		cmocka_unit_test(sse__feed__event_type_and_reset),
		cmocka_unit_test(sse__feed__line_endings),
		cmocka_unit_test(sse__feed__crlf_split_across_calls),
		cmocka_unit_test(sse__feed__bom_skipped_once),
		cmocka_unit_test(sse__feed__comments_counted_not_dispatched),
		cmocka_unit_test(sse__feed__id_persists),
		cmocka_unit_test(sse__feed__last_id_set_at_blank_line),
		cmocka_unit_test(sse__feed__id_with_nul_ignored),
		cmocka_unit_test(sse__feed__nul_in_data_kept),
		cmocka_unit_test(sse__feed__nul_in_event_type_kept),
		cmocka_unit_test(sse__feed__retry),
		cmocka_unit_test(sse__feed__event_without_data_not_dispatched),
		cmocka_unit_test(sse__feed__unknown_fields_ignored),
		cmocka_unit_test(sse__feed__utf8_repaired_and_split),
		cmocka_unit_test(sse__feed__line_limit),
		cmocka_unit_test(sse__feed__data_limit),
		cmocka_unit_test(sse__feed__default_limit),
		cmocka_unit_test(sse__feed__callback_stops),
		cmocka_unit_test(sse__reset__keeps_last_id_and_retry),
		cmocka_unit_test(sse__feed__every_split_gives_same_events),
		cmocka_unit_test(sse__feed__byte_by_byte_gives_same_events),
	};

	return cmocka_run_group_tests_name("net/sse", tests, NULL, NULL);
}
