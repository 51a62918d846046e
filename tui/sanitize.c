/* Makes untrusted text safe to draw: see sanitize.h for the rules. */
#include "tui/sanitize.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "net/base/utf8.h"
#include "net/base/xmalloc.h"

#define REPLACEMENT 0xFFFDu

/* A growable output buffer; the sanitiser's only allocation. */
struct out {
	char *buf;
	size_t len, cap;
};

static void
out_put(struct out *o, const char *s, size_t n)
{
	if (o->len + n + 1 > o->cap) {
		o->cap = (o->len + n + 1) * 2;
		o->buf = xrealloc(o->buf, o->cap);
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

/* Appends code point cp as UTF-8. */
static void
out_utf8(struct out *o, uint32_t cp)
{
	char b[4];

	out_put(o, b, utf8_encode(cp, b));
}

/* Decodes one character at s (n bytes left): broken UTF-8 is U+FFFD. */
static size_t
decode(const char *s, size_t n, uint32_t *cp)
{
	size_t len = utf8_decode(s, n, cp);

	if (*cp == UTF8_INVALID)
		*cp = REPLACEMENT;
	return len;
}

/* Bidi embeddings, overrides and isolates: dropped, never drawn. */
static bool
is_bidi_control(uint32_t cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Writes a control character as a visible escape. */
static void
out_escape(struct out *o, uint32_t cp)
{
	char b[16];

	if (cp < 0x20)
		snprintf(b, sizeof b, "^%c", (char)(cp + 0x40));
	else if (cp == 0x7F)
		snprintf(b, sizeof b, "^?");
	else if (cp < 0xA0)
		snprintf(b, sizeof b, "<%02X>", (unsigned)cp);
	else
		snprintf(b, sizeof b, "<U+%04X>", (unsigned)cp);
	out_put(o, b, strlen(b));
}

bool
sanitize_keeps(uint32_t cp, unsigned flags, int *width)
{
	int w;

	if (cp == UTF8_INVALID || cp < 0x20 || (cp >= 0x7F && cp < 0xA0) ||
	    is_bidi_control(cp))
		return false;
	if (cp < 0x80) {
		*width = 1;
		return true;
	}
	if (flags & SANITIZE_ASCII)
		return false;
	/* U+FFFD stands for broken input: kept even where the locale cannot
	 * say its width (C), since it is what the rules put there. */
	w = cp == REPLACEMENT ? 1 : wcwidth((wchar_t)cp);
	if (w < 0)
		return false;
	*width = w;
	return true;
}

/* Appends one decoded character according to the rules and flags. */
static void
put_char(struct out *o, uint32_t cp, unsigned flags)
{
	int width;

	if (cp == '\n' && (flags & SANITIZE_KEEP_NEWLINES))
		out_put(o, "\n", 1);
	else if (cp == '\t' && (flags & SANITIZE_TABS_AS_SPACE))
		out_put(o, " ", 1);
	else if (sanitize_keeps(cp, flags, &width))
		out_utf8(o, cp);
	else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
		out_escape(o, cp);
	else if (is_bidi_control(cp))
		return;
	else if (flags & SANITIZE_ASCII)
		out_put(o, "?", 1);
	else
		out_escape(o, cp); /* no width in this locale */
}

/* Whether c is printable ASCII: kept as it is, one column wide, under
 * every rule and flag. */
static bool
plain(char c)
{
	return c >= 0x20 && c < 0x7F;
}

/* The length of the run of printable ASCII at the start of s (n bytes). */
static size_t
plain_run(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && plain(s[i]))
		i++;
	return i;
}

char *
sanitize(const char *in, size_t len, unsigned flags)
{
	struct out o = { NULL, 0, 0 };
	uint32_t cp;
	size_t i = 0;

	/* Most text drawn is plain ASCII: copied without decoding each
	 * character (a table row is a dozen of these per frame). */
	if (plain_run(in, len) == len)
		return xstrndup(in, len);
	out_put(&o, "", 0);
	while (i < len) {
		/* A line ending written on Windows ("\r\n") is a newline, not
		 * a ^M at the end of every line of a message. */
		if ((flags & SANITIZE_KEEP_NEWLINES) && in[i] == '\r' &&
		    i + 1 < len && in[i + 1] == '\n') {
			i++;
			continue;
		}
		i += decode(in + i, len - i, &cp);
		put_char(&o, cp, flags);
	}
	return o.buf;
}

char *
sanitize_str(const char *in, unsigned flags)
{
	if (in == NULL)
		return xstrdup("");
	return sanitize(in, strlen(in), flags);
}

/* The width of the character at s (sanitised input), and its length. */
static size_t
char_width(const char *s, int *w)
{
	uint32_t cp;
	size_t n = decode(s, strnlen(s, 4), &cp);
	int cw = cp == '\n' ? 0 : cp < 0x80 ? 1 : wcwidth((wchar_t)cp);

	*w = cw < 0 ? 1 : cw;
	return n;
}

int
sanitize_width(const char *s)
{
	int total = 0, w;

	while (*s != '\0') {
		if (plain(*s)) {
			s++;
			total++;
			continue;
		}
		s += char_width(s, &w);
		total += w;
	}
	return total;
}

size_t
sanitize_prefix(const char *s, int width, int *used)
{
	size_t off = 0, n;
	int total = 0, w;

	while (s[off] != '\0') {
		if (plain(s[off]) && total < width) {
			off++;
			total++;
			continue;
		}
		n = char_width(s + off, &w);
		if (total + w > width)
			break;
		total += w;
		off += n;
	}
	if (used != NULL)
		*used = total;
	return off;
}

/* The fitted prefix of sanitised s, as sanitize_fit describes. */
static char *
fit_clean(const char *s, int width, unsigned flags)
{
	const char *dots = (flags & SANITIZE_ASCII) ? "..." : "\u2026";
	int dots_w = (flags & SANITIZE_ASCII) ? 3 : 1;
	size_t n;

	if (width <= 0)
		return xstrdup("");
	if (sanitize_width(s) <= width)
		return xstrdup(s);
	if (width <= dots_w)
		return xstrndup(s, sanitize_prefix(s, width, NULL));
	n = sanitize_prefix(s, width - dots_w, NULL);
	return xasprintf("%.*s%s", (int)n, s, dots);
}

/*
 * Sanitises s first (a no-op on sanitised text), so a caller that forgot
 * cannot put the server's bidi or C1 controls on the screen: what this
 * returns is drawn as is.
 */
char *
sanitize_fit(const char *s, int width, unsigned flags)
{
	char *clean =
	    sanitize_str(s, (flags & SANITIZE_ASCII) | SANITIZE_KEEP_NEWLINES);
	char *fit = fit_clean(clean, width, flags);

	free(clean);
	return fit;
}
