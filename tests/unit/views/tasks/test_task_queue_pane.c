/* The task queue pane's own logic through the pane harness: paging and
 * its errors, filter and sort, marks and a bulk change, the cursor kept
 * by id under live events, the detail opened and closed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cJSON.h>
#include <cmocka.h>

#include "net/base/xmalloc.h"
#include "net/client/model.h"
#include "net/store/store.h"
#include "net/store/task_store.h"
#include "tests/unit/views/harness.h"
#include "views/tasks/task_queue.h"

/* One task as the service sends it, titled "row ID". */
static cJSON *
task_obj(long long id, long long version, const char *status,
         const char *priority)
{
	cJSON *t = cJSON_CreateObject();
	cJSON *client = cJSON_AddObjectToObject(t, "client");
	char title[32];

	snprintf(title, sizeof title, "row %lld", id);
	cJSON_AddNumberToObject(t, "id", (double)id);
	cJSON_AddNumberToObject(t, "version", (double)version);
	cJSON_AddStringToObject(t, "title", title);
	cJSON_AddStringToObject(t, "description", "");
	cJSON_AddStringToObject(t, "status", status);
	cJSON_AddStringToObject(t, "priority", priority);
	cJSON_AddNumberToObject(client, "id", 1);
	cJSON_AddStringToObject(client, "name", "Acme");
	cJSON_AddStringToObject(client, "company", "Acme Inc");
	cJSON_AddNullToObject(t, "assignee");
	cJSON_AddStringToObject(t, "created_at", "2026-12-01T10:00:00Z");
	cJSON_AddStringToObject(t, "updated_at", "2026-12-01T10:00:00Z");
	cJSON_AddNullToObject(t, "due_at");
	cJSON_AddNumberToObject(t, "comment_count", 0);
	cJSON_AddNumberToObject(t, "attachment_count", 0);
	return t;
}

/* Prints and deletes json; the caller frees the text (cJSON_free). */
static char *
text_of(cJSON *json)
{
	char *text = cJSON_PrintUnformatted(json);

	cJSON_Delete(json);
	return text;
}

/* A page of tasks first..last (version 1) with status and priority,
 * and the next page's cursor (NULL: none). */
static char *
page_of(long long first, long long last, const char *status,
        const char *priority, const char *next)
{
	cJSON *page = cJSON_CreateObject();
	cJSON *results = cJSON_AddArrayToObject(page, "results");
	long long id;

	for (id = first; id <= last; id++)
		cJSON_AddItemToArray(results,
		                     task_obj(id, 1, status, priority));
	if (next != NULL)
		cJSON_AddStringToObject(page, "next", next);
	else
		cJSON_AddNullToObject(page, "next");
	return text_of(page);
}

/* Answers the oldest GET /tasks (which must be there) with a page of
 * open, normal tasks; returns the path it asked for (freed by the
 * caller). */
static char *
answer_page(struct harness *h, long long first, long long last,
            const char *next)
{
	struct harness_request *r = harness_request(h, "GET", "/tasks?");
	char *body = page_of(first, last, "new", "normal", next), *path;

	if (r == NULL) {
		harness_dump(h);
		fail_msg("no GET /tasks asked");
	}
	path = xstrdup(r->path);
	harness_reply(h, r, 200, body);
	cJSON_free(body);
	return path;
}

/* Like answer_page, for a caller that does not look at the path. */
static void
give_page(struct harness *h, long long first, long long last, const char *next)
{
	free(answer_page(h, first, last, next));
}

static struct harness_request *tasks_asked(struct harness *h, const char *part,
                                           bool with);

/* The queue just signed in with triage rights: its first page asked. */
static struct harness *
signed_in(void)
{
	struct harness *h = harness_new(24, 100);

	harness_sign_in(h, 7, "technician",
	                PERM_TASKS_READ | PERM_TASKS_UPDATE);
	harness_open(h, PANE_TASKS);
	harness_event_kind(h, APP_EV_SIGNED_IN, 0);
	return h;
}

/* ...and its first page in: tasks 1..rows. */
static struct harness *
queue(long long rows, const char *next)
{
	struct harness *h = signed_in();

	give_page(h, 1, rows, next);
	return h;
}

static bool
on_screen(struct harness *h, const char *text)
{
	harness_draw(h);
	return harness_find(h, text, NULL, NULL);
}

/* Fails, with the screen, unless text is (shown) or is not on it. */
static void
expect(struct harness *h, const char *text, bool shown)
{
	if (on_screen(h, text) != shown) {
		harness_dump(h);
		fail_msg("\"%s\" %s", text,
		         shown ? "is not on screen" : "is on screen");
	}
}

/* The id of the task under the cursor: Enter opens its detail, whose
 * fetch names it; Escape comes back. */
static long long
selected(struct harness *h)
{
	struct harness_request *r;
	long long id = -1;

	harness_key(h, KEYC_ENTER);
	r = harness_request(h, "GET", "/tasks/");
	if (r == NULL || sscanf(r->path, "/tasks/%lld", &id) != 1) {
		harness_dump(h);
		fail_msg("Enter opened no task");
	}
	harness_key(h, KEYC_ESCAPE);
	return id;
}

/* Presses key n times. */
static void
press_n(struct harness *h, key_code key, int n)
{
	while (n-- > 0)
		harness_key(h, key);
}

static const struct task_store *
store_tasks(struct harness *h)
{
	return harness_app(h)->store->tasks;
}

/* Task id's priority as the store holds it. */
static enum task_priority
priority_of(struct harness *h, long long id)
{
	return task_store_get(store_tasks(h), id)->priority;
}

/* ---- paging ------------------------------------------------------------ */

static void
queue__next_page_is_asked_near_the_end_and_appended(void **state)
{
	struct harness *h = queue(100, "p2");
	char *path;

	(void)state;
	expect(h, "100+ tasks", true);
	/* Within two pages of the end (here the first move) the next page
	 * is asked for, once: one page in flight however fast the keys. */
	harness_key(h, 'j');
	assert_non_null(harness_request(h, "GET", "/tasks?"));
	expect(h, "loading...", true);
	press_n(h, 'j', 80);
	assert_int_equal(harness_nrequests(h), 1);
	path = answer_page(h, 101, 150, NULL);
	assert_non_null(strstr(path, "cursor=p2"));
	assert_non_null(strstr(path, "limit=500"));
	free(path);
	expect(h, "150 tasks", true);
	assert_int_equal(task_store_queue_count(store_tasks(h)), 150);
	assert_int_equal(task_store_queue_pos(store_tasks(h), 150), 149);
	/* The cursor stayed on its task. */
	assert_int_equal(selected(h), 82);
	/* The last page had no next: the end asks for nothing. */
	harness_key(h, 'G');
	assert_int_equal(harness_nrequests(h), 0);
	assert_int_equal(selected(h), 150);
	harness_free(h);
}

