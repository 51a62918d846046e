/* The billing pane as a person sees it, through the pane harness: loaded
 * when looked at, pages merged in order, a failed payment live. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curses.h>

#include "net/base/xmalloc.h"
#include "net/client/model.h"
#include "net/store/billing_store.h"
#include "net/store/store.h"
#include "tests/unit/views/harness.h"
#include "tui/theme.h"

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

/* The manager looking at the Billing pane, everything answered. */
static struct harness *
manager_looking(void)
{
	struct harness *h = manager_elsewhere();

	harness_open(h, PANE_BILLING);
	answer(h, "/billing/summary", summary);
	answer(h, "/billing/invoices",
	       "{\"next\": null, \"results\": [{\"id\": 77, \"number\": "
	       "\"INV-77\", \"client\": {\"id\": 2, \"name\": \"Bo Baker\", "
	       "\"company\": \"\"}, \"amount_cents\": 2900, \"currency\": "
	       "\"usd\", \"status\": \"failed\", \"created_at\": "
	       "\"2026-12-01T10:00:00Z\", \"paid_at\": null, \"stripe_ref\": "
	       "\"in_1\", \"failure_reason\": \"card_declined\"}]}");
	answer(h, "/billing/subscriptions", page1);
	answer(h, "/billing/subscriptions?limit=100&cursor=p2", page2);
	return h;
}

/* An error answer as the contract words it. */
static void
refuse(struct harness *h, const char *path, const char *message)
{
	char *body = xasprintf("{\"error\": {\"code\": \"server_error\", "
	                       "\"message\": \"%s\"}}",
	                       message);
	struct harness_request *r = harness_request(h, "GET", path);

	if (r == NULL)
		fail_msg("no request for %s", path);
	harness_reply(h, r, 500, body);
	free(body);
}

static void
billing__errors__said_where_the_rows_go_then_r_reloads(void **state)
{
	struct harness *h = manager_elsewhere();
	int y;

	(void)state;
	harness_open(h, PANE_BILLING);
	refuse(h, "/billing/summary", "summary down");
	assert_string_equal(harness_notice(h), "billing summary: summary down");
	refuse(h, "/billing/invoices", "invoices down");
	assert_string_equal(harness_notice(h),
	                    "billing invoices: invoices down");
	refuse(h, "/billing/subscriptions", "ledger\tdown");
	assert_string_equal(harness_notice(h),
	                    "billing subscriptions: ledger down");
	harness_draw(h);
	assert_true(harness_find(h, "ledger down", &y, NULL));
	assert_true(y > 2); /* where the rows go */
	assert_null(harness_request(h, "GET", "/billing"));
	/* r: everything again, and the error goes when it loads. */
	harness_action(h, ACTION_REFRESH, NULL);
	answer(h, "/billing/summary", summary);
	answer(h, "/billing/invoices", "{\"next\": null, \"results\": []}");
	answer(h, "/billing/subscriptions", page2);
	harness_draw(h);
	/* Only the status line may still tell of it. */
	assert_true(!harness_find(h, "ledger down", &y, NULL) || y == 29);
	assert_true(harness_find(h, "Bo Baker", NULL, NULL));
	assert_true(harness_find(h, "MRR $12,345.00", NULL, NULL));
	harness_free(h);
}

static void
billing__export__the_list_as_shown_to_a_file(void **state)
{
	struct harness *h = manager_looking();
	char *path = xasprintf("%s/subs.csv", getenv("HOME"));
	char *args = xasprintf("subscriptions %s", path);
	char *want = xasprintf("wrote 3 subscriptions to %s", path);
	char buf[4096] = "";
	FILE *f;

	(void)state;
	harness_action(h, ACTION_EXPORT, NULL);
	assert_string_equal(harness_notice(h),
	                    "usage: :export subscriptions|invoices [FILE]");
	harness_action(h, ACTION_EXPORT, "cards x.csv");
	assert_string_equal(harness_notice(h),
	                    "export subscriptions or invoices");
	harness_action(h, ACTION_EXPORT, args);
	assert_string_equal(harness_notice(h), want);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_true(fread(buf, 1, sizeof buf - 1, f) > 0);
	fclose(f);
	assert_non_null(strstr(buf, "Bo Baker"));
	assert_non_null(strstr(buf, "Cy Cole"));
	/* Nowhere to write: said, nothing else. */
	harness_action(h, ACTION_EXPORT,
	               "invoices /nonexistent/dir/invoices.csv");
	assert_non_null(strstr(harness_notice(h), "export: "));
	free(want);
	free(args);
	free(path);
	harness_free(h);
}

