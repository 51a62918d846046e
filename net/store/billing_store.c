/* Subscriptions, invoices and the summary, held once: see billing_store.h. */
#include "net/store/billing_store.h"

#include <stdlib.h>
#include <string.h>

#include "net/base/xmalloc.h"
#include "net/store/listeners.h"
#include "net/store/idmap.h"

/* One object held, with the stamp of what brought it. */
struct held {
	uint64_t stamp;
	union {
		struct subscription sub;
		struct invoice inv;
	} o;
};

struct billing_store {
	struct idmap *map[2]; /* by enum billing_list: id -> struct held */
	struct billing_summary summary;
	bool has_summary;
	uint64_t summary_stamp;
	uint64_t stamp; /* the last stamp handed out */
	struct listeners listeners;
};

struct billing_store *
billing_store_new(void)
{
	struct billing_store *bs = xcalloc(1, sizeof *bs);

	bs->map[BILLING_SUBS] = idmap_new();
	bs->map[BILLING_INVOICES] = idmap_new();
	return bs;
}

/* Frees what h holds as an object of list, and h. */
static void
held_free(enum billing_list list, struct held *h)
{
	if (list == BILLING_SUBS)
		subscription_free(&h->o.sub);
	else
		invoice_free(&h->o.inv);
	free(h);
}

/* Frees every object of list, without telling anyone. */
static void
forget(struct billing_store *bs, enum billing_list list)
{
	size_t pos = 0;
	int64_t id;
	struct held *h;

	while ((h = idmap_next(bs->map[list], &pos, &id)) != NULL)
		held_free(list, h);
	idmap_clear(bs->map[list]);
}

void
billing_store_free(struct billing_store *bs)
{
	if (bs == NULL)
		return;
	forget(bs, BILLING_SUBS);
	forget(bs, BILLING_INVOICES);
	idmap_free(bs->map[BILLING_SUBS]);
	idmap_free(bs->map[BILLING_INVOICES]);
	if (bs->has_summary)
		billing_summary_free(&bs->summary);
	listeners_clear(&bs->listeners);
	free(bs);
}

void
billing_store_listen(struct billing_store *bs, billing_store_cb cb, void *ud)
{
	listeners_add(&bs->listeners, (listener_fn)cb, ud);
}

void
billing_store_unlisten(struct billing_store *bs, billing_store_cb cb, void *ud)
{
	listeners_remove(&bs->listeners, (listener_fn)cb, ud);
}

/* Tells every listener about n ids of list (nothing when n is 0, unless
 * the change concerns no ids). */
static void
tell(struct billing_store *bs, enum billing_change_kind kind,
     enum billing_list list, const int64_t *ids, size_t n)
{
	struct billing_change c = { kind, list, ids, n };
	size_t i;

	if (n == 0 && (kind != BILLING_CLEARED && kind != BILLING_SUMMARY))
		return;
	for (i = 0; i < bs->listeners.n; i++)
		((billing_store_cb)bs->listeners.v[i].fn)(bs->listeners.v[i].ud,
		                                          &c);
}

uint64_t
billing_store_stamp(struct billing_store *bs)
{
	return ++bs->stamp;
}

/* The id of item i of an array of list's objects. */
static int64_t
item_id(enum billing_list list, const void *items, size_t i)
{
	return list == BILLING_SUBS ? ((const struct subscription *)items)[i].id
	                            : ((const struct invoice *)items)[i].id;
}

/* Holds item i (taken, bytes and all) in h. */
static void
item_take(enum billing_list list, struct held *h, void *items, size_t i)
{
	if (list == BILLING_SUBS)
		h->o.sub = ((struct subscription *)items)[i];
	else
		h->o.inv = ((struct invoice *)items)[i];
}

/* Frees item i, which is not kept. */
static void
item_drop(enum billing_list list, void *items, size_t i)
{
	if (list == BILLING_SUBS)
		subscription_free(&((struct subscription *)items)[i]);
	else
		invoice_free(&((struct invoice *)items)[i]);
}

/*
 * Takes n items of list with stamp: those older than the copy held are
 * dropped; listeners hear of the others before (CHANGING) and after
 * (UPDATED, INSERTED). items itself is freed.
 */
