/* Unit tests for net/store/comment_store.c: a task's comments held once,
 * in the server's order, and its attachments; a bounded cache. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/base/xmalloc.h"
#include "net/store/comment_store.h"
#include "net/store/task_store.h"

/* The tasks the listener heard of, in order. */
struct heard {
	int64_t task[64];
	size_t n;
};

static void
hear(void *ud, int64_t task_id)
{
	struct heard *h = ud;

	if (h->n < 64)
		h->task[h->n] = task_id;
	h->n++;
}

/* A comment as the event stream hands it over (the store copies it). */
static struct comment
ev(int64_t id, time_t created_at, const char *body)
{
	struct comment c = { .id = id, .created_at = created_at };

	c.body = (char *)body;
	c.author.name = "Ann";
	return c;
}

/* The ids of task_id's comments, in the store's order, as "1,2,3". */
static char *
ids(const struct comment_store *cs, int64_t task_id)
{
	const struct comment *const *cm;
	char *out = xstrdup(""), *joined;
	size_t n, i;

	cm = comment_store_comments(cs, task_id, &n);
	for (i = 0; i < n; i++) {
		joined = xasprintf("%s%s%lld", out, i > 0 ? "," : "",
		                   (long long)cm[i]->id);
		free(out);
		out = joined;
	}
	return out;
}

static void
assert_ids(const struct comment_store *cs, int64_t task_id, const char *want)
{
	char *got = ids(cs, task_id);

	assert_string_equal(got, want);
	free(got);
}

/* A GET /tasks/{id} answer as the parser makes it (all malloc'd). */
static struct task_detail
answer(int64_t task_id, int64_t version, const int64_t *cids, const time_t *at,
       size_t n, size_t natts)
{
	struct task_detail d = { 0 };
	struct comment c;
	size_t i;

	d.task.id = task_id;
	d.task.version = version;
	d.task.title = xasprintf("task %lld v%lld", (long long)task_id,
	                         (long long)version);
	d.comments = xcalloc(n + 1, sizeof *d.comments);
	for (i = 0; i < n; i++) {
		c = ev(cids[i], at[i], "from the GET");
		comment_copy(&d.comments[i], &c);
	}
	d.ncomments = n;
	d.attachments = xcalloc(natts + 1, sizeof *d.attachments);
	for (i = 0; i < natts; i++) {
		d.attachments[i].id = 100 + (int64_t)i;
		d.attachments[i].filename = xasprintf("file%zu.txt", i);
		d.attachments[i].content_type = xstrdup("text/plain");
	}
	d.nattachments = natts;
	return d;
}

static void
test_comment_store__comments_are_in_the_servers_order(void **state)
{
	struct comment_store *cs = comment_store_new();
	struct comment c;

	(void)state;
	c = ev(5, 500, "fifth");
	assert_true(comment_store_comment(cs, 1, &c));
	c = ev(3, 300, "third");
	assert_true(comment_store_comment(cs, 1, &c));
	c = ev(9, 300, "same time, larger id");
	assert_true(comment_store_comment(cs, 1, &c));
	c = ev(1, 600, "latest, smallest id");
	assert_true(comment_store_comment(cs, 1, &c));
	assert_ids(cs, 1, "3,9,5,1");
	c = ev(4, 300, "late event: joins at its place");
	assert_true(comment_store_comment(cs, 1, &c));
	assert_ids(cs, 1, "3,4,9,5,1");
	comment_store_free(cs);
}

static void
test_comment_store__a_replayed_event_is_held_once(void **state)
{
	struct comment_store *cs = comment_store_new();
	struct heard h = { 0 };
	struct comment c = ev(5, 500, "hello");

	(void)state;
	comment_store_listen(cs, hear, &h);
	assert_true(comment_store_comment(cs, 1, &c));
	assert_false(comment_store_comment(cs, 1, &c));
	c.body = "the sender's report of the same comment";
	assert_false(comment_store_comment(cs, 1, &c));
	assert_ids(cs, 1, "5");
	assert_string_equal(comment_store_find(cs, 5)->body, "hello");
	assert_int_equal(h.n, 1); /* nothing changed twice */
	comment_store_free(cs);
}

