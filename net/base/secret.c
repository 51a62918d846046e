/* Secret bytes in sodium memory; the sealed-box opener and its JSON reader. */
#include "net/base/secret.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <sodium.h>

#include "net/base/utf8.h"
#include "net/base/xmalloc.h"

/*
 * The handle is ordinary memory (a pointer and two counters: nothing
 * secret); the bytes are sodium_malloc'd, guarded and locked. Opens nest:
 * `opens` counts them, and the pages go back to no-access when the last
 * one closes. A write open while a read open is outstanding upgrades the
 * pages to read-write until then.
 */
struct secret {
	unsigned char *bytes;
	size_t len;
	unsigned opens;
	bool writable;
};

/* Deepest nesting of arrays and objects the JSON reader skips over. */
#define JSON_MAX_DEPTH 32

struct secret *
secret_new(size_t len, struct sc_error *err)
{
	struct secret *s;
	unsigned char *b;

	if (sodium_init() < 0) {
		sc_error_set(err, SC_ERR_LOCAL, "libsodium failed to start");
		return NULL;
	}
	/* sodium_malloc(0) is legal but hands back nothing usable. */
	b = sodium_malloc(len > 0 ? len : 1);
	if (b == NULL) {
		sc_error_set(err, SC_ERR_LOCAL,
		             "cannot allocate %zu bytes of locked memory", len);
		return NULL;
	}
	sodium_memzero(b, len > 0 ? len : 1);
	sodium_mprotect_noaccess(b);
	s = xcalloc(1, sizeof *s);
	s->bytes = b;
	s->len = len;
	return s;
}

void
secret_free(struct secret *s)
{
	if (s == NULL)
		return;
	sodium_free(s->bytes); /* makes it writable, zeroes, unmaps */
	free(s);
}

size_t
secret_len(const struct secret *s)
{
	return s->len;
}

const unsigned char *
secret_open_read(struct secret *s)
{
	if (s->opens++ == 0) {
		s->writable = false;
		sodium_mprotect_readonly(s->bytes);
	}
	return s->bytes;
}

unsigned char *
secret_open_write(struct secret *s)
{
	s->opens++;
	if (!s->writable) {
		s->writable = true;
		sodium_mprotect_readwrite(s->bytes);
	}
	return s->bytes;
}

void
secret_close(struct secret *s)
{
	if (s->opens == 0)
		abort(); /* a close without an open: a broken invariant */
	if (--s->opens == 0) {
		s->writable = false;
		sodium_mprotect_noaccess(s->bytes);
	}
}

/* ---- sealed boxes ------------------------------------------------------ */

/* Decodes standard base64 into a new secret sized to the result. */
static struct secret *
decode_b64(const char *b64, struct sc_error *err)
{
	size_t n = strlen(b64), max = n / 4 * 3 + 3, got = 0;
	struct secret *buf = secret_new(max, err), *out;

	if (buf == NULL)
		return NULL;
	if (sodium_base642bin(secret_open_write(buf), max, b64, n, NULL, &got,
	                      NULL, sodium_base64_VARIANT_ORIGINAL) != 0) {
		secret_close(buf);
		secret_free(buf);
		sc_error_set(err, SC_ERR_LOCAL,
		             "the sealed credential failed authentication: "
		             "it is not valid base64");
		return NULL;
	}
	out = secret_new(got, err);
	if (out != NULL) {
		memcpy(secret_open_write(out), buf->bytes, got);
		secret_close(out);
	}
	secret_close(buf);
	secret_free(buf);
	return out;
}

struct secret *
secret_unseal(const char *sealed_b64, const unsigned char *pk,
              struct secret *sk, struct sc_error *err)
{
	struct secret *box, *plain = NULL;
	size_t blen;
	int rc;

	if (secret_len(sk) != crypto_box_SECRETKEYBYTES) {
		sc_error_set(err, SC_ERR_LOCAL, "the private key has %zu bytes",
		             secret_len(sk));
		return NULL;
	}
	box = decode_b64(sealed_b64, err);
	if (box == NULL)
		return NULL;
	blen = secret_len(box);
	if (blen < crypto_box_SEALBYTES) {
		sc_error_set(err, SC_ERR_LOCAL,
		             "the sealed credential failed authentication: "
		             "%zu bytes is too short for a sealed box",
		             blen);
		secret_free(box);
		return NULL;
	}
	plain = secret_new(blen - crypto_box_SEALBYTES, err);
	if (plain != NULL) {
		rc = crypto_box_seal_open(secret_open_write(plain),
		                          secret_open_read(box), blen, pk,
		                          secret_open_read(sk));
		secret_close(sk);
		secret_close(box);
		secret_close(plain);
		if (rc != 0) {
			secret_free(plain);
			plain = NULL;
			sc_error_set(err, SC_ERR_LOCAL,
			             "the sealed credential failed "
			             "authentication: it was not sealed to "
			             "this key, or it was altered");
		}
	}
	secret_free(box);
	return plain;
}

