/* The task queue's client=NAME: one client found by name. */
#ifndef SITECARE_VIEWS_CLIENT_LOOKUP_H
#define SITECARE_VIEWS_CLIENT_LOOKUP_H

#include <stddef.h>
#include <stdint.h>

#include "net/client/model.h"
#include "tui/app.h"

/*
 * Which of the n clients name means, ignoring ASCII case: the one whose
 * name is name, else the one whose name contains it. Returns its index,
 * or -1 with the reason in err: no client has such a name, or several
 * do (named in err, up to a few, with their ids: it does not guess).
 */
long client_lookup_match(const struct client *c, size_t n, const char *name,
                         char *err, size_t errlen);

/* The answer: id (> 0) and the client's name, or 0 and why not. */
typedef void (*client_lookup_cb)(void *ud, int64_t id, const char *name,
                                 const char *err);

struct client_lookup;

/*
 * Asks the service's clients (GET /clients?q=NAME) for the one named
 * name and calls cb once with the answer, unless cancelled first by
 * client_lookup_free (cb may free it). NULL when there is no service to
 * ask (cb is then not called).
 */
struct client_lookup *client_lookup_start(struct app *app, const char *name,
                                          client_lookup_cb cb, void *ud);
void client_lookup_free(struct client_lookup *cl);

#endif
