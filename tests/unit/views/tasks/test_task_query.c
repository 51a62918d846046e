/* Unit tests for views/task_query.c: filters, sorts, query strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "views/tasks/task_query.h"

/* A task's client and assignee, as plain refs the matcher only reads. */
static const struct client_ref client3 = { .id = 3 };
static const struct staff_ref staff5 = { .id = 5 };

/* The query string of q for the first page, freed after the check. */
static void
assert_query(const struct task_query *q, const char *cursor, const char *want)
{
	char *got = task_query_string(q, cursor, 100);

	assert_string_equal(got, want);
	free(got);
}

static void
task_query__string__default_is_open_tasks(void **state)
{
	struct task_query q;

	task_query_init(&q);
	assert_query(&q, NULL,
	             "status=new,in_progress,waiting_on_client&limit=100");
	task_query_free(&q);
}

static void
task_query__string__every_key_in_order(void **state)
{
	struct task_query q;
	char err[200];

	task_query_init(&q);
	assert_int_equal(task_query_filter(&q,
	                                   "status=in_progress,new "
	                                   "assignee=me priority=urgent,high "
	                                   "client=7",
	                                   err, sizeof err),
	                 0);
	assert_int_equal(task_query_sort(&q, "-priority", err, sizeof err), 0);
	task_query_search(&q, "disk");
	assert_query(&q, "abc=",
	             "status=new,in_progress&assignee=me&priority=high,urgent"
	             "&client=7&q=disk&sort=-priority&limit=100"
	             "&cursor=abc%3D");
	task_query_free(&q);
}

static void
task_query__string__escapes_search_text(void **state)
{
	struct task_query q;
	char err[64];

	task_query_init(&q);
	assert_int_equal(task_query_filter(&q, "clear", err, sizeof err), 0);
	task_query_search(&q, "  a b&c=d+e/%é😀 ");
	/* Blanks around are trimmed; everything but unreserved is encoded,
	 * UTF-8 byte by byte. */
	assert_query(&q, NULL,
	             "q=a%20b%26c%3Dd%2Be%2F%25%C3%A9%F0%9F%98%80&limit=100");
	task_query_search(&q, "   ");
	assert_null(q.search);
	assert_query(&q, NULL, "limit=100");
	task_query_free(&q);
}

static void
task_query__escape__keeps_unreserved(void **state)
{
	char *e = task_query_escape("AZaz09-._~ ?#[]");

	assert_string_equal(e, "AZaz09-._~%20%3F%23%5B%5D");
	free(e);
}

static void
task_query__filter__changes_only_named_keys(void **state)
{
	struct task_query q;
	char err[128];

	task_query_init(&q);
	assert_int_equal(
	    task_query_filter(&q, "assignee=none", err, sizeof err), 0);
	assert_int_equal(q.statuses, TASK_QUERY_OPEN_STATUSES);
	assert_int_equal(q.assignee, TASK_QUERY_NONE);
	assert_int_equal(
	    task_query_filter(&q, "status=done  priority=low", err, sizeof err),
	    0);
	assert_int_equal(q.statuses, 1u << TASK_DONE);
	assert_int_equal(q.priorities, 1u << PRIORITY_LOW);
	assert_int_equal(q.assignee, TASK_QUERY_NONE);
	assert_int_equal(
	    task_query_filter(&q, "status=any assignee=42", err, sizeof err),
	    0);
	assert_int_equal(q.statuses, 0);
	assert_int_equal(q.assignee, TASK_QUERY_STAFF);
	assert_int_equal(q.assignee_id, 42);
	task_query_search(&q, "disk");
	assert_int_equal(task_query_filter(&q, "clear", err, sizeof err), 0);
	assert_int_equal(q.priorities, 0);
	assert_int_equal(q.assignee, TASK_QUERY_ANYONE);
	assert_null(q.search);
	/* default: the first view again, and no search. */
	task_query_search(&q, "disk");
	assert_int_equal(
	    task_query_filter(&q, "priority=low default", err, sizeof err), 0);
	assert_int_equal(q.statuses, TASK_QUERY_OPEN_STATUSES);
	assert_int_equal(q.priorities, 0);
	assert_null(q.search);
	/* A failing line clears nothing, the search included. */
	task_query_search(&q, "disk");
	assert_int_equal(
	    task_query_filter(&q, "clear status=bad", err, sizeof err), -1);
	assert_string_equal(q.search, "disk");
	task_query_free(&q);
}

