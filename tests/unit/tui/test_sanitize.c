/* Unit tests for tui/sanitize.c: hostile text in, drawable text out. */
#include <locale.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/base/utf8.h"
#include "tui/sanitize.h"

/* Sanitises n bytes and checks the result equals want. */
static void
expect(const char *in, size_t n, unsigned flags, const char *want)
{
	char *got = sanitize(in, n, flags);

	assert_string_equal(got, want);
	free(got);
}

#define EXPECT(in, flags, want) expect(in, sizeof(in) - 1, flags, want)

static void
sanitize__controls__shown_as_escapes(void **state)
{
	EXPECT("a\x1b[31mred", 0, "a^[[31mred");
	EXPECT("bell\x07!", 0, "bell^G!");
	EXPECT("del\x7f", 0, "del^?");
	EXPECT("nul\0x", 0, "nul^@x");
	EXPECT("cr\rlf\n", 0, "cr^Mlf^J");
}

static void
sanitize__c1_controls__shown_as_escapes(void **state)
{
	/* U+009B (CSI) encoded in UTF-8, and the raw byte 0x9B. */
	EXPECT("a\xc2\x9b"
	       "31m",
	       0, "a<9B>31m");
	EXPECT("a\x9b"
	       "31m",
	       0,
	       "a\xef\xbf\xbd"
	       "31m");
}

static void
sanitize__bidi__overrides_and_isolates_removed(void **state)
{
	EXPECT("abc\xe2\x80\xae"
	       "fdp.exe",
	       0, "abcfdp.exe");
	EXPECT("\xe2\x81\xa6x\xe2\x81\xa9", 0, "x");
	EXPECT("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad", 0, "");
}

