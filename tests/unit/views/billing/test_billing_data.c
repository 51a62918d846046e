/* Unit tests for views/billing_data.c: filters, search, order, CSV. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/client/model.h"
#include "net/store/billing_store.h"
#include "views/billing/billing_data.h"

/* One subscription as the API sends it (with amounts and a card). */
#define SUB(id, name, company, plan, status, end, cents)                       \
	"{\"id\": " #id ", \"client\": {\"id\": " #id ", \"name\": \"" name    \
	"\", \"company\": \"" company "\"}, \"plan\": \"" plan                 \
	"\", \"status\": \"" status "\", \"current_period_end\": \"" end       \
	"T00:00:00Z\", \"cancel_at_period_end\": false, "                      \
	"\"amount_cents\": " #cents                                            \
	", \"currency\": \"usd\", \"interval\": \"month\", \"card\": "         \
	"{\"brand\": \"visa\", \"last4\": \"4242\", \"exp_month\": 4, "        \
	"\"exp_year\": 2030}}"

#define INV(id, number, name, status, created, cents, reason)                  \
	"{\"id\": " #id ", \"number\": \"" number "\", \"client\": {\"id\": "  \
	"1, \"name\": \"" name                                                 \
	"\", \"company\": \"\"}, \"amount_cents\": " #cents                    \
	", \"currency\": \"usd\", \"status\": \"" status                       \
	"\", \"created_at\": \"" created "T10:00:00Z\", \"paid_at\": null, "   \
	"\"stripe_ref\": \"in_x\", \"failure_reason\": " reason "}"

static const char subs_doc[] = "{\"next\": null, \"results\": [" SUB(
    1, "Alma Able", "Able Co", "basic", "active", "2026-12-05",
    4900) "," SUB(2, "Bo Baker", "Baker Ltd", "pro", "past_due", "2026-12-01",
                  9900) "," SUB(3, "Cy Cole", "Cole Inc", "agency", "trialing",
                                "2026-12-20",
                                29900) "," SUB(4, "Di Dunn", "Able Partners",
                                               "pro", "canceled", "2026-11-30",
                                               9900) "]}";

static const char invs_doc[] = "{\"next\": null, \"results\": [" INV(
    10, "INV-10", "Alma Able", "paid", "2026-10-01", 4900,
    "null") "," INV(11, "INV-11", "Bo Baker", "failed", "2026-09-01", 9900,
                    "\"card_declined\"") "," INV(12, "INV-12",
                                                 "=cmd|' /C calc'!A0", "open",
                                                 "2026-11-01", 1250,
                                                 "null") "]}";

/* The store the rows are read from: one per test (loaded() makes it,
 * done() frees it with the rows). */
static struct billing_store *bs;

/* Puts a page of invoices (doc, as the API sends it) in the store. */
static void
put_invoices(const char *doc)
{
	struct invoice_page ip;
	struct sc_error err = { 0 };

	if (invoice_page_parse(doc, strlen(doc), &ip, &err) != 0)
		fail_msg("%s", err.message);
	billing_store_put_invoices(bs, &ip, billing_store_stamp(bs));
	invoice_page_free(&ip);
}

static struct billing_data *
loaded(void)
{
	struct billing_data *bd;
	struct subscription_page sp;
	struct sc_error err = { 0 };

	bs = billing_store_new();
	bd = billing_data_new(bs);
	assert_int_equal(
	    subscription_page_parse(subs_doc, strlen(subs_doc), &sp, &err), 0);
	billing_store_put_subs(bs, &sp, billing_store_stamp(bs));
	subscription_page_free(&sp);
	put_invoices(invs_doc);
	return bd;
}

static void
done(struct billing_data *bd)
{
	billing_data_free(bd);
	billing_store_free(bs);
	bs = NULL;
}

/* The client names of the rows of the subscriptions list, joined by ','. */
static void
sub_names(const struct billing_data *bd, char *buf, size_t len)
{
	size_t i, n = billing_data_count(bd, BILLING_SUBS);

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
		         i ? "," : "", billing_data_sub(bd, i)->client.name);
}

static void
inv_numbers(const struct billing_data *bd, char *buf, size_t len)
{
	size_t i, n = billing_data_count(bd, BILLING_INVOICES);

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
		         i ? "," : "", billing_data_invoice(bd, i)->number);
}

/* Sorts the invoices by key and checks their numbers in order. */
static void
assert_sorted_as(struct billing_data *bd, const char *key, const char *want)
{
	char b[256], err[128];

	assert_int_equal(
	    billing_data_sort(bd, BILLING_INVOICES, key, err, sizeof err), 0);
	inv_numbers(bd, b, sizeof b);
	assert_string_equal(b, want);
}

