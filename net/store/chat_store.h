/* The store's conversations and messages, each held once (issue #15). */
#ifndef SITECARE_NET_STORE_CHAT_STORE_H
#define SITECARE_NET_STORE_CHAT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/client/model.h"

/*
 * Conversations keyed by id (net/store/idmap.h) and kept in an ordered
 * index (unread first, then newest activity, then id: chat_store_compare)
 * that a change moves one entry in, never re-sorted whole. Each loaded
 * conversation holds its messages once, ascending by id, found by id in
 * O(1): GET pages, live message.created events and the answers to our
 * own replies all go through chat_store_message(s), so an event replayed
 * by a reconnect, or a reply that comes back both as its answer and as
 * its event, is held once and counted once.
 *
 * Pending replies (outbox items, by client_msg_id) are recorded too; one
 * is settled by its own echo, the message carrying its client_msg_id,
 * after which chat_store_settled says so and the reply shows as the
 * message only.
 *
 * Listeners are told what changed: which conversation (and message),
 * inserted, updated or removed. They are called after the change,
 * synchronously, and must not listen or unlisten from inside.
 */
struct chat_store;

enum chat_change {
	CHAT_INSERTED, /* a conversation or message not held before */
	CHAT_UPDATED,  /* a conversation's fields (unread, last message) */
	CHAT_REMOVED,  /* everything (chat_store_clear: conversation 0) */
};

/* conversation is the id concerned; message the message's id, or 0. */
typedef void (*chat_store_cb)(void *ud, enum chat_change change,
                              int64_t conversation, int64_t message);

struct chat_store *chat_store_new(void);
void chat_store_free(struct chat_store *s);
/* Forgets every conversation, message and pending reply (a sign-in of
 * someone else). */
void chat_store_clear(struct chat_store *s);

void chat_store_listen(struct chat_store *s, chat_store_cb cb, void *ud);
void chat_store_unlisten(struct chat_store *s, chat_store_cb cb, void *ud);

/* The list's order: < 0 when a comes before b. */
int chat_store_compare(const struct conversation *a,
                       const struct conversation *b);

/* ---- conversations ---------------------------------------------------- */

/*
 * Takes the page's conversations (its items are freed; its cursor is
 * left to the caller): an unknown id is added; a known one takes the
 * page's copy unless the store has seen a newer last message (the page
 * was older than an event already applied), in which case only the
 * client's name and company are taken.
 */
void chat_store_merge(struct chat_store *s, struct conversation_page *p);

/* How many conversations are held, and the i-th in the list's order. */
size_t chat_store_count(const struct chat_store *s);
const struct conversation *chat_store_at(const struct chat_store *s, size_t i);
/* Conversation id, or NULL. */
const struct conversation *chat_store_conversation(const struct chat_store *s,
                                                   int64_t id);
/* The first conversation (in list order) of client id, or NULL. */
const struct conversation *chat_store_find_client(const struct chat_store *s,
                                                  int64_t client_id);

/* conversation.read or a read marked here: id's unread count is n. */
void chat_store_set_unread(struct chat_store *s, int64_t id, int64_t n);
/* The unread messages of every held conversation. */
int64_t chat_store_unread_total(const struct chat_store *s);

/* ---- messages ---------------------------------------------------------- */

/*
 * A live message (an event, or the answer to our reply: seen_now), copied
 * in. When its conversation is held and the message is not: the message
 * is held, becomes the last message if newest, and a client's message
 * not seen_now counts one unread; any pending reply it echoes is
 * settled; returns true. A message already held (a replay), or one of a
 * conversation not held (the pane fetches it), changes nothing: false.
 */
bool chat_store_message(struct chat_store *s, const struct message *m,
                        bool seen_now);

/*
 * A GET page of conversation id's messages: each one not held yet is
 * taken (the page's items are freed). Unread counts and the last message
 * are the server's business here: they are not changed. Nothing when the
 * conversation is not held.
 */
void chat_store_messages(struct chat_store *s, int64_t id,
                         struct message_page *p);

/* The messages held for conversation id, ascending by id, and the i-th. */
size_t chat_store_nmessages(const struct chat_store *s, int64_t id);
const struct message *chat_store_message_at(const struct chat_store *s,
                                            int64_t id, size_t i);
/* The index of the first held message of id with an id >= from. */
size_t chat_store_message_from(const struct chat_store *s, int64_t id,
                               int64_t from);
/* Message id, or NULL. */
const struct message *chat_store_find_message(const struct chat_store *s,
                                              int64_t id);

/* ---- pending replies ---------------------------------------------------- */

/*
 * Reply client_msg_id to conversation id is in the outbox. Nothing when
 * it is held already or its echo was already seen.
 */
void chat_store_pending_add(struct chat_store *s, int64_t id,
                            const char *client_msg_id);
/* Pending replies of conversation id not yet settled. */
size_t chat_store_pending_count(const struct chat_store *s, int64_t id);
/* True when the message carrying client_msg_id is held: a reply with
 * that id must not show as pending any more. */
bool chat_store_settled(const struct chat_store *s, const char *client_msg_id);

#endif
