/* Random (version 4) UUIDs, used as client_msg_id for idempotent sends. */
#ifndef SITECARE_NET_UUID_H
#define SITECARE_NET_UUID_H

#include <stdbool.h>

/* Length of the text form without its NUL: 8-4-4-4-12 hex digits. */
#define UUID_STRLEN 36

/*
 * Writes a new random UUID v4 (RFC 9562: version 4, variant 10) in
 * lowercase text form, NUL-terminated, into out. Randomness comes from
 * libsodium's randombytes_buf.
 */
void uuid_v4(char out[UUID_STRLEN + 1]);

/*
 * Whether s is exactly a UUID in lowercase text form (36 characters,
 * hex digits and dashes in the 8-4-4-4-12 places, nothing after), any
 * version. Safe for untrusted input, and such a string is safe to use
 * as a file name.
 */
bool uuid_valid(const char *s);

#endif