/* ---- the plaintext's JSON ---------------------------------------------- */

/*
 * A strict reader over one secret's bytes (RFC 8259, no extensions).
 * Strings go through a sink, never through ordinary memory: with `out`
 * they are written there, with `cmp` they are compared against a
 * NUL-terminated name, and in both cases `len` counts the unescaped
 * bytes. What fails is reported by position and reason, never by content.
 */
struct scan {
	const unsigned char *p;
	size_t n, i;
	const char *why; /* the first problem found, or NULL */
};

struct sink {
	unsigned char *out;
	const char *cmp;
	bool match;
	size_t len;
};

/* Records the first problem; always returns -1 for the caller to return. */
static int
fail(struct scan *sc, const char *why)
{
	if (sc->why == NULL)
		sc->why = why;
	return -1;
}

static void
skip_ws(struct scan *sc)
{
	while (sc->i < sc->n && (sc->p[sc->i] == ' ' || sc->p[sc->i] == '\t' ||
	                         sc->p[sc->i] == '\n' || sc->p[sc->i] == '\r'))
		sc->i++;
}

/* Takes byte c when it comes next. */
static bool
accept(struct scan *sc, unsigned char c)
{
	if (sc->i < sc->n && sc->p[sc->i] == c) {
		sc->i++;
		return true;
	}
	return false;
}

static void
sink_put(struct sink *k, unsigned char b)
{
	if (k->out != NULL)
		k->out[k->len] = b;
	if (k->cmp != NULL && (!k->match || (unsigned char)k->cmp[k->len] != b))
		k->match = false;
	k->len++;
}

/* Writes code point cp as UTF-8 into the sink. */
static void
sink_put_cp(struct sink *k, uint32_t cp)
{
	char b[4];
	size_t i, n = utf8_encode(cp, b);

	for (i = 0; i < n; i++)
		sink_put(k, (unsigned char)b[i]);
	sodium_memzero(b, sizeof b); /* a character of a secret */
}

/* The four hex digits of a \u escape (after the 'u'); -1 when invalid. */
static long
hex4(struct scan *sc)
{
	long v = 0;
	int j, c;

	if (sc->n - sc->i < 4)
		return fail(sc, "a \\u escape is cut short");
	for (j = 0; j < 4; j++) {
		c = sc->p[sc->i++];
		if (c >= '0' && c <= '9')
			v = v * 16 + (c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v = v * 16 + (c - 'A' + 10);
		else
			return fail(sc, "a \\u escape has a non-hex digit");
	}
	return v;
}

/* A \uXXXX escape (after the 'u'), joining a surrogate pair. */
static int
unicode_escape(struct scan *sc, struct sink *k)
{
	long hi = hex4(sc), lo;

	if (hi < 0)
		return -1;
	if (hi >= 0xdc00 && hi <= 0xdfff)
		return fail(sc, "a lone low surrogate");
	if (hi >= 0xd800 && hi <= 0xdbff) {
		if (!accept(sc, '\\') || !accept(sc, 'u'))
			return fail(sc, "a high surrogate without its pair");
		lo = hex4(sc);
		if (lo < 0)
			return -1;
		if (lo < 0xdc00 || lo > 0xdfff)
			return fail(sc, "a high surrogate without its pair");
		hi = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
	}
	if (hi == 0)
		return fail(sc, "a string holds a NUL (\\u0000)");
	sink_put_cp(k, (uint32_t)hi);
	return 0;
}

/* One escape (after the backslash). */
static int
escape(struct scan *sc, struct sink *k)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *hit;
	unsigned char c;

	if (sc->i >= sc->n)
		return fail(sc, "the input ends inside a string");
	c = sc->p[sc->i++];
	if (c == 'u')
		return unicode_escape(sc, k);
	hit = c != '\0' ? strchr(from, c) : NULL;
	if (hit == NULL)
		return fail(sc, "an unknown escape in a string");
	sink_put(k, (unsigned char)to[hit - from]);
	return 0;
}

