/* Secret bytes: sodium memory, locked, no-access except while used. */
#ifndef SITECARE_NET_SECRET_H
#define SITECARE_NET_SECRET_H

#include <stdbool.h>
#include <stddef.h>

#include "net/base/error.h"

/*
 * A revealed password or an unlocked private key lives only here: in
 * sodium_malloc memory (guard pages, mlock'd so it is never swapped,
 * wiped by sodium_free), kept PROT_NONE (sodium_mprotect_noaccess)
 * except between secret_open_read/_write and secret_close. Nothing
 * in this API copies a secret into ordinary heap memory, formats it, or
 * puts it in an error message. A struct secret is its own type so that
 * a secret cannot be passed where a string is expected by accident.
 */
struct secret;

/* len bytes of zeroed sodium memory, left no-access; NULL when sodium
 * cannot allocate or lock (err says so). */
struct secret *secret_new(size_t len, struct sc_error *err);
/* Wipes and frees (sodium_free zeroes); NULL is fine. */
void secret_free(struct secret *s);

size_t secret_len(const struct secret *s);

/* Makes the bytes readable (or writable) and returns them; every open is
 * followed by secret_close, which makes them no-access again. */
const unsigned char *secret_open_read(struct secret *s);
unsigned char *secret_open_write(struct secret *s);
void secret_close(struct secret *s);

/*
 * Opens a crypto_box_seal box (base64 `sealed`, as the service sends it)
 * with the key pair pk / sk (sk a secret of crypto_box_SECRETKEYBYTES)
 * straight into a new secret; NULL with err (SC_ERR_LOCAL, "the sealed
 * credential failed authentication: ...") when it does not open. The
 * base64 is decoded into sodium memory too.
 */
struct secret *secret_unseal(const char *sealed_b64, const unsigned char *pk,
                             struct secret *sk, struct sc_error *err);

/*
 * The string member `key` of the JSON object held in s (the plaintext
 * {"username", "password", "notes"}), unescaped into a new
 * NUL-terminated secret, without any copy in ordinary memory. NULL with
 * err when s is not such an object or the member is missing or not a
 * string. Handles the JSON escapes (\" \\ \/ \b \f \n \r \t \uXXXX
 * with surrogate pairs). Strict: invalid UTF-8, lone surrogates, \u0000,
 * a duplicate member or text after the object are refused; the errors
 * (SC_ERR_MALFORMED) give a reason and a byte offset, never content.
 */
struct secret *secret_json_string(struct secret *s, const char *key,
                                  struct sc_error *err);

/*
 * The process itself: no core dumps (RLIMIT_CORE 0), not dumpable and so
 * not ptrace-attachable by the same user (prctl PR_SET_DUMPABLE 0).
 * Returns 0, or -1 with err naming what failed (the caller warns).
 */
int secret_harden_process(struct sc_error *err);

#endif
