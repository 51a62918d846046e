/* The billing pane as a person sees it, through the pane harness: loaded
 * when looked at, pages merged in order, a failed payment live. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/client/model.h"
#include "net/store/billing_store.h"
#include "net/store/store.h"
#include "tests/unit/views/harness.h"

#define MANAGER (PERM_BILLING_SUMMARY | PERM_BILLING_READ)

/* A subscription of client id named name, in status, for cents. */
#define SUB(id, name, status, cents)                                           \
	"{\"id\": " #id ", \"client\": {\"id\": " #id ", \"name\": \"" name    \
	"\", \"company\": \"Co " #id                                           \
	"\"}, \"plan\": \"pro\", \"status\": \"" status                        \
	"\", \"current_period_end\": \"2026-12-20T00:00:00Z\", "               \
	"\"cancel_at_period_end\": false, \"amount_cents\": " #cents           \
	", \"currency\": \"usd\", \"interval\": \"month\", \"card\": null}"

static const char summary[] =
    "{\"currency\": \"usd\", \"mrr_cents\": 1234500, \"subscriptions\": "
    "{\"active\": 2, \"trialing\": 0, \"past_due\": 1, \"canceled\": 0}, "
    "\"failed_payments_30d\": 3, \"refunds_30d_cents\": 0, "
    "\"revenue_by_month\": [{\"month\": \"2026-11\", \"cents\": 900}]}";

static const char page1[] = "{\"next\": \"p2\", \"results\": [" SUB(
    1, "Alma Able", "active", 4900) "," SUB(3, "Cy Cole", "active", 9900) "]}";
static const char page2[] =
    "{\"next\": null, \"results\": [" SUB(2, "Bo Baker", "past_due", 2900) "]}";

/* A manager signed in; the Billing pane open behind the Credentials one
 * (as every pane is opened at sign-in), never shown. */
static struct harness *
manager_elsewhere(void)
{
	struct harness *h = harness_new(30, 120);
	struct app *app = harness_app(h);

	harness_sign_in(h, 4, "manager", MANAGER | PERM_CREDENTIALS_REVEAL);
	harness_open(h, PANE_CREDENTIALS);
	app->panes[PANE_BILLING].state =
	    app->panes[PANE_BILLING].ops->open(app);
	harness_event_kind(h, APP_EV_SIGNED_IN, 0);
	return h;
}

/* The request for path, answered with body. */
static void
answer(struct harness *h, const char *path, const char *body)
{
	struct harness_request *r = harness_request(h, "GET", path);

	if (r == NULL)
		fail_msg("no request for %s", path);
	harness_reply(h, r, 200, body);
}

/* invoice.failed for Carla's invoice id, as the event stream brings it. */
static void
invoice_failed(struct harness *h, int64_t id)
{
	struct event_payload e = { .type = EVENT_INVOICE_FAILED };
	struct app_event ev = { .kind = APP_EV_SERVER, .data = &e };

	e.invoice.id = id;
	e.invoice.number = "INV-77";
	e.invoice.client.id = 1;
	e.invoice.client.name = "Carla Client";
	e.invoice.amount_cents = 4900;
	memcpy(e.invoice.currency, "usd", 4);
	e.invoice.status = INVOICE_FAILED;
	e.invoice.created_at = 1796553900;
	e.invoice.failure_reason = "card_declined";
	harness_event(h, &ev);
}

static void
billing__start__fetches_nothing_until_shown(void **state)
{
	struct harness *h = manager_elsewhere();

	(void)state;
	assert_null(harness_request(h, "GET", "/billing"));
	harness_open(h, PANE_BILLING);
	assert_non_null(harness_request(h, "GET", "/billing/summary"));
	assert_non_null(
	    harness_request(h, "GET", "/billing/subscriptions?limit=100"));
	assert_non_null(
	    harness_request(h, "GET", "/billing/invoices?limit=100"));
	harness_draw(h);
	assert_true(harness_find(h, "loading the summary...", NULL, NULL));
	assert_true(harness_find(h, "[Subscriptions] 0/0+", NULL, NULL));
	harness_free(h);
}

static void
billing__pages__merged_in_order_cursor_stays_on_its_row(void **state)
{
	struct harness *h = manager_elsewhere();
	int y1, y2;

	(void)state;
	harness_open(h, PANE_BILLING);
	answer(h, "/billing/summary", summary);
	answer(h, "/billing/invoices", "{\"next\": null, \"results\": []}");
	answer(h, "/billing/subscriptions", page1);
	harness_draw(h);
	assert_true(harness_find(h, "MRR $12,345.00", NULL, NULL));
	assert_true(harness_find(h, "[Subscriptions] 2/2+", NULL, NULL));
	/* The cursor on Cy Cole, the second row. */
	harness_key(h, 'j');
	/* The next page brings a past-due client: it goes first, and the
	 * cursor stays with Cy Cole, now the third row. */
	answer(h, "/billing/subscriptions?limit=100&cursor=p2", page2);
	harness_draw(h);
	assert_true(harness_find(h, "[Subscriptions] 3/3 |", NULL, NULL));
	assert_true(harness_find(h, "Bo Baker", &y1, NULL));
	assert_true(harness_find(h, "Alma Able", &y2, NULL));
	assert_true(y1 < y2);
	assert_non_null(strstr(harness_row(h, y1), "past_due"));
	assert_true(harness_find(h, "Cy Cole", &y1, NULL));
	assert_true(y1 == y2 + 1);
	harness_action(h, ACTION_CLIENT_TASKS, NULL);
	assert_int_equal(harness_app(h)->go_client, 3);
	harness_free(h);
}