static void
test_comment_store__a_comment_before_the_detail_is_kept_and_not_doubled(
    void **state)
{
	struct comment_store *cs = comment_store_new();
	struct task_store *ts = task_store_new();
	int64_t cids[] = { 2, 5 };
	time_t at[] = { 200, 500 };
	struct task_detail d;
	struct comment c = ev(5, 500, "live");
	size_t n;

	(void)state;
	assert_true(comment_store_comment(cs, 1, &c));
	assert_false(comment_store_loaded(cs, 1));
	assert_ids(cs, 1, "5");
	c = ev(7, 700, "after the GET left the service");
	assert_true(comment_store_comment(cs, 1, &c));
	d = answer(1, 3, cids, at, 2, 1);
	comment_store_detail(cs, ts, &d);
	task_detail_free(&d); /* emptied: frees nothing twice */
	assert_true(comment_store_loaded(cs, 1));
	assert_ids(cs, 1, "2,5,7");
	/* The held copy stays: the event came first. */
	assert_string_equal(comment_store_find(cs, 5)->body, "live");
	assert_string_equal(task_store_get(ts, 1)->title, "task 1 v3");
	assert_int_equal(comment_store_attachments(cs, 1, &n)[0].id, 100);
	assert_int_equal(n, 1);
	/* Another task's detail is none of these. */
	assert_ids(cs, 2, "");
	assert_null(comment_store_attachments(cs, 2, &n));
	assert_int_equal(n, 0);
	comment_store_free(cs);
	task_store_free(ts);
}

static void
test_comment_store__an_older_answer_keeps_the_newer_task(void **state)
{
	struct comment_store *cs = comment_store_new();
	struct task_store *ts = task_store_new();
	struct task_detail d;
	size_t n;

	(void)state;
	d = answer(1, 5, NULL, NULL, 0, 2);
	comment_store_detail(cs, ts, &d);
	d = answer(1, 4, NULL, NULL, 0, 1);
	comment_store_detail(cs, ts, &d);
	assert_string_equal(task_store_get(ts, 1)->title, "task 1 v5");
	/* The attachments are the last answer's. */
	comment_store_attachments(cs, 1, &n);
	assert_int_equal(n, 1);
	comment_store_free(cs);
	task_store_free(ts);
}

static void
test_comment_store__lookup_after_many_inserts(void **state)
{
	struct comment_store *cs = comment_store_new();
	const struct comment *const *cm;
	struct comment c;
	int64_t id;
	size_t n, i;

	(void)state;
	/* Descending times: every insert goes to the front. */
	for (id = 1; id <= 1000; id++) {
		c = ev(id, 5000 - (time_t)id, "x");
		assert_true(comment_store_comment(cs, 3, &c));
	}
	for (id = 1; id <= 1000; id++)
		assert_int_equal(comment_store_find(cs, id)->id, id);
	assert_null(comment_store_find(cs, 1001));
	cm = comment_store_comments(cs, 3, &n);
	assert_int_equal(n, 1000);
	for (i = 0; i < n; i++)
		assert_int_equal(cm[i]->id, 1000 - (int64_t)i);
	comment_store_free(cs);
}