static void
queue__a_failed_page_is_said_and_asked_again(void **state)
{
	struct harness *h = queue(30, "p2");
	struct harness_request *r;
	char *body;

	(void)state;
	harness_key(h, 'G');
	/* The head's next page (asked as soon as the first was in; G asks
	 * the tail's besides) fails. */
	r = tasks_asked(h, "cursor=p2", true);
	assert_non_null(r);
	harness_reply(h, r, 503,
	              "{\"error\": {\"code\": \"unavailable\","
	              " \"message\": \"down for a minute\"}}");
	assert_non_null(strstr(harness_notice(h), "down for a minute"));
	/* The rows loaded stay, with the cursor where it was. */
	expect(h, "row 30", true);
	expect(h, "30+ tasks", true);
	assert_int_equal(selected(h), 30);
	/* Moving at the end asks for the same page again. */
	harness_key(h, 'k');
	r = tasks_asked(h, "cursor=p2", true);
	assert_non_null(r);
	body = page_of(31, 35, "new", "normal", NULL);
	harness_reply(h, r, 200, body);
	cJSON_free(body);
	expect(h, "35 tasks", true);
	harness_free(h);
}

static void
queue__a_failed_first_page_says_r_retries(void **state)
{
	struct harness *h = signed_in();
	struct harness_request *r;

	(void)state;
	expect(h, "loading tasks...", true);
	r = harness_request(h, "GET", "/tasks?");
	harness_fail(h, r, SC_ERR_NETWORK, "connection refused");
	expect(h, "could not load tasks: connection refused (r retries)", true);
	harness_key(h, 'r');
	r = harness_request(h, "GET", "/tasks?");
	assert_non_null(r);
	assert_null(strstr(r->path, "cursor="));
	give_page(h, 1, 3, NULL);
	expect(h, "could not load", false);
	expect(h, "row 3", true);
	harness_free(h);
}

static void
queue__refresh_keeps_the_selected_task(void **state)
{
	struct harness *h = queue(10, NULL);
	struct harness_request *r;
	char *body;

	(void)state;
	press_n(h, 'j', 4);
	assert_int_equal(selected(h), 5);
	harness_key(h, 'r');
	/* The service's order changed: task 5 now comes second. */
	r = harness_request(h, "GET", "/tasks?");
	assert_non_null(r);
	body = page_of(4, 8, "new", "normal", NULL);
	harness_reply(h, r, 200, body);
	cJSON_free(body);
	assert_int_equal(task_store_queue_pos(store_tasks(h), 5), 1);
	assert_int_equal(selected(h), 5);
	expect(h, "5 tasks", true);
	expect(h, "row 10", false);
	harness_free(h);
}

/* ---- filter and sort --------------------------------------------------- */

/* key opens the command line with opened in it; line is submitted in
 * its place and must ask for a first page, which is returned. */
static struct harness_request *
command(struct harness *h, key_code key, const char *opened, const char *line)
{
	struct harness_request *r;

	harness_key(h, key);
	assert_string_equal(harness_line(h), opened);
	harness_line_submit(h, line);
	r = harness_request(h, "GET", "/tasks?");
	assert_non_null(r);
	assert_null(strstr(r->path, "cursor="));
	return r;
}

static void
queue__filter_asks_again_and_replaces_the_rows(void **state)
{
	struct harness *h = queue(5, NULL);
	struct harness_request *r;
	char *body;

	(void)state;
	expect(h, "status=new,in_progress,waiting_on_client", true);
	/* f opens the line with "filter " in it. */
	r = command(h, 'f', "filter ", "filter status=done");
	assert_non_null(strstr(r->path, "status=done"));
	assert_null(strstr(r->path, "in_progress"));
	/* The old rows stay until the new page is in. */
	expect(h, "row 1", true);
	body = page_of(40, 42, "done", "low", NULL);
	harness_reply(h, r, 200, body);
	cJSON_free(body);
	expect(h, "row 1 ", false);
	expect(h, "row 42", true);
	expect(h, "status=done |", true);
	expect(h, "3 tasks", true);
	/* A bad filter is said and changes nothing. */
	harness_action(h, ACTION_FILTER, "status=bogus");
	assert_non_null(strstr(harness_notice(h), "unknown status: bogus"));
	assert_int_equal(harness_nrequests(h), 0);
	expect(h, "status=done |", true);
	harness_free(h);
}

static void
queue__sort_asks_again_in_that_order(void **state)
{
	struct harness *h = queue(5, NULL);
	struct harness_request *r;

	(void)state;
	expect(h, "sort default", true);
	r = command(h, 's', "sort ", "sort -created_at");
	assert_non_null(strstr(r->path, "sort=-created_at"));
	give_page(h, 6, 9, NULL);
	expect(h, "sort -created_at |", true);
	expect(h, "row 9", true);
	expect(h, "row 5", false);
	harness_action(h, ACTION_SORT, "sideways");
	assert_int_equal(harness_nrequests(h), 0);
	expect(h, "sort -created_at |", true);
	harness_free(h);
}

/* Answers r with page (deleted here), the last of its kind (no next). */
static void
reply_last_page(struct harness *h, struct harness_request *r, cJSON *page)
{
	char *body;

	cJSON_AddNullToObject(page, "next");
	body = text_of(page);
	harness_reply(h, r, 200, body);
	cJSON_free(body);
}

/* Answers r with a page of open, normal tasks: the n ids given. */
static void
reply_ids(struct harness *h, struct harness_request *r, const long long *ids,
          size_t n)
{
	cJSON *page = cJSON_CreateObject();
	cJSON *results = cJSON_AddArrayToObject(page, "results");
	size_t i;

	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(results,
		                     task_obj(ids[i], 1, "new", "normal"));
	reply_last_page(h, r, page);
}

/* Answers r with page (deleted) and the next page's cursor (NULL: none). */
static void
reply_next(struct harness *h, struct harness_request *r, cJSON *page,
           const char *next)
{
	char *body;

	if (next != NULL)
		cJSON_AddStringToObject(page, "next", next);
	else
		cJSON_AddNullToObject(page, "next");
	body = text_of(page);
	harness_reply(h, r, 200, body);
	cJSON_free(body);
}

/* Answers r with tasks from..to (stepping down when from > to), due at
 * due (NULL: no due date), and the next page's cursor (NULL: none). */
static void
reply_tasks(struct harness *h, struct harness_request *r, long long from,
            long long to, const char *due, const char *next)
{
	cJSON *page = cJSON_CreateObject();
	cJSON *results = cJSON_AddArrayToObject(page, "results");
	long long id, step = from <= to ? 1 : -1;

	if (r == NULL) {
		harness_dump(h);
		fail_msg("no GET /tasks asked");
	}
	for (id = from; id != to + step; id += step) {
		cJSON *t = task_obj(id, 1, "new", "normal");

		if (due != NULL)
			cJSON_ReplaceItemInObject(t, "due_at",
			                          cJSON_CreateString(due));
		cJSON_AddItemToArray(results, t);
	}
	reply_next(h, r, page, next);
}

