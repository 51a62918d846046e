/* Lays out and draws the frame around the panes. */
#include "tui/frame.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/base/hash.h"
#include "net/base/trace.h"
#include "net/base/xmalloc.h"
#include "net/store/me_store.h"
#include "net/store/store.h"
#include "tui/cmdline.h"
#include "tui/hints.h"
#include "tui/sanitize.h"
#include "tui/term.h"
#include "tui/theme.h"

static const char spinner_frames[] = "|/-\\";

/* The windows no longer hold what was drawn: the next frame draws all. */
static void
frame_forget(struct app *app)
{
	app->pane_drawn = -1;
	memset(app->pane_held, 0, sizeof app->pane_held);
	app->hints_drawn[0] = '\0';
	app->tabs_drawn = app->status_drawn = 0;
}

bool
frame_too_small(const struct app *app)
{
	return app->cols < FRAME_MIN_COLS || app->rows < FRAME_MIN_ROWS;
}

void
frame_free(struct app *app)
{
	int i;

	if (app->tabwin != NULL)
		delwin(app->tabwin);
	for (i = 0; i < PANE_COUNT; i++)
		if (app->panewins[i] != NULL)
			delwin(app->panewins[i]);
	memset(app->panewins, 0, sizeof app->panewins);
	if (app->statuswin != NULL)
		delwin(app->statuswin);
	if (app->hintwin != NULL)
		delwin(app->hintwin);
	app->tabwin = app->panewin = app->statuswin = app->hintwin = NULL;
}

void *
frame_pane_window(struct app *app)
{
	void **w = &app->panewins[app->current];

	if (*w == NULL && app->tabwin != NULL)
		*w = newwin(frame_pane_rows(app), app->cols, 1, 0);
	app->panewin = *w;
	return *w;
}

/*
 * The pane being left, drawn once more into its own window, after it was
 * told it lost focus: what it hid then (a revealed credential) is masked
 * in its window too, rather than kept in curses' copy of the pane, in
 * this process's memory, until the pane is shown again. Nothing reaches
 * the terminal: the window is not refreshed.
 */
void
frame_draw_left(struct app *app)
{
	struct pane *p = &app->panes[app->current];
	WINDOW *w = app->panewins[app->current];

	if (w == NULL || !app->pane_held[app->current] || p->state == NULL ||
	    app->overlay.state != NULL)
		return;
	app->pane_kept = true;
	p->ops->draw(p->state, w, frame_pane_rows(app), app->cols);
}

int
frame_pane_rows(const struct app *app)
{
	return app->rows - 2 - (hints_shown(app) ? 1 : 0);
}

void
frame_layout(struct app *app)
{
	int i, rows;

	frame_free(app);
	getmaxyx(stdscr, app->rows, app->cols);
	if (!frame_too_small(app)) {
		rows = frame_pane_rows(app);
		app->tabwin = newwin(1, app->cols, 0, 0);
		frame_pane_window(app);
		if (hints_shown(app))
			app->hintwin = newwin(1, app->cols, rows + 1, 0);
		app->statuswin = newwin(1, app->cols, app->rows - 1, 0);
		for (i = 0; i < PANE_COUNT; i++) {
			struct pane *p = &app->panes[i];

			if (p->state != NULL && p->ops->resize != NULL)
				p->ops->resize(p->state, rows, app->cols);
		}
	}
	frame_forget(app);
	app->dirty = true;
}

/* The label of pane i's tab: "1 Tasks" or "2 Chat (3)". */
static void
tab_label(const struct app *app, int i, char *buf, size_t len)
{
	const struct pane *p = &app->panes[i];

	if (i == PANE_CHAT && app->unread > 0)
		snprintf(buf, len, " %d %s (%d%s) ", i + 1, p->ops->title,
		         app->unread, app->unread_more ? "+" : "");
	else
		snprintf(buf, len, " %d %s ", i + 1, p->ops->title);
}

