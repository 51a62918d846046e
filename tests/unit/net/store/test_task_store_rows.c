/*
 * Unit tests for net/store/task_store.c's compact rows: names interned in
 * the store's pool, titles in the row, descriptions kept only for tasks
 * whose detail was put. Run under the sanitizer build (make SANITIZE=1
 * unit) they also show no leak and no dangling name.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/base/xmalloc.h"
#include "net/store/task_store.h"
#include "tests/unit/net/heap_test.h"

/* What the listener heard, counted. */
struct heard {
	size_t updated;
	size_t n;
};

static void
hear(void *ud, int64_t id, enum task_change what)
{
	struct heard *h = ud;

	(void)id;
	h->updated += what == TASK_STORE_UPDATED;
	h->n++;
}

/* A task as a list page brings it: every string malloc'd. */
static struct task
mk(int64_t id, int64_t version, const char *title, const char *client,
   const char *assignee)
{
	struct task t = { .id = id, .version = version };

	t.title = xstrdup(title);
	t.description = xstrdup("a description");
	task_set_client(&t, 40, client, "Acme Ltd");
	if (assignee != NULL)
		task_set_assignee(&t, 3, assignee);
	return t;
}

static void
test_task_store__names_interned_through_put_change_rollback_forget(void **state)
{
	struct task_store *ts = task_store_new();
	struct task t = mk(1, 1, "Renew SSL", "Carla", "Dev");
	struct task c;
	const struct task *a, *b;

	(void)state;
	task_store_put(ts, &t);
	t = mk(2, 1, "Fix links", "Carla", NULL);
	task_store_put(ts, &t);
	a = task_store_get(ts, 1);
	b = task_store_get(ts, 2);
	/* One copy of a name for every row that has it. */
	assert_ptr_equal(a->client->name, b->client->name);
	assert_ptr_equal(a->client->company, b->client->company);
	assert_null(b->assignee);
	/* A newer version with another assignee and a longer title. */
	t = mk(1, 2, "Renew the SSL certificate of the shop", "Carla", "Ana");
	assert_int_equal(task_store_put(ts, &t), TASK_PUT_NEWER);
	assert_ptr_equal(task_store_get(ts, 1), a); /* the row stays put */
	assert_string_equal(a->assignee->name, "Ana");
	assert_string_equal(a->title, "Renew the SSL certificate of the shop");
	/* An optimistic change to another assignee, then its rollback. */
	task_copy(&c, a);
	task_set_assignee(&c, 3, "Bea");
	free(c.title);
	c.title = xstrdup("Short");
	assert_true(task_store_change(ts, &c));
	task_free(&c);
	assert_string_equal(a->assignee->name, "Bea");
	assert_string_equal(a->title, "Short");
	assert_true(task_store_rollback(ts, 1));
	assert_string_equal(a->assignee->name, "Ana");
	assert_string_equal(a->title, "Renew the SSL certificate of the shop");
	assert_string_equal(a->client->name, "Carla");
	/* A change settled by a newer version, then forgotten. */
	task_copy(&c, a);
	assert_true(task_store_change(ts, &c));
	task_free(&c);
	t = mk(1, 3, "v3", "Dora", NULL);
	assert_int_equal(task_store_put(ts, &t), TASK_PUT_NEWER);
	assert_false(task_store_pending(ts, 1));
	assert_string_equal(a->client->name, "Dora");
	assert_string_equal(b->client->name, "Carla");
	task_store_forget(ts, 2);
	assert_null(task_store_get(ts, 2));
	assert_string_equal(task_store_get(ts, 1)->client->company, "Acme Ltd");
	task_store_free(ts);
}

static void
test_task_store__a_list_description_is_dropped_a_detail_one_kept(void **state)
{
	struct task_store *ts = task_store_new();
	struct task t = mk(5, 1, "Listed", "Carla", NULL);
	struct heard h = { 0 };

	(void)state;
	task_store_put(ts, &t);
	/* The list never shows it: a list page's description is not kept. */
	assert_null(task_store_get(ts, 5)->description);
	/* The detail of the same version brings it, and says so. */
	task_store_listen(ts, hear, &h);
	t = mk(5, 1, "Listed", "Carla", NULL);
	free(t.description);
	t.description = xstrdup("From the detail");
	assert_int_equal(task_store_put_detail(ts, &t), TASK_PUT_STALE);
	assert_string_equal(task_store_get(ts, 5)->description,
	                    "From the detail");
	assert_int_equal(h.updated, 1);
	/* From then on a newer version (a page, an event) keeps its own. */
	t = mk(5, 2, "Listed", "Carla", NULL);
	task_store_put(ts, &t);
	assert_string_equal(task_store_get(ts, 5)->description,
	                    "a description");
	/* Another task that never had its detail put keeps none. */
	t = mk(6, 1, "Other", "Carla", NULL);
	task_store_put(ts, &t);
	t = mk(6, 2, "Other", "Carla", NULL);
	task_store_put(ts, &t);
	assert_null(task_store_get(ts, 6)->description);
	task_store_free(ts);
}

