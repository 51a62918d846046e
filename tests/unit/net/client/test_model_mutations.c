/*
 * Malformed variants of every model, generated: for each valid document
 * of the contract, every member is in turn removed, set to null, given a
 * wrong type and (numbers) made fractional, and every proper prefix is
 * tried. Each variant must fail with SC_ERR_MALFORMED naming the member's
 * path and leave the output zeroed, except where the contract allows a
 * null or an absence. Under SANITIZE=1 this also proves every error path
 * frees what it allocated.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cJSON.h>

#include "net/client/model.h"
#include "tests/unit/net/model_test.h"

/* Documents in single quotes (no apostrophes inside), made JSON by J. */
#define STAFF_REF  "{'id': 4, 'name': 'Bo Tech'}"
#define CLIENT_REF "{'id': 9, 'name': 'Cy Client', 'company': 'Cy Co'}"
#define AUTHOR     "{'kind': 'client', 'id': 9, 'name': 'Cy Client'}"
#define TASK                                                                   \
	"{'id': 12, 'version': 3, 'title': 'Fix the footer', "                 \
	"'description': 'It overlaps', 'status': 'in_progress', "              \
	"'priority': 'high', 'client': " CLIENT_REF ", "                       \
	"'assignee': " STAFF_REF ", 'created_at': '2026-11-28T06:55:13Z', "    \
	"'updated_at': '2026-11-29T10:00:00Z', "                               \
	"'due_at': '2026-12-01T00:00:00Z', 'comment_count': 2, "               \
	"'attachment_count': 1}"
#define COMMENT                                                                \
	"{'id': 30, 'author': " AUTHOR ", 'body': 'Thanks', "                  \
	"'internal': false, 'created_at': '2026-11-28T07:00:00Z', "            \
	"'client_msg_id': 'c-1'}"
#define ATTACHMENT                                                             \
	"{'id': 5, 'filename': 'shot.png', 'size': 2048, "                     \
	"'content_type': 'image/png', 'created_at': '2026-11-28T07:01:00Z'}"
#define MESSAGE                                                                \
	"{'id': 100, 'conversation_id': 7, 'author': " AUTHOR ", "             \
	"'body': 'Hello', 'created_at': '2026-11-28T08:00:00Z', "              \
	"'client_msg_id': '5b1f0c1e-0000-4000-8000-000000000001'}"
#define CONVERSATION                                                           \
	"{'id': 7, 'client': " CLIENT_REF ", "                                 \
	"'last_message_at': '2026-11-28T08:00:00Z', 'unread_count': 1, "       \
	"'last_message': " MESSAGE "}"
#define INVOICE                                                                \
	"{'id': 51, 'number': 'INV-202611-00009-ABC123', "                     \
	"'client': " CLIENT_REF                                                \
	", 'amount_cents': 4900, 'currency': 'usd', 'status': 'failed', "      \
	"'created_at': '2026-11-01T00:00:00Z', "                               \
	"'paid_at': '2026-11-02T00:00:00Z', 'stripe_ref': 'in_123', "          \
	"'failure_reason': 'card_declined'}"
#define SUBSCRIPTION                                                           \
	"{'id': 61, 'client': " CLIENT_REF ", 'plan': 'pro', "                 \
	"'status': 'active', 'current_period_end': '2026-12-01T00:00:00Z', "   \
	"'cancel_at_period_end': false, 'amount_cents': 4900, "                \
	"'currency': 'usd', 'interval': 'month', 'card': {'brand': 'visa', "   \
	"'last4': '4242', 'exp_month': 4, 'exp_year': 2030}}"

/* One model under test: its parser, its freer and a valid document. */
struct model_case {
	const char *name;
	int (*parse)(const char *, size_t, void *, struct sc_error *);
	void (*free)(void *);
	size_t size;
	const char *doc;
	/* Paths (indexes written []) that may be null / may be absent. */
	const char *nullable[8];
	const char *optional[4];
};

/* Adapters from the typed API to the table's untyped slots. */
#define ADAPT(name, type)                                                      \
	static int p_##name(const char *b, size_t l, void *o,                  \
	                    struct sc_error *e)                                \
	{                                                                      \
		return name##_parse(b, l, (type *)o, e);                       \
	}                                                                      \
	static void f_##name(void *o)                                          \
	{                                                                      \
		name##_free((type *)o);                                        \
	}
ADAPT(me, struct me)
ADAPT(staff_page, struct staff_page)
ADAPT(client_page, struct client_page)
ADAPT(task, struct task)
ADAPT(task_page, struct task_page)
ADAPT(task_detail, struct task_detail)
ADAPT(comment, struct comment)
ADAPT(message, struct message)
ADAPT(message_page, struct message_page)
ADAPT(conversation_page, struct conversation_page)
ADAPT(credential_page, struct credential_page)
ADAPT(reveal, struct reveal)
ADAPT(audit_page, struct audit_page)
ADAPT(billing_summary, struct billing_summary)
ADAPT(subscription_page, struct subscription_page)
ADAPT(invoice_page, struct invoice_page)

