/* Credential models: the list, the sealed reveal answer, the audit log. */
#include "net/client/model.h"

#include <stdlib.h>
#include <string.h>

#include "net/client/json.h"

JSON_ITEM_FNS(staff_ref, struct staff_ref)

/* Fills a credential entry from the object v. */
static int
credential_from_json(const cJSON *v, const struct json_path *path,
                     struct credential *out, struct sc_error *err)
{
	memset(out, 0, sizeof *out);
	if (json_expect_object(v, path, err) < 0 ||
	    json_int(v, "id", path, JSON_ID, &out->id, err) < 0 ||
	    json_string(v, "label", path, &out->label, err) < 0 ||
	    json_string(v, "site_url", path, &out->site_url, err) < 0 ||
	    json_time(v, "updated_at", path, &out->updated_at, err) < 0 ||
	    json_bool(v, "can_reveal", path, &out->can_reveal, err) < 0) {
		credential_free(out);
		return -1;
	}
	return 0;
}

void
credential_free(struct credential *c)
{
	free(c->label);
	free(c->site_url);
	memset(c, 0, sizeof *c);
}

/* Fills a reveal answer from the object v. */
static int
reveal_from_json(const cJSON *v, const struct json_path *path,
                 struct reveal *out, struct sc_error *err)
{
	memset(out, 0, sizeof *out);
	if (json_expect_object(v, path, err) < 0 ||
	    json_int(v, "credential_id", path, JSON_ID, &out->credential_id,
	             err) < 0 ||
	    json_string(v, "sealed", path, &out->sealed, err) < 0) {
		reveal_free(out);
		return -1;
	}
	return 0;
}

void
reveal_free(struct reveal *r)
{
	free(r->sealed);
	memset(r, 0, sizeof *r);
}

/* Fills an audit entry from the object v. */
static int
audit_entry_from_json(const cJSON *v, const struct json_path *path,
                      struct audit_entry *out, struct sc_error *err)
{
	memset(out, 0, sizeof *out);
	if (json_expect_object(v, path, err) < 0 ||
	    json_child(v, "staff", path, NULL, staff_ref_item, &out->staff,
	               sizeof out->staff, err) < 0 ||
	    json_string(v, "purpose", path, &out->purpose, err) < 0 ||
	    json_time(v, "at", path, &out->at, err) < 0) {
		audit_entry_free(out);
		return -1;
	}
	return 0;
}

void
audit_entry_free(struct audit_entry *a)
{
	staff_ref_free(&a->staff);
	free(a->purpose);
	memset(a, 0, sizeof *a);
}

JSON_ITEM_FNS(credential, struct credential)
JSON_ITEM_FNS(reveal, struct reveal)
JSON_ITEM_FNS(audit_entry, struct audit_entry)

/* audit_page holds audit_entry items: name the adapters for the macro. */
#define audit_item      audit_entry_item
#define audit_item_free audit_entry_item_free
JSON_PAGE_FNS(credential)
JSON_PAGE_FNS(audit)

int
reveal_parse(const char *body, size_t len, struct reveal *out,
             struct sc_error *err)
{
	memset(out, 0, sizeof *out);
	return json_document(body, len, reveal_item, out, err);
}