static void
test_comment_store__forget_and_the_listener(void **state)
{
	struct comment_store *cs = comment_store_new();
	struct task_store *ts = task_store_new();
	struct heard h = { 0 }, other = { 0 };
	struct task_detail d = answer(4, 1, NULL, NULL, 0, 0);
	struct comment c = ev(8, 800, "x");

	(void)state;
	comment_store_listen(cs, hear, &h);
	comment_store_listen(cs, hear, &other);
	comment_store_detail(cs, ts, &d);
	assert_true(comment_store_comment(cs, 4, &c));
	comment_store_unlisten(cs, hear, &other);
	comment_store_forget(cs, 4);
	assert_int_equal(h.n, 3);
	assert_int_equal(h.task[0], 4);
	assert_int_equal(h.task[2], 4);
	assert_int_equal(other.n, 2);
	assert_false(comment_store_loaded(cs, 4));
	assert_null(comment_store_find(cs, 8));
	assert_ids(cs, 4, "");
	assert_int_equal(comment_store_count(cs), 0);
	/* Forgotten: the same comment is new again. */
	assert_true(comment_store_comment(cs, 4, &c));
	comment_store_free(cs);
	task_store_free(ts);
}

static void
test_comment_store__the_cache_is_bounded_and_spares_held_details(void **state)
{
	struct comment_store *cs = comment_store_new();
	struct comment c;
	int64_t task;

	(void)state;
	comment_store_hold(cs, 1);
	c = ev(1, 100, "on the open task");
	comment_store_comment(cs, 1, &c);
	/* Thousands of tasks commented on: a few dozen are kept. */
	for (task = 2; task <= 5000; task++) {
		c = ev(task, 100, "elsewhere");
		comment_store_comment(cs, task, &c);
	}
	assert_int_equal(comment_store_count(cs), COMMENT_STORE_CACHED + 1);
	assert_ids(cs, 1, "1");
	assert_ids(cs, 5000, "5000");
	assert_ids(cs, 2, ""); /* the least recently used went first */
	assert_null(comment_store_find(cs, 2));
	/* Forgotten while held: emptied, and held still. */
	comment_store_forget(cs, 1);
	assert_ids(cs, 1, "");
	c = ev(2, 100, "after the forget");
	comment_store_comment(cs, 1, &c);
	for (task = 5001; task <= 5100; task++) {
		c = ev(task, 100, "elsewhere");
		comment_store_comment(cs, task, &c);
	}
	assert_ids(cs, 1, "2");
	/* Released, the open task's detail is an entry of the cache. */
	comment_store_release(cs, 1);
	assert_int_equal(comment_store_count(cs), COMMENT_STORE_CACHED);
	assert_ids(cs, 1, "");
	comment_store_free(cs);
}

static void
test_comment_store__unmatched_release_and_unknown_forget_change_nothing(
    void **state)
{
	struct comment_store *cs = comment_store_new();
	struct comment c = ev(1, 100, "cached");
	int64_t task;

	(void)state;
	comment_store_comment(cs, 1, &c);
	assert_int_equal(comment_store_count(cs), 1);
	/* A release without a hold, or of a task never seen: no-ops. */
	comment_store_release(cs, 1);
	comment_store_release(cs, 9);
	comment_store_forget(cs, 9);
	assert_int_equal(comment_store_count(cs), 1);
	assert_ids(cs, 1, "1");
	/* Nor was it made held: the cache's bound still reaches it. */
	for (task = 2; task <= COMMENT_STORE_CACHED + 1; task++) {
		c = ev(task, 100, "elsewhere");
		comment_store_comment(cs, task, &c);
	}
	assert_int_equal(comment_store_count(cs), COMMENT_STORE_CACHED);
	assert_ids(cs, 1, "");
	comment_store_free(cs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_comment_store__comments_are_in_the_servers_order),
		cmocka_unit_test(
		    test_comment_store__a_replayed_event_is_held_once),
		cmocka_unit_test(
		    test_comment_store__a_comment_before_the_detail_is_kept_and_not_doubled),
		cmocka_unit_test(
		    test_comment_store__an_older_answer_keeps_the_newer_task),
		cmocka_unit_test(test_comment_store__lookup_after_many_inserts),
		cmocka_unit_test(test_comment_store__forget_and_the_listener),
		cmocka_unit_test(
		    test_comment_store__the_cache_is_bounded_and_spares_held_details),
		cmocka_unit_test(
		    test_comment_store__unmatched_release_and_unknown_forget_change_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
