/* The signed-in state: the cookie jar on disk and the CSRF headers. */
#ifndef SITECARE_NET_SESSION_H
#define SITECARE_NET_SESSION_H

#include <stdbool.h>

#include "net/base/error.h"
#include "net/client/http.h"

/*
 * Django's session lives in two cookies held by the transport's cookie
 * engine: sessionid (who we are) and csrftoken (echoed in X-CSRFToken on
 * every unsafe request, together with a same-origin Referer). A session
 * keeps them on disk in one jar per service URL,
 * STATE_DIR/cookies-<hash of the URL>, mode 0600, rewritten atomically
 * whenever the cookies change. Cookie values are never logged.
 */
struct session;

/*
 * A session for the service of h, loading its jar if there is one.
 * state_dir NULL means $XDG_STATE_HOME/sitecare. h must outlive it.
 */
struct session *session_new(struct http *h, const char *state_dir,
                            struct sc_error *err);
void session_free(struct session *s);

/* Where the jar lives (whether or not it exists yet). */
const char *session_jar_path(const struct session *s);

/* True when a session cookie is held (it may have expired server-side). */
bool session_has_cookie(const struct session *s);
/* True when a CSRF token cookie is held. */
bool session_has_csrf(const struct session *s);

/* True for methods Django's CSRF check covers (POST, PUT, PATCH, DELETE). */
bool session_method_unsafe(const char *method);

/* Adds X-CSRFToken (the current cookie) and Referer when method is unsafe. */
void session_prepare(struct session *s, struct http_request *r,
                     const char *method);

/* Writes the jar if the cookies changed since it was last written. */
int session_save(struct session *s, struct sc_error *err);

/* Forgets every cookie and removes the jar. */
int session_forget(struct session *s, struct sc_error *err);

#endif
