/* The pane table. */
#include "tui/panes.h"

#include "views/billing.h"
#include "views/chat.h"
#include "views/credentials.h"
#include "views/task_queue.h"

const struct view_ops *const panes_ops[PANE_COUNT] = {
	[PANE_TASKS] = &task_queue_view,
	[PANE_CHAT] = &chat_view,
	[PANE_CREDENTIALS] = &credentials_view,
	[PANE_BILLING] = &billing_view,
};
