/* The outbox sender: sends queued items in order, exactly once. */
#include "net/store/sender.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "net/base/clock.h"
#include "net/client/api.h"
#include "net/client/body.h"
#include "net/base/xmalloc.h"

/* Where one known item stands. */
enum entry_state {
	ENTRY_WAITING, /* due at due_ms (0: at once), when its turn comes */
	ENTRY_FLIGHT,  /* a request is out: handle */
	ENTRY_HELD,    /* refused for good: waits for retry or discard */
};

/*
 * One item the sender knows, with its own copy of the file's fields.
 * The entries stay in the outbox's order (created_at, seq, id): the
 * first non-held entry of a target is the only one of that target that
 * may be in flight or sent, which keeps each target's order.
 */
struct entry {
	struct sender *s;
	struct outbox_item item;
	enum entry_state st;
	long long due_ms;
	void *handle;
};

/* An item that is not the owner's: kept, never sent. */
struct held {
	struct outbox_item item;
	char *why; /* outbox_owner_refusal's words */
};

struct sender {
	struct outbox *ob;
	struct sender_config cfg;
	struct outbox_owner owner; /* whose items are sent; empty: none */
	struct entry **v;          /* in send order */
	size_t n, cap;
	struct held *held; /* held back, in the outbox's order */
	size_t nheld;
	bool paused;
	bool pumping; /* inside pump: a nested call only asks for another
	                 pass */
	bool again;
};

/* The owner's clock, now. */
static long long
now(const struct sender *s)
{
	return s->cfg.now_ms(s->cfg.clock_ud);
}

struct sender *
sender_new(struct outbox *ob, const struct sender_config *cfg)
{
	struct sender *s = xcalloc(1, sizeof *s);

	s->ob = ob;
	s->cfg = *cfg;
	if (s->cfg.now_ms == NULL)
		s->cfg.now_ms = clock_real_ms;
	if (s->cfg.random == NULL)
		s->cfg.random = clock_random;
	return s;
}

/* Frees the strings of an item the sender holds. */
static void
item_clear(struct outbox_item *item)
{
	free(item->body);
	free(item->last_error);
	outbox_owner_clear(&item->owner);
}

/* Frees an entry's copy of its item (not its request). */
static void
entry_free(struct entry *e)
{
	item_clear(&e->item);
	free(e);
}

/* Cancels e's request if one is out. */
static void
entry_cancel(struct entry *e)
{
	if (e->st == ENTRY_FLIGHT && e->handle != NULL)
		e->s->cfg.transport->cancel(e->s->cfg.transport_ud, e->handle);
	e->handle = NULL;
	if (e->st == ENTRY_FLIGHT)
		e->st = ENTRY_WAITING;
}

void
sender_free(struct sender *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++) {
		entry_cancel(s->v[i]);
		entry_free(s->v[i]);
	}
	for (i = 0; i < s->nheld; i++) {
		item_clear(&s->held[i].item);
		free(s->held[i].why);
	}
	free(s->held);
	free(s->v);
	outbox_owner_clear(&s->owner);
	free(s);
}

/* ---- the list of entries ----------------------------------------------- */

/* The entry of item id (its index in *at), or NULL. */
static struct entry *
find(const struct sender *s, const char *id, size_t *at)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i]->item.id, id) == 0) {
			if (at != NULL)
				*at = i;
			return s->v[i];
		}
	return NULL;
}

/* Takes entry i off the list (not freed). */
static void
unlink_at(struct sender *s, size_t i)
{
	memmove(&s->v[i], &s->v[i + 1], (s->n - i - 1) * sizeof *s->v);
	s->n--;
}

/* The outbox's order: created_at, then seq, then id. */
static int
order(const void *pa, const void *pb)
{
	const struct outbox_item *a = &(*(struct entry *const *)pa)->item;
	const struct outbox_item *b = &(*(struct entry *const *)pb)->item;

	if (a->created_at != b->created_at)
		return a->created_at < b->created_at ? -1 : 1;
	if (a->seq != b->seq)
		return a->seq < b->seq ? -1 : 1;
	return strcmp(a->id, b->id);
}

/* Adds a new entry for item, moving the item's strings into it. */
static struct entry *
adopt(struct sender *s, struct outbox_item *item)
{
	struct entry *e = xcalloc(1, sizeof *e);

	e->s = s;
	e->item = *item;
	memset(item, 0, sizeof *item);
	if (e->item.next_attempt_at >= SENDER_HELD) {
		e->st = ENTRY_HELD;
	} else {
		e->st = ENTRY_WAITING;
		e->due_ms = e->item.next_attempt_at * 1000;
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->v = xreallocarray(s->v, s->cap, sizeof *s->v);
	}
	s->v[s->n++] = e;
	return e;
}

