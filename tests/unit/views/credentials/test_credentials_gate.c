/* The credentials pane's gate through the pane harness: a credential the
 * service says this member may not reveal (not assigned to the client's
 * tasks) is refused at once, with the reason, before any purpose or key
 * is asked for. */
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
#include "tui/app.h"

/* Answers the pending GET of path (a prefix) with body. */
static void
give(struct harness *h, const char *path, const char *body)
{
	struct harness_request *r = harness_request(h, "GET", path);

	if (r == NULL)
		fail_msg("no request for %s", path);
	harness_reply(h, r, 200, body);
}

static void
credentials_gate__not_assigned__refused_with_the_reason(void **state)
{
	struct harness *h = harness_new(24, 100);

	(void)state;
	harness_sign_in(h, 7, "technician",
	                PERM_TASKS_READ | PERM_CREDENTIALS_REVEAL);
	harness_open(h, PANE_CREDENTIALS);
	harness_event_kind(h, APP_EV_SIGNED_IN, 0);
	give(h, "/clients?",
	     "{\"results\": [{\"id\": 2, \"name\": \"Acme Shop\", "
	     "\"company\": \"Acme Inc\", \"email\": \"a@acme.test\", "
	     "\"phone\": null, \"site_url\": \"https://acme.test\", "
	     "\"assigned_staff\": []}], \"next\": null}");
	harness_key(h, KEYC_ENTER);
	give(h, "/clients/2/credentials",
	     "{\"results\": [{\"id\": 12, \"label\": \"Hosting panel\", "
	     "\"site_url\": \"https://host.test\", \"updated_at\": "
	     "\"2026-11-01T10:00:00Z\", \"can_reveal\": false}], "
	     "\"next\": null}");
	harness_key(h, KEYC_ENTER);
	harness_draw(h);
	if (!harness_find(h,
	                  "Hosting panel cannot be revealed: you are not "
	                  "assigned",
	                  NULL, NULL)) {
		harness_dump(h);
		fail_msg("no refusal on screen");
	}
	/* Nothing asked of the member nor sent. */
	assert_null(harness_line(h));
	assert_null(harness_request(h, "POST", "/credentials/"));
	harness_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    credentials_gate__not_assigned__refused_with_the_reason),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
