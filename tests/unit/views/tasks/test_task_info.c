/* A task's detail as a person sees it, through the pane harness: what
 * is known before it loads, the due date of a closed task, scrolling a
 * long description, and a key that means nothing there. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/base/xmalloc.h"
#include "tests/unit/views/harness.h"

/* Task 1 (done, due at noon UTC on 5 December) as a list row. */
#define TASK_FIELDS                                                            \
	"\"id\": 1, \"version\": 1, \"title\": \"task 1\","                    \
	" \"status\": \"done\", \"priority\": \"normal\","                     \
	" \"client\": {\"id\": 1, \"name\": \"Acme\", \"company\": \"Acme\"}," \
	" \"assignee\": null, \"created_at\": \"2026-12-01T10:00:00Z\","       \
	" \"updated_at\": \"2026-12-01T10:00:00Z\","                           \
	" \"due_at\": \"2026-12-05T12:00:00Z\","                               \
	" \"comment_count\": 0, \"attachment_count\": 0"

/* The queue with task 1's detail asked for and not answered yet. */
static struct harness *
opening(void)
{
	static const char page[] = "{\"results\": [{" TASK_FIELDS
	                           ", \"description\": \"\"}], \"next\": null}";
	struct harness *h = harness_queue_with(page);

	harness_action(h, ACTION_OPEN, NULL);
	assert_non_null(harness_request(h, "GET", "/tasks/1"));
	return h;
}

/* Answers the detail with a description of n lines "line K". */
static void
give_detail(struct harness *h, int n)
{
	char *desc = xstrdup(""), *body, *next;
	int i;

	for (i = 1; i <= n; i++) {
		next = xasprintf("%s%sline %d", desc, i > 1 ? "\\n" : "", i);
		free(desc);
		desc = next;
	}
	body = xasprintf("{" TASK_FIELDS ", \"description\": \"%s\","
	                 " \"comments\": [], \"attachments\": []}",
	                 desc);
	harness_reply(h, harness_request(h, "GET", "/tasks/1"), 200, body);
	free(body);
	free(desc);
}

/* Before the detail is in: r asks nothing more (one fetch in flight),
 * and w finds no attachment to save yet. */
static void
task_info__loading__refresh_and_save_wait_for_it(void **state)
{
	struct harness *h = opening();

	(void)state;
	harness_action(h, ACTION_REFRESH, NULL);
	assert_int_equal(harness_nrequests(h), 1);
	harness_action(h, ACTION_SAVE_ATTACHMENT, NULL);
	assert_string_equal(harness_notice(h), "this task has no attachments");
	assert_int_equal(harness_nrequests(h), 1);
	harness_free(h);
}

/* A closed task's due date is shown as a plain date (no "overdue"). */
static void
task_info__due__closed_task_shows_the_date(void **state)
{
	struct harness *h = opening();
	int y;

	(void)state;
	give_detail(h, 1);
	harness_draw(h);
	assert_true(harness_find(h, "Due", &y, NULL));
	assert_non_null(strstr(harness_row(h, y), "2026-12-05"));
	assert_null(strstr(harness_row(h, y), "overdue"));
	harness_free(h);
}

/* A long description scrolls with j and its footer says where; a key
 * that means nothing in the detail says so. */
static void
task_info__scroll__footer_follows_and_other_keys_do_nothing(void **state)
{
	struct harness *h = opening();

	(void)state;
	give_detail(h, 60);
	harness_see(h, "line 1");
	harness_see(h, " lines 1-");
	harness_key(h, 'j');
	harness_see(h, " lines 2-");
	harness_action(h, ACTION_MARK, NULL);
	assert_string_equal(harness_notice(h), "mark does nothing here");
	harness_see(h, " lines 2-");
	harness_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    task_info__loading__refresh_and_save_wait_for_it),
		cmocka_unit_test(task_info__due__closed_task_shows_the_date),
		cmocka_unit_test(
		    task_info__scroll__footer_follows_and_other_keys_do_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
