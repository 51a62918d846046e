/*
 * libFuzzer harness for secret_json_string (net/base/secret.c), the reader of
 * a revealed credential's plaintext. Whatever the bytes, it never reads
 * outside the secret (sodium's guard pages turn that into a crash) and,
 * when it returns a value, that value is NUL-terminated with no NUL
 * inside, and cJSON, given the same text, finds the same string under
 * the same key (the reader is strict, so what it accepts cJSON accepts).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "net/base/secret.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts (a finding) unless v agrees with cJSON's reading of the text. */
static void
check_value(struct secret *v, const uint8_t *data, size_t size, const char *key)
{
	const char *s = (const char *)secret_open_read(v);
	size_t n = secret_len(v);
	cJSON *doc = cJSON_ParseWithLength((const char *)data, size);
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(doc, key);

	if (n == 0 || s[n - 1] != '\0' || strlen(s) != n - 1)
		abort();
	if (!cJSON_IsString(item) || strcmp(item->valuestring, s) != 0)
		abort();
	cJSON_Delete(doc);
	secret_close(v);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "password", "username", "notes" };
	struct sc_error err = { 0 };
	struct secret *s = secret_new(size, &err), *v;
	size_t i;

	if (s == NULL)
		abort();
	/* open and close even when empty: every open is paired */
	memcpy(secret_open_write(s), data, size);
	secret_close(s);
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		v = secret_json_string(s, keys[i], &err);
		if (v != NULL)
			check_value(v, data, size, keys[i]);
		else if (err.kind != SC_ERR_MALFORMED || err.message == NULL)
			abort();
		secret_free(v);
		sc_error_clear(&err);
	}
	secret_free(s);
	return 0;
}