int
frame_tab_at(const struct app *app, int x)
{
	char label[64];
	int i, col = 0, w;

	for (i = 0; i < PANE_COUNT; i++) {
		if (!app->panes[i].visible)
			continue;
		tab_label(app, i, label, sizeof label);
		w = (int)strlen(label);
		if (x >= col && x < col + w)
			return i;
		col += w + 1;
	}
	return -1;
}

enum pane_id
frame_tab_next(const struct app *app, int dir)
{
	int i, p = (int)app->current;

	for (i = 0; i < PANE_COUNT; i++) {
		p = (p + dir + PANE_COUNT) % PANE_COUNT;
		if (app->panes[p].visible)
			return (enum pane_id)p;
	}
	return app->current;
}

/* The tab bar: visible panes only, the current one highlighted. */
static void
draw_tabs(struct app *app)
{
	WINDOW *w = app->tabwin;
	char label[64];
	int i;
	uint64_t h = hash_bytes(HASH_INIT, &app->current, sizeof app->current);

	for (i = 0; i < PANE_COUNT; i++) {
		tab_label(app, i, label, sizeof label);
		h = hash_str(h, app->panes[i].visible ? label : NULL);
	}
	h = hash_bytes(h, &app->readonly, sizeof app->readonly);
	if (h == app->tabs_drawn)
		return; /* the window holds it already */
	app->tabs_drawn = h;
	werase(w);
	wmove(w, 0, 0);
	for (i = 0; i < PANE_COUNT; i++) {
		if (!app->panes[i].visible)
			continue;
		tab_label(app, i, label, sizeof label);
		wattrset(w, (attr_t)theme_attr(i == (int)app->current
		                                   ? THEME_TAB_ACTIVE
		                                   : THEME_TAB));
		waddnstr(w, label, getmaxx(w) - getcurx(w));
		wattrset(w, A_NORMAL);
		waddch(w, ' ');
	}
	if (app->readonly) {
		const char *ro = "[read-only]";

		wattrset(w, (attr_t)theme_attr(THEME_WARN));
		mvwaddstr(w, 0, app->cols - (int)strlen(ro) - 1, ro);
	}
	wattrset(w, A_NORMAL);
}

/* The connection state's words, with a spinner while reconnecting. */
static void
conn_text(const struct app *app, char *buf, size_t len)
{
	switch (app->conn) {
	case CONN_ONLINE:
		snprintf(buf, len, "online");
		break;
	case CONN_CONNECTING:
	case CONN_RECONNECTING:
		snprintf(buf, len, "%s %c",
		         app->conn == CONN_CONNECTING ? "connecting"
		                                      : "reconnecting",
		         spinner_frames[app->spinner % 4]);
		break;
	default:
		snprintf(buf, len, "offline");
	}
}

/* The counts after the connection: " | unread 3+ | 2 marked". */
static void
counts_text(const struct app *app, char *buf, size_t len)
{
	int used = 0;

	buf[0] = '\0';
	if (app->unread > 0)
		used = snprintf(buf, len, " | unread %d%s", app->unread,
		                app->unread_more ? "+" : "");
	if (app->marked > 0 && used >= 0 && (size_t)used < len)
		snprintf(buf + used, len - (size_t)used, " | %d marked",
		         app->marked);
}

/* What ends a message cut to the status line: the log has all of it. */
#define FRAME_CUT_MARK " (:messages)"

/*
 * Draws text (a logged message: a notice, or the key warning, noticed
 * when it came) at column x in at most width columns; when it is longer,
 * as much as fits and the mark saying where the rest is.
 */
static void
status_text(WINDOW *w, int x, int width, const char *text)
{
	unsigned flags = term_utf8() ? 0 : SANITIZE_ASCII;
	int mark = (int)strlen(FRAME_CUT_MARK);
	char *fit, *cut;

	if (sanitize_width(text) <= width || width < 2 * mark)
		fit = sanitize_fit(text, width, flags);
	else {
		cut = sanitize_fit(text, width - mark, flags);
		fit = xasprintf("%s%s", cut, FRAME_CUT_MARK);
		free(cut);
	}
	mvwaddstr(w, 0, x, fit);
	free(fit);
}

