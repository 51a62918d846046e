/* `sitecare outbox list` and `discard`, over every service's outbox. */
#ifndef SITECARE_TUI_CMD_OUTBOX_LIST_H
#define SITECARE_TUI_CMD_OUTBOX_LIST_H

#include <stdbool.h>

#include "net/store/outbox.h"
#include "tui/cmd/cmd.h"

/*
 * Prints every item of every service's outbox (and those earlier
 * versions left), folder by folder, oldest first in each: its service,
 * its staff member, and whether it is held back from ctx's service and
 * the member last signed in there (and why). Returns a CMD_* status.
 */
int cmd_outbox_list_print(const struct cmd_ctx *ctx, bool json);

/* Deletes item id, whichever outbox holds it. Returns a CMD_* status. */
int cmd_outbox_list_discard(const char *id);

/*
 * Prints, one a line on stderr, why an item is held back: what it is
 * (kind, target, first words, when queued, id) and why.
 */
void cmd_outbox_list_say_held(const struct outbox_item *it, const char *why);

/*
 * Prints on stderr that an item file is held, not sent (it is not
 * private), why, and how to discard it.
 */
void cmd_outbox_list_say_refused(const struct outbox_refusal *r);

/*
 * Says on stderr every item in the other services' outboxes (and those
 * of earlier versions), held back from now's: none of them is sent.
 * own_dir is now's outbox folder, skipped. Returns how many there are.
 */
size_t cmd_outbox_list_held_elsewhere(const struct outbox_owner *now,
                                      const char *own_dir);

#endif