/* True when e and f are posted to the same conversation or task. */
static bool
same_target(const struct entry *e, const struct entry *f)
{
	return e->item.kind == f->item.kind &&
	       e->item.target_id == f->item.target_id;
}

/*
 * True when e is the first not-held entry of its target, i.e. the one
 * whose turn it is.
 */
static bool
has_turn(const struct sender *s, const struct entry *e)
{
	size_t i;

	for (i = 0; i < s->n && s->v[i] != e; i++)
		if (s->v[i]->st != ENTRY_HELD && same_target(s->v[i], e))
			return false;
	return true;
}

/* ---- whose items: the owner and the ones held back --------------------- */

/* The held-back item id (its index in *at), or NULL. */
static struct held *
find_held(const struct sender *s, const char *id, size_t *at)
{
	size_t i;

	for (i = 0; i < s->nheld; i++)
		if (strcmp(s->held[i].item.id, id) == 0) {
			if (at != NULL)
				*at = i;
			return &s->held[i];
		}
	return NULL;
}

/* Holds item back for why (both taken over). */
static void
hold(struct sender *s, struct outbox_item *item, char *why)
{
	s->held = xreallocarray(s->held, s->nheld + 1, sizeof *s->held);
	s->held[s->nheld].item = *item;
	s->held[s->nheld].why = why;
	s->nheld++;
	memset(item, 0, sizeof *item);
}

/* Closes the gap held-back slot i leaves (its contents moved or freed). */
static void
held_remove_at(struct sender *s, size_t i)
{
	memmove(&s->held[i], &s->held[i + 1],
	        (s->nheld - i - 1) * sizeof *s->held);
	s->nheld--;
}

/* Takes a loaded item in: sent when it is the owner's, else held back. */
static void
take_in(struct sender *s, struct outbox_item *item)
{
	char *why = outbox_owner_refusal(&item->owner, &s->owner);

	if (why != NULL)
		hold(s, item, why);
	else
		adopt(s, item);
}

/* Holds back every entry that is not the new owner's. */
static void
hold_foreign_entries(struct sender *s)
{
	size_t i = 0;
	char *why;

	while (i < s->n) {
		struct entry *e = s->v[i];

		why = outbox_owner_refusal(&e->item.owner, &s->owner);
		if (why == NULL) {
			i++;
			continue;
		}
		entry_cancel(e);
		unlink_at(s, i);
		hold(s, &e->item, why);
		free(e);
	}
}

/* Takes in the held-back items that are the new owner's. */
static void
adopt_own_held(struct sender *s)
{
	size_t i = 0;
	char *why;

	while (i < s->nheld) {
		struct held *h = &s->held[i];

		why = outbox_owner_refusal(&h->item.owner, &s->owner);
		free(h->why);
		h->why = why;
		if (why != NULL) {
			i++;
			continue;
		}
		adopt(s, &h->item);
		held_remove_at(s, i);
	}
}

/* ---- reporting and recording outcomes ---------------------------------- */

/* Tells the owner what became of e. */
static void
report(struct sender *s, enum sender_outcome o, const struct entry *e,
       const struct sc_error *err)
{
	struct sender_report r = { .outcome = o, .item = &e->item, .err = err };

	if (s->cfg.report != NULL)
		s->cfg.report(&r, s->cfg.report_ud);
}

/* Writes e's file again; false when the item is gone from disk. */
static bool
persist(struct sender *s, struct entry *e)
{
	struct sc_error err = { 0 };
	bool gone;

	if (outbox_update(s->ob, &e->item, &err) == 0)
		return true;
	gone = err.kind == SC_ERR_NOT_FOUND;
	sc_error_clear(&err);
	return !gone; /* a disk error: memory still has the news */
}

/* Replaces e's last_error with err's message. */
static void
set_last_error(struct entry *e, const struct sc_error *err)
{
	free(e->item.last_error);
	e->item.last_error =
	    xstrdup(err->message != NULL ? err->message : "unknown error");
}

/* Forgets entry e (its file was removed, or is gone). */
static void
drop(struct sender *s, struct entry *e)
{
	size_t i = 0;

	if (find(s, e->item.id, &i) == e)
		unlink_at(s, i);
	entry_free(e);
}

