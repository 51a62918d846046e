/* Who the subcommands queue and send outbox items as. */
#ifndef SITECARE_TUI_CMD_OWNER_H
#define SITECARE_TUI_CMD_OWNER_H

#include <stdbool.h>

#include "net/client/api.h"
#include "net/base/loop.h"
#include "net/client/model.h"
#include "net/store/outbox.h"

/*
 * Remembers me, signed in on a's service, as the owner of the items
 * queued there from now on (net/store/outbox.h outbox_remember_owner). A
 * failure only costs offline queueing, so it is a warning on stderr.
 */
void cmd_owner_remember(struct api *a, const struct me *me);

/*
 * Asks the service who is signed in (GET /me), again after a pause
 * while the answer is a transient failure and retry allows, until
 * deadline_ms (loop_now_ms). l is the caller's loop, lent a's source. On
 * success out is the service's base URL and the member, remembered in ob too,
 * and 0 is returned; else -1 with err set (out empty).
 */
int cmd_owner_fetch(struct loop *l, struct api *a, struct outbox *ob,
                    bool retry, long long deadline_ms, struct outbox_owner *out,
                    struct sc_error *err);

#endif
