/* The staff member's X25519 key pair, kept under a passphrase. */
#ifndef SITECARE_NET_STAFFKEY_H
#define SITECARE_NET_STAFFKEY_H

#include <stdbool.h>
#include <stddef.h>

#include <sodium.h>

#include "net/base/error.h"
#include "net/base/secret.h"

/*
 * The private key file, $XDG_DATA_HOME/sitecare/staff.key (mode 0600,
 * written atomically), is versioned:
 *
 *   header (the AEAD's associated data, so any change to it fails):
 *     magic "SCKEY" (5 bytes), version 1 (1 byte),
 *     algorithm ids: 1 = Argon2id13 (crypto_pwhash_ALG_ARGON2ID13),
 *                    1 = XChaCha20-Poly1305-IETF,
 *     opslimit (8 bytes, big-endian), memlimit (8 bytes, big-endian),
 *     salt (crypto_pwhash_SALTBYTES), nonce (24 bytes),
 *     public key (32 bytes)
 *   then the sealed private key: 32 bytes + 16 bytes of tag.
 *
 * The key that seals it comes from crypto_pwhash with Argon2id and at
 * least the MODERATE limits. A wrong passphrase, a corrupted or
 * truncated file, a file that is not private (not a regular file, not
 * yours, or mode not 0600: paths_open_private's rule) or a future
 * version each give their own clear error (kinds SC_ERR_LOCAL or
 * SC_ERR_INVALID_CREDENTIALS for the passphrase).
 */
#define STAFFKEY_PUBLIC_BYTES crypto_box_PUBLICKEYBYTES
#define STAFFKEY_SECRET_BYTES crypto_box_SECRETKEYBYTES

struct staffkey {
	unsigned char pk[STAFFKEY_PUBLIC_BYTES];
	struct secret *sk; /* NULL while locked */
};

/* The default path ($XDG_DATA_HOME/sitecare/staff.key); malloc'd, NULL
 * with err. */
char *staffkey_path(struct sc_error *err);

/* True when a key file exists at path. */
bool staffkey_exists(const char *path);

/*
 * Makes a new key pair and writes it to path sealed under passphrase
 * (a secret holding the NUL-terminated passphrase; never copied out).
 * Refuses to replace an existing file unless overwrite. On success
 * out->pk is the public key and out->sk the unlocked private key.
 */
int staffkey_generate(const char *path, struct secret *passphrase,
                      bool overwrite, struct staffkey *out,
                      struct sc_error *err);

/* Reads path's public key only (no passphrase needed). */
int staffkey_read_public(const char *path, unsigned char pk[32],
                         struct sc_error *err);

/*
 * Unlocks path with passphrase: out->pk and out->sk hold the key pair
 * (out's previous sk is not freed: lock it first). A wrong passphrase
 * and an altered file look the same to the AEAD: both give
 * SC_ERR_INVALID_CREDENTIALS "wrong passphrase for FILE (or the file
 * was altered)"; the format's own checks come first with their own
 * messages (SC_ERR_LOCAL).
 */
int staffkey_unlock(const char *path, struct secret *passphrase,
                    struct staffkey *out, struct sc_error *err);

/* Forgets the private key (wiped): locked again. */
void staffkey_lock(struct staffkey *k);

/* The public key as standard base64 (for PUT /me/public-key); malloc'd. */
char *staffkey_public_b64(const struct staffkey *k);

#endif
