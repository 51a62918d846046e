/* The short name that keeps one service's files apart from another's. */
#ifndef SITECARE_NET_SERVICE_KEY_H
#define SITECARE_NET_SERVICE_KEY_H

#include "net/base/error.h"

/* Length of a key: 16 hex digits. */
#define SERVICE_KEY_LEN 16

/*
 * The key of a service's base URL (as http_base_url gives it): 16 hex
 * digits of its BLAKE2b hash, malloc'd. The cookie jar, the outbox and
 * the drafts of a service are all named with it, so that what was
 * written for staging is never read against production.
 */
char *service_key(const char *base_url);

/*
 * The folder of one kind of a service's files: root/<key> (root made
 * if missing), or with root NULL $XDG_STATE_HOME/sitecare/sub/<key>,
 * made with its parents. The last part is left to the caller's opening
 * (which makes it and checks it). malloc'd, or NULL with err set.
 */
char *service_key_dir(const char *root, const char *sub, const char *base_url,
                      struct sc_error *err);

#endif