static void
billing__export__invoices_need_billing_read(void **state)
{
	struct harness *h = harness_new(30, 120);

	(void)state;
	harness_sign_in(h, 5, "support", PERM_BILLING_SUMMARY);
	harness_open(h, PANE_BILLING);
	harness_action(h, ACTION_EXPORT, "invoices /tmp/never.csv");
	assert_string_equal(harness_notice(h), "invoices need billing.read");
	harness_free(h);
}

static void
billing__filter_sort_search__change_the_rows_shown(void **state)
{
	struct harness *h = manager_looking();
	int y1, y2;

	(void)state;
	harness_action(h, ACTION_FILTER, "status=past_due");
	harness_draw(h);
	assert_true(harness_find(h, "Bo Baker", NULL, NULL));
	assert_false(harness_find(h, "Alma Able", NULL, NULL));
	harness_action(h, ACTION_FILTER, "colour=red");
	assert_string_not_equal(harness_notice(h), "");
	harness_action(h, ACTION_FILTER, "clear");
	harness_action(h, ACTION_SORT, "-client");
	harness_draw(h);
	assert_true(harness_find(h, "Cy Cole", &y1, NULL));
	assert_true(harness_find(h, "Alma Able", &y2, NULL));
	assert_true(y1 < y2);
	harness_action(h, ACTION_SORT, "shoe-size");
	assert_string_not_equal(harness_notice(h), "");
	harness_action(h, ACTION_SEARCH, "alma");
	harness_draw(h);
	assert_true(harness_find(h, "Alma Able", NULL, NULL));
	assert_false(harness_find(h, "Cy Cole", NULL, NULL));
	/* Keys that mean nothing here say so. */
	harness_action(h, ACTION_MUTE, NULL);
	assert_non_null(strstr(harness_notice(h), "does nothing here"));
	harness_free(h);
}

static void
billing__invoices__chat_with_the_selected_client(void **state)
{
	struct harness *h = manager_looking();

	(void)state;
	harness_key(h, 'v');
	harness_draw(h);
	assert_true(harness_find(h, "[Invoices] 1/1", NULL, NULL));
	harness_action(h, ACTION_CLIENT_CHAT, NULL);
	assert_int_equal(harness_app(h)->go_pane, PANE_CHAT);
	assert_int_equal(harness_app(h)->go_client, 2);
	harness_key(h, 'v');
	harness_draw(h);
	assert_true(harness_find(h, "[Subscriptions] 3/3", NULL, NULL));
	harness_free(h);
}

static void
billing__chart__months_and_values_over_the_bars(void **state)
{
	struct harness *h = manager_elsewhere();
	int y1, x1, y2, x2;

	(void)state;
	harness_open(h, PANE_BILLING);
	answer(
	    h, "/billing/summary",
	    "{\"currency\": \"usd\", \"mrr_cents\": 100, "
	    "\"subscriptions\": {\"active\": 1, \"trialing\": 0, "
	    "\"past_due\": 0, \"canceled\": 0}, \"failed_payments_30d\": "
	    "0, \"refunds_30d_cents\": 0, \"revenue_by_month\": [{\"month\": "
	    "\"2026-10\", \"cents\": 900000}, {\"month\": \"2026-11\", "
	    "\"cents\": 300000}]}");
	harness_draw(h);
	assert_true(harness_find(h, "Revenue, last 12 months", NULL, NULL));
	assert_true(harness_find(h, "Oct", NULL, NULL));
	assert_true(harness_find(h, "Nov", &y2, &x2));
	/* The largest sets the axis; the smaller one's value over it. */
	assert_true(harness_find(h, "$9.0k", &y1, &x1));
	assert_int_equal(x1, 0);
	assert_true(harness_find(h, "$3.0k", &y1, &x1));
	assert_true(y1 < y2);
	assert_true(harness_find(h, "Oct", NULL, &x1));
	assert_true(x1 < x2);
	harness_free(h);
}