static void
billing_data__order__defaults_put_trouble_first(void **state)
{
	struct billing_data *bd = loaded();
	char b[256];

	sub_names(bd, b, sizeof b);
	assert_string_equal(b, "Bo Baker,Cy Cole,Alma Able,Di Dunn");
	inv_numbers(bd, b, sizeof b);
	assert_string_equal(b, "INV-11,INV-12,INV-10");
	assert_string_equal(billing_data_sort_name(bd, BILLING_SUBS), "status");
	assert_int_equal(billing_data_total(bd, BILLING_SUBS), 4);
	done(bd);
}

static void
billing_data__sort__keys_and_reverse(void **state)
{
	struct billing_data *bd = loaded();
	char b[256], err[128];

	assert_int_equal(
	    billing_data_sort(bd, BILLING_SUBS, "amount", err, sizeof err), 0);
	sub_names(bd, b, sizeof b);
	assert_string_equal(b, "Cy Cole,Bo Baker,Di Dunn,Alma Able");
	assert_int_equal(
	    billing_data_sort(bd, BILLING_SUBS, "-period-end", err, sizeof err),
	    0);
	sub_names(bd, b, sizeof b);
	assert_string_equal(b, "Cy Cole,Alma Able,Bo Baker,Di Dunn");
	assert_sorted_as(bd, "created", "INV-12,INV-10,INV-11");
	assert_int_equal(
	    billing_data_sort(bd, BILLING_SUBS, "failed", err, sizeof err), -1);
	assert_non_null(strstr(err, "status, client, plan"));
	assert_string_equal(billing_data_sort_name(bd, BILLING_SUBS),
	                    "period-end");
	done(bd);
}

static void
billing_data__filter__status_plan_search_and_clear(void **state)
{
	struct billing_data *bd = loaded();
	char b[256], err[128];
	char *d;

	assert_int_equal(billing_data_filter(bd, BILLING_SUBS,
	                                     "status=active,canceled plan=pro",
	                                     err, sizeof err),
	                 0);
	sub_names(bd, b, sizeof b);
	assert_string_equal(b, "Di Dunn");
	d = billing_data_describe(bd, BILLING_SUBS);
	assert_string_equal(d, "status=active,canceled plan=pro");
	free(d);
	assert_int_equal(
	    billing_data_filter(bd, BILLING_SUBS, "clear", err, sizeof err), 0);
	billing_data_search(bd, "able"); /* name or company, any case */
	sub_names(bd, b, sizeof b);
	assert_string_equal(b, "Alma Able,Di Dunn");
	d = billing_data_describe(bd, BILLING_SUBS);
	assert_string_equal(d, "client~able");
	free(d);
	billing_data_search(bd, "");
	d = billing_data_describe(bd, BILLING_INVOICES);
	assert_string_equal(d, "all");
	free(d);
	assert_int_equal(billing_data_count(bd, BILLING_SUBS), 4);
	done(bd);
}

static void
billing_data__filter__a_typo_changes_nothing(void **state)
{
	struct billing_data *bd = loaded();
	char err[128];
	char *d;

	assert_int_equal(billing_data_filter(bd, BILLING_INVOICES,
	                                     "status=failed", err, sizeof err),
	                 0);
	assert_int_equal(billing_data_count(bd, BILLING_INVOICES), 1);
	assert_int_equal(billing_data_filter(bd, BILLING_INVOICES,
	                                     "status=open,bogus", err,
	                                     sizeof err),
	                 -1);
	assert_string_equal(err, "no invoice status \"bogus\"");
	assert_int_equal(billing_data_filter(bd, BILLING_INVOICES, "plan=pro",
	                                     err, sizeof err),
	                 -1);
	assert_int_equal(
	    billing_data_filter(bd, BILLING_SUBS, "past_due", err, sizeof err),
	    -1);
	assert_string_equal(err, "\"past_due\": expected key=value");
	d = billing_data_describe(bd, BILLING_INVOICES);
	assert_string_equal(d, "status=failed");
	free(d);
	assert_int_equal(billing_data_count(bd, BILLING_INVOICES), 1);
	done(bd);
}

static void
billing_data__put_invoice__replaces_or_adds(void **state)
{
	struct billing_data *bd = loaded();
	struct invoice v;
	char b[256];

	v = *billing_data_invoice(bd, 2); /* INV-10, paid */
	assert_string_equal(v.number, "INV-10");
	{
		struct invoice copy;

		invoice_copy(&copy, &v);
		copy.status = INVOICE_FAILED;
		billing_store_put_invoice(bs, &copy);
		copy.id = 99;
		free(copy.number);
		copy.number = strdup("INV-99");
		copy.created_at += 86400;
		billing_store_put_invoice(bs, &copy);
		invoice_free(&copy);
	}
	inv_numbers(bd, b, sizeof b);
	assert_string_equal(b, "INV-99,INV-10,INV-11,INV-12");
	assert_int_equal(billing_data_total(bd, BILLING_INVOICES), 4);
	done(bd);
}

