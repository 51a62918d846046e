/* The staff API client: session and CSRF handling, typed calls. */
#include "net/client/api.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "net/client/session.h"
#include "net/base/xmalloc.h"

/*
 * How a typed call's answer becomes a struct: parse fills a zeroed
 * struct of `size` bytes, invoke calls the user's callback with its real
 * type (stored as a generic function pointer and cast back here).
 */
struct typed {
	int (*parse)(const char *body, size_t len, void *out,
	             struct sc_error *err);
	void (*invoke)(void (*fn)(void), void *obj, const struct sc_error *err,
	               void *ud);
	size_t size;
};

/*
 * One call. It is on the api's list from creation until its callback
 * runs or it is cancelled. While the CSRF token is being fetched it is
 * parked (hr == NULL); otherwise hr is its request in the transport. The
 * body stays here (lent to each transport request) so that a call can be
 * sent again after a CSRF refusal.
 */
struct api_req {
	struct api *a;
	struct api_req *prev;
	struct api_req *next;
	char *method;
	char *path;
	char *body;
	size_t body_len;
	void (*release)(char *data, size_t len);
	char **headers;
	size_t nheaders;
	unsigned flags;
	http_open_cb on_open;
	http_data_cb on_data;
	api_raw_cb raw;
	api_done_cb done;
	const struct typed *typed;
	void (*typed_fn)(void);
	void *ud;
	struct http_request *hr;
	bool parked;
	bool wake;       /* the CSRF fetch it waited for has ended */
	bool fresh_csrf; /* fetch a CSRF token first even if one is held */
	bool csrf_retried;
	bool had_cookie; /* a session cookie went with the request */
	bool forget_after;
	bool conflict_task;
	bool finishing;
	bool linked;
};

struct api {
	struct http *h;
	struct session *s;
	struct api_req *head;
	size_t pending;
	struct http_request *csrf; /* the GET /auth/csrf in flight */
	void (*expired_cb)(void *ud);
	void *expired_ud;
};

static void req_start(struct api_req *q);

/* ---- making and freeing ------------------------------------------- */

struct api *
api_new(const struct api_config *cfg, struct sc_error *err)
{
	struct http_config hc = {
		.base_url = cfg->url,
		.ca_file = cfg->ca_file,
		.pin = cfg->pin,
		.connect_timeout_ms = cfg->connect_timeout_ms,
		.stall_seconds = cfg->stall_seconds,
		.max_body = cfg->max_body,
	};
	struct api *a = xcalloc(1, sizeof *a);

	a->h = http_new(&hc, err);
	if (a->h != NULL)
		a->s = session_new(a->h, cfg->state_dir, err);
	if (a->s == NULL) {
		api_free(a);
		return NULL;
	}
	return a;
}

/* Takes q off the api's list. */
static void
req_unlink(struct api_req *q)
{
	struct api *a = q->a;

	if (!q->linked)
		return;
	if (q->prev != NULL)
		q->prev->next = q->next;
	else
		a->head = q->next;
	if (q->next != NULL)
		q->next->prev = q->prev;
	q->prev = q->next = NULL;
	q->linked = false;
	a->pending--;
}

/* Frees q and what it owns (its transport request must be gone). */
static void
req_free(struct api_req *q)
{
	size_t i;

	if (q->release != NULL)
		q->release(q->body, q->body_len);
	else
		free(q->body);
	for (i = 0; i < q->nheaders; i++)
		free(q->headers[i]);
	free(q->headers);
	free(q->method);
	free(q->path);
	free(q);
}

void
api_cancel(struct api *a, struct api_req *q)
{
	if (q == NULL || q->finishing)
		return;
	if (q->hr != NULL)
		http_cancel(a->h, q->hr);
	q->hr = NULL;
	req_unlink(q);
	req_free(q);
}

void
api_free(struct api *a)
{
	if (a == NULL)
		return;
	while (a->head != NULL)
		api_cancel(a, a->head);
	if (a->csrf != NULL)
		http_cancel(a->h, a->csrf);
	session_free(a->s);
	http_free(a->h);
	free(a);
}

void
api_on_session_expired(struct api *a, void (*cb)(void *ud), void *ud)
{
	a->expired_cb = cb;
	a->expired_ud = ud;
}

