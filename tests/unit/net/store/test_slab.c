/*
 * Unit tests for net/store/slab.c: pieces of many sizes, checked against
 * a plain list of what is live (each piece filled with its own byte, so
 * an overlap shows), through random allocations and frees. Under the
 * sanitizer build a piece used past its free is reported (poisoned).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/store/slab.h"

#define LIVE  3000
#define STEPS 60000

/* The reference: every live piece, its asked size and its fill. */
struct piece {
	unsigned char *p;
	size_t n;
	unsigned char fill;
};

/* xorshift: the same pattern every run. */
static uint32_t
rnd(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* True when every byte of the piece is still its fill. */
static bool
intact(const struct piece *pc)
{
	size_t i;

	for (i = 0; i < pc->n; i++)
		if (pc->p[i] != pc->fill)
			return false;
	return true;
}

/* A new piece of 1..SLAB_MAX bytes (mostly row-sized), filled. */
static void
take(struct slab *s, struct piece *pc, uint32_t *x, unsigned char fill)
{
	uint32_t r = rnd(x);

	pc->n = r % 4 != 0 ? 96 + r % 80 : 1 + r % SLAB_MAX;
	pc->p = slab_alloc(s, pc->n);
	assert_non_null(pc->p);
	assert_int_equal((uintptr_t)pc->p % 8, 0);
	assert_int_equal(slab_size(pc->p), (pc->n + 7) / 8 * 8);
	pc->fill = fill;
	memset(pc->p, fill, pc->n);
}

static void
test_slab__random_pieces_never_overlap(void **state)
{
	struct slab *s = slab_new();
	struct piece *live = calloc(LIVE, sizeof *live);
	uint32_t x = 2463534242u;
	size_t i, k;

	(void)state;
	for (i = 0; i < LIVE; i++)
		take(s, &live[i], &x, (unsigned char)i);
	for (i = 0; i < STEPS; i++) {
		k = rnd(&x) % LIVE;
		assert_true(intact(&live[k]));
		slab_free(s, live[k].p);
		take(s, &live[k], &x, (unsigned char)(i * 7));
	}
	for (i = 0; i < LIVE; i++)
		assert_true(intact(&live[i]));
	for (i = 0; i < LIVE; i += 2) /* some freed, the rest with the slab */
		slab_free(s, live[i].p);
	slab_free_all(s);
	free(live);
}

static void
test_slab__a_freed_piece_is_the_next_of_its_size(void **state)
{
	struct slab *s = slab_new();
	void *a = slab_alloc(s, 130), *b = slab_alloc(s, 130);
	void *c = slab_alloc(s, 200);

	(void)state;
	assert_ptr_not_equal(a, b);
	slab_free(s, a);
	slab_free(s, NULL);
	assert_ptr_equal(slab_alloc(s, 129), a); /* 129 and 130 round to 136 */
	assert_ptr_not_equal(slab_alloc(s, 130), a);
	assert_int_equal(slab_size(c), 200);
	assert_int_equal(slab_size(slab_alloc(s, 1)), 8);
	assert_null(slab_alloc(s, SLAB_MAX + 1));
	assert_non_null(slab_alloc(s, SLAB_MAX));
	slab_free_all(s);
	slab_free_all(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slab__random_pieces_never_overlap),
		cmocka_unit_test(
		    test_slab__a_freed_piece_is_the_next_of_its_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
