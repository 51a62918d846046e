/* Unit tests for net/store/task_store.c and id_order.c: tasks held once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/base/xmalloc.h"
#include "net/store/id_order.h"
#include "net/store/task_store.h"

/* What the listener heard, in order. */
struct heard {
	int64_t id[16];
	enum task_change what[16];
	size_t n;
};

static void
hear(void *ud, int64_t id, enum task_change what)
{
	struct heard *h = ud;

	if (h->n < 16) {
		h->id[h->n] = id;
		h->what[h->n] = what;
	}
	h->n++;
}

/* A task with a malloc'd title, as a parser would make it. */
static struct task
mk(int64_t id, int64_t version, const char *title)
{
	struct task t = { .id = id, .version = version };

	t.title = xstrdup(title);
	return t;
}

static void
test_task_store__newer_wins_older_and_replays_ignored(void **state)
{
	struct task_store *ts = task_store_new();
	struct heard h = { 0 };
	struct task t;

	(void)state;
	task_store_listen(ts, hear, &h);
	t = mk(7, 2, "v2");
	assert_int_equal(task_store_put(ts, &t), TASK_PUT_NEW);
	t = mk(7, 1, "v1");
	assert_int_equal(task_store_put(ts, &t), TASK_PUT_STALE);
	assert_string_equal(task_store_get(ts, 7)->title, "v2");
	t = mk(7, 2, "v2 replayed");
	assert_int_equal(task_store_put(ts, &t), TASK_PUT_STALE);
	t = mk(7, 3, "v3");
	assert_int_equal(task_store_put(ts, &t), TASK_PUT_NEWER);
	assert_string_equal(task_store_get(ts, 7)->title, "v3");
	assert_int_equal(h.n, 2);
	assert_int_equal(h.what[0], TASK_STORE_INSERTED);
	assert_int_equal(h.what[1], TASK_STORE_UPDATED);
	assert_int_equal(task_store_count(ts), 1);
	task_store_unlisten(ts, hear, &h);
	t = mk(7, 4, "v4");
	task_store_put(ts, &t);
	assert_int_equal(h.n, 2);
	task_store_free(ts);
}

static void
test_task_store__change_rolls_back_or_is_settled_by_the_answer(void **state)
{
	struct task_store *ts = task_store_new();
	struct task t = mk(1, 5, "before"), c = mk(1, 5, "optimistic");

	(void)state;
	task_store_put(ts, &t);
	assert_true(task_store_change(ts, &c));
	assert_true(task_store_pending(ts, 1));
	assert_string_equal(task_store_get(ts, 1)->title, "optimistic");
	/* A replay of the version the change was made on changes nothing. */
	t = mk(1, 5, "replay");
	assert_int_equal(task_store_put(ts, &t), TASK_PUT_STALE);
	assert_true(task_store_rollback(ts, 1));
	assert_false(task_store_pending(ts, 1));
	assert_string_equal(task_store_get(ts, 1)->title, "before");
	assert_false(task_store_rollback(ts, 1));
	/* Again, and this time the PATCH answer (version 6) settles it. */
	assert_true(task_store_change(ts, &c));
	t = mk(1, 6, "answer");
	assert_int_equal(task_store_put(ts, &t), TASK_PUT_NEWER);
	assert_false(task_store_pending(ts, 1));
	assert_false(task_store_rollback(ts, 1));
	assert_string_equal(task_store_get(ts, 1)->title, "answer");
	assert_false(task_store_change(ts, &(struct task){ .id = 99 }));
	task_free(&c);
	task_store_free(ts);
}

/* A page of ids from..to (inclusive), version 1. */
static struct task_page
page(int64_t from, int64_t to)
{
	struct task_page p = { 0 };
	int64_t id;

	p.items = xcalloc((size_t)(to - from + 1), sizeof *p.items);
	for (id = from; id <= to; id++)
		p.items[p.n++] = mk(id, 1, "t");
	return p;
}