/* The invoices as exported (with amounts), oldest first. */
static char *
invoices_oldest_first(struct billing_data *bd)
{
	char err[64];

	assert_int_equal(billing_data_sort(bd, BILLING_INVOICES, "-created",
	                                   err, sizeof err),
	                 0);
	return billing_data_csv(bd, BILLING_INVOICES, true);
}

static void
billing_data__csv__quoted_formula_safe_and_by_permission(void **state)
{
	struct billing_data *bd = loaded();
	char err[64];
	char *csv;

	assert_int_equal(billing_data_filter(bd, BILLING_SUBS, "status=active",
	                                     err, sizeof err),
	                 0);
	csv = billing_data_csv(bd, BILLING_SUBS, true);
	assert_string_equal(
	    csv, "client,company,plan,status,period_end,cancel_at_period_end,"
	         "amount,currency,interval,card_brand,card_last4\r\n"
	         "Alma Able,Able Co,basic,active,2026-12-05,no,49.00,usd,"
	         "month,visa,4242\r\n");
	free(csv);
	csv = billing_data_csv(bd, BILLING_SUBS, false);
	assert_string_equal(csv, "client,company,plan,status,period_end,"
	                         "cancel_at_period_end\r\n"
	                         "Alma Able,Able Co,basic,active,2026-12-05,"
	                         "no\r\n");
	free(csv);
	csv = invoices_oldest_first(bd);
	assert_string_equal(
	    csv,
	    "number,client,company,amount,currency,status,created_at,"
	    "paid_at,failure_reason\r\n"
	    "INV-11,Bo Baker,,99.00,usd,failed,2026-09-01,,card_declined\r\n"
	    "INV-10,Alma Able,,49.00,usd,paid,2026-10-01,,\r\n"
	    "INV-12,'=cmd|' /C calc'!A0,,12.50,usd,open,2026-11-01,,\r\n");
	free(csv);
	done(bd);
}

/*
 * Every lead the README promises to guard (=, +, -, @, tab, CR) gets its
 * apostrophe in the exported file, not only in billing_format's cell: a
 * client's name is what a spreadsheet would run.
 */
