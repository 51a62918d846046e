/* The chat pane's conversations: loaded, ordered, filtered, counted. */
#ifndef SITECARE_VIEWS_CHAT_LIST_H
#define SITECARE_VIEWS_CHAT_LIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/client/model.h"

/*
 * The conversations loaded so far, kept in the list's order (unread
 * first, then newest activity: chat_format_compare) and, through the
 * filter, the ones shown. Every unread conversation is loaded (the pane
 * fetches ?unread=1 to the end), so the sum of the rows' unread counts
 * is the total the tab shows. Rows are owned here; the pane reads them
 * through chat_list_at and changes them only through these calls.
 */
struct chat_list;

struct chat_list *chat_list_new(void);
void chat_list_free(struct chat_list *cl);

/*
 * Takes the page's conversations (the page's items are freed; the
 * page's cursor is left to the caller): a known id is replaced by the
 * newer copy, an unknown one added; then the order is restored.
 */
void chat_list_merge(struct chat_list *cl, struct conversation_page *p);

/* Forgets every row (before a full reload). */
void chat_list_clear(struct chat_list *cl);

/* The rows shown (those matching the filter), and row i of them. */
size_t chat_list_count(const struct chat_list *cl);
const struct conversation *chat_list_at(const struct chat_list *cl, size_t i);
/* The shown row of conversation id, or -1. */
long long chat_list_index(const struct chat_list *cl, int64_t id);
/* Conversation id among all loaded rows (shown or not), or NULL. */
const struct conversation *chat_list_find(const struct chat_list *cl,
                                          int64_t id);
/* The first loaded conversation of client id, or NULL. */
const struct conversation *chat_list_find_client(const struct chat_list *cl,
                                                 int64_t client_id);

/*
 * A new message m in its conversation: it becomes the last message and
 * the activity time; a client's message adds one unread unless
 * seen_now. Returns false when the conversation is not loaded (the pane
 * fetches it), or when the message is not newer than the one known.
 */
bool chat_list_message(struct chat_list *cl, const struct message *m,
                       bool seen_now);

/* conversation.read or a read marked here: id's unread count is n. */
void chat_list_set_unread(struct chat_list *cl, int64_t id, int64_t n);

/* The unread messages of every loaded conversation. */
int64_t chat_list_unread_total(const struct chat_list *cl);

/* Shows only conversations whose client name or company contains
 * needle; NULL or "" shows all. The current filter (NULL when none). */
void chat_list_filter(struct chat_list *cl, const char *needle);
const char *chat_list_filter_text(const struct chat_list *cl);

#endif