static void
test_task_store__pages_fill_the_queue_without_duplicates(void **state)
{
	struct task_store *ts = task_store_new();
	struct task_page p = page(1, 3);
	struct task t = mk(10, 1, "live");

	(void)state;
	task_store_queue_page(ts, &p, true);
	assert_int_equal(task_store_queue_count(ts), 3);
	task_store_put(ts, &t);
	assert_true(task_store_queue_insert(ts, 1, 10));
	assert_false(task_store_queue_insert(ts, 0, 10));
	p = page(4, 5);
	p.items[1].id = 10; /* the live task comes again with a page */
	task_store_queue_page(ts, &p, false);
	assert_int_equal(task_store_queue_count(ts), 5);
	assert_int_equal(task_store_queue_at(ts, 1)->id, 10);
	assert_int_equal(task_store_queue_pos(ts, 4), 4);
	p = page(20, 21);
	task_store_queue_page(ts, &p, true);
	assert_int_equal(task_store_queue_count(ts), 2);
	assert_int_equal(task_store_queue_pos(ts, 10), -1);
	assert_non_null(task_store_get(ts, 10)); /* held, not queued */
	task_store_forget(ts, 20);
	assert_null(task_store_get(ts, 20));
	assert_int_equal(task_store_queue_pos(ts, 21), 0);
	task_store_free(ts);
}

/* Sorts by title, the only field the test sets. */
static bool
by_title(void *ud, const struct task *t, const struct task *o)
{
	(void)ud;
	return strcmp(t->title, o->title) < 0;
}

static void
test_task_store__live_insertions_go_to_their_place(void **state)
{
	static const char *titles[] = { "b", "d", "f", "h" };
	struct task_store *ts = task_store_new();
	struct task_page p = page(1, 4);
	struct task t;
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++) {
		free(p.items[i].title);
		p.items[i].title = xstrdup(titles[i]);
	}
	task_store_queue_page(ts, &p, true);
	t = mk(5, 1, "a");
	assert_int_equal(task_store_queue_place(ts, &t, by_title, NULL), 0);
	task_free(&t);
	t = mk(6, 1, "e");
	assert_int_equal(task_store_queue_place(ts, &t, by_title, NULL), 2);
	task_store_put(ts, &t);
	task_store_queue_insert(ts, 2, 6);
	t = mk(7, 1, "z");
	assert_int_equal(task_store_queue_place(ts, &t, by_title, NULL), 5);
	task_free(&t);
	t = mk(8, 1, "d"); /* equal keys: after the ones there */
	assert_int_equal(task_store_queue_place(ts, &t, by_title, NULL), 2);
	task_free(&t);
	assert_int_equal(task_store_queue_remove(ts, 2), 1);
	assert_int_equal(task_store_queue_pos(ts, 6), 1);
	task_store_free(ts);
}

/* A page of the given ids, in that order (a reversed page: last first). */
static struct task_page
page_of(const int64_t *ids, size_t n)
{
	struct task_page p = { 0 };
	size_t i;

	p.items = xcalloc(n + 1, sizeof *p.items);
	for (i = 0; i < n; i++)
		p.items[p.n++] = mk(ids[i], 1, "t");
	return p;
}

/* Asserts the queue is exactly want (TASK_STORE_GAP_ID for the gap). */
static void
assert_queue(const struct task_store *ts, const int64_t *want, size_t n)
{
	size_t i;

	assert_int_equal(task_store_queue_count(ts), n);
	for (i = 0; i < n; i++)
		assert_int_equal(task_store_queue_id_at(ts, i), want[i]);
}

#define GAP TASK_STORE_GAP_ID

