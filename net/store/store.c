/* The store's parts, made and freed together: see store.h. */
#include "net/store/store.h"

#include <stdlib.h>

#include "net/base/xmalloc.h"
#include "net/store/task_store.h"

struct store *
store_new(void)
{
	struct store *s = xcalloc(1, sizeof *s);

	s->tasks = task_store_new();
	return s;
}

void
store_free(struct store *s)
{
	if (s == NULL)
		return;
	task_store_free(s->tasks);
	free(s);
}