/* client=NAME waits for the pane to find the client: nothing is sent
 * for it, the footer says the name; an id or any ends the wait. */
static void
task_query__filter__client_by_name_waits_to_be_found(void **state)
{
	struct task_query q;
	char err[128], *desc;

	task_query_init(&q);
	assert_int_equal(
	    task_query_filter(&q, "client=carla status=any", err, sizeof err),
	    0);
	assert_true(task_query_client_pending(&q));
	assert_string_equal(q.client_name, "carla");
	desc = task_query_describe(&q);
	assert_string_equal(desc, "client=carla");
	free(desc);
	/* Found: the id is sent, the name described. */
	q.client_id = 12;
	assert_false(task_query_client_pending(&q));
	assert_query(&q, NULL, "client=12&limit=100");
	assert_int_equal(task_query_filter(&q, "client=any", err, sizeof err),
	                 0);
	assert_false(task_query_client_pending(&q));
	assert_query(&q, NULL, "limit=100");
	task_query_free(&q);
}

/* Filters that must fail with a message and leave q as it was. */
static void
task_query__filter__errors_leave_query_unchanged(void **state)
{
	static const struct {
		const char *args;
		const char *msg;
	} cases[] = {
		{ "status=new,bogus", "unknown status: bogus" },
		{ "priority=huge", "unknown priority: huge" },
		{ "assignee=someone", "assignee must be me, none, anyone" },
		{ "client=a-name-longer-than-the-sixty-three-bytes-a-name-"
		  "may-have-here-and-then-some-more",
		  "client must be a client id, a name or any" },
		{ "client=-3", "client must be a client id" },
		{ "client=0", "client must be a client id" },
		{ "colour=red", "unknown key colour" },
		{ "status", "expected key=value, not status" },
		{ "status=", "status needs a value" },
		{ "status=,", "status needs a value" },
		{ "", "give key=value words" },
		{ "status=done priority=nope", "unknown priority: nope" },
	};
	struct task_query q;
	char err[200];
	size_t i;

	task_query_init(&q);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		err[0] = '\0';
		assert_int_equal(
		    task_query_filter(&q, cases[i].args, err, sizeof err), -1);
		if (strstr(err, cases[i].msg) == NULL)
			fail_msg("filter %s: got error \"%s\"", cases[i].args,
			         err);
		assert_int_equal(q.statuses, TASK_QUERY_OPEN_STATUSES);
		assert_int_equal(q.priorities, 0);
	}
	task_query_free(&q);
}

static void
task_query__sort__accepts_fields_and_rejects_others(void **state)
{
	static const char *const good[] = {
		"priority",   "-priority",   "created_at", "-created_at",
		"updated_at", "-updated_at", "due_at",     "-due_at",
	};
	struct task_query q;
	char err[200];
	size_t i;

	task_query_init(&q);
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		assert_int_equal(task_query_sort(&q, good[i], err, sizeof err),
		                 0);
		assert_string_equal(task_query_sort_name(&q), good[i]);
	}
	assert_int_equal(task_query_sort(&q, " due_at ", err, sizeof err), 0);
	assert_int_equal(q.sort, TASK_SORT_DUE_AT);
	assert_false(q.descending);
	assert_int_equal(task_query_sort(&q, "title", err, sizeof err), -1);
	assert_non_null(strstr(err, "unknown order title"));
	assert_int_equal(task_query_sort(&q, "--priority", err, sizeof err),
	                 -1);
	assert_int_equal(task_query_sort(&q, "-default", err, sizeof err), -1);
	assert_int_equal(
	    task_query_sort(&q, "priority due_at", err, sizeof err), -1);
	assert_int_equal(task_query_sort(&q, "", err, sizeof err), -1);
	assert_int_equal(task_query_sort(&q, "prio", err, sizeof err), -1);
	/* Failures kept the last good order. */
	assert_int_equal(q.sort, TASK_SORT_DUE_AT);
	assert_int_equal(task_query_sort(&q, "default", err, sizeof err), 0);
	assert_int_equal(q.sort, TASK_SORT_DEFAULT);
	task_query_free(&q);
}

