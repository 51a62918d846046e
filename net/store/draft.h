/* Unsent reply drafts, kept on disk per conversation. */
#ifndef SITECARE_NET_DRAFT_H
#define SITECARE_NET_DRAFT_H

#include <stddef.h>

#include "net/base/error.h"

/*
 * What a staff member typed into a reply and did not send survives
 * switching panes, an expired session, quitting and a crash: the chat
 * pane saves it here when the line is left, and loads it when the
 * conversation is opened again. One file a conversation,
 * <dir>/<conversation_id>.txt, mode 0600, written atomically (temporary
 * file, fsync, rename). Conversation ids are only unique within one
 * service, so each service has its own directory, named like its cookie
 * jar: $XDG_STATE_HOME/sitecare/drafts/<service_key>/ (mode 0700), with
 * the service's URL in a file "service" there, checked on opening; a
 * draft written against staging is never offered against production.
 * Drafts that earlier versions left directly in .../drafts/ are not
 * offered. Drafts are client correspondence: never logged, removed
 * once sent.
 */
struct draft_store;

/* Opens (creating) the store in dir; NULL dir: the state directory.
 * NULL with err set when it cannot be made. */
struct draft_store *draft_store_open(const char *dir, struct sc_error *err);
/*
 * Opens (creating) the store of the service at base URL service:
 * root/<service_key(service)> (root NULL: the state directory's
 * drafts/). NULL with err set when it cannot be made, or when its
 * "service" file names another service.
 */
struct draft_store *draft_store_open_service(const char *root,
                                             const char *service,
                                             struct sc_error *err);
void draft_store_free(struct draft_store *ds);

/* Saves text as conversation_id's draft; an empty text removes it.
 * Returns 0, or -1 with err (disk full, permissions): the caller keeps
 * the text in memory and says so. */
int draft_save(struct draft_store *ds, long long conversation_id,
               const char *text, struct sc_error *err);

/* The draft of conversation_id (malloc'd), or NULL when there is none
 * (or it cannot be read: err says why, else err stays SC_OK). */
char *draft_load(struct draft_store *ds, long long conversation_id,
                 struct sc_error *err);

/* Removes conversation_id's draft (after it was sent). Missing is fine. */
int draft_remove(struct draft_store *ds, long long conversation_id,
                 struct sc_error *err);

/* The ids of the conversations that have a draft, ascending; *n of them
 * in a malloc'd array (NULL when none). For the list's "draft" marks. */
long long *draft_list(struct draft_store *ds, size_t *n, struct sc_error *err);

#endif
