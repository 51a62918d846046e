/* The task queue as a person sees it, through the pane harness: pages,
 * live events through the store's version rule, rows found by id. */
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
#include "net/store/comment_store.h"
#include "net/store/store.h"
#include "net/store/task_store.h"
#include "tests/unit/views/harness.h"
#include "views/tasks/triage.h"

/* One task as the service sends it. */
static char *
task_json(long long id, long long version, const char *title,
          const char *priority)
{
	return xasprintf(
	    "{\"id\": %lld, \"version\": %lld, \"title\": \"%s\","
	    " \"description\": \"\", \"status\": \"new\","
	    " \"priority\": \"%s\", \"client\": {\"id\": 1, \"name\":"
	    " \"Acme\", \"company\": \"Acme Inc\"}, \"assignee\": null,"
	    " \"created_at\": \"2026-12-01T10:00:00Z\","
	    " \"updated_at\": \"2026-12-01T10:00:00Z\", \"due_at\": null,"
	    " \"comment_count\": 0, \"attachment_count\": 0}",
	    id, version, title, priority);
}

/* A page of tasks from..to (titles "task N", normal priority). */
static char *
page_json(long long from, long long to, const char *next)
{
	char *out = xstrdup("{\"results\": [");
	long long id;

	for (id = from; id <= to; id++) {
		char title[32], *t, *joined;

		snprintf(title, sizeof title, "task %lld", id);
		t = task_json(id, 1, title, "normal");
		joined = xasprintf("%s%s%s", out, id > from ? ", " : "", t);
		free(out);
		free(t);
		out = joined;
	}
	{
		char *joined = xasprintf("%s], \"next\": %s}", out, next);

		free(out);
		return joined;
	}
}

/* A signed-in staff member with the queue open and its first page in. */
static struct harness *
queue_with(long long from, long long to, const char *next)
{
	char *body = page_json(from, to, next);
	struct harness *h = harness_queue_with(body);

	free(body);
	return h;
}

/* A task event, as the event stream hands it over. */
static void
send_task(struct harness *h, bool created, long long id, long long version,
          const char *title, enum task_priority priority)
{
	struct event_payload e = { 0 };
	struct app_event ev = { .kind = APP_EV_SERVER, .data = &e };

	e.type = created ? EVENT_TASK_CREATED : EVENT_TASK_UPDATED;
	e.task.id = id;
	e.task.version = version;
	e.task.title = (char *)title;
	e.task.priority = priority;
	e.task.status = TASK_NEW;
	task_set_client(&e.task, 1, "Acme", NULL);
	harness_event(h, &ev);
	client_ref_drop(e.task.client);
}

static const struct task_store *
tasks(struct harness *h)
{
	return harness_app(h)->store->tasks;
}

/* The oldest GET /tasks page asked with a cursor (the head's next page,
 * not the reversed query's first, which G asks for too), or NULL. */
static struct harness_request *
next_page_asked(struct harness *h)
{
	struct harness_request *r;

	for (r = harness_requests(h); r != NULL; r = r->next)
		if (strncmp(r->path, "/tasks?", 7) == 0 &&
		    strstr(r->path, "cursor=") != NULL)
			return r;
	return NULL;
}

/* ---- tests ------------------------------------------------------------- */

static void
test_task_queue__pages_are_held_once_in_the_store(void **state)
{
	struct harness *h = queue_with(1, 5, "\"c2\"");
	struct harness_request *r;
	char *body;

	(void)state;
	harness_see(h, "task 1");
	harness_see(h, "5+ tasks");
	assert_int_equal(task_store_queue_count(tasks(h)), 5);
	/* G goes to the end, which asks for the next page. */
	harness_action(h, ACTION_BOTTOM, NULL);
	r = next_page_asked(h);
	assert_non_null(r);
	assert_non_null(strstr(r->path, "cursor=c2"));
	body = page_json(6, 8, "null");
	harness_reply(h, r, 200, body);
	free(body);
	harness_see(h, "8 tasks");
	assert_int_equal(task_store_count(tasks(h)), 8);
	assert_int_equal(task_store_queue_pos(tasks(h), 8), 7);
	harness_free(h);
}

static void
test_task_queue__an_older_or_replayed_event_changes_nothing(void **state)
{
	struct harness *h = queue_with(1, 3, "null");

	(void)state;
	send_task(h, false, 2, 3, "renamed v3", PRIORITY_NORMAL);
	harness_see(h, "renamed v3");
	send_task(h, false, 2, 2, "stale v2", PRIORITY_NORMAL);
	harness_not_see(h, "stale v2");
	send_task(h, false, 2, 3, "replay v3", PRIORITY_NORMAL);
	harness_not_see(h, "replay v3");
	harness_see(h, "renamed v3");
	assert_int_equal(task_store_queue_count(tasks(h)), 3);
	harness_free(h);
}

