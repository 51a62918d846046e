/* The chat pane's list: the store's conversations, through the filter. */
#ifndef SITECARE_VIEWS_CHAT_LIST_H
#define SITECARE_VIEWS_CHAT_LIST_H

#include <stddef.h>
#include <stdint.h>

#include "net/client/model.h"

struct chat_store;

/*
 * Which of the store's conversations (net/store/chat_store.h) the list
 * shows, in the store's order (unread first, then newest activity):
 * every one, or through the filter only those whose client name or
 * company matches. Holds no conversation: with a filter it keeps the
 * shown ids, recomputed when the store says something changed. Every
 * unread conversation is loaded (the pane fetches ?unread=1 to the end),
 * so the store's unread total is the total the tab shows.
 */
struct chat_list;

/* A list over s, which must outlive it. */
struct chat_list *chat_list_new(struct chat_store *s);
void chat_list_free(struct chat_list *cl);

/* The rows shown (those matching the filter), and row i of them. */
size_t chat_list_count(const struct chat_list *cl);
const struct conversation *chat_list_at(const struct chat_list *cl, size_t i);
/* The shown row of conversation id, or -1. */
long long chat_list_index(const struct chat_list *cl, int64_t id);

/* Shows only conversations whose client name or company contains
 * needle; NULL or "" shows all. The current filter (NULL when none). */
void chat_list_filter(struct chat_list *cl, const char *needle);
const char *chat_list_filter_text(const struct chat_list *cl);

#endif
