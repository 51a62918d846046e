/* Whose an outbox item is, and whether it may be sent: see outbox_owner.h. */
#include "net/store/outbox_owner.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "net/base/xmalloc.h"

/* Integers above this do not survive a trip through a JSON double. */
#define OWNER_MAX_ID 9007199254740992.0

void
outbox_owner_init(struct outbox_owner *out, const char *service,
                  long long staff_id, const char *email)
{
	out->service = service != NULL ? xstrdup(service) : NULL;
	out->staff_id = staff_id;
	out->email = email != NULL ? xstrdup(email) : NULL;
}

void
outbox_owner_copy(struct outbox_owner *out, const struct outbox_owner *o)
{
	outbox_owner_init(out, o->service, o->staff_id, o->email);
}

void
outbox_owner_clear(struct outbox_owner *o)
{
	free(o->service);
	free(o->email);
	o->service = NULL;
	o->email = NULL;
	o->staff_id = 0;
}

/* The member in words: the email, else "staff member N", else unknown. */
static char *
member_words(const struct outbox_owner *o)
{
	if (o->email != NULL && o->email[0] != '\0')
		return xstrdup(o->email);
	if (o->staff_id > 0)
		return xasprintf("staff member %lld", o->staff_id);
	return xstrdup("an unknown staff member");
}

char *
outbox_owner_refusal(const struct outbox_owner *queued,
                     const struct outbox_owner *now)
{
	char *who, *me, *why;

	if (queued->service == NULL)
		return xstrdup("queued by an earlier version of sitecare, "
		               "service unknown: never sent by itself");
	who = member_words(queued);
	if (now->service == NULL || strcmp(queued->service, now->service) != 0)
		why = xasprintf("queued for %s as %s, not this service (%s)",
		                queued->service, who,
		                now->service != NULL ? now->service : "none");
	else if (now->staff_id <= 0)
		why = xasprintf(
		    "queued as %s; who is signed in is not known yet", who);
	else if (queued->staff_id <= 0 || queued->staff_id != now->staff_id) {
		me = member_words(now);
		why = xasprintf("queued as %s, not as %s who is signed in", who,
		                me);
		free(me);
	} else
		why = NULL;
	free(who);
	return why;
}

/* Adds key: s, or null for NULL. */
static void
add_str_or_null(cJSON *obj, const char *key, const char *s)
{
	if (s != NULL)
		cJSON_AddStringToObject(obj, key, s);
	else
		cJSON_AddNullToObject(obj, key);
}

void
outbox_owner_to_json(cJSON *obj, const struct outbox_owner *o)
{
	add_str_or_null(obj, "service", o->service);
	cJSON_AddNumberToObject(obj, "staff_id", (double)o->staff_id);
	add_str_or_null(obj, "staff_email", o->email);
}

/* obj[key] as a copied string: absent or null leaves *out NULL. */
static int
opt_str(const cJSON *obj, const char *key, char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	*out = NULL;
	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v) || v->valuestring == NULL)
		return -1;
	*out = xstrdup(v->valuestring);
	return 0;
}

int
outbox_owner_from_json(const cJSON *obj, struct outbox_owner *out)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(obj, "staff_id");

	memset(out, 0, sizeof *out);
	if (id != NULL &&
	    (!cJSON_IsNumber(id) || !isfinite(id->valuedouble) ||
	     id->valuedouble != floor(id->valuedouble) || id->valuedouble < 0 ||
	     id->valuedouble > OWNER_MAX_ID))
		return -1;
	out->staff_id = id != NULL ? (long long)id->valuedouble : 0;
	if (opt_str(obj, "service", &out->service) != 0 ||
	    opt_str(obj, "staff_email", &out->email) != 0) {
		outbox_owner_clear(out);
		return -1;
	}
	return 0;
}