static void
test_task_queue__a_new_task_is_inserted_at_its_place_and_marked(void **state)
{
	struct harness *h = queue_with(1, 3, "null");
	int y1, y9, y3;

	(void)state;
	/* The default sort is -priority: an urgent task goes first. */
	send_task(h, true, 9, 1, "fresh urgent", PRIORITY_URGENT);
	assert_int_equal(task_store_queue_pos(tasks(h), 9), 0);
	assert_int_equal(task_store_queue_pos(tasks(h), 3), 3);
	harness_draw(h);
	assert_true(harness_find(h, "fresh urgent", &y9, NULL));
	assert_true(harness_find(h, "task 1", &y1, NULL));
	assert_true(harness_find(h, "task 3", &y3, NULL));
	assert_true(y9 < y1 && y1 < y3);
	assert_int_equal(harness_row(h, y9)[0], '*');
	harness_see(h, "4 tasks");
	/* A replay of the creation after a reconnect: still one row. */
	send_task(h, true, 9, 1, "fresh urgent", PRIORITY_URGENT);
	assert_int_equal(task_store_queue_count(tasks(h)), 4);
	/* The cursor stayed on task 1, now the second row. */
	harness_action(h, ACTION_OPEN, NULL);
	harness_see(h, "task 1");
	harness_free(h);
}

static void
test_task_queue__a_page_does_not_repeat_a_live_insertion(void **state)
{
	struct harness *h = queue_with(1, 3, "\"c2\"");
	struct harness_request *r;
	char *body;

	(void)state;
	send_task(h, true, 4, 1, "task 4", PRIORITY_URGENT);
	assert_int_equal(task_store_queue_count(tasks(h)), 4);
	harness_action(h, ACTION_BOTTOM, NULL);
	r = next_page_asked(h);
	assert_non_null(r);
	body = page_json(4, 6, "null");
	harness_reply(h, r, 200, body);
	free(body);
	assert_int_equal(task_store_queue_count(tasks(h)), 6);
	harness_see(h, "6 tasks");
	harness_free(h);
}

/* The PATCH the triage sent for task id, answered with the task's new
 * version (status as sent) or an error. */
static struct harness_request *
patch_for(struct harness *h, long long id)
{
	char path[32];
	struct harness_request *r;

	snprintf(path, sizeof path, "/tasks/%lld", id);
	r = harness_request(h, "PATCH", path);
	assert_non_null(r);
	return r;
}

/* The status cell of task id's row, as drawn. */
static const char *
row_of(struct harness *h, const char *title)
{
	int y;

	harness_draw(h);
	if (!harness_find(h, title, &y, NULL)) {
		harness_dump(h);
		fail_msg("no row \"%s\"", title);
	}
	return harness_row(h, y);
}

static void
test_triage__a_change_shows_at_once_and_takes_the_answer(void **state)
{
	struct harness *h = queue_with(1, 3, "null");
	struct harness_request *r;
	char *answer;

	(void)state;
	harness_action(h, ACTION_SET_PRIORITY, "urgent");
	/* Optimistic: the store holds the change before any answer. */
	assert_int_equal(task_store_get(tasks(h), 1)->priority,
	                 PRIORITY_URGENT);
	assert_true(task_store_pending(tasks(h), 1));
	assert_non_null(strstr(row_of(h, "task 1"), "urg"));
	r = patch_for(h, 1);
	answer = task_json(1, 2, "task 1 v2", "urgent");
	harness_reply(h, r, 200, answer);
	free(answer);
	assert_false(task_store_pending(tasks(h), 1));
	assert_int_equal(task_store_get(tasks(h), 1)->version, 2);
	harness_see(h, "task 1 v2");
	harness_free(h);
}

static void
test_triage__a_failed_change_rolls_back(void **state)
{
	struct harness *h = queue_with(1, 3, "null");
	struct harness_request *r;

	(void)state;
	harness_action(h, ACTION_SET_PRIORITY, "urgent");
	assert_non_null(strstr(row_of(h, "task 1"), "urg"));
	r = patch_for(h, 1);
	harness_reply(h, r, 500,
	              "{\"error\": {\"code\": \"server_error\","
	              " \"message\": \"boom\"}}");
	assert_false(task_store_pending(tasks(h), 1));
	assert_int_equal(task_store_get(tasks(h), 1)->priority,
	                 PRIORITY_NORMAL);
	assert_null(strstr(row_of(h, "task 1"), "urg"));
	harness_free(h);
}

