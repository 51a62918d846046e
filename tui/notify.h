/* Notifications: desktop (libnotify), terminal (OSC 777/9), bell. */
#ifndef SITECARE_TUI_NOTIFY_H
#define SITECARE_TUI_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Usage (one instance per session, in struct app):
 *
 *	app->notify = notify_new(app->loop, NOTIFY_DESKTOP, true);
 *	notify_on_news(app->notify, on_news, app);
 *	...from the loop, between frames, never inside a draw:
 *	if (!muted && !(open && focused))
 *		notify_send(app->notify, "New message from Acme Ltd",
 *		            text, NOTIFY_NORMAL);
 *	...status line or :checkhealth:
 *	notify_describe(app->notify);
 *	notify_free(app->notify);
 *
 * Deciding whether to notify at all (muted conversations, the open and
 * focused one) is the caller's business; this module decides how.
 *
 * Routes: desktop notifications go through libnotify, whose calls are
 * synchronous D-Bus calls (there is no asynchronous API) that a stalled
 * daemon can hold for D-Bus's own timeout. So they never run on the
 * loop: notify_send hands a copy to a bounded queue that a worker thread
 * drains (notify_queue.h), and returns at once. While the daemon is
 * stalled, the oldest waiting notifications are dropped, and the news
 * callback says so. libnotify is never touched without a D-Bus session
 * bus address, and is given up for the rest of the session after its
 * first failure: that one, and any still waiting, then go by the
 * terminal route, later, from the loop (and the news callback is told).
 * The terminal route writes OSC 777 and OSC 9 (wrapped in tmux's DCS
 * passthrough when $TMUX is set) and a bell to stdout, at once. All
 * text is untrusted and sanitised here.
 */

/* The `notifications` setting (same order as enum config_notifications). */
enum notify_mode { NOTIFY_OFF, NOTIFY_BELL, NOTIFY_TERMINAL, NOTIFY_DESKTOP };

/* How much the notification matters: urgent tasks are NOTIFY_URGENT. */
enum notify_urgency { NOTIFY_LOW, NOTIFY_NORMAL, NOTIFY_URGENT };

/* What notify_send did. */
enum notify_route {
	NOTIFY_ROUTE_NONE,     /* off: nothing */
	NOTIFY_ROUTE_BELL,     /* a BEL */
	NOTIFY_ROUTE_TERMINAL, /* OSC 777 + OSC 9 + BEL */
	NOTIFY_ROUTE_DESKTOP,  /* a libnotify notification */
};

struct loop;
struct notify;

/*
 * A notifier for mode, handing desktop notifications off through loop l
 * (NULL only when notify_set_ops replaces the desktop way out). show_text
 * false keeps message bodies out of the notification (only the title
 * shows, so make the title stand alone: "New message from Acme Ltd").
 * Reads DBUS_SESSION_BUS_ADDRESS and TMUX now; touches no D-Bus until
 * the first desktop send.
 */
struct notify *notify_new(struct loop *l, enum notify_mode mode,
                          bool show_text);

/*
 * Frees n (NULL is fine), and has libnotify released if n started it.
 * Waits a little for a notification still being shown; with the daemon
 * stalled, leaves that thread to finish on its own (see notify_queue.h).
 */
void notify_free(struct notify *n);

/*
 * cb(ud, notice) is called on the loop thread when something happened
 * after notify_send returned: the desktop route failed (notice NULL;
 * notify_describe has changed, redraw what shows it), or a notification
 * was dropped because the daemon is not answering (notice: a sentence
 * for the status line).
 */
void notify_on_news(struct notify *n, void (*cb)(void *ud, const char *notice),
                    void *ud);

/*
 * Announces title (e.g. "Urgent task #12") with body (may be NULL), both
 * untrusted, by the best route that still works. Returns the route used:
 * NOTIFY_ROUTE_DESKTOP when handed to the desktop queue (a failure there
 * comes later: see notify_on_news); after a desktop failure, every send
 * uses the terminal.
 */
enum notify_route notify_send(struct notify *n, const char *title,
                              const char *body, enum notify_urgency u);

/*
 * The route in words, for :checkhealth and the status line: "desktop
 * (libnotify)", "terminal (OSC 777/9, tmux passthrough)", "bell", "off",
 * or "terminal (desktop failed: REASON)". Owned by n; valid until the
 * next notify_send or notify_free.
 */
const char *notify_describe(const struct notify *n);

/*
 * For tests: replaces the two ways out. desktop, called on the loop
 * thread, returns 0, or -1 with a malloc'd reason in *reason; write takes
 * the bytes meant for the terminal. A NULL member keeps the real one (the
 * queue to libnotify, stdout).
 */
struct notify_ops {
	int (*desktop)(void *ud, const char *title, const char *body,
	               enum notify_urgency u, char **reason);
	void (*write)(void *ud, const char *buf, size_t len);
	void *ud;
};
void notify_set_ops(struct notify *n, const struct notify_ops *ops);

#endif