/* The length of the UTF-8 character at i, or 0 when it is not strict UTF-8. */
static size_t
utf8_seq(const struct scan *sc)
{
	uint32_t cp;
	size_t len =
	    utf8_decode((const char *)sc->p + sc->i, sc->n - sc->i, &cp);

	return cp == UTF8_INVALID ? 0 : len;
}

/* A string (at its opening quote) into the sink. */
static int
string(struct scan *sc, struct sink *k)
{
	size_t len, j;
	unsigned char c;

	if (!accept(sc, '"'))
		return fail(sc, "a string was expected");
	for (;;) {
		if (sc->i >= sc->n)
			return fail(sc, "the input ends inside a string");
		c = sc->p[sc->i];
		if (c == '"') {
			sc->i++;
			break;
		}
		if (c < 0x20)
			return fail(sc, "a control character in a string");
		if (c == '\\') {
			sc->i++;
			if (escape(sc, k) != 0)
				return -1;
			continue;
		}
		len = c < 0x80 ? 1 : utf8_seq(sc);
		if (len == 0)
			return fail(sc, "a string is not valid UTF-8");
		for (j = 0; j < len; j++)
			sink_put(k, sc->p[sc->i++]);
	}
	/* k->len may be past the name's end once it stopped matching */
	if (k->cmp != NULL && k->match && k->cmp[k->len] != '\0')
		k->match = false;
	return 0;
}

/* Skips digits; how many there were. */
static size_t
digits(struct scan *sc)
{
	size_t start = sc->i;

	while (sc->i < sc->n && sc->p[sc->i] >= '0' && sc->p[sc->i] <= '9')
		sc->i++;
	return sc->i - start;
}

/* A number, by the JSON grammar (no leading zeros, no bare dot). */
static int
number(struct scan *sc)
{
	accept(sc, '-');
	if (accept(sc, '0')) {
		if (sc->i < sc->n && sc->p[sc->i] >= '0' && sc->p[sc->i] <= '9')
			return fail(sc, "a number has a leading zero");
	} else if (digits(sc) == 0)
		return fail(sc, "a value was expected");
	if (accept(sc, '.') && digits(sc) == 0)
		return fail(sc, "a number has no digits after its dot");
	if (accept(sc, 'e') || accept(sc, 'E')) {
		if (!accept(sc, '+'))
			accept(sc, '-');
		if (digits(sc) == 0)
			return fail(sc, "a number has an empty exponent");
	}
	return 0;
}

/* One of the words true, false, null. */
static int
word(struct scan *sc, const char *w)
{
	size_t n = strlen(w);

	if (sc->n - sc->i < n || memcmp(sc->p + sc->i, w, n) != 0)
		return fail(sc, "a value was expected");
	sc->i += n;
	return 0;
}

static int skip_value(struct scan *sc, int depth);

/* The rest of an array or object after its opening bracket. */
static int
skip_container(struct scan *sc, unsigned char close, int depth)
{
	struct sink none = { 0 };

	if (depth > JSON_MAX_DEPTH)
		return fail(sc, "arrays and objects nest too deeply");
	skip_ws(sc);
	if (accept(sc, close))
		return 0;
	for (;;) {
		if (close == '}') {
			if (string(sc, &none) != 0)
				return -1;
			skip_ws(sc);
			if (!accept(sc, ':'))
				return fail(sc, "a ':' was expected");
			skip_ws(sc);
		}
		if (skip_value(sc, depth) != 0)
			return -1;
		skip_ws(sc);
		if (accept(sc, close))
			return 0;
		if (!accept(sc, ','))
			return fail(sc,
			            "a ',' or closing bracket was expected");
		skip_ws(sc);
	}
}

/* Skips any one value (with its nested values, depth-limited). */
static int
skip_value(struct scan *sc, int depth)
{
	struct sink none = { 0 };

	if (sc->i >= sc->n)
		return fail(sc, "the input ends where a value was expected");
	switch (sc->p[sc->i]) {
	case '"':
		return string(sc, &none);
	case '{':
		sc->i++;
		return skip_container(sc, '}', depth + 1);
	case '[':
		sc->i++;
		return skip_container(sc, ']', depth + 1);
	case 't':
		return word(sc, "true");
	case 'f':
		return word(sc, "false");
	case 'n':
		return word(sc, "null");
	default:
		return number(sc);
	}
}

/* What the first pass found about the member asked for. */
struct member {
	int count;    /* how many members had the name */
	bool string;  /* its value is a string */
	size_t at;    /* where that string starts */
	size_t len;   /* its unescaped length */
	char type[8]; /* else what it is: "null", "number", ... */
};

