/* Unit tests for net/store/billing_store.c: billing held once, by id. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/store/billing_store.h"

/* What a listener heard: each change's kind and ids, in order. */
struct heard {
	int n;
	enum billing_change_kind kind[16];
	enum billing_list list[16];
	size_t nids[16];
	int64_t first[16];
	/* At BILLING_CHANGING: the status of the first id as then held. */
	enum invoice_status status_then;
	const struct billing_store *bs;
};

static void
listen_cb(void *ud, const struct billing_change *c)
{
	struct heard *h = ud;

	if (h->n < 16) {
		h->kind[h->n] = c->kind;
		h->list[h->n] = c->list;
		h->nids[h->n] = c->n;
		h->first[h->n] = c->n > 0 ? c->ids[0] : 0;
	}
	h->n++;
	if (c->kind == BILLING_CHANGING && c->list == BILLING_INVOICES)
		h->status_then =
		    billing_store_invoice(h->bs, c->ids[0])->status;
}

/* An invoice as the service would send it. */
static struct invoice
inv(int64_t id, enum invoice_status status, const char *reason)
{
	struct invoice v = { 0 };

	v.id = id;
	v.number = strdup("INV-1");
	v.client.id = 1;
	v.client.name = strdup("Carla Client");
	v.amount_cents = 4900;
	v.status = status;
	v.failure_reason = reason != NULL ? strdup(reason) : NULL;
	return v;
}

/* A page of n subscriptions with ids from first. */
static struct subscription_page
subs(int64_t first, size_t n, enum subscription_status status)
{
	struct subscription_page p = { 0 };
	size_t i;

	p.items = calloc(n + 1, sizeof *p.items);
	p.n = n;
	for (i = 0; i < n; i++) {
		p.items[i].id = first + (int64_t)i;
		p.items[i].client.name = strdup("someone");
		p.items[i].status = status;
	}
	return p;
}

static void
billing_store__pages__held_once_and_found_by_id(void **state)
{
	struct billing_store *bs = billing_store_new();
	struct heard h = { .bs = bs };
	struct subscription_page p = subs(1, 100, SUB_ACTIVE);
	struct subscription_page q = subs(101, 50, SUB_ACTIVE);
	struct subscription_page again = subs(1, 100, SUB_PAST_DUE);

	(void)state;
	billing_store_listen(bs, listen_cb, &h);
	billing_store_put_subs(bs, &p, billing_store_stamp(bs));
	billing_store_put_subs(bs, &q, billing_store_stamp(bs));
	assert_null(p.items);
	assert_int_equal(billing_store_count(bs, BILLING_SUBS), 150);
	assert_int_equal(billing_store_sub(bs, 150)->id, 150);
	assert_null(billing_store_sub(bs, 151));
	assert_int_equal(h.n, 2);
	assert_int_equal(h.kind[0], BILLING_INSERTED);
	assert_int_equal(h.nids[1], 50);
	assert_int_equal(h.first[1], 101);
	/* The same ids again, newer: replaced in place, not added. */
	billing_store_put_subs(bs, &again, billing_store_stamp(bs));
	assert_int_equal(billing_store_count(bs, BILLING_SUBS), 150);
	assert_int_equal(billing_store_sub(bs, 7)->status, SUB_PAST_DUE);
	assert_int_equal(h.n, 4);
	assert_int_equal(h.kind[2], BILLING_CHANGING);
	assert_int_equal(h.kind[3], BILLING_UPDATED);
	assert_int_equal(h.nids[3], 100);
	billing_store_free(bs);
}

