/*
 * Server-Sent Events, parsed as the WHATWG HTML standard's "event stream
 * interpretation" says, fed in arbitrary pieces.
 *
 * Bytes pass through three stages, each keeping just enough state to
 * resume in the middle of its unit when a piece ends:
 *
 *   raw byte -> BOM skip -> UTF-8 decode (repairs to U+FFFD) -> line split
 *
 * The line splitter collects one line (ending in CRLF, LF or CR; a CR
 * remembers itself so that an LF starting the next piece is not a second
 * line end) and hands it to the field interpreter, which fills the data,
 * event type and last event ID buffers and dispatches on a blank line.
 * Only a line end can dispatch, and line ends are ASCII, so stopping
 * after a dispatch never leaves a stage half-way through its unit.
 */
#include "net/client/sse.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "net/base/xmalloc.h"

/* Buffers larger than this are freed rather than kept for reuse. */
#define SSE_KEEP_CAPACITY ((size_t)64 * 1024)

/* A growable byte string, NUL-terminated once anything was stored. */
struct sbuf {
	char *s;
	size_t len, cap;
};

/* The UTF-8 decoder's state between bytes (WHATWG "UTF-8 decoder"). */
struct utf8_state {
	unsigned char seq[4]; /* the bytes of the sequence so far */
	unsigned char have;   /* how many of them */
	unsigned char need;   /* continuation bytes still wanted; 0: none */
	unsigned char lo, hi; /* the range the next byte must be in */
};

struct sse_parser {
	size_t limit;
	bool failed;        /* a bound was exceeded on this stream */
	bool bom_done;      /* the leading BOM was skipped or ruled out */
	unsigned bom_match; /* BOM bytes matched so far */
	struct utf8_state utf8;
	bool last_cr;     /* the last character was a CR line end */
	struct sbuf line; /* the line being collected */
	struct sbuf data; /* the data buffer */
	struct sbuf type; /* the event type buffer */
	struct sbuf id;   /* the last event ID buffer */
	struct sbuf last; /* the last event ID string */
	long long retry;  /* the reconnection time, -1 when never set */
	size_t unparsed;  /* left over by the last stopped sse_feed */
	unsigned long long comments, bytes_seen;
};

/* The callback and its context, passed down the stages of one feed. */
struct sse_sink {
	sse_event_cb cb;
	void *ud;
	struct sc_error *err;
};

static const unsigned char bom[3] = { 0xef, 0xbb, 0xbf };
static const char replacement[3] = { '\xef', '\xbf', '\xbd' }; /* U+FFFD */

/* Makes room for extra more bytes and the terminating NUL. */
static void
sbuf_reserve(struct sbuf *b, size_t extra)
{
	size_t want = b->len + extra + 1;

	if (want <= b->cap)
		return;
	if (want < b->cap * 2)
		want = b->cap * 2;
	if (want < 64)
		want = 64;
	b->s = xrealloc(b->s, want);
	b->cap = want;
}

