/* One task in full: the task queue's detail view. */
#ifndef SITECARE_VIEWS_TASK_INFO_H
#define SITECARE_VIEWS_TASK_INFO_H

#include <stddef.h>
#include <stdint.h>

#include "keymaps/action.h"
#include "net/client/model.h"
#include "tui/view.h"

struct app;
struct task_info;

/*
 * Opens the detail of task id (held in app->store's task store) and
 * fetches its comments and attachments; until they arrive the task's own
 * fields show. Nothing of the server's is copied: the task is read from
 * the task store and the comments and attachments from the comment store
 * (net/store/comment_store.h) at each layout, and both stores' listeners
 * say when to lay out again. flags are the sanitiser's (SANITIZE_ASCII
 * without UTF-8). (Named task_info, not task_detail: net/client/model.h
 * owns that prefix.)
 */
struct task_info *task_info_new(struct app *app, int64_t id, unsigned flags);
/* Cancels the fetch in flight and frees. NULL is fine. */
void task_info_free(struct task_info *ti);

/* The task shown. */
int64_t task_info_id(const struct task_info *ti);

/*
 * The task shown: the task store's, valid until that store changes or
 * forgets it (use it at once, do not keep it); NULL when the store no
 * longer holds it.
 */
const struct task *task_info_task(const struct task_info *ti);

/* Its attachments, once loaded (*n is 0 before): the comment store's,
 * valid until that store changes this task's detail. */
const struct attachment *task_info_attachments(const struct task_info *ti,
                                               size_t *n);

/* The outbox changed: the pending comments are shown again. */
void task_info_outbox_changed(struct task_info *ti);

/* Fetches the task again (refresh, resync); what is shown stays. */
void task_info_reload(struct task_info *ti);

/* Scrolls (down, up, pages, top, bottom); VIEW_UNHANDLED for others. */
enum view_result task_info_action(struct task_info *ti, enum action a);

/* Draws into win (a curses WINDOW), rows by cols. */
void task_info_draw(struct task_info *ti, void *win, int rows, int cols);

#endif
