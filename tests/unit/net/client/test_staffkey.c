/*
 * Unit tests for net/client/staffkey.c: the passphrase-sealed key file.
 *
 * Argon2id at the MODERATE limits costs about a second and 256 MiB per
 * call, so one key file is generated in the group setup and every test
 * works on copies of its bytes; only the tests that must reach the AEAD
 * (right or wrong passphrase, header fields changed within range) derive
 * a key at all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "net/base/secret.h"
#include "net/client/staffkey.h"

#define PASSPHRASE "correct horse"
#define FILE_LEN   144
#define OFF_OPS    8
#define OFF_MEM    16
#define OFF_SALT   24
#define OFF_NONCE  40
#define OFF_PK     64
#define OFF_SEALED 96

/* What the group setup made: a directory, one key file and its bytes. */
struct fixture {
	char dir[64];
	char path[128];
	char scratch[128];
	unsigned char bytes[FILE_LEN];
	unsigned char pk[STAFFKEY_PUBLIC_BYTES];
};

static struct fixture fx;

/* A secret holding the NUL-terminated text. */
static struct secret *
pass_of(const char *text)
{
	struct sc_error err = { 0 };
	struct secret *s = secret_new(strlen(text) + 1, &err);

	assert_non_null(s);
	memcpy(secret_open_write(s), text, strlen(text) + 1);
	secret_close(s);
	return s;
}

/* Writes n bytes to fx.scratch with mode. */
static void
write_scratch(const unsigned char *b, size_t n, mode_t mode)
{
	FILE *f;

	unlink(fx.scratch);
	f = fopen(fx.scratch, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(fx.scratch, mode), 0);
}

static uint64_t
be64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static int
setup(void **state)
{
	struct sc_error err = { 0 };
	struct secret *pass = pass_of(PASSPHRASE);
	struct staffkey k = { 0 };
	FILE *f;

	snprintf(fx.dir, sizeof fx.dir, "/tmp/test_staffkey.XXXXXX");
	if (mkdtemp(fx.dir) == NULL)
		return -1;
	snprintf(fx.path, sizeof fx.path, "%s/staff.key", fx.dir);
	snprintf(fx.scratch, sizeof fx.scratch, "%s/scratch.key", fx.dir);
	if (staffkey_generate(fx.path, pass, false, &k, &err) != 0)
		return -1;
	secret_free(pass);
	memcpy(fx.pk, k.pk, sizeof fx.pk);
	staffkey_lock(&k);
	f = fopen(fx.path, "rb");
	if (f == NULL || fread(fx.bytes, 1, FILE_LEN, f) != FILE_LEN ||
	    fgetc(f) != EOF)
		return -1;
	fclose(f);
	return 0;
}

static int
teardown(void **state)
{
	unlink(fx.path);
	unlink(fx.scratch);
	rmdir(fx.dir);
	return 0;
}

/* Unlocking fx.scratch with pass fails; the error's kind and text. */
static void
check_unlock_fails(const char *pass_text, enum sc_error_kind kind,
                   const char *text)
{
	struct sc_error err = { 0 };
	struct secret *pass = pass_of(pass_text);
	struct staffkey k = { .sk = NULL };

	assert_int_equal(staffkey_unlock(fx.scratch, pass, &k, &err), -1);
	assert_null(k.sk);
	assert_int_equal(err.kind, kind);
	if (strstr(err.message, text) == NULL)
		fail_msg("\"%s\" lacks \"%s\"", err.message, text);
	assert_non_null(strstr(err.message, fx.scratch));
	sc_error_clear(&err);
	secret_free(pass);
}

/* The fixture's bytes with byte `at` xor'ed with x, then unlocked. */
static void
check_corrupt(size_t at, unsigned char x, enum sc_error_kind kind,
              const char *text)
{
	unsigned char b[FILE_LEN];

	memcpy(b, fx.bytes, sizeof b);
	b[at] ^= x;
	write_scratch(b, sizeof b, 0600);
	check_unlock_fails(PASSPHRASE, kind, text);
}

/* ---- the format -------------------------------------------------------- */