static void
sbuf_append(struct sbuf *b, const char *s, size_t n)
{
	sbuf_reserve(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
sbuf_set(struct sbuf *dst, const char *s, size_t n)
{
	dst->len = 0;
	sbuf_append(dst, s, n);
}

/* The contents as a C string; "" when nothing was ever stored. */
static const char *
sbuf_str(const struct sbuf *b)
{
	return b->s != NULL ? b->s : "";
}

/* Empties b, giving back its memory when it grew large. */
static void
sbuf_clear(struct sbuf *b)
{
	if (b->cap > SSE_KEEP_CAPACITY) {
		free(b->s);
		b->s = NULL;
		b->cap = 0;
	}
	b->len = 0;
	if (b->s != NULL)
		b->s[0] = '\0';
}

static void
sbuf_release(struct sbuf *b)
{
	free(b->s);
	memset(b, 0, sizeof *b);
}

struct sse_parser *
sse_parser_new(void)
{
	struct sse_parser *p = xcalloc(1, sizeof *p);

	p->limit = SSE_DEFAULT_LIMIT;
	p->retry = -1;
	p->utf8.lo = 0x80;
	p->utf8.hi = 0xbf;
	return p;
}

void
sse_parser_free(struct sse_parser *p)
{
	if (p == NULL)
		return;
	sbuf_release(&p->line);
	sbuf_release(&p->data);
	sbuf_release(&p->type);
	sbuf_release(&p->id);
	sbuf_release(&p->last);
	free(p);
}

void
sse_parser_set_limit(struct sse_parser *p, size_t max)
{
	p->limit = max;
}

void
sse_parser_reset(struct sse_parser *p)
{
	sbuf_clear(&p->line);
	sbuf_clear(&p->data);
	sbuf_clear(&p->type);
	sbuf_set(&p->id, sbuf_str(&p->last), p->last.len);
	memset(&p->utf8, 0, sizeof p->utf8);
	p->utf8.lo = 0x80;
	p->utf8.hi = 0xbf;
	p->failed = false;
	p->bom_done = false;
	p->bom_match = 0;
	p->last_cr = false;
	p->unparsed = 0;
}

const char *
sse_parser_last_id(const struct sse_parser *p)
{
	return sbuf_str(&p->last);
}

long long
sse_parser_retry_ms(const struct sse_parser *p)
{
	return p->retry;
}

unsigned long long
sse_parser_comments(const struct sse_parser *p)
{
	return p->comments;
}

unsigned long long
sse_parser_bytes_seen(const struct sse_parser *p)
{
	return p->bytes_seen;
}

size_t
sse_parser_unparsed(const struct sse_parser *p)
{
	return p->unparsed;
}

/* Marks the stream failed with a limit error. */
static int
fail_too_large(struct sse_parser *p, struct sse_sink *k, const char *what)
{
	p->failed = true;
	if (k->err != NULL)
		sc_error_set(k->err, SC_ERR_TOO_LARGE,
		             "event stream %s is longer than %zu bytes", what,
		             p->limit);
	return SSE_ERROR;
}

/* Whether the field name (n bytes, may hold NUL) is exactly want. */
static bool
name_is(const char *name, size_t n, const char *want)
{
	return n == strlen(want) && memcmp(name, want, n) == 0;
}

/* retry: only ASCII digits set the reconnection time (saturating). */
static void
field_retry(struct sse_parser *p, const char *v, size_t n)
{
	long long ms = 0;
	size_t i;

	if (n == 0)
		return;
	for (i = 0; i < n; i++)
		if (v[i] < '0' || v[i] > '9')
			return;
	for (i = 0; i < n; i++) {
		int d = v[i] - '0';

		ms = ms > (LLONG_MAX - d) / 10 ? LLONG_MAX : ms * 10 + d;
	}
	p->retry = ms;
}

/* Applies one field to the buffers, as "process the field" says. */
static int
process_field(struct sse_parser *p, struct sse_sink *k, const char *name,
              size_t nlen, const char *v, size_t vlen)
{
	if (name_is(name, nlen, "event")) {
		sbuf_set(&p->type, v, vlen);
	} else if (name_is(name, nlen, "data")) {
		if (p->data.len > p->limit || vlen + 1 > p->limit - p->data.len)
			return fail_too_large(p, k, "event data");
		sbuf_append(&p->data, v, vlen);
		sbuf_append(&p->data, "\n", 1);
	} else if (name_is(name, nlen, "id")) {
		if (memchr(v, '\0', vlen) == NULL)
			sbuf_set(&p->id, v, vlen);
	} else if (name_is(name, nlen, "retry")) {
		field_retry(p, v, vlen);
	}
	return SSE_OK;
}

/* A blank line: records the last event ID and dispatches any data. */
static int
dispatch(struct sse_parser *p, struct sse_sink *k)
{
	struct sse_event ev;
	int stop;

	sbuf_set(&p->last, sbuf_str(&p->id), p->id.len);
	if (p->data.len == 0) {
		sbuf_clear(&p->type);
		return SSE_OK;
	}
	p->data.s[--p->data.len] = '\0'; /* the data always ends in \n */
	ev.id = sbuf_str(&p->id);
	ev.type = p->type.len > 0 ? p->type.s : "message";
	ev.type_len = p->type.len > 0 ? p->type.len : strlen("message");
	ev.data = p->data.s;
	ev.data_len = p->data.len;
	stop = k->cb != NULL ? k->cb(&ev, k->ud) : 0;
	sbuf_clear(&p->data);
	sbuf_clear(&p->type);
	return stop != 0 ? SSE_STOPPED : SSE_OK;
}

/* Interprets one complete line (without its line end). */
static int
process_line(struct sse_parser *p, struct sse_sink *k)
{
	const char *line = sbuf_str(&p->line);
	size_t len = p->line.len;
	const char *colon, *v;
	size_t nlen, vlen;

	if (len == 0)
		return dispatch(p, k);
	if (line[0] == ':') {
		p->comments++;
		return SSE_OK;
	}
	colon = memchr(line, ':', len);
	if (colon == NULL)
		return process_field(p, k, line, len, "", 0);
	nlen = (size_t)(colon - line);
	v = colon + 1;
	vlen = len - nlen - 1;
	if (vlen > 0 && v[0] == ' ') {
		v++;
		vlen--;
	}
	return process_field(p, k, line, nlen, v, vlen);
}

/* Adds n decoded bytes that hold no line end to the current line. */
static int
line_append(struct sse_parser *p, struct sse_sink *k, const char *s, size_t n)
{
	p->last_cr = false;
	if (n > p->limit || p->line.len > p->limit - n)
		return fail_too_large(p, k, "line");
	sbuf_append(&p->line, s, n);
	return SSE_OK;
}

/* Takes one decoded ASCII character: a line end or part of the line. */
static int
line_char(struct sse_parser *p, struct sse_sink *k, char c)
{
	int rc;

	if (c == '\n' && p->last_cr) {
		p->last_cr = false; /* the LF of a CRLF split or not */
		return SSE_OK;
	}
	if (c != '\r' && c != '\n')
		return line_append(p, k, &c, 1);
	p->last_cr = c == '\r';
	rc = process_line(p, k);
	sbuf_clear(&p->line);
	return rc;
}

/* Starts a multi-byte sequence whose lead byte is b. */
static void
utf8_start(struct utf8_state *u, unsigned char b, int need, int lo, int hi)
{
	u->seq[0] = b;
	u->have = 1;
	u->need = (unsigned char)need;
	u->lo = (unsigned char)lo;
	u->hi = (unsigned char)hi;
}

/* A lead byte (or ASCII) with no sequence pending. */
static int
utf8_lead(struct sse_parser *p, struct sse_sink *k, unsigned char b)
{
	struct utf8_state *u = &p->utf8;

	if (b < 0x80)
		return line_char(p, k, (char)b);
	if (b >= 0xc2 && b <= 0xdf)
		utf8_start(u, b, 1, 0x80, 0xbf);
	else if (b >= 0xe0 && b <= 0xef)
		utf8_start(u, b, 2, b == 0xe0 ? 0xa0 : 0x80,
		           b == 0xed ? 0x9f : 0xbf);
	else if (b >= 0xf0 && b <= 0xf4)
		utf8_start(u, b, 3, b == 0xf0 ? 0x90 : 0x80,
		           b == 0xf4 ? 0x8f : 0xbf);
	else
		return line_append(p, k, replacement, sizeof replacement);
	return SSE_OK;
}

/*
 * Decodes one byte as the WHATWG UTF-8 decoder does: valid sequences pass
 * through unchanged, each maximal invalid part becomes U+FFFD, and a byte
 * that breaks a sequence is then decoded afresh.
 */
static int
utf8_byte(struct sse_parser *p, struct sse_sink *k, unsigned char b)
{
	struct utf8_state *u = &p->utf8;
	int rc;

	if (u->need == 0)
		return utf8_lead(p, k, b);
	if (b < u->lo || b > u->hi) {
		u->need = 0;
		u->lo = 0x80;
		u->hi = 0xbf;
		rc = line_append(p, k, replacement, sizeof replacement);
		return rc != SSE_OK ? rc : utf8_lead(p, k, b);
	}
	u->lo = 0x80;
	u->hi = 0xbf;
	u->seq[u->have++] = b;
	if (--u->need > 0)
		return SSE_OK;
	return line_append(p, k, (const char *)u->seq, u->have);
}

/* Skips one leading BOM; bytes that only began one are decoded after all. */
static int
bom_byte(struct sse_parser *p, struct sse_sink *k, unsigned char b)
{
	unsigned i;
	int rc;

	if (b == bom[p->bom_match]) {
		p->bom_done = ++p->bom_match == sizeof bom;
		return SSE_OK;
	}
	p->bom_done = true;
	for (i = 0; i < p->bom_match; i++)
		if ((rc = utf8_byte(p, k, bom[i])) != SSE_OK)
			return rc;
	return utf8_byte(p, k, b);
}

/* The length of the run at s of ASCII bytes that are not line ends. */
static size_t
plain_run(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] < 0x80 && s[i] != '\r' && s[i] != '\n')
		i++;
	return i;
}

int
sse_feed(struct sse_parser *p, const char *buf, size_t len, sse_event_cb cb,
         void *ud, struct sc_error *err)
{
	struct sse_sink k = { cb, ud, err };
	const unsigned char *s = (const unsigned char *)buf;
	size_t i = 0, run;
	int rc = SSE_OK;

	p->unparsed = 0;
	if (p->failed) {
		if (err != NULL)
			sc_error_set(err, SC_ERR_TOO_LARGE,
			             "event stream already failed");
		return SSE_ERROR;
	}
	while (i < len && rc == SSE_OK) {
		/* Plain ASCII is by far the common case: copy it in runs. */
		if (p->bom_done && p->utf8.need == 0 &&
		    (run = plain_run(s + i, len - i)) > 0) {
			rc = line_append(p, &k, buf + i, run);
			i += run;
			continue;
		}
		if (p->bom_done)
			rc = utf8_byte(p, &k, s[i]);
		else
			rc = bom_byte(p, &k, s[i]);
		i++;
	}
	p->bytes_seen += i;
	if (rc == SSE_STOPPED)
		p->unparsed = len - i;
	return rc;
}
