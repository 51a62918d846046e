/* `:checkhealth`: what the client found about its surroundings. */
#include "tui/health.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "net/client/api.h"
#include "net/base/loop.h"
#include "net/base/paths.h"
#include "net/base/xmalloc.h"
#include "net/store/me_store.h"
#include "net/store/store.h"
#include "tui/app.h"
#include "tui/clipboard.h"
#include "tui/cmd/cmd.h"
#include "tui/frame.h"
#include "tui/notify.h"
#include "tui/overlay.h"
#include "tui/term.h"
#include "tui/tmux_option.h"

/* How long tmux has to answer (the loop runs on meanwhile). */
#define HEALTH_TMUX_MS 5000
/* The longest a D-Bus socket may take to accept. */
#define HEALTH_DBUS_MS 100
/* Where the advice under a WARN or ERROR starts. */
#define HEALTH_INDENT "           "

/* The constant text the test copy puts on the clipboard, in base64. */
#define HEALTH_COPY_TEXT "sitecare checkhealth"
#define HEALTH_COPY_B64  "c2l0ZWNhcmUgY2hlY2toZWFsdGg="
#define HEALTH_NOTE_TEXT "sitecare checkhealth test notification"

enum health_level { HEALTH_OK, HEALTH_WARN, HEALTH_ERROR };

/*
 * The overlay's state. The findings that cannot change while it is open
 * (environment, tmux, D-Bus, files) are read once; the page is rebuilt
 * from them whenever the service answers or a test is sent.
 */
struct health {
	struct app *app;
	const struct cmd_ctx *ctx;
	struct overlay_text text;
	struct api_req *me_req; /* GET /me in flight, or NULL */
	enum health_level service_level;
	char *service;        /* the answer's finding; NULL while waiting */
	char *service_advice; /* or NULL */
	bool in_tmux;
	struct health_probe *probes; /* tmux: PROBE_* below */
	char *tested;                /* the last test sent, or NULL */
	bool notify_tested;          /* ...which was a notification */
	char *route;                 /* the notification route shown */
	struct notify *notify; /* the overlay's own, when the app has none */
	int cols, rows;        /* the size the page was built for */
};

