/* The staff key file: an X25519 key pair sealed under a passphrase. */
#include "net/client/staffkey.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "net/base/paths.h"
#include "net/base/xmalloc.h"

/*
 * The file, byte by byte (see net/client/staffkey.h), 144 bytes in all:
 *
 *    0  "SCKEY"            magic
 *    5  0x01               version
 *    6  0x01               KDF: Argon2id v1.3
 *    7  0x01               AEAD: XChaCha20-Poly1305-IETF
 *    8  opslimit           8 bytes, big-endian
 *   16  memlimit           8 bytes, big-endian (bytes)
 *   24  salt               16 bytes
 *   40  nonce              24 bytes
 *   64  public key         32 bytes
 *   96  sealed secret key  32 bytes + 16 bytes of tag
 *
 * The first 96 bytes are the AEAD's associated data, so changing any of
 * them (limits, salt, nonce, public key) fails authentication. The file
 * must be exactly this long: a shorter one is "truncated", a longer one
 * "corrupted". Stored limits from INTERACTIVE up to SENSITIVE (opslimit
 * up to 4 x SENSITIVE) are accepted, so that a corrupted header cannot
 * make the unlock allocate unbounded memory; new files get MODERATE.
 * After decryption the private key must give the stored public key.
 * staffkey_read_public does not authenticate: it trusts the header's
 * public key, which is fine for showing or registering it (a wrong key
 * only makes reveals fail to open).
 */
#define MAGIC          "SCKEY"
#define MAGIC_LEN      5
#define VERSION        1
#define ALG_ARGON2ID13 1
#define ALG_XCHACHA    1
#define OFF_OPS        8
#define OFF_MEM        16
#define OFF_SALT       24
#define OFF_NONCE      (OFF_SALT + crypto_pwhash_SALTBYTES)
#define OFF_PK         (OFF_NONCE + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
#define HEADER_LEN     (OFF_PK + STAFFKEY_PUBLIC_BYTES)
#define SEALED_LEN                                                             \
	(STAFFKEY_SECRET_BYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES)
#define FILE_LEN (HEADER_LEN + SEALED_LEN)
#define KEY_LEN  crypto_aead_xchacha20poly1305_ietf_KEYBYTES

/* The limits a stored file may carry (see above). */
#define OPS_MIN ((uint64_t)crypto_pwhash_OPSLIMIT_INTERACTIVE)
#define OPS_MAX ((uint64_t)crypto_pwhash_OPSLIMIT_SENSITIVE * 4)
#define MEM_MIN ((uint64_t)crypto_pwhash_MEMLIMIT_INTERACTIVE)
#define MEM_MAX ((uint64_t)crypto_pwhash_MEMLIMIT_SENSITIVE)

static void
put_be64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)(v & 0xff);
}

static uint64_t
get_be64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

char *
staffkey_path(struct sc_error *err)
{
	char *dir = paths_dir(PATHS_DATA, NULL, err), *path;

	if (dir == NULL)
		return NULL;
	path = xasprintf("%s/staff.key", dir);
	free(dir);
	return path;
}

bool
staffkey_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* The passphrase's bytes up to its NUL (open for reading until close). */
static const char *
open_passphrase(struct secret *pass, size_t *len)
{
	const char *p = (const char *)secret_open_read(pass);

	*len = strnlen(p, secret_len(pass));
	return p;
}

/* Argon2id of the passphrase with the header's salt and limits. */
static struct secret *
derive(struct secret *pass, const unsigned char *header, struct sc_error *err)
{
	struct secret *key = secret_new(KEY_LEN, err);
	const char *p;
	size_t plen;
	int rc;

	if (key == NULL)
		return NULL;
	p = open_passphrase(pass, &plen);
	rc = crypto_pwhash(secret_open_write(key), KEY_LEN, p, plen,
	                   header + OFF_SALT, get_be64(header + OFF_OPS),
	                   (size_t)get_be64(header + OFF_MEM),
	                   crypto_pwhash_ALG_ARGON2ID13);
	secret_close(key);
	secret_close(pass);
	if (rc != 0) {
		sc_error_set(
		    err, SC_ERR_LOCAL,
		    "cannot derive the key from the passphrase "
		    "(Argon2id needs %llu MiB of memory)",
		    (unsigned long long)(get_be64(header + OFF_MEM) >> 20));
		secret_free(key);
		return NULL;
	}
	return key;
}

