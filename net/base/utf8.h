/* UTF-8 encoding and decoding, shared by every layer that handles text. */
#ifndef SITECARE_NET_UTF8_H
#define SITECARE_NET_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* What utf8_decode gives for bytes that are not UTF-8. */
#define UTF8_INVALID 0xFFFFFFFFu

/* Writes code point cp (at most U+10FFFF) as UTF-8 into out; its length. */
size_t utf8_encode(uint32_t cp, char out[4]);

/*
 * Decodes the character at s (n > 0 bytes left) into *cp and returns its
 * length. Anything but well-formed UTF-8 (a stray byte, an overlong form,
 * a surrogate, a code point above U+10FFFF, a cut sequence) gives
 * UTF8_INVALID and the length of the maximal bad prefix, at least one
 * byte, as Unicode's "substitution of maximal subparts" recommends.
 */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);

#endif
