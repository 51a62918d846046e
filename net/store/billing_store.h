/* Subscriptions, invoices and the billing summary, held once by id. */
#ifndef SITECARE_NET_STORE_BILLING_STORE_H
#define SITECARE_NET_STORE_BILLING_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/client/model.h"

/*
 * Each subscription and invoice is held once, keyed by id (idmap), with
 * the stamp of what brought it: a page carries the stamp taken when its
 * request was sent (billing_store_stamp), a live event the stamp of its
 * arrival. Billing objects carry no version in the contract, so the
 * stamp is their version: what was asked for before an event arrived is
 * older than the event, and an older copy never replaces a newer one.
 *
 * Listeners hear what changed, in batches: BILLING_CHANGING comes
 * before objects held are replaced (they are still as they were, so a
 * pane can take them out of its ordered index), then BILLING_INSERTED
 * or BILLING_UPDATED once they are held as they are now. Nothing here is
 * loaded by itself: the Billing pane asks net and puts what comes in.
 */
struct billing_store;

enum billing_list { BILLING_SUBS, BILLING_INVOICES };

enum billing_change_kind {
	BILLING_CHANGING, /* ids are about to be replaced */
	BILLING_INSERTED, /* ids are new */
	BILLING_UPDATED,  /* ids were replaced by a newer copy */
	BILLING_CLEARED,  /* the whole list was forgotten (ids: none) */
	BILLING_SUMMARY,  /* the summary changed (list: unused) */
};

struct billing_change {
	enum billing_change_kind kind;
	enum billing_list list;
	const int64_t *ids;
	size_t n;
};

typedef void (*billing_store_cb)(void *ud, const struct billing_change *c);

struct billing_store *billing_store_new(void);
void billing_store_free(struct billing_store *bs);

/* Adds or removes a listener (the pair cb, ud). */
void billing_store_listen(struct billing_store *bs, billing_store_cb cb,
                          void *ud);
void billing_store_unlisten(struct billing_store *bs, billing_store_cb cb,
                            void *ud);

/* A new stamp, for a request about to be sent. */
uint64_t billing_store_stamp(struct billing_store *bs);

/*
 * Takes the page's items (the page keeps its cursor), each kept unless
 * a newer copy is held.
 */
void billing_store_put_subs(struct billing_store *bs,
                            struct subscription_page *p, uint64_t stamp);
void billing_store_put_invoices(struct billing_store *bs,
                                struct invoice_page *p, uint64_t stamp);
/*
 * A live invoice (invoice.failed), copied and newest of all. False when
 * the same invoice was already held as it is (a replayed event).
 */
bool billing_store_put_invoice(struct billing_store *bs,
                               const struct invoice *v);
/* Takes the summary unless a newer one is held. */
void billing_store_put_summary(struct billing_store *bs,
                               struct billing_summary *s, uint64_t stamp);

/* Forgets list (a refresh, another member signed in). */
void billing_store_clear(struct billing_store *bs, enum billing_list list);
/* Forgets the summary too. */
void billing_store_clear_all(struct billing_store *bs);

/* Lookups by id: the object held, or NULL. */
const struct subscription *billing_store_sub(const struct billing_store *bs,
                                             int64_t id);
const struct invoice *billing_store_invoice(const struct billing_store *bs,
                                            int64_t id);
/* The summary held, or NULL. */
const struct billing_summary *
billing_store_summary(const struct billing_store *bs);
size_t billing_store_count(const struct billing_store *bs,
                           enum billing_list list);
/* Walks list's ids in no order (start *pos at 0); false at the end. */
bool billing_store_next(const struct billing_store *bs, enum billing_list list,
                        size_t *pos, int64_t *id);

#endif
