/*
 * libFuzzer harness for the model parsers: the first byte picks a parser
 * (for events, the second byte picks the event type), the rest is the
 * body. Each parse must either succeed and free cleanly or fail with a
 * message and a zeroed output; ASan/UBSan catch the rest.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/client/json.h"
#include "net/client/model.h"

/* Wraps X_parse/X_free with untyped pointers for the table below. */
#define FUZZ_ADAPT(name, type)                                                 \
	static int p_##name(const char *b, size_t l, void *o,                  \
	                    struct sc_error *e)                                \
	{                                                                      \
		return name##_parse(b, l, (type *)o, e);                       \
	}                                                                      \
	static void f_##name(void *o)                                          \
	{                                                                      \
		name##_free((type *)o);                                        \
	}
FUZZ_ADAPT(me, struct me)
FUZZ_ADAPT(staff_page, struct staff_page)
FUZZ_ADAPT(client_page, struct client_page)
FUZZ_ADAPT(task, struct task)
FUZZ_ADAPT(task_page, struct task_page)
FUZZ_ADAPT(task_detail, struct task_detail)
FUZZ_ADAPT(comment, struct comment)
FUZZ_ADAPT(conversation, struct conversation)
FUZZ_ADAPT(conversation_page, struct conversation_page)
FUZZ_ADAPT(message, struct message)
FUZZ_ADAPT(message_page, struct message_page)
FUZZ_ADAPT(credential_page, struct credential_page)
FUZZ_ADAPT(reveal, struct reveal)
FUZZ_ADAPT(audit_page, struct audit_page)
FUZZ_ADAPT(billing_summary, struct billing_summary)
FUZZ_ADAPT(subscription_page, struct subscription_page)
FUZZ_ADAPT(invoice_page, struct invoice_page)

static int
p_conflict(const char *b, size_t l, void *o, struct sc_error *e)
{
	return task_conflict_parse(b, l, o, e);
}

static const struct {
	int (*parse)(const char *, size_t, void *, struct sc_error *);
	void (*free)(void *);
	size_t size;
} parsers[] = {
#define P(name, type)                                                          \
	{                                                                      \
		p_##name, f_##name, sizeof(type)                               \
	}
	P(me, struct me),
	P(staff_page, struct staff_page),
	P(client_page, struct client_page),
	P(task, struct task),
	P(task_page, struct task_page),
	P(task_detail, struct task_detail),
	P(comment, struct comment),
	P(conversation, struct conversation),
	P(conversation_page, struct conversation_page),
	P(message, struct message),
	P(message_page, struct message_page),
	P(credential_page, struct credential_page),
	P(reveal, struct reveal),
	P(audit_page, struct audit_page),
	P(billing_summary, struct billing_summary),
	P(subscription_page, struct subscription_page),
	P(invoice_page, struct invoice_page),
	{ p_conflict, f_task, sizeof(struct task) },
#undef P
};
#define NPARSERS (sizeof parsers / sizeof parsers[0])

static const char *const event_types[] = {
	"message.created", "conversation.read", "task.created",
	"task.updated",    "comment.created",   "invoice.failed",
	"resync",          "unknown.type",      "staff.key_changed",
};
#define NEVENTS (sizeof event_types / sizeof event_types[0])

/* Aborts unless all size bytes at p are zero. */
static void
check_zero(const void *p, size_t size)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < size; i++)
		if (b[i] != 0)
			abort();
}

/* One object parser over body. */
static void
run_parser(size_t which, const char *body, size_t len)
{
	void *out = malloc(parsers[which].size);
	struct sc_error err = { 0 };

	memset(out, 0xa5, parsers[which].size);
	if (parsers[which].parse(body, len, out, &err) < 0) {
		if (err.kind != SC_ERR_MALFORMED || err.message == NULL)
			abort();
		check_zero(out, parsers[which].size);
	}
	parsers[which].free(out);
	check_zero(out, parsers[which].size);
	free(out);
	sc_error_clear(&err);
}

/* The event payload parser for the type chosen by pick. */
static void
run_event(uint8_t pick, const char *body, size_t len)
{
	struct event_payload e;
	struct sc_error err = { 0 };
	int rc = event_payload_parse(event_types[pick % NEVENTS], body, len, &e,
	                             &err);

	if (rc < 0 && err.kind != SC_ERR_MALFORMED)
		abort();
	event_payload_free(&e);
	sc_error_clear(&err);
}

/* The time parser over the body as a C string. */
static void
run_time(const char *body, size_t len)
{
	char *s = strndup(body, len);
	time_t t;

	json_time_parse(s, &t);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t which;

	if (size < 2)
		return 0;
	which = data[0] % (NPARSERS + 2);
	if (which < NPARSERS)
		run_parser(which, (const char *)data + 1, size - 1);
	else if (which == NPARSERS)
		run_event(data[1], (const char *)data + 2, size - 2);
	else
		run_time((const char *)data + 1, size - 1);
	return 0;
}
