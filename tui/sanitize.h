/* The one sanitiser every server-supplied string passes before display. */
#ifndef SITECARE_TUI_SANITIZE_H
#define SITECARE_TUI_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Client-written text reaches a staff terminal, so nothing the server sends
 * may drive it. sanitize() turns arbitrary bytes into text that is safe to
 * draw:
 *   - broken UTF-8 (bad bytes, overlong forms, surrogates, > U+10FFFF)
 *     becomes U+FFFD;
 *   - C0 controls, DEL and ESC become caret escapes (^[, ^G, ^?), C1
 *     controls become <9B>-style escapes, so they are visible, not obeyed;
 *   - bidi embeddings, overrides and isolates (U+202A-202E, U+2066-2069)
 *     are removed, so text cannot reorder what surrounds it;
 *   - other characters that wcwidth() calls unprintable become <U+XXXX>.
 * The result is valid UTF-8 containing no byte below 0x20 except the
 * newlines and tabs that flags keep.
 */
enum sanitize_flags {
	SANITIZE_KEEP_NEWLINES = 1 << 0, /* keep \n (message bodies); \r\n
	                                    becomes \n */
	SANITIZE_TABS_AS_SPACE = 1 << 1, /* \t becomes one space */
	SANITIZE_ASCII = 1 << 2,         /* non-ASCII becomes '?' */
};

/* The sanitised copy of len bytes of in; the caller frees it. */
char *sanitize(const char *in, size_t len, unsigned flags);

/* sanitize() of a NUL-terminated string; NULL gives "". */
char *sanitize_str(const char *in, unsigned flags);

/*
 * True when sanitize() would keep code point cp (UTF8_INVALID for a broken
 * sequence) as it is under flags, not escape, drop or replace it; then
 * *width is its display width. Newlines and tabs are never kept here. For
 * text that must not be copied into ordinary memory to be sanitised (a
 * revealed secret), so it is drawn character by character where it is.
 */
bool sanitize_keeps(uint32_t cp, unsigned flags, int *width);

/*
 * The display width of sanitised text (wcwidth per character; a newline
 * counts as zero). Needs an LC_CTYPE that is UTF-8 for non-ASCII.
 */
int sanitize_width(const char *s);

/*
 * The longest prefix of s, sanitised (newlines kept), that fits in width
 * columns, with an ellipsis ("…", or "..." under SANITIZE_ASCII) when it
 * had to cut. Never splits a character; a wide character that does not
 * fit is left out. Sanitised text comes back unchanged, so sanitising
 * before is harmless. A width of 0 or less gives ""; a width no wider
 * than the ellipsis (1, or up to 3 under SANITIZE_ASCII) cuts without
 * one. The caller frees the result.
 */
char *sanitize_fit(const char *s, int width, unsigned flags);

/*
 * The byte length of the prefix of sanitised s that fits in width columns
 * (no ellipsis), and its width in *used. For wrapping and drawing. A
 * negative width counts as 0.
 */
size_t sanitize_prefix(const char *s, int width, int *used);

#endif
