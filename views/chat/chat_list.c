/* The chat pane's conversations: see chat_list.h. */
#include "views/chat/chat_list.h"

#include <stdlib.h>
#include <string.h>

#include "net/base/xmalloc.h"
#include "views/chat/chat_format.h"

struct chat_list {
	struct conversation *rows; /* every loaded one, in list order */
	size_t n, cap;
	size_t *shown; /* indexes into rows of those matching the filter */
	size_t nshown;
	char *filter; /* NULL: all shown */
};

struct chat_list *
chat_list_new(void)
{
	return xcalloc(1, sizeof(struct chat_list));
}

void
chat_list_clear(struct chat_list *cl)
{
	size_t i;

	for (i = 0; i < cl->n; i++)
		conversation_free(&cl->rows[i]);
	cl->n = 0;
	cl->nshown = 0;
}

void
chat_list_free(struct chat_list *cl)
{
	if (cl == NULL)
		return;
	chat_list_clear(cl);
	free(cl->rows);
	free(cl->shown);
	free(cl->filter);
	free(cl);
}

/* qsort's view of chat_format_compare. */
static int
compare_rows(const void *a, const void *b)
{
	return chat_format_compare(a, b);
}

/* Sorts the rows and recomputes which are shown. */
static void
reorder(struct chat_list *cl)
{
	size_t i;

	qsort(cl->rows, cl->n, sizeof *cl->rows, compare_rows);
	cl->shown = xreallocarray(cl->shown, cl->n + 1, sizeof *cl->shown);
	cl->nshown = 0;
	for (i = 0; i < cl->n; i++)
		if (chat_format_matches(&cl->rows[i], cl->filter))
			cl->shown[cl->nshown++] = i;
}

/* Index in rows of conversation id, or -1. */
static long long
row_of(const struct chat_list *cl, int64_t id)
{
	size_t i;

	for (i = 0; i < cl->n; i++)
		if (cl->rows[i].id == id)
			return (long long)i;
	return -1;
}

void
chat_list_merge(struct chat_list *cl, struct conversation_page *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		long long at = row_of(cl, p->items[i].id);

		if (at >= 0) {
			conversation_free(&cl->rows[at]);
			cl->rows[at] = p->items[i];
			continue;
		}
		if (cl->n == cl->cap) {
			cl->cap = cl->cap ? cl->cap * 2 : 64;
			cl->rows =
			    xreallocarray(cl->rows, cl->cap, sizeof *cl->rows);
		}
		cl->rows[cl->n++] = p->items[i];
	}
	free(p->items);
	p->items = NULL;
	p->n = 0;
	reorder(cl);
}

size_t
chat_list_count(const struct chat_list *cl)
{
	return cl->nshown;
}

const struct conversation *
chat_list_at(const struct chat_list *cl, size_t i)
{
	return i < cl->nshown ? &cl->rows[cl->shown[i]] : NULL;
}

long long
chat_list_index(const struct chat_list *cl, int64_t id)
{
	size_t i;

	for (i = 0; i < cl->nshown; i++)
		if (cl->rows[cl->shown[i]].id == id)
			return (long long)i;
	return -1;
}

const struct conversation *
chat_list_find(const struct chat_list *cl, int64_t id)
{
	long long at = row_of(cl, id);

	return at >= 0 ? &cl->rows[at] : NULL;
}

const struct conversation *
chat_list_find_client(const struct chat_list *cl, int64_t client_id)
{
	size_t i;

	for (i = 0; i < cl->n; i++)
		if (cl->rows[i].client.id == client_id)
			return &cl->rows[i];
	return NULL;
}

bool
chat_list_message(struct chat_list *cl, const struct message *m, bool seen_now)
{
	long long at = row_of(cl, m->conversation_id);
	struct conversation *c;

	if (at < 0)
		return false;
	c = &cl->rows[at];
	if (c->has_last_message && c->last_message.id >= m->id)
		return false;
	if (c->has_last_message)
		message_free(&c->last_message);
	message_copy(&c->last_message, m);
	c->has_last_message = true;
	c->has_last_message_at = true;
	c->last_message_at = m->created_at;
	if (m->author.kind == AUTHOR_CLIENT && !seen_now)
		c->unread_count++;
	reorder(cl);
	return true;
}

void
chat_list_set_unread(struct chat_list *cl, int64_t id, int64_t n)
{
	long long at = row_of(cl, id);

	if (at < 0 || cl->rows[at].unread_count == n)
		return;
	cl->rows[at].unread_count = n < 0 ? 0 : n;
	reorder(cl);
}

int64_t
chat_list_unread_total(const struct chat_list *cl)
{
	int64_t total = 0;
	size_t i;

	for (i = 0; i < cl->n; i++)
		total += cl->rows[i].unread_count;
	return total;
}

void
chat_list_filter(struct chat_list *cl, const char *needle)
{
	free(cl->filter);
	cl->filter =
	    needle != NULL && needle[0] != '\0' ? xstrdup(needle) : NULL;
	reorder(cl);
}

const char *
chat_list_filter_text(const struct chat_list *cl)
{
	return cl->filter;
}
