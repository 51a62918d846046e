/* The signed-in member: see me_store.h. */
#include "net/store/me_store.h"

#include <stdlib.h>

#include "net/base/xmalloc.h"

struct me_store {
	bool known;
	int64_t id;
	char *name, *email;
	enum staff_role role;
	char *public_key; /* NULL: none registered */
	bool key_has_at;
	time_t key_at;
};

struct me_store *
me_store_new(void)
{
	return xcalloc(1, sizeof(struct me_store));
}

void
me_store_clear(struct me_store *ms)
{
	free(ms->name);
	free(ms->email);
	free(ms->public_key);
	*ms = (struct me_store){ 0 };
}

void
me_store_free(struct me_store *ms)
{
	if (ms == NULL)
		return;
	me_store_clear(ms);
	free(ms);
}

/* Holds key as the one registered, whatever was held before. */
static void
hold_key(struct me_store *ms, const char *key, bool has_at, time_t at)
{
	free(ms->public_key);
	ms->public_key = key != NULL ? xstrdup(key) : NULL;
	ms->key_has_at = has_at;
	ms->key_at = has_at ? at : 0;
}

void
me_store_set(struct me_store *ms, const struct me *me)
{
	me_store_clear(ms);
	ms->known = true;
	ms->id = me->id;
	ms->name = me->name != NULL ? xstrdup(me->name) : NULL;
	ms->email = me->email != NULL ? xstrdup(me->email) : NULL;
	ms->role = me->role;
	hold_key(ms, me->public_key, me->has_public_key_registered_at,
	         me->public_key_registered_at);
}

bool
me_store_key(struct me_store *ms, const char *key, bool has_at, time_t at)
{
	if (has_at && ms->key_has_at && at < ms->key_at)
		return false;
	hold_key(ms, key, has_at, at);
	return true;
}

void
me_store_key_gone(struct me_store *ms)
{
	hold_key(ms, NULL, false, 0);
}

int64_t
me_store_id(const struct me_store *ms)
{
	return ms->id;
}

const char *
me_store_name(const struct me_store *ms)
{
	return ms->name;
}

const char *
me_store_email(const struct me_store *ms)
{
	return ms->email;
}

const char *
me_store_role(const struct me_store *ms)
{
	return ms->known ? staff_role_name(ms->role) : NULL;
}

const char *
me_store_public_key(const struct me_store *ms)
{
	return ms->public_key;
}

bool
me_store_has_public_key(const struct me_store *ms)
{
	return ms->public_key != NULL;
}

bool
me_store_key_registered_at(const struct me_store *ms, time_t *at)
{
	*at = ms->key_at;
	return ms->key_has_at;
}