int
api_pollfds(struct api *a, struct pollfd *fds, int max)
{
	return http_pollfds(a->h, fds, max);
}

int
api_timeout_ms(struct api *a)
{
	return http_timeout_ms(a->h);
}

void
api_dispatch(struct api *a, const struct pollfd *fds, int n)
{
	http_dispatch(a->h, fds, n);
}

static int
source_pollfds(void *a, struct pollfd *fds, int max)
{
	return api_pollfds(a, fds, max);
}

static int
source_timeout(void *a)
{
	return api_timeout_ms(a);
}

static void
source_dispatch(void *a, const struct pollfd *fds, int n)
{
	api_dispatch(a, fds, n);
}

struct loop_source
api_source(struct api *a)
{
	return (struct loop_source){ source_pollfds, source_timeout,
		                     source_dispatch, a };
}

bool
api_idle(void *a)
{
	return api_pending(a) == 0;
}

size_t
api_pending(const struct api *a)
{
	return a->pending;
}

const char *
api_url(const struct api *a)
{
	return http_base_url(a->h);
}

const char *
api_jar_path(const struct api *a)
{
	return session_jar_path(a->s);
}

bool
api_has_session(const struct api *a)
{
	return session_has_cookie(a->s);
}

char *
api_escape(const char *s)
{
	return http_escape(s);
}

/* ---- errors ------------------------------------------------------- */

/* A deep copy of src into dst (cleared first). */
static void
error_copy(struct sc_error *dst, const struct sc_error *src)
{
	size_t i;

	sc_error_clear(dst);
	if (src->kind == SC_OK)
		return;
	sc_error_set(dst, src->kind, "%s",
	             src->message != NULL ? src->message : "");
	dst->http_status = src->http_status;
	dst->retry_after = src->retry_after;
	dst->code = src->code != NULL ? xstrdup(src->code) : NULL;
	if (src->nfields == 0)
		return;
	dst->fields = xcalloc(src->nfields, sizeof *dst->fields);
	for (i = 0; i < src->nfields; i++) {
		dst->fields[i].field = xstrdup(src->fields[i].field);
		dst->fields[i].message = xstrdup(src->fields[i].message);
	}
	dst->nfields = src->nfields;
}

/* True for Django's refusal of a missing or stale CSRF token. */
static bool
is_csrf_refusal(const struct sc_error *e)
{
	return e->http_status == 403 && e->message != NULL &&
	       strncmp(e->message, "CSRF", 4) == 0;
}

/* Turns a 401 into "not signed in" or "session expired" (and says so). */
static void
map_auth_error(struct api_req *q, struct sc_error *e)
{
	struct api *a = q->a;

	if (e->kind != SC_ERR_SESSION_EXPIRED)
		return;
	if (!q->had_cookie) {
		e->kind = SC_ERR_NOT_SIGNED_IN;
		free(e->message);
		e->message = xstrdup("not signed in");
		return;
	}
	free(e->message);
	e->message = xstrdup("your session has expired; sign in again");
	if (a->expired_cb != NULL)
		a->expired_cb(a->expired_ud);
}

/* ---- delivering answers ------------------------------------------- */

/* Parses a typed answer and calls the typed callback. */
static void
deliver_typed(struct api_req *q, struct http_response *resp, struct sc_error *e)
{
	void *obj = xcalloc(1, q->typed->size);
	struct sc_error perr = { 0 };

	if (e->kind == SC_OK &&
	    q->typed->parse(resp->body != NULL ? resp->body : "", resp->len,
	                    obj, &perr) != 0)
		sc_error_move(e, &perr);
	else if (q->conflict_task && e->kind == SC_ERR_CONFLICT &&
	         e->http_status == 412 && resp->body != NULL &&
	         task_conflict_parse(resp->body, resp->len, obj, &perr) != 0)
		sc_error_clear(&perr);
	q->typed->invoke(q->typed_fn, obj, e, q->ud);
	free(obj); /* the container only: its contents are the callback's */
}