static void
billing_store__version__an_older_page_loses_to_a_later_event(void **state)
{
	struct billing_store *bs = billing_store_new();
	struct heard h = { .bs = bs };
	struct invoice failed = inv(9, INVOICE_FAILED, "card_declined");
	struct invoice_page page = { 0 };
	uint64_t asked;

	(void)state;
	/* The page is asked for, then the event comes, then the page. */
	asked = billing_store_stamp(bs);
	assert_true(billing_store_put_invoice(bs, &failed));
	billing_store_listen(bs, listen_cb, &h);
	page.items = calloc(2, sizeof *page.items);
	page.items[0] = inv(9, INVOICE_OPEN, NULL);
	page.n = 1;
	billing_store_put_invoices(bs, &page, asked);
	assert_int_equal(billing_store_invoice(bs, 9)->status, INVOICE_FAILED);
	assert_string_equal(billing_store_invoice(bs, 9)->failure_reason,
	                    "card_declined");
	assert_int_equal(h.n, 0); /* nothing changed, nobody is told */
	/* A page asked for after the event is newer: it wins. */
	page.items = calloc(2, sizeof *page.items);
	page.items[0] = inv(9, INVOICE_PAID, NULL);
	page.n = 1;
	billing_store_put_invoices(bs, &page, billing_store_stamp(bs));
	assert_int_equal(billing_store_invoice(bs, 9)->status, INVOICE_PAID);
	/* Listeners heard of it while it was still as it was, then after. */
	assert_int_equal(h.n, 2);
	assert_int_equal(h.kind[0], BILLING_CHANGING);
	assert_int_equal(h.status_then, INVOICE_FAILED);
	assert_int_equal(h.kind[1], BILLING_UPDATED);
	invoice_free(&failed);
	billing_store_free(bs);
}

static void
billing_store__event__a_replay_is_held_once_and_told_once(void **state)
{
	struct billing_store *bs = billing_store_new();
	struct heard h = { .bs = bs };
	struct invoice v = inv(5, INVOICE_FAILED, "expired_card");

	(void)state;
	billing_store_listen(bs, listen_cb, &h);
	assert_true(billing_store_put_invoice(bs, &v));
	assert_false(billing_store_put_invoice(bs, &v)); /* replayed */
	assert_int_equal(billing_store_count(bs, BILLING_INVOICES), 1);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.kind[0], BILLING_INSERTED);
	assert_int_equal(h.list[0], BILLING_INVOICES);
	/* Failing again for another reason is news. */
	free(v.failure_reason);
	v.failure_reason = strdup("insufficient_funds");
	assert_true(billing_store_put_invoice(bs, &v));
	assert_int_equal(h.n, 3);
	invoice_free(&v);
	billing_store_free(bs);
}

static void
billing_store__clear__forgets_and_tells(void **state)
{
	struct billing_store *bs = billing_store_new();
	struct heard h = { .bs = bs };
	struct subscription_page p = subs(1, 3, SUB_ACTIVE);
	struct billing_summary s = { .mrr_cents = 100 }, older = { 0 };
	uint64_t old = billing_store_stamp(bs);

	(void)state;
	billing_store_put_subs(bs, &p, billing_store_stamp(bs));
	billing_store_put_summary(bs, &s, billing_store_stamp(bs));
	billing_store_put_summary(bs, &older, old); /* asked before: loses */
	assert_int_equal(billing_store_summary(bs)->mrr_cents, 100);
	billing_store_listen(bs, listen_cb, &h);
	billing_store_clear_all(bs);
	assert_int_equal(billing_store_count(bs, BILLING_SUBS), 0);
	assert_null(billing_store_sub(bs, 1));
	assert_null(billing_store_summary(bs));
	assert_int_equal(h.kind[0], BILLING_CLEARED);
	assert_int_equal(h.kind[2], BILLING_SUMMARY);
	billing_store_unlisten(bs, listen_cb, &h);
	p = subs(1, 3, SUB_ACTIVE);
	billing_store_put_subs(bs, &p, billing_store_stamp(bs));
	assert_int_equal(h.n, 3);
	assert_int_equal(billing_store_count(bs, BILLING_SUBS), 3);
	billing_store_free(bs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    billing_store__pages__held_once_and_found_by_id),
		cmocka_unit_test(
		    billing_store__version__an_older_page_loses_to_a_later_event),
		cmocka_unit_test(
		    billing_store__event__a_replay_is_held_once_and_told_once),
		cmocka_unit_test(billing_store__clear__forgets_and_tells),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