/* Answers r with tasks from..to (stepping down when from > to) and the
 * next page's cursor (NULL: none). */
static void
reply_run(struct harness *h, struct harness_request *r, long long from,
          long long to, const char *next)
{
	reply_tasks(h, r, from, to, NULL, next);
}

/* The oldest GET /tasks whose path holds part (with) or not, or NULL. */
static struct harness_request *
tasks_asked(struct harness *h, const char *part, bool with)
{
	struct harness_request *r;

	for (r = harness_requests(h); r != NULL; r = r->next)
		if (strncmp(r->path, "/tasks?", 7) == 0 &&
		    (strstr(r->path, part) != NULL) == with)
			return r;
	return NULL;
}

/* How many GET /tasks (list pages) whose path holds part wait. */
static size_t
pages_asked(struct harness *h, const char *part)
{
	struct harness_request *r;
	size_t n = 0;

	for (r = harness_requests(h); r != NULL; r = r->next)
		n += strncmp(r->path, "/tasks?", 7) == 0 &&
		     strstr(r->path, part) != NULL;
	return n;
}

/*
 * G on a queue not all loaded: the reversed query's first page (the
 * default order reversed is sort=priority) shows the last tasks at once
 * after a gap row, the cursor on the last; the head fills the gap in
 * the background, one page at a time, the cursor staying on its task,
 * until a page meets the tail: then the gap goes and nothing more is
 * asked.
 */
static void
queue__G_shows_the_end_at_once_then_fills_the_gap(void **state)
{
	struct harness *h = queue(30, "p2");
	struct harness_request *tail, *head;

	(void)state;
	harness_key(h, 'G');
	tail = tasks_asked(h, "sort=priority&", true);
	assert_non_null(tail);
	assert_null(strstr(tail->path, "cursor="));
	assert_non_null(strstr(tail->path, "limit=500"));
	reply_run(h, tail, 1000, 991, "t2");
	expect(h, "loading the tasks between", true);
	assert_int_equal(selected(h), 1000);
	assert_int_equal(task_store_queue_gap(store_tasks(h)), 30);
	/* The head walks on by itself, one request at a time; the cursor,
	 * near the tail's top, has its earlier page asked too. */
	head = tasks_asked(h, "cursor=p2", true);
	assert_non_null(head);
	assert_int_equal(pages_asked(h, "cursor=p"), 1);
	assert_int_equal(pages_asked(h, "cursor=t2"), 1);
	reply_run(h, head, 31, 60, "p3");
	assert_int_equal(selected(h), 1000);
	head = tasks_asked(h, "cursor=p3", true);
	assert_non_null(head);
	reply_run(h, head, 61, 995, "p4"); /* 991..995: the tail's */
	assert_int_equal(task_store_queue_gap(store_tasks(h)), -1);
	assert_int_equal(task_store_queue_count(store_tasks(h)), 1000);
	assert_int_equal(task_store_queue_pos(store_tasks(h), 991), 990);
	expect(h, "loading the tasks between", false);
	expect(h, "1000 tasks", true);
	assert_int_equal(selected(h), 1000);
	assert_int_equal(pages_asked(h, ""), 0);
	harness_free(h);
}

/* The footer counts tasks: the gap row between the head and the tail is
 * none (30 + 10 tasks loaded, 41 rows). */
static void
queue__the_footer_counts_tasks_not_the_gap_row(void **state)
{
	struct harness *h = queue(30, "p2");

	(void)state;
	harness_key(h, 'G');
	reply_run(h, tasks_asked(h, "sort=priority&", true), 1000, 991, "t2");
	assert_int_equal(task_store_queue_count(store_tasks(h)), 41);
	expect(h, "40+ tasks", true);
	expect(h, "41+ tasks", false);
	harness_free(h);
}

/*
 * The background fill stops at the pane's cap (here 1,200 rows, not
 * 200,000): past it, with the cursor far from the gap, the pages in
 * flight land and nothing more is asked; the gap stays.
 */
static void
queue__the_fill_stops_at_its_cap(void **state)
{
	struct harness *h = queue(30, "p2");

	(void)state;
	task_queue_set_fill_cap(harness_pane(h, PANE_TASKS), 1200);
	harness_key(h, 'G');
	/* 1,100 tail rows: the cursor, on the last, is more than two pages
	 * below the gap, so it asks nothing itself. */
	reply_run(h, tasks_asked(h, "sort=priority&", true), 5000, 3901, "t2");
	assert_int_equal(selected(h), 5000);
	/* 1,131 rows: under the cap, both parts walk on. */
	reply_run(h, tasks_asked(h, "cursor=p2", true), 31, 130, "p3");
	reply_run(h, tasks_asked(h, "cursor=t2", true), 3900, 3801, "t3");
	assert_int_equal(task_store_queue_count(store_tasks(h)), 1331);
	assert_int_equal(pages_asked(h, ""), 0);
	assert_true(task_store_queue_gap(store_tasks(h)) >= 0);
	assert_int_equal(selected(h), 5000);
	harness_free(h);
}

/* Scrolling up the tail fetches its earlier tasks, backwards; a reload
 * clears head, gap and tail. */
static void
queue__scrolling_up_the_tail_fetches_backwards(void **state)
{
	struct harness *h = queue(30, "p2");
	struct harness_request *r;

	(void)state;
	harness_key(h, 'G');
	reply_run(h, tasks_asked(h, "sort=priority&", true), 5000, 4991, "t2");
	harness_key(h, 'k');
	r = tasks_asked(h, "cursor=t2", true);
	assert_non_null(r);
	assert_non_null(strstr(r->path, "sort=priority&"));
	reply_run(h, r, 4990, 4981, "t3");
	assert_int_equal(task_store_queue_pos(store_tasks(h), 4981), 31);
	assert_int_equal(selected(h), 4999);
	harness_action(h, ACTION_REFRESH, NULL);
	r = tasks_asked(h, "cursor=", false);
	assert_non_null(r);
	reply_run(h, r, 1, 20, "q2");
	assert_int_equal(task_store_queue_gap(store_tasks(h)), -1);
	assert_int_equal(task_store_queue_count(store_tasks(h)), 20);
	harness_free(h);
}

/* A new first page without the cursor's task: the cursor goes to its
 * nearest old neighbour still listed, the one after it first. */
static void
queue__a_new_page_puts_the_cursor_near_its_task_gone(void **state)
{
	static const long long no5[] = { 1, 2, 3, 4, 6, 7, 8 };
	static const long long no6[] = { 1, 2, 3, 4 };
	struct harness *h = queue(8, NULL);

	(void)state;
	press_n(h, 'j', 4);
	harness_action(h, ACTION_FILTER, "priority=low");
	reply_ids(h, harness_request(h, "GET", "/tasks?"), no5, 7);
	assert_int_equal(selected(h), 6);
	/* Those after it are gone too: the one before. */
	harness_action(h, ACTION_FILTER, "priority=high");
	reply_ids(h, harness_request(h, "GET", "/tasks?"), no6, 4);
	assert_int_equal(selected(h), 4);
	harness_free(h);
}

