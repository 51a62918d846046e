/* The `:assign`, `:set-status` and `:set-priority` forms and the pickers'
 * refusals, through the pane harness: the staff list fetched page by
 * page (and its failure), a name found, not found or ambiguous, an id,
 * and what a member without the rights is told. */
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
#include "tests/unit/views/harness.h"

/* Tasks 1 and 2, new, nobody's. */
static const char page_json[] =
    "{\"results\": ["
    "{\"id\": 1, \"version\": 1, \"title\": \"task 1\","
    " \"description\": \"\", \"status\": \"new\", \"priority\": \"normal\","
    " \"client\": {\"id\": 1, \"name\": \"Acme\", \"company\": \"Acme\"},"
    " \"assignee\": null, \"created_at\": \"2026-12-01T10:00:00Z\","
    " \"updated_at\": \"2026-12-01T10:00:00Z\", \"due_at\": null,"
    " \"comment_count\": 0, \"attachment_count\": 0},"
    "{\"id\": 2, \"version\": 1, \"title\": \"task 2\","
    " \"description\": \"\", \"status\": \"new\", \"priority\": \"normal\","
    " \"client\": {\"id\": 1, \"name\": \"Acme\", \"company\": \"Acme\"},"
    " \"assignee\": null, \"created_at\": \"2026-12-01T10:00:00Z\","
    " \"updated_at\": \"2026-12-01T10:00:00Z\", \"due_at\": null,"
    " \"comment_count\": 0, \"attachment_count\": 0}"
    "], \"next\": null}";

/* The queue of tasks 1 and 2 (or of none) for a member with perms. */
static struct harness *
queue_as(const char *role, unsigned long perms, bool empty)
{
	struct harness *h = harness_new(24, 100);
	struct harness_request *r;

	harness_sign_in(h, 7, role, perms);
	harness_open(h, PANE_TASKS);
	harness_event_kind(h, APP_EV_SIGNED_IN, 0);
	r = harness_request(h, "GET", "/tasks");
	assert_non_null(r);
	harness_reply(h, r, 200,
	              empty ? "{\"results\": [], \"next\": null}" : page_json);
	return h;
}

static struct harness *
manager(void)
{
	return queue_as(
	    "manager",
	    PERM_TASKS_READ | PERM_TASKS_UPDATE | PERM_TASKS_ASSIGN_ANY, false);
}

/* The PATCH of task 1 asked for, with body; answered 409 so nothing
 * changes and no undo is left behind. */
static void
expect_patch(struct harness *h, const char *body)
{
	struct harness_request *r = harness_request(h, "PATCH", "/tasks/1");

	assert_non_null(r);
	assert_string_equal(r->body, body);
	harness_reply(h, r, 409, NULL);
}

/* The staff list fails: said, and the next :assign NAME asks again. */
static void
pick__assign_name__staff_list_failure_is_said(void **state)
{
	struct harness *h = manager();
	struct harness_request *r;

	(void)state;
	harness_action(h, ACTION_ASSIGN, "bob");
	r = harness_request(h, "GET", "/staff?");
	assert_non_null(r);
	assert_string_equal(r->path, "/staff?limit=500");
	harness_reply(h, r, 503, NULL);
	assert_memory_equal(harness_notice(h), "staff list: ", 12);
	assert_null(harness_request(h, "PATCH", "/tasks/"));
	harness_action(h, ACTION_ASSIGN, "bob");
	assert_non_null(harness_request(h, "GET", "/staff?"));
	harness_free(h);
}

/* :assign NAME walks every page of staff, then: several matches are
 * refused, none is said, an exact name (any case) and an id are
 * assigned; the list is fetched once. */
static void
pick__assign_name__found_ambiguous_missing_or_by_id(void **state)
{
	struct harness *h = manager();
	struct harness_request *r;

	(void)state;
	harness_action(h, ACTION_ASSIGN, "  bo ");
	r = harness_request(h, "GET", "/staff?");
	harness_reply(h, r, 200,
	              "{\"results\": [{\"id\": 8, \"name\": \"Bob\", \"role\":"
	              " \"technician\"}, {\"id\": 9, \"name\": \"Bobby\","
	              " \"role\": \"technician\"}], \"next\": \"c/2\"}");
	r = harness_request(h, "GET", "/staff?");
	assert_non_null(r);
	assert_string_equal(r->path, "/staff?limit=500&cursor=c%2F2");
	harness_reply(h, r, 200,
	              "{\"results\": [{\"id\": 10, \"name\": \"Ann\", \"role\":"
	              " \"manager\"}], \"next\": null}");
	assert_string_equal(harness_notice(h),
	                    "several staff match \"bo\": A picks from a list");
	assert_null(harness_request(h, "PATCH", "/tasks/"));

	harness_action(h, ACTION_ASSIGN, "zed");
	assert_null(harness_request(h, "GET", "/staff"));
	assert_string_equal(harness_notice(h),
	                    "no staff member is called \"zed\"");

	harness_action(h, ACTION_ASSIGN, "ANN");
	expect_patch(h, "{\"assignee_id\":10}");
	/* "bob" is also in Bobby, but is Bob's whole name */
	harness_action(h, ACTION_ASSIGN, "BOB");
	expect_patch(h, "{\"assignee_id\":8}");
	harness_action(h, ACTION_ASSIGN, "42");
	expect_patch(h, "{\"assignee_id\":42}");
	harness_action(h, ACTION_ASSIGN, "nobody");
	expect_patch(h, "{\"assignee_id\":null}");
	harness_action(h, ACTION_ASSIGN, " ");
	assert_string_equal(harness_notice(h),
	                    "assign whom? me, none, an id or a name");
	assert_null(harness_request(h, "GET", "/staff"));
	harness_free(h);
}