/* One finding: "OK     what", and under WARN/ERROR what to do. */
static void health_report(struct health *h, enum health_level level,
                          const char *advice, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
health_report(struct health *h, enum health_level level, const char *advice,
              const char *fmt, ...)
{
	static const char *const words[] = { "OK", "WARN", "ERROR" };
	static const enum theme_item items[] = { THEME_OK, THEME_WARN,
		                                 THEME_ERROR };
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	overlay_text_add(&h->text, items[level], "  %-6s %s", words[level],
	                 what);
	if (level != HEALTH_OK && advice != NULL)
		overlay_text_add(&h->text, THEME_NORMAL, HEALTH_INDENT "%s",
		                 advice);
}

/* A section heading, after a blank line. */
static void
health_section(struct health *h, const char *name)
{
	if (h->text.n > 0)
		overlay_text_add(&h->text, THEME_NORMAL, "%s", "");
	overlay_text_add(&h->text, THEME_TITLE, "%s", name);
}

/* An environment variable, or NULL when unset or empty. */
static const char *
health_env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

/* Terminal: type, colours, UTF-8, size. */
static void
health_terminal(struct health *h)
{
	const char *term = health_env("TERM");
	int cols = h->app->cols, rows = h->app->rows;

	health_section(h, "Terminal");
	if (term == NULL || strcmp(term, "dumb") == 0)
		health_report(h, HEALTH_WARN,
		              "set TERM to your terminal's type, e.g. "
		              "xterm-256color",
		              "TERM is %s", term != NULL ? term : "not set");
	else
		health_report(h, HEALTH_OK, NULL, "TERM is %s", term);
	if (health_env("NO_COLOR") != NULL)
		health_report(
		    h, HEALTH_OK, NULL,
		    "NO_COLOR is set: colours are off, the monochrome "
		    "theme is used");
	else if (has_colors())
		health_report(h, HEALTH_OK, NULL,
		              "%d colours (COLORS), %d pairs", COLORS,
		              COLOR_PAIRS);
	else
		health_report(h, HEALTH_WARN,
		              "the monochrome theme is used; if your terminal "
		              "has colours, set TERM to a type that says so",
		              "the terminal reports no colours");
	if (term_utf8())
		health_report(h, HEALTH_OK, NULL, "UTF-8 locale (charset %s)",
		              nl_langinfo(CODESET));
	else
		health_report(h, HEALTH_WARN,
		              "set LANG (or LC_ALL) to a UTF-8 locale such as "
		              "C.UTF-8; until then non-ASCII shows as ?",
		              "the locale's charset is %s, not UTF-8",
		              nl_langinfo(CODESET));
	if (h->app->term_focus_seen)
		health_report(h, HEALTH_OK, NULL,
		              "focus reports arrive: looking elsewhere is "
		              "noticed");
	else
		health_report(h, HEALTH_OK, NULL,
		              "no focus report yet (one comes when you switch "
		              "away, if the terminal sends them)");
	if (cols < FRAME_MIN_COLS || rows < FRAME_MIN_ROWS)
		health_report(h, HEALTH_ERROR, "enlarge the window",
		              "size %dx%d is below the minimum %dx%d", cols,
		              rows, FRAME_MIN_COLS, FRAME_MIN_ROWS);
	else if (cols < 80 || rows < 24)
		health_report(h, HEALTH_WARN,
		              "enlarge the window to at least 80x24 to see "
		              "every column",
		              "size %dx%d is below 80x24", cols, rows);
	else
		health_report(h, HEALTH_OK, NULL, "size %dx%d", cols, rows);
}

/* One of tmux's settings, asked through a job so the loop runs on. */
enum { PROBE_CLIPBOARD, PROBE_PASSTHROUGH, PROBE_FOCUS, PROBES };

struct health_probe {
	struct health *h;
	struct tmux_option *q; /* while asking */
	char *value;           /* the answer, "unknown", or NULL while asking */
};

static void health_rebuild(struct health *h);

/* True when every probe has its value. */
static bool
health_probes_done(const struct health *h)
{
	int i;

	for (i = 0; i < PROBES; i++)
		if (h->probes[i].value == NULL)
			return false;
	return true;
}

/* tmux has answered a probe (NULL: no answer in time, or a failure). */
static void
health_on_probe(const char *value, void *ud)
{
	struct health_probe *p = ud;
	struct health *h = p->h;

	tmux_option_free(p->q);
	p->q = NULL;
	p->value = xstrdup(value != NULL ? value : "unknown");
	if (!health_probes_done(h))
		return;
	health_rebuild(h);
	app_redraw(h->app);
}

/* Asks tmux for its settings at once, without waiting here. */
static void
health_tmux_probe(struct health *h)
{
	static const char *const options[PROBES] = {
		[PROBE_CLIPBOARD] = "set-clipboard",
		[PROBE_PASSTHROUGH] = "allow-passthrough",
		[PROBE_FOCUS] = "focus-events",
	};
	int i;

	if (!health_probes_done(h))
		return; /* still asking */
	for (i = 0; i < PROBES; i++) {
		struct health_probe *p = &h->probes[i];

		free(p->value);
		p->value = NULL;
		p->q = tmux_option_ask(h->app->loop, options[i], HEALTH_TMUX_MS,
		                       health_on_probe, p);
		if (p->q == NULL)
			p->value = xstrdup("unknown");
	}
}

/* What tmux's set-clipboard value means for sitecare's copies. */
static void
health_tmux_clipboard(struct health *h)
{
	const char *v = h->probes[PROBE_CLIPBOARD].value;

	if (strcmp(v, "on") == 0)
		health_report(
		    h, HEALTH_WARN,
		    "sitecare deletes a copied password's paste "
		    "buffer when it overwrites the copy; other copies "
		    "stay (tmux list-buffers)",
		    "set-clipboard on: OSC 52 copies reach the "
		    "clipboard, and tmux keeps a copy as a paste "
		    "buffer");
	else if (strcmp(v, "unknown") == 0)
		health_report(h, HEALTH_WARN,
		              "run `tmux show -gv set-clipboard` yourself",
		              "set-clipboard unknown (tmux gave no answer "
		              "within %d ms)",
		              HEALTH_TMUX_MS);
	else
		health_report(
		    h, HEALTH_WARN,
		    "`set -g set-clipboard on` lets copies through "
		    "(tmux then keeps a copy as a paste buffer, "
		    "deleted with the copy), or use allow-passthrough",
		    "set-clipboard %s: tmux drops sitecare's OSC 52 "
		    "copies; without allow-passthrough `y` refuses "
		    "to copy",
		    v);
}

/* tmux: inside it? then its clipboard and passthrough settings. */
static void
health_tmux(struct health *h)
{
	const char *v = h->probes[PROBE_PASSTHROUGH].value;

	health_section(h, "tmux");
	if (!h->in_tmux) {
		health_report(h, HEALTH_OK, NULL,
		              "not inside tmux (TMUX unset)");
		return;
	}
	health_report(h, HEALTH_OK, NULL, "inside tmux (TMUX is set)");
	if (!health_probes_done(h)) {
		overlay_text_add(
		    &h->text, THEME_DIM, "%s",
		    "  ...    asking tmux (show -gv set-clipboard, "
		    "allow-passthrough, focus-events)");
		return;
	}
	health_tmux_clipboard(h);
	if (strcmp(v, "on") == 0 || strcmp(v, "all") == 0)
		health_report(h, HEALTH_OK, NULL,
		              "allow-passthrough %s: OSC 9/777 notifications "
		              "reach the terminal",
		              v);
	else
		health_report(h, HEALTH_WARN,
		              "`set -g allow-passthrough on` is needed for OSC "
		              "9/777 notifications through tmux",
		              "allow-passthrough %s", v);
	v = h->probes[PROBE_FOCUS].value;
	if (strcmp(v, "on") == 0)
		health_report(h, HEALTH_OK, NULL,
		              "focus-events on: a conversation open in a pane "
		              "you are not looking at still notifies");
	else
		health_report(h, HEALTH_WARN,
		              "`set -g focus-events on` tells sitecare when "
		              "you look at another pane or window",
		              "focus-events %s: the open conversation counts "
		              "as seen even when you look elsewhere",
		              v);
}

/* Connects to a unix socket within HEALTH_DBUS_MS; 0 or an errno. */
static int
health_connect(const char *name, bool abstract)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t len = strlen(name), off = abstract ? 1 : 0;
	socklen_t elen = sizeof(int);
	int fd, e = 0;

	if (len + off >= sizeof sa.sun_path)
		return ENAMETOOLONG;
	memcpy(sa.sun_path + off, name, len);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	if (connect(fd, (struct sockaddr *)&sa,
	            (socklen_t)(offsetof(struct sockaddr_un, sun_path) + off +
	                        len + (abstract ? 0 : 1))) != 0) {
		e = errno;
		if (e == EINPROGRESS || e == EAGAIN) {
			e = loop_wait_fd(fd, POLLOUT, HEALTH_DBUS_MS) > 0
			        ? 0
			        : ETIMEDOUT;
			if (e == 0)
				getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &elen);
		}
	}
	close(fd);
	return e;
}