/* The server has the item: remove the file and hand over its copy. */
static void
on_sent(struct sender *s, struct entry *e, const char *body, size_t len)
{
	struct sc_error err = { 0 };
	struct sender_report r = { .outcome = SENDER_SENT, .item = &e->item };
	struct message m = { 0 };
	struct comment c = { 0 };

	/* If this fails the file stays: a later resend is deduplicated. */
	outbox_remove(s->ob, e->item.id, &err);
	sc_error_clear(&err);
	if (body != NULL && e->item.kind == OUTBOX_MESSAGE &&
	    message_parse(body, len, &m, &err) == 0)
		r.message = &m;
	else if (body != NULL && e->item.kind == OUTBOX_COMMENT &&
	         comment_parse(body, len, &c, &err) == 0)
		r.comment = &c;
	sc_error_clear(&err);
	if (s->cfg.report != NULL)
		s->cfg.report(&r, s->cfg.report_ud);
	message_free(&m);
	comment_free(&c);
	drop(s, e);
}

/* A transient failure: count it and wait before the next try. */
static void
on_transient(struct sender *s, struct entry *e, const struct sc_error *err)
{
	long long wait, t = now(s);

	e->item.attempts++;
	wait =
	    outbox_backoff_ms(e->item.attempts, s->cfg.random(s->cfg.clock_ud));
	if (err->kind == SC_ERR_RATE_LIMITED &&
	    err->retry_after * 1000LL > wait)
		wait = err->retry_after * 1000LL;
	e->st = ENTRY_WAITING;
	e->due_ms = t + wait;
	e->item.next_attempt_at = (e->due_ms + 999) / 1000;
	set_last_error(e, err);
	if (!persist(s, e)) {
		drop(s, e);
		return;
	}
	report(s, SENDER_RETRYING, e, err);
}

/* The session is gone: keep the item as it was and pause everything. */
static void
on_session_lost(struct sender *s, struct entry *e, const struct sc_error *err)
{
	e->st = ENTRY_WAITING;
	e->due_ms = 0;
	s->paused = true;
	report(s, SENDER_PAUSED, e, err);
}

/* Refused for good: hold the item with the reason. */
static void
on_refused(struct sender *s, struct entry *e, const struct sc_error *err)
{
	e->st = ENTRY_HELD;
	e->item.next_attempt_at = SENDER_HELD;
	set_last_error(e, err);
	if (!persist(s, e)) {
		drop(s, e);
		return;
	}
	report(s, SENDER_FAILED, e, err);
}

bool
sender_error_is_transient(const struct sc_error *err)
{
	int st = err->http_status;

	switch (err->kind) {
	case SC_ERR_NETWORK:
	case SC_ERR_TLS:
	case SC_ERR_SERVER:
	case SC_ERR_RATE_LIMITED:
		return true;
	default:
		return st == 0 || st >= 500 || st == 429 || st == 408;
	}
}

/* True for "sign in again": a 401 of any kind. */
static bool
is_session_error(const struct sc_error *err)
{
	return err->kind == SC_ERR_SESSION_EXPIRED ||
	       err->kind == SC_ERR_NOT_SIGNED_IN || err->http_status == 401;
}

static void pump(struct sender *s);

/* The transport finished e's request. */
static void
on_done(int status, const char *body, size_t len, const struct sc_error *err,
        void *ud)
{
	struct entry *e = ud;
	struct sender *s = e->s;

	e->handle = NULL;
	if (err->kind == SC_OK && status >= 200 && status < 300)
		on_sent(s, e, body, len);
	else if (is_session_error(err))
		on_session_lost(s, e, err);
	else if (sender_error_is_transient(err))
		on_transient(s, e, err);
	else
		on_refused(s, e, err);
	pump(s);
}

/* ---- sending ------------------------------------------------------------ */

char *
sender_path(const struct outbox_item *item)
{
	if (item->kind == OUTBOX_COMMENT)
		return xasprintf("/tasks/%lld/comments", item->target_id);
	return xasprintf("/conversations/%lld/messages", item->target_id);
}

/* Puts e's request out. */
static void
launch(struct sender *s, struct entry *e)
{
	char *path = sender_path(&e->item);
	char *json =
	    e->item.kind == OUTBOX_COMMENT
	        ? body_comment(e->item.body, e->item.internal, e->item.id)
	        : body_message(e->item.body, e->item.id);

	e->st = ENTRY_FLIGHT;
	e->handle = s->cfg.transport->send(s->cfg.transport_ud, "POST", path,
	                                   json, HTTP_RETRY_SAFE, on_done, e);
	free(json);
	free(path);
}

