/* Unit tests for net/client/model_task.c: tasks, comments, attachments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/client/model.h"
#include "tests/unit/net/model_test.h"

#define CLIENT_REF "{'id': 9, 'name': 'Cy Client', 'company': 'Cy Co'}"
/* A task whose fields after "client" come from the macro argument. */
#define TASK_WITH(tail)                                                        \
	"{'id': 12, 'version': 3, 'title': 'Fix the footer', "                 \
	"'description': 'It overlaps\\n the logo', "                           \
	"'status': 'waiting_on_client', 'priority': 'high', "                  \
	"'client': " CLIENT_REF ", " tail "}"
#define TASK_TAIL                                                              \
	"'assignee': {'id': 4, 'name': 'Bo Tech'}, "                           \
	"'created_at': '2026-11-28T06:55:13Z', "                               \
	"'updated_at': '2026-11-29T10:00:00.250Z', "                           \
	"'due_at': '2026-12-01T00:00:00+00:00', 'comment_count': 2, "          \
	"'attachment_count': 1"
#define TASK TASK_WITH(TASK_TAIL)

MODEL_TEST_PARSER(parse_task, struct task, task_parse)

static void
task__parse__contract_example(void **state)
{
	struct task t;
	struct sc_error err = { 0 };

	assert_int_equal(parse_task(TASK, &t, &err), 0);
	assert_int_equal(t.id, 12);
	assert_int_equal(t.version, 3);
	assert_string_equal(t.title, "Fix the footer");
	assert_string_equal(t.description, "It overlaps\n the logo");
	assert_int_equal(t.status, TASK_WAITING_ON_CLIENT);
	assert_int_equal(t.priority, PRIORITY_HIGH);
	assert_int_equal(t.client->id, 9);
	assert_string_equal(t.client->name, "Cy Client");
	assert_string_equal(t.client->company, "Cy Co");
	assert_true(t.has_assignee);
	assert_int_equal(t.assignee->id, 4);
	assert_string_equal(t.assignee->name, "Bo Tech");
	assert_int_equal(t.created_at, 1795848913);
	assert_int_equal(t.updated_at, 1795946400); /* fraction dropped */
	assert_true(t.has_due_at);
	assert_int_equal(t.due_at, 1796083200); /* +00:00 */
	assert_int_equal(t.comment_count, 2);
	assert_int_equal(t.attachment_count, 1);
	task_free(&t);
	assert_null(t.title);
	task_free(&t); /* a freed task can be freed again */
}

static void
task__parse__unassigned_no_due_date(void **state)
{
	struct task t;
	struct sc_error err = { 0 };

	assert_int_equal(
	    parse_task(TASK_WITH("'assignee': null, 'created_at': "
	                         "'2026-11-28T06:55:13Z', 'updated_at': "
	                         "'2026-11-28T06:55:13Z', 'due_at': null, "
	                         "'comment_count': 0, 'attachment_count': 0"),
	               &t, &err),
	    0);
	assert_false(t.has_assignee);
	assert_null(t.assignee);
	assert_false(t.has_due_at);
	task_free(&t);
}

/* Each refused variant and the message that must name it. */
static void
task__parse__malformed_named(void **state)
{
	static const struct {
		const char *doc, *message;
	} bad[] = {
		{ TASK_WITH(TASK_TAIL ", 'status': 'x'"), NULL },
		{ "{'id': 12}", "version: missing" },
		{ TASK_WITH("'assignee': {'id': 0, 'name': 'X'}"),
		  "assignee.id: out of range" },
		{ TASK_WITH("'assignee': {'id': 4}"),
		  "assignee.name: missing" },
		{ TASK_WITH("'assignee': 'Bo'"),
		  "assignee: expected an object" },
		{ TASK_WITH("'assignee': null, 'created_at': "
		            "'2026-11-28 06:55:13Z'"),
		  "created_at: expected an RFC 3339 UTC time" },
		{ TASK_WITH("'assignee': null, 'created_at': 5"),
		  "created_at: expected a time string" },
		{ TASK_WITH("'assignee': null, 'created_at': "
		            "'2026-11-28T06:55:13+01:00'"),
		  "created_at: expected an RFC 3339 UTC time" },
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct task t;
		struct sc_error err = { 0 };
		int rc = parse_task(bad[i].doc, &t, &err);

		if (bad[i].message == NULL) {
			/* a duplicate key: the first one counts */
			assert_int_equal(rc, 0);
			assert_int_equal(t.status, TASK_WAITING_ON_CLIENT);
			task_free(&t);
			continue;
		}
		assert_int_equal(rc, -1);
		assert_int_equal(err.kind, SC_ERR_MALFORMED);
		assert_string_equal(err.message, bad[i].message);
		sc_error_clear(&err);
	}
}

