/* `sitecare keygen`: the staff key pair, sealed on disk and registered. */
#include "tui/cmd/cmd_keygen.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "net/client/model.h"
#include "net/base/secret.h"
#include "net/client/staffkey.h"
#include "tui/pass_strength.h"
#include "tui/cmd/runloop.h"
#include "tui/sanitize.h"
#include "tui/tty_line.h"

/* The longest passphrase read, in bytes. */
#define PASS_MAX_LEN 1024

/*
 * What the command line asked for. With both --passphrase-stdin and
 * --password-stdin, stdin's first line is the passphrase and its second
 * the account password.
 */
struct keygen_args {
	bool force;
	bool from_stdin;     /* the passphrase: a line of stdin */
	bool password_stdin; /* the account password: a line of stdin */
	bool register_only;
};

/* One line of fd into the secret, echo off when noecho. */
static ssize_t
read_secret(int fd, struct secret *s, bool noecho)
{
	char *buf = (char *)secret_open_write(s);
	ssize_t n = noecho ? tty_read_noecho(fd, buf, secret_len(s))
	                   : tty_read_line(fd, buf, secret_len(s));

	secret_close(s);
	return n;
}

/* A new secret for one passphrase line; aborts when sodium cannot. */
static struct secret *
pass_new(void)
{
	struct sc_error err = { 0 };
	struct secret *s = secret_new(PASS_MAX_LEN, &err);

	if (s == NULL) {
		fprintf(stderr, "sitecare: %s\n", err.message);
		abort();
	}
	return s;
}

/* Asks twice on the terminal; the passphrase, or NULL (message printed). */
static struct secret *
ask_tty(void)
{
	struct secret *a = pass_new(), *b = pass_new();
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY), same;
	static const char p1[] = "New passphrase for the staff key: ",
	                  p2[] = "The same again: ";

	if (fd < 0) {
		fprintf(stderr, "sitecare: no terminal to ask for the "
		                "passphrase (use --passphrase-stdin)\n");
		secret_free(a);
		secret_free(b);
		return NULL;
	}
	(void)!write(fd, p1, sizeof p1 - 1);
	same = read_secret(fd, a, true) >= 0;
	(void)!write(fd, p2, sizeof p2 - 1);
	same = same && read_secret(fd, b, true) >= 0;
	close(fd);
	same = same && sodium_memcmp(secret_open_read(a), secret_open_read(b),
	                             PASS_MAX_LEN) == 0;
	secret_close(a);
	secret_close(b);
	secret_free(b);
	if (!same) {
		fprintf(stderr, "sitecare: the passphrases differ\n");
		secret_free(a);
		return NULL;
	}
	return a;
}

/* The new passphrase: one line of stdin, or asked twice on the
 * terminal; a weak one is refused with the reason. */
static struct secret *
ask_passphrase(bool from_stdin)
{
	struct secret *s;
	char *why;

	if (from_stdin) {
		s = pass_new();
		if (read_secret(STDIN_FILENO, s, false) < 0) {
			fprintf(stderr, "sitecare: no passphrase on stdin\n");
			secret_free(s);
			return NULL;
		}
	} else if ((s = ask_tty()) == NULL)
		return NULL;
	if (pass_strength_check(s, &why) != 0) {
		fprintf(stderr, "sitecare: the passphrase is %s\n", why);
		free(why);
		secret_free(s);
		return NULL;
	}
	return s;
}

/* Parses keygen's flags; CMD_USAGE (message printed) on anything else. */
static int
keygen_parse(int argc, char **argv, struct keygen_args *args)
{
	int i;

	memset(args, 0, sizeof *args);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--force") == 0)
			args->force = true;
		else if (strcmp(argv[i], "--passphrase-stdin") == 0)
			args->from_stdin = true;
		else if (strcmp(argv[i], "--password-stdin") == 0)
			args->password_stdin = true;
		else if (strcmp(argv[i], "--register-only") == 0)
			args->register_only = true;
		else {
			fprintf(stderr,
			        "sitecare: keygen: unexpected %s (try sitecare "
			        "keygen --help)\n",
			        argv[i]);
			return CMD_USAGE;
		}
	}
	if (args->register_only && (args->force || args->from_stdin)) {
		fprintf(stderr, "sitecare: keygen: --register-only makes no "
		                "key: it takes only --password-stdin\n");
		return CMD_USAGE;
	}
	return CMD_OK;
}

/*
 * The account password that registering needs, read when signed in
 * (without a session nothing is sent, so nothing is asked); CMD_USAGE
 * when it was needed and none came.
 */
static int
ask_account_password(const struct keygen_args *args, bool signed_in, char **pw)
{
	*pw = NULL;
	if (!signed_in)
		return CMD_OK;
	*pw = cmd_read_password("Account password (to register the key): ",
	                        args->password_stdin);
	return *pw != NULL ? CMD_OK : CMD_USAGE;
}

/*
 * Makes the key pair at path; its public key in k->pk (k stays locked).
 * Everything is asked before the key is made: the passphrase, then the
 * account password (*pw) when signed in.
 */
