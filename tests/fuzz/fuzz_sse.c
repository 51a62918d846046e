/*
 * libFuzzer harness for net/client/sse.c. The first two bytes choose how to cut
 * the rest into pieces and which size bound to use; the rest is the
 * stream. Whatever the cut, the events, the last event ID, the retry
 * time, the comment count and the outcome must be those of feeding the
 * whole stream at once, every text handed out must be valid UTF-8, and
 * stopping after every event and resuming must change nothing either.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/client/sse.h"
#include "tests/fuzz/check_utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Everything one run observed, for comparing runs. */
struct run {
	char *log; /* events as type_len type id \0 data_len data, in a row */
	size_t len, cap;
	int rc;
	char last_id[256];
	long long retry;
	unsigned long long comments;
	bool stop_each; /* stop after every event */
};

static void
append(struct run *r, const void *p, size_t n)
{
	if (r->len + n > r->cap) {
		r->cap = (r->len + n) * 2 + 64;
		r->log = realloc(r->log, r->cap);
		if (r->log == NULL)
			abort();
	}
	memcpy(r->log + r->len, p, n);
	r->len += n;
}

static int
on_event(const struct sse_event *ev, void *ud)
{
	struct run *r = ud;

	if (ev->data[ev->data_len] != '\0' ||
	    !check_utf8(ev->data, ev->data_len) || ev->type_len == 0 ||
	    ev->type[ev->type_len] != '\0' ||
	    !check_utf8(ev->type, ev->type_len) ||
	    !check_utf8(ev->id, strlen(ev->id)))
		abort();
	append(r, &ev->type_len, sizeof ev->type_len);
	append(r, ev->type, ev->type_len);
	append(r, ev->id, strlen(ev->id) + 1);
	append(r, &ev->data_len, sizeof ev->data_len);
	append(r, ev->data, ev->data_len);
	return r->stop_each;
}

/* Feeds one piece, resuming after every stop; returns the outcome. */
static int
feed_piece(struct sse_parser *p, const char *s, size_t n, struct run *r)
{
	struct sc_error err = { 0 };
	int rc;

	while ((rc = sse_feed(p, s, n, on_event, r, &err)) == SSE_STOPPED) {
		size_t left = sse_parser_unparsed(p);

		if (left > n)
			abort();
		s += n - left;
		n = left;
	}
	if ((rc == SSE_ERROR) != (err.kind == SC_ERR_TOO_LARGE))
		abort();
	sc_error_clear(&err);
	return rc;
}

/* Parses s cut at the offsets in cut[], recording what happened. */
static void
parse(const char *s, size_t n, const size_t *cut, size_t ncut, size_t limit,
      struct run *r)
{
	struct sse_parser *p = sse_parser_new();
	size_t i, from = 0;

	sse_parser_set_limit(p, limit);
	r->rc = SSE_OK;
	for (i = 0; i <= ncut && r->rc == SSE_OK; i++) {
		size_t to = i < ncut ? cut[i] : n;

		r->rc = feed_piece(p, s + from, to - from, r);
		from = to;
	}
	if (r->rc == SSE_OK && sse_parser_bytes_seen(p) != n)
		abort();
	snprintf(r->last_id, sizeof r->last_id, "%s", sse_parser_last_id(p));
	if (!check_utf8(sse_parser_last_id(p), strlen(sse_parser_last_id(p))))
		abort();
	r->retry = sse_parser_retry_ms(p);
	r->comments = sse_parser_comments(p);
	sse_parser_free(p);
}

/* Whether two runs saw the same; after an error only events count. */
static bool
same(const struct run *a, const struct run *b)
{
	if (a->rc != b->rc || a->len != b->len ||
	    (a->len > 0 && memcmp(a->log, b->log, a->len) != 0))
		return false;
	if (a->rc == SSE_ERROR)
		return true;
	return strcmp(a->last_id, b->last_id) == 0 && a->retry == b->retry &&
	       a->comments == b->comments;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t limits[] = { SSE_DEFAULT_LIMIT, 1, 7, 64 };
	struct run whole = { 0 }, split = { 0 }, bytes = { 0 };
	size_t cut[16], ncut = 0, n, i;
	unsigned seed;
	size_t limit;
	const char *s;

	if (size < 2)
		return 0;
	seed = data[0];
	limit = limits[data[1] % 4];
	s = (const char *)data + 2;
	n = size - 2;
	/* Up to 16 increasing cut points from a small LCG on the seed. */
	for (i = 0; i < (seed & 15u) && n > 0; i++) {
		seed = seed * 1103515245u + 12345u;
		cut[ncut] = (seed >> 8) % (n + 1);
		if (ncut > 0 && cut[ncut] < cut[ncut - 1])
			cut[ncut] = cut[ncut - 1];
		ncut++;
	}
	parse(s, n, NULL, 0, limit, &whole);
	split.stop_each = (data[1] & 4) != 0;
	parse(s, n, cut, ncut, limit, &split);
	if (!same(&whole, &split))
		abort();
	/* Byte by byte, for short inputs (long ones cost too much). */
	if (n <= 512) {
		size_t *every = malloc((n + 1) * sizeof *every);

		if (every == NULL)
			abort();
		for (i = 0; i < n; i++)
			every[i] = i;
		parse(s, n, every, n, limit, &bytes);
		free(every);
		if (!same(&whole, &bytes))
			abort();
	}
	free(whole.log);
	free(split.log);
	free(bytes.log);
	return 0;
}
