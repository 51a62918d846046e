/* Chat models: messages, conversations and their pages. */
#include "net/client/model.h"

#include <stdlib.h>
#include <string.h>

#include "net/client/json.h"
#include "net/base/xmalloc.h"

JSON_ITEM_FNS(client_ref, struct client_ref)
JSON_ITEM_FNS(author, struct author)

int
message_from_json(const cJSON *v, const struct json_path *path,
                  struct message *out, struct sc_error *err)
{
	memset(out, 0, sizeof *out);
	if (json_expect_object(v, path, err) < 0 ||
	    json_int(v, "id", path, JSON_ID, &out->id, err) < 0 ||
	    json_int(v, "conversation_id", path, JSON_ID, &out->conversation_id,
	             err) < 0 ||
	    json_child(v, "author", path, NULL, author_item, &out->author,
	               sizeof out->author, err) < 0 ||
	    json_string(v, "body", path, &out->body, err) < 0 ||
	    json_time(v, "created_at", path, &out->created_at, err) < 0 ||
	    json_string_null(v, "client_msg_id", path, &out->client_msg_id,
	                     err) < 0) {
		message_free(out);
		return -1;
	}
	return 0;
}

void
message_free(struct message *m)
{
	author_free(&m->author);
	free(m->body);
	free(m->client_msg_id);
	memset(m, 0, sizeof *m);
}

void
message_copy(struct message *dst, const struct message *src)
{
	*dst = *src;
	dst->author.name =
	    src->author.name != NULL ? xstrdup(src->author.name) : NULL;
	dst->body = src->body != NULL ? xstrdup(src->body) : NULL;
	dst->client_msg_id =
	    src->client_msg_id != NULL ? xstrdup(src->client_msg_id) : NULL;
}

JSON_ITEM_FNS(message, struct message)

/* Fills a conversation from the object v. */
static int
conversation_from_json(const cJSON *v, const struct json_path *path,
                       struct conversation *out, struct sc_error *err)
{
	memset(out, 0, sizeof *out);
	if (json_expect_object(v, path, err) < 0 ||
	    json_int(v, "id", path, JSON_ID, &out->id, err) < 0 ||
	    json_child(v, "client", path, NULL, client_ref_item, &out->client,
	               sizeof out->client, err) < 0 ||
	    json_time_null(v, "last_message_at", path,
	                   &out->has_last_message_at, &out->last_message_at,
	                   err) < 0 ||
	    json_int(v, "unread_count", path, JSON_COUNT, &out->unread_count,
	             err) < 0 ||
	    json_child(v, "last_message", path, &out->has_last_message,
	               message_item, &out->last_message,
	               sizeof out->last_message, err) < 0) {
		conversation_free(out);
		return -1;
	}
	return 0;
}

void
conversation_free(struct conversation *c)
{
	client_ref_free(&c->client);
	message_free(&c->last_message);
	memset(c, 0, sizeof *c);
}

JSON_ITEM_FNS(conversation, struct conversation)
JSON_PAGE_FNS(conversation)

int
conversation_parse(const char *body, size_t len, struct conversation *out,
                   struct sc_error *err)
{
	memset(out, 0, sizeof *out);
	return json_document(body, len, conversation_item, out, err);
}

int
message_parse(const char *body, size_t len, struct message *out,
              struct sc_error *err)
{
	memset(out, 0, sizeof *out);
	return json_document(body, len, message_item, out, err);
}

/* The root of a messages page: {"results": [...], "has_more": bool}. */
static int
message_page_root(const cJSON *root, const struct json_path *path, void *out,
                  struct sc_error *err)
{
	struct message_page *p = out;
	void *items;

	if (json_expect_object(root, path, err) < 0 ||
	    json_bool(root, "has_more", path, &p->has_more, err) < 0 ||
	    json_array(root, "results", path, sizeof *p->items, message_item,
	               message_item_free, &items, &p->n, err) < 0) {
		memset(p, 0, sizeof *p);
		return -1;
	}
	p->items = items;
	return 0;
}

int
message_page_parse(const char *body, size_t len, struct message_page *out,
                   struct sc_error *err)
{
	memset(out, 0, sizeof *out);
	return json_document(body, len, message_page_root, out, err);
}

void
message_page_free(struct message_page *p)
{
	json_array_free(p->items, p->n, sizeof *p->items, message_item_free);
	memset(p, 0, sizeof *p);
}
