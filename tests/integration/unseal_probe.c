/*
 * A probe for tests/integration/test_cli_keygen.py: opens a sealed
 * credential with the client's own code (net/base/secret.c, net/client/staffkey.c)
 * and prints what the test can compare without the secret itself:
 *
 *   unseal_probe raw SK_FILE PK_FILE SEALED_FILE KEY
 *       (SK_FILE and PK_FILE: the 32 raw bytes of each half)
 *   unseal_probe keyfile STAFF_KEY SEALED_FILE KEY
 *       (the key file's passphrase: one line of stdin)
 *
 * SEALED_FILE holds the base64 of the sealed box (as the service's
 * "sealed"). Prints "ok len=N sha256=HEX" for the member KEY of the
 * plaintext, or "error KIND: MESSAGE" and exits 1.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "net/base/secret.h"
#include "net/client/staffkey.h"

/* Reads exactly len bytes of path into out; 0 or -1. */
static int
read_exact(const char *path, unsigned char *out, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, out, len) : -1;

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)len ? 0 : -1;
}

/* The base64 text of path (one line, trailing whitespace dropped). */
static char *
read_text(const char *path)
{
	static char buf[1 << 16];
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL)
		return NULL;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	return buf;
}

/* Loads the raw key pair into k. */
static int
load_raw(const char *sk_path, const char *pk_path, struct staffkey *k,
         struct sc_error *err)
{
	int rc;

	k->sk = secret_new(STAFFKEY_SECRET_BYTES, err);
	if (k->sk == NULL)
		return -1;
	rc = read_exact(sk_path, secret_open_write(k->sk),
	                STAFFKEY_SECRET_BYTES);
	secret_close(k->sk);
	if (rc != 0 || read_exact(pk_path, k->pk, STAFFKEY_PUBLIC_BYTES) != 0) {
		sc_error_set(err, SC_ERR_LOCAL, "cannot read the raw keys");
		return -1;
	}
	return 0;
}

/* Unlocks the key file with the passphrase on stdin. */
static int
load_keyfile(const char *path, struct staffkey *k, struct sc_error *err)
{
	struct secret *pass = secret_new(1024, err);
	unsigned char *p;
	ssize_t n;
	int rc;

	if (pass == NULL)
		return -1;
	p = secret_open_write(pass);
	n = read(STDIN_FILENO, p, 1023);
	while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == '\r'))
		n--;
	p[n > 0 ? n : 0] = '\0';
	secret_close(pass);
	rc = staffkey_unlock(path, pass, k, err);
	secret_free(pass);
	return rc;
}

/* Opens the box and prints the member's length and digest. */
static int
report(struct staffkey *k, const char *sealed_path, const char *key,
       struct sc_error *err)
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	char hex[2 * sizeof digest + 1];
	const char *sealed = read_text(sealed_path);
	struct secret *plain, *value;
	size_t len;

	if (sealed == NULL) {
		sc_error_set(err, SC_ERR_LOCAL, "cannot read %s", sealed_path);
		return -1;
	}
	plain = secret_unseal(sealed, k->pk, k->sk, err);
	value = plain != NULL ? secret_json_string(plain, key, err) : NULL;
	secret_free(plain);
	if (value == NULL)
		return -1;
	len = secret_len(value) - 1;
	crypto_hash_sha256(digest, secret_open_read(value), len);
	secret_close(value);
	secret_free(value);
	sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
	printf("ok len=%zu sha256=%s\n", len, hex);
	return 0;
}

int
main(int argc, char **argv)
{
	struct sc_error err = { 0 };
	struct staffkey k = { .sk = NULL };
	int rc = -1;

	if (argc == 6 && strcmp(argv[1], "raw") == 0) {
		if (load_raw(argv[2], argv[3], &k, &err) == 0)
			rc = report(&k, argv[4], argv[5], &err);
	} else if (argc == 5 && strcmp(argv[1], "keyfile") == 0) {
		if (load_keyfile(argv[2], &k, &err) == 0)
			rc = report(&k, argv[3], argv[4], &err);
	} else {
		fprintf(stderr, "usage: see the comment atop unseal_probe.c\n");
		return 2;
	}
	staffkey_lock(&k);
	if (rc != 0) {
		printf("error %s: %s\n", sc_error_kind_name(err.kind),
		       err.message);
		sc_error_clear(&err);
		return 1;
	}
	return 0;
}