/* The value of key= in the first address of a D-Bus address list. */
static char *
health_dbus_value(const char *addr, const char *key)
{
	size_t klen = strlen(key), end = strcspn(addr, ";");
	const char *p = strchr(addr, ':');

	while (p != NULL && (size_t)(p - addr) < end) {
		p++;
		if (strncmp(p, key, klen) == 0 && p[klen] == '=')
			return xstrndup(p + klen + 1,
			                strcspn(p + klen + 1, ",;"));
		p = strchr(p, ',');
	}
	return NULL;
}

/* D-Bus: is the session bus there and does it accept a connection? */
static void
health_dbus(struct health *h)
{
	const char *addr = health_env("DBUS_SESSION_BUS_ADDRESS");
	char *path, *abs = NULL;
	int e;

	health_section(h, "D-Bus");
	if (addr == NULL) {
		health_report(
		    h, HEALTH_WARN,
		    "desktop notifications need the session bus; over "
		    "SSH the terminal's own notifications are used",
		    "DBUS_SESSION_BUS_ADDRESS is not set");
		return;
	}
	path = strncmp(addr, "unix:", 5) == 0 ? health_dbus_value(addr, "path")
	                                      : NULL;
	if (path == NULL && strncmp(addr, "unix:", 5) == 0)
		abs = health_dbus_value(addr, "abstract");
	if (path == NULL && abs == NULL) {
		health_report(
		    h, HEALTH_WARN,
		    "only unix:path= and unix:abstract= addresses are "
		    "checked",
		    "session bus at %s: not checked", addr);
		return;
	}
	e = health_connect(path != NULL ? path : abs, path == NULL);
	if (e == 0)
		health_report(h, HEALTH_OK, NULL,
		              "session bus %s accepts connections (desktop "
		              "notifications can work)",
		              path != NULL ? path : abs);
	else
		health_report(
		    h, HEALTH_ERROR,
		    "the bus is gone or the address is stale: desktop "
		    "notifications will fail; start a new session",
		    "cannot connect to the session bus %s: %s",
		    path != NULL ? path : abs, strerror(e));
	free(path);
	free(abs);
}

