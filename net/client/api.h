/* The net layer's front door: the staff API, asynchronous and typed. */
#ifndef SITECARE_NET_API_H
#define SITECARE_NET_API_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/client/body.h"
#include "net/base/error.h"
#include "net/client/http.h"
#include "net/base/loop.h"
#include "net/client/model.h"

/*
 * One struct api talks to one service for one staff member: a transport
 * (net/client/http.h), the session cookies and CSRF token
 * (net/client/session.h), and the typed calls of the contract. Nothing here
 * blocks: every call queues a request and returns; the caller's loop drives the
 * layer with api_pollfds / api_timeout_ms / api_dispatch, and the callback runs
 * from inside api_dispatch, exactly once per call unless the call is cancelled
 * with api_cancel.
 *
 * Unsafe requests (POST, PUT, PATCH, DELETE) carry X-CSRFToken and a
 * same-origin Referer; when no CSRF cookie is held yet the layer first
 * fetches one (GET /auth/csrf), and a request refused for CSRF is fetched
 * and sent once more. Cookies are written to the jar when they change.
 *
 * Errors: err->kind SC_ERR_NOT_SIGNED_IN when a 401 came and no session
 * cookie was sent at all; SC_ERR_SESSION_EXPIRED when one was (the
 * on_session_expired callback then runs too, before the request's own
 * callback); otherwise as net/base/error.h maps them.
 *
 * Ownership of results: a typed callback gets a pointer to a struct whose
 * contents it owns from then on. It keeps them by copying the struct
 * (`saved = *me;` moves the contents) or releases them with the type's
 * _free (me_free(me)). On error the struct is zeroed and freeing it is
 * harmless. err is only valid during the callback.
 */
struct api;
struct api_req;

struct api_config {
	const char *url;         /* https://host[:port]; required */
	const char *ca_file;     /* NULL: the system's CA store */
	const char *pin;         /* sha256//BASE64, or NULL */
	const char *state_dir;   /* NULL: $XDG_STATE_HOME/sitecare */
	long connect_timeout_ms; /* 0: HTTP_CONNECT_TIMEOUT_MS */
	long stall_seconds;      /* 0: HTTP_STALL_SECONDS */
	size_t max_body;         /* 0: HTTP_MAX_BODY (32 MiB) */
};

/* A new client; NULL with err set (a bad or http:// URL, no state dir). */
struct api *api_new(const struct api_config *cfg, struct sc_error *err);
/* Cancels everything in flight without calling back, then frees. */
void api_free(struct api *a);

/* Called when the server says the session is gone (401 not_authenticated
 * with a session cookie held). */
void api_on_session_expired(struct api *a, void (*cb)(void *ud), void *ud);

/* The event-loop trio, as http_pollfds / http_timeout_ms / http_dispatch. */
int api_pollfds(struct api *a, struct pollfd *fds, int max);
int api_timeout_ms(struct api *a);
void api_dispatch(struct api *a, const struct pollfd *fds, int n);
/* The trio as a loop source, for the caller to loop_add_source. */
struct loop_source api_source(struct api *a);
/* Calls not yet finished. */
size_t api_pending(const struct api *a);
/* True when no call is pending: a loop_run_until done for an api. */
bool api_idle(void *a);

/* Stops a call; its callback will not run. r may be NULL. */
void api_cancel(struct api *a, struct api_req *r);

/* The normalised service URL, the cookie jar's path. */
const char *api_url(const struct api *a);
const char *api_jar_path(const struct api *a);
/* True when a session cookie is held (it may still have expired). */
bool api_has_session(const struct api *a);

/* A query-string-safe copy of s (percent-encoded); the caller frees. */
char *api_escape(const char *s);

/* ---- raw requests ------------------------------------------------------ */

/* The answer of a raw call; resp->body may be taken (see net/client/http.h). */
typedef void (*api_raw_cb)(struct http_response *resp,
                           const struct sc_error *err, void *ud);

/* Extras of api_send; all optional. */
struct api_opts {
	const char *const *headers; /* "Name: value" lines, NULL-terminated */
	unsigned flags;             /* HTTP_RETRY_SAFE, HTTP_NO_RETRY, ... */
	http_open_cb on_open; /* streams (HTTP_STREAM), see net/client/http.h */
	http_data_cb on_data;
};

/*
 * method on path under /api/v1 ("/tasks?limit=5"), with an optional JSON
 * body (copied). Returns a handle for api_cancel.
 */
struct api_req *api_request(struct api *a, const char *method, const char *path,
                            const char *json_body, unsigned flags,
                            api_raw_cb cb, void *ud);
/* The same with extra headers and streaming (GET /events). */
struct api_req *api_send(struct api *a, const char *method, const char *path,
                         const char *json_body, const struct api_opts *opts,
                         api_raw_cb cb, void *ud);

/* ---- authentication ---------------------------------------------------- */

typedef void (*api_done_cb)(const struct sc_error *err, void *ud);
typedef void (*api_me_cb)(struct me *me, const struct sc_error *err, void *ud);

/*
 * GET /auth/csrf, then POST /auth/login. password is the caller's
 * NUL-terminated buffer: it is wiped (sodium_memzero) as soon as the
 * request body is built; the body itself lives in sodium memory and is
 * wiped when the request ends. Neither is ever logged.
 */
struct api_req *api_login(struct api *a, const char *email, char *password,
                          api_me_cb cb, void *ud);
