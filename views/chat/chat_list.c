/* The chat pane's list: see chat_list.h. */
#include "views/chat/chat_list.h"

#include <stdlib.h>

#include "net/base/xmalloc.h"
#include "net/store/chat_store.h"
#include "views/chat/chat_format.h"

struct chat_list {
	struct chat_store *store;
	char *filter;   /* NULL: every conversation shown */
	int64_t *shown; /* with a filter: the ids shown, in order */
	size_t nshown;
};

/* Recomputes the ids shown through the filter. */
static void
refilter(struct chat_list *cl)
{
	size_t i, n = chat_store_count(cl->store);
	const struct conversation *c;

	cl->nshown = 0;
	if (cl->filter == NULL)
		return;
	cl->shown = xreallocarray(cl->shown, n + 1, sizeof *cl->shown);
	for (i = 0; i < n; i++) {
		c = chat_store_at(cl->store, i);
		if (chat_format_matches(c, cl->filter))
			cl->shown[cl->nshown++] = c->id;
	}
}

/* The store changed: a conversation may have moved, come or gone. */
static void
on_store(void *ud, enum chat_change change, int64_t conversation,
         int64_t message)
{
	(void)change;
	(void)conversation;
	if (message == 0)
		refilter(ud);
}

struct chat_list *
chat_list_new(struct chat_store *s)
{
	struct chat_list *cl = xcalloc(1, sizeof *cl);

	cl->store = s;
	chat_store_listen(s, on_store, cl);
	return cl;
}

void
chat_list_free(struct chat_list *cl)
{
	if (cl == NULL)
		return;
	chat_store_unlisten(cl->store, on_store, cl);
	free(cl->shown);
	free(cl->filter);
	free(cl);
}

size_t
chat_list_count(const struct chat_list *cl)
{
	return cl->filter != NULL ? cl->nshown : chat_store_count(cl->store);
}

const struct conversation *
chat_list_at(const struct chat_list *cl, size_t i)
{
	if (cl->filter == NULL)
		return chat_store_at(cl->store, i);
	return i < cl->nshown ? chat_store_conversation(cl->store, cl->shown[i])
	                      : NULL;
}

long long
chat_list_index(const struct chat_list *cl, int64_t id)
{
	size_t i, n = chat_list_count(cl);

	for (i = 0; i < n; i++)
		if (chat_list_at(cl, i)->id == id)
			return (long long)i;
	return -1;
}

void
chat_list_filter(struct chat_list *cl, const char *needle)
{
	free(cl->filter);
	cl->filter =
	    needle != NULL && needle[0] != '\0' ? xstrdup(needle) : NULL;
	refilter(cl);
}

const char *
chat_list_filter_text(const struct chat_list *cl)
{
	return cl->filter;
}
