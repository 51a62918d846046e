/* Unit tests for net/base/secret.c: sodium memory, sealed boxes, the JSON
 * reader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <cmocka.h>
#include <sodium.h>

#include "net/base/secret.h"

/* A secret holding the n bytes of text. */
static struct secret *
secret_of(const void *text, size_t n)
{
	struct sc_error err = { 0 };
	struct secret *s = secret_new(n, &err);

	assert_non_null(s);
	memcpy(secret_open_write(s), text, n);
	secret_close(s);
	return s;
}

/* The member key of the JSON text, compared with want (NULL: must fail). */
static void
check_member(const char *json, const char *key, const char *want,
             size_t want_len)
{
	struct sc_error err = { 0 };
	struct secret *s = secret_of(json, strlen(json));
	struct secret *v = secret_json_string(s, key, &err);

	if (want == NULL) {
		assert_null(v);
		assert_int_equal(err.kind, SC_ERR_MALFORMED);
		assert_non_null(err.message);
	} else {
		assert_non_null(v);
		assert_int_equal(err.kind, SC_OK);
		assert_int_equal(secret_len(v), want_len + 1);
		assert_memory_equal(secret_open_read(v), want, want_len);
		assert_int_equal(secret_open_read(v)[want_len], '\0');
		secret_close(v);
		secret_close(v);
	}
	secret_free(v);
	secret_free(s);
	sc_error_clear(&err);
}

/* An error message for json, checked not to contain `hidden`. */
static void
check_error_hides(const char *json, const char *key, const char *hidden)
{
	struct sc_error err = { 0 };
	struct secret *s = secret_of(json, strlen(json));

	assert_null(secret_json_string(s, key, &err));
	assert_non_null(err.message);
	assert_null(strstr(err.message, hidden));
	secret_free(s);
	sc_error_clear(&err);
}

/* ---- memory ------------------------------------------------------------ */

static void
secret__new__zeroed_and_reopenable(void **state)
{
	struct sc_error err = { 0 };
	struct secret *s = secret_new(100, &err);
	const unsigned char *r;
	unsigned char *w;
	size_t i;

	assert_non_null(s);
	assert_int_equal(secret_len(s), 100);
	r = secret_open_read(s);
	for (i = 0; i < 100; i++)
		assert_int_equal(r[i], 0);
	secret_close(s);
	w = secret_open_write(s);
	memset(w, 0xa5, 100);
	secret_close(s);
	r = secret_open_read(s);
	assert_int_equal(r[0], 0xa5);
	assert_int_equal(r[99], 0xa5);
	secret_close(s);
	secret_free(s);
}

static void
secret__open__nested_read_then_write(void **state)
{
	struct secret *s = secret_of("abc", 3);
	const unsigned char *r = secret_open_read(s);
	unsigned char *w = secret_open_write(s);

	assert_ptr_equal(r, w);
	w[0] = 'x';
	secret_close(s);
	/* still open for reading after the inner close */
	assert_int_equal(r[0], 'x');
	secret_close(s);
	secret_free(s);
}

static void
secret__new__zero_length(void **state)
{
	struct sc_error err = { 0 };
	struct secret *s = secret_new(0, &err);

	assert_non_null(s);
	assert_int_equal(secret_len(s), 0);
	secret_open_read(s);
	secret_close(s);
	secret_free(s);
	secret_free(NULL);
}

/* ---- sealed boxes ------------------------------------------------------ */

/* A key pair with the private half in a secret. */
struct pair {
	unsigned char pk[crypto_box_PUBLICKEYBYTES];
	struct secret *sk;
};

static void
pair_new(struct pair *p)
{
	struct sc_error err = { 0 };

	assert_true(sodium_init() >= 0);
	p->sk = secret_new(crypto_box_SECRETKEYBYTES, &err);
	assert_non_null(p->sk);
	crypto_box_keypair(p->pk, secret_open_write(p->sk));
	secret_close(p->sk);
}

