/* Unit tests for net/store/listeners.c: who a store tells, in what order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "net/store/listeners.h"

typedef void (*count_fn)(void *ud, int by);

/* Each call appends the listener's tag to the log. */
static char calls[16];
static size_t ncalls;

static void
record(void *ud, int by)
{
	(void)by;
	calls[ncalls++] = *(const char *)ud;
}

static void
other(void *ud, int by)
{
	(void)ud;
	(void)by;
}

static void
tell(const struct listeners *l)
{
	size_t i;

	ncalls = 0;
	for (i = 0; i < l->n; i++)
		((count_fn)l->v[i].fn)(l->v[i].ud, 1);
	calls[ncalls] = '\0';
}

static void
test_listeners__told_in_order_removed_by_pair(void **state)
{
	struct listeners l = { 0 };
	char a = 'a', b = 'b', c = 'c';

	(void)state;
	listeners_add(&l, (listener_fn)record, &a);
	listeners_add(&l, (listener_fn)record, &b);
	listeners_add(&l, (listener_fn)record, &c);
	tell(&l);
	assert_string_equal(calls, "abc");

	/* Same data, other function: not that pair, nothing removed. */
	listeners_remove(&l, (listener_fn)other, &b);
	assert_int_equal(l.n, 3);
	listeners_remove(&l, (listener_fn)record, &b);
	tell(&l);
	assert_string_equal(calls, "ac"); /* order kept */

	listeners_remove(&l, (listener_fn)record, &b); /* gone already */
	assert_int_equal(l.n, 2);
	listeners_clear(&l);
	assert_int_equal(l.n, 0);
	assert_null(l.v);
	listeners_add(&l, (listener_fn)record, &c); /* usable again */
	tell(&l);
	assert_string_equal(calls, "c");
	listeners_clear(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_listeners__told_in_order_removed_by_pair),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