/* Event payload parsers with the type fixed. */
#define EVENT_ADAPT(fn, type_name)                                             \
	static int fn(const char *b, size_t l, void *o, struct sc_error *e)    \
	{                                                                      \
		return event_payload_parse(type_name, b, l, o, e);             \
	}
EVENT_ADAPT(p_ev_message, "message.created")
EVENT_ADAPT(p_ev_read, "conversation.read")
EVENT_ADAPT(p_ev_task, "task.updated")
EVENT_ADAPT(p_ev_comment, "comment.created")
EVENT_ADAPT(p_ev_invoice, "invoice.failed")

static void
f_event(void *o)
{
	event_payload_free(o);
}

#define CASE(n, t) .name = #n, .parse = p_##n, .free = f_##n, .size = sizeof(t)
#define EVENT(n, p)                                                            \
	.name = n, .parse = p, .free = f_event,                                \
	.size = sizeof(struct event_payload)

static const struct model_case cases[] = {
	{ CASE(me, struct me),
	  .doc = "{'id': 1, 'name': 'Ana', 'email': 'ana@example.com', "
	         "'role': 'admin', 'public_key': 'AAAA', 'permissions': "
	         "['tasks.read', 'billing.read', 'future.perm']}",
	  .nullable = { "public_key" } },
	{ CASE(staff_page, struct staff_page),
	  .doc = "{'results': [{'id': 1, 'name': 'Ana', 'role': 'admin'}, "
	         "{'id': 4, 'name': 'Bo', 'role': 'technician'}], "
	         "'next': 'abc'}",
	  .nullable = { "next" } },
	{ CASE(client_page, struct client_page),
	  .doc = "{'results': [{'id': 9, 'name': 'Cy', 'company': 'Cy Co', "
	         "'email': 'cy@example.com', 'phone': '+1 555 0100', "
	         "'site_url': 'https://cy.example', "
	         "'assigned_staff': [" STAFF_REF "]}], 'next': null}",
	  .nullable = { "next", "results[].phone" } },
	{ CASE(task, struct task), .doc = TASK,
	  .nullable = { "assignee", "due_at" } },
	{ CASE(task_page, struct task_page),
	  .doc = "{'results': [" TASK ", " TASK "], 'next': 'n'}",
	  .nullable = { "next", "results[].assignee", "results[].due_at" } },
	{ CASE(task_detail, struct task_detail),
	  .doc = "{'id': 12, 'version': 3, 'title': 'T', 'description': '', "
	         "'status': 'new', 'priority': 'urgent', "
	         "'client': " CLIENT_REF ", 'assignee': null, "
	         "'created_at': '2026-11-28T06:55:13Z', "
	         "'updated_at': '2026-11-28T06:55:13Z', 'due_at': null, "
	         "'comment_count': 1, 'attachment_count': 1, "
	         "'comments': [" COMMENT "], 'attachments': [" ATTACHMENT "]}",
	  .nullable = { "assignee", "due_at", "comments[].author.id",
	                "comments[].client_msg_id" },
	  .optional = { "comments[].client_msg_id" } },
	{ CASE(comment, struct comment), .doc = COMMENT,
	  .nullable = { "author.id", "client_msg_id" },
	  .optional = { "client_msg_id" } },
	{ CASE(message, struct message), .doc = MESSAGE,
	  .nullable = { "author.id", "client_msg_id" } },
	{ CASE(message_page, struct message_page),
	  .doc = "{'results': [" MESSAGE ", " MESSAGE "], 'has_more': true}",
	  .nullable = { "results[].author.id", "results[].client_msg_id" } },
	{ CASE(conversation_page, struct conversation_page),
	  .doc = "{'results': [" CONVERSATION "], 'next': null}",
	  .nullable = { "next", "results[].last_message_at",
	                "results[].last_message",
	                "results[].last_message.author.id",
	                "results[].last_message.client_msg_id" } },
	{ CASE(credential_page, struct credential_page),
	  .doc = "{'results': [{'id': 3, 'label': 'WordPress admin', "
	         "'site_url': 'https://cy.example/wp-admin', "
	         "'updated_at': '2026-10-01T12:00:00Z', 'can_reveal': true}], "
	         "'next': null}",
	  .nullable = { "next" } },
	{ CASE(reveal, struct reveal),
	  .doc = "{'credential_id': 3, 'sealed': 'c2VhbGVk'}" },
	{ CASE(audit_page, struct audit_page),
	  .doc = "{'results': [{'staff': " STAFF_REF ", 'purpose': 'task #12', "
	         "'at': '2026-11-28T09:00:00Z'}], 'next': null}",
	  .nullable = { "next" } },
	{ CASE(billing_summary, struct billing_summary),
	  .doc = "{'currency': 'usd', 'mrr_cents': 123400, 'subscriptions': "
	         "{'active': 10, 'trialing': 2, 'past_due': 1, 'canceled': 3}, "
	         "'failed_payments_30d': 1, 'refunds_30d_cents': 4900, "
	         "'revenue_by_month': [{'month': '2026-05', 'cents': 100}, "
	         "{'month': '2026-06', 'cents': 0}]}" },
	{ CASE(subscription_page, struct subscription_page),
	  .doc = "{'results': [" SUBSCRIPTION "], 'next': null}",
	  .nullable = { "next", "results[].card", "results[].card.brand" },
	  .optional = { "results[].amount_cents" } },
	{ CASE(invoice_page, struct invoice_page),
	  .doc = "{'results': [" INVOICE "], 'next': null}",
	  .nullable = { "next", "results[].paid_at",
	                "results[].failure_reason" } },
	{ EVENT("message.created", p_ev_message),
	  .doc = "{'conversation_id': 7, 'message': " MESSAGE "}",
	  .nullable = { "message.author.id", "message.client_msg_id" } },
	{ EVENT("conversation.read", p_ev_read),
	  .doc = "{'conversation_id': 7, 'unread_count': 0}" },
	{ EVENT("task.updated", p_ev_task), .doc = "{'task': " TASK "}",
	  .nullable = { "task.assignee", "task.due_at" } },
	{ EVENT("comment.created", p_ev_comment),
	  .doc = "{'task_id': 12, 'comment': " COMMENT "}",
	  .nullable = { "comment.author.id", "comment.client_msg_id" },
	  .optional = { "comment.client_msg_id" } },
	{ EVENT("invoice.failed", p_ev_invoice),
	  .doc = "{'invoice': " INVOICE "}",
	  .nullable = { "invoice.paid_at", "invoice.failure_reason" } },
};