#define LEAD(id, name, day)                                                    \
	INV(id, "INV-" #id, name, "open", "2026-11-" day, 100, "null")
#define PAGE(row) "{\"next\": null, \"results\": [" row "]}"

static void
billing_data__csv__every_formula_lead_guarded(void **state)
{
	static const char *const pages[] = {
		PAGE(LEAD(21, "=1+1", "01")),
		PAGE(LEAD(22, "+1", "02")),
		PAGE(LEAD(23, "-2+3", "03")),
		PAGE(LEAD(24, "@SUM(A1)", "04")),
		PAGE(LEAD(25, "\\tTab", "05")),
		PAGE(LEAD(26, "\\rCR", "06")),
	};
	struct billing_data *bd;
	char *csv;
	size_t i;

	bs = billing_store_new();
	bd = billing_data_new(bs);
	for (i = 0; i < sizeof pages / sizeof pages[0]; i++)
		put_invoices(pages[i]);
	csv = invoices_oldest_first(bd); /* in the order of the leads above */
	assert_string_equal(
	    csv, "number,client,company,amount,currency,status,created_at,"
	         "paid_at,failure_reason\r\n"
	         "INV-21,'=1+1,,1.00,usd,open,2026-11-01,,\r\n"
	         "INV-22,'+1,,1.00,usd,open,2026-11-02,,\r\n"
	         "INV-23,'-2+3,,1.00,usd,open,2026-11-03,,\r\n"
	         "INV-24,'@SUM(A1),,1.00,usd,open,2026-11-04,,\r\n"
	         "INV-25,'\tTab,,1.00,usd,open,2026-11-05,,\r\n"
	         "INV-26,\"'\rCR\",,1.00,usd,open,2026-11-06,,\r\n");
	free(csv);
	done(bd);
}

/* A page of n subscriptions with random ids below 400, statuses, amounts
 * and names (ids may repeat across pages: a newer copy). */
static struct subscription_page
random_page(size_t n)
{
	static const char *const names[] = { "Ann", "Bob", "Cid", "Dee" };
	struct subscription_page p = { 0 };
	size_t i;

	p.items = calloc(n + 1, sizeof *p.items);
	p.n = n;
	for (i = 0; i < n; i++) {
		struct subscription *s = &p.items[i];

		s->id = 1 + rand() % 400;
		s->status = (enum subscription_status)(rand() % 4);
		s->plan = (enum plan)(rand() % 3);
		s->amount_cents = rand() % 50 * 100;
		s->current_period_end = rand() % 5;
		s->client.name = strdup(names[rand() % 4]);
	}
	/* Ids unique within a page, as the service sends them. */
	for (i = 1; i < n; i++)
		if (p.items[i].id <= p.items[i - 1].id)
			p.items[i].id = p.items[i - 1].id + 1;
	return p;
}

/* The rows of list in bd, as ids. */
static size_t
ids_of(const struct billing_data *bd, int64_t *ids, size_t max)
{
	size_t i, n = billing_data_count(bd, BILLING_SUBS);

	for (i = 0; i < n && i < max; i++)
		ids[i] = billing_data_id(bd, BILLING_SUBS, i);
	return n;
}

static void
billing_data__merge__pages_and_updates_keep_the_full_sort_order(void **state)
{
	static const char *const orders[] = { "status", "-amount", "client",
		                              "period-end", "plan" };
	static int64_t got[1024], want[1024];
	struct billing_data *merged, *sorted;
	char err[128];
	size_t o, step, n, i;

	srand(15);
	for (o = 0; o < sizeof orders / sizeof *orders; o++) {
		bs = billing_store_new();
		merged = billing_data_new(bs);
		sorted = billing_data_new(bs);
		assert_int_equal(billing_data_sort(merged, BILLING_SUBS,
		                                   orders[o], err, sizeof err),
		                 0);
		if (o == 1) /* rows leave and enter the filter as they change */
			assert_int_equal(
			    billing_data_filter(merged, BILLING_SUBS,
			                        "status=past_due,active", err,
			                        sizeof err),
			    0);
		for (step = 0; step < 40; step++) {
			struct subscription_page p = random_page(1 + step % 13);

			billing_store_put_subs(bs, &p, billing_store_stamp(bs));
			/* sorted re-sorts everything; merged never does. */
			if (o == 1)
				billing_data_filter(sorted, BILLING_SUBS,
				                    "status=past_due,active",
				                    err, sizeof err);
			billing_data_sort(sorted, BILLING_SUBS, orders[o], err,
			                  sizeof err);
			n = ids_of(merged, got, 1024);
			assert_int_equal(n, ids_of(sorted, want, 1024));
			for (i = 0; i < n; i++)
				assert_int_equal(got[i], want[i]);
		}
		assert_true(billing_data_count(merged, BILLING_SUBS) > 50);
		billing_data_free(sorted);
		done(merged);
	}
}

/* Invoices by amount (largest first, - reverses) and by client name;
 * a status filter on the invoices is cleared by "clear". */
static void
billing_data__invoices__amount_client_and_clear(void **state)
{
	struct billing_data *bd = loaded();
	char err[128];

	(void)state;
	assert_sorted_as(bd, "amount", "INV-11,INV-10,INV-12");
	assert_sorted_as(bd, "-amount", "INV-12,INV-10,INV-11");
	/* The newest invoice, whose client sorts second by name. */
	put_invoices("{\"next\": null, \"results\": [" INV(
	    13, "INV-13", "Aaron Abel", "paid", "2026-12-01", 100,
	    "null") "]}");
	assert_sorted_as(bd, "client", "INV-12,INV-13,INV-10,INV-11");
	assert_sorted_as(bd, "-client", "INV-11,INV-10,INV-13,INV-12");
	assert_int_equal(billing_data_filter(bd, BILLING_INVOICES,
	                                     "status=failed", err, sizeof err),
	                 0);
	assert_int_equal(billing_data_count(bd, BILLING_INVOICES), 1);
	assert_int_equal(billing_data_count(bd, BILLING_SUBS), 4);
	assert_int_equal(billing_data_filter(bd, BILLING_INVOICES, " clear",
	                                     err, sizeof err),
	                 0);
	assert_int_equal(billing_data_count(bd, BILLING_INVOICES), 4);
	done(bd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    billing_data__order__defaults_put_trouble_first),
		cmocka_unit_test(billing_data__sort__keys_and_reverse),
		cmocka_unit_test(
		    billing_data__filter__status_plan_search_and_clear),
		cmocka_unit_test(billing_data__filter__a_typo_changes_nothing),
		cmocka_unit_test(billing_data__put_invoice__replaces_or_adds),
		cmocka_unit_test(
		    billing_data__csv__quoted_formula_safe_and_by_permission),
		cmocka_unit_test(billing_data__csv__every_formula_lead_guarded),
		cmocka_unit_test(
		    billing_data__merge__pages_and_updates_keep_the_full_sort_order),
		cmocka_unit_test(
		    billing_data__invoices__amount_client_and_clear),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