static void
task_query__describe__names_what_filters(void **state)
{
	struct task_query q;
	char err[64], *d;

	task_query_init(&q);
	assert_int_equal(
	    task_query_filter(&q, "status=done assignee=me", err, sizeof err),
	    0);
	d = task_query_describe(&q);
	assert_string_equal(d, "status=done, assignee=me");
	free(d);
	assert_int_equal(task_query_filter(&q, "clear", err, sizeof err), 0);
	d = task_query_describe(&q);
	assert_string_equal(d, "all tasks");
	free(d);
	task_query_search(&q, "x y");
	d = task_query_describe(&q);
	assert_string_equal(d, "q=x y");
	free(d);
	task_query_free(&q);
}

/* A task for the matching and ordering tests. */
static struct task
mk(int64_t id, enum task_status s, enum task_priority p, time_t created)
{
	struct task t;

	memset(&t, 0, sizeof t);
	t.id = id;
	t.status = s;
	t.priority = p;
	t.created_at = created;
	t.updated_at = created;
	t.title = "Disk Full on web1";
	t.client = &client3; /* never held nor dropped: not a shared one */
	return t;
}

/* overdue: the open tasks asked in due_at order, the rest of a page
 * dropped, and live tasks judged by the clock. */
static void
task_query__overdue__asks_due_order_and_drops_the_rest(void **state)
{
	struct task_query q;
	struct task_page p = { 0 };
	time_t now = time(NULL);
	char err[64], *desc;
	size_t i;

	task_query_init(&q);
	assert_int_equal(
	    task_query_filter(&q, "status=any overdue", err, sizeof err), 0);
	assert_int_equal(task_query_sort(&q, "-priority", err, sizeof err), 0);
	assert_query(&q, NULL,
	             "status=new,in_progress,waiting_on_client&sort=due_at"
	             "&limit=100");
	assert_string_equal(task_query_sort_name(&q), "due_at");
	desc = task_query_describe(&q);
	assert_string_equal(desc, "overdue");
	free(desc);
	/* Past due, due later, no due date: the first one stays. */
	p.n = 3;
	p.items = calloc(3, sizeof *p.items);
	for (i = 0; i < 3; i++) {
		p.items[i] = mk((int64_t)i + 1, TASK_NEW, PRIORITY_LOW, 100);
		p.items[i].title = strdup("t");
		p.items[i].client = NULL; /* freed below: no plain ref */
		p.items[i].has_due_at = i < 2;
		p.items[i].due_at = i == 0 ? now - 60 : now + 3600;
	}
	assert_true(task_query_matches(&q, &p.items[0], 0));
	assert_false(task_query_matches(&q, &p.items[1], 0));
	assert_true(task_query_page_overdue(&q, &p, now));
	assert_int_equal(p.n, 1);
	assert_int_equal(p.items[0].id, 1);
	/* Done is never overdue. */
	p.items[0].status = TASK_DONE;
	assert_false(task_query_matches(&q, &p.items[0], 0));
	task_page_free(&p);
	/* overdue=any ends it; the :sort chosen comes back. */
	assert_int_equal(task_query_filter(&q, "overdue=any", err, sizeof err),
	                 0);
	assert_string_equal(task_query_sort_name(&q), "-priority");
	task_query_free(&q);
}

