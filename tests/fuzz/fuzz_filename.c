/*
 * libFuzzer harness for net/base/filename.c: whatever name the server sends,
 * filename_safe gives a non-empty single path component of at most
 * FILENAME_MAX_BYTES, with no control characters, no leading dot or
 * blank, and no trailing dot or blank; and it is idempotent (what it
 * returns is already safe).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/base/filename.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts (a finding) unless a is a safe name. */
static void
check_safe(const char *a)
{
	size_t i, n = strlen(a);

	if (n == 0 || n > FILENAME_MAX_BYTES || strchr(a, '/') ||
	    strchr(a, '\\') || a[0] == '.' || a[0] == ' ' || a[n - 1] == '.' ||
	    a[n - 1] == ' ')
		abort();
	for (i = 0; i < n; i++)
		if ((unsigned char)a[i] < 0x20 || a[i] == 0x7f)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size + 1), *a, *b;

	memcpy(in, data, size);
	in[size] = '\0';
	a = filename_safe(in);
	check_safe(a);
	b = filename_safe(a);
	if (strcmp(a, b) != 0)
		abort();
	free(a);
	free(b);
	free(in);
	return 0;
}