static void
test_task_store__tail_page__holds_the_end_after_a_gap(void **state)
{
	struct task_store *ts = task_store_new();
	struct task_page p = page(1, 3);
	static const int64_t rev[] = { 10, 9, 8 };
	static const int64_t want[] = { 1, 2, 3, GAP, 8, 9, 10 };

	(void)state;
	task_store_queue_page(ts, &p, true);
	assert_int_equal(task_store_queue_gap(ts), -1);
	p = page_of(rev, 3);
	task_store_queue_tail_page(ts, &p);
	assert_queue(ts, want, 7);
	assert_int_equal(task_store_queue_gap(ts), 3);
	assert_null(task_store_queue_at(ts, 3));
	assert_int_equal(task_store_queue_at(ts, 6)->id, 10);
	/* A reload clears head, gap and tail. */
	p = page(20, 21);
	task_store_queue_page(ts, &p, true);
	assert_int_equal(task_store_queue_gap(ts), -1);
	assert_int_equal(task_store_queue_count(ts), 2);
	task_store_free(ts);
}

static void
test_task_store__head_page__meets_the_tail_and_splices_once(void **state)
{
	struct task_store *ts = task_store_new();
	struct task_page p = page(1, 3);
	static const int64_t rev[] = { 10, 9, 8 }, prev[] = { 7, 6 };
	static const int64_t mid[] = { 1, 2, 3, 4, GAP, 6, 7, 8, 9, 10 };
	int64_t all[10];
	size_t i;

	(void)state;
	task_store_queue_page(ts, &p, true);
	p = page_of(rev, 3);
	task_store_queue_tail_page(ts, &p);
	p = page_of(prev, 2); /* the tail grows backwards */
	task_store_queue_tail_page(ts, &p);
	p = page(4, 4);
	task_store_queue_page(ts, &p, false);
	assert_queue(ts, mid, 10);
	/* 5 fills the gap; 6 is the tail's: the parts meet, and 7 to 9
	 * are held, not listed twice. */
	p = page(5, 9);
	p.items[4].version = 2;
	task_store_queue_page(ts, &p, false);
	for (i = 0; i < 10; i++)
		all[i] = (int64_t)i + 1;
	assert_queue(ts, all, 10);
	assert_int_equal(task_store_queue_gap(ts), -1);
	assert_int_equal(task_store_get(ts, 9)->version, 2);
	assert_false(task_store_queue_close_gap(ts));
	task_store_free(ts);
}

static void
test_task_store__tail_page__meets_the_head_or_leaves_no_gap(void **state)
{
	struct task_store *ts = task_store_new();
	struct task_page p = page(1, 3);
	static const int64_t rev[] = { 5, 4, 3, 2 }, whole[] = { 3, 2, 1 };
	static const int64_t want[] = { 1, 2, 3, 4, 5 };

	(void)state;
	task_store_queue_page(ts, &p, true);
	p = page_of(rev, 4);
	task_store_queue_tail_page(ts, &p);
	assert_queue(ts, want, 5);
	assert_int_equal(task_store_queue_gap(ts), -1);
	/* A tail page the head holds all of, or an empty one: no gap. */
	p = page(1, 3);
	task_store_queue_page(ts, &p, true);
	p = page_of(whole, 3);
	task_store_queue_tail_page(ts, &p);
	assert_queue(ts, want, 3);
	p = page_of(whole, 0);
	task_store_queue_tail_page(ts, &p);
	assert_queue(ts, want, 3);
	task_store_free(ts);
}

/* Titles for the ids of a page, in order. */
static void
title_page(struct task_page *p, const char *const *titles)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->items[i].title);
		p->items[i].title = xstrdup(titles[i]);
	}
}

/* Where a task titled title goes in ts, by title. */
static size_t
place_title(const struct task_store *ts, const char *title)
{
	struct task t = mk(99, 1, title);
	size_t pos = task_store_queue_place(ts, &t, by_title, NULL);

	task_free(&t);
	return pos;
}

