/* The store's conversations and messages: see chat_store.h. */
#include "net/store/chat_store.h"

#include <stdlib.h>
#include <string.h>

#include "net/base/hash.h"
#include "net/base/xmalloc.h"
#include "net/store/listeners.h"
#include "net/store/idmap.h"

/* One held conversation and its messages (ascending by id, owned). */
struct centry {
	struct conversation conv;
	struct message **msgs;
	size_t n;
};

/* A reply in the outbox, not yet echoed. */
struct pending {
	char *id; /* client_msg_id */
	int64_t conv;
};

struct chat_store {
	struct idmap *convs;   /* id -> struct centry */
	struct centry **order; /* the list's order */
	size_t n, cap;
	struct idmap *msgs;   /* message id -> struct message (in a centry) */
	struct idmap *echoes; /* hash of client_msg_id -> struct message */
	struct pending *pending;
	size_t npending;
	struct listeners listeners;
};

struct chat_store *
chat_store_new(void)
{
	struct chat_store *s = xcalloc(1, sizeof *s);

	s->convs = idmap_new();
	s->msgs = idmap_new();
	s->echoes = idmap_new();
	return s;
}

/* Frees one entry and its messages. */
static void
centry_free(struct centry *e)
{
	size_t i;

	for (i = 0; i < e->n; i++) {
		message_free(e->msgs[i]);
		free(e->msgs[i]);
	}
	free(e->msgs);
	conversation_free(&e->conv);
	free(e);
}

/* Tells every listener. */
static void
tell(struct chat_store *s, enum chat_change ch, int64_t conv, int64_t msg)
{
	size_t i;

	for (i = 0; i < s->listeners.n; i++)
		((chat_store_cb)s->listeners.v[i].fn)(s->listeners.v[i].ud, ch,
		                                      conv, msg);
}

void
chat_store_clear(struct chat_store *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		centry_free(s->order[i]);
	s->n = 0;
	idmap_clear(s->convs);
	idmap_clear(s->msgs);
	idmap_clear(s->echoes);
	for (i = 0; i < s->npending; i++)
		free(s->pending[i].id);
	s->npending = 0;
	tell(s, CHAT_REMOVED, 0, 0);
}

void
chat_store_free(struct chat_store *s)
{
	if (s == NULL)
		return;
	listeners_clear(&s->listeners); /* the clear tells nobody */
	chat_store_clear(s);
	idmap_free(s->convs);
	idmap_free(s->msgs);
	idmap_free(s->echoes);
	free(s->order);
	free(s->pending);
	free(s);
}

void
chat_store_listen(struct chat_store *s, chat_store_cb cb, void *ud)
{
	listeners_add(&s->listeners, (listener_fn)cb, ud);
}

void
chat_store_unlisten(struct chat_store *s, chat_store_cb cb, void *ud)
{
	listeners_remove(&s->listeners, (listener_fn)cb, ud);
}

int
chat_store_compare(const struct conversation *a, const struct conversation *b)
{
	bool ua = a->unread_count > 0, ub = b->unread_count > 0;

	if (ua != ub)
		return ua ? -1 : 1;
	if (a->has_last_message_at != b->has_last_message_at)
		return a->has_last_message_at ? -1 : 1;
	if (a->has_last_message_at && a->last_message_at != b->last_message_at)
		return a->last_message_at > b->last_message_at ? -1 : 1;
	if (a->id != b->id)
		return a->id > b->id ? -1 : 1;
	return 0;
}

/* ---- the ordered index ------------------------------------------------- */

/* Where conversation c is or belongs in the order (binary search). */
static size_t
order_slot(const struct chat_store *s, const struct conversation *c)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (chat_store_compare(&s->order[mid]->conv, c) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Takes e out of the order; called before its sort fields change. */
static void
order_remove(struct chat_store *s, struct centry *e)
{
	size_t at = order_slot(s, &e->conv);

	if (at < s->n && s->order[at] == e) {
		memmove(&s->order[at], &s->order[at + 1],
		        (s->n - at - 1) * sizeof *s->order);
		s->n--;
	}
}

/* Puts e in its place in the order. */
static void
order_insert(struct chat_store *s, struct centry *e)
{
	size_t at = order_slot(s, &e->conv);

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->order = xreallocarray(s->order, s->cap, sizeof *s->order);
	}
	memmove(&s->order[at + 1], &s->order[at],
	        (s->n - at) * sizeof *s->order);
	s->order[at] = e;
	s->n++;
}

