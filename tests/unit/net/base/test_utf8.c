/* Unit tests for net/base/utf8.c: encoding, and strict decoding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/base/utf8.h"

/* Decodes the bytes of s and checks the length and code point. */
static void
expect(const char *s, size_t n, size_t len, uint32_t cp)
{
	uint32_t got = 0;

	assert_int_equal(utf8_decode(s, n, &got), len);
	assert_int_equal(got, cp);
}

static void
utf8__decode__well_formed(void **state)
{
	expect("a", 1, 1, 'a');
	expect("\xc3\xa9", 2, 2, 0xE9);
	expect("\xe2\x82\xac!", 4, 3, 0x20AC);
	expect("\xf0\x9f\x91\x8d", 4, 4, 0x1F44D);
	expect("\xf4\x8f\xbf\xbf", 4, 4, 0x10FFFF);
	expect("\xef\xbf\xbd", 3, 3, 0xFFFD);
}

static void
utf8__decode__maximal_bad_prefix(void **state)
{
	expect("\x80", 1, 1, UTF8_INVALID);             /* stray continuation */
	expect("\xc0\xaf", 2, 1, UTF8_INVALID);         /* overlong lead */
	expect("\xe0\x80\xaf", 3, 1, UTF8_INVALID);     /* overlong */
	expect("\xed\xa0\x80", 3, 1, UTF8_INVALID);     /* surrogate */
	expect("\xf4\x90\x80\x80", 4, 1, UTF8_INVALID); /* > U+10FFFF */
	expect("\xf5\x80", 2, 1, UTF8_INVALID);
	expect("\xe2\x82", 2, 2, UTF8_INVALID);  /* cut short */
	expect("\xe2\x82x", 3, 2, UTF8_INVALID); /* then not continued */
	expect("\xf0\x9f\x91", 3, 3, UTF8_INVALID);
}

static void
utf8__encode__round_trips(void **state)
{
	static const uint32_t cps[] = { 0,     0x7F,   0x80,    0x7FF,
		                        0x800, 0xFFFD, 0x10000, 0x10FFFF };
	char b[4];
	uint32_t cp;
	size_t i, n;

	for (i = 0; i < sizeof cps / sizeof cps[0]; i++) {
		n = utf8_encode(cps[i], b);
		assert_int_equal(utf8_decode(b, n, &cp), n);
		assert_int_equal(cp, cps[i]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(utf8__decode__well_formed),
		cmocka_unit_test(utf8__decode__maximal_bad_prefix),
		cmocka_unit_test(utf8__encode__round_trips),
	};

	return cmocka_run_group_tests_name("net/utf8", tests, NULL, NULL);
}