/* Who, role, connection and counts: " Ann (admin) | online ". */
static void
status_left(const struct app *app, char *buf, size_t len)
{
	char conn[32], counts[64];
	const char *name = me_store_name(app->store->me);
	const char *role = me_store_role(app->store->me);

	conn_text(app, conn, sizeof conn);
	counts_text(app, counts, sizeof counts);
	snprintf(buf, len, " %s (%s)%s | %s%s ",
	         name != NULL ? name : "not signed in",
	         role != NULL ? role : "-", app->readonly ? " read-only" : "",
	         conn, counts);
}

/*
 * Who, role, connection, counts, then the last notice or error. A notice
 * too long to go beside them has the whole line while it shows (vim's
 * message line), and what still does not fit is in :messages.
 */
static void
draw_status(struct app *app)
{
	WINDOW *w = app->statuswin;
	char left[256];
	int width = getmaxx(w), used = 0;
	char *fit;
	/* A replaced staff key stays said whenever nothing newer is. */
	const char *text =
	    app->message != NULL ? app->message : app->key_warning;
	bool error = app->message != NULL ? app->message_is_error : true;
	uint64_t h;

	status_left(app, left, sizeof left);
	h = hash_str(hash_str(HASH_INIT, left), text);
	h = hash_bytes(h, &error, sizeof error);
	if (h == app->status_drawn)
		return; /* the window holds it already */
	app->status_drawn = h;
	wbkgdset(w, (chtype)theme_attr(THEME_STATUS));
	werase(w);
	fit = sanitize_fit(left, width, term_utf8() ? 0 : SANITIZE_ASCII);
	if (app->message == NULL ||
	    sanitize_width(fit) + 1 + sanitize_width(text) <= width) {
		mvwaddstr(w, 0, 0, fit);
		used = sanitize_width(fit);
	}
	free(fit);
	if (text != NULL && used + 4 < width) {
		wattron(w,
		        (attr_t)theme_attr(error ? THEME_ERROR : THEME_STATUS));
		status_text(w, used + 1, width - used - 1, text);
	}
	wbkgdset(w, ' ');
	wattrset(w, A_NORMAL);
}

/* The hints of what has the focus: a text line, an overlay, the pane. */
static const struct hint *
focus_hints(const struct app *app, enum key_context *ctx)
{
	const struct pane *p = app->overlay.state != NULL
	                           ? &app->overlay
	                           : &app->panes[app->current];

	if (cmdline_active(app->cmdline)) {
		*ctx = KEYCTX_INPUT;
		return hints_for_context(*ctx);
	}
	*ctx = KEYCTX_GLOBAL;
	if (p->state == NULL)
		return hints_for_context(*ctx);
	if (p->ops->context != NULL)
		*ctx = p->ops->context(p->state);
	if ((unsigned)*ctx < KEYCTX_COUNT && p->ops->hints[*ctx] != NULL)
		return p->ops->hints[*ctx];
	return hints_for_context(*ctx);
}

void
frame_draw_hints(struct app *app, enum key_context ctx, const struct hint *h)
{
	WINDOW *w = app->hintwin;
	char text[512];

	if (w == NULL)
		return;
	/* The same entries in the same context at the same width: the same
	 * text, since the bindings do not change after start-up. */
	if (app->hints_drawn[0] != '\0' && app->hints_of == (const void *)h &&
	    app->hints_ctx == (int)ctx)
		return;
	app->hints_of = h;
	app->hints_ctx = (int)ctx;
	hints_format(app->bindings, ctx, h, app->cols - 1, text, sizeof text);
	if (strcmp(text, app->hints_drawn) == 0)
		return; /* the window holds it already */
	snprintf(app->hints_drawn, sizeof app->hints_drawn, "%s", text);
	werase(w);
	wattrset(w, (attr_t)theme_attr(THEME_DIM));
	mvwaddstr(w, 0, 1, text);
	wattrset(w, A_NORMAL);
	wnoutrefresh(w);
}

