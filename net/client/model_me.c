/* Staff and client models: me, the staff list, the client list. */
#include "net/client/model.h"

#include <stdlib.h>
#include <string.h>

#include "net/client/json.h"

/* ORs the bit of each known name in obj[key] into *out; others ignored. */
static int
permissions_from_json(const cJSON *obj, const char *key,
                      const struct json_path *path, unsigned *out,
                      struct sc_error *err)
{
	struct json_path here = JSON_KEY(path, key);
	const cJSON *v = json_member(obj, key, path, false, NULL, err);
	const cJSON *e;
	size_t i = 0;

	*out = 0;
	if (v == NULL)
		return -1;
	if (!cJSON_IsArray(v)) {
		json_fail(err, path, key, "expected an array");
		return -1;
	}
	cJSON_ArrayForEach(e, v)
	{
		struct json_path at = JSON_INDEX(&here, i++);

		if (!cJSON_IsString(e) || e->valuestring == NULL) {
			json_fail(err, &at, NULL, "expected a string");
			return -1;
		}
		*out |= permission_from_name(e->valuestring);
	}
	return 0;
}

/* The optional time member key: absent counts as null (older services
 * did not send it); present, it must be null or a time. */
static int
optional_time(const cJSON *v, const char *key, const struct json_path *path,
              bool *present, time_t *out, struct sc_error *err)
{
	*present = false;
	*out = 0;
	if (cJSON_GetObjectItemCaseSensitive(v, key) == NULL)
		return 0;
	return json_time_null(v, key, path, present, out, err);
}

/* Fills a me from the object v. */
static int
me_from_json(const cJSON *v, const struct json_path *path, struct me *out,
             struct sc_error *err)
{
	memset(out, 0, sizeof *out);
	if (json_expect_object(v, path, err) < 0 ||
	    json_int(v, "id", path, JSON_ID, &out->id, err) < 0 ||
	    json_string(v, "name", path, &out->name, err) < 0 ||
	    json_string(v, "email", path, &out->email, err) < 0 ||
	    staff_role_from_json(v, "role", path, &out->role, err) < 0 ||
	    json_string_null(v, "public_key", path, &out->public_key, err) <
	        0 ||
	    optional_time(v, "public_key_registered_at", path,
	                  &out->has_public_key_registered_at,
	                  &out->public_key_registered_at, err) < 0 ||
	    permissions_from_json(v, "permissions", path, &out->permissions,
	                          err) < 0) {
		me_free(out);
		return -1;
	}
	return 0;
}

void
me_free(struct me *m)
{
	free(m->name);
	free(m->email);
	free(m->public_key);
	memset(m, 0, sizeof *m);
}

/* Fills a staff entry from the object v. */
static int
staff_from_json(const cJSON *v, const struct json_path *path, struct staff *out,
                struct sc_error *err)
{
	memset(out, 0, sizeof *out);
	if (json_expect_object(v, path, err) < 0 ||
	    json_int(v, "id", path, JSON_ID, &out->id, err) < 0 ||
	    json_string(v, "name", path, &out->name, err) < 0 ||
	    staff_role_from_json(v, "role", path, &out->role, err) < 0) {
		staff_free(out);
		return -1;
	}
	return 0;
}

void
staff_free(struct staff *s)
{
	free(s->name);
	memset(s, 0, sizeof *s);
}

JSON_ITEM_FNS(staff, struct staff)
JSON_ITEM_FNS(staff_ref, struct staff_ref)

/* Fills a client from the object v. */
static int
client_from_json(const cJSON *v, const struct json_path *path,
                 struct client *out, struct sc_error *err)
{
	void *refs = NULL;

	memset(out, 0, sizeof *out);
	if (json_expect_object(v, path, err) < 0 ||
	    json_int(v, "id", path, JSON_ID, &out->id, err) < 0 ||
	    json_string(v, "name", path, &out->name, err) < 0 ||
	    json_string(v, "company", path, &out->company, err) < 0 ||
	    json_string(v, "email", path, &out->email, err) < 0 ||
	    json_string_null(v, "phone", path, &out->phone, err) < 0 ||
	    json_string(v, "site_url", path, &out->site_url, err) < 0 ||
	    json_array(v, "assigned_staff", path, sizeof(struct staff_ref),
	               staff_ref_item, staff_ref_item_free, &refs,
	               &out->nassigned_staff, err) < 0) {
		client_free(out);
		return -1;
	}
	out->assigned_staff = refs;
	return 0;
}

void
client_free(struct client *c)
{
	free(c->name);
	free(c->company);
	free(c->email);
	free(c->phone);
	free(c->site_url);
	json_array_free(c->assigned_staff, c->nassigned_staff,
	                sizeof *c->assigned_staff, staff_ref_item_free);
	memset(c, 0, sizeof *c);
}

JSON_ITEM_FNS(me, struct me)
JSON_ITEM_FNS(client, struct client)

int
me_parse(const char *body, size_t len, struct me *out, struct sc_error *err)
{
	memset(out, 0, sizeof *out);
	return json_document(body, len, me_item, out, err);
}

JSON_PAGE_FNS(staff)
JSON_PAGE_FNS(client)

/* The root of GET /auth/csrf. */
static int
csrf_root(const cJSON *root, const struct json_path *path, void *out,
          struct sc_error *err)
{
	if (json_expect_object(root, path, err) < 0)
		return -1;
	return json_string(root, "csrf_token", path, out, err);
}

int
csrf_token_parse(const char *body, size_t len, char **out, struct sc_error *err)
{
	*out = NULL;
	return json_document(body, len, csrf_root, out, err);
}