/* ---- conversations ------------------------------------------------------ */

/* True when held copy e has seen a message newer than page copy c's. */
static bool
held_is_newer(const struct centry *e, const struct conversation *c)
{
	return e->conv.has_last_message &&
	       (!c->has_last_message ||
	        e->conv.last_message.id > c->last_message.id);
}

/* One conversation of a page (taken): added, replaced or only renamed. */
static void
merge_one(struct chat_store *s, struct conversation *c)
{
	struct centry *e = idmap_get(s->convs, c->id);
	struct client_ref name;

	if (e == NULL) {
		e = xcalloc(1, sizeof *e);
		e->conv = *c;
		idmap_put(s->convs, c->id, e);
		order_insert(s, e);
		tell(s, CHAT_INSERTED, c->id, 0);
		return;
	}
	order_remove(s, e);
	if (held_is_newer(e, c)) {
		name = e->conv.client;
		e->conv.client = c->client;
		c->client = name;
		conversation_free(c);
	} else {
		conversation_free(&e->conv);
		e->conv = *c;
	}
	order_insert(s, e);
	tell(s, CHAT_UPDATED, e->conv.id, 0);
}

void
chat_store_merge(struct chat_store *s, struct conversation_page *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		merge_one(s, &p->items[i]);
	free(p->items);
	p->items = NULL;
	p->n = 0;
}

size_t
chat_store_count(const struct chat_store *s)
{
	return s->n;
}

const struct conversation *
chat_store_at(const struct chat_store *s, size_t i)
{
	return i < s->n ? &s->order[i]->conv : NULL;
}

const struct conversation *
chat_store_conversation(const struct chat_store *s, int64_t id)
{
	struct centry *e = idmap_get(s->convs, id);

	return e != NULL ? &e->conv : NULL;
}

const struct conversation *
chat_store_find_client(const struct chat_store *s, int64_t client_id)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->order[i]->conv.client.id == client_id)
			return &s->order[i]->conv;
	return NULL;
}

void
chat_store_set_unread(struct chat_store *s, int64_t id, int64_t n)
{
	struct centry *e = idmap_get(s->convs, id);

	if (n < 0)
		n = 0;
	if (e == NULL || e->conv.unread_count == n)
		return;
	order_remove(s, e);
	e->conv.unread_count = n;
	order_insert(s, e);
	tell(s, CHAT_UPDATED, id, 0);
}

int64_t
chat_store_unread_total(const struct chat_store *s)
{
	int64_t total = 0;
	size_t i;

	for (i = 0; i < s->n; i++)
		total += s->order[i]->conv.unread_count;
	return total;
}

/* ---- messages ----------------------------------------------------------- */

/* FNV-1a of a client_msg_id: the key of the echoes map. */
static int64_t
echo_key(const char *id)
{
	return (int64_t)(hash_bytes(HASH_INIT, id, strlen(id)) >> 1);
}

/* The pending reply id, or -1. */
static long long
pending_find(const struct chat_store *s, const char *id)
{
	size_t i;

	for (i = 0; i < s->npending; i++)
		if (strcmp(s->pending[i].id, id) == 0)
			return (long long)i;
	return -1;
}

/* Message m (held now) echoes a reply: it is settled. */
static void
settle(struct chat_store *s, struct message *m)
{
	long long at;

	if (m->client_msg_id == NULL)
		return;
	idmap_put(s->echoes, echo_key(m->client_msg_id), m);
	at = pending_find(s, m->client_msg_id);
	if (at < 0)
		return;
	free(s->pending[at].id);
	s->pending[at] = s->pending[--s->npending];
}