static void
test_triage__undo_works_for_ten_seconds_only(void **state)
{
	struct harness *h = queue_with(1, 3, "null");
	struct harness_request *r;
	char *answer;

	(void)state;
	harness_action(h, ACTION_SET_PRIORITY, "high");
	r = patch_for(h, 1);
	answer = task_json(1, 2, "task 1", "high");
	harness_reply(h, r, 200, answer);
	free(answer);
	harness_advance(h, 9000);
	harness_action(h, ACTION_UNDO, NULL);
	r = patch_for(h, 1);
	assert_non_null(strstr(r->body, "normal"));
	/* The undo is shown at once too. */
	assert_int_equal(task_store_get(tasks(h), 1)->priority,
	                 PRIORITY_NORMAL);
	answer = task_json(1, 3, "task 1", "normal");
	harness_reply(h, r, 200, answer);
	free(answer);
	/* Another change, and this time the undo comes too late. */
	harness_action(h, ACTION_SET_PRIORITY, "low");
	r = patch_for(h, 1);
	answer = task_json(1, 4, "task 1", "low");
	harness_reply(h, r, 200, answer);
	free(answer);
	harness_advance(h, TRIAGE_UNDO_MS + 1);
	harness_action(h, ACTION_UNDO, NULL);
	assert_null(harness_request(h, "PATCH", "/tasks/1"));
	assert_non_null(strstr(harness_notice(h), "nothing to undo"));
	harness_free(h);
}

static void
test_task_info__an_older_detail_does_not_undo_a_live_event(void **state)
{
	struct harness *h = queue_with(1, 3, "null");
	struct harness_request *r;
	char *task, *detail;

	(void)state;
	send_task(h, false, 1, 5, "live v5", PRIORITY_NORMAL);
	harness_action(h, ACTION_OPEN, NULL);
	r = harness_request(h, "GET", "/tasks/1");
	assert_non_null(r);
	/* The answer left the service before the event's change. */
	task = task_json(1, 4, "detail v4", "normal");
	task[strlen(task) - 1] = '\0'; /* reopen the object */
	detail = xasprintf("%s, \"comments\": [], \"attachments\": []}", task);
	harness_reply(h, r, 200, detail);
	free(detail);
	free(task);
	harness_see(h, "live v5");
	harness_not_see(h, "detail v4");
	assert_int_equal(task_store_get(tasks(h), 1)->version, 5);
	harness_free(h);
}

/* A comment.created for task task_id, as the event stream hands it over. */
static void
send_comment(struct harness *h, long long task_id, long long id,
             const char *body)
{
	struct event_payload e = { 0 };
	struct app_event ev = { .kind = APP_EV_SERVER, .data = &e };

	e.type = EVENT_COMMENT_CREATED;
	e.task_id = task_id;
	e.comment.id = id;
	e.comment.body = (char *)body;
	e.comment.author.name = "Ann";
	e.comment.author.kind = AUTHOR_STAFF;
	e.comment.created_at = 1764583200 + id; /* 2025-12-01, by id */
	harness_event(h, &ev);
}

/* Answers the open detail's GET /tasks/{id} with comments (JSON list
 * items, may be ""), no attachments. */
static void
answer_detail(struct harness *h, long long id, const char *comments)
{
	struct harness_request *r;
	char path[32], *task, *detail;

	snprintf(path, sizeof path, "/tasks/%lld", id);
	r = harness_request(h, "GET", path);
	assert_non_null(r);
	task = task_json(id, 1, "the open task", "normal");
	task[strlen(task) - 1] = '\0'; /* reopen the object */
	detail = xasprintf("%s, \"comments\": [%s], \"attachments\": []}", task,
	                   comments);
	harness_reply(h, r, 200, detail);
	free(detail);
	free(task);
}

/* One comment in the service's JSON. */
static char *
comment_json(long long id, const char *body)
{
	return xasprintf(
	    "{\"id\": %lld, \"author\": {\"id\": 3, \"kind\":"
	    " \"staff\", \"name\": \"Ann\"}, \"body\": \"%s\","
	    " \"internal\": false, \"created_at\":"
	    " \"2025-12-01T10:00:%02lldZ\", \"client_msg_id\": null}",
	    id, body, id);
}

