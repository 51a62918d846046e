/* Notifications: desktop (libnotify), terminal (OSC 777/9), bell. */
#include "tui/notify.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/base/xmalloc.h"
#include "tui/notify_libnotify.h"
#include "tui/notify_queue.h"
#include "tui/sanitize.h"

/* The most columns of a title and of a body that are passed on. */
#define NOTIFY_TITLE_COLS 80
#define NOTIFY_BODY_COLS  240
/* The most lines of a desktop body, and the most bytes a column may
 * cost (one 4-byte character): newlines and zero-width characters take
 * no column, so the columns alone bound neither. */
#define NOTIFY_BODY_LINES 6
#define NOTIFY_COL_BYTES  4
/* The title when the caller gives none. */
#define NOTIFY_APP "sitecare"

/*
 * One session's notifier. The mode is what the config asked for; the
 * route actually taken can only step down from it: desktop_ok starts
 * true only in desktop mode with a bus address, and is cleared for good
 * by the first desktop failure (kept in failure). The desktop way out
 * hands the notification to a queue drained off the loop (queue and
 * libnotify, made at the first desktop send); a failure there comes
 * back later, through the loop. The two ways out are function pointers
 * so that tests can capture what would be sent.
 */
struct notify {
	enum notify_mode mode;
	bool show_text;
	bool in_tmux;
	bool osc_ok;     /* TERM can take OSC sequences (not linux/dumb) */
	bool desktop_ok; /* desktop mode, a bus address, no failure yet */
	char *failure;   /* why the desktop route was given up, or NULL */
	char *describe;  /* notify_describe's text */
	struct loop *loop;
	struct notify_queue *queue;   /* or NULL */
	struct notify_libnotify *lib; /* the queue's, or NULL */
	unsigned dropped;             /* dropped while the daemon stalled */
	int (*desktop)(void *ud, const char *title, const char *body,
	               enum notify_urgency u, char **reason);
	void *desktop_ud;
	void (*write)(void *ud, const char *buf, size_t len);
	void *write_ud;
	void (*news)(void *ud, const char *notice);
	void *news_ud;
};

/* An environment variable, or NULL when unset or empty. */
static const char *
notify_env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

/* True when TERM is a terminal that skips OSC sequences it does not know
 * (the Linux console and dumb terminals print them instead). */
static bool
notify_term_osc(void)
{
	const char *term = notify_env("TERM");

	return term != NULL && strcmp(term, "dumb") != 0 &&
	       strncmp(term, "linux", 5) != 0;
}

/* Rebuilds the words notify_describe returns. */
static void
notify_redescribe(struct notify *n)
{
	const char *term = !n->osc_ok ? "bell (TERM cannot show OSC 777/9)"
	                   : n->in_tmux
	                       ? "terminal (OSC 777/9, tmux passthrough)"
	                       : "terminal (OSC 777/9)";

	free(n->describe);
	if (n->mode == NOTIFY_OFF)
		n->describe = xstrdup("off");
	else if (n->mode == NOTIFY_BELL)
		n->describe = xstrdup("bell");
	else if (n->mode == NOTIFY_TERMINAL || n->desktop_ok)
		n->describe =
		    xstrdup(n->desktop_ok ? "desktop (libnotify)" : term);
	else if (n->failure != NULL)
		n->describe =
		    xasprintf("%s (desktop failed: %s)",
		              n->osc_ok ? "terminal" : "bell", n->failure);
	else
		n->describe = xasprintf("%s (no D-Bus session bus)",
		                        n->osc_ok ? "terminal" : "bell");
}

