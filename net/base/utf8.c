/* UTF-8 encoding and strict decoding. */
#include "net/base/utf8.h"

size_t
utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t
utf8_decode(const char *in, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t len, i;
	uint32_t c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		len = 2, c = s[0] & 0x1F, min = 0x80;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		len = 3, c = s[0] & 0x0F, min = 0x800;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		len = 4, c = s[0] & 0x07, min = 0x10000;
	} else {
		*cp = UTF8_INVALID;
		return 1;
	}
	for (i = 1; i < len; i++) {
		if (i >= n || (s[i] & 0xC0) != 0x80) {
			*cp = UTF8_INVALID;
			return i;
		}
		c = (c << 6) | (s[i] & 0x3F);
		/* Reject overlongs and surrogates as early as the 2nd byte. */
		if (i == 1 && ((len == 3 && s[0] == 0xE0 && s[1] < 0xA0) ||
		               (len == 3 && s[0] == 0xED && s[1] > 0x9F) ||
		               (len == 4 && s[0] == 0xF0 && s[1] < 0x90) ||
		               (len == 4 && s[0] == 0xF4 && s[1] > 0x8F))) {
			*cp = UTF8_INVALID;
			return 1;
		}
	}
	*cp = c < min ? UTF8_INVALID : c;
	return len;
}
