/* Task models: tasks, their comments and attachments, task detail. */
#include "net/client/model.h"

#include <stdlib.h>
#include <string.h>

#include "net/client/json.h"
#include "net/base/xmalloc.h"

JSON_ITEM_FNS(client_ref, struct client_ref)
JSON_ITEM_FNS(staff_ref, struct staff_ref)
JSON_ITEM_FNS(author, struct author)

/* A count obj[key], saturated at UINT32_MAX (struct task holds 32 bits). */
static int
count32(const cJSON *v, const char *key, const struct json_path *path,
        uint32_t *out, struct sc_error *err)
{
	int64_t n;

	if (json_int(v, key, path, JSON_COUNT, &n, err) < 0)
		return -1;
	*out = n > (int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)n;
	return 0;
}

/* The task's members after the nested objects: times and counts. */
static int
task_tail(const cJSON *v, const struct json_path *path, struct task *out,
          struct sc_error *err)
{
	if (json_time(v, "created_at", path, &out->created_at, err) < 0 ||
	    json_time(v, "updated_at", path, &out->updated_at, err) < 0 ||
	    json_time_null(v, "due_at", path, &out->has_due_at, &out->due_at,
	                   err) < 0 ||
	    count32(v, "comment_count", path, &out->comment_count, err) < 0 ||
	    count32(v, "attachment_count", path, &out->attachment_count, err) <
	        0)
		return -1;
	return 0;
}

/* The task's client and assignee, each a shared ref of its own. */
static int
task_refs(const cJSON *v, const struct json_path *path, struct task *out,
          struct sc_error *err)
{
	struct client_ref c;
	struct staff_ref a;

	if (json_child(v, "client", path, NULL, client_ref_item, &c, sizeof c,
	               err) < 0)
		return -1;
	out->client = client_ref_share(&c);
	if (json_child(v, "assignee", path, &out->has_assignee, staff_ref_item,
	               &a, sizeof a, err) < 0)
		return -1;
	if (out->has_assignee)
		out->assignee = staff_ref_share(&a);
	return 0;
}

int
task_from_json(const cJSON *v, const struct json_path *path, struct task *out,
               struct sc_error *err)
{
	enum task_status status = TASK_NEW;
	enum task_priority priority = PRIORITY_LOW;

	memset(out, 0, sizeof *out);
	if (json_expect_object(v, path, err) < 0 ||
	    json_int(v, "id", path, JSON_ID, &out->id, err) < 0 ||
	    json_int(v, "version", path, JSON_COUNT, &out->version, err) < 0 ||
	    json_string(v, "title", path, &out->title, err) < 0 ||
	    json_string(v, "description", path, &out->description, err) < 0 ||
	    task_status_from_json(v, "status", path, &status, err) < 0 ||
	    task_priority_from_json(v, "priority", path, &priority, err) < 0 ||
	    task_refs(v, path, out, err) < 0 ||
	    task_tail(v, path, out, err) < 0) {
		task_free(out);
		return -1;
	}
	out->status = (uint8_t)status;
	out->priority = (uint8_t)priority;
	return 0;
}

void
task_free(struct task *t)
{
	free(t->title);
	free(t->description);
	client_ref_drop(t->client);
	staff_ref_drop(t->assignee);
	memset(t, 0, sizeof *t);
}

/* A copy of s, or NULL for NULL. */
static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

void
task_copy(struct task *dst, const struct task *src)
{
	*dst = *src;
	dst->order_cell = 0; /* the store's row's, not the copy's */
	dst->title = dup_or_null(src->title);
	dst->description = dup_or_null(src->description);
	client_ref_hold(dst->client);
	staff_ref_hold(dst->assignee);
}

void
task_set_client(struct task *t, int64_t id, const char *name,
                const char *company)
{
	struct client_ref c = { id, dup_or_null(name), dup_or_null(company) };

	client_ref_drop(t->client);
	t->client = client_ref_share(&c);
}

void
task_set_assignee(struct task *t, int64_t id, const char *name)
{
	struct staff_ref a = { id, NULL };

	staff_ref_drop(t->assignee);
	t->assignee = NULL;
	t->has_assignee = id != 0;
	if (t->has_assignee) {
		a.name = dup_or_null(name);
		t->assignee = staff_ref_share(&a);
	}
}

/* The optional client_msg_id of a comment: absent, null or a string. */
static int
comment_msg_id(const cJSON *v, const struct json_path *path, char **out,
               struct sc_error *err)
{
	*out = NULL;
	if (cJSON_GetObjectItemCaseSensitive(v, "client_msg_id") == NULL)
		return 0;
	return json_string_null(v, "client_msg_id", path, out, err);
}