/* Answers r with a page of clients named Acme, Acme West and Acmeo. */
static void
reply_acmes(struct harness *h, struct harness_request *r)
{
	static const char *const names[] = { "Acme", "Acme West", "Acmeo" };
	cJSON *page = cJSON_CreateObject();
	cJSON *results = cJSON_AddArrayToObject(page, "results"), *c;
	size_t i;

	assert_non_null(r);
	for (i = 0; i < 3; i++) {
		c = cJSON_CreateObject();
		cJSON_AddNumberToObject(c, "id", (double)i + 1);
		cJSON_AddStringToObject(c, "name", names[i]);
		cJSON_AddStringToObject(c, "company", "Co");
		cJSON_AddStringToObject(c, "email", "a@example.com");
		cJSON_AddNullToObject(c, "phone");
		cJSON_AddStringToObject(c, "site_url", "https://example.com");
		cJSON_AddArrayToObject(c, "assigned_staff");
		cJSON_AddItemToArray(results, c);
	}
	reply_last_page(h, r, page);
}

/* client=NAME asks the service's clients first; the :filter line then
 * applies with the client found, or not at all. */
static void
queue__filter_client_by_name_finds_it_first(void **state)
{
	struct harness *h = queue(3, NULL);
	struct harness_request *r;

	(void)state;
	harness_action(h, ACTION_FILTER, "status=done client=acm");
	r = harness_request(h, "GET", "/clients?q=acm");
	assert_null(harness_request(h, "GET", "/tasks?"));
	reply_acmes(h, r);
	assert_non_null(strstr(harness_notice(h), "client=acm matches 3 "
	                                          "clients: Acme (1), Acme "
	                                          "West (2), Acmeo (3)"));
	/* Nothing changed, nothing asked. */
	assert_null(harness_request(h, "GET", "/tasks?"));
	expect(h, "status=new,in_progress,waiting_on_client |", true);
	/* The exact name is the one. */
	harness_action(h, ACTION_FILTER, "status=done client=ACME");
	reply_acmes(h, harness_request(h, "GET", "/clients?q=ACME"));
	r = harness_request(h, "GET", "/tasks?");
	assert_non_null(r);
	assert_non_null(strstr(r->path, "status=done&client=1&"));
	give_page(h, 1, 2, NULL);
	expect(h, "status=done, client=Acme |", true);
	harness_free(h);
}

/* ---- marks ------------------------------------------------------------- */

/* The ids of the PATCHes asked, in order, into ids (at most max). */
static size_t
patched(struct harness *h, long long *ids, size_t max)
{
	struct harness_request *r;
	size_t n = 0;

	for (r = harness_requests(h); r != NULL && n < max; r = r->next)
		if (r->sent && strcmp(r->method, "PATCH") == 0)
			sscanf(r->path, "/tasks/%lld", &ids[n++]);
	return n;
}

/* Answers the PATCH of task id with the task at version 2 and that
 * priority, or (priority NULL) with the service's not_found. */
static void
answer_patch(struct harness *h, long long id, const char *priority)
{
	char path[32], *body;
	struct harness_request *r;

	snprintf(path, sizeof path, "/tasks/%lld", id);
	r = harness_request(h, "PATCH", path);
	assert_non_null(r);
	if (priority == NULL) {
		harness_reply(h, r, 404,
		              "{\"error\": {\"code\": \"not_found\","
		              " \"message\": \"no such task\"}}");
		return;
	}
	body = text_of(task_obj(id, 2, "new", priority));
	harness_reply(h, r, 200, body);
	cJSON_free(body);
}

static void
queue__a_change_applies_to_the_marked_tasks(void **state)
{
	struct harness *h = queue(6, NULL);
	long long ids[8];
	size_t n;
	int y;

	(void)state;
	/* Space marks and moves down; V marks from the last marked to the
	 * cursor. */
	harness_key(h, ' ');
	assert_string_equal(harness_notice(h), "1 marked");
	press_n(h, 'j', 2);
	harness_key(h, ' ');
	harness_key(h, 'j');
	harness_key(h, 'V');
	assert_string_equal(harness_notice(h), "4 marked");
	harness_draw(h);
	assert_true(harness_find(h, "row 5", &y, NULL));
	assert_int_equal(harness_row(h, y)[0], '+');
	assert_true(harness_find(h, "row 3", &y, NULL));
	assert_int_equal(harness_row(h, y)[0], ' ');
	harness_action(h, ACTION_SET_PRIORITY, "high");
	/* Tasks 1, 4, 5 and 6; not 2 and 3, passed over. */
	assert_int_equal(patched(h, ids, 8), 4);
	assert_int_equal(ids[0], 1);
	assert_int_equal(ids[1], 4);
	assert_int_equal(ids[2], 5);
	assert_int_equal(ids[3], 6);
	assert_int_equal(priority_of(h, 5), PRIORITY_HIGH);
	assert_int_equal(priority_of(h, 2), PRIORITY_NORMAL);
	assert_int_equal(priority_of(h, 3), PRIORITY_NORMAL);
	/* The change spent the marks. */
	harness_draw(h);
	assert_true(harness_find(h, "row 5", &y, NULL));
	assert_int_equal(harness_row(h, y)[0], ' ');
	/* The service takes them all: one summary. */
	for (n = 0; n < 4; n++)
		answer_patch(h, ids[n], "high");
	assert_string_equal(harness_notice(h),
	                    "priority high: all 4 tasks (u undoes)");
	assert_int_equal(task_store_get(store_tasks(h), 6)->version, 2);
	harness_free(h);
}

static void
queue__escape_unmarks_all(void **state)
{
	struct harness *h = queue(4, NULL);
	long long ids[4];

	(void)state;
	press_n(h, ' ', 3);
	assert_string_equal(harness_notice(h), "3 marked");
	harness_key(h, KEYC_ESCAPE);
	assert_string_equal(harness_notice(h), "no task marked");
	/* Now a change goes to the cursor's task only. */
	harness_action(h, ACTION_SET_PRIORITY, "low");
	assert_int_equal(patched(h, ids, 4), 1);
	assert_int_equal(ids[0], 4);
	harness_free(h);
}

/* Fails, with the screen, unless the status line says "N marked" (or,
 * n 0, nothing marked). */
static void
expect_marked(struct harness *h, int n)
{
	char want[32];
	const char *line;

	harness_draw(h);
	line = harness_row(h, 23);
	snprintf(want, sizeof want, "| %d marked", n);
	if (n > 0 ? strstr(line, want) == NULL
	          : strstr(line, "marked") != NULL) {
		harness_dump(h);
		fail_msg("status line \"%s\", wanted %d marked", line, n);
	}
}