static void
staffkey__generate__file_layout_and_mode(void **state)
{
	struct stat st;

	assert_int_equal(stat(fx.path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(st.st_size, FILE_LEN);
	assert_memory_equal(fx.bytes, "SCKEY\x01\x01\x01", 8);
	assert_memory_equal(fx.bytes + OFF_PK, fx.pk, sizeof fx.pk);
}

static void
staffkey__generate__limits_at_least_moderate(void **state)
{
	assert_true(be64(fx.bytes + OFF_OPS) >=
	            crypto_pwhash_OPSLIMIT_MODERATE);
	assert_true(be64(fx.bytes + OFF_MEM) >=
	            crypto_pwhash_MEMLIMIT_MODERATE);
}

static void
staffkey__generate__refuses_existing(void **state)
{
	struct sc_error err = { 0 };
	struct secret *pass = pass_of(PASSPHRASE);
	struct staffkey k = { 0 };
	unsigned char again[FILE_LEN];
	FILE *f;

	assert_int_equal(staffkey_generate(fx.path, pass, false, &k, &err), -1);
	assert_non_null(strstr(err.message, "already exists"));
	assert_null(k.sk);
	sc_error_clear(&err);
	secret_free(pass);
	f = fopen(fx.path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(again, 1, FILE_LEN, f), FILE_LEN);
	fclose(f);
	assert_memory_equal(again, fx.bytes, FILE_LEN);
}

static void
staffkey__read_public__matches_generated(void **state)
{
	struct sc_error err = { 0 };
	unsigned char pk[32] = { 0 };
	struct staffkey k = { .sk = NULL };
	unsigned char decoded[32];
	size_t n = 0;
	char *b64;

	assert_int_equal(staffkey_read_public(fx.path, pk, &err), 0);
	assert_memory_equal(pk, fx.pk, 32);
	memcpy(k.pk, pk, 32);
	b64 = staffkey_public_b64(&k);
	assert_int_equal(strlen(b64), 44);
	assert_int_equal(sodium_base642bin(decoded, sizeof decoded, b64,
	                                   strlen(b64), NULL, &n, NULL,
	                                   sodium_base64_VARIANT_ORIGINAL),
	                 0);
	assert_int_equal(n, 32);
	assert_memory_equal(decoded, fx.pk, 32);
	free(b64);
}

/* ---- unlocking --------------------------------------------------------- */

static void
staffkey__unlock__round_trip_opens_sealed_box(void **state)
{
	static const char msg[] = "{\"password\":\"pw\"}";
	struct sc_error err = { 0 };
	struct secret *pass = pass_of(PASSPHRASE), *plain;
	struct staffkey k = { .sk = NULL };
	unsigned char c[sizeof msg - 1 + crypto_box_SEALBYTES], pk[32];
	char b64[128];

	assert_int_equal(staffkey_unlock(fx.path, pass, &k, &err), 0);
	secret_free(pass);
	assert_non_null(k.sk);
	assert_memory_equal(k.pk, fx.pk, 32);
	assert_int_equal(secret_len(k.sk), STAFFKEY_SECRET_BYTES);
	crypto_scalarmult_base(pk, secret_open_read(k.sk));
	secret_close(k.sk);
	assert_memory_equal(pk, fx.pk, 32);
	crypto_box_seal(c, (const unsigned char *)msg, sizeof msg - 1, fx.pk);
	sodium_bin2base64(b64, sizeof b64, c, sizeof c,
	                  sodium_base64_VARIANT_ORIGINAL);
	plain = secret_unseal(b64, k.pk, k.sk, &err);
	assert_non_null(plain);
	assert_memory_equal(secret_open_read(plain), msg, sizeof msg - 1);
	secret_close(plain);
	secret_free(plain);
	staffkey_lock(&k);
	assert_null(k.sk);
}

static void
staffkey__unlock__wrong_passphrase(void **state)
{
	write_scratch(fx.bytes, FILE_LEN, 0600);
	check_unlock_fails("correct horsE", SC_ERR_INVALID_CREDENTIALS,
	                   "wrong passphrase for");
}

static void
staffkey__unlock__read_only_mode_0400_accepted(void **state)
{
	struct sc_error err = { 0 };
	unsigned char pk[32];

	write_scratch(fx.bytes, FILE_LEN, 0400);
	assert_int_equal(staffkey_read_public(fx.scratch, pk, &err), 0);
	assert_memory_equal(pk, fx.pk, 32);
}

static void
staffkey__unlock__mode_0644_refused(void **state)
{
	struct sc_error err = { 0 };
	unsigned char pk[32];
	char want[512];

	write_scratch(fx.bytes, FILE_LEN, 0644);
	snprintf(want, sizeof want,
	         "%s is readable by others (mode 0644): chmod 600 %s",
	         fx.scratch, fx.scratch);
	assert_int_equal(staffkey_read_public(fx.scratch, pk, &err), -1);
	assert_string_equal(err.message, want);
	sc_error_clear(&err);
	check_unlock_fails(PASSPHRASE, SC_ERR_LOCAL, want);
	write_scratch(fx.bytes, FILE_LEN, 0640);
	check_unlock_fails(PASSPHRASE, SC_ERR_LOCAL, "(mode 0640)");
}

static void
staffkey__unlock__fifo_refused_at_once(void **state)
{
	char want[256];

	unlink(fx.scratch);
	assert_int_equal(mkfifo(fx.scratch, 0600), 0);
	snprintf(want, sizeof want, "%s is not a regular file (a FIFO)",
	         fx.scratch);
	alarm(5); /* a blocking open ends the test (SIGALRM) instead */
	check_unlock_fails(PASSPHRASE, SC_ERR_LOCAL, want);
	alarm(0);
}

static void
staffkey__read_public__symlink_refused(void **state)
{
	struct sc_error err = { 0 };
	unsigned char pk[32];
	char want[256];

	/* Even a link to the good key file is not followed. */
	unlink(fx.scratch);
	assert_int_equal(symlink(fx.path, fx.scratch), 0);
	snprintf(want, sizeof want,
	         "%s is not a regular file (a symbolic link)", fx.scratch);
	assert_int_equal(staffkey_read_public(fx.scratch, pk, &err), -1);
	assert_string_equal(err.message, want);
	sc_error_clear(&err);
	check_unlock_fails(PASSPHRASE, SC_ERR_LOCAL, want);
}

static void
staffkey__unlock__missing_file(void **state)
{
	unlink(fx.scratch);
	check_unlock_fails(PASSPHRASE, SC_ERR_LOCAL, "cannot open");
	assert_false(staffkey_exists(fx.scratch));
	assert_true(staffkey_exists(fx.path));
}

/* Header fields that fail before any key derivation. */
static void
staffkey__unlock__bad_header_clear_errors(void **state)
{
	unsigned char b[5];

	check_corrupt(0, 0x20, SC_ERR_LOCAL, "not a sitecare key file");
	check_corrupt(4, 0x01, SC_ERR_LOCAL, "bad magic");
	check_corrupt(5, 0x03, SC_ERR_LOCAL, "version 2, newer");
	check_corrupt(5, 0x01, SC_ERR_LOCAL, "corrupted"); /* version 0 */
	check_corrupt(6, 0x03, SC_ERR_LOCAL, "unknown version or algorithm");
	check_corrupt(7, 0x02, SC_ERR_LOCAL, "unknown version or algorithm");
	/* limits below INTERACTIVE or absurdly high: refused as corrupt */
	check_corrupt(OFF_OPS + 7, 0x03, SC_ERR_LOCAL, "out of range");
	check_corrupt(OFF_OPS, 0x80, SC_ERR_LOCAL, "out of range");
	check_corrupt(OFF_MEM + 4, 0x10, SC_ERR_LOCAL, "out of range");
	check_corrupt(OFF_MEM + 2, 0x40, SC_ERR_LOCAL, "out of range");
	write_scratch((const unsigned char *)"", 0, 0600);
	check_unlock_fails(PASSPHRASE, SC_ERR_LOCAL, "truncated (0 of 144");
	memcpy(b, "SCKEX", 5);
	write_scratch(b, 5, 0600);
	check_unlock_fails(PASSPHRASE, SC_ERR_LOCAL, "bad magic");
}

static void
staffkey__unlock__longer_file_refused(void **state)
{
	unsigned char b[FILE_LEN + 1];

	memcpy(b, fx.bytes, FILE_LEN);
	b[FILE_LEN] = '\n';
	write_scratch(b, sizeof b, 0600);
	check_unlock_fails(PASSPHRASE, SC_ERR_LOCAL, "longer than 144");
}

static void
staffkey__unlock__truncated_every_length(void **state)
{
	struct sc_error err = { 0 };
	struct secret *pass = pass_of(PASSPHRASE);
	struct staffkey k = { .sk = NULL };
	unsigned char pk[32];
	size_t n;

	for (n = 0; n < FILE_LEN; n++) {
		write_scratch(fx.bytes, n, 0600);
		assert_int_equal(staffkey_read_public(fx.scratch, pk, &err),
		                 -1);
		assert_int_equal(err.kind, SC_ERR_LOCAL);
		assert_non_null(strstr(err.message, "truncated"));
		sc_error_clear(&err);
		assert_int_equal(staffkey_unlock(fx.scratch, pass, &k, &err),
		                 -1);
		assert_null(k.sk);
		assert_non_null(strstr(err.message, "truncated"));
		sc_error_clear(&err);
	}
	secret_free(pass);
}

/*
 * Header fields inside the accepted range, and the sealed key itself:
 * the AEAD (header as associated data) refuses each. One Argon2id run
 * per case.
 */
static void
staffkey__unlock__changed_fields_fail_authentication(void **state)
{
	static const struct {
		size_t at;
		unsigned char x;
	} cases[] = {
		{ OFF_OPS + 7, 0x01 },   /* opslimit 3 -> 2, still allowed */
		{ OFF_MEM + 4, 0x01 },   /* memlimit + 16 MiB */
		{ OFF_SALT + 3, 0x01 },  /* salt */
		{ OFF_NONCE + 5, 0x01 }, /* nonce */
		{ OFF_PK + 31, 0x80 },   /* public key */
		{ OFF_SEALED, 0x01 },    /* sealed private key */
		{ FILE_LEN - 1, 0x01 },  /* tag */
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_corrupt(cases[i].at, cases[i].x,
		              SC_ERR_INVALID_CREDENTIALS,
		              "wrong passphrase for");
}

static void
staffkey__path__under_xdg_data_home(void **state)
{
	struct sc_error err = { 0 };
	char want[256], dir[192];
	struct stat st;
	char *path;

	setenv("XDG_DATA_HOME", fx.dir, 1);
	path = staffkey_path(&err);
	assert_non_null(path);
	snprintf(want, sizeof want, "%s/sitecare/staff.key", fx.dir);
	assert_string_equal(path, want);
	snprintf(dir, sizeof dir, "%s/sitecare", fx.dir);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	rmdir(dir);
	free(path);
}

static void
staffkey__path__data_home_under_a_file_refused(void **state)
{
	struct sc_error err = { 0 };

	/* fx.path is a regular file: no folder can be made under it. */
	setenv("XDG_DATA_HOME", fx.path, 1);
	assert_null(staffkey_path(&err));
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	assert_non_null(strstr(err.message, "cannot create"));
	sc_error_clear(&err);
	unsetenv("XDG_DATA_HOME");
}

/* The process's address space now, in bytes (VmSize). */
static rlim_t
vm_size(void)
{
	char line[256];
	unsigned long kb = 0;
	FILE *f = fopen("/proc/self/status", "r");

	assert_non_null(f);
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "VmSize: %lu kB", &kb) == 1)
			break;
	fclose(f);
	assert_true(kb > 0);
	return (rlim_t)kb * 1024;
}

static void
staffkey__derive__too_little_memory_said(void **state)
{
	struct sc_error err = { 0 }, gen = { 0 };
	struct secret *pass = pass_of(PASSPHRASE);
	struct staffkey k = { .sk = NULL }, g = { .sk = NULL };
	struct rlimit old, small;
	int unlocked, generated;

	write_scratch(fx.bytes, sizeof fx.bytes, 0600);
	unlink(fx.path);
	/* 64 MiB to spare, where Argon2id asks for 256 MiB. */
	assert_int_equal(getrlimit(RLIMIT_AS, &old), 0);
	small = old;
	small.rlim_cur = vm_size() + 64 * 1024 * 1024;
	assert_int_equal(setrlimit(RLIMIT_AS, &small), 0);
	unlocked = staffkey_unlock(fx.scratch, pass, &k, &err);
	generated = staffkey_generate(fx.path, pass, false, &g, &gen);
	assert_int_equal(setrlimit(RLIMIT_AS, &old), 0);
	assert_int_equal(unlocked, -1);
	assert_null(k.sk);
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	assert_string_equal(err.message,
	                    "cannot derive the key from the passphrase "
	                    "(Argon2id needs 256 MiB of memory)");
	assert_int_equal(generated, -1);
	assert_null(g.sk);
	assert_string_equal(gen.message, err.message);
	assert_false(staffkey_exists(fx.path)); /* nothing written */
	sc_error_clear(&err);
	sc_error_clear(&gen);
	secret_free(pass);
	/* The fixture's file back for the tests after. */
	write_scratch(fx.bytes, sizeof fx.bytes, 0600);
	assert_int_equal(rename(fx.scratch, fx.path), 0);
}

static void
staffkey__unlock__private_key_not_matching_the_public_one(void **state)
{
	unsigned char b[FILE_LEN], key[32], sk[32];

	/* A file sealed right, under the passphrase, around a private key
	 * whose public half is not the one in the header. */
	memcpy(b, fx.bytes, sizeof b);
	b[OFF_PK] ^= 0x01;
	assert_int_equal(crypto_pwhash(key, sizeof key, PASSPHRASE,
	                               strlen(PASSPHRASE), b + OFF_SALT,
	                               be64(b + OFF_OPS),
	                               (size_t)be64(b + OFF_MEM),
	                               crypto_pwhash_ALG_ARGON2ID13),
	                 0);
	randombytes_buf(sk, sizeof sk);
	crypto_aead_xchacha20poly1305_ietf_encrypt(b + OFF_SEALED, NULL, sk,
	                                           sizeof sk, b, OFF_SEALED,
	                                           NULL, b + OFF_NONCE, key);
	write_scratch(b, sizeof b, 0600);
	check_unlock_fails(PASSPHRASE, SC_ERR_LOCAL,
	                   "is corrupted: its private key does not match its "
	                   "public key");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(staffkey__generate__file_layout_and_mode),
		cmocka_unit_test(staffkey__generate__limits_at_least_moderate),
		cmocka_unit_test(staffkey__generate__refuses_existing),
		cmocka_unit_test(staffkey__read_public__matches_generated),
		cmocka_unit_test(staffkey__unlock__round_trip_opens_sealed_box),
		cmocka_unit_test(staffkey__unlock__wrong_passphrase),
		cmocka_unit_test(
		    staffkey__unlock__read_only_mode_0400_accepted),
		cmocka_unit_test(staffkey__unlock__mode_0644_refused),
		cmocka_unit_test(staffkey__unlock__fifo_refused_at_once),
		cmocka_unit_test(staffkey__read_public__symlink_refused),
		cmocka_unit_test(staffkey__unlock__missing_file),
		cmocka_unit_test(staffkey__unlock__bad_header_clear_errors),
		cmocka_unit_test(staffkey__unlock__longer_file_refused),
		cmocka_unit_test(staffkey__unlock__truncated_every_length),
		cmocka_unit_test(
		    staffkey__unlock__changed_fields_fail_authentication),
		cmocka_unit_test(staffkey__path__under_xdg_data_home),
		cmocka_unit_test(
		    staffkey__path__data_home_under_a_file_refused),
		cmocka_unit_test(staffkey__derive__too_little_memory_said),
		cmocka_unit_test(
		    staffkey__unlock__private_key_not_matching_the_public_one),
	};

	return cmocka_run_group_tests_name("net/staffkey", tests, setup,
	                                   teardown);
}