/* Sends every entry whose turn has come and which is due. */
static void
pump(struct sender *s)
{
	long long t;
	size_t i;

	if (s->pumping) {
		s->again = true;
		return;
	}
	s->pumping = true;
	do {
		s->again = false;
		t = now(s);
		for (i = 0; i < s->n && !s->paused && !s->again; i++) {
			struct entry *e = s->v[i];

			if (e->st == ENTRY_WAITING && e->due_ms <= t &&
			    has_turn(s, e))
				launch(s, e);
		}
	} while (s->again && !s->paused);
	s->pumping = false;
}

/* Puts the entries back in the outbox's order. */
static void
sort_entries(struct sender *s)
{
	if (s->n > 1)
		qsort(s->v, s->n, sizeof *s->v, order);
}

void
sender_set_owner(struct sender *s, const struct outbox_owner *owner)
{
	outbox_owner_clear(&s->owner);
	outbox_owner_copy(&s->owner, owner);
	outbox_set_owner(s->ob, owner);
	hold_foreign_entries(s);
	adopt_own_held(s);
	sort_entries(s);
	pump(s);
}

size_t
sender_held_back(const struct sender *s)
{
	return s->nheld;
}

const struct outbox_item *
sender_held_back_item(const struct sender *s, size_t i, const char **why)
{
	if (i >= s->nheld)
		return NULL;
	if (why != NULL)
		*why = s->held[i].why;
	return &s->held[i].item;
}

int
sender_start(struct sender *s, struct sc_error *err)
{
	struct outbox_item *items;
	size_t n, i;

	if (outbox_list(s->ob, &items, &n, err) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (find(s, items[i].id, NULL) == NULL &&
		    find_held(s, items[i].id, NULL) == NULL)
			take_in(s, &items[i]);
	outbox_items_free(items, n);
	sort_entries(s);
	pump(s);
	return 0;
}

int
sender_submit(struct sender *s, enum outbox_kind kind, long long target,
              bool internal, const char *body, char id_out[UUID_STRLEN + 1],
              struct sc_error *err)
{
	struct outbox_item *item = NULL;
	struct entry *e;

	if (s->owner.service == NULL || s->owner.staff_id <= 0) {
		sc_error_set(err, SC_ERR_NOT_SIGNED_IN,
		             "not signed in: nothing was queued");
		return -1;
	}
	if (outbox_add(s->ob, kind, target, internal, body, &item, err) != 0)
		return -1;
	e = adopt(s, item);
	outbox_item_free(item);
	if (id_out != NULL)
		memcpy(id_out, e->item.id, UUID_STRLEN + 1);
	pump(s);
	return 0;
}

void
sender_resume(struct sender *s)
{
	s->paused = false;
	pump(s);
}

bool
sender_paused(const struct sender *s)
{
	return s->paused;
}

int
sender_retry(struct sender *s, const char *id, struct sc_error *err)
{
	struct entry *e = find(s, id, NULL);
	struct held *h = find_held(s, id, NULL);

	if (h != NULL) {
		sc_error_set(err, SC_ERR_FORBIDDEN,
		             "outbox item %s is held: %s", id, h->why);
		return -1;
	}
	if (e == NULL) {
		sc_error_set(err, SC_ERR_NOT_FOUND, "no outbox item %s", id);
		return -1;
	}
	if (e->st == ENTRY_FLIGHT)
		return 0;
	e->st = ENTRY_WAITING;
	e->due_ms = 0;
	e->item.attempts = 0;
	e->item.next_attempt_at = 0;
	free(e->item.last_error);
	e->item.last_error = NULL;
	if (!persist(s, e)) {
		drop(s, e);
		sc_error_set(err, SC_ERR_NOT_FOUND, "no outbox item %s", id);
		return -1;
	}
	pump(s);
	return 0;
}

void
sender_flush(struct sender *s, bool held_too)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i]->st == ENTRY_WAITING ||
		    (held_too && s->v[i]->st == ENTRY_HELD)) {
			s->v[i]->st = ENTRY_WAITING;
			s->v[i]->due_ms = 0;
		}
	pump(s);
}

int
sender_discard(struct sender *s, const char *id, struct sc_error *err)
{
	size_t i = 0;
	struct entry *e = find(s, id, &i);

	if (!uuid_valid(id)) {
		sc_error_set(err, SC_ERR_NOT_FOUND, "no outbox item %s", id);
		return -1;
	}
	if (outbox_remove(s->ob, id, err) != 0)
		return -1;
	if (e != NULL) {
		entry_cancel(e);
		unlink_at(s, i);
		entry_free(e);
	}
	if (find_held(s, id, &i) != NULL) {
		item_clear(&s->held[i].item);
		free(s->held[i].why);
		held_remove_at(s, i);
	}
	pump(s);
	return 0;
}

