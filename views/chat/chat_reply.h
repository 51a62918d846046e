/* Writing a chat reply: the line or $EDITOR, drafts, the outbox. */
#ifndef SITECARE_VIEWS_CHAT_REPLY_H
#define SITECARE_VIEWS_CHAT_REPLY_H

#include <stdbool.h>
#include <stdint.h>

#include "net/client/model.h"

struct app;

/*
 * A reply starts on the readline line at the bottom (or in $EDITOR),
 * opened with the conversation's draft. Sent, it is sanitised (no
 * control character typed with a literal-next key leaves) and queued in
 * the durable outbox, which posts it exactly once; the draft is removed.
 * Left without sending (Escape, quitting, an emptied editor), what was
 * typed is saved as the conversation's draft on disk
 * ($XDG_STATE_HOME/sitecare/drafts), or kept in memory when the disk
 * refuses, and said so.
 */
struct chat_reply;

struct chat_reply *chat_reply_new(struct app *app);
void chat_reply_free(struct chat_reply *r);

/*
 * Starts a reply to conversation id with client (for the prompt): on the
 * line, or in $EDITOR when editor; text, when given, is sent at once.
 */
void chat_reply_start(struct chat_reply *r, int64_t id,
                      const struct client_ref *client, bool editor,
                      const char *text);

/* True when conversation id has a draft waiting. */
bool chat_reply_has_draft(const struct chat_reply *r, int64_t id);

#endif