/* Clipboard: OSC 52 always; local tools when a display is there. */
static void
health_clipboard(struct health *h)
{
	bool ssh = health_env("SSH_TTY") != NULL ||
	           health_env("SSH_CONNECTION") != NULL;
	bool wayland = health_env("WAYLAND_DISPLAY") != NULL;
	bool x11 = health_env("DISPLAY") != NULL;
	int tools = 0;

	health_section(h, "Clipboard");
	if (ssh)
		health_report(h, HEALTH_OK, NULL,
		              "over SSH (SSH_TTY/SSH_CONNECTION set): OSC 52 "
		              "is the route to your local clipboard");
	else
		health_report(h, HEALTH_OK, NULL,
		              "OSC 52 (the terminal's clipboard escape) is "
		              "always possible; press c below to test it");
	if (wayland && clipboard_on_path("wl-copy") && ++tools)
		health_report(h, HEALTH_OK, NULL,
		              "wl-copy found (WAYLAND_DISPLAY set)");
	if (x11 && clipboard_on_path("xclip") && ++tools)
		health_report(h, HEALTH_OK, NULL, "xclip found (DISPLAY set)");
	if (x11 && clipboard_on_path("xsel") && ++tools)
		health_report(h, HEALTH_OK, NULL, "xsel found (DISPLAY set)");
	if (tools == 0 && !ssh)
		health_report(h, HEALTH_WARN,
		              "OSC 52 is the only route: the terminal must "
		              "allow it (and tmux pass it)",
		              "no local clipboard tool (wl-copy with "
		              "WAYLAND_DISPLAY, xclip/xsel with DISPLAY)");
}