static int
make_key(const char *path, const struct keygen_args *args, bool signed_in,
         struct staffkey *k, char **pw)
{
	struct sc_error err = { 0 };
	struct secret *pass;
	int rc;

	if (!args->force && staffkey_exists(path)) {
		fprintf(stderr,
		        "sitecare: a key already exists at %s: give --force "
		        "to replace it (credentials sealed to the old key "
		        "can then no longer be opened), or --register-only "
		        "to register it\n",
		        path);
		return CMD_FAILED;
	}
	pass = ask_passphrase(args->from_stdin);
	if (pass == NULL)
		return CMD_USAGE;
	if (ask_account_password(args, signed_in, pw) != CMD_OK) {
		secret_free(pass);
		return CMD_USAGE;
	}
	rc = staffkey_generate(path, pass, args->force, k, &err);
	secret_free(pass);
	staffkey_lock(k);
	if (rc != 0) {
		cmd_print_error(&err);
		sc_error_clear(&err);
		return CMD_FAILED;
	}
	return CMD_OK;
}

/* Prints why the key is not registered and how to do it later. */
static void
print_not_registered(const struct sc_error *err)
{
	cmd_print_error(err);
	fprintf(stderr,
	        "sitecare: the key is saved but not registered: %s "
	        "run `sitecare keygen --register-only`\n",
	        err->kind == SC_ERR_REAUTH_REQUIRED
	            ? "with your account password,"
	            : "sign in and");
}

/*
 * PUT /me/public-key with b64 and the account password pw (wiped once
 * sent; NULL when not signed in); CMD_OK when the service holds it now.
 */
static int
register_key(struct api *a, const char *b64, char *pw)
{
	struct cmd_me_answer res = { 0 };
	int rc = CMD_FAILED;
	char *name, *email;

	if (a == NULL)
		return CMD_FAILED;
	if (!api_has_session(a) || pw == NULL)
		sc_error_set(&res.err, SC_ERR_NOT_SIGNED_IN, "not signed in");
	else {
		api_put_public_key(a, b64, pw, cmd_on_me, &res);
		if (runloop_run(a) != 0)
			sc_error_set(&res.err, SC_ERR_LOCAL,
			             "the event loop failed");
	}
	if (res.err.kind == SC_OK &&
	    (res.me.public_key == NULL || strcmp(res.me.public_key, b64) != 0))
		sc_error_set(&res.err, SC_ERR_MALFORMED,
		             "the service answered with another public key");
	if (res.err.kind != SC_OK)
		print_not_registered(&res.err);
	else {
		name = sanitize_str(res.me.name, 0);
		email = sanitize_str(res.me.email, 0);
		printf("registered for %s <%s>\n", name, email);
		free(name);
		free(email);
		rc = CMD_OK;
	}
	me_free(&res.me);
	sc_error_clear(&res.err);
	return rc;
}

/* Finds or makes the key at path (its public key in k->pk), and reads
 * the account password into *pw when signed in. */
static int
obtain_key(const char *path, const struct keygen_args *args, bool signed_in,
           struct staffkey *k, char **pw)
{
	struct sc_error err = { 0 };

	if (!args->register_only)
		return make_key(path, args, signed_in, k, pw);
	if (staffkey_read_public(path, k->pk, &err) != 0) {
		cmd_print_error(&err);
		sc_error_clear(&err);
		return CMD_FAILED;
	}
	return ask_account_password(args, signed_in, pw);
}

int
cmd_keygen(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct keygen_args args;
	struct staffkey k = { .sk = NULL };
	struct sc_error err = { 0 };
	char *path, *b64, *pw = NULL;
	struct api *a;
	int rc;

	if (keygen_parse(argc, argv, &args) != CMD_OK)
		return CMD_USAGE;
	if (ctx->o->readonly || ctx->cfg.readonly) {
		fprintf(stderr, "sitecare: keygen: read-only mode: no key is "
		                "made or registered\n");
		return CMD_USAGE;
	}
	if (secret_harden_process(&err) != 0) {
		fprintf(stderr, "sitecare: warning: %s\n", err.message);
		sc_error_clear(&err);
	}
	path = staffkey_path(&err);
	if (path == NULL) {
		cmd_print_error(&err);
		sc_error_clear(&err);
		return CMD_FAILED;
	}
	/* A service URL is known (cmd_ctx_init refuses to go on without
	 * one); an api that cannot be made (its error printed) still lets
	 * the key be made, registration left for --register-only. */
	a = cmd_api_new(ctx);
	rc = obtain_key(path, &args, a != NULL && api_has_session(a), &k, &pw);
	if (rc == CMD_OK) {
		b64 = staffkey_public_b64(&k);
		printf("key file: %s\npublic key: %s\n", path, b64);
		fflush(stdout);
		rc = register_key(a, b64, pw);
		free(b64);
	}
	sodium_free(pw); /* NULL is fine */
	api_free(a);
	free(path);
	return rc;
}