static void
test_task_store__live_place__head_gap_or_tail(void **state)
{
	static const char *const head[] = { "b", "d" }, *const tail[] = { "z",
		                                                          "x" };
	static const int64_t rev[] = { 11, 10 };
	struct task_store *ts = task_store_new();
	struct task_page p = page(1, 2);
	struct task t;

	(void)state;
	title_page(&p, head);
	task_store_queue_page(ts, &p, true);
	p = page_of(rev, 2);
	title_page(&p, tail);
	task_store_queue_tail_page(ts, &p); /* b d GAP x z */
	assert_int_equal(place_title(ts, "a"), 0);
	assert_int_equal(place_title(ts, "c"), 1);
	assert_int_equal(place_title(ts, "e"), 2); /* the gap's: not loaded */
	assert_int_equal(place_title(ts, "w"), 2);
	assert_int_equal(place_title(ts, "y"), 4);
	assert_int_equal(place_title(ts, "zz"), 5);
	/* Inserted in the tail, it moves nothing before the gap. */
	t = mk(12, 1, "y");
	task_store_put(ts, &t);
	assert_true(task_store_queue_insert(ts, 4, 12));
	assert_int_equal(task_store_queue_gap(ts), 2);
	assert_int_equal(task_store_queue_pos(ts, 11), 5);
	task_store_free(ts);
}

#define N 3000

/* Random inserts and removals against a plain array of ids. */
static void
test_id_order__agrees_with_an_array(void **state)
{
	static int64_t truth[N];
	struct id_order *o = id_order_new();
	size_t n = 0, i, step;
	uint32_t r = 12345;

	(void)state;
	for (step = 0; step < 4 * N; step++) {
		r = r * 1103515245u + 12345u;
		if (n < N && (n == 0 || (r >> 8) % 3 != 0)) {
			size_t at = (r >> 4) % (n + 1);

			memmove(&truth[at + 1], &truth[at],
			        (n - at) * sizeof *truth);
			truth[at] = (int64_t)step + 1;
			assert_true(id_order_insert(o, at, truth[at]));
			n++;
		} else {
			size_t at = (r >> 4) % n;
			int64_t id = truth[at];

			memmove(&truth[at], &truth[at + 1],
			        (n - at - 1) * sizeof *truth);
			n--;
			assert_int_equal(id_order_remove(o, id), at);
			assert_false(id_order_has(o, id));
		}
		if (step % 97 == 0)
			for (i = 0; i < n; i++) {
				assert_int_equal(id_order_at(o, i), truth[i]);
				assert_int_equal(id_order_pos(o, truth[i]), i);
			}
	}
	assert_int_equal(id_order_count(o), n);
	assert_int_equal(id_order_remove(o, -5), -1);
	id_order_clear(o);
	assert_int_equal(id_order_count(o), 0);
	id_order_free(o);
}

static void
test_task_store__forgetting_an_unknown_task_tells_nobody(void **state)
{
	struct task_store *ts = task_store_new();
	struct heard h = { 0 };
	struct task t = mk(7, 1, "kept");

	(void)state;
	task_store_put(ts, &t);
	task_store_listen(ts, hear, &h);
	task_store_forget(ts, 8);
	assert_int_equal(h.n, 0);
	assert_int_equal(task_store_count(ts), 1);
	task_store_forget(ts, 7);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.what[0], TASK_STORE_REMOVED);
	assert_int_equal(task_store_count(ts), 0);
	task_store_unlisten(ts, hear, &h);
	task_store_free(ts);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_task_store__newer_wins_older_and_replays_ignored),
		cmocka_unit_test(
		    test_task_store__change_rolls_back_or_is_settled_by_the_answer),
		cmocka_unit_test(
		    test_task_store__pages_fill_the_queue_without_duplicates),
		cmocka_unit_test(
		    test_task_store__live_insertions_go_to_their_place),
		cmocka_unit_test(
		    test_task_store__tail_page__holds_the_end_after_a_gap),
		cmocka_unit_test(
		    test_task_store__head_page__meets_the_tail_and_splices_once),
		cmocka_unit_test(
		    test_task_store__tail_page__meets_the_head_or_leaves_no_gap),
		cmocka_unit_test(test_task_store__live_place__head_gap_or_tail),
		cmocka_unit_test(test_id_order__agrees_with_an_array),
		cmocka_unit_test(
		    test_task_store__forgetting_an_unknown_task_tells_nobody),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