static void
task__parse__bad_enums(void **state)
{
	struct task t;
	struct sc_error err = { 0 };
	char doc[2048];

	snprintf(doc, sizeof doc, "%s", TASK);
	memcpy(strstr(doc, "'high'"), "'HIGH'", 6);
	assert_int_equal(parse_task(doc, &t, &err), -1);
	assert_string_equal(err.message, "priority: unknown value \"HIGH\"");
	snprintf(doc, sizeof doc, "%s", TASK);
	memcpy(strstr(doc, "'waiting_on_client'"), "'closed'           ", 19);
	assert_int_equal(parse_task(doc, &t, &err), -1);
	assert_string_equal(err.message, "status: unknown value \"closed\"");
	sc_error_clear(&err);
}

static void
task_page__parse__two_tasks_and_cursor(void **state)
{
	char *text = J("{'results': [" TASK ", " TASK "], 'next': 'eyJvIjoi'}");
	struct task_page p;
	struct sc_error err = { 0 };

	assert_int_equal(task_page_parse(text, strlen(text), &p, &err), 0);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.items[1].client->company, "Cy Co");
	assert_string_equal(p.next, "eyJvIjoi");
	task_page_free(&p);
	free(text);
}

static void
task_page__parse__second_element_names_path(void **state)
{
	char *text = J("{'results': [" TASK ", " TASK_WITH(
	    "'assignee': null, 'created_at': '2026-11-28T06:55:13Z', "
	    "'updated_at': '2026-11-28T06:55:13Z', 'due_at': null, "
	    "'comment_count': -1, 'attachment_count': 0") "], 'next': null}");
	struct task_page p;
	struct sc_error err = { 0 };

	assert_int_equal(task_page_parse(text, strlen(text), &p, &err), -1);
	assert_string_equal(err.message, "results[1].comment_count: "
	                                 "out of range");
	assert_null(p.items);
	assert_int_equal(p.n, 0);
	sc_error_clear(&err);
	free(text);
}

static void
task_detail__parse__comments_and_attachments(void **state)
{
	char *text = J(TASK_WITH(
	    TASK_TAIL ", 'comments': [{'id': 30, 'author': {'kind': "
	              "'client', 'id': 9, 'name': 'Cy'}, 'body': 'Thanks', "
	              "'internal': false, 'created_at': "
	              "'2026-11-28T07:00:00Z'}, {'id': 31, 'author': "
	              "{'kind': 'staff', 'id': null, 'name': '(deleted)'}, "
	              "'body': 'Note', 'internal': true, 'created_at': "
	              "'2026-11-28T07:05:00Z', 'client_msg_id': 'u-1'}], "
	              "'attachments': [{'id': 5, 'filename': 'shot.png', "
	              "'size': 2048, 'content_type': 'image/png', "
	              "'created_at': '2026-11-28T07:01:00Z'}]"));
	struct task_detail d;
	struct sc_error err = { 0 };

	assert_int_equal(task_detail_parse(text, strlen(text), &d, &err), 0);
	assert_int_equal(d.task.id, 12);
	assert_int_equal(d.ncomments, 2);
	assert_int_equal(d.comments[0].author.kind, AUTHOR_CLIENT);
	assert_int_equal(d.comments[0].author.id, 9);
	assert_false(d.comments[0].internal);
	assert_null(d.comments[0].client_msg_id);
	assert_int_equal(d.comments[1].author.kind, AUTHOR_STAFF);
	assert_int_equal(d.comments[1].author.id, 0);
	assert_string_equal(d.comments[1].author.name, "(deleted)");
	assert_true(d.comments[1].internal);
	assert_string_equal(d.comments[1].client_msg_id, "u-1");
	assert_int_equal(d.nattachments, 1);
	assert_string_equal(d.attachments[0].filename, "shot.png");
	assert_int_equal(d.attachments[0].size, 2048);
	assert_string_equal(d.attachments[0].content_type, "image/png");
	task_detail_free(&d);
	free(text);
}

