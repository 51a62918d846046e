/* `sitecare api METHOD PATH`: one raw API call, like `gh api`. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cJSON.h>

#include "net/client/http.h"
#include "net/client/session.h"
#include "net/base/xmalloc.h"
#include "tui/cmd/cmd.h"
#include "tui/cmd/runloop.h"

#define API_USAGE                                                              \
	"usage: sitecare api METHOD PATH [--data JSON|-] "                     \
	"[-H 'Name: value']... [--retry-safe]"

/* The most headers one call may add. */
#define API_MAX_HEADERS 32

/* The call as the command line describes it. */
struct api_args {
	char method[8];
	const char *path;
	const char *data; /* "-": stdin */
	const char *headers[API_MAX_HEADERS + 1];
	int nheaders;
	unsigned flags;
};

/* The call's outcome: the exit status. */
struct api_result {
	int rc;
};

/* Upper-cases and checks the method. */
static int
take_method(struct api_args *args, const char *m)
{
	static const char *const ok[] = { "GET", "HEAD",  "POST",
		                          "PUT", "PATCH", "DELETE" };
	size_t i;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (strcasecmp(m, ok[i]) == 0) {
			snprintf(args->method, sizeof args->method, "%s",
			         ok[i]);
			return 0;
		}
	fprintf(stderr, "sitecare: api: unknown method %s\n%s\n", m, API_USAGE);
	return -1;
}

/* Checks one -H value: "Name: value", no line breaks. */
static int
take_header(struct api_args *args, const char *h)
{
	const char *colon = strchr(h, ':');
	const char *p;

	for (p = h; colon != NULL && p < colon; p++)
		if (!isgraph((unsigned char)*p))
			colon = NULL;
	if (colon == NULL || colon == h || strpbrk(h, "\r\n") != NULL) {
		fprintf(stderr,
		        "sitecare: api: bad header \"%s\": expected "
		        "'Name: value'\n",
		        h);
		return -1;
	}
	if (args->nheaders == API_MAX_HEADERS) {
		fprintf(stderr, "sitecare: api: too many headers\n");
		return -1;
	}
	args->headers[args->nheaders++] = h;
	return 0;
}

/* Handles one option at argv[*i]; -1 on a usage error. */
static int
take_option(struct api_args *args, int argc, char **argv, int *i)
{
	const char *a = argv[*i];

	if (strcmp(a, "--retry-safe") == 0) {
		args->flags |= HTTP_RETRY_SAFE;
		return 0;
	}
	if (strncmp(a, "--data=", 7) == 0) {
		args->data = a + 7;
		return 0;
	}
	if ((strcmp(a, "--data") == 0 || strcmp(a, "-d") == 0 ||
	     strcmp(a, "-H") == 0 || strcmp(a, "--header") == 0) &&
	    *i + 1 < argc) {
		if (a[1] == 'H' || strcmp(a, "--header") == 0)
			return take_header(args, argv[++*i]);
		args->data = argv[++*i];
		return 0;
	}
	fprintf(stderr, "sitecare: api: unexpected %s\n%s\n", a, API_USAGE);
	return -1;
}

/* Parses `api METHOD PATH [options]`. */
static int
parse_args(struct api_args *args, int argc, char **argv)
{
	int i, positional = 0;

	memset(args, 0, sizeof *args);
	for (i = 1; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1] != '\0') {
			if (take_option(args, argc, argv, &i) != 0)
				return -1;
		} else if (positional == 0) {
			if (take_method(args, argv[i]) != 0)
				return -1;
			positional++;
		} else if (positional == 1) {
			args->path = argv[i];
			positional++;
		} else {
			fprintf(stderr, "sitecare: api: unexpected %s\n%s\n",
			        argv[i], API_USAGE);
			return -1;
		}
	}
	if (positional < 2 || args->path[0] != '/') {
		fprintf(stderr,
		        "%s\nPATH is relative to /api/v1 and starts "
		        "with /, e.g. /me or /tasks?limit=5\n",
		        API_USAGE);
		return -1;
	}
	return 0;
}

/* --data -: all of stdin, at most HTTP_MAX_BODY bytes. */
static char *
read_stdin(void)
{
	char *buf = cmd_read_stdin(HTTP_MAX_BODY);

	if (buf == NULL)
		fprintf(stderr, "sitecare: api: --data - is too large\n");
	return buf;
}