/* Hands the outcome of q to its callback, then frees q. */
static void
deliver(struct api_req *q, struct http_response *resp, struct sc_error *e)
{
	struct sc_error ferr = { 0 };

	req_unlink(q);
	q->finishing = true;
	if (q->forget_after && session_forget(q->a->s, &ferr) != 0 &&
	    e->kind == SC_OK)
		sc_error_move(e, &ferr);
	sc_error_clear(&ferr);
	if (q->raw != NULL)
		q->raw(resp, e, q->ud);
	else if (q->typed != NULL)
		deliver_typed(q, resp, e);
	else if (q->done != NULL)
		q->done(e, q->ud);
	req_free(q);
}

/* The transport finished one call. */
static void
on_http_done(struct http_response *resp, const struct sc_error *err, void *ud)
{
	struct api_req *q = ud;
	struct sc_error e = { 0 };

	q->hr = NULL;
	session_save(q->a->s, &e); /* a jar that cannot be written is not
	                              this request's failure */
	error_copy(&e, err);
	if (is_csrf_refusal(&e) && !q->csrf_retried) {
		sc_error_clear(&e);
		q->csrf_retried = true;
		q->fresh_csrf = true;
		req_start(q);
		return;
	}
	map_auth_error(q, &e);
	deliver(q, resp, &e);
	sc_error_clear(&e);
}

/* ---- sending ------------------------------------------------------ */

/* Wipes and frees a body that held a password. */
static void
release_secret(char *data, size_t len)
{
	(void)len;
	sodium_free(data);
}

/*
 * Gives r its own copy of q's body, in the same kind of memory (sodium's
 * for a password), so that the transport may outlive a cancelled call.
 */
static void
lend_body(struct api_req *q, struct http_request *r)
{
	char *copy;

	if (q->body == NULL)
		return;
	if (q->release != release_secret) {
		http_request_body_take(r, xstrndup(q->body, q->body_len),
		                       q->body_len, NULL);
		return;
	}
	copy = sodium_malloc(q->body_len + 1);
	if (copy == NULL)
		abort();
	memcpy(copy, q->body, q->body_len + 1);
	http_request_body_take(r, copy, q->body_len, release_secret);
}

/* Adds one "Name: value" line to r; lines with CR or LF are dropped. */
static void
add_header_line(struct http_request *r, const char *line)
{
	const char *colon = strchr(line, ':');
	char *name;

	if (colon == NULL || colon == line || strpbrk(line, "\r\n") != NULL)
		return;
	name = xstrndup(line, (size_t)(colon - line));
	colon++;
	while (*colon == ' ' || *colon == '\t')
		colon++;
	http_request_header(r, name, colon);
	free(name);
}

/* Sends q through the transport now. */
/* Streams: the http layer calls back with q; the caller wants its ud. */
static void
stream_open(const struct http_response *resp, void *ud)
{
	struct api_req *q = ud;

	if (q->on_open != NULL)
		q->on_open(resp, q->ud);
}

static void
stream_data(const char *data, size_t len, void *ud)
{
	struct api_req *q = ud;

	if (q->on_data != NULL)
		q->on_data(data, len, q->ud);
}

static void
req_launch(struct api_req *q)
{
	struct api *a = q->a;
	struct http_request *r = http_request_new(a->h, q->method, q->path);
	size_t i;

	for (i = 0; i < q->nheaders; i++)
		add_header_line(r, q->headers[i]);
	session_prepare(a->s, r, q->method);
	lend_body(q, r);
	http_request_flags(r, q->flags);
	if (q->flags & HTTP_STREAM)
		http_request_stream(r, stream_open, stream_data);
	q->had_cookie = session_has_cookie(a->s);
	q->hr = http_request_send(r, on_http_done, q);
}

/* The CSRF fetch ended: send (or fail) every call that waited for it. */
static void
on_csrf_done(struct http_response *resp, const struct sc_error *err, void *ud)
{
	struct api *a = ud;
	struct api_req *q;
	struct sc_error e = { 0 };

	a->csrf = NULL;
	session_save(a->s, &e);
	sc_error_clear(&e);
	for (q = a->head; q != NULL; q = q->next)
		q->wake = q->parked;
	for (;;) {
		for (q = a->head; q != NULL && !q->wake; q = q->next)
			;
		if (q == NULL)
			break;
		q->wake = q->parked = false;
		if (err->kind == SC_OK) {
			req_launch(q);
			continue;
		}
		error_copy(&e, err);
		deliver(q, resp, &e);
		sc_error_clear(&e);
	}
}