static void
task_query__matches__applies_every_filter(void **state)
{
	struct task_query q;
	struct task t = mk(1, TASK_NEW, PRIORITY_HIGH, 100);
	char err[64];

	task_query_init(&q);
	assert_true(task_query_matches(&q, &t, 5));
	t.status = TASK_DONE;
	assert_false(task_query_matches(&q, &t, 5));
	t.status = TASK_NEW;
	assert_int_equal(task_query_filter(&q, "assignee=me", err, sizeof err),
	                 0);
	assert_false(task_query_matches(&q, &t, 5));
	t.has_assignee = true;
	t.assignee = &staff5;
	assert_true(task_query_matches(&q, &t, 5));
	assert_false(task_query_matches(&q, &t, 0));
	assert_int_equal(task_query_filter(&q, "client=4", err, sizeof err), 0);
	assert_false(task_query_matches(&q, &t, 5));
	assert_int_equal(
	    task_query_filter(&q, "client=3 priority=high", err, sizeof err),
	    0);
	assert_true(task_query_matches(&q, &t, 5));
	task_query_search(&q, "disk full");
	assert_true(task_query_matches(&q, &t, 5));
	task_query_search(&q, "web2");
	assert_false(task_query_matches(&q, &t, 5));
	t.description = "moved to WEB2 yesterday";
	assert_true(task_query_matches(&q, &t, 5));
	task_query_free(&q);
}

static void
task_query__compare__mirrors_server_orders(void **state)
{
	struct task_query q;
	struct task urgent = mk(9, TASK_NEW, PRIORITY_URGENT, 300);
	struct task low_old = mk(2, TASK_NEW, PRIORITY_LOW, 100);
	struct task low_new = mk(3, TASK_NEW, PRIORITY_LOW, 200);
	char err[64];

	task_query_init(&q);
	/* Default: -priority, then created_at ascending, then id. */
	assert_true(task_query_compare(&q, &urgent, &low_old) < 0);
	assert_true(task_query_compare(&q, &low_old, &low_new) < 0);
	assert_int_equal(task_query_compare(&q, &low_old, &low_old), 0);
	/* priority: the exact reverse, created_at descending in a tie. */
	assert_int_equal(task_query_sort(&q, "priority", err, sizeof err), 0);
	assert_true(task_query_compare(&q, &urgent, &low_old) > 0);
	assert_true(task_query_compare(&q, &low_old, &low_new) > 0);
	assert_int_equal(task_query_sort(&q, "-created_at", err, sizeof err),
	                 0);
	assert_true(task_query_compare(&q, &urgent, &low_new) < 0);
	/* Due dates: none comes last ascending, first descending. */
	assert_int_equal(task_query_sort(&q, "-due_at", err, sizeof err), 0);
	low_old.has_due_at = true;
	low_old.due_at = 50;
	assert_true(task_query_compare(&q, &low_old, &urgent) > 0);
	assert_int_equal(task_query_sort(&q, "due_at", err, sizeof err), 0);
	assert_true(task_query_compare(&q, &low_old, &urgent) < 0);
	low_new.has_due_at = true;
	low_new.due_at = 10;
	assert_true(task_query_compare(&q, &low_new, &low_old) < 0);
	task_query_free(&q);
}

/* assignee=none and assignee=ID are asked of the service as such and
 * judge live tasks the same way; a priority filter drops the others. */