/* crypto_box_seal of text to pk, as base64 (malloc'd). */
static char *
seal_b64(const char *text, const unsigned char *pk, size_t flip)
{
	size_t n = strlen(text), clen = n + crypto_box_SEALBYTES;
	unsigned char *c = malloc(clen);
	size_t blen =
	    sodium_base64_ENCODED_LEN(clen, sodium_base64_VARIANT_ORIGINAL);
	char *b64 = malloc(blen);

	assert_int_equal(crypto_box_seal(c, (const unsigned char *)text, n, pk),
	                 0);
	if (flip != (size_t)-1)
		c[flip] ^= 0x01;
	sodium_bin2base64(b64, blen, c, clen, sodium_base64_VARIANT_ORIGINAL);
	free(c);
	return b64;
}

static const char plain[] =
    "{\"username\": \"webmaster\", \"password\": \"s3cr\\u00e9t!#%\", "
    "\"notes\": \"WordPress admin for Acme\"}";

static void
secret__unseal__opens_crypto_box_seal(void **state)
{
	struct sc_error err = { 0 };
	struct pair p;
	char *b64;
	struct secret *s, *pw;

	pair_new(&p);
	b64 = seal_b64(plain, p.pk, (size_t)-1);
	s = secret_unseal(b64, p.pk, p.sk, &err);
	assert_non_null(s);
	assert_int_equal(err.kind, SC_OK);
	assert_int_equal(secret_len(s), strlen(plain));
	assert_memory_equal(secret_open_read(s), plain, strlen(plain));
	secret_close(s);
	pw = secret_json_string(s, "password", &err);
	assert_non_null(pw);
	assert_string_equal((const char *)secret_open_read(pw),
	                    "s3cr\xc3\xa9t!#%");
	secret_close(pw);
	secret_free(pw);
	secret_free(s);
	secret_free(p.sk);
	free(b64);
}

static void
secret__unseal__tampered_fails(void **state)
{
	struct sc_error err = { 0 };
	struct pair p;
	size_t at[] = { 0, 31, 32, 48, 60 }, i;
	char *b64;

	pair_new(&p);
	for (i = 0; i < sizeof at / sizeof at[0]; i++) {
		b64 = seal_b64(plain, p.pk, at[i]);
		assert_null(secret_unseal(b64, p.pk, p.sk, &err));
		assert_int_equal(err.kind, SC_ERR_LOCAL);
		assert_non_null(strstr(err.message, "failed authentication"));
		assert_null(strstr(err.message, "s3cr"));
		sc_error_clear(&err);
		free(b64);
	}
	secret_free(p.sk);
}

static void
secret__unseal__wrong_key_fails(void **state)
{
	struct sc_error err = { 0 };
	struct pair p, q;
	char *b64;

	pair_new(&p);
	pair_new(&q);
	b64 = seal_b64(plain, p.pk, (size_t)-1);
	assert_null(secret_unseal(b64, q.pk, q.sk, &err));
	assert_non_null(strstr(err.message, "failed authentication"));
	sc_error_clear(&err);
	/* the right secret key with the wrong public key fails too */
	assert_null(secret_unseal(b64, q.pk, p.sk, &err));
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	sc_error_clear(&err);
	free(b64);
	secret_free(p.sk);
	secret_free(q.sk);
}

static void
secret__unseal__bad_base64_and_short(void **state)
{
	struct sc_error err = { 0 };
	struct pair p;

	pair_new(&p);
	assert_null(secret_unseal("not base64 at all!", p.pk, p.sk, &err));
	assert_non_null(strstr(err.message, "base64"));
	sc_error_clear(&err);
	assert_null(secret_unseal("", p.pk, p.sk, &err));
	assert_non_null(strstr(err.message, "too short"));
	sc_error_clear(&err);
	assert_null(secret_unseal("AAAA", p.pk, p.sk, &err));
	assert_non_null(strstr(err.message, "too short"));
	sc_error_clear(&err);
	secret_free(p.sk);
}

/* ---- the JSON reader --------------------------------------------------- */