/* POST /auth/logout; the cookie jar is forgotten whatever the answer. */
struct api_req *api_logout(struct api *a, api_done_cb cb, void *ud);

/* ---- typed calls ------------------------------------------------------- */

typedef void (*api_staff_page_cb)(struct staff_page *p,
                                  const struct sc_error *err, void *ud);
typedef void (*api_client_page_cb)(struct client_page *p,
                                   const struct sc_error *err, void *ud);
typedef void (*api_task_cb)(struct task *t, const struct sc_error *err,
                            void *ud);
typedef void (*api_task_page_cb)(struct task_page *p,
                                 const struct sc_error *err, void *ud);
typedef void (*api_task_detail_cb)(struct task_detail *d,
                                   const struct sc_error *err, void *ud);
typedef void (*api_comment_cb)(struct comment *c, const struct sc_error *err,
                               void *ud);
typedef void (*api_conversation_page_cb)(struct conversation_page *p,
                                         const struct sc_error *err, void *ud);
typedef void (*api_message_cb)(struct message *m, const struct sc_error *err,
                               void *ud);
typedef void (*api_message_page_cb)(struct message_page *p,
                                    const struct sc_error *err, void *ud);
typedef void (*api_credential_page_cb)(struct credential_page *p,
                                       const struct sc_error *err, void *ud);
typedef void (*api_reveal_cb)(struct reveal *r, const struct sc_error *err,
                              void *ud);
typedef void (*api_billing_summary_cb)(struct billing_summary *s,
                                       const struct sc_error *err, void *ud);
typedef void (*api_subscription_page_cb)(struct subscription_page *p,
                                         const struct sc_error *err, void *ud);
typedef void (*api_invoice_page_cb)(struct invoice_page *p,
                                    const struct sc_error *err, void *ud);

/*
 * `query` arguments are NULL or a ready query string without the '?'
 * ("status=new,in_progress&limit=50&cursor=..."); escape free text with
 * api_escape.
 */

/* GET /me. */
struct api_req *api_me(struct api *a, api_me_cb cb, void *ud);
/*
 * PUT /me/public-key with the account password (the contract asks it
 * every time: a session cookie alone must not swap the key). password
 * is treated as api_login treats it: wiped as soon as the body is built,
 * the body in sodium memory, never logged, never retried. A missing or
 * wrong password: SC_ERR_REAUTH_REQUIRED (and it counts as a failed
 * sign-in: SC_ERR_RATE_LIMITED past the limit).
 */
struct api_req *api_put_public_key(struct api *a, const char *public_key,
                                   char *password, api_me_cb cb, void *ud);
/* GET /staff. */
struct api_req *api_staff(struct api *a, const char *query,
                          api_staff_page_cb cb, void *ud);
/* GET /clients. */
struct api_req *api_clients(struct api *a, const char *query,
                            api_client_page_cb cb, void *ud);
/* GET /tasks. */
struct api_req *api_tasks(struct api *a, const char *query, api_task_page_cb cb,
                          void *ud);
/* GET /tasks/{id}. */
struct api_req *api_task(struct api *a, int64_t id, api_task_detail_cb cb,
                         void *ud);
/*
 * PATCH /tasks/{id} with If-Match: "<version>" (retry-safe). On
 * SC_ERR_CONFLICT the task passed to cb is the server's current version
 * when it sent one (t->id != 0), so the UI can show what changed.
 */
struct api_req *api_task_patch(struct api *a, int64_t id, int64_t version,
                               const struct task_patch *patch, api_task_cb cb,
                               void *ud);
/* POST /tasks/{id}/comments; with a client_msg_id it is retry-safe. */
struct api_req *api_comment_post(struct api *a, int64_t task_id,
                                 const char *text, bool internal,
                                 const char *client_msg_id, api_comment_cb cb,
                                 void *ud);
/* GET /conversations. */
struct api_req *api_conversations(struct api *a, const char *query,
                                  api_conversation_page_cb cb, void *ud);
/* GET /conversations/{id}/messages. */
struct api_req *api_messages(struct api *a, int64_t conversation_id,
                             const char *query, api_message_page_cb cb,
                             void *ud);
/* POST /conversations/{id}/messages; with a client_msg_id, retry-safe. */
struct api_req *api_message_post(struct api *a, int64_t conversation_id,
                                 const char *text, const char *client_msg_id,
                                 api_message_cb cb, void *ud);
/* POST /conversations/{id}/read. */
struct api_req *api_mark_read(struct api *a, int64_t conversation_id,
                              int64_t last_read_message_id, api_done_cb cb,
                              void *ud);
/* GET /clients/{id}/credentials. */
struct api_req *api_credentials(struct api *a, int64_t client_id,
                                const char *query, api_credential_page_cb cb,
                                void *ud);
/* POST /credentials/{id}/reveal. */
struct api_req *api_reveal(struct api *a, int64_t credential_id,
                           const char *purpose, api_reveal_cb cb, void *ud);
/* GET /billing/summary. */
struct api_req *api_billing_summary(struct api *a, api_billing_summary_cb cb,
                                    void *ud);
/* GET /billing/subscriptions. */
struct api_req *api_subscriptions(struct api *a, const char *query,
                                  api_subscription_page_cb cb, void *ud);
/* GET /billing/invoices. */
struct api_req *api_invoices(struct api *a, const char *query,
                             api_invoice_page_cb cb, void *ud);

#endif