int
comment_from_json(const cJSON *v, const struct json_path *path,
                  struct comment *out, struct sc_error *err)
{
	memset(out, 0, sizeof *out);
	if (json_expect_object(v, path, err) < 0 ||
	    json_int(v, "id", path, JSON_ID, &out->id, err) < 0 ||
	    json_child(v, "author", path, NULL, author_item, &out->author,
	               sizeof out->author, err) < 0 ||
	    json_string(v, "body", path, &out->body, err) < 0 ||
	    json_bool(v, "internal", path, &out->internal, err) < 0 ||
	    json_time(v, "created_at", path, &out->created_at, err) < 0 ||
	    comment_msg_id(v, path, &out->client_msg_id, err) < 0) {
		comment_free(out);
		return -1;
	}
	return 0;
}

void
comment_free(struct comment *c)
{
	author_free(&c->author);
	free(c->body);
	free(c->client_msg_id);
	memset(c, 0, sizeof *c);
}

void
comment_copy(struct comment *dst, const struct comment *src)
{
	*dst = *src;
	dst->author.name = dup_or_null(src->author.name);
	dst->body = dup_or_null(src->body);
	dst->client_msg_id = dup_or_null(src->client_msg_id);
}

/* Fills an attachment from the object v. */
static int
attachment_from_json(const cJSON *v, const struct json_path *path,
                     struct attachment *out, struct sc_error *err)
{
	memset(out, 0, sizeof *out);
	if (json_expect_object(v, path, err) < 0 ||
	    json_int(v, "id", path, JSON_ID, &out->id, err) < 0 ||
	    json_string(v, "filename", path, &out->filename, err) < 0 ||
	    json_int(v, "size", path, JSON_COUNT, &out->size, err) < 0 ||
	    json_string(v, "content_type", path, &out->content_type, err) < 0 ||
	    json_time(v, "created_at", path, &out->created_at, err) < 0) {
		attachment_free(out);
		return -1;
	}
	return 0;
}

void
attachment_free(struct attachment *a)
{
	free(a->filename);
	free(a->content_type);
	memset(a, 0, sizeof *a);
}

JSON_ITEM_FNS(task, struct task)
JSON_ITEM_FNS(comment, struct comment)
JSON_ITEM_FNS(attachment, struct attachment)
JSON_PAGE_FNS(task)

/* Fills a task detail: the task's members plus its two arrays. */
static int
task_detail_from_json(const cJSON *v, const struct json_path *path,
                      struct task_detail *out, struct sc_error *err)
{
	void *comments = NULL, *attachments = NULL;

	memset(out, 0, sizeof *out);
	if (task_from_json(v, path, &out->task, err) < 0)
		return -1;
	if (json_array(v, "comments", path, sizeof *out->comments, comment_item,
	               comment_item_free, &comments, &out->ncomments,
	               err) < 0) {
		task_detail_free(out);
		return -1;
	}
	out->comments = comments;
	if (json_array(v, "attachments", path, sizeof *out->attachments,
	               attachment_item, attachment_item_free, &attachments,
	               &out->nattachments, err) < 0) {
		task_detail_free(out);
		return -1;
	}
	out->attachments = attachments;
	return 0;
}

void
task_detail_free(struct task_detail *d)
{
	task_free(&d->task);
	json_array_free(d->comments, d->ncomments, sizeof *d->comments,
	                comment_item_free);
	json_array_free(d->attachments, d->nattachments, sizeof *d->attachments,
	                attachment_item_free);
	memset(d, 0, sizeof *d);
}

JSON_ITEM_FNS(task_detail, struct task_detail)

int
task_parse(const char *body, size_t len, struct task *out, struct sc_error *err)
{
	memset(out, 0, sizeof *out);
	return json_document(body, len, task_item, out, err);
}

int
task_detail_parse(const char *body, size_t len, struct task_detail *out,
                  struct sc_error *err)
{
	memset(out, 0, sizeof *out);
	return json_document(body, len, task_detail_item, out, err);
}

int
comment_parse(const char *body, size_t len, struct comment *out,
              struct sc_error *err)
{
	memset(out, 0, sizeof *out);
	return json_document(body, len, comment_item, out, err);
}

/* The root of a 412 body: error.current, or a top-level current. */
static int
conflict_root(const cJSON *root, const struct json_path *path, void *out,
              struct sc_error *err)
{
	struct json_path in_error = JSON_KEY(path, "error");
	const cJSON *e;

	if (json_expect_object(root, path, err) < 0)
		return -1;
	e = cJSON_GetObjectItemCaseSensitive(root, "error");
	if (cJSON_IsObject(e) &&
	    cJSON_GetObjectItemCaseSensitive(e, "current") != NULL)
		return json_child(e, "current", &in_error, NULL, task_item, out,
		                  sizeof(struct task), err);
	return json_child(root, "current", path, NULL, task_item, out,
	                  sizeof(struct task), err);
}

int
task_conflict_parse(const char *body, size_t len, struct task *out,
                    struct sc_error *err)
{
	memset(out, 0, sizeof *out);
	return json_document(body, len, conflict_root, out, err);
}
