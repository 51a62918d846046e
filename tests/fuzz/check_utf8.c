/* The harnesses' strict UTF-8 check: see check_utf8.h. */
#include "tests/fuzz/check_utf8.h"

size_t
check_utf8_char(const char *in, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)in;
	unsigned char lo = 0x80, hi = 0xbf;
	size_t need, k;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		need = 1, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		need = 2, c = s[0] & 0x0f;
		lo = s[0] == 0xe0 ? 0xa0 : 0x80;
		hi = s[0] == 0xed ? 0x9f : 0xbf;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		need = 3, c = s[0] & 0x07;
		lo = s[0] == 0xf0 ? 0x90 : 0x80;
		hi = s[0] == 0xf4 ? 0x8f : 0xbf;
	} else
		return 0;
	if (need >= n)
		return 0;
	for (k = 1; k <= need; k++) {
		if (s[k] < lo || s[k] > hi)
			return 0;
		c = (c << 6) | (s[k] & 0x3f);
		lo = 0x80;
		hi = 0xbf;
	}
	*cp = c;
	return need + 1;
}

bool
check_utf8(const char *s, size_t n)
{
	size_t i = 0, len;
	uint32_t cp;

	while (i < n) {
		if ((len = check_utf8_char(s + i, n - i, &cp)) == 0)
			return false;
		i += len;
	}
	return true;
}
