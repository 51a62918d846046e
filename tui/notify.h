/* Notifications: desktop (libnotify), terminal (OSC 777/9), bell. */
#ifndef SITECARE_TUI_NOTIFY_H
#define SITECARE_TUI_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Usage (one instance per session, in struct app):
 *
 *	app->notify = notify_new(NOTIFY_DESKTOP, true);
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
 * synchronous D-Bus calls (there is no asynchronous API). The protection
 * is that libnotify is never touched without a D-Bus session bus address
 * and is given up for the rest of the session after its first failure,
 * so a missing or broken daemon costs at most one call; a hung daemon
 * can hold that one call for D-Bus's own timeout. (Once started, GLib's
 * D-Bus code keeps one worker thread of its own.) Otherwise, or after
 * that failure, the terminal route writes OSC 777 and OSC 9 (wrapped in
 * tmux's DCS passthrough when $TMUX is set) and a bell to stdout. All
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

struct notify;

/*
 * A notifier for mode. show_text false keeps message bodies out of the
 * notification (only the title shows, so make the title stand alone:
 * "New message from Acme Ltd"). Reads DBUS_SESSION_BUS_ADDRESS and TMUX
 * now; touches no D-Bus until the first desktop send.
 */
struct notify *notify_new(enum notify_mode mode, bool show_text);

/* Frees n (NULL is fine), and releases libnotify if n started it. */
void notify_free(struct notify *n);

/*
 * Announces title (e.g. "Urgent task #12") with body (may be NULL), both
 * untrusted, by the best route that still works. Returns the route used:
 * after a desktop failure, this and every later send use the terminal.
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
 * For tests: replaces the two ways out. desktop returns 0, or -1 with a
 * malloc'd reason in *reason; write takes the bytes meant for the
 * terminal. A NULL member keeps the real one (libnotify, stdout).
 */
struct notify_ops {
	int (*desktop)(void *ud, const char *title, const char *body,
	               enum notify_urgency u, char **reason);
	void (*write)(void *ud, const char *buf, size_t len);
	void *ud;
};
void notify_set_ops(struct notify *n, const struct notify_ops *ops);

#endif
