/*
 * libFuzzer harness for tui/sanitize.c. The first byte chooses the flags,
 * the second the width (-4 to 123); the rest is the server's text. Every
 * output must be what sanitize.h promises: valid UTF-8, no control byte
 * but the newlines the flags keep, no DEL, no C1 control, no bidi
 * embedding, override or isolate, nothing wcwidth() calls unprintable,
 * only ASCII under SANITIZE_ASCII. Sanitising sanitised text changes
 * nothing; sanitize_fit fits in its width and is a prefix of the
 * sanitised text (plus an ellipsis when cut); sanitize_prefix never
 * splits a character and takes every character that fits.
 */
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "tests/fuzz/check_utf8.h"
#include "tui/sanitize.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ALL_FLAGS                                                              \
	(SANITIZE_KEEP_NEWLINES | SANITIZE_TABS_AS_SPACE | SANITIZE_ASCII)

/* Aborts (a finding) unless s is drawable text as sanitize.h defines it. */
static void
check_clean(const char *s, unsigned flags)
{
	size_t n = strlen(s), i = 0, len;
	uint32_t cp;

	while (i < n) {
		len = check_utf8_char(s + i, n - i, &cp);
		if (len == 0)
			abort(); /* not valid UTF-8 */
		if (cp < 0x20 &&
		    !(cp == '\n' && (flags & SANITIZE_KEEP_NEWLINES)))
			abort(); /* a C0 control, or a newline not kept */
		if (cp >= 0x7f && cp <= 0x9f)
			abort(); /* DEL or a C1 control */
		if ((cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			abort(); /* a bidi embedding, override or isolate */
		if (cp >= 0x80 && (flags & SANITIZE_ASCII))
			abort();
		if (cp >= 0x80 && cp != 0xfffd && wcwidth((wchar_t)cp) < 0)
			abort(); /* unprintable */
		i += len;
	}
}

/* Aborts unless sanitize(s, flags) gives s back. */
static void
check_fixed_point(const char *s, unsigned flags)
{
	char *again = sanitize(s, strlen(s), flags);

	if (strcmp(again, s) != 0)
		abort();
	free(again);
}

/* The display width of the first character of sanitised s (s not ""). */
static int
first_char_width(const char *s)
{
	uint32_t cp;
	size_t len = check_utf8_char(s, strlen(s), &cp);
	char one[5] = { 0 };

	if (len == 0)
		abort();
	memcpy(one, s, len);
	return sanitize_width(one);
}

/* sanitize_prefix on sanitised s: a whole-character, maximal prefix. */
static void
check_prefix(const char *s, int width)
{
	int used = -1;
	size_t off = sanitize_prefix(s, width, &used);
	char *head;

	if (off > strlen(s) || used < 0 || used > (width > 0 ? width : 0) ||
	    ((unsigned char)s[off] & 0xc0) == 0x80)
		abort();
	head = strndup(s, off);
	if (head == NULL || sanitize_width(head) != used)
		abort();
	free(head);
	/* The next character did not fit. */
	if (s[off] != '\0' && used + first_char_width(s + off) <= width)
		abort();
	if (sanitize_prefix(s, width, NULL) != off)
		abort();
}

/* sanitize_fit of raw text: fits, and is the sanitised text or its cut. */
static void
check_fit(const char *raw, int width, unsigned flags)
{
	unsigned fit_flags = (flags & SANITIZE_ASCII) | SANITIZE_KEEP_NEWLINES;
	const char *dots = (flags & SANITIZE_ASCII) ? "..." : "\u2026";
	char *clean = sanitize_str(raw, fit_flags);
	char *fit = sanitize_fit(raw, width, flags);
	char *twice = sanitize_fit(clean, width, flags);
	size_t n = strlen(fit), d = strlen(dots), keep;

	check_clean(fit, fit_flags);
	if (strcmp(fit, twice) != 0)
		abort(); /* sanitising first is harmless */
	if (width <= 0) {
		if (n != 0)
			abort();
	} else if (sanitize_width(clean) <= width) {
		if (strcmp(fit, clean) != 0)
			abort(); /* text that fits comes back whole */
	} else {
		if (sanitize_width(fit) > width)
			abort();
		keep = n >= d && strcmp(fit + n - d, dots) == 0 ? n - d : n;
		/* A cut of the clean text, on a character boundary. */
		if (strncmp(fit, clean, keep) != 0 ||
		    ((unsigned char)clean[keep] & 0xc0) == 0x80)
			abort();
		if (width > sanitize_width(dots) && keep == n)
			abort(); /* cut with room for the ellipsis, but none */
	}
	free(clean);
	free(fit);
	free(twice);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned flags;
	int width;
	const char *in;
	char *raw, *out, *str;
	size_t n;

	if (size < 2)
		return 0;
	flags = data[0] & ALL_FLAGS;
	width = (int)(data[1] & 0x7f) - 4;
	in = (const char *)data + 2;
	n = size - 2;

	out = sanitize(in, n, flags);
	check_clean(out, flags);
	check_fixed_point(out, flags);
	/* What sanitize_fit does first leaves sanitised text alone too. */
	check_fixed_point(out,
	                  (flags & SANITIZE_ASCII) | SANITIZE_KEEP_NEWLINES);
	if (sanitize_width(out) < 0)
		abort();
	check_prefix(out, width);

	/* The string forms see the text up to its first NUL. */
	raw = strndup(in, n);
	if (raw == NULL)
		abort();
	str = sanitize_str(raw, flags);
	check_clean(str, flags);
	if (strlen(raw) == n && strcmp(str, out) != 0)
		abort();
	check_fit(raw, width, flags);
	free(str);
	free(raw);
	free(out);
	return 0;
}
