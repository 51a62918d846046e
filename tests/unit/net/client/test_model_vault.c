/* Unit tests for net/client/model_vault.c: credentials, reveal, audit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/client/model.h"
#include "tests/unit/net/model_test.h"

static void
credential_page__parse__list(void **state)
{
	char *text = J("{'results': [{'id': 3, 'label': 'WordPress admin', "
	               "'site_url': 'https://cy.example/wp-admin', "
	               "'updated_at': '2026-10-01T12:00:00Z', 'can_reveal': "
	               "true}, {'id': 4, 'label': 'SFTP', 'site_url': "
	               "'sftp://cy.example', 'updated_at': "
	               "'2026-10-01T12:00:00Z', 'can_reveal': false}], "
	               "'next': null}");
	struct credential_page p;
	struct sc_error err = { 0 };

	assert_int_equal(credential_page_parse(text, strlen(text), &p, &err),
	                 0);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.items[0].label, "WordPress admin");
	assert_string_equal(p.items[0].site_url, "https://cy.example/wp-admin");
	assert_int_equal(p.items[0].updated_at, 1790856000);
	assert_true(p.items[0].can_reveal);
	assert_false(p.items[1].can_reveal);
	assert_null(p.next);
	credential_page_free(&p);
	free(text);
}

static void
credential_page__parse__can_reveal_string(void **state)
{
	char *text = J("{'results': [{'id': 3, 'label': 'L', 'site_url': "
	               "'u', 'updated_at': '2026-10-01T12:00:00Z', "
	               "'can_reveal': 'yes'}], 'next': null}");
	struct credential_page p;
	struct sc_error err = { 0 };

	assert_int_equal(credential_page_parse(text, strlen(text), &p, &err),
	                 -1);
	assert_string_equal(err.message,
	                    "results[0].can_reveal: expected true or false");
	sc_error_clear(&err);
	free(text);
}

static void
reveal__parse__sealed(void **state)
{
	const char *text = "{\"credential_id\": 3, \"sealed\": \"c2VhbGVk\"}";
	struct reveal r;
	struct sc_error err = { 0 };

	assert_int_equal(reveal_parse(text, strlen(text), &r, &err), 0);
	assert_int_equal(r.credential_id, 3);
	assert_string_equal(r.sealed, "c2VhbGVk");
	reveal_free(&r);
	assert_null(r.sealed);
}

static void
reveal__parse__sealed_missing(void **state)
{
	const char *text = "{\"credential_id\": 3}";
	struct reveal r;
	struct sc_error err = { 0 };

	assert_int_equal(reveal_parse(text, strlen(text), &r, &err), -1);
	assert_string_equal(err.message, "sealed: missing");
	assert_int_equal(r.credential_id, 0);
	sc_error_clear(&err);
}

static void
audit_page__parse__entries(void **state)
{
	char *text = J("{'results': [{'staff': {'id': 4, 'name': 'Bo'}, "
	               "'purpose': 'task #12', 'at': "
	               "'2026-11-28T09:00:00Z'}], 'next': 'more'}");
	struct audit_page p;
	struct sc_error err = { 0 };

	assert_int_equal(audit_page_parse(text, strlen(text), &p, &err), 0);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.items[0].staff.id, 4);
	assert_string_equal(p.items[0].staff.name, "Bo");
	assert_string_equal(p.items[0].purpose, "task #12");
	assert_int_equal(p.items[0].at, 1795856400);
	assert_string_equal(p.next, "more");
	audit_page_free(&p);
	free(text);
}

static void
audit_page__parse__staff_null(void **state)
{
	char *text = J("{'results': [{'staff': null, 'purpose': 'p', 'at': "
	               "'2026-11-28T09:00:00Z'}], 'next': null}");
	struct audit_page p;
	struct sc_error err = { 0 };

	assert_int_equal(audit_page_parse(text, strlen(text), &p, &err), -1);
	assert_string_equal(err.message, "results[0].staff: must not be null");
	sc_error_clear(&err);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(credential_page__parse__list),
		cmocka_unit_test(credential_page__parse__can_reveal_string),
		cmocka_unit_test(reveal__parse__sealed),
		cmocka_unit_test(reveal__parse__sealed_missing),
		cmocka_unit_test(audit_page__parse__entries),
		cmocka_unit_test(audit_page__parse__staff_null),
	};

	return cmocka_run_group_tests_name("net/model_vault", tests, NULL,
	                                   NULL);
}