/* A picker keeps the marks while open and cancelled; its answer spends
 * them, and the status line counts them meanwhile. */
static void
queue__a_picker_spends_the_marks_when_answered(void **state)
{
	struct harness *h = queue(4, NULL);
	long long ids[4];
	int y;

	(void)state;
	press_n(h, ' ', 3);
	expect_marked(h, 3);
	harness_key(h, 'P');
	expect(h, "Priority of 3 marked tasks", true);
	harness_key(h, KEYC_ESCAPE);
	assert_string_equal(harness_notice(h), "nothing changed");
	expect_marked(h, 3);
	harness_key(h, 'P');
	harness_type(h, "urg");
	harness_key(h, KEYC_ENTER);
	assert_int_equal(patched(h, ids, 4), 3);
	expect_marked(h, 0);
	assert_true(harness_find(h, "row 1", &y, NULL));
	assert_int_equal(harness_row(h, y)[0], ' ');
	/* The next picker is for the cursor's task alone. */
	harness_key(h, 'P');
	expect(h, "Priority of #4", true);
	harness_free(h);
}

/* A page of tasks 1..3, task 2 assigned to Sue Support (id 9). */
static void
give_page_with_sues(struct harness *h)
{
	cJSON *page = cJSON_CreateObject();
	cJSON *results = cJSON_AddArrayToObject(page, "results");
	cJSON *sue = cJSON_CreateObject();
	struct harness_request *r = harness_request(h, "GET", "/tasks?");
	long long id;
	char *body;

	cJSON_AddNumberToObject(sue, "id", 9);
	cJSON_AddStringToObject(sue, "name", "Sue Support");
	for (id = 1; id <= 3; id++) {
		cJSON *t = task_obj(id, 1, "new", "normal");

		if (id == 2)
			cJSON_ReplaceItemInObject(t, "assignee", sue);
		cJSON_AddItemToArray(results, t);
	}
	cJSON_AddNullToObject(page, "next");
	body = text_of(page);
	assert_non_null(r);
	harness_reply(h, r, 200, body);
	cJSON_free(body);
}

/* t takes an unassigned task at once, but asks before taking one that
 * is a colleague's; n leaves it and says so, y takes it. */
static void
queue__take_asks_before_taking_a_colleagues_task(void **state)
{
	struct harness *h = signed_in();
	struct harness_request *r;

	(void)state;
	give_page_with_sues(h);
	harness_key(h, 't');
	assert_non_null(harness_request(h, "PATCH", "/tasks/1"));
	harness_key(h, 'j');
	harness_key(h, 't');
	expect(h, "#2 is Sue Support's. Take it?", true);
	assert_null(harness_request(h, "PATCH", "/tasks/2"));
	harness_key(h, 'n');
	assert_string_equal(harness_notice(h), "not taken: nothing changed");
	expect(h, "Take it?", false);
	assert_null(harness_request(h, "PATCH", "/tasks/2"));
	harness_key(h, 't');
	harness_key(h, 'y');
	r = harness_request(h, "PATCH", "/tasks/2");
	assert_non_null(r);
	assert_non_null(strstr(r->body, "\"assignee_id\":7"));
	harness_free(h);
}

/* With marks, one question names how many are others'; y takes them
 * all and spends the marks. */
static void
queue__take_of_marked_tasks_asks_once(void **state)
{
	struct harness *h = signed_in();
	long long ids[4];

	(void)state;
	give_page_with_sues(h);
	press_n(h, ' ', 3);
	harness_key(h, 't');
	expect(h, "#2, 1 of the 3 marked tasks, is Sue Support's.", true);
	assert_int_equal(patched(h, ids, 4), 0);
	expect_marked(h, 3);
	harness_key(h, 'y');
	assert_int_equal(patched(h, ids, 4), 3);
	expect_marked(h, 0);
	harness_free(h);
}

/* ---- pickers, a partial failure, search --------------------------------- */

/* S opens the status picker; what is typed filters it; Enter applies. */
static void
queue__status_picker_filters_as_typed_then_applies(void **state)
{
	struct harness *h = queue(3, NULL);
	struct harness_request *r;
	char *body;

	(void)state;
	harness_key(h, 'S');
	expect(h, "Status of #1", true);
	harness_type(h, "waiting");
	harness_key(h, KEYC_ENTER);
	expect(h, "Status of #1", false);
	r = harness_request(h, "PATCH", "/tasks/1");
	assert_non_null(r);
	assert_non_null(strstr(r->body, "\"status\""));
	assert_non_null(strstr(r->body, "waiting_on_client"));
	assert_int_equal(task_store_get(store_tasks(h), 1)->status,
	                 TASK_WAITING_ON_CLIENT);
	body = text_of(task_obj(1, 2, "waiting_on_client", "normal"));
	harness_reply(h, r, 200, body);
	cJSON_free(body);
	assert_non_null(strstr(harness_notice(h), "(u undoes)"));
	harness_free(h);
}

/* P then Escape changes nothing; a priority the service has not is
 * refused before anything is sent. */
static void
queue__priority_picker_escape_and_a_bad_name_change_nothing(void **state)
{
	struct harness *h = queue(3, NULL);

	(void)state;
	harness_key(h, 'P');
	expect(h, "Priority of #1", true);
	harness_key(h, KEYC_ESCAPE);
	assert_string_equal(harness_notice(h), "nothing changed");
	expect(h, "Priority of #1", false);
	harness_action(h, ACTION_SET_PRIORITY, "bogus");
	assert_non_null(strstr(harness_notice(h), "no priority \"bogus\""));
	assert_int_equal(harness_nrequests(h), 0);
	assert_int_equal(priority_of(h, 1), PRIORITY_NORMAL);
	harness_free(h);
}

/* A bulk change that fails for one task: said, summarised task by task,
 * and that task alone rolled back. */
static void
queue__a_bulk_change_with_a_failure_is_summarised(void **state)
{
	struct harness *h = queue(3, NULL);
	long long id;

	(void)state;
	press_n(h, ' ', 3);
	harness_action(h, ACTION_SET_PRIORITY, "high");
	for (id = 1; id <= 3; id++)
		answer_patch(h, id, id == 2 ? NULL : "high");
	assert_string_equal(harness_notice(h),
	                    "priority high: 2 done, 1 failed");
	expect(h, "2 of 3 done", true);
	expect(h, "#2 failed: not_found", true);
	assert_int_equal(priority_of(h, 2), PRIORITY_NORMAL);
	assert_int_equal(priority_of(h, 3), PRIORITY_HIGH);
	harness_free(h);
}

/* / asks the service (q=); n and N step through the loaded rows whose
 * title has the text. */
