/* The outbox sender: every queued message and comment arrives exactly once. */
#ifndef SITECARE_NET_SENDER_H
#define SITECARE_NET_SENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/base/error.h"
#include "net/base/loop.h"
#include "net/client/model.h"
#include "net/store/outbox.h"

/*
 * The sender drains an outbox (net/store/outbox.h). sender_submit writes the
 * item to disk first, then sends it: POST /conversations/{id}/messages
 * or POST /tasks/{id}/comments with the item's client_msg_id, marked
 * HTTP_RETRY_SAFE. The server deduplicates on that id, so an item sent
 * again after a crash between the server's commit and our file removal
 * is still stored once.
 *
 * What happens to an item after an attempt:
 * - 200/201: its file is removed; SENDER_SENT with the server's copy.
 * - no answer, 5xx, 429, 408: attempts + 1, next_attempt_at = now +
 *   outbox_backoff_ms (at least Retry-After), written to its file;
 *   SENDER_RETRYING. It is tried again when due (sender_tick).
 * - 401: nothing is counted against it; the whole sender pauses
 *   (SENDER_PAUSED) until sender_resume, after the staff member signs
 *   in again.
 * - any other refusal (403, 404, 409, 422, ...): kept on disk with the
 *   reason in last_error and next_attempt_at = SENDER_HELD: SENDER_FAILED.
 *   It is never retried by itself and never deleted silently: the UI
 *   offers sender_retry (perhaps after an edit) or sender_discard.
 *
 * Whose: the sender sends only the items of its owner (sender_set_owner:
 * the service it talks to and the member signed in there). Any other
 * item in the outbox (queued for another service, as another member,
 * or by an earlier version that recorded neither) is held back: kept on
 * disk, never sent, never deleted, listed by sender_held_back_item with
 * the reason, until an owner it matches is set or it is discarded.
 * Without an owner nothing is sent and nothing can be submitted.
 *
 * Order: items go oldest first, and for one target (a conversation, a
 * task) only one is in flight at a time and a later one waits while an
 * earlier one is waiting to retry, so they arrive in the order typed.
 * A held (failed) item does not block the ones after it.
 *
 * The transport and the clock are injected (struct sender_config) so
 * the logic is tested with a fake; sender_api_transport() is the real
 * one, over net/client/api.h. The owner's loop calls sender_timeout_ms and
 * sender_tick next to the transport's poll trio.
 */
struct sender;

/* next_attempt_at of an item refused for good: 9999-12-31T23:59:59Z. */
#define SENDER_HELD 253402300799LL

/* What became of an item. */
enum sender_outcome {
	SENDER_SENT,     /* the server has it; the file is gone */
	SENDER_RETRYING, /* will be tried again at next_attempt_at */
	SENDER_PAUSED,   /* the session expired: waiting for sender_resume */
	SENDER_FAILED,   /* refused for good; held until retry or discard */
};

/*
 * One report. item is the item as it now stands (on SENDER_SENT, as it
 * was). message (for OUTBOX_MESSAGE) or comment (OUTBOX_COMMENT) is the
 * server's copy on SENDER_SENT, or NULL when its answer did not parse
 * (the item was stored all the same). err says why otherwise. Valid
 * during the callback only.
 */
struct sender_report {
	enum sender_outcome outcome;
	const struct outbox_item *item;
	const struct message *message;
	const struct comment *comment;
	const struct sc_error *err;
};

typedef void (*sender_report_cb)(const struct sender_report *r, void *ud);

/*
 * The end of one request: status 0 when no answer came. body is the
 * answer's body (NUL-terminated, len bytes) or NULL. err is SC_OK on
 * 2xx. All valid during the call only.
 */
typedef void (*sender_done_cb)(int status, const char *body, size_t len,
                               const struct sc_error *err, void *done_ud);

/*
 * How requests are sent. send queues method on path (under /api/v1)
 * with json_body and the HTTP_* flags, and calls done exactly once
 * later, never from inside send; it returns a handle for cancel. cancel
 * stops a request: done is not called.
 */
struct sender_transport {
	void *(*send)(void *ud, const char *method, const char *path,
	              const char *json_body, unsigned flags,
	              sender_done_cb done, void *done_ud);
	void (*cancel)(void *ud, void *handle);
};

struct sender_config {
	const struct sender_transport *transport;
	void *transport_ud;
	sender_report_cb report; /* optional */
	void *report_ud;
	/* Wall-clock time in unix milliseconds (next_attempt_at is stored
	 * in unix seconds); NULL: CLOCK_REALTIME. */
	long long (*now_ms)(void *clock_ud);
	void *clock_ud;
	/* Jitter source; NULL: libsodium's randombytes_random. */
	uint32_t (*random)(void *clock_ud);
};

