/* `sitecare login` and `sitecare logout`. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "net/client/model.h"
#include "net/base/xmalloc.h"
#include "tui/cmd/cmd.h"
#include "tui/cmd/cmd_owner.h"
#include "tui/cmd/runloop.h"
#include "tui/sanitize.h"
#include "tui/tty_line.h"

/* The longest password or email read. */
#define LINE_MAX_LEN 1024

/* Opens the controlling terminal, or -1 with a message printed. */
static int
open_tty(const char *why)
{
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		fprintf(stderr, "sitecare: no terminal to ask for %s\n", why);
	return fd;
}

/* Writes a prompt to the terminal. */
static void
tty_prompt(int fd, const char *text)
{
	(void)!write(fd, text, strlen(text));
}

/*
 * The email: --email, else asked on the terminal with the remembered one
 * as the default, else (no terminal) the remembered one.
 */
static char *
ask_email(const char *given, const char *remembered)
{
	char buf[LINE_MAX_LEN];
	char *prompt;
	int fd;
	ssize_t n;

	if (given != NULL)
		return xstrdup(given);
	fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 && remembered != NULL)
		return xstrdup(remembered);
	if (fd < 0) {
		fprintf(stderr, "sitecare: no terminal to ask for the email "
		                "(give --email)\n");
		return NULL;
	}
	prompt = remembered != NULL ? xasprintf("Email [%s]: ", remembered)
	                            : xstrdup("Email: ");
	tty_prompt(fd, prompt);
	free(prompt);
	n = tty_read_line(fd, buf, sizeof buf);
	close(fd);
	if (n <= 0 && remembered != NULL)
		return xstrdup(remembered);
	return n > 0 ? xstrdup(buf) : NULL;
}

char *
cmd_read_password(const char *prompt, bool from_stdin)
{
	char *buf = sodium_malloc(LINE_MAX_LEN);
	ssize_t n;
	int fd;

	if (buf == NULL)
		abort();
	if (from_stdin)
		n = tty_read_line(STDIN_FILENO, buf, LINE_MAX_LEN);
	else {
		fd = open_tty("the password (use --password-stdin)");
		if (fd < 0) {
			sodium_free(buf);
			return NULL;
		}
		tty_prompt(fd, prompt);
		n = tty_read_noecho(fd, buf, LINE_MAX_LEN);
		close(fd);
	}
	if (n <= 0) {
		fprintf(stderr, "sitecare: no password given\n");
		sodium_free(buf);
		return NULL;
	}
	return buf;
}

/* Saves the settings signed in with; a failure is only a warning. */
static void
remember(const struct cmd_ctx *ctx, const char *url, const char *email)
{
	struct sc_error err = { 0 };

	if (cmd_remember_settings(ctx, url, email, &err) != 0)
		fprintf(stderr, "sitecare: warning: settings not saved: %s\n",
		        err.message);
	sc_error_clear(&err);
}

/* Prints the signed-in line. */
static void
print_signed_in(const struct me *me)
{
	char *name = sanitize_str(me->name, 0);
	char *email = sanitize_str(me->email, 0);

	printf("signed in as %s <%s> (%s)\n", name, email,
	       staff_role_name(me->role));
	free(name);
	free(email);
}

/* Parses login's own flags; CMD_USAGE on anything else. */
static int
login_args(int argc, char **argv, const char **email, bool *from_stdin)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--password-stdin") == 0)
			*from_stdin = true;
		else if (strcmp(argv[i], "--email") == 0 && i + 1 < argc)
			*email = argv[++i];
		else if (strncmp(argv[i], "--email=", 8) == 0)
			*email = argv[i] + 8;
		else {
			fprintf(stderr,
			        "sitecare: login: unexpected %s (usage: "
			        "sitecare login [--email E] "
			        "[--password-stdin])\n",
			        argv[i]);
			return CMD_USAGE;
		}
	}
	return CMD_OK;
}

/* Signs in with email and password (wiped and freed here). */
static int
do_login(struct cmd_ctx *ctx, struct api *a, const char *email, char *pw)
{
	struct cmd_me_answer res = { 0 };
	int rc = CMD_OK;

	api_login(a, email, pw, cmd_on_me, &res);
	sodium_free(pw);
	if (runloop_run(a) != 0)
		sc_error_set(&res.err, SC_ERR_LOCAL, "the event loop failed");
	if (res.err.kind != SC_OK) {
		cmd_print_error(&res.err);
		rc = CMD_FAILED;
	} else {
		print_signed_in(&res.me);
		remember(ctx, api_url(a), res.me.email);
		cmd_owner_remember(a, &res.me);
	}
	me_free(&res.me);
	sc_error_clear(&res.err);
	return rc;
}

int
cmd_login(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *given = NULL;
	bool from_stdin = false;
	struct api *a;
	char *email, *pw;
	int rc;

	if (login_args(argc, argv, &given, &from_stdin) != CMD_OK)
		return CMD_USAGE;
	a = cmd_api_new(ctx);
	if (a == NULL)
		return CMD_USAGE;
	email = ask_email(given, ctx->cfg.email);
	pw = email != NULL ? cmd_read_password("Password: ", from_stdin) : NULL;
	if (pw == NULL) {
		free(email);
		api_free(a);
		return CMD_USAGE;
	}
	rc = do_login(ctx, a, email, pw);
	free(email);
	api_free(a);
	return rc;
}

/* The logout's outcome. */
static void
on_logout(const struct sc_error *err, void *ud)
{
	struct sc_error *out = ud;

	if (err->kind != SC_OK)
		sc_error_set(out, err->kind, "%s", err->message);
}

int
cmd_logout(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct sc_error err = { 0 };
	struct api *a;

	if (cmd_no_arguments(argc, argv) != CMD_OK)
		return CMD_USAGE;
	a = cmd_api_new(ctx);
	if (a == NULL)
		return CMD_USAGE;
	if (!api_has_session(a))
		printf("not signed in\n");
	else {
		api_logout(a, on_logout, &err);
		runloop_run(a);
		if (err.kind != SC_OK && err.kind != SC_ERR_SESSION_EXPIRED &&
		    err.kind != SC_ERR_NOT_SIGNED_IN)
			fprintf(stderr,
			        "sitecare: warning: the service was not told "
			        "(%s); the session is forgotten here\n",
			        err.message);
		printf("signed out\n");
	}
	sc_error_clear(&err);
	api_free(a);
	return CMD_OK;
}