static void
task_query__assignee_none_or_id__asked_and_matched(void **state)
{
	static const struct staff_ref staff6 = { .id = 6 };
	struct task_query q;
	struct task t = mk(1, TASK_NEW, PRIORITY_LOW, 100);
	char err[64];

	(void)state;
	task_query_init(&q);
	assert_int_equal(
	    task_query_filter(&q, "assignee=none", err, sizeof err), 0);
	assert_query(&q, NULL,
	             "status=new,in_progress,waiting_on_client&assignee=none"
	             "&limit=100");
	assert_true(task_query_matches(&q, &t, 5));
	t.has_assignee = true;
	t.assignee = &staff5;
	assert_false(task_query_matches(&q, &t, 5));
	assert_int_equal(task_query_filter(&q, "assignee=5", err, sizeof err),
	                 0);
	assert_query(&q, NULL,
	             "status=new,in_progress,waiting_on_client&assignee=5"
	             "&limit=100");
	assert_true(task_query_matches(&q, &t, 7));
	t.assignee = &staff6;
	assert_false(task_query_matches(&q, &t, 7));
	t.has_assignee = false;
	assert_false(task_query_matches(&q, &t, 7));
	assert_int_equal(task_query_filter(&q, "assignee=any priority=high",
	                                   err, sizeof err),
	                 0);
	assert_false(task_query_matches(&q, &t, 7));
	t.priority = PRIORITY_HIGH;
	assert_true(task_query_matches(&q, &t, 7));
	task_query_free(&q);
}

/* overdue with only closed statuses asks for those (none will be
 * overdue) rather than for every open one. */
static void
task_query__overdue__with_closed_statuses_asks_them(void **state)
{
	struct task_query q;
	char err[64];

	(void)state;
	task_query_init(&q);
	assert_int_equal(
	    task_query_filter(&q, "status=done overdue", err, sizeof err), 0);
	assert_query(&q, NULL, "status=done&sort=due_at&limit=100");
	task_query_free(&q);
}

/* updated_at orders by the last change; two tasks without a due date
 * tie on due_at and fall back to id; no sort given is refused. */
static void
task_query__compare__updated_and_two_without_due(void **state)
{
	struct task_query q;
	struct task a = mk(4, TASK_NEW, PRIORITY_LOW, 100);
	struct task b = mk(5, TASK_NEW, PRIORITY_LOW, 100);
	char err[128];

	(void)state;
	task_query_init(&q);
	a.updated_at = 500;
	b.updated_at = 400;
	assert_int_equal(task_query_sort(&q, "updated_at", err, sizeof err), 0);
	assert_true(task_query_compare(&q, &a, &b) > 0);
	assert_int_equal(task_query_sort(&q, "-updated_at", err, sizeof err),
	                 0);
	assert_true(task_query_compare(&q, &a, &b) < 0);
	assert_int_equal(task_query_sort(&q, "due_at", err, sizeof err), 0);
	assert_true(task_query_compare(&q, &a, &b) < 0);
	assert_true(task_query_compare(&q, &b, &a) > 0);
	assert_int_equal(task_query_sort(&q, NULL, err, sizeof err), -1);
	assert_non_null(strstr(err, "sort: unknown order"));
	assert_string_equal(task_query_sort_name(&q), "due_at");
	task_query_free(&q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(task_query__string__default_is_open_tasks),
		cmocka_unit_test(task_query__string__every_key_in_order),
		cmocka_unit_test(task_query__string__escapes_search_text),
		cmocka_unit_test(task_query__escape__keeps_unreserved),
		cmocka_unit_test(task_query__filter__changes_only_named_keys),
		cmocka_unit_test(
		    task_query__filter__client_by_name_waits_to_be_found),
		cmocka_unit_test(
		    task_query__filter__errors_leave_query_unchanged),
		cmocka_unit_test(
		    task_query__sort__accepts_fields_and_rejects_others),
		cmocka_unit_test(task_query__describe__names_what_filters),
		cmocka_unit_test(
		    task_query__overdue__asks_due_order_and_drops_the_rest),
		cmocka_unit_test(task_query__matches__applies_every_filter),
		cmocka_unit_test(task_query__compare__mirrors_server_orders),
		cmocka_unit_test(
		    task_query__assignee_none_or_id__asked_and_matched),
		cmocka_unit_test(
		    task_query__overdue__with_closed_statuses_asks_them),
		cmocka_unit_test(
		    task_query__compare__updated_and_two_without_due),
	};

	return cmocka_run_group_tests_name("views/task_query", tests, NULL,
	                                   NULL);
}
