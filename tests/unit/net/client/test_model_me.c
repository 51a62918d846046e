/* Unit tests for net/client/model_me.c and net/client/model_enum.c: me, staff,
 * clients. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/client/model.h"
#include "tests/unit/net/model_test.h"

MODEL_TEST_PARSER(parse_me, struct me, me_parse)

static void
me__parse__contract_example(void **state)
{
	struct me m;
	struct sc_error err = { 0 };

	assert_int_equal(
	    parse_me("{'id': 7, 'name': 'Ana Ops', 'email': 'ana@example.com',"
	             " 'role': 'manager', 'public_key': 'q83vEjRWeJA=',"
	             " 'permissions': ['tasks.read', 'tasks.assign_any',"
	             " 'billing.read']}",
	             &m, &err),
	    0);
	assert_int_equal(m.id, 7);
	assert_string_equal(m.name, "Ana Ops");
	assert_string_equal(m.email, "ana@example.com");
	assert_int_equal(m.role, ROLE_MANAGER);
	assert_string_equal(m.public_key, "q83vEjRWeJA=");
	assert_int_equal(m.permissions, PERM_TASKS_READ |
	                                    PERM_TASKS_ASSIGN_ANY |
	                                    PERM_BILLING_READ);
	me_free(&m);
	assert_null(m.name);
}

static void
me__parse__public_key_registered_at(void **state)
{
	static const char *const nulls[] = {
		"{'id': 7, 'name': 'A', 'email': 'a@example.com', 'role': "
		"'technician', 'public_key': null, 'public_key_registered_at': "
		"null, 'permissions': []}",
		"{'id': 7, 'name': 'A', 'email': 'a@example.com', 'role': "
		"'technician', 'public_key': null, 'permissions': []}",
	};
	struct me m;
	struct sc_error err = { 0 };
	int i;

	assert_int_equal(
	    parse_me("{'id': 7, 'name': 'A', 'email': 'a@example.com',"
	             " 'role': 'technician', 'public_key': 'q83vEjRWeJA=',"
	             " 'public_key_registered_at': '2026-12-06T10:45:00Z',"
	             " 'permissions': []}",
	             &m, &err),
	    0);
	assert_true(m.has_public_key_registered_at);
	assert_int_equal(m.public_key_registered_at, 1796553900);
	me_free(&m);
	/* null, and absent (a service from before the contract had it) */
	for (i = 0; i < 2; i++) {
		assert_int_equal(parse_me(nulls[i], &m, &err), 0);
		assert_false(m.has_public_key_registered_at);
		me_free(&m);
	}
	/* present but not a time: refused, named */
	assert_int_equal(
	    parse_me("{'id': 7, 'name': 'A', 'email': 'a@example.com',"
	             " 'role': 'technician', 'public_key': null,"
	             " 'public_key_registered_at': 'yesterday',"
	             " 'permissions': []}",
	             &m, &err),
	    -1);
	assert_non_null(strstr(err.message, "public_key_registered_at"));
	sc_error_clear(&err);
}

static void
me__parse__null_public_key(void **state)
{
	struct me m;
	struct sc_error err = { 0 };

	assert_int_equal(parse_me("{'id': 1, 'name': 'A', 'email': 'a@b',"
	                          " 'role': 'support', 'public_key': null,"
	                          " 'permissions': []}",
	                          &m, &err),
	                 0);
	assert_null(m.public_key);
	assert_int_equal(m.permissions, 0);
	assert_int_equal(m.role, ROLE_SUPPORT);
	me_free(&m);
}

static void
me__parse__unknown_permissions_ignored(void **state)
{
	struct me m;
	struct sc_error err = { 0 };

	assert_int_equal(
	    parse_me("{'id': 1, 'name': 'A', 'email': 'a@b', 'role': 'admin',"
	             " 'public_key': null, 'permissions': ['reports.export',"
	             " 'chat.reply', 'chat.reply', 'credentials.reveal', '']}",
	             &m, &err),
	    0);
	assert_int_equal(m.permissions,
	                 PERM_CHAT_REPLY | PERM_CREDENTIALS_REVEAL);
	me_free(&m);
}

static void
me__parse__all_permissions(void **state)
{
	struct me m;
	struct sc_error err = { 0 };

	assert_int_equal(
	    parse_me("{'id': 1, 'name': 'A', 'email': 'a@b', 'role': 'admin',"
	             " 'public_key': null, 'permissions': ['tasks.read',"
	             " 'tasks.update', 'tasks.comment', 'tasks.assign_any',"
	             " 'chat.read', 'chat.reply', 'credentials.reveal',"
	             " 'billing.summary', 'billing.read']}",
	             &m, &err),
	    0);
	assert_int_equal(m.permissions, (1u << PERMISSION_COUNT) - 1);
	me_free(&m);
}