/* How many times text is on the screen, drawn now. */
static int
times_seen(struct harness *h, const char *text)
{
	const char *p;
	int n = 0;

	harness_draw(h);
	for (p = strstr(harness_screen(h), text); p != NULL;
	     p = strstr(p + 1, text))
		n++;
	return n;
}

static void
test_task_info__a_replayed_comment_shows_once(void **state)
{
	struct harness *h = queue_with(1, 3, "null");

	(void)state;
	harness_action(h, ACTION_OPEN, NULL);
	answer_detail(h, 1, "");
	harness_see(h, "Comments (0)");
	send_comment(h, 1, 5, "the disk is full");
	send_comment(h, 1, 5, "the disk is full"); /* a reconnect's replay */
	harness_see(h, "Comments (1)");
	assert_int_equal(times_seen(h, "the disk is full"), 1);
	harness_free(h);
}

static void
test_task_info__a_comment_before_the_detail_is_not_lost_nor_doubled(
    void **state)
{
	struct harness *h = queue_with(1, 3, "null");
	char *c2 = comment_json(2, "older one"), *c5 = comment_json(5, "live");
	char *both = xasprintf("%s, %s", c2, c5);

	(void)state;
	harness_action(h, ACTION_OPEN, NULL);
	send_comment(h, 1, 5, "live"); /* before the GET answers */
	send_comment(h, 1, 7, "after the GET left the service");
	harness_see(h, "(loading...)");
	answer_detail(h, 1, both); /* the GET brings 5 too */
	harness_see(h, "Comments (3)");
	harness_action(h, ACTION_BOTTOM, NULL); /* all three in sight */
	assert_int_equal(times_seen(h, "live"), 1);
	assert_int_equal(times_seen(h, "older one"), 1);
	assert_int_equal(times_seen(h, "after the GET left the service"), 1);
	/* In the server's order: 2, 5, 7. */
	assert_true(strstr(harness_screen(h), "older one") <
	            strstr(harness_screen(h), "live"));
	assert_true(strstr(harness_screen(h), "live") <
	            strstr(harness_screen(h), "after the GET"));
	free(both);
	free(c2);
	free(c5);
	harness_free(h);
}

static void
test_task_info__a_comment_for_another_task_does_not_show(void **state)
{
	struct harness *h = queue_with(1, 3, "null");

	(void)state;
	harness_action(h, ACTION_OPEN, NULL);
	answer_detail(h, 1, "");
	send_comment(h, 2, 9, "about task two");
	harness_see(h, "Comments (0)");
	harness_not_see(h, "about task two");
	/* The store holds it for task 2 all the same. */
	assert_non_null(comment_store_find(harness_app(h)->store->comments, 9));
	harness_free(h);
}

static void
test_task_info__a_task_forgotten_while_open_shows_as_gone(void **state)
{
	struct harness *h = queue_with(1, 3, "null");
	struct store *st = harness_app(h)->store;

	(void)state;
	harness_action(h, ACTION_OPEN, NULL);
	answer_detail(h, 1, "");
	harness_see(h, "task 1");
	task_store_forget(st->tasks, 1); /* nothing of it may be read now */
	harness_see(h, "(this task no longer exists)");
	harness_not_see(h, "task 1");
	harness_action(h, ACTION_BACK, NULL);
	harness_see(h, "task 2");
	harness_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_task_queue__pages_are_held_once_in_the_store),
		cmocka_unit_test(
		    test_task_queue__an_older_or_replayed_event_changes_nothing),
		cmocka_unit_test(
		    test_task_queue__a_new_task_is_inserted_at_its_place_and_marked),
		cmocka_unit_test(
		    test_task_queue__a_page_does_not_repeat_a_live_insertion),
		cmocka_unit_test(
		    test_triage__a_change_shows_at_once_and_takes_the_answer),
		cmocka_unit_test(test_triage__a_failed_change_rolls_back),
		cmocka_unit_test(test_triage__undo_works_for_ten_seconds_only),
		cmocka_unit_test(
		    test_task_info__an_older_detail_does_not_undo_a_live_event),
		cmocka_unit_test(test_task_info__a_replayed_comment_shows_once),
		cmocka_unit_test(
		    test_task_info__a_comment_before_the_detail_is_not_lost_nor_doubled),
		cmocka_unit_test(
		    test_task_info__a_comment_for_another_task_does_not_show),
		cmocka_unit_test(
		    test_task_info__a_task_forgotten_while_open_shows_as_gone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