static void
secret__json_string__members(void **state)
{
	const char *j = " {\"username\":\"admin\", \"password\" : \"pw\","
	                "\"notes\":\"\"}\n";

	check_member(j, "username", "admin", 5);
	check_member(j, "password", "pw", 2);
	check_member(j, "notes", "", 0);
}

static void
secret__json_string__escapes(void **state)
{
	check_member("{\"password\":\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\"}",
	             "password", "a\"b\\c/d\be\ff\ng\rh\ti", 17);
	check_member("{\"password\":\"\\u0041\\u00e9\\u20AC\"}", "password",
	             "A\xc3\xa9\xe2\x82\xac", 6);
	/* an escaped member name matches its unescaped key */
	check_member("{\"pass\\u0077ord\":\"x\"}", "password", "x", 1);
	check_member("{\"password\":\"\\q\"}", "password", NULL, 0);
	check_member("{\"password\":\"\\u12G4\"}", "password", NULL, 0);
	check_member("{\"password\":\"\\u0000\"}", "password", NULL, 0);
}

static void
secret__json_string__surrogates(void **state)
{
	check_member("{\"password\":\"\\ud83d\\ude00!\"}", "password",
	             "\xf0\x9f\x98\x80!", 5);
	check_member("{\"password\":\"\\uDBFF\\uDFFF\"}", "password",
	             "\xf4\x8f\xbf\xbf", 4);
	check_member("{\"password\":\"\\ud83d\"}", "password", NULL, 0);
	check_member("{\"password\":\"\\ud83dx\"}", "password", NULL, 0);
	check_member("{\"password\":\"\\ud83d\\u0041\"}", "password", NULL, 0);
	check_member("{\"password\":\"\\ude00\"}", "password", NULL, 0);
}

static void
secret__json_string__raw_utf8(void **state)
{
	check_member("{\"password\":\"caf\xc3\xa9 \xf0\x9f\x98\x80\"}",
	             "password", "caf\xc3\xa9 \xf0\x9f\x98\x80", 10);
	/* overlong, lone continuation, encoded surrogate, cut sequence */
	check_member("{\"password\":\"\xc0\xaf\"}", "password", NULL, 0);
	check_member("{\"password\":\"\x80\"}", "password", NULL, 0);
	check_member("{\"password\":\"\xed\xa0\x80\"}", "password", NULL, 0);
	check_member("{\"password\":\"\xe2\x82\"}", "password", NULL, 0);
	check_member("{\"password\":\"a\tb\"}", "password", NULL, 0);
}

static void
secret__json_string__missing_or_null(void **state)
{
	static const char j[] = "{\"username\":\"u\",\"notes\":null}";
	struct sc_error err = { 0 };
	struct secret *s = secret_of(j, strlen(j));

	assert_null(secret_json_string(s, "password", &err));
	assert_int_equal(err.kind, SC_ERR_MALFORMED);
	assert_non_null(strstr(err.message, "no \"password\""));
	sc_error_clear(&err);
	assert_null(secret_json_string(s, "notes", &err));
	assert_non_null(strstr(err.message, "is null"));
	sc_error_clear(&err);
	secret_free(s);
	check_member("{}", "password", NULL, 0);
	check_member("{\"passwordx\":\"a\"}", "password", NULL, 0);
	check_member("{\"passwor\":\"a\"}", "password", NULL, 0);
}

static void
secret__json_string__wrong_types(void **state)
{
	static const char *const values[] = { "12",      "-1.5e3",
		                              "true",    "false",
		                              "[\"a\"]", "{\"a\":\"b\"}",
		                              NULL };
	char json[64];
	size_t i;

	for (i = 0; values[i] != NULL; i++) {
		snprintf(json, sizeof json, "{\"password\":%s}", values[i]);
		check_member(json, "password", NULL, 0);
		/* the same value elsewhere is skipped */
		snprintf(json, sizeof json, "{\"x\":%s,\"password\":\"p\"}",
		         values[i]);
		check_member(json, "password", "p", 1);
	}
	check_member("[\"password\"]", "password", NULL, 0);
	check_member("\"password\"", "password", NULL, 0);
	check_member("", "password", NULL, 0);
}

