/* The signed-in staff member, as the service last described them. */
#ifndef SITECARE_NET_STORE_ME_STORE_H
#define SITECARE_NET_STORE_ME_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "net/client/model.h"

/*
 * Who is signed in (GET /me, the sign-in's answer) and the public key
 * the service holds for them, which changes on its own: the
 * staff.key_changed event, a key registration's answer, a reveal
 * refused with no_public_key. The newest registration wins: a key
 * registered before the one held (a GET /me sent before an event but
 * answered after it) is ignored. Panes read it here and change it
 * through these calls; nobody keeps a copy.
 */
struct me_store;

struct me_store *me_store_new(void);
void me_store_free(struct me_store *ms);

/* Takes who signed in (copied): identity and key. */
void me_store_set(struct me_store *ms, const struct me *me);
/* Forgets who was signed in. */
void me_store_clear(struct me_store *ms);

/*
 * The service holds key (base64, copied; NULL: none), registered at
 * `at` when has_at. False (and nothing changes) when the registration
 * held is newer.
 */
bool me_store_key(struct me_store *ms, const char *key, bool has_at, time_t at);
/* The service said it holds no key for us (409 no_public_key). */
void me_store_key_gone(struct me_store *ms);

/* 0 before anyone signed in. */
int64_t me_store_id(const struct me_store *ms);
/* NULL before anyone signed in. */
const char *me_store_name(const struct me_store *ms);
const char *me_store_email(const struct me_store *ms);
/* The role's name ("manager"), NULL before anyone signed in. */
const char *me_store_role(const struct me_store *ms);
/* The key held (base64) or NULL, and when it was registered. */
const char *me_store_public_key(const struct me_store *ms);
bool me_store_has_public_key(const struct me_store *ms);
bool me_store_key_registered_at(const struct me_store *ms, time_t *at);

#endif
