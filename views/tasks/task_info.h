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
 * Opens the detail of task t (copied: the list row stays the list's) and
 * fetches its comments and attachments; until they arrive the task's own
 * fields show. flags are the sanitiser's (SANITIZE_ASCII without UTF-8).
 * (Named task_info, not task_detail: net/client/model.h owns that prefix.)
 */
struct task_info *task_info_new(struct app *app, const struct task *t,
                                unsigned flags);
/* Cancels the fetch in flight and frees. NULL is fine. */
void task_info_free(struct task_info *ti);

/* The task shown. */
int64_t task_info_id(const struct task_info *ti);

/* The task as shown. */
const struct task *task_info_task(const struct task_info *ti);

/* Its attachments, once loaded (*n is 0 before). */
const struct attachment *task_info_attachments(const struct task_info *ti,
                                               size_t *n);

/* The outbox changed: the pending comments are shown again. */
void task_info_outbox_changed(struct task_info *ti);

/* Fetches the task again (refresh, resync); what is shown stays. */
void task_info_reload(struct task_info *ti);

/* A live task.updated for this task: its fields change, comments stay. */
void task_info_update(struct task_info *ti, const struct task *t);

/* A live comment.created for this task (copied; duplicates ignored). */
void task_info_add_comment(struct task_info *ti, const struct comment *c);

/* Scrolls (down, up, pages, top, bottom); VIEW_UNHANDLED for others. */
enum view_result task_info_action(struct task_info *ti, enum action a);

/* Draws into win (a curses WINDOW), rows by cols. */
void task_info_draw(struct task_info *ti, void *win, int rows, int cols);

#endif