static void
billing__failed_payment__loads_what_a_manager_is_told_of(void **state)
{
	struct harness *h = manager_elsewhere();

	(void)state;
	invoice_failed(h, 77);
	assert_non_null(strstr(harness_notice(h), "Payment failed: Carla "
	                                          "Client (INV-77 $49.00: "
	                                          "card_declined)"));
	assert_non_null(harness_request(h, "GET", "/billing/summary"));
	assert_non_null(harness_request(h, "GET", "/billing/subscriptions"));
	assert_non_null(harness_request(h, "GET", "/billing/invoices"));
	harness_free(h);
}

static void
billing__failed_payment__told_once_and_not_undone_by_older_pages(void **state)
{
	struct harness *h = manager_elsewhere();
	struct app *app = harness_app(h);
	int y;

	(void)state;
	harness_open(h, PANE_BILLING); /* the pages are asked for */
	invoice_failed(h, 77);
	assert_non_null(strstr(harness_notice(h), "Payment failed"));
	free(app->message);
	app->message = NULL;
	invoice_failed(h, 77); /* replayed after a reconnect */
	assert_string_equal(harness_notice(h), "");
	/* The page asked for before the event does not undo it. */
	answer(h, "/billing/invoices",
	       "{\"next\": null, \"results\": [{\"id\": 77, \"number\": "
	       "\"INV-77\", \"client\": {\"id\": 1, \"name\": \"Carla "
	       "Client\", \"company\": \"\"}, \"amount_cents\": 4900, "
	       "\"currency\": \"usd\", \"status\": \"open\", \"created_at\": "
	       "\"2026-12-01T10:00:00Z\", \"paid_at\": null, \"stripe_ref\": "
	       "\"in_1\", \"failure_reason\": null}]}");
	assert_int_equal(billing_store_invoice(app->store->billing, 77)->status,
	                 INVOICE_FAILED);
	harness_key(h, 'v');
	harness_draw(h);
	assert_true(harness_find(h, "[Invoices] 1/1", NULL, NULL));
	assert_true(harness_find(h, "INV-77", &y, NULL));
	assert_non_null(strstr(harness_row(h, y), "failed"));
	assert_non_null(strstr(harness_row(h, y), "card_declined"));
	harness_free(h);
}

static void
billing__empty_list__redraws_to_say_nothing_is_there(void **state)
{
	struct harness *h = manager_elsewhere();
	struct app *app = harness_app(h);

	(void)state;
	harness_open(h, PANE_BILLING);
	harness_key(h, 'v');
	harness_draw(h);
	assert_true(harness_find(h, "loading...", NULL, NULL));
	app->dirty = false;
	/* No invoices at all: no row changes, yet the screen must say so. */
	answer(h, "/billing/invoices", "{\"next\": null, \"results\": []}");
	assert_true(app->dirty);
	harness_draw(h);
	assert_true(harness_find(h, "nothing matches", NULL, NULL));
	harness_free(h);
}

static void
billing__support__plans_only_and_no_invoices(void **state)
{
	struct harness *h = harness_new(30, 120);

	(void)state;
	harness_sign_in(h, 5, "support", PERM_BILLING_SUMMARY);
	harness_open(h, PANE_BILLING);
	assert_null(harness_request(h, "GET", "/billing/summary"));
	assert_null(harness_request(h, "GET", "/billing/invoices"));
	answer(h, "/billing/subscriptions", page2);
	harness_draw(h);
	assert_true(harness_find(h, "Plans and statuses only", NULL, NULL));
	assert_true(harness_find(h, "Bo Baker", NULL, NULL));
	assert_false(harness_find(h, "$", NULL, NULL));
	harness_key(h, 'v');
	assert_string_equal(harness_notice(h), "invoices need billing.read");
	harness_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(billing__start__fetches_nothing_until_shown),
		cmocka_unit_test(
		    billing__pages__merged_in_order_cursor_stays_on_its_row),
		cmocka_unit_test(
		    billing__failed_payment__loads_what_a_manager_is_told_of),
		cmocka_unit_test(
		    billing__failed_payment__told_once_and_not_undone_by_older_pages),
		cmocka_unit_test(
		    billing__empty_list__redraws_to_say_nothing_is_there),
		cmocka_unit_test(billing__support__plans_only_and_no_invoices),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