static void
sanitize__utf8__broken_sequences_replaced(void **state)
{
	EXPECT("caf\xc3\xa9", 0, "caf\xc3\xa9");
	EXPECT("\xc3", 0, "\xef\xbf\xbd");
	EXPECT("\xc0\xaf", 0, "\xef\xbf\xbd\xef\xbf\xbd"); /* overlong */
	EXPECT("\xed\xa0\x80", 0, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	EXPECT("\xf4\x90\x80\x80", 0,
	       "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	EXPECT("\xe2\x82x", 0, "\xef\xbf\xbdx"); /* truncated, then ASCII */
	EXPECT("\xf0\x9f\x98\x80", 0, "\xf0\x9f\x98\x80");
}

static void
sanitize__flags__newlines_tabs_ascii(void **state)
{
	EXPECT("a\nb", SANITIZE_KEEP_NEWLINES, "a\nb");
	EXPECT("a\tb", SANITIZE_TABS_AS_SPACE, "a b");
	EXPECT("a\tb", 0, "a^Ib");
	EXPECT("caf\xc3\xa9\x1b", SANITIZE_ASCII, "caf?^[");
}

/* Windows line endings in a message are newlines; a lone CR stays seen. */
static void
sanitize__newlines__crlf_is_one_newline(void **state)
{
	EXPECT("a\r\nb\r\n", SANITIZE_KEEP_NEWLINES, "a\nb\n");
	EXPECT("a\rb\r\r\nc", SANITIZE_KEEP_NEWLINES, "a^Mb^M\nc");
	EXPECT("end\r", SANITIZE_KEEP_NEWLINES, "end^M");
	/* Without the flag nothing changes: one line shows both. */
	EXPECT("a\r\nb", 0, "a^M^Jb");
}

static void
sanitize__output__never_has_raw_controls(void **state)
{
	unsigned char in[512];
	char *out;
	size_t i;

	for (i = 0; i < sizeof in; i++)
		in[i] = (unsigned char)(i * 7 + 3);
	out = sanitize((const char *)in, sizeof in, 0);
	for (i = 0; out[i] != '\0'; i++) {
		assert_true((unsigned char)out[i] >= 0x20);
		assert_true((unsigned char)out[i] != 0x7f);
	}
	free(out);
}

static void
sanitize__width__counts_columns(void **state)
{
	assert_int_equal(sanitize_width("abc"), 3);
	assert_int_equal(sanitize_width("\xe6\x97\xa5\xe6\x9c\xac"), 4);
	assert_int_equal(sanitize_width("e\xcc\x81"), 1); /* combining */
	assert_int_equal(sanitize_width(""), 0);
}

static void
sanitize__fit__truncates_by_width_with_ellipsis(void **state)
{
	char *s;

	s = sanitize_fit("hello world", 8, 0);
	assert_string_equal(s, "hello w\xe2\x80\xa6");
	free(s);
	s = sanitize_fit("hello", 8, 0);
	assert_string_equal(s, "hello");
	free(s);
	/* A wide character that would straddle the edge is left out. */
	s = sanitize_fit("ab\xe6\x97\xa5\xe6\x9c\xac", 4, 0);
	assert_string_equal(s, "ab\xe2\x80\xa6");
	assert_true(sanitize_width(s) <= 4);
	free(s);
	s = sanitize_fit("hello world", 8, SANITIZE_ASCII);
	assert_string_equal(s, "hello...");
	free(s);
	s = sanitize_fit("hello", 0, 0);
	assert_string_equal(s, "");
	free(s);
}

/*
 * The status line fitted the raw staff name from GET /me, so a server's
 * bidi override and C1 controls reached the terminal (test_hostile.py).
 */
static void
sanitize__fit__sanitises_raw_input(void **state)
{
	/* RLO, LRI, a UTF-8 CSI, an OSC title: gone or made visible. */
	const char *raw = "Hal \xe2\x80\xae"
	                  "evil\xe2\x81\xa6"
	                  "x \xc2\x9b"
	                  "2J \x1b]0;t\x07\n";
	char *s;

	s = sanitize_fit(raw, 80, 0);
	assert_string_equal(s, "Hal evilx <9B>2J ^[]0;t^G\n");
	free(s);
	/* Escapes count in the width: the ellipsis comes after them. */
	s = sanitize_fit("\x1b\x1b\x1bxyz", 5, 0);
	assert_string_equal(s, "^[^[\xe2\x80\xa6");
	free(s);
	s = sanitize_fit("caf\xc3\xa9 \xc2\x85", 20, SANITIZE_ASCII);
	assert_string_equal(s, "caf? <85>");
	free(s);
	/* Sanitised text is left as it was. */
	s = sanitize_fit("^[]0;t^G <9B> \xef\xbf\xbd", 80, 0);
	assert_string_equal(s, "^[]0;t^G <9B> \xef\xbf\xbd");
	free(s);
}

static void
sanitize__prefix__never_splits_characters(void **state)
{
	int used;
	size_t n = sanitize_prefix("\xe6\x97\xa5\xe6\x9c\xac", 3, &used);

	assert_int_equal(n, 3);
	assert_int_equal(used, 2);
}

/* Plain ASCII takes a shorter way (no decoding): the same results, also
 * where it meets other text or the length ends before the string. */
static void
sanitize__plain_ascii__same_as_decoded(void **state)
{
	char *s = sanitize("abcdef", 3, 0);
	int used;

	(void)state;
	assert_string_equal(s, "abc");
	free(s);
	EXPECT("plain text 123 ~!", 0, "plain text 123 ~!");
	EXPECT("tab\tend", SANITIZE_TABS_AS_SPACE, "tab end");
	assert_int_equal(sanitize_width("ab\xe6\x97\xa5"
	                                "c"),
	                 5);
	assert_int_equal(sanitize_prefix("abcdef", 4, &used), 4);
	assert_int_equal(used, 4);
	assert_int_equal(sanitize_prefix("abc\xe6\x97\xa5"
	                                 "d",
	                                 4, &used),
	                 3);
	assert_int_equal(used, 3);
	assert_int_equal(sanitize_prefix("abc\xe6\x97\xa5"
	                                 "d",
	                                 5, &used),
	                 6);
	assert_int_equal(used, 5);
}

/* sanitize_keeps(cp) is true exactly when sanitize() gives cp back as it
 * is, for every code point, in UTF-8 and ASCII modes. */
static void
sanitize__keeps__agrees_with_sanitize_on_every_code_point(void **state)
{
	static const unsigned modes[] = { 0, SANITIZE_ASCII };
	size_t m;
	uint32_t cp;

	(void)state;
	for (m = 0; m < 2; m++) {
		for (cp = 0; cp <= 0x10FFFF; cp++) {
			char in[5] = { 0 }, *out;
			int width = -7;
			bool keeps;

			if (cp >= 0xD800 && cp <= 0xDFFF)
				continue;
			in[utf8_encode(cp, in)] = '\0';
			keeps = sanitize_keeps(cp, modes[m], &width);
			out = sanitize(in, strlen(in) + (cp == 0), modes[m]);
			if (keeps != (strcmp(out, in) == 0 && cp != 0))
				fail_msg(
				    "U+%04X mode %zu: keeps %d, gives '%s'",
				    (unsigned)cp, m, keeps, out);
			if (keeps)
				assert_int_equal(width, sanitize_width(in));
			free(out);
		}
		assert_false(
		    sanitize_keeps(UTF8_INVALID, modes[m], &(int){ 0 }));
	}
}

static int
setup(void **state)
{
	return setlocale(LC_CTYPE, "C.UTF-8") == NULL ? -1 : 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sanitize__controls__shown_as_escapes),
		cmocka_unit_test(sanitize__c1_controls__shown_as_escapes),
		cmocka_unit_test(
		    sanitize__bidi__overrides_and_isolates_removed),
		cmocka_unit_test(sanitize__utf8__broken_sequences_replaced),
		cmocka_unit_test(sanitize__flags__newlines_tabs_ascii),
		cmocka_unit_test(sanitize__newlines__crlf_is_one_newline),
		cmocka_unit_test(sanitize__output__never_has_raw_controls),
		cmocka_unit_test(sanitize__width__counts_columns),
		cmocka_unit_test(
		    sanitize__fit__truncates_by_width_with_ellipsis),
		cmocka_unit_test(sanitize__fit__sanitises_raw_input),
		cmocka_unit_test(sanitize__prefix__never_splits_characters),
		cmocka_unit_test(sanitize__plain_ascii__same_as_decoded),
		cmocka_unit_test(
		    sanitize__keeps__agrees_with_sanitize_on_every_code_point),
	};

	return cmocka_run_group_tests_name("tui/sanitize", tests, setup, NULL);
}