/* Service: the URL, then what GET /me said (or that it is pending). */
static void
health_service(struct health *h)
{
	const char *url = api_url(h->app->api);
	const char *ca = h->ctx != NULL ? h->ctx->ca_file : NULL;

	health_section(h, "Service");
	if (url != NULL && strncmp(url, "https://", 8) == 0)
		health_report(h, HEALTH_OK, NULL, "%s (https)", url);
	else
		health_report(h, HEALTH_ERROR, "give an https:// URL (--url)",
		              "%s is not https", url != NULL ? url : "no URL");
	health_report(h, HEALTH_OK, NULL, "certificates checked against %s%s",
	              ca != NULL ? "the CA file " : "the system's CA store",
	              ca != NULL ? ca : "");
	if (h->service == NULL)
		overlay_text_add(&h->text, THEME_DIM,
		                 "  ...    asking the service (GET /me)");
	else
		health_report(h, h->service_level, h->service_advice, "%s",
		              h->service);
}

/* Session: who, role, permissions, read-only. */
static void
health_session(struct health *h)
{
	const struct app *app = h->app;
	char perms[512] = "";
	const char *who, *role;
	unsigned bit;

	health_section(h, "Session");
	if (!app->signed_in) {
		health_report(h, HEALTH_WARN, "sign in", "not signed in");
		return;
	}
	who = me_store_name(app->store->me);
	role = me_store_role(app->store->me);
	health_report(h, HEALTH_OK, NULL, "signed in as %s (%s)",
	              who != NULL ? who : "?", role != NULL ? role : "?");
	for (bit = 1; bit != 0; bit <<= 1) {
		const char *name = permission_name(bit);

		if ((app->permissions & bit) && name != NULL)
			snprintf(perms + strlen(perms),
			         sizeof perms - strlen(perms), "%s%s",
			         perms[0] ? ", " : "", name);
	}
	health_report(h, HEALTH_OK, NULL, "permissions: %s",
	              perms[0] ? perms : "none");
	health_report(h, HEALTH_OK, NULL, "--readonly %s",
	              app->readonly ? "on: actions that change data are off"
	                            : "off");
}

/* One file: its path and whether it exists. */
static void
health_file(struct health *h, const char *what, const char *path)
{
	struct stat st;

	if (path == NULL)
		health_report(h, HEALTH_WARN,
		              "check $XDG_CONFIG_HOME and $HOME", "%s: no path",
		              what);
	else if (stat(path, &st) == 0)
		health_report(h, HEALTH_OK, NULL, "%s %s", what, path);
	else
		health_report(h, HEALTH_OK, NULL, "%s %s (not there: defaults)",
		              what, path);
}

/* Config: the two files and the config file's errors. */
static void
health_config(struct health *h)
{
	struct sc_error err = { 0 };
	char *dir = paths_dir(PATHS_CONFIG, NULL, &err);
	char *keys = dir != NULL ? xasprintf("%s/keys", dir) : NULL;
	size_t i;

	health_section(h, "Config");
	health_file(h, "config file", h->ctx ? h->ctx->config_path : NULL);
	for (i = 0; h->ctx != NULL && i < h->ctx->cfg.nerrors; i++) {
		const struct config_error *e = &h->ctx->cfg.errors[i];

		health_report(h, HEALTH_ERROR,
		              "fix that line; the rest of the file applied",
		              "%s:%d: %s", e->file, e->line, e->message);
	}
	health_file(h, "keys file", keys);
	overlay_text_add(&h->text, THEME_NORMAL,
	                 HEALTH_INDENT "errors in the keys file are shown "
	                               "in the status line at start-up");
	free(keys);
	free(dir);
	sc_error_clear(&err);
}

/* The overlay's own notifier learnt something after a send: redraw,
 * which rebuilds the page if the route changed. */
static void
health_notify_news(void *ud, const char *notice)
{
	struct health *h = ud;

	(void)notice; /* the page says what was sent, and by which route */
	app_redraw(h->app);
}

/*
 * The notifier the test goes through: the application's, or else one of
 * the overlay's own made from the config's `notifications`.
 */
