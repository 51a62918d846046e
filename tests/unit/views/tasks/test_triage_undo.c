/* The task queue's undo through the pane harness: for the README's 10 s,
 * once (an undo is not itself undone by a second u), and never over
 * someone else's change (a 412). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/base/xmalloc.h"
#include "net/client/model.h"
#include "net/store/store.h"
#include "net/store/task_store.h"
#include "tests/unit/views/harness.h"
#include "tui/app.h"

/* Task 1 at version and priority, as the service sends it. */
static char *
task1(long long version, const char *priority)
{
	return xasprintf(
	    "{\"id\": 1, \"version\": %lld, \"title\": \"task 1\", "
	    "\"description\": \"\", \"status\": \"new\", \"priority\": \"%s\", "
	    "\"client\": {\"id\": 1, \"name\": \"Acme\", \"company\": \"Acme "
	    "Inc\"}, \"assignee\": null, \"created_at\": "
	    "\"2026-12-01T10:00:00Z\", \"updated_at\": "
	    "\"2026-12-01T10:00:00Z\","
	    " \"due_at\": null, \"comment_count\": 0, \"attachment_count\": 0}",
	    version, priority);
}

/* Answers the PATCH of task 1 (it must have been sent) with version and
 * priority; returns its body's priority check. */
static bool
patched_to(struct harness *h, const char *priority, long long version)
{
	struct harness_request *r = harness_request(h, "PATCH", "/tasks/1");
	char *answer;
	bool asked;

	if (r == NULL)
		fail_msg("no PATCH of task 1");
	asked = strstr(r->body, priority) != NULL;
	answer = task1(version, priority);
	harness_reply(h, r, 200, answer);
	free(answer);
	return asked;
}

/* The queue open on task 1 (normal), then its priority set to high and
 * answered. */
static struct harness *
changed(void)
{
	struct harness *h = harness_new(24, 100);
	struct harness_request *r;
	char *t = task1(1, "normal"), *page;

	harness_sign_in(h, 7, "technician",
	                PERM_TASKS_READ | PERM_TASKS_UPDATE);
	harness_open(h, PANE_TASKS);
	harness_event_kind(h, APP_EV_SIGNED_IN, 0);
	r = harness_request(h, "GET", "/tasks");
	assert_non_null(r);
	page = xasprintf("{\"results\": [%s], \"next\": null}", t);
	harness_reply(h, r, 200, page);
	free(page);
	free(t);
	harness_action(h, ACTION_SET_PRIORITY, "high");
	assert_true(patched_to(h, "high", 2));
	return h;
}

/* u now sends nothing and says so. */
static void
nothing_to_undo(struct harness *h)
{
	harness_action(h, ACTION_UNDO, NULL);
	assert_null(harness_request(h, "PATCH", "/tasks/1"));
	assert_non_null(strstr(harness_notice(h), "nothing to undo"));
}

static void
undo__gone_after_ten_seconds(void **state)
{
	struct harness *h = changed();

	(void)state;
	harness_advance(h, 10001); /* the README's 10 s, and a little */
	nothing_to_undo(h);
	harness_free(h);
}

static void
undo__once_not_undone_again(void **state)
{
	struct harness *h = changed();

	(void)state;
	harness_action(h, ACTION_UNDO, NULL);
	assert_true(patched_to(h, "normal", 3));
	/* A second u does not put "high" back: the undo is not a change
	 * to undo in its turn. */
	nothing_to_undo(h);
	harness_free(h);
}

static void
undo__stops_at_a_412_and_shows_the_current_task(void **state)
{
	struct harness *h = changed();
	struct harness_request *r;
	const struct task *t;
	char *now = task1(3, "urgent"), *body;

	(void)state;
	harness_action(h, ACTION_UNDO, NULL);
	/* Someone else set it urgent meanwhile: the service refuses the
	 * undo's If-Match and sends the task as it is now. */
	r = harness_request(h, "PATCH", "/tasks/1");
	assert_non_null(r);
	body = xasprintf("{\"error\": {\"code\": \"version_conflict\", "
	                 "\"message\": \"changed\", \"current\": %s}}",
	                 now);
	harness_reply(h, r, 412, body);
	free(body);
	free(now);
	t = task_store_get(harness_app(h)->store->tasks, 1);
	assert_non_null(t);
	assert_int_equal(t->version, 3);
	assert_int_equal(t->priority, PRIORITY_URGENT);
	/* Nothing sent over it without asking. */
	assert_null(harness_request(h, "PATCH", "/tasks/1"));
	harness_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(undo__gone_after_ten_seconds),
		cmocka_unit_test(undo__once_not_undone_again),
		cmocka_unit_test(
		    undo__stops_at_a_412_and_shows_the_current_task),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