static void
queue__search_asks_the_service_then_steps(void **state)
{
	struct harness *h = queue(3, NULL);
	struct harness_request *r;

	(void)state;
	harness_key(h, 'n');
	assert_string_equal(harness_notice(h), "no search: / searches");
	harness_key(h, '/');
	assert_non_null(harness_line(h));
	harness_line_submit(h, "row 1");
	r = harness_request(h, "GET", "/tasks?");
	assert_non_null(r);
	assert_non_null(strstr(r->path, "q=row%201"));
	give_page(h, 8, 12, NULL);
	expect(h, "q=row 1", true);
	/* Rows 10, 11 and 12 have it; the cursor starts on row 8. */
	harness_key(h, 'n');
	assert_int_equal(selected(h), 10);
	harness_key(h, 'n');
	assert_int_equal(selected(h), 11);
	harness_key(h, 'N');
	assert_int_equal(selected(h), 10);
	harness_free(h);
}

/* Esc during a search ends it and keeps the marks; Esc again clears
 * them. */
static void
queue__escape_ends_a_search_then_clears_the_marks(void **state)
{
	struct harness *h = queue(5, NULL);
	struct harness_request *r;

	(void)state;
	harness_action(h, ACTION_SEARCH, "row");
	give_page(h, 1, 5, NULL);
	expect(h, "q=row |", true);
	harness_key(h, ' ');
	harness_key(h, KEYC_ESCAPE);
	assert_string_equal(harness_notice(h),
	                    "search ended (Esc again clears the marks)");
	r = harness_request(h, "GET", "/tasks?");
	assert_non_null(r);
	assert_null(strstr(r->path, "q="));
	give_page(h, 1, 6, NULL);
	expect(h, "q=row", false);
	expect_marked(h, 1);
	assert_int_equal(selected(h), 2);
	harness_key(h, KEYC_ESCAPE);
	assert_string_equal(harness_notice(h), "no task marked");
	assert_int_equal(harness_nrequests(h), 0);
	harness_free(h);
}

/* ---- the cursor under live events -------------------------------------- */

/* A task.updated or task.created for task id, open unless done. */
static void
live(struct harness *h, enum event_type type, long long id, long long version,
     enum task_status status, enum task_priority priority)
{
	struct event_payload e = { 0 };
	struct app_event ev = { .kind = APP_EV_SERVER, .data = &e };
	char title[32];

	snprintf(title, sizeof title, "row %lld v%lld", id, version);
	e.type = type;
	e.task.id = id;
	e.task.version = version;
	e.task.title = title;
	e.task.status = status;
	e.task.priority = priority;
	task_set_client(&e.task, 1, "Acme", NULL);
	harness_event(h, &ev);
	client_ref_drop(e.task.client);
}

static void
queue__the_cursor_keeps_its_task_when_rows_move(void **state)
{
	struct harness *h = queue(6, NULL);

	(void)state;
	press_n(h, 'j', 3);
	assert_int_equal(selected(h), 4);
	/* A row above leaves (done is out of the open filter). */
	live(h, EVENT_TASK_UPDATED, 1, 2, TASK_DONE, PRIORITY_NORMAL);
	expect(h, "row 1", false);
	expect(h, "5 tasks", true);
	assert_int_equal(task_store_queue_pos(store_tasks(h), 4), 2);
	assert_int_equal(selected(h), 4);
	/* A new urgent one goes in at the top. */
	live(h, EVENT_TASK_CREATED, 9, 1, TASK_NEW, PRIORITY_URGENT);
	assert_int_equal(task_store_queue_pos(store_tasks(h), 9), 0);
	assert_int_equal(selected(h), 4);
	/* The selected task itself changes: it keeps its row (no re-sort
	 * under the cursor) and stays selected. */
	live(h, EVENT_TASK_UPDATED, 4, 2, TASK_IN_PROGRESS, PRIORITY_URGENT);
	assert_int_equal(task_store_queue_pos(store_tasks(h), 4), 3);
	assert_int_equal(selected(h), 4);
	expect(h, "row 4 v2", true);
	/* The selected task leaves: the cursor goes to the next row. */
	live(h, EVENT_TASK_UPDATED, 4, 3, TASK_CANCELLED, PRIORITY_URGENT);
	assert_int_equal(selected(h), 5);
	harness_free(h);
}

/* A task.created for a new, open task id made when the page's tasks
 * were (task_obj's created_at), so the id decides among equals. */
static void
live_new(struct harness *h, long long id, enum task_priority priority)
{
	struct event_payload e = { 0 };
	struct app_event ev = { .kind = APP_EV_SERVER, .data = &e };
	struct tm tm = {
		.tm_year = 126, .tm_mon = 11, .tm_mday = 1, .tm_hour = 10
	};

	e.type = EVENT_TASK_CREATED;
	e.task.id = id;
	e.task.version = 1;
	e.task.title = "live";
	e.task.status = TASK_NEW;
	e.task.priority = priority;
	e.task.created_at = timegm(&tm);
	e.task.updated_at = e.task.created_at;
	task_set_client(&e.task, 1, "Acme", NULL);
	harness_event(h, &ev);
	client_ref_drop(e.task.client);
}

/* Live tasks go to their place in the head or the tail; one that sorts
 * in the gap is left for the pages filling it. */
static void
queue__live_tasks_join_head_or_tail_not_the_gap(void **state)
{
	struct harness *h = queue(30, "p2");
	const struct task_store *ts;

	(void)state;
	harness_key(h, 'G');
	reply_run(h, tasks_asked(h, "sort=priority&", true), 1000, 991, "t2");
	ts = store_tasks(h);
	live_new(h, 2000, PRIORITY_URGENT); /* first of all: the head's */
	assert_int_equal(task_store_queue_pos(ts, 2000), 0);
	live_new(h, 500, PRIORITY_NORMAL); /* between 30 and 991 */
	assert_int_equal(task_store_queue_pos(ts, 500), -1);
	assert_non_null(task_store_get(ts, 500)); /* held all the same */
	live_new(h, 3000, PRIORITY_NORMAL); /* after 1000: the tail's end */
	assert_int_equal(task_store_queue_pos(ts, 3000), 42);
	assert_int_equal(task_store_queue_gap(ts), 31);
	assert_int_equal(selected(h), 1000); /* the cursor kept its task */
	harness_free(h);
}

/* Answers r with tasks from..to, all overdue, and the next cursor. */
static void
reply_overdue(struct harness *h, struct harness_request *r, long long from,
              long long to, const char *next)
{
	reply_tasks(h, r, from, to, "2026-01-01T00:00:00Z", next);
}

/* The overdue filter is the client's: G cannot ask the service for the
 * end, so the head walks there, a page at a time, the cursor on the
 * last row as each comes. */
