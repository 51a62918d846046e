/* The terminal interface: what `sitecare` with no command opens. */
#ifndef SITECARE_TUI_TUI_H
#define SITECARE_TUI_TUI_H

#include "tui/cmd/cmd.h"

/* Runs the interface until the staff member quits; an exit status. */
int tui_run(struct cmd_ctx *ctx);

#endif
