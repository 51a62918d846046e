/* The store's parts, made and freed together: see store.h. */
#include "net/store/store.h"

#include <stdlib.h>

#include "net/base/xmalloc.h"
#include "net/store/billing_store.h"
#include "net/store/me_store.h"
#include "net/store/chat_store.h"
#include "net/store/comment_store.h"
#include "net/store/task_store.h"

struct store *
store_new(void)
{
	struct store *s = xcalloc(1, sizeof *s);

	s->billing = billing_store_new();
	s->me = me_store_new();
	s->chat = chat_store_new();
	s->tasks = task_store_new();
	s->comments = comment_store_new();
	return s;
}

void
store_free(struct store *s)
{
	if (s == NULL)
		return;
	billing_store_free(s->billing);
	me_store_free(s->me);
	chat_store_free(s->chat);
	comment_store_free(s->comments);
	task_store_free(s->tasks);
	free(s);
}
