/* The durable queue of outgoing chat messages and task comments. */
#ifndef SITECARE_NET_OUTBOX_H
#define SITECARE_NET_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>

#include "net/base/error.h"
#include "net/store/outbox_owner.h"
#include "net/base/uuid.h"

/*
 * Nothing a staff member types is lost: outbox_add writes the item to
 * its own file, <dir>/<id>.json (mode 0600, written atomically and
 * fsynced), before it returns and so before the first send attempt.
 * The file stays until the server has confirmed the item, when the
 * sender calls outbox_remove. The id is the client_msg_id the server
 * deduplicates on, so resending after a crash, a kill -9, a network loss
 * or an expired session sends the item exactly once.
 *
 * Each service has its own folder, named like its cookie jar:
 * $XDG_STATE_HOME/sitecare/outbox/<service_key>/ (outbox_open_service),
 * and each item records the service and the staff member it was queued
 * for (struct outbox_owner), so that it is only ever sent there, as
 * them. Items that earlier versions left directly in .../outbox/ (one
 * folder for every service) recorded neither; they are listed and can
 * be discarded, never sent by themselves.
 */

/* What an item becomes on the server. */
enum outbox_kind {
	OUTBOX_MESSAGE, /* POST /conversations/{target_id}/messages */
	OUTBOX_COMMENT, /* POST /tasks/{target_id}/comments */
};

/* One queued item, as stored in its file. */
struct outbox_item {
	char id[UUID_STRLEN + 1]; /* client_msg_id, a uuid v4 */
	enum outbox_kind kind;
	long long target_id;  /* the conversation or task id */
	bool internal;        /* comments only: never shown to the client */
	char *body;           /* UTF-8, as given to outbox_add */
	long long created_at; /* unix seconds */
	long long seq;        /* unix microseconds, rising with every add */
	int attempts;         /* failed send attempts so far */
	long long next_attempt_at; /* unix seconds; 0: at once */
	char *last_error;          /* why the last attempt failed, or NULL */
	struct outbox_owner owner; /* the service and member it is for */
};

struct outbox;

/*
 * Opens the outbox in dir, creating it (mode 0700) if missing; dir NULL
 * means the user's state directory. Returns NULL with err set.
 */
struct outbox *outbox_open(const char *dir, struct sc_error *err);
/*
 * Opens the outbox of the service at base URL service: the folder
 * root/<service_key(service)>, made if missing (root NULL: the user's
 * state directory's outbox/). Returns NULL with err set.
 */
struct outbox *outbox_open_service(const char *root, const char *service,
                                   struct sc_error *err);
void outbox_free(struct outbox *ob);

/*
 * The folders that hold items under root (NULL: the state directory's
 * outbox/): root itself first (items of earlier versions), then each
 * service's folder. A malloc'd array of malloc'd paths (free each, then
 * the array); NULL with *n 0 and err set when root cannot be read.
 */
char **outbox_folders(const char *root, size_t *n, struct sc_error *err);

/*
 * Whose the items outbox_add queues from now on are (copied). Until it
 * is called they record no owner, and so are never sent by themselves.
 */
void outbox_set_owner(struct outbox *ob, const struct outbox_owner *owner);

/*
 * Remembers owner as the member last seen signed in on this outbox's
 * service (a small file next to the items), so that an item queued
 * while the service cannot be asked still records who queued it.
 * Returns 0, or -1 with err set.
 */
int outbox_remember_owner(struct outbox *ob, const struct outbox_owner *owner,
                          struct sc_error *err);
/* The owner last remembered, into out; -1 (out empty) when none is. */
int outbox_last_owner(struct outbox *ob, struct outbox_owner *out);

/* The directory the outbox keeps its files in. */
const char *outbox_dir(const struct outbox *ob);

/*
 * Queues body (copied as given; the caller sanitises it) for target_id
 * under a new uuid v4, recording the owner set by outbox_set_owner,
 * and returns only once its file is on disk. When
 * out is not NULL it receives a copy of the new item, which the caller
 * frees with outbox_item_free. Returns 0, or -1 with err set (nothing
 * was queued).
 */
int outbox_add(struct outbox *ob, enum outbox_kind kind, long long target_id,
               bool internal, const char *body, struct outbox_item **out,
               struct sc_error *err);

/*
 * Loads every queued item, oldest first (created_at, then seq, which
 * keeps the typing order within one second, then id), into a
 * new array the caller frees with outbox_items_free. A file that cannot
 * be read or is not a valid item is renamed to <name>.corrupt, skipped
 * and counted (outbox_corrupt_count); one that is not private is left in
 * place and listed (outbox_refused); the valid ones still load. Left
 * over temporary files of a write that a crash interrupted are deleted.
 * Returns 0, or -1 with err set when the directory cannot be read.
 */
int outbox_list(struct outbox *ob, struct outbox_item **items, size_t *n,
                struct sc_error *err);

/* How many files the last outbox_list set aside as corrupt. */
size_t outbox_corrupt_count(const struct outbox *ob);

/*
 * An item file that the last outbox_list refused to load because it is
 * not private (another user's, or open to group or others: see
 * paths_open_private). It stays where it is, is never sent, and is not
 * counted as corrupt; outbox_remove(id) discards it, chmod 600 makes it
 * load again.
 */
struct outbox_refusal {
	char id[UUID_STRLEN + 1];
	char *why; /* names the file, the reason and the fix */
};

/* The files the last outbox_list refused, *n of them; owned by ob and
 * valid until its next outbox_list. */
const struct outbox_refusal *outbox_refused(const struct outbox *ob, size_t *n);

/*
 * Rewrites item's file atomically with item's current fields (the
 * sender changes attempts, next_attempt_at and last_error). Fails with
 * SC_ERR_NOT_FOUND when the item is no longer queued, so a removed item
 * is never brought back.
 */
int outbox_update(struct outbox *ob, const struct outbox_item *item,
                  struct sc_error *err);

/*
 * Deletes the item's file: only once the server confirmed it. Removing
 * an item that is not there succeeds. Returns 0, or -1 with err set.
 */
int outbox_remove(struct outbox *ob, const char *id, struct sc_error *err);

void outbox_item_free(struct outbox_item *item);
/* Frees an array from outbox_list. */
void outbox_items_free(struct outbox_item *items, size_t n);

/*
 * How long to wait, in milliseconds, before the next try of an item that
 * has failed attempts times: 0 for none, then 1 s, 2 s, 4 s, ... capped
 * at 60 s, each spread by +-20 % jitter. The jitter is a pure function of
 * jitter_seed, so pass a random value (randombytes_random()) in real use.
 */
long long outbox_backoff_ms(int attempts, unsigned jitter_seed);

#endif