/* Writes all of buf to the terminal at once (between curses frames). */
static void
notify_write_stdout(void *ud, const char *buf, size_t len)
{
	ssize_t r;

	while (len > 0) {
		r = write(STDOUT_FILENO, buf, len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return; /* a notification is not worth blocking for */
		buf += r;
		len -= (size_t)r;
	}
}

static void notify_desktop_failed(void *ud, const char *reason,
                                  const struct notify_note *notes, size_t n);

/* The real desktop way out: a copy of the notification to the queue,
 * whose worker shows it off the loop. Says when one had to be dropped. */
static int
notify_enqueue(void *ud, const char *title, const char *body,
               enum notify_urgency u, char **reason)
{
	struct notify *n = ud;

	if (n->loop == NULL) {
		*reason = xstrdup("no event loop to show it from");
		return -1;
	}
	if (n->queue == NULL) {
		n->lib = notify_libnotify_new();
		n->queue = notify_queue_new(n->loop,
		                            &(struct notify_queue_ops){
		                                .show = notify_libnotify_show,
		                                .stop = notify_libnotify_stop,
		                                .thread_ud = n->lib,
		                                .failed = notify_desktop_failed,
		                                .loop_ud = n,
		                            });
	}
	if (notify_queue_push(n->queue, title, body, u) == 0)
		return 0;
	n->dropped++;
	if (n->news != NULL) {
		char *say = xasprintf("the desktop is not answering: %u "
		                      "notification%s dropped",
		                      n->dropped, n->dropped == 1 ? "" : "s");

		n->news(n->news_ud, say);
		free(say);
	}
	return 0;
}

struct notify *
notify_new(struct loop *l, enum notify_mode mode, bool show_text)
{
	struct notify *n = xcalloc(1, sizeof *n);

	n->loop = l;
	n->mode = mode;
	n->show_text = show_text;
	n->in_tmux = notify_env("TMUX") != NULL;
	n->osc_ok = notify_term_osc();
	n->desktop_ok = mode == NOTIFY_DESKTOP &&
	                notify_env("DBUS_SESSION_BUS_ADDRESS") != NULL;
	n->desktop = notify_enqueue;
	n->desktop_ud = n;
	n->write = notify_write_stdout;
	notify_redescribe(n);
	return n;
}

void
notify_free(struct notify *n)
{
	if (n == NULL)
		return;
	/* A stalled daemon's thread keeps both: see notify_queue_free. */
	if (notify_queue_free(n->queue))
		notify_libnotify_free(n->lib);
	free(n->failure);
	free(n->describe);
	free(n);
}

void
notify_set_ops(struct notify *n, const struct notify_ops *ops)
{
	if (ops->desktop != NULL) {
		n->desktop = ops->desktop;
		n->desktop_ud = ops->ud;
	}
	if (ops->write != NULL) {
		n->write = ops->write;
		n->write_ud = ops->ud;
	}
}

const char *
notify_describe(const struct notify *n)
{
	return n->describe;
}

/* Cuts sanitised s to at most max bytes (max > 3), never inside a
 * character, ending it with an ellipsis when it had to cut. */
static void
notify_cut_bytes(char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return;
	n = max - strlen("\u2026");
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	memcpy(s + n, "\u2026", sizeof "\u2026");
}

/*
 * Untrusted text made safe and short: at most cols columns, lines lines
 * (later newlines, and in one line returns, become spaces, as tabs do)
 * and cols * NOTIFY_COL_BYTES bytes.
 */
static char *
notify_clean(const char *s, int cols, int lines)
{
	char *flat = xstrdup(s != NULL ? s : ""), *safe, *fit, *p;
	int breaks = lines - 1;

	for (p = flat; *p != '\0'; p++) {
		if (*p == '\n' && breaks > 0)
			breaks--;
		else if (*p == '\n' || (lines <= 1 && *p == '\r'))
			*p = ' ';
	}
	safe =
	    sanitize_str(flat, SANITIZE_KEEP_NEWLINES | SANITIZE_TABS_AS_SPACE);
	fit = sanitize_fit(safe, cols, 0);
	notify_cut_bytes(fit, (size_t)cols * NOTIFY_COL_BYTES);
	free(flat);
	free(safe);
	return fit;
}

/* Replaces every c in s with r. */
static void
notify_replace(char *s, char c, char r)
{
	for (; *s != '\0'; s++)
		if (*s == c)
			*s = r;
}

/* Sends one escape sequence, inside tmux wrapped in its DCS passthrough
 * (every ESC of the sequence doubled). */
static void
notify_emit(struct notify *n, const char *seq)
{
	size_t len = strlen(seq), i, o = 0;
	char *buf;

	if (!n->in_tmux) {
		n->write(n->write_ud, seq, len);
		return;
	}
	buf = xmalloc(2 * len + 16);
	memcpy(buf, "\033Ptmux;", 7);
	o = 7;
	for (i = 0; i < len; i++) {
		if (seq[i] == '\033')
			buf[o++] = '\033';
		buf[o++] = seq[i];
	}
	memcpy(buf + o, "\033\\", 2);
	n->write(n->write_ud, buf, o + 2);
	free(buf);
}

/*
 * The terminal route: OSC 777 (urxvt, foot, Ghostty...) with title and
 * body, OSC 9 (iTerm2, WezTerm, Windows Terminal...) with both in one
 * text, then a bell. title and body are clean already. The OSC 777
 * title holds no ';' (it separates the fields); OSC 9 text never starts
 * with a digit, since "9;4;..." and "9;12" are ConEmu's progress and
 * prompt commands.
 */
static void
notify_terminal(struct notify *n, char *title, const char *body)
{
	char *seq, *text;

	notify_replace(title, ';', ',');
	seq = xasprintf("\033]777;notify;%s;%s\a", title, body);
	notify_emit(n, seq);
	free(seq);
	text =
	    xasprintf("%s%s%s%s", title[0] >= '0' && title[0] <= '9' ? " " : "",
	              title, body[0] != '\0' ? ": " : "", body);
	seq = xasprintf("\033]9;%s\a", text);
	notify_emit(n, seq);
	free(seq);
	free(text);
	n->write(n->write_ud, "\a", 1);
}

/* Gives the desktop route up for the session, keeping why. */
static void
notify_give_up(struct notify *n, const char *reason)
{
	n->desktop_ok = false;
	free(n->failure);
	n->failure = notify_clean(reason != NULL ? reason : "unknown error",
	                          NOTIFY_TITLE_COLS, 1);
	notify_redescribe(n);
}

/* Tries the desktop route; on failure gives it up for the session. */
static bool
notify_desktop(struct notify *n, const char *title, const char *body,
               enum notify_urgency u)
{
	char *reason = NULL;

	if (n->desktop(n->desktop_ud, title, body[0] != '\0' ? body : NULL, u,
	               &reason) == 0) {
		free(reason);
		return true;
	}
	notify_give_up(n, reason);
	free(reason);
	return false;
}

/* The bell alone. */
static enum notify_route
notify_bell(struct notify *n)
{
	n->write(n->write_ud, "\a", 1);
	return NOTIFY_ROUTE_BELL;
}

/* The routes after the desktop: title (clean, taken) and body (untrusted)
 * by the terminal, or the bell alone where TERM cannot show them. */
static enum notify_route
notify_undesktop(struct notify *n, char *t, const char *body)
{
	char *b;

	if (!n->osc_ok) {
		free(t);
		return notify_bell(n);
	}
	b = notify_clean(body, NOTIFY_BODY_COLS, 1);
	notify_terminal(n, t, b);
	free(t);
	free(b);
	return NOTIFY_ROUTE_TERMINAL;
}

/* The queue's worker failed (on the loop now): the route is given up,
 * and what it did not show goes by the terminal, in order. */
static void
notify_desktop_failed(void *ud, const char *reason,
                      const struct notify_note *notes, size_t count)
{
	struct notify *n = ud;
	size_t i;

	notify_give_up(n, reason);
	for (i = 0; i < count; i++)
		notify_undesktop(n, xstrdup(notes[i].title), notes[i].body);
	if (n->news != NULL)
		n->news(n->news_ud, NULL);
}

void
notify_on_news(struct notify *n, void (*cb)(void *ud, const char *notice),
               void *ud)
{
	n->news = cb;
	n->news_ud = ud;
}

enum notify_route
notify_send(struct notify *n, const char *title, const char *body,
            enum notify_urgency u)
{
	char *t, *b;
	bool sent;

	if (n->mode == NOTIFY_OFF)
		return NOTIFY_ROUTE_NONE;
	if (n->mode == NOTIFY_BELL)
		return notify_bell(n);
	if ((unsigned)u > NOTIFY_URGENT)
		u = NOTIFY_URGENT;
	if (!n->show_text)
		body = NULL;
	t = notify_clean(title != NULL && title[0] != '\0' ? title : NOTIFY_APP,
	                 NOTIFY_TITLE_COLS, 1);
	if (n->desktop_ok) {
		b = notify_clean(body, NOTIFY_BODY_COLS, NOTIFY_BODY_LINES);
		sent = notify_desktop(n, t, b, u);
		free(b);
		if (sent) {
			free(t);
			return NOTIFY_ROUTE_DESKTOP;
		}
	}
	return notify_undesktop(n, t, body);
}
