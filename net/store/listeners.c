/* The listeners a part of the store tells of its changes. */
#include "net/store/listeners.h"

#include <stdlib.h>
#include <string.h>

#include "net/base/xmalloc.h"

void
listeners_add(struct listeners *l, listener_fn fn, void *ud)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n++] = (struct listener){ fn, ud };
}

void
listeners_remove(struct listeners *l, listener_fn fn, void *ud)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].fn == fn && l->v[i].ud == ud) {
			memmove(&l->v[i], &l->v[i + 1],
			        (l->n - i - 1) * sizeof *l->v);
			l->n--;
			return;
		}
}

void
listeners_clear(struct listeners *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