static struct notify *
health_notifier(struct health *h)
{
	static const enum notify_mode modes[] = {
		[CONFIG_NOTIFY_OFF] = NOTIFY_OFF,
		[CONFIG_NOTIFY_BELL] = NOTIFY_BELL,
		[CONFIG_NOTIFY_TERMINAL] = NOTIFY_TERMINAL,
		[CONFIG_NOTIFY_DESKTOP] = NOTIFY_DESKTOP,
	};

	if (h->app->notify != NULL)
		return h->app->notify;
	if (h->notify == NULL) {
		h->notify =
		    notify_new(h->app->loop,
		               h->ctx != NULL ? modes[h->ctx->cfg.notifications]
		                              : NOTIFY_BELL,
		               true);
		notify_on_news(h->notify, health_notify_news, h);
	}
	return h->notify;
}

/* The test keys, and what was last sent. */
static void
health_tests(struct health *h)
{
	health_section(h, "Tests");
	const char *route = notify_describe(health_notifier(h));

	free(h->route);
	h->route = xstrdup(route);
	overlay_text_add(&h->text, THEME_NORMAL,
	                 "  c: copy \"%s\" by OSC 52   n: send a test "
	                 "notification (%s)",
	                 HEALTH_COPY_TEXT, route);
	overlay_text_add(&h->text, THEME_NORMAL, "%s",
	                 "  The terminal may or may not show them: check your "
	                 "clipboard and notifications yourself.");
	if (h->notify_tested)
		overlay_text_add(
		    &h->text, THEME_OK,
		    "  sent a test notification by %s: look for it", route);
	else if (h->tested != NULL)
		overlay_text_add(&h->text, THEME_OK, "  %s", h->tested);
}

/* Builds the page from the findings held. */
static void
health_rebuild(struct health *h)
{
	h->cols = h->app->cols;
	h->rows = h->app->rows;
	overlay_text_clear(&h->text);
	overlay_text_title(&h->text,
	                   "Checkhealth (Escape closes; c, n test; F5 "
	                   "checks again)");
	health_terminal(h);
	health_tmux(h);
	health_dbus(h);
	health_clipboard(h);
	health_service(h);
	health_session(h);
	health_config(h);
	health_tests(h);
}

/* GET /me answered: the service's finding. */
static void
health_on_me(struct me *me, const struct sc_error *err, void *ud)
{
	struct health *h = ud;

	h->me_req = NULL;
	if (err->kind == SC_OK) {
		h->service_level = HEALTH_OK;
		h->service =
		    xasprintf("reachable, certificate trusted, "
		              "signed in as %s <%s> (%s)",
		              me->name, me->email, staff_role_name(me->role));
	} else if (err->kind == SC_ERR_TLS) {
		h->service_level = HEALTH_ERROR;
		h->service =
		    xasprintf("certificate not trusted: %s", err->message);
		h->service_advice = xstrdup("check --ca-file (or ca-file in "
		                            "the config) and --pin");
	} else {
		h->service_level = err->kind == SC_ERR_NOT_SIGNED_IN ||
		                           err->kind == SC_ERR_SESSION_EXPIRED
		                       ? HEALTH_WARN
		                       : HEALTH_ERROR;
		h->service = xasprintf("%s: %s", sc_error_kind_name(err->kind),
		                       err->message);
		h->service_advice = xstrdup(
		    err->kind == SC_ERR_NETWORK
		        ? "check the URL, the network and that the service runs"
		        : "sign in again, or see the message above");
	}
	me_free(me);
	health_rebuild(h);
	app_redraw(h->app);
}

/* Runs the checks that ask something: tmux's settings and GET /me. */
static void
health_recheck(struct health *h)
{
	h->in_tmux = health_env("TMUX") != NULL;
	if (h->in_tmux)
		health_tmux_probe(h);
	if (h->app->api != NULL && h->me_req == NULL) {
		free(h->service);
		free(h->service_advice);
		h->service = h->service_advice = NULL;
		h->me_req = api_me(h->app->api, health_on_me, h);
	}
	health_rebuild(h);
}