/* The index in e's messages where id is or belongs. */
static size_t
msg_slot(const struct centry *e, int64_t id)
{
	size_t lo = 0, hi = e->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (e->msgs[mid]->id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Holds m (taken) in e; NULL when its id is held already (m is freed). */
static struct message *
msg_take(struct chat_store *s, struct centry *e, struct message *m)
{
	struct message *held;
	size_t at;

	if (idmap_get(s->msgs, m->id) != NULL) {
		message_free(m);
		return NULL;
	}
	held = xmalloc(sizeof *held);
	*held = *m;
	at = msg_slot(e, held->id);
	e->msgs = xgrowarray(e->msgs, e->n, sizeof *e->msgs);
	memmove(&e->msgs[at + 1], &e->msgs[at], (e->n - at) * sizeof *e->msgs);
	e->msgs[at] = held;
	e->n++;
	idmap_put(s->msgs, held->id, held);
	settle(s, held);
	return held;
}

/* m becomes e's last message when newer than the one known. */
static bool
bump_last(struct chat_store *s, struct centry *e, const struct message *m,
          bool seen_now)
{
	if (e->conv.has_last_message && e->conv.last_message.id >= m->id)
		return false;
	order_remove(s, e);
	if (e->conv.has_last_message)
		message_free(&e->conv.last_message);
	message_copy(&e->conv.last_message, m);
	e->conv.has_last_message = true;
	e->conv.has_last_message_at = true;
	e->conv.last_message_at = m->created_at;
	if (m->author.kind == AUTHOR_CLIENT && !seen_now)
		e->conv.unread_count++;
	order_insert(s, e);
	return true;
}

bool
chat_store_message(struct chat_store *s, const struct message *m, bool seen_now)
{
	struct centry *e = idmap_get(s->convs, m->conversation_id);
	struct message copy;
	struct message *held;

	if (e == NULL || idmap_get(s->msgs, m->id) != NULL)
		return false;
	message_copy(&copy, m);
	held = msg_take(s, e, &copy);
	if (bump_last(s, e, held, seen_now))
		tell(s, CHAT_UPDATED, e->conv.id, 0);
	tell(s, CHAT_INSERTED, e->conv.id, held->id);
	return true;
}

void
chat_store_messages(struct chat_store *s, int64_t id, struct message_page *p)
{
	struct centry *e = idmap_get(s->convs, id);
	struct message *held;
	size_t i;

	for (i = 0; i < p->n; i++) {
		if (e == NULL || p->items[i].conversation_id != id) {
			message_free(&p->items[i]);
			continue;
		}
		held = msg_take(s, e, &p->items[i]);
		if (held != NULL)
			tell(s, CHAT_INSERTED, id, held->id);
	}
	free(p->items);
	p->items = NULL;
	p->n = 0;
}

size_t
chat_store_nmessages(const struct chat_store *s, int64_t id)
{
	struct centry *e = idmap_get(s->convs, id);

	return e != NULL ? e->n : 0;
}

const struct message *
chat_store_message_at(const struct chat_store *s, int64_t id, size_t i)
{
	struct centry *e = idmap_get(s->convs, id);

	return e != NULL && i < e->n ? e->msgs[i] : NULL;
}

size_t
chat_store_message_from(const struct chat_store *s, int64_t id, int64_t from)
{
	struct centry *e = idmap_get(s->convs, id);

	return e != NULL ? msg_slot(e, from) : 0;
}

const struct message *
chat_store_find_message(const struct chat_store *s, int64_t id)
{
	return idmap_get(s->msgs, id);
}

/* ---- pending replies ------------------------------------------------------
 */

bool
chat_store_settled(const struct chat_store *s, const char *client_msg_id)
{
	const struct message *m = idmap_get(s->echoes, echo_key(client_msg_id));

	return m != NULL && m->client_msg_id != NULL &&
	       strcmp(m->client_msg_id, client_msg_id) == 0;
}

void
chat_store_pending_add(struct chat_store *s, int64_t id,
                       const char *client_msg_id)
{
	if (chat_store_settled(s, client_msg_id) ||
	    pending_find(s, client_msg_id) >= 0)
		return;
	s->pending =
	    xreallocarray(s->pending, s->npending + 1, sizeof *s->pending);
	s->pending[s->npending++] =
	    (struct pending){ xstrdup(client_msg_id), id };
	tell(s, CHAT_INSERTED, id, 0);
}

size_t
chat_store_pending_count(const struct chat_store *s, int64_t id)
{
	size_t i, n = 0;

	for (i = 0; i < s->npending; i++)
		n += s->pending[i].conv == id;
	return n;
}