static void
secret__json_string__strict_grammar(void **state)
{
	static const char *const bad[] = {
		"{\"password\":\"p\",}",
		"{\"password\":\"p\"} x",
		"{\"password\":\"p\"}{}",
		"{\"password\" \"p\"}",
		"{\"password\":\"p\" \"a\":1}",
		"{password:\"p\"}",
		"{\"x\":01,\"password\":\"p\"}",
		"{\"x\":1.,\"password\":\"p\"}",
		"{\"x\":-,\"password\":\"p\"}",
		"{\"x\":1e,\"password\":\"p\"}",
		"{\"x\":nul,\"password\":\"p\"}",
		"{\"x\":[1,],\"password\":\"p\"}",
		"{\"x\":'a',\"password\":\"p\"}",
		"{\"password\":\"p\",\"password\":\"q\"}",
		NULL,
	};
	size_t i;

	for (i = 0; bad[i] != NULL; i++)
		check_member(bad[i], "password", NULL, 0);
	check_member("{\"x\":-0.5E+2,\"y\":[],\"z\":{},\"password\":\"p\"}",
	             "password", "p", 1);
}

static void
secret__json_string__nesting(void **state)
{
	char json[256];
	size_t n = 0;
	int i;

	check_member("{\"a\":{\"password\":\"inner\"},\"b\":[[{\"c\":[1,"
	             "{\"d\":null}]}]],\"password\":\"outer\"}",
	             "password", "outer", 5);
	/* only the top level counts */
	check_member("{\"a\":{\"password\":\"inner\"}}", "password", NULL, 0);
	n += (size_t)snprintf(json, sizeof json, "{\"x\":");
	for (i = 0; i < 40; i++)
		json[n++] = '[';
	for (i = 0; i < 40; i++)
		json[n++] = ']';
	snprintf(json + n, sizeof json - n, ",\"password\":\"p\"}");
	check_member(json, "password", NULL, 0);
}

static void
secret__json_string__truncated_every_length(void **state)
{
	struct sc_error err = { 0 };
	struct secret *s, *v;
	size_t n = strlen(plain), i;

	for (i = 0; i < n; i++) {
		s = secret_of(plain, i);
		v = secret_json_string(s, "password", &err);
		assert_null(v);
		assert_int_equal(err.kind, SC_ERR_MALFORMED);
		assert_null(strstr(err.message, "s3cr"));
		sc_error_clear(&err);
		secret_free(s);
	}
	s = secret_of(plain, n);
	v = secret_json_string(s, "password", &err);
	assert_non_null(v);
	secret_free(v);
	secret_free(s);
}

static void
secret__json_string__errors_hide_values(void **state)
{
	check_error_hides("{\"password\":\"hunter2-secret", "password",
	                  "hunter2");
	check_error_hides("{\"password\":\"hunter2-secret\\x\"}", "password",
	                  "hunter2");
	check_error_hides("{\"password\":\"hunter2\",\"password\":\"hunter2\"}",
	                  "password", "hunter2");
}

/*
 * Fuzzer finding: a member name longer than the key read the key past
 * its NUL (a heap key, so ASan sees it in the SANITIZE=1 build).
 */
static void
secret__json_string__long_name_short_key(void **state)
{
	char *key = strdup("pw");

	check_member("{\"username_is_long\":\"u\",\"pw\":\"p\"}", key, "p", 1);
	check_member("{\"password\"", key, NULL, 0);
	free(key);
}

/* ---- the process ------------------------------------------------------- */

static void
secret__harden_process__no_core_not_dumpable(void **state)
{
	struct sc_error err = { 0 };
	struct rlimit rl;

	assert_int_equal(secret_harden_process(&err), 0);
	assert_int_equal(err.kind, SC_OK);
	assert_int_equal(getrlimit(RLIMIT_CORE, &rl), 0);
	assert_int_equal(rl.rlim_cur, 0);
	assert_int_equal(rl.rlim_max, 0);
	assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
}