void *
health_new(struct app *app, const struct cmd_ctx *ctx)
{
	struct health *h = xcalloc(1, sizeof *h);
	int i;

	h->app = app;
	h->ctx = ctx;
	h->probes = xcalloc(PROBES, sizeof *h->probes);
	for (i = 0; i < PROBES; i++) {
		h->probes[i].h = h;
		h->probes[i].value = xstrdup("unknown"); /* until asked */
	}
	health_recheck(h);
	return h;
}

/* Writes all of s to the terminal, between curses' refreshes. */
static void
health_write(const char *s)
{
	size_t len = strlen(s);
	ssize_t r;

	while (len > 0) {
		r = write(STDOUT_FILENO, s, len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return;
		s += r;
		len -= (size_t)r;
	}
}

/* The test OSC 52 copy: plain (tmux's set-clipboard takes it) and, in
 * tmux, also through passthrough (allow-passthrough takes it). */
static void
health_test_copy(struct health *h)
{
	static const char osc52[] = "\033]52;c;" HEALTH_COPY_B64 "\a";
	static const char dcs52[] =
	    "\033Ptmux;\033\033]52;c;" HEALTH_COPY_B64 "\a\033\\";

	health_write(osc52);
	if (h->in_tmux)
		health_write(dcs52);
	free(h->tested);
	h->notify_tested = false;
	h->tested =
	    xasprintf("sent an OSC 52 copy of \"%s\"%s: paste to "
	              "check",
	              HEALTH_COPY_TEXT,
	              h->in_tmux ? " (plain and by tmux passthrough)" : "");
}

/* The test notification, by the route the config chose. */
static void
health_test_notify(struct health *h)
{
	struct notify *n = health_notifier(h);
	enum notify_route r =
	    notify_send(n, "sitecare", HEALTH_NOTE_TEXT, NOTIFY_NORMAL);

	free(h->tested);
	h->tested = NULL;
	/* The words come from the route at each rebuild: a desktop failure
	 * reported later (the notification then goes by the terminal) shows. */
	h->notify_tested = r != NOTIFY_ROUTE_NONE;
	if (r == NOTIFY_ROUTE_NONE)
		h->tested = xstrdup("notifications are off (notifications = "
		                    "off in the config): nothing sent");
}

enum view_result
health_key(void *state, key_code key)
{
	struct health *h = state;

	if (key == 'c')
		health_test_copy(h);
	else if (key == 'n')
		health_test_notify(h);
	else
		return VIEW_UNHANDLED;
	health_rebuild(h);
	return VIEW_REDRAW;
}

static void
health_free(void *state)
{
	struct health *h = state;
	int i;

	if (h->me_req != NULL)
		api_cancel(h->app->api, h->me_req);
	overlay_text_free(&h->text);
	free(h->service);
	free(h->service_advice);
	for (i = 0; i < PROBES; i++) {
		tmux_option_free(h->probes[i].q);
		free(h->probes[i].value);
	}
	free(h->probes);
	free(h->tested);
	free(h->route);
	notify_free(h->notify);
	free(h);
}

static void
health_draw(void *state, void *win, int rows, int cols)
{
	struct health *h = state;

	if (h->cols != h->app->cols || h->rows != h->app->rows ||
	    strcmp(h->route, notify_describe(health_notifier(h))) != 0)
		health_rebuild(h); /* the size or the notification route */
	overlay_text_draw(&h->text, win, rows, cols);
}

static enum view_result
health_action(void *state, enum action a, const char *args)
{
	struct health *h = state;

	if (a == ACTION_REFRESH) {
		health_recheck(h);
		return VIEW_REDRAW;
	}
	return overlay_text_scroll(&h->text, a);
}

/* The report scrolls with the detail keys. */
static enum key_context
health_context(void *state)
{
	return KEYCTX_DETAIL;
}

const struct view_ops health_ops = {
	.name = "Checkhealth",
	.title = "Checkhealth",
	.free = health_free,
	.draw = health_draw,
	.action = health_action,
	.key = health_key,
	.context = health_context,
};