/* Parks q until a CSRF token has been fetched. */
static void
req_park(struct api_req *q)
{
	struct api *a = q->a;
	struct http_request *r;

	q->parked = true;
	q->fresh_csrf = false;
	if (a->csrf != NULL)
		return;
	r = http_request_new(a->h, "GET", "/auth/csrf");
	a->csrf = http_request_send(r, on_csrf_done, a);
}

/* Sends q, fetching a CSRF token first when an unsafe call needs one. */
static void
req_start(struct api_req *q)
{
	if (session_method_unsafe(q->method) &&
	    (q->fresh_csrf || !session_has_csrf(q->a->s)))
		req_park(q);
	else
		req_launch(q);
}

/* A new call on the api's list, not yet started. */
static struct api_req *
req_new(struct api *a, const char *method, const char *path,
        const char *json_body)
{
	struct api_req *q = xcalloc(1, sizeof *q);

	q->a = a;
	q->method = xstrdup(method);
	q->path = xstrdup(path);
	if (json_body != NULL) {
		q->body = xstrdup(json_body);
		q->body_len = strlen(json_body);
	}
	q->next = a->head;
	if (a->head != NULL)
		a->head->prev = q;
	a->head = q;
	q->linked = true;
	a->pending++;
	return q;
}

/* Copies the extras of opts into q. */
static void
req_opts(struct api_req *q, const struct api_opts *opts)
{
	size_t n = 0;

	if (opts == NULL)
		return;
	while (opts->headers != NULL && opts->headers[n] != NULL)
		n++;
	q->headers = xcalloc(n + 1, sizeof *q->headers);
	for (q->nheaders = 0; q->nheaders < n; q->nheaders++)
		q->headers[q->nheaders] = xstrdup(opts->headers[q->nheaders]);
	q->flags = opts->flags;
	q->on_open = opts->on_open;
	q->on_data = opts->on_data;
	if (opts->on_open != NULL || opts->on_data != NULL)
		q->flags |= HTTP_STREAM;
}

struct api_req *
api_send(struct api *a, const char *method, const char *path,
         const char *json_body, const struct api_opts *opts, api_raw_cb cb,
         void *ud)
{
	struct api_req *q = req_new(a, method, path, json_body);

	req_opts(q, opts);
	q->raw = cb;
	q->ud = ud;
	req_start(q);
	return q;
}

struct api_req *
api_request(struct api *a, const char *method, const char *path,
            const char *json_body, unsigned flags, api_raw_cb cb, void *ud)
{
	struct api_opts opts = { .flags = flags };

	return api_send(a, method, path, json_body, &opts, cb, ud);
}

/* ---- authentication ----------------------------------------------- */

/* Sends a typed call: the answer is parsed with t and given to fn. */
static struct api_req *
typed_send(struct api_req *q, const struct typed *t, void (*fn)(void), void *ud)
{
	q->typed = t;
	q->typed_fn = fn;
	q->ud = ud;
	req_start(q);
	return q;
}

/* Declares the struct typed for model T (parser T_parse, callback
 * api_T_cb). */
