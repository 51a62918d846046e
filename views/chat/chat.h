/* The chat pane: client conversations, live, with replies that stay. */
#ifndef SITECARE_VIEWS_CHAT_H
#define SITECARE_VIEWS_CHAT_H

#include "tui/view.h"

/*
 * The Chat tab (PANE_CHAT, shown with chat.read). The list holds every
 * conversation with unread messages (fetched to the end, so the unread
 * total in the tab and the status line is exact) and the most recently
 * active others, page by page as the staff member scrolls: unread first,
 * then newest activity. `/` or `:filter NAME` shows the conversations
 * whose client name or company has NAME (asking the server too). Enter
 * opens a conversation (views/chat_thread.c); r replies
 * (views/chat_reply.c); m mutes it for the session; T and M jump to the
 * client's tasks and back.
 *
 * Live: message.created moves a conversation to its place, counts a
 * client's message as unread and shows it in the open conversation;
 * conversation.read (another staff member read it) sets the count. A new
 * client message is announced (tui/notify.c) unless its conversation is
 * muted, or open with the pane in front; an event seen before (a
 * reconnect replaying the stream) never announces twice. The open
 * conversation is marked read (POST .../read) once its newest message
 * has been drawn.
 */
extern const struct view_ops chat_view;

#endif