/* The body to send (malloc'd), or NULL with *bad set when unusable. */
static char *
load_body(const struct api_args *args, bool *bad)
{
	char *body;
	cJSON *json;

	*bad = false;
	if (args->data == NULL)
		return NULL;
	body =
	    strcmp(args->data, "-") == 0 ? read_stdin() : xstrdup(args->data);
	if (body == NULL) {
		*bad = true;
		return NULL;
	}
	json = cJSON_Parse(body);
	if (json == NULL) {
		fprintf(stderr, "sitecare: api: --data is not valid JSON\n");
		free(body);
		*bad = true;
		return NULL;
	}
	cJSON_Delete(json);
	return body;
}

/*
 * Marks the call retry-safe when the contract says it may be repeated:
 * it carries If-Match, or a body with a client_msg_id.
 */
static void
detect_retry_safe(struct api_args *args, const char *body)
{
	cJSON *json = body != NULL ? cJSON_Parse(body) : NULL;
	int i;

	if (cJSON_IsString(
	        cJSON_GetObjectItemCaseSensitive(json, "client_msg_id")))
		args->flags |= HTTP_RETRY_SAFE;
	cJSON_Delete(json);
	for (i = 0; i < args->nheaders; i++)
		if (strncasecmp(args->headers[i], "If-Match:", 9) == 0)
			args->flags |= HTTP_RETRY_SAFE;
}

/* True when a 2xx body claims to be JSON but is not. */
static bool
malformed_json(const struct http_response *resp)
{
	cJSON *json;

	if (resp->body == NULL || resp->len == 0 ||
	    resp->content_type == NULL ||
	    strstr(resp->content_type, "json") == NULL)
		return false;
	json = cJSON_ParseWithLength(resp->body, resp->len);
	cJSON_Delete(json);
	return json == NULL;
}

/* Prints the body, then the error if any; sets the exit status. */
static void
on_answer(struct http_response *resp, const struct sc_error *err, void *ud)
{
	struct api_result *res = ud;
	struct sc_error bad = { 0 };

	if (err->kind == SC_OK && malformed_json(resp)) {
		sc_error_set(&bad, SC_ERR_MALFORMED,
		             "the server's answer is not valid JSON");
		cmd_print_error(&bad);
		sc_error_clear(&bad);
		res->rc = CMD_FAILED;
		return;
	}
	if (resp->body != NULL && resp->len > 0 &&
	    (err->kind == SC_OK || err->http_status != 0)) {
		fwrite(resp->body, 1, resp->len, stdout);
		if (resp->body[resp->len - 1] != '\n')
			fputc('\n', stdout);
	}
	fflush(stdout);
	res->rc = err->kind == SC_OK ? CMD_OK : CMD_FAILED;
	if (err->kind != SC_OK)
		cmd_print_error(err);
}

int
cmd_api(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct api_args args;
	struct api_result res = { CMD_FAILED };
	struct api_opts opts = { 0 };
	struct api *a;
	char *body;
	bool bad;
	const char *path;

	if (parse_args(&args, argc, argv) != 0)
		return CMD_USAGE;
	if ((ctx->o->readonly || ctx->cfg.readonly) &&
	    session_method_unsafe(args.method)) {
		fprintf(stderr, "sitecare: api: read-only mode: refusing %s\n",
		        args.method);
		return CMD_USAGE;
	}
	body = load_body(&args, &bad);
	if (bad)
		return CMD_USAGE;
	a = cmd_api_new(ctx);
	if (a == NULL) {
		free(body);
		return CMD_USAGE;
	}
	detect_retry_safe(&args, body);
	opts.headers = args.headers;
	opts.flags = args.flags;
	path = args.path;
	if (strncmp(path, HTTP_API_PREFIX "/", strlen(HTTP_API_PREFIX) + 1) ==
	    0)
		path += strlen(HTTP_API_PREFIX);
	api_send(a, args.method, path, body, &opts, on_answer, &res);
	free(body);
	if (runloop_run(a) != 0)
		fprintf(stderr, "sitecare: the event loop failed\n");
	api_free(a);
	return res.rc;
}
