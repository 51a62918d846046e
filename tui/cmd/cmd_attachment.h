/* The `sitecare attachment` subcommand: list and save task attachments. */
#ifndef SITECARE_TUI_CMD_ATTACHMENT_H
#define SITECARE_TUI_CMD_ATTACHMENT_H

#include "tui/cmd/cmd.h"

/* `sitecare attachment list|save ...` (tui/cmd/cmd_attachment.c). */
int cmd_attachment(struct cmd_ctx *ctx, int argc, char **argv);

/* Its --help text, for the command table (tui/cmd/cmd.c). */
#define CMD_ATTACHMENT_USAGE                                                   \
	"usage: sitecare attachment list TASK_ID\n"                            \
	"       sitecare attachment save TASK_ID ATTACHMENT_ID [PATH] "        \
	"[--force]\n"                                                          \
	"list: one line per attachment of the task, tab-separated: id, size "  \
	"in\nbytes, content type, file name (control characters shown "        \
	"escaped).\n"                                                          \
	"save: downloads one attachment to PATH, a folder (the server's file " \
	"name,\nmade safe, is used inside it) or a file path. The default "    \
	"folder is\n$XDG_DOWNLOAD_DIR, else XDG_DOWNLOAD_DIR of "              \
	"user-dirs.dirs, else ~/Downloads.\nAn existing file is never "        \
	"replaced unless --force is given. Shows progress\non stderr when it " \
	"is a terminal; prints the saved path.\nExit status 0 when saved, 1 "  \
	"on errors (nothing is left behind), 2 on usage\nerrors.\n"

#endif
