/* The small references other objects embed: staff, client, author. */
#include "net/client/model.h"

#include <stdlib.h>
#include <string.h>

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
