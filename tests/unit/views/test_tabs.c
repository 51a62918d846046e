/* Tab and BTab between the panes, through the pane harness: the tabs a
 * role sees, in order, wrapping round; a pane loads when first shown. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/client/model.h"
#include "tests/unit/views/harness.h"

/* Every pane's permission. */
#define ALL_PANES                                                              \
	(PERM_TASKS_READ | PERM_CHAT_READ | PERM_CREDENTIALS_REVEAL |          \
	 PERM_BILLING_READ | PERM_BILLING_SUMMARY)

/* Signed in with permissions, every pane the role sees open, the Tasks
 * tab current. */
static struct harness *
signed_in(unsigned long permissions)
{
	struct harness *h = harness_new(24, 100);

	harness_sign_in(h, 7, "manager", permissions);
	harness_open_all(h);
	return h;
}

static enum pane_id
current(struct harness *h)
{
	return harness_app(h)->current;
}

/* Presses key, then checks the pane now current. */
static void
press_to(struct harness *h, key_code key, enum pane_id want)
{
	harness_key(h, key);
	if (current(h) != want) {
		harness_draw(h);
		harness_dump(h);
		fail_msg("pane %d current, not %d", (int)current(h), (int)want);
	}
}

/* Presses key once for each pane of want (ended by PANE_COUNT),
 * checking that each is current in turn. */
static void
walk(struct harness *h, key_code key, const enum pane_id *want)
{
	for (; *want != PANE_COUNT; want++)
		press_to(h, key, *want);
}

/* The tab bar as drawn. */
static const char *
tab_bar(struct harness *h)
{
	harness_draw(h);
	return harness_row(h, 0);
}

static void
tabs__tab_walks_the_shown_tabs_in_order_and_wraps(void **state)
{
	struct harness *h = signed_in(ALL_PANES);

	(void)state;
	assert_int_equal(current(h), PANE_TASKS);
	assert_non_null(strstr(tab_bar(h), "1 Tasks"));
	assert_non_null(strstr(tab_bar(h), "3 Credentials"));
	walk(h, KEYC_TAB,
	     (enum pane_id[]){ PANE_CHAT, PANE_CREDENTIALS, PANE_BILLING,
	                       PANE_TASKS, PANE_CHAT, PANE_COUNT });
	harness_free(h);
}

static void
tabs__btab_walks_back_and_wraps(void **state)
{
	struct harness *h = signed_in(ALL_PANES);

	(void)state;
	walk(h, KEYC_BTAB,
	     (enum pane_id[]){ PANE_BILLING, PANE_CREDENTIALS, PANE_CHAT,
	                       PANE_TASKS, PANE_COUNT });
	/* Tab and BTab undo each other. */
	press_to(h, KEYC_TAB, PANE_CHAT);
	press_to(h, KEYC_BTAB, PANE_TASKS);
	harness_free(h);
}

static void
tabs__a_role_without_credentials_skips_that_tab(void **state)
{
	struct harness *h = signed_in(ALL_PANES & ~PERM_CREDENTIALS_REVEAL);

	(void)state;
	assert_null(strstr(tab_bar(h), "Credentials"));
	assert_null(harness_pane(h, PANE_CREDENTIALS));
	walk(h, KEYC_TAB,
	     (enum pane_id[]){ PANE_CHAT, PANE_BILLING, PANE_TASKS,
	                       PANE_COUNT });
	walk(h, KEYC_BTAB,
	     (enum pane_id[]){ PANE_BILLING, PANE_CHAT, PANE_COUNT });
	/* Its number key does not reach it either. */
	press_to(h, '3', PANE_CHAT);
	assert_non_null(strstr(harness_notice(h), "not available"));
	assert_null(harness_pane(h, PANE_CREDENTIALS));
	harness_free(h);
}

static void
tabs__a_single_tab_stays_put(void **state)
{
	struct harness *h = signed_in(PERM_TASKS_READ);

	(void)state;
	press_to(h, KEYC_TAB, PANE_TASKS);
	press_to(h, KEYC_BTAB, PANE_TASKS);
	assert_null(strstr(tab_bar(h), "Chat"));
	harness_free(h);
}

/* The number of unanswered requests for method under path. */
static int
asked(struct harness *h, const char *method, const char *path)
{
	struct harness_request *r;
	int n = 0;

	for (r = harness_requests(h); r != NULL; r = r->next)
		if (r->sent && strcmp(r->method, method) == 0 &&
		    strncmp(r->path, path, strlen(path)) == 0)
			n++;
	return n;
}

/* The lazy panes' first fetches so far: GET /clients (credentials) and
 * GET /billing/subscriptions (billing), each asked once or not yet. */
static void
lazy_asked(struct harness *h, int clients, int billing)
{
	assert_int_equal(asked(h, "GET", "/clients"), clients);
	assert_int_equal(asked(h, "GET", "/billing/subscriptions"), billing);
	assert_int_equal(asked(h, "GET", "/billing/summary"), billing);
}

static void
tabs__a_pane_first_shown_by_tab_fetches_then(void **state)
{
	struct harness *h = signed_in(ALL_PANES);

	(void)state;
	/* Signing in loads the tasks and the conversations (the unread
	 * count is on the tab bar), not credentials or billing. */
	assert_int_equal(asked(h, "GET", "/tasks"), 1);
	assert_int_equal(asked(h, "GET", "/conversations"), 1);
	lazy_asked(h, 0, 0);
	press_to(h, KEYC_TAB, PANE_CHAT);
	lazy_asked(h, 0, 0);
	press_to(h, KEYC_TAB, PANE_CREDENTIALS);
	lazy_asked(h, 1, 0);
	press_to(h, KEYC_TAB, PANE_BILLING);
	lazy_asked(h, 1, 1);
	/* Shown again while the first fetches are in flight: not asked
	 * twice, and the tasks are not asked again either. */
	walk(h, KEYC_TAB, (enum pane_id[]){ PANE_TASKS, PANE_COUNT });
	walk(h, KEYC_BTAB,
	     (enum pane_id[]){ PANE_BILLING, PANE_CREDENTIALS, PANE_COUNT });
	lazy_asked(h, 1, 1);
	assert_int_equal(asked(h, "GET", "/tasks"), 1);
	harness_free(h);
}

/* Going backwards, billing is the first one shown. */
static void
tabs__billing_first_shown_by_btab_fetches_then(void **state)
{
	struct harness *h = signed_in(ALL_PANES);

	(void)state;
	lazy_asked(h, 0, 0);
	press_to(h, KEYC_BTAB, PANE_BILLING);
	lazy_asked(h, 0, 1);
	harness_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    tabs__tab_walks_the_shown_tabs_in_order_and_wraps),
		cmocka_unit_test(tabs__btab_walks_back_and_wraps),
		cmocka_unit_test(
		    tabs__a_role_without_credentials_skips_that_tab),
		cmocka_unit_test(tabs__a_single_tab_stays_put),
		cmocka_unit_test(tabs__a_pane_first_shown_by_tab_fetches_then),
		cmocka_unit_test(
		    tabs__billing_first_shown_by_btab_fetches_then),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
