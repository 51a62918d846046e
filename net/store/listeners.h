/* The listeners a part of the store tells of its changes. */
#ifndef SITECARE_NET_STORE_LISTENERS_H
#define SITECARE_NET_STORE_LISTENERS_H

#include <stddef.h>

/*
 * Each part of the store (tasks, comments, chat, billing) has its own
 * callback type; the list holds them as a generic function pointer and
 * the part casts back to its own type before calling (C allows a
 * function pointer to go through another function pointer type and
 * back). Order is kept: listeners are told in the order they listened.
 */
typedef void (*listener_fn)(void);

struct listener {
	listener_fn fn;
	void *ud;
};

struct listeners {
	struct listener *v;
	size_t n;
};

void listeners_add(struct listeners *l, listener_fn fn, void *ud);
/* Removes the first (fn, ud) pair; nothing when there is none. */
void listeners_remove(struct listeners *l, listener_fn fn, void *ud);
/* Frees the list; it may be used again, empty. */
void listeners_clear(struct listeners *l);

#endif
