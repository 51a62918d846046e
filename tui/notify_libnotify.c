/* libnotify's calls: see notify_libnotify.h. */
#include "tui/notify_libnotify.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libnotify/notify.h>

#include "net/base/xmalloc.h"

/* How long a desktop notification stays up (urgent ones may stay). */
#define NOTIFY_TIMEOUT_MS 5000
/* The application name the daemon is given. */
#define NOTIFY_APP "sitecare"

/* libnotify's state is global: one caller at a time, whichever thread. */
static pthread_mutex_t libnotify_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * started: this handle called notify_init (so stop calls notify_uninit);
 * probed: the daemon's capabilities were asked; markup: it reads body
 * markup, so & < > are escaped. log_ids silence libnotify's and GIO's
 * warnings while the handle is in use.
 */
struct notify_libnotify {
	bool started, probed, markup;
	unsigned log_ids[2];
};

struct notify_libnotify *
notify_libnotify_new(void)
{
	return xcalloc(1, sizeof(struct notify_libnotify));
}

void
notify_libnotify_free(struct notify_libnotify *ln)
{
	free(ln);
}

/* Swallows libnotify's and GIO's warnings: stderr is the curses screen. */
static void
log_quiet(const gchar *domain, GLogLevelFlags level, const gchar *msg,
          gpointer ud)
{
}

/* Starts libnotify (once per session, or again after another notifier
 * released it) and asks the daemon once whether it reads markup. */
static int
start(struct notify_libnotify *ln, char **reason)
{
	GList *caps;

	if (ln->log_ids[0] == 0) {
		GLogLevelFlags all = G_LOG_LEVEL_MASK & ~G_LOG_LEVEL_ERROR;

		ln->log_ids[0] =
		    g_log_set_handler("libnotify", all, log_quiet, NULL);
		ln->log_ids[1] =
		    g_log_set_handler("GLib-GIO", all, log_quiet, NULL);
	}
	if (!notify_is_initted()) {
		if (!notify_init(NOTIFY_APP)) {
			*reason = xstrdup("libnotify did not start");
			return -1;
		}
		ln->started = true;
	}
	if (ln->probed)
		return 0;
	ln->probed = true;
	caps = notify_get_server_caps();
	if (caps == NULL) {
		*reason = xstrdup("no notification service answered on the "
		                  "session bus");
		return -1;
	}
	ln->markup = g_list_find_custom(caps, "body-markup",
	                                (GCompareFunc)strcmp) != NULL;
	g_list_free_full(caps, g_free);
	return 0;
}

/* One notification, the lock held. */
static int
show_locked(struct notify_libnotify *ln, const char *title, const char *body,
            enum notify_urgency u, char **reason)
{
	static const NotifyUrgency urgencies[] = { NOTIFY_URGENCY_LOW,
		                                   NOTIFY_URGENCY_NORMAL,
		                                   NOTIFY_URGENCY_CRITICAL };
	NotifyNotification *nn;
	GError *gerr = NULL;
	char *escaped = NULL;

	if (start(ln, reason) != 0)
		return -1;
	if (body != NULL && ln->markup)
		escaped = g_markup_escape_text(body, -1);
	nn = notify_notification_new(title, escaped != NULL ? escaped : body,
	                             NULL);
	notify_notification_set_timeout(nn, NOTIFY_TIMEOUT_MS);
	notify_notification_set_urgency(nn, urgencies[u]);
	if (!notify_notification_show(nn, &gerr))
		*reason =
		    xstrdup(gerr != NULL ? gerr->message
		                         : "the notification was refused");
	g_object_unref(nn);
	g_free(escaped);
	if (gerr == NULL && *reason == NULL)
		return 0;
	g_clear_error(&gerr);
	return -1;
}

int
notify_libnotify_show(void *ud, const char *title, const char *body,
                      enum notify_urgency u, char **reason)
{
	int rc;

	pthread_mutex_lock(&libnotify_lock);
	rc = show_locked(ud, title, body, u, reason);
	pthread_mutex_unlock(&libnotify_lock);
	return rc;
}

void
notify_libnotify_stop(void *ud)
{
	struct notify_libnotify *ln = ud;

	pthread_mutex_lock(&libnotify_lock);
	if (ln->started && notify_is_initted())
		notify_uninit();
	ln->started = false;
	if (ln->log_ids[0] != 0) {
		g_log_remove_handler("libnotify", ln->log_ids[0]);
		g_log_remove_handler("GLib-GIO", ln->log_ids[1]);
		ln->log_ids[0] = ln->log_ids[1] = 0;
	}
	pthread_mutex_unlock(&libnotify_lock);
}