bool
sender_confirm(struct sender *s, const char *id, long long target,
               const struct message *message, const struct comment *comment)
{
	struct sc_error err = { 0 };
	struct entry *e = id != NULL ? find(s, id, NULL) : NULL;
	struct sender_report r = { .outcome = SENDER_SENT };

	if (e == NULL || e->item.target_id != target ||
	    (e->item.kind == OUTBOX_MESSAGE ? message : (void *)comment) ==
	        NULL)
		return false;
	entry_cancel(e);
	/* If this fails the file stays: a later resend is deduplicated. */
	outbox_remove(s->ob, e->item.id, &err);
	sc_error_clear(&err);
	r.item = &e->item;
	if (e->item.kind == OUTBOX_MESSAGE)
		r.message = message;
	else
		r.comment = comment;
	if (s->cfg.report != NULL)
		s->cfg.report(&r, s->cfg.report_ud);
	drop(s, e);
	pump(s); /* the target's next item may go now */
	return true;
}

/* Counts the entries in state st. */
static size_t
count(const struct sender *s, enum entry_state st)
{
	size_t i, k = 0;

	for (i = 0; i < s->n; i++)
		k += s->v[i]->st == st;
	return k;
}

size_t
sender_count(const struct sender *s)
{
	return s->n;
}

const struct outbox_item *
sender_item(const struct sender *s, size_t i, enum sender_item_state *state)
{
	static const enum sender_item_state map[] = {
		[ENTRY_WAITING] = SENDER_ITEM_QUEUED,
		[ENTRY_FLIGHT] = SENDER_ITEM_SENDING,
		[ENTRY_HELD] = SENDER_ITEM_FAILED,
	};

	if (i >= s->n)
		return NULL;
	if (state != NULL)
		*state = map[s->v[i]->st];
	return &s->v[i]->item;
}

size_t
sender_pending(const struct sender *s)
{
	return s->n - count(s, ENTRY_HELD);
}

size_t
sender_failed(const struct sender *s)
{
	return count(s, ENTRY_HELD);
}

size_t
sender_in_flight(const struct sender *s)
{
	return count(s, ENTRY_FLIGHT);
}

int
sender_timeout_ms(const struct sender *s)
{
	long long t = now(s), best = -1, left;
	size_t i;

	if (s->paused)
		return -1;
	for (i = 0; i < s->n; i++) {
		const struct entry *e = s->v[i];

		if (e->st != ENTRY_WAITING || !has_turn(s, e))
			continue;
		left = e->due_ms - t;
		if (left < 0)
			left = 0;
		if (best < 0 || left < best)
			best = left;
	}
	return best > 0x7fffffff ? 0x7fffffff : (int)best;
}

void
sender_tick(struct sender *s)
{
	pump(s);
}

static int
source_timeout(void *s)
{
	return sender_timeout_ms(s);
}

static void
source_dispatch(void *s, const struct pollfd *fds, int n)
{
	sender_tick(s);
}

struct loop_source
sender_source(struct sender *s)
{
	return (struct loop_source){ loop_no_fds, source_timeout,
		                     source_dispatch, s };
}

/* ---- the transport over net/client/api.h
 * ---------------------------------------
 */

/* One POST through the api: whom to tell when it ends. */
struct api_post {
	struct api *a;
	struct api_req *req;
	sender_done_cb done;
	void *done_ud;
};

/* The POST ended: hand its answer to the sender. */
static void
api_post_done(struct http_response *resp, const struct sc_error *err, void *ud)
{
	struct api_post *p = ud;
	sender_done_cb done = p->done;
	void *done_ud = p->done_ud;

	free(p);
	done(resp->status, resp->body, resp->len, err, done_ud);
}

/* Sends through the api (ud), which adds the session and CSRF headers. */
static void *
api_post_send(void *ud, const char *method, const char *path,
              const char *json_body, unsigned flags, sender_done_cb done,
              void *done_ud)
{
	struct api_post *p = xcalloc(1, sizeof *p);

	p->a = ud;
	p->done = done;
	p->done_ud = done_ud;
	p->req =
	    api_request(p->a, method, path, json_body, flags, api_post_done, p);
	return p;
}

/* Stops the POST: its done callback will not run. */
static void
api_post_cancel(void *ud, void *handle)
{
	struct api_post *p = handle;

	api_cancel(p->a, p->req);
	free(p);
}

const struct sender_transport *
sender_api_transport(void)
{
	static const struct sender_transport t = {
		.send = api_post_send,
		.cancel = api_post_cancel,
	};

	return &t;
}
