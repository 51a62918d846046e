/* Unit tests for net/client/model_chat.c: messages and conversations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/client/model.h"
#include "tests/unit/net/model_test.h"

#define CLIENT_REF "{'id': 9, 'name': 'Cy Client', 'company': 'Cy Co'}"
#define MESSAGE(id, msg_id)                                                    \
	"{'id': " #id ", 'conversation_id': 7, 'author': {'kind': 'client', "  \
	"'id': 9, 'name': 'Cy Client'}, 'body': 'Hello \\\"there\\\"', "       \
	"'created_at': '2026-11-28T08:00:00Z', 'client_msg_id': " msg_id "}"

static void
message__parse__contract_example(void **state)
{
	char *text = J(MESSAGE(100, "'5b1f0c1e-0000-4000-8000-000000000001'"));
	struct message m;
	struct sc_error err = { 0 };

	assert_int_equal(message_parse(text, strlen(text), &m, &err), 0);
	assert_int_equal(m.id, 100);
	assert_int_equal(m.conversation_id, 7);
	assert_int_equal(m.author.kind, AUTHOR_CLIENT);
	assert_int_equal(m.author.id, 9);
	assert_string_equal(m.author.name, "Cy Client");
	assert_string_equal(m.body, "Hello \"there\"");
	assert_int_equal(m.created_at, 1795852800);
	assert_string_equal(m.client_msg_id,
	                    "5b1f0c1e-0000-4000-8000-000000000001");
	message_free(&m);
	free(text);
}

static void
message__parse__null_client_msg_id(void **state)
{
	char *text = J(MESSAGE(100, "null"));
	struct message m, c;
	struct sc_error err = { 0 };

	assert_int_equal(message_parse(text, strlen(text), &m, &err), 0);
	assert_null(m.client_msg_id);
	message_copy(&c, &m);
	message_free(&m);
	assert_string_equal(c.body, "Hello \"there\"");
	assert_null(c.client_msg_id);
	message_free(&c);
	free(text);
}

static void
message__parse__client_msg_id_required(void **state)
{
	char *text = J("{'id': 1, 'conversation_id': 7, 'author': {'kind': "
	               "'staff', 'id': 4, 'name': 'Bo'}, 'body': 'x', "
	               "'created_at': '2026-11-28T08:00:00Z'}");
	struct message m;
	struct sc_error err = { 0 };

	assert_int_equal(message_parse(text, strlen(text), &m, &err), -1);
	assert_string_equal(err.message, "client_msg_id: missing");
	sc_error_clear(&err);
	free(text);
}

static void
message_page__parse__has_more(void **state)
{
	char *text = J("{'results': [" MESSAGE(1, "null") ", " MESSAGE(
	    2, "'u'") "], 'has_more': true}");
	struct message_page p;
	struct sc_error err = { 0 };

	assert_int_equal(message_page_parse(text, strlen(text), &p, &err), 0);
	assert_int_equal(p.n, 2);
	assert_true(p.has_more);
	assert_int_equal(p.items[0].id, 1);
	assert_int_equal(p.items[1].id, 2);
	message_page_free(&p);
	free(text);
}

static void
message_page__parse__has_more_not_bool(void **state)
{
	const char *text = "{\"results\": [], \"has_more\": 1}";
	struct message_page p;
	struct sc_error err = { 0 };

	assert_int_equal(message_page_parse(text, strlen(text), &p, &err), -1);
	assert_string_equal(err.message, "has_more: expected true or false");
	assert_false(p.has_more);
	sc_error_clear(&err);
}

static void
conversation_page__parse__with_and_without_last(void **state)
{
	char *text =
	    J("{'results': [{'id': 7, 'client': " CLIENT_REF ", "
	      "'last_message_at': '2026-11-28T08:00:00Z', "
	      "'unread_count': 3, 'last_message': " MESSAGE(
	          100, "null") "}, {'id': 8, 'client': " CLIENT_REF
	                       ", 'last_message_at': null, 'unread_count': 0, "
	                       "'last_message': null}], 'next': 'c2'}");
	struct conversation_page p;
	struct sc_error err = { 0 };

	assert_int_equal(conversation_page_parse(text, strlen(text), &p, &err),
	                 0);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.items[0].unread_count, 3);
	assert_true(p.items[0].has_last_message_at);
	assert_int_equal(p.items[0].last_message_at, 1795852800);
	assert_true(p.items[0].has_last_message);
	assert_int_equal(p.items[0].last_message.id, 100);
	assert_false(p.items[1].has_last_message);
	assert_false(p.items[1].has_last_message_at);
	assert_null(p.items[1].last_message.body);
	assert_string_equal(p.next, "c2");
	conversation_page_free(&p);
	free(text);
}

static void
conversation_page__parse__bad_last_message_named(void **state)
{
	char *text = J("{'results': [{'id': 7, 'client': " CLIENT_REF ", "
	               "'last_message_at': '2026-11-28T08:00:00Z', "
	               "'unread_count': 3, 'last_message': {'id': 1}}], "
	               "'next': null}");
	struct conversation_page p;
	struct sc_error err = { 0 };

	assert_int_equal(conversation_page_parse(text, strlen(text), &p, &err),
	                 -1);
	assert_string_equal(err.message,
	                    "results[0].last_message.conversation_id: missing");
	sc_error_clear(&err);
	free(text);
}

static void
conversation__parse__single(void **state)
{
	char *text = J("{'id': 7, 'client': " CLIENT_REF ", "
	               "'last_message_at': null, 'unread_count': 0, "
	               "'last_message': null}");
	struct conversation c;
	struct sc_error err = { 0 };

	assert_int_equal(conversation_parse(text, strlen(text), &c, &err), 0);
	assert_int_equal(c.id, 7);
	assert_string_equal(c.client.company, "Cy Co");
	conversation_free(&c);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(message__parse__contract_example),
		cmocka_unit_test(message__parse__null_client_msg_id),
		cmocka_unit_test(message__parse__client_msg_id_required),
		cmocka_unit_test(message_page__parse__has_more),
		cmocka_unit_test(message_page__parse__has_more_not_bool),
		cmocka_unit_test(
		    conversation_page__parse__with_and_without_last),
		cmocka_unit_test(
		    conversation_page__parse__bad_last_message_named),
		cmocka_unit_test(conversation__parse__single),
	};

	return cmocka_run_group_tests_name("net/model_chat", tests, NULL, NULL);
}