static void
queue__G_with_the_overdue_filter_walks_to_the_end(void **state)
{
	struct harness *h = queue(30, "p2");

	(void)state;
	harness_action(h, ACTION_FILTER, "overdue");
	reply_overdue(h, tasks_asked(h, "cursor=", false), 1, 30, "o2");
	harness_key(h, 'G');
	assert_null(tasks_asked(h, "sort=due_at", false));
	reply_overdue(h, tasks_asked(h, "cursor=o2", true), 31, 60, "o3");
	assert_int_equal(selected(h), 60);
	reply_overdue(h, tasks_asked(h, "cursor=o3", true), 61, 90, NULL);
	assert_int_equal(selected(h), 90);
	assert_int_equal(pages_asked(h, ""), 0);
	harness_free(h);
}

/* ---- the detail -------------------------------------------------------- */

static void
queue__enter_opens_the_detail_and_escape_closes_it(void **state)
{
	struct harness *h = queue(5, NULL);
	struct harness_request *r;

	(void)state;
	press_n(h, 'j', 2);
	harness_key(h, KEYC_ENTER);
	r = harness_request(h, "GET", "/tasks/3");
	assert_non_null(r);
	assert_int_equal(harness_app(h)->panes[PANE_TASKS].ops->context(
	                     harness_pane(h, PANE_TASKS)),
	                 KEYCTX_DETAIL);
	expect(h, "#3", true);
	expect(h, "row 1", false);
	/* j and k scroll the detail, not the list. */
	harness_key(h, 'j');
	harness_key(h, KEYC_ESCAPE);
	/* The detail's fetch is not left behind. */
	assert_null(harness_request(h, "GET", "/tasks/3"));
	assert_int_equal(harness_app(h)->panes[PANE_TASKS].ops->context(
	                     harness_pane(h, PANE_TASKS)),
	                 KEYCTX_LIST);
	expect(h, "row 1", true);
	expect(h, "TITLE", true);
	assert_int_equal(selected(h), 3);
	harness_free(h);
}

/* Enter on an empty queue opens nothing. */
static void
queue__enter_with_no_rows_opens_nothing(void **state)
{
	struct harness *h = queue(0, NULL);

	(void)state;
	expect(h, "no tasks match: status=new,in_progress,waiting_on_client",
	       true);
	harness_key(h, KEYC_ENTER);
	assert_null(harness_request(h, "GET", "/tasks/"));
	harness_free(h);
}

/* ---- without a row, without an argument (issue #19) ------------------ */

/* The queue of tasks 1..rows for a member who may also comment. */
static struct harness *
commenter(long long rows)
{
	struct harness *h = harness_new(24, 100);

	harness_sign_in(h, 7, "technician",
	                PERM_TASKS_READ | PERM_TASKS_UPDATE |
	                    PERM_TASKS_COMMENT);
	harness_open(h, PANE_TASKS);
	harness_event_kind(h, APP_EV_SIGNED_IN, 0);
	give_page(h, 1, rows, NULL);
	return h;
}

/* filter, sort with a blank argument say what is in force; n with no
 * search says how to start one; none of them asks the service. */
static void
queue__blank_commands_say_what_is_in_force(void **state)
{
	struct harness *h = queue(3, NULL);

	(void)state;
	harness_action(h, ACTION_FILTER, " ");
	assert_string_equal(harness_notice(h),
	                    "filter: status=new,in_progress,waiting_on_client");
	harness_action(h, ACTION_SORT, "\t");
	assert_string_equal(harness_notice(h), "sort: default");
	harness_action(h, ACTION_SEARCH_NEXT, NULL);
	assert_string_equal(harness_notice(h), "no search: / searches");
	assert_int_equal(harness_nrequests(h), 0);
	harness_free(h);
}

/* On an empty queue the row actions have no task: w says to open one
 * first, and marking, the client's tasks and a note do nothing and ask
 * nothing of the service. */
static void
queue__row_actions_on_an_empty_queue_do_nothing(void **state)
{
	struct harness *h = commenter(0);

	(void)state;
	harness_action(h, ACTION_SAVE_ATTACHMENT, NULL);
	assert_string_equal(harness_notice(h),
	                    "open the task first (Enter), then w saves");
	harness_action(h, ACTION_MARK, NULL);
	harness_action(h, ACTION_MARK_RANGE, NULL);
	harness_action(h, ACTION_CLIENT_TASKS, NULL);
	harness_action(h, ACTION_NOTE, NULL);
	assert_null(harness_line(h));
	assert_int_equal(harness_nrequests(h), 0);
	expect(h, "no tasks match:", true);
	harness_free(h);
}

/* A note needs tasks.comment: without it, it is refused and no line
 * opens. */
static void
queue__a_note_without_comment_rights_is_refused(void **state)
{
	struct harness *h = queue(3, NULL);

	(void)state;
	harness_action(h, ACTION_NOTE, NULL);
	assert_string_equal(harness_notice(h),
	                    "commenting needs tasks.comment");
	assert_null(harness_line(h));
	harness_free(h);
}

/* `:note TEXT` of blanks is cancelled; with no outbox (it failed to
 * open) the text is kept, and the next note offers it again. */
static void
queue__a_note_is_kept_when_the_outbox_is_missing(void **state)
{
	struct harness *h = commenter(3);

	(void)state;
	harness_action(h, ACTION_NOTE, "  ");
	assert_string_equal(harness_notice(h), "note cancelled: it was empty");
	harness_action(h, ACTION_NOTE, "call the host");
	assert_string_equal(harness_notice(h),
	                    "note not sent: the outbox is not available; it "
	                    "is kept (c or R brings it back)");
	harness_action(h, ACTION_NOTE, NULL);
	assert_non_null(harness_line(h));
	assert_string_equal(harness_line(h), "call the host");
	assert_int_equal(harness_nrequests(h), 0);
	harness_free(h);
}

/* r in the open detail (its load failed) fetches that task again, not
 * the list. */
static void
queue__refresh_in_the_detail_fetches_the_task(void **state)
{
	struct harness *h = queue(5, NULL);

	(void)state;
	press_n(h, 'j', 1);
	harness_key(h, KEYC_ENTER);
	harness_reply(h, harness_request(h, "GET", "/tasks/2"), 503, NULL);
	assert_null(harness_request(h, "GET", "/tasks/2"));
	harness_action(h, ACTION_REFRESH, NULL);
	assert_non_null(harness_request(h, "GET", "/tasks/2"));
	assert_null(harness_request(h, "GET", "/tasks?"));
	harness_free(h);
}

/* A task that asks for attention (a notification followed) closes the
 * open detail and puts the cursor on it. */
static void
queue__attention_closes_the_detail_and_selects_the_task(void **state)
{
	struct harness *h = queue(5, NULL);

	(void)state;
	harness_key(h, KEYC_ENTER);
	assert_non_null(harness_request(h, "GET", "/tasks/1"));
	harness_event_kind(h, APP_EV_ATTENTION, 4);
	assert_int_equal(harness_app(h)->panes[PANE_TASKS].ops->context(
	                     harness_pane(h, PANE_TASKS)),
	                 KEYCTX_LIST);
	assert_null(harness_request(h, "GET", "/tasks/1"));
	assert_int_equal(selected(h), 4);
	harness_free(h);
}