static void
put_items(struct billing_store *bs, enum billing_list list, void *items,
          size_t n, uint64_t stamp)
{
	int64_t *fresh = xreallocarray(NULL, n + 1, sizeof *fresh);
	int64_t *newer = xreallocarray(NULL, n + 1, sizeof *newer);
	bool *keep = xreallocarray(NULL, n + 1, sizeof *keep);
	size_t i, nfresh = 0, nnewer = 0;

	for (i = 0; i < n; i++) {
		int64_t id = item_id(list, items, i);
		struct held *h = idmap_get(bs->map[list], id);

		keep[i] = h == NULL || h->stamp <= stamp;
		if (h == NULL)
			fresh[nfresh++] = id;
		else if (keep[i])
			newer[nnewer++] = id;
	}
	tell(bs, BILLING_CHANGING, list, newer, nnewer);
	for (i = 0; i < n; i++) {
		int64_t id = item_id(list, items, i);
		struct held *h;

		if (!keep[i]) {
			item_drop(list, items, i);
			continue;
		}
		h = idmap_get(bs->map[list], id);
		if (h != NULL)
			item_drop(list, &h->o, 0);
		else {
			h = xcalloc(1, sizeof *h);
			idmap_put(bs->map[list], id, h);
		}
		item_take(list, h, items, i);
		h->stamp = stamp;
	}
	tell(bs, BILLING_UPDATED, list, newer, nnewer);
	tell(bs, BILLING_INSERTED, list, fresh, nfresh);
	free(keep);
	free(newer);
	free(fresh);
	free(items);
}

void
billing_store_put_subs(struct billing_store *bs, struct subscription_page *p,
                       uint64_t stamp)
{
	put_items(bs, BILLING_SUBS, p->items, p->n, stamp);
	*p = (struct subscription_page){ .next = p->next };
}

void
billing_store_put_invoices(struct billing_store *bs, struct invoice_page *p,
                           uint64_t stamp)
{
	put_items(bs, BILLING_INVOICES, p->items, p->n, stamp);
	*p = (struct invoice_page){ .next = p->next };
}

/* Two strings, either possibly NULL, are the same. */
static bool
same_str(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* What an invoice.failed says of v is already what is held as h. */
static bool
same_invoice(const struct invoice *h, const struct invoice *v)
{
	return h->status == v->status && h->amount_cents == v->amount_cents &&
	       h->has_paid_at == v->has_paid_at &&
	       (!h->has_paid_at || h->paid_at == v->paid_at) &&
	       same_str(h->failure_reason, v->failure_reason) &&
	       same_str(h->number, v->number);
}

bool
billing_store_put_invoice(struct billing_store *bs, const struct invoice *v)
{
	struct held *h = idmap_get(bs->map[BILLING_INVOICES], v->id);
	struct invoice *copy;

	if (h != NULL && same_invoice(&h->o.inv, v))
		return false;
	copy = xmalloc(sizeof *copy);
	invoice_copy(copy, v);
	put_items(bs, BILLING_INVOICES, copy, 1, billing_store_stamp(bs));
	return true;
}

void
billing_store_put_summary(struct billing_store *bs, struct billing_summary *s,
                          uint64_t stamp)
{
	if (bs->has_summary && bs->summary_stamp > stamp) {
		billing_summary_free(s);
		return;
	}
	if (bs->has_summary)
		billing_summary_free(&bs->summary);
	bs->summary = *s;
	memset(s, 0, sizeof *s);
	bs->has_summary = true;
	bs->summary_stamp = stamp;
	tell(bs, BILLING_SUMMARY, BILLING_SUBS, NULL, 0);
}

void
billing_store_clear(struct billing_store *bs, enum billing_list list)
{
	forget(bs, list);
	tell(bs, BILLING_CLEARED, list, NULL, 0);
}

void
billing_store_clear_all(struct billing_store *bs)
{
	billing_store_clear(bs, BILLING_SUBS);
	billing_store_clear(bs, BILLING_INVOICES);
	if (bs->has_summary) {
		billing_summary_free(&bs->summary);
		bs->has_summary = false;
		tell(bs, BILLING_SUMMARY, BILLING_SUBS, NULL, 0);
	}
}

const struct subscription *
billing_store_sub(const struct billing_store *bs, int64_t id)
{
	struct held *h = idmap_get(bs->map[BILLING_SUBS], id);

	return h != NULL ? &h->o.sub : NULL;
}

const struct invoice *
billing_store_invoice(const struct billing_store *bs, int64_t id)
{
	struct held *h = idmap_get(bs->map[BILLING_INVOICES], id);

	return h != NULL ? &h->o.inv : NULL;
}

const struct billing_summary *
billing_store_summary(const struct billing_store *bs)
{
	return bs->has_summary ? &bs->summary : NULL;
}

size_t
billing_store_count(const struct billing_store *bs, enum billing_list list)
{
	return idmap_count(bs->map[list]);
}

bool
billing_store_next(const struct billing_store *bs, enum billing_list list,
                   size_t *pos, int64_t *id)
{
	return idmap_next(bs->map[list], pos, id) != NULL;
}