/* One line of text centred on row y, cut to the width. */
static void
centre_line(int y, const char *text, int cols)
{
	int len = (int)strlen(text);

	if (len > cols)
		len = cols;
	mvaddnstr(y, (cols - len) / 2, text, len);
}

/*
 * Below the minimum size: one clear line, centred; where that line does
 * not fit, the same in three short ones ("terminal too small", "30x8",
 * "need 40x10"; "too small" alone where even that is too wide), as many
 * as there are rows for.
 */
static void
draw_too_small(struct app *app)
{
	char size[32], need[32], one[96];
	const char *lines[3] = { "terminal too small", size, need };
	int i, y;

	erase();
	frame_forget(app);
	if ((int)strlen(lines[0]) > app->cols)
		lines[0] = "too small";
	snprintf(size, sizeof size, "%dx%d", app->cols, app->rows);
	snprintf(need, sizeof need, "need %dx%d", FRAME_MIN_COLS,
	         FRAME_MIN_ROWS);
	snprintf(one, sizeof one, "terminal too small (%s, %s)", size, need);
	if ((int)strlen(one) <= app->cols)
		centre_line(app->rows / 2, one, app->cols);
	else {
		y = app->rows > 3 ? (app->rows - 3) / 2 : 0;
		for (i = 0; i < 3 && y + i < app->rows; i++)
			centre_line(y + i, lines[i], app->cols);
	}
	wnoutrefresh(stdscr);
	doupdate();
}

void
frame_draw(struct app *app)
{
	struct pane *p = &app->panes[app->current];
	const struct hint *h;
	enum key_context ctx;
	WINDOW *w;

	if (!app->dirty)
		return;
	app->dirty = false;
	if (frame_too_small(app)) {
		draw_too_small(app);
		return;
	}
	/* Key reads (get_wch) refresh stdscr when it is touched, as it is
	 * after initscr: doing it here, under the windows, keeps the first
	 * key press from clearing the screen and repainting all of it. It
	 * covers what they hold, so they are all drawn again. */
	if (is_wintouched(stdscr)) {
		wnoutrefresh(stdscr);
		frame_forget(app);
	}
	draw_tabs(app);
	w = frame_pane_window(app);
	app->pane_kept = app->pane_held[app->current];
	if (!app->pane_kept)
		werase(w);
	/* The pane stays in view under a picker or a question. */
	if (p->state != NULL)
		p->ops->draw(p->state, w, frame_pane_rows(app), app->cols);
	app->pane_held[app->current] = true;
	/* Another pane's window is on the screen: all of this one goes
	 * there, drawn now or kept from the last time it was shown, onto a
	 * cleared screen (a diff of one whole pane against another wrote
	 * more than this pane's own repaint). */
	if (app->pane_drawn != (int)app->current) {
		touchwin(w);
		clearok(curscr, TRUE);
	}
	app->pane_drawn = (int)app->current;
	if (app->overlay.state != NULL) {
		app->overlay.ops->draw(app->overlay.state, w,
		                       frame_pane_rows(app), app->cols);
		app->pane_held[app->current] = false;
	}
	h = focus_hints(app, &ctx);
	frame_draw_hints(app, ctx, h);
	draw_status(app);
	/* The cursor is hidden but on the : line: wherever the frame's last
	 * cell left it is as good as the status line, and moving it there
	 * cost a cursor address on every frame. */
	leaveok(app->statuswin, !cmdline_active(app->cmdline));
	wnoutrefresh(app->tabwin);
	wnoutrefresh(w);
	wnoutrefresh(app->statuswin);
	doupdate();
	trace_event("frame");
}
