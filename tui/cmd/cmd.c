/* What the subcommands share: settings, the client, error output. */
#include "tui/cmd/cmd.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cJSON.h>

#include "net/client/http.h"
#include "net/base/xmalloc.h"
#include "tui/cmd/cmd_attachment.h"
#include "tui/cmd/cmd_keygen.h"
#include "tui/cmd/cmd_stream.h"
#include "tui/sanitize.h"

/* True when URLs a and b name the same service once normalised. */
static bool
same_service(const char *a, const char *b)
{
	struct sc_error err = { 0 };
	char *na = NULL, *nb = NULL;
	bool same = http_url_check(a, &na, NULL, &err) == 0 &&
	            http_url_check(b, &nb, NULL, &err) == 0 &&
	            strcmp(na, nb) == 0;

	free(na);
	free(nb);
	sc_error_clear(&err);
	return same;
}

/* Prints the config file's problems as warnings. */
static void
warn_config(const struct config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->nerrors; i++) {
		char *msg = sanitize_str(cfg->errors[i].message, 0);

		if (cfg->errors[i].line > 0)
			fprintf(stderr, "sitecare: %s:%d: %s\n",
			        cfg->errors[i].file, cfg->errors[i].line, msg);
		else
			fprintf(stderr, "sitecare: %s: %s\n",
			        cfg->errors[i].file, msg);
		free(msg);
	}
}

/*
 * Flag beats SITECARE_URL beats the config file. The config's CA file
 * and pin go with the config's URL: they are used only when the URL
 * came from there too, or names the same service.
 */
static void
settle(struct cmd_ctx *ctx)
{
	const struct options *o = ctx->o;
	bool cfg_service =
	    o->url == NULL ||
	    (ctx->cfg.url != NULL && same_service(o->url, ctx->cfg.url));

	ctx->url = o->url != NULL ? o->url : ctx->cfg.url;
	ctx->ca_file = o->ca_file;
	if (ctx->ca_file == NULL && cfg_service)
		ctx->ca_file = ctx->cfg.ca_file;
	ctx->pin = o->pin;
	if (ctx->pin == NULL && cfg_service)
		ctx->pin = ctx->cfg.pin;
}

/*
 * A CA file that cannot be read is a settings error, told before any
 * request: otherwise it would surface as a failed connection that blames
 * the network or the server. Returns CMD_OK or CMD_USAGE (printed).
 */
static int
check_ca_file(const struct cmd_ctx *ctx)
{
	const char *path = ctx->ca_file;
	struct stat st;
	int fd, e = 0;

	if (path == NULL)
		return CMD_OK;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0)
		e = errno;
	else if (S_ISDIR(st.st_mode))
		e = EISDIR;
	if (fd >= 0)
		close(fd);
	if (e == 0)
		return CMD_OK;
	if (path == ctx->o->ca_file)
		fprintf(stderr, "sitecare: --ca-file %s: %s\n", path,
		        strerror(e));
	else
		fprintf(stderr, "sitecare: ca-file %s (set in %s): %s\n", path,
		        ctx->config_path, strerror(e));
	return CMD_USAGE;
}

int
cmd_ctx_init(struct cmd_ctx *ctx, const struct options *o)
{
	struct sc_error err = { 0 };

	memset(ctx, 0, sizeof *ctx);
	ctx->o = o;
	config_init(&ctx->cfg);
	ctx->config_path = config_path(o->config_path, &err);
	if (ctx->config_path == NULL) {
		fprintf(stderr, "sitecare: %s\n", err.message);
		sc_error_clear(&err);
		return CMD_USAGE;
	}
	config_load(&ctx->cfg, ctx->config_path);
	warn_config(&ctx->cfg);
	settle(ctx);
	if (ctx->url == NULL) {
		fprintf(stderr,
		        "sitecare: no service URL: give --url https://HOST, "
		        "set SITECARE_URL, or add `url = https://HOST` to %s\n",
		        ctx->config_path);
		return CMD_USAGE;
	}
	return check_ca_file(ctx);
}

int
cmd_remember_settings(const struct cmd_ctx *ctx, const char *url,
                      const char *email, struct sc_error *err)
{
	char abs[PATH_MAX];
	const char *ca = "";

	if (ctx->ca_file != NULL)
		ca = realpath(ctx->ca_file, abs) != NULL ? abs : ctx->ca_file;
	if (config_update(ctx->config_path, "url", url, err) != 0 ||
	    config_update(ctx->config_path, "ca-file", ca, err) != 0 ||
	    config_update(ctx->config_path, "email", email, err) != 0)
		return -1;
	return 0;
}

void
cmd_ctx_free(struct cmd_ctx *ctx)
{
	config_free(&ctx->cfg);
	free(ctx->config_path);
	memset(ctx, 0, sizeof *ctx);
}

struct api *
cmd_api_new(const struct cmd_ctx *ctx)
{
	struct api_config ac = {
		.url = ctx->url,
		.ca_file = ctx->ca_file,
		.pin = ctx->pin,
		.connect_timeout_ms = ctx->cfg.connect_timeout * 1000L,
	};
	struct sc_error err = { 0 };
	struct api *a = api_new(&ac, &err);

	if (a == NULL) {
		cmd_print_error(&err);
		sc_error_clear(&err);
	}
	return a;
}