static void
task_detail__parse__missing_comments(void **state)
{
	char *text = J(TASK_WITH(TASK_TAIL ", 'attachments': []"));
	struct task_detail d;
	struct sc_error err = { 0 };

	assert_int_equal(task_detail_parse(text, strlen(text), &d, &err), -1);
	assert_string_equal(err.message, "comments: missing");
	sc_error_clear(&err);
	free(text);
}

static void
comment__parse__posted_answer(void **state)
{
	char *text = J("{'id': 30, 'author': {'kind': 'staff', 'id': 4, "
	               "'name': 'Bo'}, 'body': 'On it \\u00e9', "
	               "'internal': true, 'created_at': "
	               "'2026-11-28T07:00:00Z'}");
	struct comment c;
	struct sc_error err = { 0 };

	assert_int_equal(comment_parse(text, strlen(text), &c, &err), 0);
	assert_int_equal(c.id, 30);
	assert_string_equal(c.body, "On it \xc3\xa9");
	assert_true(c.internal);
	comment_free(&c);
	memcpy(strstr(text, "\"staff\""), "\"robot\"", 7);
	assert_int_equal(comment_parse(text, strlen(text), &c, &err), -1);
	assert_string_equal(err.message,
	                    "author.kind: unknown value \"robot\"");
	sc_error_clear(&err);
	free(text);
}

static void
task_conflict__parse__current_in_error(void **state)
{
	char *text = J("{'error': {'code': 'version_conflict', 'message': "
	               "'The task changed', 'current': " TASK "}}");
	char *top = J("{'current': " TASK "}");
	struct task t;
	struct sc_error err = { 0 };

	assert_int_equal(task_conflict_parse(text, strlen(text), &t, &err), 0);
	assert_int_equal(t.version, 3);
	task_free(&t);
	assert_int_equal(task_conflict_parse(top, strlen(top), &t, &err), 0);
	assert_int_equal(t.id, 12);
	task_free(&t);
	assert_int_equal(task_conflict_parse("{\"error\": {}}", 13, &t, &err),
	                 -1);
	assert_string_equal(err.message, "current: missing");
	sc_error_clear(&err);
	free(text);
	free(top);
}

static void
task__copy__is_deep(void **state)
{
	struct task t, c;
	struct sc_error err = { 0 };

	assert_int_equal(parse_task(TASK, &t, &err), 0);
	task_copy(&c, &t);
	task_free(&t);
	assert_string_equal(c.title, "Fix the footer");
	assert_string_equal(c.client->name, "Cy Client");
	assert_string_equal(c.assignee->name, "Bo Tech");
	assert_int_equal(c.due_at, 1796083200);
	task_free(&c);
}

static void
task_conflict__parse__not_an_object_refused(void **state)
{
	struct task t;
	struct sc_error err = { 0 };

	assert_int_equal(task_conflict_parse("[3]", 3, &t, &err), -1);
	assert_int_equal(err.kind, SC_ERR_MALFORMED);
	assert_string_equal(err.message, "response: expected an object");
	assert_int_equal(t.id, 0); /* nothing to free */
	sc_error_clear(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(task__parse__contract_example),
		cmocka_unit_test(task__parse__unassigned_no_due_date),
		cmocka_unit_test(task__parse__malformed_named),
		cmocka_unit_test(task__parse__bad_enums),
		cmocka_unit_test(task_page__parse__two_tasks_and_cursor),
		cmocka_unit_test(task_page__parse__second_element_names_path),
		cmocka_unit_test(task_detail__parse__comments_and_attachments),
		cmocka_unit_test(task_detail__parse__missing_comments),
		cmocka_unit_test(comment__parse__posted_answer),
		cmocka_unit_test(task_conflict__parse__current_in_error),
		cmocka_unit_test(task__copy__is_deep),
		cmocka_unit_test(task_conflict__parse__not_an_object_refused),
	};

	return cmocka_run_group_tests_name("net/model_task", tests, NULL, NULL);
}
