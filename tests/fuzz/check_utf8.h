/*
 * A strict UTF-8 check of the harnesses' own, so that what they check
 * does not lean on the decoder under test (net/base/utf8.c).
 */
#ifndef SITECARE_FUZZ_CHECK_UTF8_H
#define SITECARE_FUZZ_CHECK_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The length of the well-formed UTF-8 character at s (n > 0 bytes left),
 * its code point in *cp; 0 for anything else (a stray byte, an overlong
 * form, a surrogate, above U+10FFFF, cut short).
 */
size_t check_utf8_char(const char *s, size_t n, uint32_t *cp);

/* Whether the n bytes at s are well-formed UTF-8. */
bool check_utf8(const char *s, size_t n);

#endif
