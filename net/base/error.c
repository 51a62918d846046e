/* Builds sc_error values from curl-free descriptions and HTTP answers. */
#include "net/base/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "net/base/xmalloc.h"

static const char *const kind_names[] = {
#define X(kind, name) [kind] = name,
	SC_ERROR_KINDS
#undef X
};

const char *
sc_error_kind_name(enum sc_error_kind kind)
{
	if ((size_t)kind >= sizeof kind_names / sizeof kind_names[0])
		return "unknown";
	return kind_names[kind];
}

void
sc_error_clear(struct sc_error *e)
{
	size_t i;

	for (i = 0; i < e->nfields; i++) {
		free(e->fields[i].field);
		free(e->fields[i].message);
	}
	free(e->fields);
	free(e->code);
	free(e->message);
	memset(e, 0, sizeof *e);
}

void
sc_error_move(struct sc_error *dst, struct sc_error *src)
{
	sc_error_clear(dst);
	*dst = *src;
	memset(src, 0, sizeof *src);
}

void
sc_error_set(struct sc_error *e, enum sc_error_kind kind, const char *fmt, ...)
{
	va_list ap;
	char buf[512];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	sc_error_clear(e);
	e->kind = kind;
	e->message = xstrdup(buf);
}

/* The kind an HTTP status means when the body names no known code. */
static enum sc_error_kind
kind_from_status(int status)
{
	switch (status) {
	case 401:
		return SC_ERR_SESSION_EXPIRED;
	case 403:
		return SC_ERR_FORBIDDEN;
	case 404:
		return SC_ERR_NOT_FOUND;
	case 409:
	case 412:
	case 428:
		return SC_ERR_CONFLICT;
	case 400:
	case 422:
		return SC_ERR_INVALID;
	case 413:
		return SC_ERR_TOO_LARGE;
	case 429:
		return SC_ERR_RATE_LIMITED;
	default:
		return status >= 500 ? SC_ERR_SERVER : SC_ERR_MALFORMED;
	}
}

/* Server codes that say more than their status does. */
static enum sc_error_kind
kind_from_code(const char *code, enum sc_error_kind fallback)
{
	static const struct {
		const char *code;
		enum sc_error_kind kind;
	} table[] = {
		{ "not_authenticated", SC_ERR_SESSION_EXPIRED },
		{ "invalid_credentials", SC_ERR_INVALID_CREDENTIALS },
		{ "not_assigned", SC_ERR_NOT_ASSIGNED },
		{ "no_public_key", SC_ERR_NO_PUBLIC_KEY },
		{ "reauth_required", SC_ERR_REAUTH_REQUIRED },
		{ "version_conflict", SC_ERR_CONFLICT },
	};
	size_t i;

	for (i = 0; code != NULL && i < sizeof table / sizeof table[0]; i++)
		if (strcmp(code, table[i].code) == 0)
			return table[i].kind;
	return fallback;
}

/* Words for a status whose body said nothing usable. */
static const char *
default_message(enum sc_error_kind kind)
{
	switch (kind) {
	case SC_ERR_SESSION_EXPIRED:
		return "your session has expired; sign in again";
	case SC_ERR_FORBIDDEN:
		return "you are not allowed to do that";
	case SC_ERR_REAUTH_REQUIRED:
		return "the account password was wrong or missing";
	case SC_ERR_NOT_FOUND:
		return "it no longer exists on the server";
	case SC_ERR_CONFLICT:
		return "someone changed it first";
	case SC_ERR_INVALID:
		return "the server refused the values sent";
	case SC_ERR_RATE_LIMITED:
		return "too many attempts; wait a moment";
	case SC_ERR_TOO_LARGE:
		return "too large for the server";
	case SC_ERR_SERVER:
		return "the service had an internal error";
	default:
		return "the service gave an unexpected answer";
	}
}

/* Joins the string array msgs with "; ", or NULL when it is not one. */
static char *
join_messages(const cJSON *msgs)
{
	const cJSON *m;
	size_t len = 0;
	char *out;

	if (cJSON_IsString(msgs))
		return xstrdup(msgs->valuestring);
	if (!cJSON_IsArray(msgs))
		return NULL;
	cJSON_ArrayForEach(m, msgs)
	{
		if (cJSON_IsString(m))
			len += strlen(m->valuestring) + 2;
	}
	out = xcalloc(1, len + 1);
	cJSON_ArrayForEach(m, msgs)
	{
		if (!cJSON_IsString(m))
			continue;
		if (out[0] != '\0')
			strcat(out, "; ");
		strcat(out, m->valuestring);
	}
	return out;
}

/* Copies {"fields": {"name": ["msg", ...]}} into e. */
static void
take_fields(struct sc_error *e, const cJSON *fields)
{
	const cJSON *f;
	size_t n = 0;

	if (!cJSON_IsObject(fields))
		return;
	e->fields =
	    xcalloc((size_t)cJSON_GetArraySize(fields) + 1, sizeof *e->fields);
	cJSON_ArrayForEach(f, fields)
	{
		char *msg = join_messages(f);

		if (msg == NULL || f->string == NULL) {
			free(msg);
			continue;
		}
		e->fields[n].field = xstrdup(f->string);
		e->fields[n].message = msg;
		n++;
	}
	e->nfields = n;
}

void
sc_error_from_http(struct sc_error *e, int status, const char *body, size_t len)
{
	cJSON *root = body != NULL ? cJSON_ParseWithLength(body, len) : NULL;
	const cJSON *err = cJSON_GetObjectItemCaseSensitive(root, "error");
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(err, "code");
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(err, "message");
	enum sc_error_kind kind = kind_from_status(status);

	if (cJSON_IsString(code))
		kind = kind_from_code(code->valuestring, kind);
	/* A refused password is said in the client's own words: the same
	 * whatever the server phrases, and never mistaken for a passphrase. */
	sc_error_set(e, kind, "%s",
	             cJSON_IsString(msg) && msg->valuestring[0] != '\0' &&
	                     kind != SC_ERR_REAUTH_REQUIRED
	                 ? msg->valuestring
	                 : default_message(kind));
	e->http_status = status;
	if (cJSON_IsString(code))
		e->code = xstrdup(code->valuestring);
	take_fields(e, cJSON_GetObjectItemCaseSensitive(err, "fields"));
	cJSON_Delete(root);
}
