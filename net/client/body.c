/* Request bodies: cJSON trees printed compactly. */
#include "net/client/body.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "net/base/xmalloc.h"

/* item, or an abort when cJSON ran out of memory making it. */
static cJSON *
checked(cJSON *item)
{
	if (item == NULL)
		abort();
	return item;
}

/* Adds key: item to obj (keys are our own literals, never copied). */
static void
add(cJSON *obj, const char *key, cJSON *item)
{
	if (!cJSON_AddItemToObjectCS(obj, key, checked(item)))
		abort();
}

/* An integer, printed exactly (a double would round large ids). */
static cJSON *
int_item(int64_t v)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%" PRId64, v);
	return checked(cJSON_CreateRaw(buf));
}

/* A string member; NULL counts as "". */
static void
add_string(cJSON *obj, const char *key, const char *s)
{
	add(obj, key, cJSON_CreateString(s != NULL ? s : ""));
}

/* Prints obj compactly into plain malloc'd memory and deletes it. */
static char *
finish(cJSON *obj)
{
	char *printed = cJSON_PrintUnformatted(obj);
	char *out;

	cJSON_Delete(obj);
	if (printed == NULL)
		abort();
	out = xstrdup(printed);
	cJSON_free(printed);
	return out;
}

char *
body_task_patch(const struct task_patch *patch)
{
	cJSON *obj = checked(cJSON_CreateObject());

	if (patch->set_status)
		add_string(obj, "status", task_status_name(patch->status));
	if (patch->set_priority)
		add_string(obj, "priority",
		           task_priority_name(patch->priority));
	if (patch->set_assignee)
		add(obj, "assignee_id",
		    patch->assignee_id != 0 ? int_item(patch->assignee_id)
		                            : cJSON_CreateNull());
	return finish(obj);
}

char *
body_comment(const char *text, bool internal, const char *client_msg_id)
{
	cJSON *obj = checked(cJSON_CreateObject());

	add_string(obj, "body", text);
	add(obj, "internal", cJSON_CreateBool(internal));
	if (client_msg_id != NULL)
		add_string(obj, "client_msg_id", client_msg_id);
	return finish(obj);
}

char *
body_message(const char *text, const char *client_msg_id)
{
	cJSON *obj = checked(cJSON_CreateObject());

	add_string(obj, "body", text);
	if (client_msg_id != NULL)
		add_string(obj, "client_msg_id", client_msg_id);
	return finish(obj);
}

char *
body_read(int64_t last_read_message_id)
{
	cJSON *obj = checked(cJSON_CreateObject());

	add(obj, "last_read_message_id", int_item(last_read_message_id));
	return finish(obj);
}

char *
body_reveal(const char *purpose)
{
	cJSON *obj = checked(cJSON_CreateObject());

	add_string(obj, "purpose", purpose);
	return finish(obj);
}

/* A size that always fits {"<k1>": a, "<k2>": b}: every byte escaped
 * as \u00XX, plus room for the keys and punctuation. */
static size_t
pair_size(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b);

	if (n > (SIZE_MAX - 64) / 6)
		abort();
	return n * 6 + 64;
}

/*
 * Prints {k1: v1, k2: v2} into buf without copying the values (cJSON
 * references them), so that a secret value stays where the caller put
 * it; printing into a preallocated buffer allocates nothing.
 */
static int
print_pair(const char *k1, const char *v1, const char *k2, const char *v2,
           char *buf, size_t size)
{
	cJSON *obj = checked(cJSON_CreateObject());
	cJSON_bool ok;

	add(obj, k1, cJSON_CreateStringReference(v1));
	add(obj, k2, cJSON_CreateStringReference(v2));
	ok = size <= INT32_MAX &&
	     cJSON_PrintPreallocated(obj, buf, (int)size, false);
	cJSON_Delete(obj);
	return ok ? 0 : -1;
}

size_t
body_login_size(const char *email, const char *password)
{
	return pair_size(email, password);
}

int
body_login(const char *email, const char *password, char *buf, size_t size)
{
	return print_pair("email", email, "password", password, buf, size);
}

size_t
body_public_key_size(const char *public_key, const char *password)
{
	return pair_size(public_key, password);
}

int
body_public_key(const char *public_key, const char *password, char *buf,
                size_t size)
{
	return print_pair("public_key", public_key, "password", password, buf,
	                  size);
}
