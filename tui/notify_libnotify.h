/* libnotify's calls: the desktop route's one way out, never on the loop. */
#ifndef SITECARE_TUI_NOTIFY_LIBNOTIFY_H
#define SITECARE_TUI_NOTIFY_LIBNOTIFY_H

#include "tui/notify.h"

/*
 * libnotify has no asynchronous API: starting it, asking the daemon's
 * capabilities and showing a notification are synchronous D-Bus calls
 * that a stalled daemon can hold for D-Bus's timeout (25 s). So these
 * functions run only on notify_queue's worker thread, one at a time;
 * a lock also keeps two notifiers' threads from starting libnotify's
 * global state at once. (Once started, GLib's D-Bus code keeps a
 * worker thread of its own.)
 */
struct notify_libnotify;

/* A handle; touches nothing of libnotify yet. */
struct notify_libnotify *notify_libnotify_new(void);

/*
 * Shows one notification (title and body clean, body may be NULL),
 * starting libnotify and asking once whether the daemon reads markup
 * first. 0, or -1 and a malloc'd *reason. ud is the handle: the
 * signature is notify_queue's show.
 */
int notify_libnotify_show(void *ud, const char *title, const char *body,
                          enum notify_urgency u, char **reason);

/* Releases libnotify if this handle started it. ud is the handle. */
void notify_libnotify_stop(void *ud);

/* Frees the handle (after stop, or when nothing was shown). NULL is fine. */
void notify_libnotify_free(struct notify_libnotify *ln);

#endif