#define API_TYPED(T)                                                           \
	static int T##_parse_any(const char *b, size_t n, void *o,             \
	                         struct sc_error *e)                           \
	{                                                                      \
		return T##_parse(b, n, o, e);                                  \
	}                                                                      \
	static void T##_invoke(void (*fn)(void), void *o,                      \
	                       const struct sc_error *e, void *ud)             \
	{                                                                      \
		((api_##T##_cb)fn)(o, e, ud);                                  \
	}                                                                      \
	static const struct typed T##_typed = { T##_parse_any, T##_invoke,     \
		                                sizeof(struct T) }

API_TYPED(me);
API_TYPED(staff_page);
API_TYPED(client_page);
API_TYPED(task);
API_TYPED(task_page);
API_TYPED(task_detail);
API_TYPED(comment);
API_TYPED(conversation_page);
API_TYPED(message);
API_TYPED(message_page);
API_TYPED(credential_page);
API_TYPED(reveal);
API_TYPED(billing_summary);
API_TYPED(subscription_page);
API_TYPED(invoice_page);

/* A typed call's start: the call, its answer's type and its callback. */
#define TYPED_SEND(q, T, cb, ud)                                               \
	typed_send(q, &T##_typed, (void (*)(void))cb, ud)

/*
 * The body of a call that carries the account password: built by build
 * (body_login, body_public_key) into sodium memory, which the call owns
 * and wipes when it ends; the caller's password is wiped at once. Never
 * retried by the transport: a password sent twice is two attempts.
 */
static void
req_secret_body(struct api_req *q, const char *other, char *password,
                size_t size,
                int (*build)(const char *, const char *, char *, size_t))
{
	char *buf = sodium_malloc(size);

	if (buf == NULL)
		abort();
	if (build(other, password, buf, size) != 0)
		buf[0] = '\0';
	sodium_memzero(password, strlen(password));
	q->body = buf;
	q->body_len = strlen(buf);
	q->release = release_secret;
	q->flags = HTTP_NO_RETRY;
}

struct api_req *
api_login(struct api *a, const char *email, char *password, api_me_cb cb,
          void *ud)
{
	struct api_req *q = req_new(a, "POST", "/auth/login", NULL);

	req_secret_body(q, email, password, body_login_size(email, password),
	                body_login);
	q->fresh_csrf = true;
	return TYPED_SEND(q, me, cb, ud);
}

struct api_req *
api_logout(struct api *a, api_done_cb cb, void *ud)
{
	struct api_req *q = req_new(a, "POST", "/auth/logout", NULL);

	q->forget_after = true;
	q->done = cb;
	q->ud = ud;
	req_start(q);
	return q;
}

/* ---- typed calls -------------------------------------------------- */

/* A GET of path?query (query may be NULL or empty). */
static struct api_req *
get_new(struct api *a, const char *path, const char *query)
{
	char *full = query != NULL && query[0] != '\0'
	                 ? xasprintf("%s?%s", path, query)
	                 : xstrdup(path);
	struct api_req *q = req_new(a, "GET", full, NULL);

	free(full);
	return q;
}

/* The path /coll/ID/rest, malloc'd ("tasks", 7, "/comments"). */
static char *
id_path(const char *coll, int64_t id, const char *rest)
{
	return xasprintf("/%s/%" PRId64 "%s", coll, id, rest);
}

/* A GET of /coll/ID/rest?query. */
static struct api_req *
get_of(struct api *a, const char *coll, int64_t id, const char *rest,
       const char *query)
{
	char *path = id_path(coll, id, rest);
	struct api_req *q = get_new(a, path, query);

	free(path);
	return q;
}

/* A call of method to /coll/ID/rest with a JSON body (taken). */
static struct api_req *
send_of(struct api *a, const char *method, const char *coll, int64_t id,
        const char *rest, char *body_taken)
{
	char *path = id_path(coll, id, rest);
	struct api_req *q = req_new(a, method, path, body_taken);

	free(path);
	free(body_taken);
	return q;
}

struct api_req *
api_me(struct api *a, api_me_cb cb, void *ud)
{
	return TYPED_SEND(get_new(a, "/me", NULL), me, cb, ud);
}

struct api_req *
api_put_public_key(struct api *a, const char *public_key, char *password,
                   api_me_cb cb, void *ud)
{
	struct api_req *q = req_new(a, "PUT", "/me/public-key", NULL);

	req_secret_body(q, public_key, password,
	                body_public_key_size(public_key, password),
	                body_public_key);
	return TYPED_SEND(q, me, cb, ud);
}

struct api_req *
api_staff(struct api *a, const char *query, api_staff_page_cb cb, void *ud)
{
	return TYPED_SEND(get_new(a, "/staff", query), staff_page, cb, ud);
}

struct api_req *
api_clients(struct api *a, const char *query, api_client_page_cb cb, void *ud)
{
	return TYPED_SEND(get_new(a, "/clients", query), client_page, cb, ud);
}

struct api_req *
api_tasks(struct api *a, const char *query, api_task_page_cb cb, void *ud)
{
	return TYPED_SEND(get_new(a, "/tasks", query), task_page, cb, ud);
}

struct api_req *
api_task(struct api *a, int64_t id, api_task_detail_cb cb, void *ud)
{
	return TYPED_SEND(get_of(a, "tasks", id, "", NULL), task_detail, cb,
	                  ud);
}

/* Adds one header line to a call not yet started. */
static void
req_header(struct api_req *q, char *line_taken)
{
	q->headers =
	    xreallocarray(q->headers, q->nheaders + 1, sizeof *q->headers);
	q->headers[q->nheaders++] = line_taken;
}

struct api_req *
api_task_patch(struct api *a, int64_t id, int64_t version,
               const struct task_patch *patch, api_task_cb cb, void *ud)
{
	struct api_req *q =
	    send_of(a, "PATCH", "tasks", id, "", body_task_patch(patch));

	req_header(q, xasprintf("If-Match: \"%" PRId64 "\"", version));
	q->flags = HTTP_RETRY_SAFE;
	q->conflict_task = true;
	return TYPED_SEND(q, task, cb, ud);
}

struct api_req *
api_comment_post(struct api *a, int64_t task_id, const char *text,
                 bool internal, const char *client_msg_id, api_comment_cb cb,
                 void *ud)
{
	struct api_req *q =
	    send_of(a, "POST", "tasks", task_id, "/comments",
	            body_comment(text, internal, client_msg_id));

	if (client_msg_id != NULL)
		q->flags = HTTP_RETRY_SAFE;
	return TYPED_SEND(q, comment, cb, ud);
}

struct api_req *
api_conversations(struct api *a, const char *query, api_conversation_page_cb cb,
                  void *ud)
{
	return TYPED_SEND(get_new(a, "/conversations", query),
	                  conversation_page, cb, ud);
}

struct api_req *
api_messages(struct api *a, int64_t conversation_id, const char *query,
             api_message_page_cb cb, void *ud)
{
	return TYPED_SEND(
	    get_of(a, "conversations", conversation_id, "/messages", query),
	    message_page, cb, ud);
}

struct api_req *
api_message_post(struct api *a, int64_t conversation_id, const char *text,
                 const char *client_msg_id, api_message_cb cb, void *ud)
{
	struct api_req *q =
	    send_of(a, "POST", "conversations", conversation_id, "/messages",
	            body_message(text, client_msg_id));

	if (client_msg_id != NULL)
		q->flags = HTTP_RETRY_SAFE;
	return TYPED_SEND(q, message, cb, ud);
}

struct api_req *
api_mark_read(struct api *a, int64_t conversation_id,
              int64_t last_read_message_id, api_done_cb cb, void *ud)
{
	struct api_req *q = send_of(a, "POST", "conversations", conversation_id,
	                            "/read", body_read(last_read_message_id));

	q->flags = HTTP_RETRY_SAFE; /* marking read twice changes nothing */
	q->done = cb;
	q->ud = ud;
	req_start(q);
	return q;
}

struct api_req *
api_credentials(struct api *a, int64_t client_id, const char *query,
                api_credential_page_cb cb, void *ud)
{
	return TYPED_SEND(
	    get_of(a, "clients", client_id, "/credentials", query),
	    credential_page, cb, ud);
}

struct api_req *
api_reveal(struct api *a, int64_t credential_id, const char *purpose,
           api_reveal_cb cb, void *ud)
{
	return TYPED_SEND(send_of(a, "POST", "credentials", credential_id,
	                          "/reveal", body_reveal(purpose)),
	                  reveal, cb, ud);
}

struct api_req *
api_billing_summary(struct api *a, api_billing_summary_cb cb, void *ud)
{
	return TYPED_SEND(get_new(a, "/billing/summary", NULL), billing_summary,
	                  cb, ud);
}

struct api_req *
api_subscriptions(struct api *a, const char *query, api_subscription_page_cb cb,
                  void *ud)
{
	return TYPED_SEND(get_new(a, "/billing/subscriptions", query),
	                  subscription_page, cb, ud);
}

struct api_req *
api_invoices(struct api *a, const char *query, api_invoice_page_cb cb, void *ud)
{
	return TYPED_SEND(get_new(a, "/billing/invoices", query), invoice_page,
	                  cb, ud);
}
