/* What the client knows of the service's data, held once (issue #15). */
#ifndef SITECARE_NET_STORE_STORE_H
#define SITECARE_NET_STORE_STORE_H

/*
 * The store sits below the panes and beside the outbox: GET pages, live
 * events, PATCH answers, optimistic changes and their rollback all go
 * into it, each object is held once, keyed by id (net/store/idmap.h),
 * and the version rule ("the newest version wins") is applied here
 * once. Panes keep only view state (cursor by id, scroll, filter, sort,
 * marks) and are told what changed. Curses-free and libcurl-free: it is
 * plain data, so it is unit-tested without a terminal or a network.
 *
 * Each kind of object has its own part, created with the store and
 * freed with it; the application owns the store (app->store).
 */
struct task_store;
struct chat_store;
struct billing_store;
struct me_store;
struct comment_store;

struct store {
	struct task_store *tasks;       /* net/store/task_store.h */
	struct chat_store *chat;        /* net/store/chat_store.h */
	struct billing_store *billing;  /* net/store/billing_store.h */
	struct me_store *me;            /* net/store/me_store.h */
	struct comment_store *comments; /* net/store/comment_store.h */
};

struct store *store_new(void);
void store_free(struct store *s);

#endif