int
cmd_print_json_line(cJSON *o)
{
	char *text = cJSON_PrintUnformatted(o);
	int rc;

	cJSON_Delete(o);
	if (text == NULL)
		abort(); /* out of memory */
	rc = puts(text) < 0 || fflush(stdout) != 0 ? -1 : 0;
	free(text);
	return rc;
}

void
cmd_on_me(struct me *me, const struct sc_error *err, void *ud)
{
	struct cmd_me_answer *ans = ud;

	ans->me = *me; /* takes the contents */
	if (err->kind != SC_OK)
		sc_error_set(&ans->err, err->kind, "%s", err->message);
	ans->err.retry_after = err->retry_after;
}

int
cmd_no_arguments(int argc, char **argv)
{
	if (argc <= 1)
		return CMD_OK;
	fprintf(stderr,
	        "sitecare: %s: unexpected %s (it takes no arguments; "
	        "flags are listed by sitecare --help)\n",
	        argv[0], argv[1]);
	return CMD_USAGE;
}

long long
cmd_parse_id(const char *s)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 1)
		return -1;
	return v;
}

char *
cmd_read_stdin(size_t max)
{
	size_t len = 0, cap = 4096, n;
	char *buf = xmalloc(cap);

	while ((n = fread(buf + len, 1, cap - len - 1, stdin)) > 0) {
		len += n;
		if (len > max) {
			free(buf);
			return NULL;
		}
		if (len + 1 == cap) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
	}
	buf[len] = '\0';
	return buf;
}

/* The kind's name in words: "invalid_credentials" -> "invalid credentials". */
static void
kind_words(enum sc_error_kind kind, char *out, size_t len)
{
	char *p;

	snprintf(out, len, "%s", sc_error_kind_name(kind));
	for (p = out; *p != '\0'; p++)
		if (*p == '_')
			*p = ' ';
}

void
cmd_print_error(const struct sc_error *err)
{
	char kind[64];
	char *msg;
	size_t i;

	if (err->kind == SC_ERR_NOT_SIGNED_IN ||
	    err->kind == SC_ERR_SESSION_EXPIRED) {
		fprintf(stderr, "sitecare: %s: run sitecare login\n",
		        err->kind == SC_ERR_NOT_SIGNED_IN ? "not signed in"
		                                          : "session expired");
		return;
	}
	kind_words(err->kind, kind, sizeof kind);
	msg = sanitize_str(err->message, 0);
	if (err->kind == SC_ERR_LOCAL)
		fprintf(stderr, "sitecare: %s", msg);
	else
		fprintf(stderr, "sitecare: %s: %s", kind, msg);
	free(msg);
	if (err->kind == SC_ERR_RATE_LIMITED && err->retry_after > 0)
		fprintf(stderr, " (try again in %ld s)", err->retry_after);
	fputc('\n', stderr);
	for (i = 0; i < err->nfields; i++) {
		char *f = sanitize_str(err->fields[i].field, 0);
		char *m = sanitize_str(err->fields[i].message, 0);

		fprintf(stderr, "sitecare:   %s: %s\n", f, m);
		free(f);
		free(m);
	}
}

int
cmd_run(const struct options *o, int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(struct cmd_ctx *ctx, int argc, char **argv);
		const char *usage;
	} cmds[] = {
		{ "login", cmd_login,
		  "usage: sitecare login [--email E] [--password-stdin]\n"
		  "Signs in; the password is read from the terminal without "
		  "echo,\nor as one line of stdin with --password-stdin.\n" },
		{ "logout", cmd_logout,
		  "usage: sitecare logout\nSigns out and forgets the "
		  "session cookies.\n" },
		{ "whoami", cmd_whoami,
		  "usage: sitecare whoami\nShows who is signed in: name, "
		  "email, role, permissions.\n" },
		{ "api", cmd_api,
		  "usage: sitecare api METHOD PATH [--data JSON|-] "
		  "[-H 'Name: value']... [--retry-safe]\n"
		  "Sends one request to PATH under /api/v1 (e.g. /me, "
		  "/tasks?limit=5)\nand prints the answer's body. --data - "
		  "reads the body from stdin.\nExit status 0 on 2xx, 1 "
		  "otherwise (the error on stderr), 2 on usage errors.\n" },
		{ "events", cmd_events, CMD_EVENTS_USAGE },
		{ "reply", cmd_reply, CMD_REPLY_USAGE },
		{ "comment", cmd_comment, CMD_COMMENT_USAGE },
		{ "outbox", cmd_outbox, CMD_OUTBOX_USAGE },
		{ "attachment", cmd_attachment, CMD_ATTACHMENT_USAGE },
		{ "keygen", cmd_keygen, CMD_KEYGEN_USAGE },
	};
	struct cmd_ctx ctx;
	size_t i;
	int rc, j;

	for (i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		if (strcmp(argv[0], cmds[i].name) != 0)
			continue;
		for (j = 1; j < argc; j++)
			if (strcmp(argv[j], "-h") == 0 ||
			    strcmp(argv[j], "--help") == 0) {
				fputs(cmds[i].usage, stdout);
				return CMD_OK;
			}
		rc = cmd_ctx_init(&ctx, o);
		if (rc == CMD_OK)
			rc = cmds[i].run(&ctx, argc, argv);
		cmd_ctx_free(&ctx);
		return rc;
	}
	fprintf(stderr, "sitecare: unknown command: %s (try --help)\n",
	        argv[0]);
	return CMD_USAGE;
}