/* The colour pair of the cell at screen row y, column x. */
static short
cell_pair(struct harness *h, int y, int x)
{
	unsigned long attrs;
	short pair;

	return harness_cell(h, y, x, &attrs, &pair) ? pair : -1;
}

/*
 * In colour, only the bars are green: the blank over a shorter bar is the
 * pane's own blank (a green space cost a colour switch either side of it,
 * on every row of the chart), and the gap between two bars on a row they
 * both reach is green, so the row is one span of it.
 */
static void
billing__chart__colour_only_on_the_bars(void **state)
{
	struct harness *h = manager_elsewhere();
	int top, x, oct, nov;

	(void)state;
	start_color();
	use_default_colors();
	theme_init(true);
	harness_open(h, PANE_BILLING);
	answer(h, "/billing/summary",
	       "{\"currency\": \"usd\", \"mrr_cents\": 100, "
	       "\"subscriptions\": {\"active\": 1, \"trialing\": 0, "
	       "\"past_due\": 0, \"canceled\": 0}, \"failed_payments_30d\": "
	       "0, \"refunds_30d_cents\": 0, \"revenue_by_month\": [{"
	       "\"month\": \"2026-09\", \"cents\": 900000}, {\"month\": "
	       "\"2026-10\", \"cents\": 900000}, {\"month\": \"2026-11\", "
	       "\"cents\": 300000}]}");
	harness_draw(h);
	/* The axis's top label is on the chart's top row. */
	assert_true(harness_find(h, "$9.0k", &top, &x));
	assert_true(harness_find(h, "Oct", NULL, &oct));
	assert_true(harness_find(h, "Nov", NULL, &nov));
	assert_int_equal(cell_pair(h, top, oct), THEME_OK);
	/* The gap before Oct's bar, after Sep's: green, as both are. */
	assert_int_equal(cell_pair(h, top, oct - 1), THEME_OK);
	assert_int_equal(cell_pair(h, top, nov), 0);
	theme_init(false);
	harness_free(h);
}

static void
billing__resync__reloads_a_shown_pane(void **state)
{
	struct harness *h = manager_looking();
	char card[] = "{\"next\": null, \"results\": [{\"id\": 4, \"client\": "
	              "{\"id\": 4, \"name\": \"Di Dunn\", \"company\": \"\"}, "
	              "\"plan\": \"pro\", \"status\": \"active\", "
	              "\"current_period_end\": \"2026-12-20T00:00:00Z\", "
	              "\"cancel_at_period_end\": false, \"amount_cents\": 100, "
	              "\"currency\": \"usd\", \"interval\": \"month\", "
	              "\"card\": {\"brand\": \"visa\", \"last4\": \"4242\", "
	              "\"exp_month\": 1, \"exp_year\": 2030}}]}";
	int y;

	(void)state;
	harness_event_kind(h, APP_EV_RESYNC, 0);
	answer(h, "/billing/summary", summary);
	answer(h, "/billing/invoices", "{\"next\": null, \"results\": []}");
	answer(h, "/billing/subscriptions", card);
	harness_draw(h);
	assert_true(harness_find(h, "Di Dunn", &y, NULL));
	assert_non_null(strstr(harness_row(h, y), "visa 4242"));
	assert_false(harness_find(h, "Bo Baker", NULL, NULL));
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
		cmocka_unit_test(
		    billing__errors__said_where_the_rows_go_then_r_reloads),
		cmocka_unit_test(billing__export__the_list_as_shown_to_a_file),
		cmocka_unit_test(billing__export__invoices_need_billing_read),
		cmocka_unit_test(
		    billing__filter_sort_search__change_the_rows_shown),
		cmocka_unit_test(
		    billing__invoices__chat_with_the_selected_client),
		cmocka_unit_test(
		    billing__chart__months_and_values_over_the_bars),
		cmocka_unit_test(billing__chart__colour_only_on_the_bars),
		cmocka_unit_test(billing__resync__reloads_a_shown_pane),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