static void
me__parse__bad_role_named(void **state)
{
	struct me m;
	struct sc_error err = { 0 };

	assert_int_equal(parse_me("{'id': 1, 'name': 'A', 'email': 'a@b',"
	                          " 'role': 'owner', 'public_key': null,"
	                          " 'permissions': []}",
	                          &m, &err),
	                 -1);
	assert_int_equal(err.kind, SC_ERR_MALFORMED);
	assert_string_equal(err.message, "role: unknown value \"owner\"");
	sc_error_clear(&err);
}

static void
me__parse__permission_not_a_string(void **state)
{
	struct me m;
	struct sc_error err = { 0 };

	assert_int_equal(parse_me("{'id': 1, 'name': 'A', 'email': 'a@b',"
	                          " 'role': 'admin', 'public_key': null,"
	                          " 'permissions': ['chat.read', 3]}",
	                          &m, &err),
	                 -1);
	assert_string_equal(err.message, "permissions[1]: expected a string");
	sc_error_clear(&err);
}

static void
me__parse__float_id_refused(void **state)
{
	struct me m;
	struct sc_error err = { 0 };

	assert_int_equal(parse_me("{'id': 1.5, 'name': 'A', 'email': 'a@b',"
	                          " 'role': 'admin', 'public_key': null,"
	                          " 'permissions': []}",
	                          &m, &err),
	                 -1);
	assert_string_equal(err.message, "id: expected an integer");
	sc_error_clear(&err);
}

static void
staff_page__parse__two_entries(void **state)
{
	char *text = J("{'results': [{'id': 1, 'name': 'Ana', 'role': "
	               "'admin'}, {'id': 4, 'name': 'Bo', 'role': "
	               "'technician'}], 'next': 'b64cursor'}");
	struct staff_page p;
	struct sc_error err = { 0 };

	assert_int_equal(staff_page_parse(text, strlen(text), &p, &err), 0);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.items[0].id, 1);
	assert_string_equal(p.items[1].name, "Bo");
	assert_int_equal(p.items[1].role, ROLE_TECHNICIAN);
	assert_string_equal(p.next, "b64cursor");
	staff_page_free(&p);
	assert_null(p.items);
	free(text);
}

static void
staff_page__parse__empty_last_page(void **state)
{
	const char *text = "{\"results\": [], \"next\": null}";
	struct staff_page p;
	struct sc_error err = { 0 };

	assert_int_equal(staff_page_parse(text, strlen(text), &p, &err), 0);
	assert_int_equal(p.n, 0);
	assert_null(p.items);
	assert_null(p.next);
	staff_page_free(&p);
}

static void
staff_page__parse__results_not_an_array(void **state)
{
	const char *text = "{\"results\": {}, \"next\": null}";
	struct staff_page p;
	struct sc_error err = { 0 };

	assert_int_equal(staff_page_parse(text, strlen(text), &p, &err), -1);
	assert_string_equal(err.message, "results: expected an array");
	sc_error_clear(&err);
}

static void
client_page__parse__null_phone_and_staff(void **state)
{
	char *text = J("{'results': [{'id': 9, 'name': 'Cy', 'company': "
	               "'Cy Co', 'email': 'cy@example.com', 'phone': null, "
	               "'site_url': 'https://cy.example', 'assigned_staff': "
	               "[{'id': 4, 'name': 'Bo'}, {'id': 5, 'name': 'Di'}]}, "
	               "{'id': 10, 'name': 'Ed', 'company': '', 'email': "
	               "'e@x', 'phone': '+44 20', 'site_url': 'https://e.x', "
	               "'assigned_staff': []}], 'next': null}");
	struct client_page p;
	struct sc_error err = { 0 };

	assert_int_equal(client_page_parse(text, strlen(text), &p, &err), 0);
	assert_int_equal(p.n, 2);
	assert_null(p.items[0].phone);
	assert_string_equal(p.items[0].site_url, "https://cy.example");
	assert_int_equal(p.items[0].nassigned_staff, 2);
	assert_int_equal(p.items[0].assigned_staff[1].id, 5);
	assert_string_equal(p.items[0].assigned_staff[1].name, "Di");
	assert_string_equal(p.items[1].phone, "+44 20");
	assert_string_equal(p.items[1].company, "");
	assert_int_equal(p.items[1].nassigned_staff, 0);
	client_page_free(&p);
	free(text);
}

static void
client_page__parse__error_path_names_element(void **state)
{
	char *text = J("{'results': [{'id': 9, 'name': 'Cy', 'company': "
	               "'Cy Co', 'email': 'cy@example.com', 'phone': null, "
	               "'site_url': 'https://cy.example', 'assigned_staff': "
	               "[{'id': 4, 'name': 'Bo'}, {'id': 5, 'name': null}]}],"
	               " 'next': null}");
	struct client_page p;
	struct sc_error err = { 0 };

	assert_int_equal(client_page_parse(text, strlen(text), &p, &err), -1);
	assert_string_equal(err.message, "results[0].assigned_staff[1].name: "
	                                 "must not be null");
	assert_null(p.items);
	sc_error_clear(&err);
	free(text);
}

