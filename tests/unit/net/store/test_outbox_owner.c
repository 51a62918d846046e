/* Unit tests for net/store/outbox_owner.c: whether an item may be sent here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cJSON.h>

#include "net/store/outbox_owner.h"

#define STAGING "https://staging.example"
#define PROD    "https://prod.example"

static const struct outbox_owner ann_staging = { .service = STAGING,
	                                         .staff_id = 3,
	                                         .email = "ann@example.com" };
static const struct outbox_owner ann_prod = { .service = PROD,
	                                      .staff_id = 3,
	                                      .email = "ann@example.com" };
static const struct outbox_owner bob_staging = { .service = STAGING,
	                                         .staff_id = 4,
	                                         .email = "bob@example.com" };

static void
outbox_owner__refusal__same_service_and_member_may_send(void **state)
{
	struct outbox_owner copy;

	(void)state;
	outbox_owner_copy(&copy, &ann_staging);
	assert_null(outbox_owner_refusal(&ann_staging, &copy));
	outbox_owner_clear(&copy);
}

static void
outbox_owner__refusal__another_service_says_both(void **state)
{
	char *why = outbox_owner_refusal(&ann_staging, &ann_prod);

	(void)state;
	assert_non_null(why);
	assert_string_equal(why, "queued for " STAGING " as ann@example.com, "
	                         "not this service (" PROD ")");
	free(why);
}

static void
outbox_owner__refusal__another_member_says_both(void **state)
{
	char *why = outbox_owner_refusal(&ann_staging, &bob_staging);

	(void)state;
	assert_non_null(why);
	assert_string_equal(why, "queued as ann@example.com, not as "
	                         "bob@example.com who is signed in");
	free(why);
}

static void
outbox_owner__refusal__unknown_owner_is_never_sent(void **state)
{
	struct outbox_owner none = { 0 }, nobody = { .service = STAGING };
	char *why;

	(void)state;
	why = outbox_owner_refusal(&none, &ann_staging);
	assert_non_null(strstr(why, "earlier version"));
	free(why);
	/* Queued before anyone was known to be signed in: not sent either. */
	why = outbox_owner_refusal(&nobody, &ann_staging);
	assert_non_null(strstr(why, "an unknown staff member"));
	free(why);
	/* Nobody signed in: nothing may go. */
	why = outbox_owner_refusal(&ann_staging, &nobody);
	assert_non_null(why);
	assert_non_null(strstr(why, "who is signed in is not known yet"));
	assert_null(strstr(why, "not as an unknown"));
	free(why);
	/* Neither known: said once, not "not as an unknown ... who is". */
	why = outbox_owner_refusal(&nobody, &nobody);
	assert_string_equal(why, "queued as an unknown staff member; who is "
	                         "signed in is not known yet");
	free(why);
}

static void
outbox_owner__json__round_trips_and_checks_types(void **state)
{
	cJSON *o = cJSON_CreateObject();
	struct outbox_owner back;

	(void)state;
	outbox_owner_to_json(o, &ann_staging);
	assert_int_equal(outbox_owner_from_json(o, &back), 0);
	assert_string_equal(back.service, STAGING);
	assert_int_equal(back.staff_id, 3);
	assert_string_equal(back.email, "ann@example.com");
	outbox_owner_clear(&back);
	cJSON_ReplaceItemInObject(o, "staff_id", cJSON_CreateNumber(1.5));
	assert_int_equal(outbox_owner_from_json(o, &back), -1);
	assert_null(back.service);
	cJSON_ReplaceItemInObject(o, "staff_id", cJSON_CreateNumber(3));
	cJSON_ReplaceItemInObject(o, "staff_email", cJSON_CreateTrue());
	assert_int_equal(outbox_owner_from_json(o, &back), -1);
	assert_null(back.service);
	cJSON_Delete(o);
	/* None of the fields: unknown, not an error. */
	o = cJSON_CreateObject();
	assert_int_equal(outbox_owner_from_json(o, &back), 0);
	assert_null(back.service);
	assert_int_equal(back.staff_id, 0);
	cJSON_Delete(o);
}

static void
outbox_owner__refusal__a_member_without_email_named_by_id(void **state)
{
	static const struct outbox_owner id_only = { .service = STAGING,
		                                     .staff_id = 3 };
	char *why = outbox_owner_refusal(&id_only, &bob_staging);

	(void)state;
	assert_non_null(why);
	assert_string_equal(why, "queued as staff member 3, not as "
	                         "bob@example.com who is signed in");
	free(why);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    outbox_owner__refusal__same_service_and_member_may_send),
		cmocka_unit_test(
		    outbox_owner__refusal__another_service_says_both),
		cmocka_unit_test(
		    outbox_owner__refusal__another_member_says_both),
		cmocka_unit_test(
		    outbox_owner__refusal__unknown_owner_is_never_sent),
		cmocka_unit_test(
		    outbox_owner__json__round_trips_and_checks_types),
		cmocka_unit_test(
		    outbox_owner__refusal__a_member_without_email_named_by_id),
	};

	return cmocka_run_group_tests_name("net/outbox_owner", tests, NULL,
	                                   NULL);
}
