/* The subcommands of the live stream and the outbox. */
#ifndef SITECARE_TUI_CMD_STREAM_H
#define SITECARE_TUI_CMD_STREAM_H

#include "tui/cmd/cmd.h"

/* `sitecare events`: the event stream as JSON lines (tui/cmd/cmd_events.c). */
int cmd_events(struct cmd_ctx *ctx, int argc, char **argv);
/* `sitecare reply`, `comment`, `outbox` (tui/cmd/cmd_outbox.c). */
int cmd_reply(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_comment(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_outbox(struct cmd_ctx *ctx, int argc, char **argv);

/* Their --help texts, for the command table (tui/cmd/cmd.c). */
#define CMD_EVENTS_USAGE                                                       \
	"usage: sitecare events [--since ID] [--count N]\n"                    \
	"Prints the live events as JSON lines "                                \
	"{\"id\", \"event\", \"data\"} until\n"                                \
	"interrupted or N events have come; reconnects (with Last-Event-ID) "  \
	"after\nerrors. Connection changes go to stderr. --since ID resumes "  \
	"after event ID.\nExit status 1 when the session has expired.\n"
#define CMD_REPLY_USAGE                                                        \
	"usage: sitecare reply CONVERSATION_ID [TEXT | -]\n"                   \
	"Queues a chat reply in the outbox and sends it (- or no TEXT: read "  \
	"stdin).\nExit status 0 once sent; 1 otherwise, the message being "    \
	"kept in the\noutbox for `sitecare outbox flush` unless refused. It "  \
	"is only ever sent to\nthis service, as the member signed in now.\n"
#define CMD_COMMENT_USAGE                                                      \
	"usage: sitecare comment TASK_ID [--internal] [TEXT | -]\n"            \
	"Queues a task comment in the outbox and sends it, as `reply` does.\n" \
	"--internal: a staff-only note, never shown to the client.\n"
#define CMD_OUTBOX_USAGE                                                       \
	"usage: sitecare outbox [list [--json] | flush [--timeout S] | "       \
	"discard ID]\n"                                                        \
	"list: the queued items of every service (id, kind, target, "          \
	"attempts,\nstate, service, staff member, why held or last error, "    \
	"first line).\nflush: sends the signed-in member's items for this "    \
	"service now, retrying\nfor up to S seconds (default 60); exit "       \
	"status 0 when none is left after\nit. Items of another service or "   \
	"member are held back and named.\ndiscard: deletes one item for "      \
	"good.\n"

#endif
