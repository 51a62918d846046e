/* One open conversation: its messages, history paging and scrolling. */
#ifndef SITECARE_VIEWS_CHAT_THREAD_H
#define SITECARE_VIEWS_CHAT_THREAD_H

#include <stdbool.h>
#include <stdint.h>

#include "keymaps/action.h"
#include "net/client/model.h"
#include "tui/view.h"

struct app;

/*
 * The messages of one conversation (read from the store, app->store,
 * and redrawn when it says they changed), oldest at the top, with day
 * separators, authors and times; staff messages are indented and marked
 * so they stand apart from the client's. The newest page is fetched on
 * open; scrolling to the top fetches the page before the oldest message
 * (?before=) and keeps the view where it was, since the position is
 * counted from the bottom. Replies still in the outbox show below the
 * messages with their state. Draws into the pane's window.
 */
struct chat_thread;

/* Opens conversation c (copied) and fetches its newest messages. */
struct chat_thread *
chat_thread_new(struct app *app, const struct conversation *c, unsigned flags);
void chat_thread_free(struct chat_thread *t);

int64_t chat_thread_id(const struct chat_thread *t);
const struct client_ref *chat_thread_client(const struct chat_thread *t);

/* The outbox changed: the pending replies are laid out again. */
void chat_thread_outbox_changed(struct chat_thread *t);

/* Fetches the newest page again (after a resync), keeping what is known. */
void chat_thread_reload(struct chat_thread *t);

/* Scrolling; VIEW_UNHANDLED for other actions. */
enum view_result chat_thread_action(struct chat_thread *t, enum action a);

void chat_thread_draw(struct chat_thread *t, void *win, int rows, int cols);

/*
 * The id of the newest message if the last draw showed it (the bottom of
 * the conversation was on screen), else 0: the pane marks read up to it.
 */
int64_t chat_thread_newest_seen(const struct chat_thread *t);

#endif