static void
csrf_token__parse__token(void **state)
{
	const char *text = "{\"csrf_token\": \"abc123\"}";
	struct sc_error err = { 0 };
	char *tok;

	assert_int_equal(csrf_token_parse(text, strlen(text), &tok, &err), 0);
	assert_string_equal(tok, "abc123");
	free(tok);
	assert_int_equal(csrf_token_parse("{}", 2, &tok, &err), -1);
	assert_null(tok);
	assert_string_equal(err.message, "csrf_token: missing");
	sc_error_clear(&err);
}

/* Every name of every enum goes both ways; unknown names are refused. */
static void
model__enum__names_round_trip(void **state)
{
	enum task_status ts;
	enum task_priority tp;
	enum staff_role r;
	enum author_kind k;
	enum subscription_status ss;
	enum plan pl;
	enum billing_interval bi;
	enum invoice_status is;
	int i;

	for (i = 0; i < TASK_STATUS_COUNT; i++) {
		assert_int_equal(
		    task_status_from_name(task_status_name(i), &ts), 0);
		assert_int_equal(ts, i);
	}
	assert_string_equal(task_status_name(TASK_WAITING_ON_CLIENT),
	                    "waiting_on_client");
	assert_string_equal(task_priority_name(PRIORITY_URGENT), "urgent");
	assert_int_equal(task_priority_from_name("low", &tp), 0);
	assert_int_equal(tp, PRIORITY_LOW);
	assert_int_equal(staff_role_from_name("technician", &r), 0);
	assert_int_equal(r, ROLE_TECHNICIAN);
	assert_int_equal(author_kind_from_name("client", &k), 0);
	assert_int_equal(k, AUTHOR_CLIENT);
	assert_int_equal(subscription_status_from_name("past_due", &ss), 0);
	assert_int_equal(ss, SUB_PAST_DUE);
	assert_string_equal(subscription_status_name(SUB_CANCELED), "canceled");
	assert_int_equal(plan_from_name("agency", &pl), 0);
	assert_int_equal(pl, PLAN_AGENCY);
	assert_int_equal(billing_interval_from_name("year", &bi), 0);
	assert_int_equal(bi, INTERVAL_YEAR);
	assert_int_equal(invoice_status_from_name("refunded", &is), 0);
	assert_int_equal(is, INVOICE_REFUNDED);
	assert_int_equal(task_status_from_name("closed", &ts), -1);
	assert_int_equal(task_status_from_name("New", &ts), -1);
	assert_int_equal(task_status_from_name(NULL, &ts), -1);
	assert_int_equal(plan_from_name("", &pl), -1);
	assert_string_equal(task_status_name((enum task_status)99), "unknown");
}

static void
model__permission__names(void **state)
{
	assert_string_equal(permission_name(PERM_TASKS_READ), "tasks.read");
	assert_string_equal(permission_name(PERM_BILLING_READ), "billing.read");
	assert_null(permission_name(PERM_TASKS_READ | PERM_CHAT_READ));
	assert_null(permission_name(0));
	assert_int_equal(permission_from_name("credentials.reveal"),
	                 PERM_CREDENTIALS_REVEAL);
	assert_int_equal(permission_from_name("billing.summary"),
	                 PERM_BILLING_SUMMARY);
	assert_int_equal(permission_from_name("billing"), 0);
	assert_int_equal(permission_from_name(NULL), 0);
}

static void
csrf_token__parse__not_an_object_refused(void **state)
{
	struct sc_error err = { 0 };
	char *tok = (char *)"untouched";

	assert_int_equal(csrf_token_parse("[\"abc\"]", 7, &tok, &err), -1);
	assert_null(tok);
	assert_int_equal(err.kind, SC_ERR_MALFORMED);
	assert_string_equal(err.message, "response: expected an object");
	sc_error_clear(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(me__parse__contract_example),
		cmocka_unit_test(me__parse__public_key_registered_at),
		cmocka_unit_test(me__parse__null_public_key),
		cmocka_unit_test(me__parse__unknown_permissions_ignored),
		cmocka_unit_test(me__parse__all_permissions),
		cmocka_unit_test(me__parse__bad_role_named),
		cmocka_unit_test(me__parse__permission_not_a_string),
		cmocka_unit_test(me__parse__float_id_refused),
		cmocka_unit_test(staff_page__parse__two_entries),
		cmocka_unit_test(staff_page__parse__empty_last_page),
		cmocka_unit_test(staff_page__parse__results_not_an_array),
		cmocka_unit_test(client_page__parse__null_phone_and_staff),
		cmocka_unit_test(client_page__parse__error_path_names_element),
		cmocka_unit_test(csrf_token__parse__token),
		cmocka_unit_test(csrf_token__parse__not_an_object_refused),
		cmocka_unit_test(model__enum__names_round_trip),
		cmocka_unit_test(model__permission__names),
	};

	return cmocka_run_group_tests_name("net/model_me", tests, NULL, NULL);
}
