/* Unit tests for net/store/id_order.c: the queue's order in blocks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/store/id_order.h"
#include "tests/unit/net/heap_test.h"

/* Several blocks' worth (a block holds 512), so splits and merges run. */
#define N 6000

/* The order and a plain array of the same ids, changed side by side. */
struct pair {
	struct id_order *o;
	int64_t truth[N];
	size_t n;
	uint32_t r;
};

static uint32_t
rnd(struct pair *p)
{
	p->r = p->r * 1103515245u + 12345u;
	return p->r >> 8;
}

static void
insert(struct pair *p, size_t at, int64_t id)
{
	memmove(&p->truth[at + 1], &p->truth[at],
	        (p->n - at) * sizeof *p->truth);
	p->truth[at] = id;
	p->n++;
	assert_true(id_order_insert(p->o, at, id));
}

static void
remove_at(struct pair *p, size_t at)
{
	int64_t id = p->truth[at];

	memmove(&p->truth[at], &p->truth[at + 1],
	        (p->n - at - 1) * sizeof *p->truth);
	p->n--;
	assert_int_equal(id_order_remove(p->o, id), at);
	assert_false(id_order_has(p->o, id));
}

/* Every position and every id agree with the array. */
static void
check(struct pair *p)
{
	size_t i;

	assert_int_equal(id_order_count(p->o), p->n);
	for (i = 0; i < p->n; i++) {
		assert_int_equal(id_order_at(p->o, i), p->truth[i]);
		assert_int_equal(id_order_pos(p->o, p->truth[i]), i);
	}
}

/* What id_order_place must find: the first id above key. */
static bool
above(void *ud, int64_t id)
{
	return id > *(int64_t *)ud;
}

/* The cells an owner keeps for ids -1 to 30,000 (id_order_new_in). */
static uint32_t cells[30002];

static uint32_t *
cell(void *ud, int64_t id)
{
	(void)ud;
	return id >= -1 && id <= 30000 ? &cells[id + 1] : NULL;
}

/*
 * Appends (a head page), inserts at one moving place (a tail page just
 * after the gap), random inserts and removals, removals that empty
 * whole blocks: after each phase, every position and id agree.
 */
static void
every_pattern(struct id_order *o)
{
	static struct pair p;
	size_t step, gap;
	int64_t next = 1;

	memset(&p, 0, sizeof p);
	p.o = o;
	p.r = 7;
	for (step = 0; step < 1500; step++)
		insert(&p, p.n, next++);
	check(&p);
	gap = p.n;
	insert(&p, gap, -1);
	for (step = 0; step < 1500; step++)
		insert(&p, gap + 1, next++);
	check(&p);
	for (step = 0; step < 20000; step++) {
		if (p.n < N && (p.n == 0 || rnd(&p) % 2 == 0))
			insert(&p, rnd(&p) % (p.n + 1), next++);
		else
			remove_at(&p, rnd(&p) % p.n);
		if (step % 1000 == 0)
			check(&p);
	}
	check(&p);
	/* Whole runs out, from the front, the middle and the end. */
	while (p.n > 2000)
		remove_at(&p, p.n > 4000 ? 0 : p.n / 2);
	check(&p);
	while (p.n > 0)
		remove_at(&p, p.n - 1);
	check(&p);
	assert_int_equal(id_order_remove(p.o, 5), -1);
	id_order_free(p.o);
}

/* With its own id map. */
static void
test_id_order__agrees_with_an_array_in_every_pattern(void **state)
{
	(void)state;
	every_pattern(id_order_new());
}

/* With the owner's cells; an id the owner does not hold stays out. */
static void
test_id_order__in_cells__agrees_and_takes_only_held_ids(void **state)
{
	struct id_order *o = id_order_new_in(cell, NULL);
	size_t i;

	(void)state;
	assert_false(id_order_insert(o, 0, 30001));
	assert_true(id_order_insert(o, 0, 3));
	assert_true(id_order_insert(o, 0, 2));
	id_order_clear(o);
	for (i = 0; i < 30002; i++)
		assert_int_equal(cells[i], 0);
	id_order_free(o);
	every_pattern(id_order_new_in(cell, NULL));
}

/* place() finds, in a sorted order, the first id an item sorts before. */
static void
test_id_order__place_finds_the_first_greater(void **state)
{
	struct id_order *o = id_order_new();
	int64_t key, i;

	(void)state;
	key = 0;
	assert_int_equal(id_order_place(o, above, &key), 0);
	for (i = 0; i < 3000; i++)
		assert_true(id_order_insert(o, (size_t)i, 2 * i + 2));
	for (key = 0; key <= 6002; key++)
		assert_int_equal(id_order_place(o, above, &key),
		                 key < 2          ? 0
		                 : key / 2 > 3000 ? 3000
		                                  : key / 2);
	assert_false(id_order_insert(o, 0, 10));
	id_order_clear(o);
	assert_int_equal(id_order_count(o), 0);
	assert_false(id_order_has(o, 10));
	assert_true(id_order_insert(o, 0, 10));
	assert_int_equal(id_order_pos(o, 10), 0);
	id_order_free(o);
}

#ifndef UNDER_ASAN
/*
 * 100,000 ids appended cost at most 40 bytes each, the id map's share
 * included: the queue at 100,000 tasks fits tig's memory. (A tree node
 * per id cost 85.)
 */
static void
test_id_order__costs_under_40_bytes_an_id(void **state)
{
	struct id_order *o;
	size_t before, i;

	(void)state;
	before = heap_bytes();
	o = id_order_new();
	for (i = 0; i < 100000; i++)
		assert_true(id_order_insert(o, i, (int64_t)i + 1));
	assert_in_range((heap_bytes() - before) / 100000, 1, 40);
	id_order_free(o);
}
#endif

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_id_order__agrees_with_an_array_in_every_pattern),
		cmocka_unit_test(
		    test_id_order__in_cells__agrees_and_takes_only_held_ids),
		cmocka_unit_test(test_id_order__place_finds_the_first_greater),
#ifndef UNDER_ASAN
		cmocka_unit_test(test_id_order__costs_under_40_bytes_an_id),
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