/* json fails with a message holding why. */
static void
check_why(const char *json, const char *why)
{
	struct sc_error err = { 0 };
	struct secret *s = secret_of(json, strlen(json));

	assert_null(secret_json_string(s, "password", &err));
	assert_int_equal(err.kind, SC_ERR_MALFORMED);
	if (strstr(err.message, why) == NULL)
		fail_msg("\"%s\" lacks \"%s\"", err.message, why);
	secret_free(s);
	sc_error_clear(&err);
}

static void
secret__json_string__nested_and_escape_errors_said(void **state)
{
	check_why("{\"a\":{1:2},\"password\":\"p\"}",
	          "a string was expected (at byte 6)");
	check_why("{\"a\":{\"b\" 2},\"password\":\"p\"}", "a ':' was expected");
	check_why("{\"a\":[1 2],\"password\":\"p\"}",
	          "a ',' or closing bracket was expected");
	check_why("{\"password\":\"\\ud83d\\uZZZZ\"}",
	          "a \\u escape has a non-hex digit");
	/* Upper-case hex digits are hex digits too. */
	check_member("{\"password\":\"\\uD83D\\uDE00\"}", "password",
	             "\xf0\x9f\x98\x80", 4);
}

static void
secret__new__too_much_locked_memory_said(void **state)
{
	struct sc_error err = { 0 };
	size_t huge = (size_t)1 << 62;
	char want[96];

	assert_null(secret_new(huge, &err));
	snprintf(want, sizeof want,
	         "cannot allocate %zu bytes of locked memory", huge);
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	assert_string_equal(err.message, want);
	sc_error_clear(&err);
}

static void
secret__unseal__private_key_of_the_wrong_size(void **state)
{
	struct sc_error err = { 0 };
	struct pair p;
	struct secret *short_sk = secret_of("0123456789abcdef", 16);
	char *sealed;

	pair_new(&p);
	sealed = seal_b64("hunter2", p.pk, (size_t)-1);
	assert_null(secret_unseal(sealed, p.pk, short_sk, &err));
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	assert_string_equal(err.message, "the private key has 16 bytes");
	sc_error_clear(&err);
	free(sealed);
	secret_free(short_sk);
	secret_free(p.sk);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(secret__new__zeroed_and_reopenable),
		cmocka_unit_test(secret__open__nested_read_then_write),
		cmocka_unit_test(secret__new__zero_length),
		cmocka_unit_test(secret__unseal__opens_crypto_box_seal),
		cmocka_unit_test(secret__unseal__tampered_fails),
		cmocka_unit_test(secret__unseal__wrong_key_fails),
		cmocka_unit_test(secret__unseal__bad_base64_and_short),
		cmocka_unit_test(secret__json_string__members),
		cmocka_unit_test(secret__json_string__escapes),
		cmocka_unit_test(secret__json_string__surrogates),
		cmocka_unit_test(secret__json_string__raw_utf8),
		cmocka_unit_test(secret__json_string__missing_or_null),
		cmocka_unit_test(secret__json_string__wrong_types),
		cmocka_unit_test(secret__json_string__strict_grammar),
		cmocka_unit_test(secret__json_string__nesting),
		cmocka_unit_test(secret__json_string__truncated_every_length),
		cmocka_unit_test(secret__json_string__errors_hide_values),
		cmocka_unit_test(secret__json_string__long_name_short_key),
		cmocka_unit_test(secret__harden_process__no_core_not_dumpable),
		cmocka_unit_test(
		    secret__json_string__nested_and_escape_errors_said),
		cmocka_unit_test(secret__new__too_much_locked_memory_said),
		cmocka_unit_test(secret__unseal__private_key_of_the_wrong_size),
	};

	return cmocka_run_group_tests_name("net/secret", tests, NULL, NULL);
}
