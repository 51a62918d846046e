/* The small references other objects embed: staff, client, author. */
#include "net/client/model.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/base/xmalloc.h"
#include "net/client/json.h"

int
staff_ref_from_json(const cJSON *v, const struct json_path *path,
                    struct staff_ref *out, struct sc_error *err)
{
	memset(out, 0, sizeof *out);
	if (json_expect_object(v, path, err) < 0 ||
	    json_int(v, "id", path, JSON_ID, &out->id, err) < 0 ||
	    json_string(v, "name", path, &out->name, err) < 0) {
		staff_ref_free(out);
		return -1;
	}
	return 0;
}

void
staff_ref_free(struct staff_ref *r)
{
	free(r->name);
	memset(r, 0, sizeof *r);
}

int
client_ref_from_json(const cJSON *v, const struct json_path *path,
                     struct client_ref *out, struct sc_error *err)
{
	memset(out, 0, sizeof *out);
	if (json_expect_object(v, path, err) < 0 ||
	    json_int(v, "id", path, JSON_ID, &out->id, err) < 0 ||
	    json_string(v, "name", path, &out->name, err) < 0 ||
	    json_string(v, "company", path, &out->company, err) < 0) {
		client_ref_free(out);
		return -1;
	}
	return 0;
}

void
client_ref_free(struct client_ref *r)
{
	free(r->name);
	free(r->company);
	memset(r, 0, sizeof *r);
}

int
author_from_json(const cJSON *v, const struct json_path *path,
                 struct author *out, struct sc_error *err)
{
	bool has_id;

	memset(out, 0, sizeof *out);
	if (json_expect_object(v, path, err) < 0 ||
	    author_kind_from_json(v, "kind", path, &out->kind, err) < 0 ||
	    json_int_null(v, "id", path, JSON_ID, &has_id, &out->id, err) < 0 ||
	    json_string(v, "name", path, &out->name, err) < 0) {
		author_free(out);
		return -1;
	}
	return 0;
}

void
author_free(struct author *a)
{
	free(a->name);
	memset(a, 0, sizeof *a);
}

/*
 * A shared ref: the count of its holders just before the ref, in one
 * allocation, so a task points at the ref itself (t->client->name).
 */
#define SHARED_REF_FNS(name, type)                                             \
	struct shared_##name {                                                 \
		size_t holders;                                                \
		type r;                                                        \
	};                                                                     \
                                                                               \
	static struct shared_##name *shared_##name##_of(const type *r)         \
	{                                                                      \
		return (struct shared_##name                                   \
		            *)(uintptr_t)((const char *)r -                    \
		                          offsetof(struct shared_##name, r));  \
	}                                                                      \
                                                                               \
	const type *name##_share(type *r)                                      \
	{                                                                      \
		struct shared_##name *s = xmalloc(sizeof *s);                  \
                                                                               \
		s->holders = 1;                                                \
		s->r = *r;                                                     \
		memset(r, 0, sizeof *r);                                       \
		return &s->r;                                                  \
	}                                                                      \
                                                                               \
	const type *name##_hold(const type *r)                                 \
	{                                                                      \
		if (r != NULL)                                                 \
			shared_##name##_of(r)->holders++;                      \
		return r;                                                      \
	}                                                                      \
                                                                               \
	void name##_drop(const type *r)                                        \
	{                                                                      \
		struct shared_##name *s;                                       \
                                                                               \
		if (r == NULL)                                                 \
			return;                                                \
		s = shared_##name##_of(r);                                     \
		if (--s->holders > 0)                                          \
			return;                                                \
		name##_free(&s->r);                                            \
		free(s);                                                       \
	}                                                                      \
                                                                               \
	size_t name##_holders(const type *r)                                   \
	{                                                                      \
		return r != NULL ? shared_##name##_of(r)->holders : 0;         \
	}

SHARED_REF_FNS(client_ref, struct client_ref)
SHARED_REF_FNS(staff_ref, struct staff_ref)