/* Notes the value (at sc's position) of a member named like the key. */
static void
note_member(struct scan *sc, struct member *m)
{
	static const char *const types[] = { "{object", "[array", "ttrue",
		                             "ffalse",  "nnull",  NULL };
	size_t j;

	m->count++;
	m->at = sc->i;
	m->string = sc->i < sc->n && sc->p[sc->i] == '"';
	snprintf(m->type, sizeof m->type, "number");
	for (j = 0; types[j] != NULL && sc->i < sc->n; j++)
		if (types[j][0] == (char)sc->p[sc->i])
			snprintf(m->type, sizeof m->type, "%s", types[j] + 1);
}

/* One member "name": value; notes it in m when the name is key. */
static int
scan_member(struct scan *sc, const char *key, struct member *m)
{
	struct sink name = { .cmp = key, .match = true }, value = { 0 };

	if (string(sc, &name) != 0)
		return -1;
	skip_ws(sc);
	if (!accept(sc, ':'))
		return fail(sc, "a ':' was expected");
	skip_ws(sc);
	if (!name.match)
		return skip_value(sc, 1);
	note_member(sc, m);
	if (!m->string)
		return skip_value(sc, 1);
	if (string(sc, &value) != 0)
		return -1;
	m->len = value.len;
	return 0;
}

/* The first pass: the whole text is one object; finds key's member. */
static int
scan_object(struct scan *sc, const char *key, struct member *m)
{
	skip_ws(sc);
	if (!accept(sc, '{'))
		return fail(sc, "it is not a JSON object");
	skip_ws(sc);
	if (!accept(sc, '}'))
		for (;;) {
			if (scan_member(sc, key, m) != 0)
				return -1;
			skip_ws(sc);
			if (accept(sc, '}'))
				break;
			if (!accept(sc, ','))
				return fail(sc, "a ',' or '}' was expected");
			skip_ws(sc);
		}
	skip_ws(sc);
	if (sc->i != sc->n)
		return fail(sc, "something follows the object");
	return 0;
}

/* The second pass: the string at m->at unescaped into a new secret. */
static struct secret *
copy_member(struct scan *sc, const struct member *m, struct sc_error *err)
{
	struct secret *out = secret_new(m->len + 1, err);
	struct sink k;

	if (out == NULL)
		return NULL;
	k = (struct sink){ .out = secret_open_write(out) };
	sc->i = m->at;
	string(sc, &k); /* cannot fail: the first pass read it */
	k.out[k.len] = '\0';
	secret_close(out);
	return out;
}

/* Checks the first pass's findings; sets err and returns -1 when bad. */
static int
check_member(const struct scan *sc, const char *key, const struct member *m,
             struct sc_error *err)
{
	if (sc->why != NULL)
		sc_error_set(err, SC_ERR_MALFORMED,
		             "the revealed credential is not valid: %s "
		             "(at byte %zu)",
		             sc->why, sc->i);
	else if (m->count == 0)
		sc_error_set(err, SC_ERR_MALFORMED,
		             "the revealed credential has no \"%s\"", key);
	else if (m->count > 1)
		sc_error_set(err, SC_ERR_MALFORMED,
		             "the revealed credential has \"%s\" twice", key);
	else if (!m->string)
		sc_error_set(err, SC_ERR_MALFORMED,
		             "the revealed credential's \"%s\" is %s, not a "
		             "string",
		             key, m->type);
	else
		return 0;
	return -1;
}

struct secret *
secret_json_string(struct secret *s, const char *key, struct sc_error *err)
{
	struct scan sc = { .n = secret_len(s) };
	struct member m = { 0 };
	struct secret *out = NULL;

	sc.p = secret_open_read(s);
	scan_object(&sc, key, &m); /* a failure leaves sc.why set */
	if (check_member(&sc, key, &m, err) == 0)
		out = copy_member(&sc, &m, err);
	secret_close(s);
	return out;
}

/* ---- the process ------------------------------------------------------- */

int
secret_harden_process(struct sc_error *err)
{
	struct rlimit none = { 0, 0 };

	if (setrlimit(RLIMIT_CORE, &none) != 0) {
		sc_error_set(err, SC_ERR_LOCAL,
		             "cannot turn core dumps off (setrlimit: %s)",
		             strerror(errno));
		return -1;
	}
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
		sc_error_set(err, SC_ERR_LOCAL,
		             "cannot make the process non-dumpable (prctl: %s)",
		             strerror(errno));
		return -1;
	}
	return 0;
}
