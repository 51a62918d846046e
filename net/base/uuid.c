/* Random UUIDs from libsodium's generator. */
#include "net/base/uuid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

/* Where the dashes sit in the text form. */
static bool
dash_at(size_t i)
{
	return i == 8 || i == 13 || i == 18 || i == 23;
}

void
uuid_v4(char out[UUID_STRLEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[16];
	size_t i, j = 0;

	/* Idempotent; fails only when the system has no randomness. */
	if (sodium_init() < 0) {
		fputs("sitecare: libsodium cannot initialise\n", stderr);
		abort();
	}
	randombytes_buf(b, sizeof b);
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* variant 10 */
	for (i = 0; i < UUID_STRLEN; i++) {
		if (dash_at(i)) {
			out[i] = '-';
			continue;
		}
		out[i] = hex[(b[j / 2] >> (j % 2 == 0 ? 4 : 0)) & 0x0f];
		j++;
	}
	out[UUID_STRLEN] = '\0';
	sodium_memzero(b, sizeof b);
}

bool
uuid_valid(const char *s)
{
	size_t i;

	if (s == NULL)
		return false;
	for (i = 0; i < UUID_STRLEN; i++) {
		char c = s[i];

		if (dash_at(i)
		        ? c != '-'
		        : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	return s[UUID_STRLEN] == '\0';
}
