/* The panes in tab order: the one place that lists them. */
#ifndef SITECARE_TUI_PANES_H
#define SITECARE_TUI_PANES_H

#include "tui/app.h"

/* Each pane's operations; NULL for a pane this build does not have. */
extern const struct view_ops *const panes_ops[PANE_COUNT];

#endif
