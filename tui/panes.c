/* The pane table. */
#include "tui/panes.h"

#include "views/billing/billing.h"
#include "views/chat/chat.h"
#include "views/credentials/credentials.h"
#include "views/tasks/task_queue.h"

const struct view_ops *const panes_ops[PANE_COUNT] = {
	[PANE_TASKS] = &task_queue_view,
	[PANE_CHAT] = &chat_view,
	[PANE_CREDENTIALS] = &credentials_view,
	[PANE_BILLING] = &billing_view,
};
