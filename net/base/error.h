/* The one error type of the whole client: every failure becomes one. */
#ifndef SITECARE_NET_ERROR_H
#define SITECARE_NET_ERROR_H

#include <stddef.h>

/*
 * What went wrong, in the terms a staff member acts on. curl's and the
 * server's details are mapped to one of these inside net/ and never leak
 * out as raw codes; the message says it in words.
 */
#define SC_ERROR_KINDS                                                         \
	X(SC_OK, "ok")                                                         \
	X(SC_ERR_NETWORK, "network")                                           \
	X(SC_ERR_TLS, "tls")                                                   \
	X(SC_ERR_NOT_SIGNED_IN, "not_signed_in")                               \
	X(SC_ERR_SESSION_EXPIRED, "session_expired")                           \
	X(SC_ERR_INVALID_CREDENTIALS, "invalid_credentials")                   \
	X(SC_ERR_FORBIDDEN, "forbidden")                                       \
	X(SC_ERR_REAUTH_REQUIRED, "reauth_required")                           \
	X(SC_ERR_NOT_ASSIGNED, "not_assigned")                                 \
	X(SC_ERR_NOT_FOUND, "not_found")                                       \
	X(SC_ERR_NO_PUBLIC_KEY, "no_public_key")                               \
	X(SC_ERR_CONFLICT, "conflict")                                         \
	X(SC_ERR_INVALID, "invalid")                                           \
	X(SC_ERR_RATE_LIMITED, "rate_limited")                                 \
	X(SC_ERR_SERVER, "server")                                             \
	X(SC_ERR_MALFORMED, "malformed")                                       \
	X(SC_ERR_TOO_LARGE, "too_large")                                       \
	X(SC_ERR_LOCAL, "local")

enum sc_error_kind {
#define X(kind, name) kind,
	SC_ERROR_KINDS
#undef X
};

/* One field's validation messages from a 422 answer. */
struct sc_field_error {
	char *field;
	char *message; /* the field's messages joined with "; " */
};

/*
 * An error and the text the UI shows. The struct owns its strings:
 * sc_error_clear() frees them and leaves an SC_OK error behind, so a
 * struct sc_error can be reused across calls.
 */
struct sc_error {
	enum sc_error_kind kind;
	int http_status;  /* 0 when no HTTP answer came */
	long retry_after; /* seconds, for SC_ERR_RATE_LIMITED; else 0 */
	char *code;       /* the server's error code, or NULL */
	char *message;    /* human text, never NULL unless SC_OK */
	struct sc_field_error *fields; /* for SC_ERR_INVALID */
	size_t nfields;
};

/* The stable name of a kind ("session_expired"), for logs and tests. */
const char *sc_error_kind_name(enum sc_error_kind kind);

/* Sets kind and a printf-formatted message, replacing what was there. */
void sc_error_set(struct sc_error *e, enum sc_error_kind kind, const char *fmt,
                  ...) __attribute__((format(printf, 3, 4)));

/*
 * Maps an HTTP answer to an error: the status, plus the body's
 * {"error": {"code", "message", "fields"}} when it parses. A body that
 * does not parse still gives a kind from the status alone.
 */
void sc_error_from_http(struct sc_error *e, int status, const char *body,
                        size_t len);

/* Frees what e owns and resets it to SC_OK. */
void sc_error_clear(struct sc_error *e);

/* Moves src into dst (clearing dst first); src is left SC_OK. */
void sc_error_move(struct sc_error *dst, struct sc_error *src);

#endif