/* The jumps to a task's client: credentials and chat each need their
 * right; with them, the frame is asked to go there (credentials with
 * the task as the purpose). */
static void
queue__client_jumps_need_their_rights(void **state)
{
	struct harness *h = queue(3, NULL);
	struct app *app = harness_app(h);

	(void)state;
	harness_action(h, ACTION_CLIENT_CREDENTIALS, NULL);
	assert_string_equal(harness_notice(h),
	                    "credentials need credentials.reveal");
	harness_action(h, ACTION_CLIENT_CHAT, NULL);
	assert_string_equal(harness_notice(h), "chat needs chat.read");
	assert_int_equal(app->go_client, 0); /* nowhere to go */
	harness_free(h);

	h = harness_new(24, 100);
	app = harness_app(h);
	harness_sign_in(h, 7, "technician",
	                PERM_TASKS_READ | PERM_CHAT_READ |
	                    PERM_CREDENTIALS_REVEAL);
	harness_open(h, PANE_TASKS);
	harness_event_kind(h, APP_EV_SIGNED_IN, 0);
	give_page(h, 1, 3, NULL);
	harness_key(h, 'j');
	harness_action(h, ACTION_CLIENT_CREDENTIALS, NULL);
	assert_int_equal(app->go_pane, PANE_CREDENTIALS);
	assert_int_equal(app->go_client, 1);
	harness_action(h, ACTION_CLIENT_CHAT, NULL);
	assert_int_equal(app->go_pane, PANE_CHAT);
	assert_int_equal(app->go_client, 1);
	harness_free(h);
}

/* The client's tasks from the open detail: the detail closes and the
 * queue asks for that client's tasks, anyone's. */
static void
queue__client_tasks_from_the_detail_close_it(void **state)
{
	struct harness *h = queue(3, NULL);
	struct harness_request *r;

	(void)state;
	harness_key(h, KEYC_ENTER);
	assert_non_null(harness_request(h, "GET", "/tasks/1"));
	harness_action(h, ACTION_CLIENT_TASKS, NULL);
	assert_null(harness_request(h, "GET", "/tasks/1"));
	assert_int_equal(harness_app(h)->panes[PANE_TASKS].ops->context(
	                     harness_pane(h, PANE_TASKS)),
	                 KEYCTX_LIST);
	r = harness_request(h, "GET", "/tasks?");
	assert_non_null(r);
	assert_non_null(strstr(r->path, "client=1"));
	assert_null(strstr(r->path, "assignee="));
	harness_free(h);
}

/* A change in the open detail is for that task, whatever the list's
 * cursor or marks. */
static void
queue__a_change_in_the_detail_is_for_its_task(void **state)
{
	struct harness *h = queue(5, NULL);
	long long ids[4];

	(void)state;
	harness_key(h, ' '); /* marks row 1, moves to row 2 */
	harness_key(h, KEYC_ENTER);
	assert_non_null(harness_request(h, "GET", "/tasks/2"));
	harness_action(h, ACTION_SET_PRIORITY, "high");
	assert_int_equal(patched(h, ids, 4), 1);
	assert_int_equal(ids[0], 2);
	harness_free(h);
}

/* n after a search whose rows do not have the text in their titles
 * (the service matched the description) says so. */
static void
queue__search_next_without_a_title_match_says_so(void **state)
{
	struct harness *h = queue(3, NULL);

	(void)state;
	harness_action(h, ACTION_SEARCH, "printer");
	give_page(h, 4, 6, NULL);
	harness_action(h, ACTION_SEARCH_NEXT, NULL);
	assert_string_equal(harness_notice(h), "no title among the loaded "
	                                       "tasks has the search text");
	harness_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    queue__next_page_is_asked_near_the_end_and_appended),
		cmocka_unit_test(
		    queue__G_shows_the_end_at_once_then_fills_the_gap),
		cmocka_unit_test(
		    queue__the_footer_counts_tasks_not_the_gap_row),
		cmocka_unit_test(queue__the_fill_stops_at_its_cap),
		cmocka_unit_test(
		    queue__scrolling_up_the_tail_fetches_backwards),
		cmocka_unit_test(
		    queue__live_tasks_join_head_or_tail_not_the_gap),
		cmocka_unit_test(
		    queue__G_with_the_overdue_filter_walks_to_the_end),
		cmocka_unit_test(queue__a_failed_page_is_said_and_asked_again),
		cmocka_unit_test(queue__a_failed_first_page_says_r_retries),
		cmocka_unit_test(queue__refresh_keeps_the_selected_task),
		cmocka_unit_test(
		    queue__filter_asks_again_and_replaces_the_rows),
		cmocka_unit_test(queue__sort_asks_again_in_that_order),
		cmocka_unit_test(queue__a_change_applies_to_the_marked_tasks),
		cmocka_unit_test(queue__escape_unmarks_all),
		cmocka_unit_test(
		    queue__a_picker_spends_the_marks_when_answered),
		cmocka_unit_test(
		    queue__take_asks_before_taking_a_colleagues_task),
		cmocka_unit_test(queue__take_of_marked_tasks_asks_once),
		cmocka_unit_test(
		    queue__status_picker_filters_as_typed_then_applies),
		cmocka_unit_test(
		    queue__priority_picker_escape_and_a_bad_name_change_nothing),
		cmocka_unit_test(
		    queue__a_bulk_change_with_a_failure_is_summarised),
		cmocka_unit_test(queue__search_asks_the_service_then_steps),
		cmocka_unit_test(
		    queue__escape_ends_a_search_then_clears_the_marks),
		cmocka_unit_test(
		    queue__a_new_page_puts_the_cursor_near_its_task_gone),
		cmocka_unit_test(queue__filter_client_by_name_finds_it_first),
		cmocka_unit_test(
		    queue__the_cursor_keeps_its_task_when_rows_move),
		cmocka_unit_test(
		    queue__enter_opens_the_detail_and_escape_closes_it),
		cmocka_unit_test(queue__enter_with_no_rows_opens_nothing),
		cmocka_unit_test(queue__blank_commands_say_what_is_in_force),
		cmocka_unit_test(
		    queue__row_actions_on_an_empty_queue_do_nothing),
		cmocka_unit_test(
		    queue__a_note_without_comment_rights_is_refused),
		cmocka_unit_test(
		    queue__a_note_is_kept_when_the_outbox_is_missing),
		cmocka_unit_test(queue__refresh_in_the_detail_fetches_the_task),
		cmocka_unit_test(
		    queue__attention_closes_the_detail_and_selects_the_task),
		cmocka_unit_test(queue__client_jumps_need_their_rights),
		cmocka_unit_test(queue__client_tasks_from_the_detail_close_it),
		cmocka_unit_test(queue__a_change_in_the_detail_is_for_its_task),
		cmocka_unit_test(
		    queue__search_next_without_a_title_match_says_so),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
