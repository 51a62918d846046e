/* Unit tests for net/client/model_event.c: the payload of each event type. */
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
#define MESSAGE                                                                \
	"{'id': 100, 'conversation_id': 7, 'author': {'kind': 'client', "      \
	"'id': 9, 'name': 'Cy'}, 'body': 'Hi', 'created_at': "                 \
	"'2026-11-28T08:00:00Z', 'client_msg_id': null}"
#define TASK                                                                   \
	"{'id': 12, 'version': 4, 'title': 'T', 'description': 'D', "          \
	"'status': 'done', 'priority': 'low', 'client': " CLIENT_REF ", "      \
	"'assignee': null, 'created_at': '2026-11-28T06:55:13Z', "             \
	"'updated_at': '2026-11-28T06:55:13Z', 'due_at': null, "               \
	"'comment_count': 0, 'attachment_count': 0}"

static int
parse(const char *type, const char *doc, struct event_payload *e,
      struct sc_error *err)
{
	char *text = J(doc);
	int rc = event_payload_parse(type, text, strlen(text), e, err);

	free(text);
	return rc;
}

static void
event_payload__parse__message_created(void **state)
{
	struct event_payload e;
	struct sc_error err = { 0 };

	assert_int_equal(parse("message.created",
	                       "{'conversation_id': 7, 'message': " MESSAGE "}",
	                       &e, &err),
	                 0);
	assert_int_equal(e.type, EVENT_MESSAGE_CREATED);
	assert_int_equal(e.conversation_id, 7);
	assert_int_equal(e.message.id, 100);
	assert_string_equal(e.message.body, "Hi");
	event_payload_free(&e);
	assert_int_equal(e.type, EVENT_UNKNOWN);
}

static void
event_payload__parse__conversation_read(void **state)
{
	struct event_payload e;
	struct sc_error err = { 0 };

	assert_int_equal(parse("conversation.read",
	                       "{'conversation_id': 7, 'unread_count': 2}", &e,
	                       &err),
	                 0);
	assert_int_equal(e.type, EVENT_CONVERSATION_READ);
	assert_int_equal(e.conversation_id, 7);
	assert_int_equal(e.unread_count, 2);
	event_payload_free(&e);
}

static void
event_payload__parse__task_created_and_updated(void **state)
{
	struct event_payload e;
	struct sc_error err = { 0 };

	assert_int_equal(parse("task.created", "{'task': " TASK "}", &e, &err),
	                 0);
	assert_int_equal(e.type, EVENT_TASK_CREATED);
	assert_int_equal(e.task.version, 4);
	assert_int_equal(e.task.status, TASK_DONE);
	event_payload_free(&e);
	assert_int_equal(parse("task.updated", "{'task': " TASK "}", &e, &err),
	                 0);
	assert_int_equal(e.type, EVENT_TASK_UPDATED);
	assert_int_equal(e.task.id, 12);
	event_payload_free(&e);
}

static void
event_payload__parse__comment_created(void **state)
{
	struct event_payload e;
	struct sc_error err = { 0 };

	assert_int_equal(
	    parse("comment.created",
	          "{'task_id': 12, 'comment': {'id': 30, 'author': {'kind': "
	          "'staff', 'id': 4, 'name': 'Bo'}, 'body': 'b', 'internal': "
	          "true, 'created_at': '2026-11-28T07:00:00Z'}}",
	          &e, &err),
	    0);
	assert_int_equal(e.type, EVENT_COMMENT_CREATED);
	assert_int_equal(e.task_id, 12);
	assert_int_equal(e.comment.id, 30);
	assert_true(e.comment.internal);
	event_payload_free(&e);
}

static void
event_payload__parse__staff_key_changed(void **state)
{
	struct event_payload e;
	struct sc_error err = { 0 };

	assert_int_equal(parse("staff.key_changed",
	                       "{'public_key': 'q83vEjRWeJA=', "
	                       "'registered_at': '2026-12-06T10:45:00Z'}",
	                       &e, &err),
	                 0);
	assert_int_equal(e.type, EVENT_STAFF_KEY_CHANGED);
	assert_string_equal(e.key.public_key, "q83vEjRWeJA=");
	assert_int_equal(e.key.registered_at, 1796553900);
	event_payload_free(&e);
	assert_null(e.key.public_key);
	/* the key is required: an event without one says nothing usable */
	assert_int_equal(parse("staff.key_changed",
	                       "{'public_key': null, "
	                       "'registered_at': '2026-12-06T10:45:00Z'}",
	                       &e, &err),
	                 -1);
	assert_non_null(strstr(err.message, "public_key"));
	sc_error_clear(&err);
}

