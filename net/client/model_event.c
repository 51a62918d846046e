/* Event payloads: the data of each Server-Sent Event type. */
#include "net/client/model.h"

#include <stdlib.h>
#include <string.h>

#include "net/client/json.h"

JSON_ITEM_FNS(message, struct message)
JSON_ITEM_FNS(task, struct task)
JSON_ITEM_FNS(comment, struct comment)
JSON_ITEM_FNS(invoice, struct invoice)

/* Event type names, indexed by enum event_type. */
static const char *const event_types[] = {
	[EVENT_UNKNOWN] = "unknown",
	[EVENT_MESSAGE_CREATED] = "message.created",
	[EVENT_CONVERSATION_READ] = "conversation.read",
	[EVENT_TASK_CREATED] = "task.created",
	[EVENT_TASK_UPDATED] = "task.updated",
	[EVENT_COMMENT_CREATED] = "comment.created",
	[EVENT_INVOICE_FAILED] = "invoice.failed",
	[EVENT_RESYNC] = "resync",
	[EVENT_STAFF_KEY_CHANGED] = "staff.key_changed",
};
#define EVENT_TYPE_COUNT (sizeof event_types / sizeof event_types[0])

const char *
event_type_name(enum event_type t)
{
	return (size_t)t < EVENT_TYPE_COUNT ? event_types[t] : "unknown";
}

enum event_type
event_type_from_name(const char *name)
{
	size_t i;

	for (i = 1; name != NULL && i < EVENT_TYPE_COUNT; i++)
		if (strcmp(event_types[i], name) == 0)
			return (enum event_type)i;
	return EVENT_UNKNOWN;
}

/* The members of out->type's payload, read from the object v. */
static int
event_members(const cJSON *v, const struct json_path *path,
              struct event_payload *out, struct sc_error *err)
{
	switch (out->type) {
	case EVENT_MESSAGE_CREATED:
		if (json_int(v, "conversation_id", path, JSON_ID,
		             &out->conversation_id, err) < 0)
			return -1;
		return json_child(v, "message", path, NULL, message_item,
		                  &out->message, sizeof out->message, err);
	case EVENT_CONVERSATION_READ:
		if (json_int(v, "conversation_id", path, JSON_ID,
		             &out->conversation_id, err) < 0)
			return -1;
		return json_int(v, "unread_count", path, JSON_COUNT,
		                &out->unread_count, err);
	case EVENT_TASK_CREATED:
	case EVENT_TASK_UPDATED:
		return json_child(v, "task", path, NULL, task_item, &out->task,
		                  sizeof out->task, err);
	case EVENT_COMMENT_CREATED:
		if (json_int(v, "task_id", path, JSON_ID, &out->task_id, err) <
		    0)
			return -1;
		return json_child(v, "comment", path, NULL, comment_item,
		                  &out->comment, sizeof out->comment, err);
	case EVENT_INVOICE_FAILED:
		return json_child(v, "invoice", path, NULL, invoice_item,
		                  &out->invoice, sizeof out->invoice, err);
	case EVENT_STAFF_KEY_CHANGED:
		if (json_string(v, "public_key", path, &out->key.public_key,
		                err) < 0)
			return -1;
		return json_time(v, "registered_at", path,
		                 &out->key.registered_at, err);
	default:
		return 0; /* resync: {} and whatever a newer server adds */
	}
}

/* The root of an event's data: an object with its type's members. */
static int
event_root(const cJSON *root, const struct json_path *path, void *out,
           struct sc_error *err)
{
	struct event_payload *e = out;

	if (json_expect_object(root, path, err) < 0 ||
	    event_members(root, path, e, err) < 0) {
		event_payload_free(e);
		return -1;
	}
	return 0;
}

int
event_payload_parse(const char *type, const char *data, size_t len,
                    struct event_payload *out, struct sc_error *err)
{
	memset(out, 0, sizeof *out);
	out->type = event_type_from_name(type);
	if (out->type == EVENT_UNKNOWN)
		return EVENT_IGNORED;
	/* resync carries nothing worth refusing over: an empty data is fine */
	if (out->type == EVENT_RESYNC && len == 0)
		return 0;
	if (json_document(data, len, event_root, out, err) < 0) {
		memset(out, 0, sizeof *out);
		return -1;
	}
	return 0;
}

void
event_payload_free(struct event_payload *e)
{
	message_free(&e->message);
	task_free(&e->task);
	comment_free(&e->comment);
	invoice_free(&e->invoice);
	free(e->key.public_key);
	memset(e, 0, sizeof *e);
}