/* path with every [n] written [], for matching against the lists. */
static void
normalise(const char *path, char *out, size_t size)
{
	size_t o = 0;

	for (; *path != '\0' && o + 1 < size; path++) {
		if (*path >= '0' && *path <= '9' && o > 0 && out[o - 1] == '[')
			continue;
		out[o++] = *path;
	}
	out[o] = '\0';
}

static bool
listed(const char *const *list, size_t n, const char *path)
{
	char norm[256];
	size_t i;

	normalise(path, norm, sizeof norm);
	for (i = 0; i < n && list[i] != NULL; i++)
		if (strcmp(list[i], norm) == 0)
			return true;
	return false;
}

static bool
all_zero(const void *p, size_t size)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < size; i++)
		if (b[i] != 0)
			return false;
	return true;
}

enum op { OP_DELETE, OP_NULL, OP_WRONG_TYPE, OP_FRACTION, OP_COUNT };
static const char *const op_names[] = { "delete", "null", "wrong type",
	                                "fraction" };

/* Counts, to show the generator really ran. */
static unsigned variants_failed, variants_accepted;

/*
 * Runs c's parser on text and checks the outcome: success when
 * want_ok, else SC_ERR_MALFORMED naming path and a zeroed output.
 */
static void
expect(const struct model_case *c, const char *text, bool want_ok,
       const char *path, const char *what)
{
	void *out = calloc(1, c->size);
	struct sc_error err = { 0 };
	int rc = c->parse(text, strlen(text), out, &err);
	char prefix[300];

	if (want_ok) {
		if (rc != 0)
			fail_msg("%s: %s %s: refused: %s\n%s", c->name, what,
			         path, err.message, text);
		variants_accepted++;
	} else {
		snprintf(prefix, sizeof prefix, "%s: ", path);
		if (rc != -1)
			fail_msg("%s: %s %s: accepted\n%s", c->name, what, path,
			         text);
		assert_int_equal(err.kind, SC_ERR_MALFORMED);
		if (strncmp(err.message, prefix, strlen(prefix)) != 0)
			fail_msg("%s: %s %s: message \"%s\"", c->name, what,
			         path, err.message);
		assert_true(all_zero(out, c->size));
		variants_failed++;
	}
	c->free(out);
	assert_true(all_zero(out, c->size));
	free(out);
	sc_error_clear(&err);
}

/* A value of another type than v, for OP_WRONG_TYPE. */
static cJSON *
wrong_type(const cJSON *v)
{
	if (cJSON_IsString(v))
		return cJSON_CreateNumber(12);
	if (cJSON_IsObject(v))
		return cJSON_CreateArray();
	if (cJSON_IsArray(v))
		return cJSON_CreateObject();
	if (cJSON_IsNull(v))
		return cJSON_CreateArray();
	return cJSON_CreateString("12");
}