/* A fresh header: magic, version, algorithms, MODERATE limits, randoms. */
static void
header_init(unsigned char *h, const unsigned char *pk)
{
	memcpy(h, MAGIC, MAGIC_LEN);
	h[5] = VERSION;
	h[6] = ALG_ARGON2ID13;
	h[7] = ALG_XCHACHA;
	put_be64(h + OFF_OPS, crypto_pwhash_OPSLIMIT_MODERATE);
	put_be64(h + OFF_MEM, crypto_pwhash_MEMLIMIT_MODERATE);
	randombytes_buf(h + OFF_SALT, crypto_pwhash_SALTBYTES);
	randombytes_buf(h + OFF_NONCE,
	                crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
	memcpy(h + OFF_PK, pk, STAFFKEY_PUBLIC_BYTES);
}

/* Seals sk into file[HEADER_LEN..] under the passphrase. */
static int
seal(unsigned char *file, struct secret *sk, struct secret *pass,
     struct sc_error *err)
{
	struct secret *key = derive(pass, file, err);

	if (key == NULL)
		return -1;
	crypto_aead_xchacha20poly1305_ietf_encrypt(
	    file + HEADER_LEN, NULL, secret_open_read(sk),
	    STAFFKEY_SECRET_BYTES, file, HEADER_LEN, NULL, file + OFF_NONCE,
	    secret_open_read(key));
	secret_close(key);
	secret_close(sk);
	secret_free(key);
	return 0;
}

int
staffkey_generate(const char *path, struct secret *passphrase, bool overwrite,
                  struct staffkey *out, struct sc_error *err)
{
	unsigned char file[FILE_LEN], pk[STAFFKEY_PUBLIC_BYTES];
	struct secret *sk;

	if (!overwrite && staffkey_exists(path)) {
		sc_error_set(err, SC_ERR_LOCAL,
		             "a key file already exists at %s", path);
		return -1;
	}
	sk = secret_new(STAFFKEY_SECRET_BYTES, err);
	if (sk == NULL)
		return -1;
	crypto_box_keypair(pk, secret_open_write(sk));
	secret_close(sk);
	header_init(file, pk);
	if (seal(file, sk, passphrase, err) != 0 ||
	    paths_write_atomic(path, file, sizeof file, 0600, err) != 0) {
		secret_free(sk);
		return -1;
	}
	memcpy(out->pk, pk, sizeof pk);
	out->sk = sk;
	return 0;
}

/* Reads up to len bytes of fd; how many, or -1. */
static ssize_t
read_all(int fd, unsigned char *buf, size_t len)
{
	size_t got = 0;
	ssize_t r;

	while (got < len) {
		r = read(fd, buf + got, len - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/* Reads the whole file into buf (FILE_LEN + 1 bytes); its length or -1. */
static ssize_t
load(const char *path, unsigned char *buf, struct sc_error *err)
{
	ssize_t n;
	int fd;

	/* The rule every private file keeps: ours, 0600, regular. */
	if (paths_open_private(path, &fd, err) != PATHS_PRIVATE_OK)
		return -1;
	n = read_all(fd, buf, FILE_LEN + 1);
	if (n < 0)
		sc_error_set(err, SC_ERR_LOCAL, "cannot read %s: %s", path,
		             strerror(errno));
	close(fd);
	return n;
}

/* Checks magic, version and length; then algorithms and limits. */
static int
check_format(const char *path, const unsigned char *f, size_t n,
             struct sc_error *err)
{
	uint64_t ops, mem;

	if (n < MAGIC_LEN || memcmp(f, MAGIC, MAGIC_LEN) != 0) {
		if (n < MAGIC_LEN && memcmp(f, MAGIC, n) == 0)
			sc_error_set(err, SC_ERR_LOCAL,
			             "%s is truncated (%zu of %d bytes)", path,
			             n, FILE_LEN);
		else
			sc_error_set(
			    err, SC_ERR_LOCAL,
			    "%s is not a sitecare key file (bad magic)", path);
		return -1;
	}
	if (n > MAGIC_LEN && f[5] > VERSION) {
		sc_error_set(err, SC_ERR_LOCAL,
		             "%s has key file version %u, newer than this "
		             "sitecare reads (%d): upgrade sitecare",
		             path, f[5], VERSION);
		return -1;
	}
	if (n < FILE_LEN) {
		sc_error_set(err, SC_ERR_LOCAL,
		             "%s is truncated (%zu of %d bytes)", path, n,
		             FILE_LEN);
		return -1;
	}
	if (n > FILE_LEN) {
		sc_error_set(err, SC_ERR_LOCAL,
		             "%s is corrupted: it is longer than %d bytes",
		             path, FILE_LEN);
		return -1;
	}
	ops = get_be64(f + OFF_OPS);
	mem = get_be64(f + OFF_MEM);
	if (f[5] != VERSION || f[6] != ALG_ARGON2ID13 || f[7] != ALG_XCHACHA) {
		sc_error_set(err, SC_ERR_LOCAL,
		             "%s is corrupted: unknown version or algorithm "
		             "(%u, %u, %u)",
		             path, f[5], f[6], f[7]);
		return -1;
	}
	if (ops < OPS_MIN || ops > OPS_MAX || mem < MEM_MIN || mem > MEM_MAX) {
		sc_error_set(err, SC_ERR_LOCAL,
		             "%s is corrupted: its Argon2id limits (opslimit "
		             "%llu, memlimit %llu) are out of range",
		             path, (unsigned long long)ops,
		             (unsigned long long)mem);
		return -1;
	}
	return 0;
}

/* Loads and checks path into f (FILE_LEN + 1 bytes). */
static int
read_file(const char *path, unsigned char *f, struct sc_error *err)
{
	ssize_t n = load(path, f, err);

	if (n < 0)
		return -1;
	return check_format(path, f, (size_t)n, err);
}

int
staffkey_read_public(const char *path, unsigned char pk[32],
                     struct sc_error *err)
{
	unsigned char f[FILE_LEN + 1];

	if (read_file(path, f, err) != 0)
		return -1;
	memcpy(pk, f + OFF_PK, STAFFKEY_PUBLIC_BYTES);
	return 0;
}

/* Decrypts the sealed private key of file f with key into sk. */
static int
open_sealed(const unsigned char *f, struct secret *key, struct secret *sk)
{
	int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
	    secret_open_write(sk), NULL, NULL, f + HEADER_LEN, SEALED_LEN, f,
	    HEADER_LEN, f + OFF_NONCE, secret_open_read(key));

	secret_close(key);
	secret_close(sk);
	return rc;
}

/* True when sk's public half is pk. */
static bool
matches(struct secret *sk, const unsigned char *pk)
{
	unsigned char derived[STAFFKEY_PUBLIC_BYTES];
	int rc = crypto_scalarmult_base(derived, secret_open_read(sk));

	secret_close(sk);
	return rc == 0 && sodium_memcmp(derived, pk, sizeof derived) == 0;
}

int
staffkey_unlock(const char *path, struct secret *passphrase,
                struct staffkey *out, struct sc_error *err)
{
	unsigned char f[FILE_LEN + 1];
	struct secret *key, *sk;
	int rc;

	if (read_file(path, f, err) != 0)
		return -1;
	sk = secret_new(STAFFKEY_SECRET_BYTES, err);
	key = sk != NULL ? derive(passphrase, f, err) : NULL;
	if (key == NULL) {
		secret_free(sk);
		return -1;
	}
	rc = open_sealed(f, key, sk);
	secret_free(key);
	if (rc != 0) {
		sc_error_set(
		    err, SC_ERR_INVALID_CREDENTIALS,
		    "wrong passphrase for %s (or the file was altered)", path);
	} else if (!matches(sk, f + OFF_PK)) {
		sc_error_set(err, SC_ERR_LOCAL,
		             "%s is corrupted: its private key does not match "
		             "its public key",
		             path);
		rc = -1;
	}
	if (rc != 0) {
		secret_free(sk);
		return -1;
	}
	memcpy(out->pk, f + OFF_PK, STAFFKEY_PUBLIC_BYTES);
	out->sk = sk;
	return 0;
}

void
staffkey_lock(struct staffkey *k)
{
	secret_free(k->sk);
	k->sk = NULL;
}

char *
staffkey_public_b64(const struct staffkey *k)
{
	size_t len = sodium_base64_ENCODED_LEN(STAFFKEY_PUBLIC_BYTES,
	                                       sodium_base64_VARIANT_ORIGINAL);
	char *b64 = xmalloc(len);

	sodium_bin2base64(b64, len, k->pk, STAFFKEY_PUBLIC_BYTES,
	                  sodium_base64_VARIANT_ORIGINAL);
	return b64;
}