/* A sender over ob (which must outlive it); nothing is loaded yet. */
struct sender *sender_new(struct outbox *ob, const struct sender_config *cfg);
/* Cancels what is in flight (the files stay) and frees. */
void sender_free(struct sender *s);

/*
 * Whose items are sent from now on (copied): the service's base URL and
 * the member signed in there, as GET /me said. It is also recorded in
 * the items submitted. Items of the previous owner stop (a request in
 * flight is cancelled: a late answer is settled by the server's
 * deduplication) and are held back; held-back items of this owner are
 * taken in. Call it on every sign-in.
 */
void sender_set_owner(struct sender *s, const struct outbox_owner *owner);

/* How many items are held back (not this owner's). */
size_t sender_held_back(const struct sender *s);
/* Held-back item i and why it is held (why may be NULL), valid until
 * the next call into the sender; NULL when i is out of range. */
const struct outbox_item *sender_held_back_item(const struct sender *s,
                                                size_t i, const char **why);

/*
 * Loads every item in the outbox (program start, reconnection) and
 * starts sending the due ones, oldest first. Items already known are
 * kept as they are. Returns 0, or -1 with err when the outbox cannot be
 * read.
 */
int sender_start(struct sender *s, struct sc_error *err);

/*
 * Queues body for target (a conversation for OUTBOX_MESSAGE, a task for
 * OUTBOX_COMMENT) on disk, recording the owner, then sends it when its
 * turn comes. id_out (may be NULL) receives its client_msg_id. Returns
 * 0, or -1 with err when it could not be written or no owner is set
 * (nothing was queued).
 */
int sender_submit(struct sender *s, enum outbox_kind kind, long long target,
                  bool internal, const char *body, char id_out[UUID_STRLEN + 1],
                  struct sc_error *err);

/* After a new sign-in: unpauses and sends what is due. */
void sender_resume(struct sender *s);
bool sender_paused(const struct sender *s);

/*
 * Sends item id again as soon as its turn comes, whether it failed for
 * good or waits for a retry; its attempts start again from 0. Returns 0,
 * or -1 with err SC_ERR_NOT_FOUND, or SC_ERR_FORBIDDEN (saying why) for
 * an item held back.
 */
int sender_retry(struct sender *s, const char *id, struct sc_error *err);
/*
 * Everything now: every item waiting for a retry becomes due at once
 * (its attempts kept), and with held_too the held ones as well.
 */
void sender_flush(struct sender *s, bool held_too);

/*
 * Removes item id from the outbox for good (the staff member chose to),
 * held back or not. An item in flight is cancelled first; if the server had
 * already stored it, it stays stored. Returns 0, or -1 with err.
 */
int sender_discard(struct sender *s, const char *id, struct sc_error *err);

/*
 * The server announced a message or comment carrying item id as its
 * client_msg_id (a live event): the item is stored, whatever its own
 * request is doing, perhaps lost with a connection that dropped before
 * the answer came. Give message (with its conversation as target) for a
 * message.created, or comment (with its task) for a comment.created:
 * only an item of that kind and target is confirmed. Its request is
 * cancelled, its file removed, and it is reported SENDER_SENT with the
 * event's copy. Returns true when an item was confirmed.
 */
bool sender_confirm(struct sender *s, const char *id, long long target,
                    const struct message *message,
                    const struct comment *comment);

/* Where an item stands, for the UI. */
enum sender_item_state {
	SENDER_ITEM_QUEUED,  /* waiting for its turn or its retry time */
	SENDER_ITEM_SENDING, /* a request is out */
	SENDER_ITEM_FAILED,  /* refused for good, held */
};

/* How many items the sender knows (in send order). */
size_t sender_count(const struct sender *s);
/* Item i (0 <= i < sender_count) and its state; valid until the next
 * call into the sender. */
const struct outbox_item *sender_item(const struct sender *s, size_t i,
                                      enum sender_item_state *state);

/* Items not yet sent and not failed (queued, waiting or in flight). */
size_t sender_pending(const struct sender *s);
/* Items failed for good and held. */
size_t sender_failed(const struct sender *s);
/* Requests in flight. */
size_t sender_in_flight(const struct sender *s);

/* Milliseconds until sender_tick is due; -1 when nothing waits. */
int sender_timeout_ms(const struct sender *s);
/* Sends every item whose turn has come. */
void sender_tick(struct sender *s);
/* The two above as a loop source (timers only; its requests are the
 * api's), for the caller to loop_add_source. */
struct loop_source sender_source(struct sender *s);

/* The path an item is posted to ("/conversations/7/messages"); malloc'd. */
char *sender_path(const struct outbox_item *item);

/* True when a failed attempt with this error is worth retrying later. */
bool sender_error_is_transient(const struct sc_error *err);

/* The transport over net/client/api.h; its transport_ud is the struct api. */
const struct sender_transport *sender_api_transport(void);

#endif
