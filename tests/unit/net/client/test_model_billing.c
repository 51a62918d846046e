/* Unit tests for net/client/model_billing.c: summary, subscriptions, invoices.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/client/model.h"
#include "tests/unit/net/model_test.h"

#define CLIENT_REF "{'id': 9, 'name': 'Cy Client', 'company': 'Cy Co'}"
#define SUB_HEAD                                                               \
	"{'id': 61, 'client': " CLIENT_REF ", 'plan': 'agency', "              \
	"'status': 'past_due', 'current_period_end': '2026-12-01T00:00:00Z', " \
	"'cancel_at_period_end': true"
#define SUMMARY(counts, months)                                                \
	"{'currency': 'usd', 'mrr_cents': 123400, 'subscriptions': " counts    \
	", 'failed_payments_30d': 2, 'refunds_30d_cents': 4900, "              \
	"'revenue_by_month': " months "}"
#define COUNTS "{'active': 10, 'trialing': 2, 'past_due': 1, 'canceled': 3}"

MODEL_TEST_PARSER(parse_summary, struct billing_summary, billing_summary_parse)

static void
billing_summary__parse__contract_example(void **state)
{
	struct billing_summary s;
	struct sc_error err = { 0 };

	assert_int_equal(
	    parse_summary(SUMMARY(COUNTS, "[{'month': '2025-12', 'cents': "
	                                  "100}, {'month': '2026-06', 'cents':"
	                                  " -50}]"),
	                  &s, &err),
	    0);
	assert_string_equal(s.currency, "usd");
	assert_int_equal(s.mrr_cents, 123400);
	assert_int_equal(s.active, 10);
	assert_int_equal(s.trialing, 2);
	assert_int_equal(s.past_due, 1);
	assert_int_equal(s.canceled, 3);
	assert_int_equal(s.failed_payments_30d, 2);
	assert_int_equal(s.refunds_30d_cents, 4900);
	assert_int_equal(s.nrevenue_by_month, 2);
	assert_int_equal(s.revenue_by_month[0].year, 2025);
	assert_int_equal(s.revenue_by_month[0].month, 12);
	assert_int_equal(s.revenue_by_month[0].cents, 100);
	assert_int_equal(s.revenue_by_month[1].month, 6);
	assert_int_equal(s.revenue_by_month[1].cents, -50);
	billing_summary_free(&s);
	assert_null(s.revenue_by_month);
}

static void
billing_summary__parse__malformed_named(void **state)
{
	static const struct {
		const char *doc, *message;
	} bad[] = {
		{ SUMMARY(COUNTS, "[{'month': '2026-13', 'cents': 1}]"),
		  "revenue_by_month[0].month: expected a YYYY-MM month" },
		{ SUMMARY(COUNTS, "[{'month': '2026-6', 'cents': 1}]"),
		  "revenue_by_month[0].month: expected a YYYY-MM month" },
		{ SUMMARY(COUNTS, "[{'month': '2026-06-01', 'cents': 1}]"),
		  "revenue_by_month[0].month: expected a YYYY-MM month" },
		{ SUMMARY(COUNTS, "[{'month': '2026-06', 'cents': 1.25}]"),
		  "revenue_by_month[0].cents: expected an integer" },
		{ SUMMARY("{'active': 10, 'trialing': 2, 'past_due': 1}", "[]"),
		  "subscriptions.canceled: missing" },
		{ SUMMARY("[]", "[]"), "subscriptions: expected an object" },
		{ SUMMARY(COUNTS, "null"),
		  "revenue_by_month: must not be null" },
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct billing_summary s;
		struct sc_error err = { 0 };

		assert_int_equal(parse_summary(bad[i].doc, &s, &err), -1);
		assert_string_equal(err.message, bad[i].message);
		sc_error_clear(&err);
	}
}

static void
billing_summary__parse__bad_currency(void **state)
{
	static const char *const currencies[] = { "'us'", "'usdd'", "'u$d'",
		                                  "840", "null" };
	size_t i;

	for (i = 0; i < sizeof currencies / sizeof currencies[0]; i++) {
		char doc[512];
		struct billing_summary s;
		struct sc_error err = { 0 };

		snprintf(doc, sizeof doc,
		         "{'currency': %s, 'mrr_cents': 0, 'subscriptions': "
		         "{}, 'failed_payments_30d': 0, 'refunds_30d_cents': "
		         "0, 'revenue_by_month': []}",
		         currencies[i]);
		assert_int_equal(parse_summary(doc, &s, &err), -1);
		assert_true(strncmp(err.message, "currency: ", 10) == 0);
		sc_error_clear(&err);
	}
}

MODEL_TEST_PARSER(parse_subs, struct subscription_page, subscription_page_parse)

static void
subscription_page__parse__summary_only(void **state)
{
	struct subscription_page p;
	struct sc_error err = { 0 };

	assert_int_equal(
	    parse_subs("{'results': [" SUB_HEAD "}], 'next': null}", &p, &err),
	    0);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.items[0].plan, PLAN_AGENCY);
	assert_int_equal(p.items[0].status, SUB_PAST_DUE);
	assert_int_equal(p.items[0].current_period_end, 1796083200);
	assert_true(p.items[0].cancel_at_period_end);
	assert_false(p.items[0].has_amounts);
	assert_false(p.items[0].has_card);
	subscription_page_free(&p);
}

static void
subscription_page__parse__with_amounts_and_card(void **state)
{
	struct subscription_page p;
	struct sc_error err = { 0 };

	assert_int_equal(
	    parse_subs("{'results': [" SUB_HEAD ", 'amount_cents': 49900, "
	               "'currency': 'eur', 'interval': 'year', 'card': "
	               "{'brand': 'visa', 'last4': '4242', 'exp_month': 4, "
	               "'exp_year': 2030}}, " SUB_HEAD ", 'amount_cents': 0, "
	               "'currency': 'usd', 'interval': 'month', 'card': "
	               "null}], 'next': 'x'}",
	               &p, &err),
	    0);
	assert_true(p.items[0].has_amounts);
	assert_int_equal(p.items[0].amount_cents, 49900);
	assert_string_equal(p.items[0].currency, "eur");
	assert_int_equal(p.items[0].interval, INTERVAL_YEAR);
	assert_true(p.items[0].has_card);
	assert_string_equal(p.items[0].card.brand, "visa");
	assert_string_equal(p.items[0].card.last4, "4242");
	assert_int_equal(p.items[0].card.exp_month, 4);
	assert_int_equal(p.items[0].card.exp_year, 2030);
	assert_true(p.items[1].has_amounts);
	assert_false(p.items[1].has_card);
	assert_int_equal(p.items[1].interval, INTERVAL_MONTH);
	subscription_page_free(&p);
}

static void
subscription_page__parse__partial_amounts_refused(void **state)
{
	static const struct {
		const char *tail, *message;
	} bad[] = {
		{ ", 'amount_cents': 1, 'currency': 'usd', 'interval': 'month'",
		  "results[0].card: missing" },
		{ ", 'amount_cents': 1, 'currency': 'usd', 'interval': 'week', "
		  "'card': null",
		  "results[0].interval: unknown value \"week\"" },
		{ ", 'amount_cents': 1, 'currency': 'usd', 'interval': 'year', "
		  "'card': {'brand': 'visa', 'last4': '42a2', 'exp_month': 1, "
		  "'exp_year': 2030}",
		  "results[0].card.last4: expected 4 digits" },
		{ ", 'amount_cents': 1, 'currency': 'usd', 'interval': 'year', "
		  "'card': {'brand': null, 'last4': '4242', 'exp_month': 13, "
		  "'exp_year': 2030}",
		  "results[0].card.exp_month: out of range" },
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char doc[1024];
		struct subscription_page p;
		struct sc_error err = { 0 };

		snprintf(doc, sizeof doc, "{'results': [%s%s}], 'next': null}",
		         SUB_HEAD, bad[i].tail);
		assert_int_equal(parse_subs(doc, &p, &err), -1);
		assert_string_equal(err.message, bad[i].message);
		sc_error_clear(&err);
	}
}

static void
subscription_page__parse__bad_plan(void **state)
{
	struct subscription_page p;
	struct sc_error err = { 0 };

	assert_int_equal(
	    parse_subs("{'results': [{'id': 61, 'client': " CLIENT_REF
	               ", 'plan': 'enterprise'}], 'next': null}",
	               &p, &err),
	    -1);
	assert_string_equal(err.message,
	                    "results[0].plan: unknown value \"enterprise\"");
	sc_error_clear(&err);
}

static void
invoice_page__parse__paid_and_failed(void **state)
{
	char *text =
	    J("{'results': [{'id': 50, 'number': 'INV-1', 'client': " CLIENT_REF
	      ", 'amount_cents': 4900, 'currency': 'usd', 'status': 'paid', "
	      "'created_at': '2026-11-01T00:00:00Z', 'paid_at': "
	      "'2026-11-02T00:00:00Z', 'stripe_ref': 'in_1', 'failure_reason': "
	      "null}, {'id': 51, 'number': 'INV-2', 'client': " CLIENT_REF
	      ", 'amount_cents': 4900, 'currency': 'usd', 'status': 'failed', "
	      "'created_at': '2026-11-01T00:00:00Z', 'paid_at': null, "
	      "'stripe_ref': 'in_2', 'failure_reason': 'card_declined'}], "
	      "'next': null}");
	struct invoice_page p;
	struct sc_error err = { 0 };

	assert_int_equal(invoice_page_parse(text, strlen(text), &p, &err), 0);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.items[0].number, "INV-1");
	assert_int_equal(p.items[0].status, INVOICE_PAID);
	assert_true(p.items[0].has_paid_at);
	assert_int_equal(p.items[0].paid_at, 1793577600);
	assert_null(p.items[0].failure_reason);
	assert_int_equal(p.items[1].status, INVOICE_FAILED);
	assert_false(p.items[1].has_paid_at);
	assert_string_equal(p.items[1].failure_reason, "card_declined");
	assert_string_equal(p.items[1].stripe_ref, "in_2");
	assert_int_equal(p.items[1].created_at, 1793491200);
	invoice_page_free(&p);
	free(text);
}

static void
invoice_page__parse__negative_amount(void **state)
{
	char *text =
	    J("{'results': [{'id': 50, 'number': 'INV-1', 'client': " CLIENT_REF
	      ", 'amount_cents': -1, 'currency': 'usd', 'status': 'paid'}], "
	      "'next': null}");
	struct invoice_page p;
	struct sc_error err = { 0 };

	assert_int_equal(invoice_page_parse(text, strlen(text), &p, &err), -1);
	assert_string_equal(err.message,
	                    "results[0].amount_cents: out of range");
	sc_error_clear(&err);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(billing_summary__parse__contract_example),
		cmocka_unit_test(billing_summary__parse__malformed_named),
		cmocka_unit_test(billing_summary__parse__bad_currency),
		cmocka_unit_test(subscription_page__parse__summary_only),
		cmocka_unit_test(
		    subscription_page__parse__with_amounts_and_card),
		cmocka_unit_test(
		    subscription_page__parse__partial_amounts_refused),
		cmocka_unit_test(subscription_page__parse__bad_plan),
		cmocka_unit_test(invoice_page__parse__paid_and_failed),
		cmocka_unit_test(invoice_page__parse__negative_amount),
	};

	return cmocka_run_group_tests_name("net/model_billing", tests, NULL,
	                                   NULL);
}
