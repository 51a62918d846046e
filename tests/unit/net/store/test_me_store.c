/* Unit tests for net/store/me_store.c: the signed-in member. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/store/me_store.h"

static void
me_store__set__holds_a_copy_of_who_signed_in(void **state)
{
	struct me_store *ms = me_store_new();
	struct me me = { 0 };
	time_t at;

	(void)state;
	assert_int_equal(me_store_id(ms), 0);
	assert_null(me_store_role(ms));
	me.id = 4;
	me.name = strdup("Maya Manager");
	me.email = strdup("maya@example.com");
	me.role = ROLE_MANAGER;
	me.public_key = strdup("AAAA");
	me.has_public_key_registered_at = true;
	me.public_key_registered_at = 1000;
	me_store_set(ms, &me);
	me_free(&me); /* a copy was taken */
	assert_int_equal(me_store_id(ms), 4);
	assert_string_equal(me_store_name(ms), "Maya Manager");
	assert_string_equal(me_store_email(ms), "maya@example.com");
	assert_string_equal(me_store_role(ms), "manager");
	assert_string_equal(me_store_public_key(ms), "AAAA");
	assert_true(me_store_key_registered_at(ms, &at));
	assert_int_equal(at, 1000);
	me_store_clear(ms);
	assert_null(me_store_name(ms));
	assert_false(me_store_has_public_key(ms));
	me_store_free(ms);
}

static void
me_store__key__the_newest_registration_wins(void **state)
{
	struct me_store *ms = me_store_new();
	time_t at;

	(void)state;
	assert_true(me_store_key(ms, "NEW", true, 2000)); /* the event */
	/* A GET /me sent before the event, answered after: older. */
	assert_false(me_store_key(ms, "OLD", true, 1000));
	assert_string_equal(me_store_public_key(ms), "NEW");
	assert_true(me_store_key_registered_at(ms, &at));
	assert_int_equal(at, 2000);
	/* The same second, or a registration without a time: taken. */
	assert_true(me_store_key(ms, "AGAIN", true, 2000));
	assert_string_equal(me_store_public_key(ms), "AGAIN");
	assert_true(me_store_key(ms, "UNDATED", false, 0));
	assert_false(me_store_key_registered_at(ms, &at));
	/* The service says it holds none (409 no_public_key). */
	me_store_key_gone(ms);
	assert_false(me_store_has_public_key(ms));
	assert_null(me_store_public_key(ms));
	me_store_free(ms);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(me_store__set__holds_a_copy_of_who_signed_in),
		cmocka_unit_test(me_store__key__the_newest_registration_wins),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
