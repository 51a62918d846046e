/* libnotify's calls: see notify_libnotify.h. */
#include "tui/notify_libnotify.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libnotify/notify.h>

#include "net/base/xmalloc.h"

/* How long a desktop notification stays up (urgent ones may stay). */
#define NOTIFY_TIMEOUT_MS 5000
/* The application name the daemon is given. */
#define NOTIFY_APP "sitecare"

/* The library opened at the first desktop notification. */
#define NOTIFY_SONAME "libnotify.so.4"

/* libnotify's state is global: one caller at a time, whichever thread. */
static pthread_mutex_t libnotify_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * libnotify and the GLib, GObject and GIO under it are opened with
 * dlopen at the first desktop notification, not linked: mapped at start
 * they cost every session about 1.7 MB of resident memory, and most
 * sessions never notify the desktop (tests/bench/bench.py measures the
 * start). These are the calls used, looked up in libnotify and the
 * libraries it brings in; the types stay the headers'.
 */
static struct {
	void *dl; /* NULL until opened; never closed (GLib cannot unload) */
	gboolean (*init)(const char *app);
	gboolean (*is_initted)(void);
	void (*uninit)(void);
	GList *(*server_caps)(void);
	NotifyNotification *(*note_new)(const char *, const char *,
	                                const char *);
	void (*set_timeout)(NotifyNotification *, gint);
	void (*set_urgency)(NotifyNotification *, NotifyUrgency);
	gboolean (*show)(NotifyNotification *, GError **);
	guint (*log_set_handler)(const gchar *, GLogLevelFlags, GLogFunc,
	                         gpointer);
	void (*log_remove_handler)(const gchar *, guint);
	GList *(*list_find_custom)(GList *, gconstpointer, GCompareFunc);
	void (*list_free_full)(GList *, GDestroyNotify);
	void (*free)(gpointer);
	gchar *(*markup_escape_text)(const gchar *, gssize);
	void (*object_unref)(gpointer);
	void (*clear_error)(GError **);
} lib;

/* Where each of lib's members is found: loading is one loop. */
static const struct {
	void **at;
	const char *name;
} syms[] = {
	{ (void **)&lib.init, "notify_init" },
	{ (void **)&lib.is_initted, "notify_is_initted" },
	{ (void **)&lib.uninit, "notify_uninit" },
	{ (void **)&lib.server_caps, "notify_get_server_caps" },
	{ (void **)&lib.note_new, "notify_notification_new" },
	{ (void **)&lib.set_timeout, "notify_notification_set_timeout" },
	{ (void **)&lib.set_urgency, "notify_notification_set_urgency" },
	{ (void **)&lib.show, "notify_notification_show" },
	{ (void **)&lib.log_set_handler, "g_log_set_handler" },
	{ (void **)&lib.log_remove_handler, "g_log_remove_handler" },
	{ (void **)&lib.list_find_custom, "g_list_find_custom" },
	{ (void **)&lib.list_free_full, "g_list_free_full" },
	{ (void **)&lib.free, "g_free" },
	{ (void **)&lib.markup_escape_text, "g_markup_escape_text" },
	{ (void **)&lib.object_unref, "g_object_unref" },
	{ (void **)&lib.clear_error, "g_clear_error" },
};

/* Opens libnotify once (the lock held); 0, or -1 and *reason. */
static int
load(char **reason)
{
	void *dl;
	size_t i;

	if (lib.dl != NULL)
		return 0;
	dl = dlopen(NOTIFY_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (dl == NULL) {
		*reason = xasprintf("%s is not installed", NOTIFY_SONAME);
		return -1;
	}
	for (i = 0; i < sizeof syms / sizeof syms[0]; i++) {
		*syms[i].at = dlsym(dl, syms[i].name);
		if (*syms[i].at == NULL) {
			*reason = xasprintf("%s has no %s", NOTIFY_SONAME,
			                    syms[i].name);
			return -1; /* lib.dl stays NULL: nothing is called */
		}
	}
	lib.dl = dl;
	return 0;
}

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

	if (load(reason) != 0)
		return -1;
	if (ln->log_ids[0] == 0) {
		GLogLevelFlags all = G_LOG_LEVEL_MASK & ~G_LOG_LEVEL_ERROR;

		ln->log_ids[0] =
		    lib.log_set_handler("libnotify", all, log_quiet, NULL);
		ln->log_ids[1] =
		    lib.log_set_handler("GLib-GIO", all, log_quiet, NULL);
	}
	if (!lib.is_initted()) {
		if (!lib.init(NOTIFY_APP)) {
			*reason = xstrdup("libnotify did not start");
			return -1;
		}
		ln->started = true;
	}
	if (ln->probed)
		return 0;
	ln->probed = true;
	caps = lib.server_caps();
	if (caps == NULL) {
		*reason = xstrdup("no notification service answered on the "
		                  "session bus");
		return -1;
	}
	ln->markup = lib.list_find_custom(caps, "body-markup",
	                                  (GCompareFunc)strcmp) != NULL;
	lib.list_free_full(caps, lib.free);
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
		escaped = lib.markup_escape_text(body, -1);
	nn = lib.note_new(title, escaped != NULL ? escaped : body, NULL);
	lib.set_timeout(nn, NOTIFY_TIMEOUT_MS);
	lib.set_urgency(nn, urgencies[u]);
	if (!lib.show(nn, &gerr))
		*reason =
		    xstrdup(gerr != NULL ? gerr->message
		                         : "the notification was refused");
	lib.object_unref(nn);
	lib.free(escaped);
	if (gerr == NULL && *reason == NULL)
		return 0;
	lib.clear_error(&gerr);
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
	if (ln->started && lib.is_initted())
		lib.uninit();
	ln->started = false;
	if (ln->log_ids[0] != 0) {
		lib.log_remove_handler("libnotify", ln->log_ids[0]);
		lib.log_remove_handler("GLib-GIO", ln->log_ids[1]);
		ln->log_ids[0] = ln->log_ids[1] = 0;
	}
	pthread_mutex_unlock(&libnotify_lock);
}