/* A technician may take or drop a task but not give it to someone
 * else: the A picker and :assign NAME say which right is missing. */
static void
pick__assign_other__needs_assign_any(void **state)
{
	struct harness *h =
	    queue_as("technician", PERM_TASKS_READ | PERM_TASKS_UPDATE, false);

	(void)state;
	harness_action(h, ACTION_ASSIGN, NULL);
	assert_string_equal(harness_notice(h),
	                    "assigning someone else needs tasks.assign_any, "
	                    "which technician does not have: t takes the task");
	harness_not_see(h, "Assign #1");
	harness_action(h, ACTION_ASSIGN, "bob");
	assert_string_equal(harness_notice(h),
	                    "assigning someone else needs tasks.assign_any");
	assert_int_equal(harness_nrequests(h), 0);
	harness_action(h, ACTION_ASSIGN, "none");
	expect_patch(h, "{\"assignee_id\":null}");
	harness_free(h);
}

/* :set-status NAME: an unknown name lists the known ones; a known one
 * is sent; without tasks.update, or with no task, nothing is. */
static void
pick__status_arg__unknown_refused_known_sent(void **state)
{
	struct harness *h = manager();

	(void)state;
	harness_action(h, ACTION_SET_STATUS, "bogus");
	assert_string_equal(harness_notice(h),
	                    "no status \"bogus\": new, in_progress, "
	                    "waiting_on_client, done, cancelled");
	assert_int_equal(harness_nrequests(h), 0);
	harness_action(h, ACTION_SET_STATUS, " done ");
	expect_patch(h, "{\"status\":\"done\"}");
	harness_free(h);

	h = queue_as("support", PERM_TASKS_READ, false);
	harness_action(h, ACTION_SET_STATUS, "done");
	assert_string_equal(harness_notice(h),
	                    "changing tasks needs tasks.update");
	harness_action(h, ACTION_SET_PRIORITY, NULL);
	assert_string_equal(harness_notice(h),
	                    "changing tasks needs tasks.update");
	harness_not_see(h, "Priority of");
	assert_int_equal(harness_nrequests(h), 0);
	harness_free(h);

	h = queue_as(
	    "manager",
	    PERM_TASKS_READ | PERM_TASKS_UPDATE | PERM_TASKS_ASSIGN_ANY, true);
	harness_action(h, ACTION_SET_PRIORITY, "high");
	assert_string_equal(harness_notice(h), "no task selected");
	assert_int_equal(harness_nrequests(h), 0);
	harness_free(h);
}

/* A change the network loses is said as offline and undone on the row;
 * one the service answers 401 is said as signed out, and a change
 * asked for after that is refused before any request. */
static void
pick__status_arg__offline_then_signed_out(void **state)
{
	struct harness *h = manager();
	struct harness_request *r;

	(void)state;
	harness_action(h, ACTION_SET_STATUS, "done");
	r = harness_request(h, "PATCH", "/tasks/1");
	assert_non_null(r);
	harness_fail(h, r, SC_ERR_NETWORK, "connection refused");
	assert_non_null(
	    strstr(harness_notice(h), "failed: offline: connection refused"));
	assert_null(harness_request(h, "PATCH", "/tasks/"));

	harness_action(h, ACTION_SET_STATUS, "done");
	r = harness_request(h, "PATCH", "/tasks/1");
	assert_non_null(r);
	harness_reply(h, r, 401,
	              "{\"error\": {\"code\": \"not_authenticated\","
	              " \"message\": \"session expired\"}}");
	assert_false(harness_app(h)->signed_in);
	assert_non_null(strstr(harness_notice(h), "failed: signed out: "));
	harness_action(h, ACTION_SET_STATUS, "done");
	assert_string_equal(harness_notice(h), "not signed in");
	assert_int_equal(harness_nrequests(h), 0);
	harness_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pick__assign_name__staff_list_failure_is_said),
		cmocka_unit_test(
		    pick__assign_name__found_ambiguous_missing_or_by_id),
		cmocka_unit_test(pick__assign_other__needs_assign_any),
		cmocka_unit_test(pick__status_arg__unknown_refused_known_sent),
		cmocka_unit_test(pick__status_arg__offline_then_signed_out),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
