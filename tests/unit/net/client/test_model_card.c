/* Unit tests for net/client/model_billing.c: a card is its last four
 * digits and nothing more (the client never holds a card number). */
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

MODEL_TEST_PARSER(parse_subs, struct subscription_page, subscription_page_parse)

/* A page of one subscription whose card's last4 is last4. */
static int
parse_card(const char *last4, struct subscription_page *p, struct sc_error *err)
{
	char doc[512];

	snprintf(doc, sizeof doc,
	         "{'results': [{'id': 61, 'client': {'id': 9, 'name': 'Cy', "
	         "'company': 'Cy Co'}, 'plan': 'agency', 'status': 'active', "
	         "'current_period_end': '2026-12-01T00:00:00Z', "
	         "'cancel_at_period_end': false, 'amount_cents': 1, "
	         "'currency': 'usd', 'interval': 'month', 'card': {'brand': "
	         "'visa', 'last4': '%s', 'exp_month': 1, 'exp_year': 2030}}], "
	         "'next': null}",
	         last4);
	return parse_subs(doc, p, err);
}

static void
card__last4__four_digits_then_anything_refused(void **state)
{
	/* Four digits then more: the first four pass the digit check, only
	 * the length refuses them (a number, a space, a suffix). */
	static const char *bad[] = { "4242 4242", "4242-", "4242x", "42" };
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct subscription_page p;
		struct sc_error err = { 0 };

		assert_int_equal(parse_card(bad[i], &p, &err), -1);
		assert_string_equal(err.message,
		                    "results[0].card.last4: expected 4 digits");
		sc_error_clear(&err);
	}
}

static void
card__last4__four_digits_kept(void **state)
{
	struct subscription_page p;
	struct sc_error err = { 0 };

	assert_int_equal(parse_card("0042", &p, &err), 0);
	assert_string_equal(p.items[0].card.last4, "0042");
	subscription_page_free(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    card__last4__four_digits_then_anything_refused),
		cmocka_unit_test(card__last4__four_digits_kept),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
