/* Unit tests for net/store/idmap.c: the store's id lookup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/store/idmap.h"
#include "tests/unit/net/heap_test.h"

#define N 5000

static void
test_idmap__put_get_replace_remove(void **state)
{
	struct idmap *m = idmap_new();
	int a = 1, b = 2;

	(void)state;
	assert_null(idmap_get(m, 7));
	assert_null(idmap_put(m, 7, &a));
	assert_ptr_equal(idmap_get(m, 7), &a);
	assert_ptr_equal(idmap_put(m, 7, &b), &a);
	assert_int_equal(idmap_count(m), 1);
	assert_ptr_equal(idmap_remove(m, 7), &b);
	assert_null(idmap_remove(m, 7));
	assert_null(idmap_get(m, 7));
	assert_int_equal(idmap_count(m), 0);
	idmap_free(m);
}

/* A value that holds its own id, as a keyed map's values do. */
struct val {
	char tag;
	int64_t id;
};

/*
 * Random puts and removals on m, checked against a plain array after
 * each; m is freed.
 */
static void
agree(struct idmap *m)
{
	static struct val *truth[N];
	static struct val vals[N];
	size_t i, step, held = 0;
	int64_t id;

	memset(truth, 0, sizeof truth);
	for (i = 0; i < N; i++)
		vals[i].id = (int64_t)i;
	srand(15);
	for (step = 0; step < 60000; step++) {
		id = rand() % N;
		if (rand() % 3 == 0) {
			assert_ptr_equal(idmap_remove(m, id), truth[id]);
			held -= truth[id] != NULL;
			truth[id] = NULL;
		} else {
			held += truth[id] == NULL;
			assert_ptr_equal(idmap_put(m, id, &vals[id]),
			                 truth[id]);
			truth[id] = &vals[id];
		}
		assert_int_equal(idmap_count(m), held);
	}
	for (i = 0; i < N; i++)
		assert_ptr_equal(idmap_get(m, (int64_t)i), truth[i]);
	idmap_free(m);
}

static void
test_idmap__agrees_with_an_array_through_growth_and_removals(void **state)
{
	(void)state;
	agree(idmap_new());
}

/* The same with the ids read from the values. */
static void
test_idmap__keyed__agrees_with_an_array(void **state)
{
	(void)state;
	agree(idmap_new_keyed(offsetof(struct val, id)));
}

#ifndef UNDER_ASAN
/*
 * A keyed map of 100,000 ids costs at most 11 bytes an id (a slot
 * holding the id too costs 21): the task store's share of a task.
 */
static void
test_idmap__keyed__costs_under_11_bytes_an_id(void **state)
{
	enum { M = 100000 };
	struct val *v = calloc(M, sizeof *v);
	size_t before = heap_bytes(), i;
	struct idmap *m = idmap_new_keyed(offsetof(struct val, id));

	(void)state;
	for (i = 0; i < M; i++) {
		v[i].id = (int64_t)i * 7;
		idmap_put(m, v[i].id, &v[i]);
	}
	assert_true(heap_bytes() - before <= 11 * (size_t)M);
	assert_ptr_equal(idmap_get(m, 7 * 4321), &v[4321]);
	idmap_free(m);
	free(v);
}
#endif

static void
test_idmap__walk_visits_each_entry_once(void **state)
{
	struct idmap *m = idmap_new();
	static char seen[100];
	size_t pos = 0, n = 0;
	int64_t id;
	void *v;

	(void)state;
	for (id = 0; id < 100; id++)
		idmap_put(m, id * 1000003, &seen[id]);
	while ((v = idmap_next(m, &pos, &id)) != NULL) {
		assert_ptr_equal(v, &seen[id / 1000003]);
		seen[id / 1000003]++;
		n++;
	}
	assert_int_equal(n, 100);
	for (id = 0; id < 100; id++)
		assert_int_equal(seen[id], 1);
	idmap_clear(m);
	assert_int_equal(idmap_count(m), 0);
	assert_null(idmap_get(m, 0));
	idmap_free(m);
}

static void
test_idmap__put_null_removes(void **state)
{
	struct idmap *m = idmap_new();
	int a = 1;

	(void)state;
	assert_null(idmap_put(m, 7, &a));
	assert_ptr_equal(idmap_put(m, 7, NULL), &a);
	assert_null(idmap_get(m, 7));
	assert_int_equal(idmap_count(m), 0);
	assert_null(idmap_put(m, 8, NULL)); /* nothing there: nothing added */
	assert_int_equal(idmap_count(m), 0);
	idmap_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_idmap__put_get_replace_remove),
		cmocka_unit_test(
		    test_idmap__agrees_with_an_array_through_growth_and_removals),
		cmocka_unit_test(test_idmap__walk_visits_each_entry_once),
		cmocka_unit_test(test_idmap__keyed__agrees_with_an_array),
		cmocka_unit_test(test_idmap__put_null_removes),
#ifndef UNDER_ASAN
		cmocka_unit_test(test_idmap__keyed__costs_under_11_bytes_an_id),
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