static void
event_payload__parse__invoice_failed(void **state)
{
	struct event_payload e;
	struct sc_error err = { 0 };

	assert_int_equal(
	    parse("invoice.failed",
	          "{'invoice': {'id': 51, 'number': 'INV-2', "
	          "'client': " CLIENT_REF
	          ", 'amount_cents': 4900, 'currency': 'usd', 'status': "
	          "'failed', 'created_at': '2026-11-01T00:00:00Z', 'paid_at': "
	          "null, 'stripe_ref': 'in_2', 'failure_reason': "
	          "'card_declined: insufficient funds'}}",
	          &e, &err),
	    0);
	assert_int_equal(e.type, EVENT_INVOICE_FAILED);
	assert_int_equal(e.invoice.id, 51);
	assert_string_equal(e.invoice.failure_reason,
	                    "card_declined: insufficient funds");
	event_payload_free(&e);
}

static void
event_payload__parse__resync(void **state)
{
	struct event_payload e;
	struct sc_error err = { 0 };

	assert_int_equal(event_payload_parse("resync", "{}", 2, &e, &err), 0);
	assert_int_equal(e.type, EVENT_RESYNC);
	event_payload_free(&e);
	assert_int_equal(event_payload_parse("resync", "", 0, &e, &err), 0);
	assert_int_equal(e.type, EVENT_RESYNC);
	assert_int_equal(event_payload_parse("resync", "[]", 2, &e, &err), -1);
	assert_int_equal(e.type, EVENT_UNKNOWN);
	sc_error_clear(&err);
}

static void
event_payload__parse__unknown_type_ignored(void **state)
{
	struct event_payload e;
	struct sc_error err = { 0 };

	assert_int_equal(
	    event_payload_parse("invoice.paid", "not json", 8, &e, &err),
	    EVENT_IGNORED);
	assert_int_equal(e.type, EVENT_UNKNOWN);
	assert_int_equal(err.kind, SC_OK);
	assert_int_equal(event_payload_parse(NULL, "{}", 2, &e, &err),
	                 EVENT_IGNORED);
	assert_int_equal(event_payload_parse("unknown", "{}", 2, &e, &err),
	                 EVENT_IGNORED);
}

static void
event_payload__parse__malformed_named(void **state)
{
	struct event_payload e;
	struct sc_error err = { 0 };

	assert_int_equal(
	    parse("message.created", "{'conversation_id': 7}", &e, &err), -1);
	assert_string_equal(err.message, "message: missing");
	assert_int_equal(e.type, EVENT_UNKNOWN);
	assert_int_equal(e.conversation_id, 0);
	assert_int_equal(
	    parse("task.updated", "{'task': {'id': 'twelve'}}", &e, &err), -1);
	assert_string_equal(err.message, "task.id: expected an integer");
	assert_int_equal(parse("conversation.read",
	                       "{'conversation_id': 7, "
	                       "'unread_count': 1e999}",
	                       &e, &err),
	                 -1);
	assert_string_equal(err.message, "unread_count: out of range");
	assert_int_equal(parse("comment.created", "{'task_id': 1}x", &e, &err),
	                 -1);
	assert_string_equal(err.message, "response: text after the JSON value");
	sc_error_clear(&err);
}

static void
event_type__names__round_trip(void **state)
{
	assert_int_equal(event_type_from_name("comment.created"),
	                 EVENT_COMMENT_CREATED);
	assert_string_equal(event_type_name(EVENT_INVOICE_FAILED),
	                    "invoice.failed");
	assert_string_equal(event_type_name((enum event_type)42), "unknown");
	assert_int_equal(event_type_from_name("ping"), EVENT_UNKNOWN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(event_payload__parse__message_created),
		cmocka_unit_test(event_payload__parse__conversation_read),
		cmocka_unit_test(
		    event_payload__parse__task_created_and_updated),
		cmocka_unit_test(event_payload__parse__comment_created),
		cmocka_unit_test(event_payload__parse__staff_key_changed),
		cmocka_unit_test(event_payload__parse__invoice_failed),
		cmocka_unit_test(event_payload__parse__resync),
		cmocka_unit_test(event_payload__parse__unknown_type_ignored),
		cmocka_unit_test(event_payload__parse__malformed_named),
		cmocka_unit_test(event_type__names__round_trip),
	};

	return cmocka_run_group_tests_name("net/model_event", tests, NULL,
	                                   NULL);
}