/* The assignee of row id: another ref for another staff member. */
static void
assign(struct task_store *ts, int64_t id, int64_t staff, const char *name)
{
	struct task c;

	task_copy(&c, task_store_get(ts, id));
	task_set_assignee(&c, staff, name);
	assert_true(task_store_change(ts, &c));
	task_free(&c);
}

/*
 * Rows share one counted ref per client and staff member (24 bytes a
 * task less than two copies in the struct), through a change, its
 * rollback and forgetting; a copy taken outside the store keeps its ref
 * after the rows and the store are gone (no leak, no dangling pointer
 * under the sanitizer build).
 */
static void
test_task_store__rows_share_refs_a_copy_outlives_them(void **state)
{
	struct task_store *ts = task_store_new();
	struct task t = mk(1, 1, "One", "Carla", "Dev");
	struct task c;
	const struct task *a, *b;

	(void)state;
	assert_true(sizeof(struct task) <= 88);
	task_store_put(ts, &t);
	t = mk(2, 1, "Two", "Carla", "Dev");
	task_store_put(ts, &t);
	a = task_store_get(ts, 1);
	b = task_store_get(ts, 2);
	assert_ptr_equal(a->client, b->client);
	assert_ptr_equal(a->assignee, b->assignee);
	/* Two rows and the pool. */
	assert_int_equal(client_ref_holders(a->client), 3);
	/* Row 2 to Bea: its Dev moves to the pending change's base. */
	assign(ts, 2, 4, "Bea");
	assert_string_equal(b->assignee->name, "Bea");
	assert_int_equal(staff_ref_holders(a->assignee), 3);
	assert_int_equal(staff_ref_holders(b->assignee), 2);
	assert_true(task_store_rollback(ts, 2));
	assert_ptr_equal(b->assignee, a->assignee);
	assert_int_equal(staff_ref_holders(a->assignee), 3);
	/* Unassigned, then forgotten: the copy's ref outlives the rows. */
	assign(ts, 1, 0, NULL);
	assert_null(a->assignee);
	task_copy(&c, b);
	/* Two rows, row 1's pending base, the pool and the copy. */
	assert_int_equal(client_ref_holders(c.client), 5);
	task_store_forget(ts, 1);
	task_store_forget(ts, 2);
	assert_int_equal(client_ref_holders(c.client), 1);
	assert_int_equal(staff_ref_holders(c.assignee), 1);
	task_store_free(ts);
	assert_string_equal(c.client->name, "Carla");
	assert_string_equal(c.assignee->name, "Dev");
	task_free(&c);
}

#ifndef UNDER_ASAN
/* Queue pages of 500 tasks with 26-byte titles, ids from 1 to n. */
static void
load(struct task_store *ts, size_t n)
{
	struct task_page p = { 0 };
	char title[32];
	size_t i;

	for (i = 0; i < n; i++) {
		if (p.n == 0)
			p.items = xcalloc(500, sizeof *p.items);
		snprintf(title, sizeof title, "Renew the certificate %04zu",
		         i % 10000);
		p.items[p.n++] = mk((int64_t)i + 1, 1, title, "Carla", "Dev");
		if (p.n == 500 || i + 1 == n)
			task_store_queue_page(ts, &p, i < 500);
	}
}

/*
 * 100,000 queued tasks with 26-byte titles cost at most 142 bytes each
 * (139 now): the row (struct and title) in the store's slab, the 4-byte
 * handle of its place in the queue inside the struct, the queue's ids
 * and the id map's slot. A malloc a row cost 162 (its header and 16-byte
 * rounding), and 147 in the slab with a pointer-sized cell beside the
 * struct: 100,000 tasks were over tig's 30 MB.
 */
static void
test_task_store__a_row_costs_under_142_bytes(void **state)
{
	struct task_store *ts;
	size_t before;

	(void)state;
	before = heap_bytes();
	ts = task_store_new();
	load(ts, 100000);
	assert_int_equal(task_store_queue_count(ts), 100000);
	assert_string_equal(task_store_queue_at(ts, 99999)->title,
	                    "Renew the certificate 9999");
	assert_in_range((heap_bytes() - before + task_store_slab_bytes(ts)) /
	                    100000,
	                1, 142);
	task_store_free(ts);
}
#endif

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_task_store__names_interned_through_put_change_rollback_forget),
		cmocka_unit_test(
		    test_task_store__a_list_description_is_dropped_a_detail_one_kept),
		cmocka_unit_test(
		    test_task_store__rows_share_refs_a_copy_outlives_them),
#ifndef UNDER_ASAN
		cmocka_unit_test(test_task_store__a_row_costs_under_142_bytes),
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
