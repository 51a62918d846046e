/* The task queue pane: the list of tasks, and one task in detail. */
#ifndef SITECARE_VIEWS_TASK_QUEUE_H
#define SITECARE_VIEWS_TASK_QUEUE_H

#include <stddef.h>

#include "tui/view.h"

/*
 * The Tasks tab (PANE_TASKS). Lists the tasks the filter selects, one
 * page of the server's cursor at a time as the staff member scrolls;
 * `:filter`, `:sort` and `/` (search) fetch again from the first page and
 * keep the selected task when it is still there, on the same screen
 * line when the rows allow (else the cursor goes to its nearest old
 * neighbour still listed); Escape during a search ends it; Enter opens a
 * task's detail, Escape comes back to the same row.
 *
 * Live task.created / task.updated events change rows in place: an
 * updated task keeps its row (the list is not re-sorted under the
 * cursor), a task that no longer matches the filter leaves, and a new
 * matching task is inserted where the sort puts it among the loaded rows
 * (or left for a later page when it sorts after them). The selected task
 * stays selected and the visible rows do not jump. A new task, or one
 * just assigned to the signed-in staff member, is marked '*' until the
 * cursor reaches it. Urgent and overdue open tasks among the loaded rows
 * feed the attention list.
 */
extern const struct view_ops task_queue_view;

/* The rows the background fill after G stops at (200,000 by default):
 * pane is the pane's state (what open returned). For tests, which would
 * otherwise need 400 pages to see the cap hold. */
void task_queue_set_fill_cap(void *pane, size_t rows);

#endif
