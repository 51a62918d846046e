/* The credentials pane as a person sees it, through the pane harness. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "net/client/model.h"
#include "tests/unit/views/harness.h"

/* A signed-in technician (who may reveal) in front of the pane. */
static struct harness *
technician(void)
{
	struct harness *h = harness_new(24, 100);

	harness_sign_in(h, 7, "technician", PERM_CREDENTIALS_REVEAL);
	harness_open(h, PANE_CREDENTIALS);
	return h;
}

/* Signed in: the pane asks for the clients and says it is loading; an
 * empty answer says there are none. */
static void
credentials__signed_in__asks_for_clients_then_shows_none(void **state)
{
	struct harness *h = technician();
	struct harness_request *r;

	(void)state;
	harness_event_kind(h, APP_EV_SIGNED_IN, 0);
	r = harness_request(h, "GET", "/clients?");
	assert_non_null(r);
	assert_string_equal(r->path, "/clients?limit=100");
	harness_draw(h);
	assert_true(harness_find(h, "3 Credentials", NULL, NULL));
	assert_string_equal(harness_row(h, 1), " Clients (* assigned to you)");
	assert_true(harness_find(h, "loading...", NULL, NULL));
	harness_reply(h, r, 200, "{\"results\": [], \"next\": null}");
	assert_int_equal(harness_nrequests(h), 0);
	harness_draw(h);
	assert_false(harness_find(h, "loading...", NULL, NULL));
	assert_true(harness_find(h, "no clients match", NULL, NULL));
	harness_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    credentials__signed_in__asks_for_clients_then_shows_none),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