/*
 * Applies op to child i of the node reached from the root by the child
 * indexes idx[0..depth), on a fresh copy; NULL when op does not apply.
 */
static char *
mutate(const cJSON *root, const int *idx, int depth, int i, enum op op)
{
	cJSON *copy = cJSON_Duplicate(root, true);
	cJSON *parent = copy, *child, *repl = NULL;
	char *text;
	int d;

	for (d = 0; d < depth; d++)
		parent = cJSON_GetArrayItem(parent, idx[d]);
	child = cJSON_GetArrayItem(parent, i);
	if (op == OP_DELETE) {
		if (!cJSON_IsObject(parent))
			goto skip;
		cJSON_DeleteItemFromArray(parent, i);
	} else {
		if (op == OP_NULL && !cJSON_IsNull(child))
			repl = cJSON_CreateNull();
		else if (op == OP_WRONG_TYPE)
			repl = wrong_type(child);
		else if (op == OP_FRACTION && cJSON_IsNumber(child))
			repl = cJSON_CreateNumber(child->valuedouble + 0.5);
		if (repl == NULL)
			goto skip;
		if (cJSON_IsObject(parent))
			cJSON_ReplaceItemInObjectCaseSensitive(
			    parent, child->string, repl);
		else
			cJSON_ReplaceItemInArray(parent, i, repl);
	}
	text = cJSON_PrintUnformatted(copy);
	cJSON_Delete(copy);
	return text;
skip:
	cJSON_Delete(copy);
	return NULL;
}

/* Whether op on path may succeed under the contract. */
static bool
op_allowed(const struct model_case *c, enum op op, const char *path)
{
	if (op == OP_DELETE)
		return listed(c->optional, 4, path);
	if (op == OP_NULL)
		return listed(c->nullable, 8, path);
	return false;
}

/* Mutates every member under node (at idx/depth, named path), deeply. */
static void
walk(const struct model_case *c, const cJSON *root, const cJSON *node, int *idx,
     int depth, const char *path)
{
	const cJSON *child;
	int i = 0;

	cJSON_ArrayForEach(child, node)
	{
		char sub[256];
		int op;

		if (cJSON_IsObject(node))
			snprintf(sub, sizeof sub, "%s%s%s", path,
			         path[0] != '\0' ? "." : "", child->string);
		else
			snprintf(sub, sizeof sub, "%s[%d]", path, i);
		for (op = 0; op < OP_COUNT; op++) {
			char *text = mutate(root, idx, depth, i, op);

			if (text == NULL)
				continue;
			expect(c, text, op_allowed(c, op, sub), sub,
			       op_names[op]);
			cJSON_free(text);
		}
		if (cJSON_IsObject(child) || cJSON_IsArray(child)) {
			idx[depth] = i;
			walk(c, root, child, idx, depth + 1, sub);
		}
		i++;
	}
}

static void
model__parse__every_member_mutated(void **state)
{
	size_t k;

	for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		const struct model_case *c = &cases[k];
		char *doc = J(c->doc);
		cJSON *root = cJSON_Parse(doc);
		int idx[64];

		if (root == NULL)
			fail_msg("%s: the test document is not JSON", c->name);
		expect(c, doc, true, "", "valid");
		walk(c, root, root, idx, 0, "");
		cJSON_Delete(root);
		free(doc);
	}
	/* print first, then check the walk did not collapse */
	print_message("%u variants refused, %u accepted\n", variants_failed,
	              variants_accepted);
	assert_true(variants_failed > 900);
}

static void
model__parse__every_prefix_refused(void **state)
{
	size_t k, n;

	for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		char *doc = J(cases[k].doc);
		size_t len = strlen(doc);

		for (n = 0; n < len; n++) {
			char *cut = strndup(doc, n);

			expect(&cases[k], cut, false, "response", "prefix");
			free(cut);
		}
		free(doc);
	}
}

/* Scalars and arrays at the root are not the objects the parsers want. */
static void
model__parse__root_not_an_object(void **state)
{
	static const char *const roots[] = { "[]",   "1",    "\"x\"",
		                             "null", "true", "[{}]" };
	size_t k, r;

	for (k = 0; k < sizeof cases / sizeof cases[0]; k++)
		for (r = 0; r < sizeof roots / sizeof roots[0]; r++)
			expect(&cases[k], roots[r], false, "response", "root");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(model__parse__every_member_mutated),
		cmocka_unit_test(model__parse__every_prefix_refused),
		cmocka_unit_test(model__parse__root_not_an_object),
	};

	return cmocka_run_group_tests_name("net/model mutations", tests, NULL,
	                                   NULL);
}
