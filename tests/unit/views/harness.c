/* The pane test harness: see harness.h. */
#include "tests/unit/views/harness.h"

#include <curses.h>
#include <fcntl.h>
#include <ftw.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <wchar.h>

#include "net/base/loop.h"
#include "net/base/xmalloc.h"
#include "net/client/api.h"
#include "net/client/http.h"
#include "net/store/me_store.h"
#include "net/store/store.h"
#include "tui/cmdline.h"
#include "tui/command.h"
#include "tui/frame.h"
#include "tui/panes.h"
#include "tui/theme.h"

/* The fake clock starts here: far from 0, as a monotonic clock is. */
#define CLOCK_START_MS 1000000000LL
/* harness_advance runs the loop at least this often on its way. */
#define ADVANCE_STEP_MS 100
/* Nothing listens on port 1 of the loopback: a second fence. */
#define DEAD_URL "https://127.0.0.1:1"

/* What the wrapped transport keeps of one request. */
struct held {
	struct http *http;
	struct http_request *r;
	http_done_cb cb;
	void *ud;
};

struct harness {
	struct app app;
	char *dir; /* the temporary HOME */
	FILE *out, *in;
	SCREEN *screen;
	long long now;
	struct harness_request *reqs;
	char **rows; /* the last draw, UTF-8 */
	char *text;  /* ...joined */
	int nrows;
};

/* The harness the wrapped functions serve (they get no user data). */
static struct harness *the_harness;

/* The real functions behind -Wl,--wrap (see harness.h). */
struct http_request *__real_http_request_new(struct http *h, const char *method,
                                             const char *path);
void __real_http_request_body(struct http_request *r, const char *json);
void __real_http_request_body_take(struct http_request *r, char *data,
                                   size_t len,
                                   void (*release)(char *data, size_t len));
struct http_request *__real_http_request_send(struct http_request *r,
                                              http_done_cb cb, void *ud);
void __real_http_cancel(struct http *h, struct http_request *r);
long long __real_loop_now_ms(void);

struct http_request *__wrap_http_request_new(struct http *h, const char *method,
                                             const char *path);
void __wrap_http_request_body(struct http_request *r, const char *json);
void __wrap_http_request_body_take(struct http_request *r, char *data,
                                   size_t len,
                                   void (*release)(char *data, size_t len));
struct http_request *__wrap_http_request_send(struct http_request *r,
                                              http_done_cb cb, void *ud);
void __wrap_http_cancel(struct http *h, struct http_request *r);
long long __wrap_loop_now_ms(void);

/* ---- the wrapped transport ------------------------------------------- */

/* The record of transport request r, or NULL. */
static struct harness_request *
record_of(const struct http_request *r)
{
	struct harness_request *q;

	if (the_harness == NULL)
		return NULL;
	for (q = the_harness->reqs; q != NULL; q = q->next)
		if (((struct held *)q->priv)->r == r)
			return q;
	return NULL;
}

/* Takes q off the list and frees it (not its transport request). */
static void
record_drop(struct harness *h, struct harness_request *q)
{
	struct harness_request **p;

	for (p = &h->reqs; *p != NULL; p = &(*p)->next)
		if (*p == q) {
			*p = q->next;
			break;
		}
	free(q->method);
	free(q->path);
	free(q->body);
	free(q->priv);
	free(q);
}

struct http_request *
__wrap_http_request_new(struct http *h, const char *method, const char *path)
{
	struct http_request *r = __real_http_request_new(h, method, path);
	struct harness_request *q, **end;
	struct held *held;

	if (the_harness == NULL)
		return r;
	q = xcalloc(1, sizeof *q);
	held = xcalloc(1, sizeof *held);
	held->http = h;
	held->r = r;
	q->priv = held;
	q->method = xstrdup(method);
	q->path = xstrdup(path);
	for (end = &the_harness->reqs; *end != NULL; end = &(*end)->next)
		;
	*end = q;
	return r;
}

void
__wrap_http_request_body(struct http_request *r, const char *json)
{
	struct harness_request *q = record_of(r);

	if (q != NULL) {
		free(q->body);
		q->body = xstrdup(json);
	}
	__real_http_request_body(r, json);
}

void
__wrap_http_request_body_take(struct http_request *r, char *data, size_t len,
                              void (*release)(char *data, size_t len))
{
	struct harness_request *q = record_of(r);

	if (q != NULL) {
		free(q->body);
		/* A body with its own release is a password's. */
		q->body =
		    release != NULL ? xstrdup("(secret)") : xstrndup(data, len);
	}
	__real_http_request_body_take(r, data, len, release);
}

/* Queued in the transport as usual, which is never driven: it waits
 * there for harness_reply. */
struct http_request *
__wrap_http_request_send(struct http_request *r, http_done_cb cb, void *ud)
{
	struct harness_request *q = record_of(r);

	if (q != NULL) {
		((struct held *)q->priv)->cb = cb;
		((struct held *)q->priv)->ud = ud;
		q->sent = true;
	}
	return __real_http_request_send(r, cb, ud);
}

void
__wrap_http_cancel(struct http *h, struct http_request *r)
{
	struct harness_request *q = record_of(r);

	if (q != NULL)
		record_drop(the_harness, q);
	__real_http_cancel(h, r);
}

long long
__wrap_loop_now_ms(void)
{
	return the_harness != NULL ? the_harness->now : __real_loop_now_ms();
}

/* The loop's clock: the same fake one. */
static long long
fake_clock(void *ud)
{
	return ((struct harness *)ud)->now;
}

struct harness_request *
harness_requests(struct harness *h)
{
	return h->reqs;
}

size_t
harness_nrequests(struct harness *h)
{
	struct harness_request *q;
	size_t n = 0;

	for (q = h->reqs; q != NULL; q = q->next)
		n += q->sent;
	return n;
}

struct harness_request *
harness_request(struct harness *h, const char *method, const char *path)
{
	struct harness_request *q;

	for (q = h->reqs; q != NULL; q = q->next)
		if (q->sent && strcmp(q->method, method) == 0 &&
		    strncmp(q->path, path, strlen(path)) == 0)
			return q;
	return NULL;
}

/* Ends r with resp and err as the transport would, after freeing it. */
static void
finish(struct harness *h, struct harness_request *q, struct http_response *resp,
       const struct sc_error *err)
{
	struct held held = *(struct held *)q->priv;

	record_drop(h, q);
	__real_http_cancel(held.http, held.r);
	held.cb(resp, err, held.ud);
	free(resp->body);
	app_overlay_reap(&h->app);
}

void
harness_reply(struct harness *h, struct harness_request *r, int status,
              const char *body)
{
	struct http_response resp = { .status = status,
		                      .content_length = -1,
		                      .attempts = 1 };
	struct sc_error err = { 0 };

	if (body != NULL) {
		resp.body = xstrdup(body);
		resp.len = strlen(body);
	}
	if (status < 200 || (status >= 300 && status != 304))
		sc_error_from_http(&err, status, resp.body, resp.len);
	finish(h, r, &resp, &err);
	sc_error_clear(&err);
}

void
harness_fail(struct harness *h, struct harness_request *r,
             enum sc_error_kind kind, const char *message)
{
	struct http_response resp = { .content_length = -1, .attempts = 1 };
	struct sc_error err = { 0 };

	sc_error_set(&err, kind, "%s", message);
	finish(h, r, &resp, &err);
	sc_error_clear(&err);
}

/* ---- setting up ------------------------------------------------------ */

/* Writes text to path (made 0600). */
static void
write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	close(fd);
}

/* A session and a CSRF cookie for the dead URL, in the api's jar: the
 * api then thinks itself signed in and fetches no CSRF token. */
static struct api *
signed_in_api(const char *state_dir)
{
	static const char jar[] =
	    "#HttpOnly_127.0.0.1\tFALSE\t/\tTRUE\t4102444800\tsessionid\t"
	    "harness\n"
	    "127.0.0.1\tFALSE\t/\tTRUE\t4102444800\tcsrftoken\tharness\n";
	struct api_config cfg = { .url = DEAD_URL, .state_dir = state_dir };
	struct sc_error err = { 0 };
	struct api *a = api_new(&cfg, &err);

	if (a == NULL)
		abort();
	write_file(api_jar_path(a), jar);
	api_free(a); /* the jar is read when the api is made */
	a = api_new(&cfg, &err);
	if (a == NULL)
		abort();
	return a;
}

/* A private HOME with its XDG folders, as a fresh machine has. */
static char *
make_home(void)
{
	char *dir = xstrdup("/tmp/sitecare-harness-XXXXXX");
	char *sub;

	if (mkdtemp(dir) == NULL)
		abort();
	setenv("HOME", dir, 1);
	sub = xasprintf("%s/config", dir);
	setenv("XDG_CONFIG_HOME", sub, 1);
	free(sub);
	sub = xasprintf("%s/state", dir);
	setenv("XDG_STATE_HOME", sub, 1);
	free(sub);
	sub = xasprintf("%s/data", dir);
	setenv("XDG_DATA_HOME", sub, 1);
	free(sub);
	sub = xasprintf("%s/runtime", dir);
	setenv("XDG_RUNTIME_DIR", sub, 1);
	free(sub);
	setenv("INPUTRC", "/dev/null", 1);
	return dir;
}

/* Curses on /dev/null, rows x cols, laid out by the frame. */
static void
make_screen(struct harness *h, int rows, int cols)
{
	char buf[16];

	snprintf(buf, sizeof buf, "%d", rows);
	setenv("LINES", buf, 1);
	snprintf(buf, sizeof buf, "%d", cols);
	setenv("COLUMNS", buf, 1);
	setenv("TERM", "xterm-256color", 1);
	h->out = fopen("/dev/null", "w");
	h->in = fopen("/dev/null", "r");
	if (h->out == NULL || h->in == NULL)
		abort();
	h->screen = newterm("xterm-256color", h->out, h->in);
	if (h->screen == NULL)
		abort();
	theme_init(false);
	frame_layout(&h->app);
	h->nrows = rows;
	h->rows = xcalloc((size_t)rows, sizeof *h->rows);
}

/* The key bindings every member starts with. */
static struct bindings *
default_bindings(void)
{
	struct bindings_errors errs = { 0 };
	struct bindings *b = bindings_new();

	if (bindings_load_defaults(b, &errs) != 0 || errs.n > 0)
		abort();
	bindings_errors_free(&errs);
	return b;
}

/* A 401 to a request: the panes hear of it, and the app is signed out,
 * as tui/tui.c's on_session_expired does before it shows the form. */
static void
session_expired(void *ud)
{
	struct harness *h = ud;
	struct app_event ev = { .kind = APP_EV_SESSION_EXPIRED };

	harness_event(h, &ev);
	h->app.signed_in = false;
}

struct harness *
harness_new(int rows, int cols)
{
	struct harness *h = xcalloc(1, sizeof *h);
	int i;

	/* One at a time: one left behind by a failed test (cmocka jumps
	 * out of it) goes now, so that the next test starts clean. */
	harness_free(the_harness);
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		abort();
	h->dir = make_home();
	h->now = CLOCK_START_MS;
	the_harness = h;
	h->app.loop = loop_new();
	loop_set_clock(h->app.loop, fake_clock, h);
	h->app.store = store_new();
	h->app.api = signed_in_api(NULL);
	api_on_session_expired(h->app.api, session_expired, h);
	h->app.bindings = default_bindings();
	h->app.cmdline = cmdline_new(); /* before curses, as tui_setup */
	for (i = 0; i < PANE_COUNT; i++)
		h->app.panes[i].ops = panes_ops[i];
	make_screen(h, rows, cols);
	return h;
}

struct app *
harness_app(struct harness *h)
{
	return &h->app;
}

void
harness_sign_in(struct harness *h, long long me_id, const char *role,
                unsigned long permissions)
{
	struct app *app = &h->app;
	/* A key registered (any 32 bytes: no key file here to differ). */
	struct me me = { .id = me_id,
		         .public_key =
		             "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" };
	int i;

	me.name = xasprintf("Member %lld", me_id);
	me.email = xasprintf("member%lld@example.com", me_id);
	if (staff_role_from_name(role, &me.role) != 0)
		me.role = ROLE_SUPPORT;
	me_store_set(app->store->me, &me);
	free(me.name);
	free(me.email);
	app->permissions = permissions;
	app->signed_in = true;
	app->conn = CONN_ONLINE;
	for (i = 0; i < PANE_COUNT; i++) {
		const struct view_ops *ops = app->panes[i].ops;

		app->panes[i].visible =
		    ops != NULL &&
		    (ops->permission == 0 || (ops->permission & permissions));
	}
}

void *
harness_open(struct harness *h, enum pane_id pane)
{
	struct app *app = &h->app;
	struct pane *p = &app->panes[pane];
	struct pane *old = &app->panes[app->current];

	if (p->state == NULL) {
		p->state = p->ops->open(app);
		if (p->ops->resize != NULL)
			p->ops->resize(p->state, app->rows - 2, app->cols);
	}
	if (old != p && old->state != NULL && old->ops->focus != NULL)
		old->ops->focus(old->state, false);
	app->current = pane;
	if (p->ops->focus != NULL)
		p->ops->focus(p->state, true);
	app_overlay_reap(app);
	return p->state;
}

void
harness_open_all(struct harness *h)
{
	struct app *app = &h->app;
	struct app_event ev = { .kind = APP_EV_SIGNED_IN };
	struct pane *cur;
	int i;

	for (i = 0; i < PANE_COUNT; i++) {
		struct pane *p = &app->panes[i];

		if (!p->visible || p->state != NULL)
			continue;
		p->state = p->ops->open(app);
		if (p->ops->resize != NULL)
			p->ops->resize(p->state, app->rows - 2, app->cols);
	}
	harness_event(h, &ev);
	cur = &app->panes[app->current];
	if (cur->state != NULL && cur->ops->focus != NULL)
		cur->ops->focus(cur->state, true);
	app_overlay_reap(app);
}

void *
harness_pane(struct harness *h, enum pane_id pane)
{
	return h->app.panes[pane].state;
}

/* Frees what the app holds, as tui_teardown does. */
static void
app_clear(struct app *app)
{
	size_t i;

	app_overlay_close(app, NULL);
	app_overlay_reap(app);
	if (cmdline_active(app->cmdline))
		cmdline_close(app->cmdline);
	app_text_done(app, NULL, false);
	for (i = 0; i < PANE_COUNT; i++)
		if (app->panes[i].state != NULL)
			app->panes[i].ops->free(app->panes[i].state);
	api_free(app->api);
	store_free(app->store);
	loop_free(app->loop);
	cmdline_free(app->cmdline);
	bindings_free(app->bindings);
	for (i = 0; i < app->nattention; i++)
		free(app->attention[i].label);
	free(app->attention);
	free(app->message);
	free(app->key_warning);
}

/* nftw's callback: removes one entry of the temporary HOME. */
static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path);
}

void
harness_free(struct harness *h)
{
	int i;

	if (h == NULL)
		return;
	app_clear(&h->app);
	while (h->reqs != NULL) /* none should be left: the api cancels */
		record_drop(h, h->reqs);
	frame_free(&h->app);
	endwin();
	delscreen(h->screen);
	fclose(h->out);
	fclose(h->in);
	for (i = 0; i < h->nrows; i++)
		free(h->rows[i]);
	free(h->rows);
	free(h->text);
	nftw(h->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	free(h->dir);
	the_harness = NULL;
	free(h);
}

/* ---- the screen ------------------------------------------------------ */

/* A line-drawing character (A_ALTCHARSET) as the terminal shows it. */
static wchar_t
acs_char(wchar_t c)
{
	static const char from[] = "lmkjtuvwqxn";
	static const wchar_t to[] = L"\u250c\u2514\u2510\u2518\u251c\u2524"
	                            L"\u2534\u252c\u2500\u2502\u253c";
	const char *at = c > 0 && c < 128 ? strchr(from, (int)c) : NULL;

	return at != NULL ? to[at - from] : c;
}

/*
 * Row y of win as UTF-8, trailing blanks cut; malloc'd. A wide character
 * is read once (its second cell skipped), line drawing as the box
 * characters a terminal draws.
 */
static char *
read_row(WINDOW *win, int y)
{
	int cols = getmaxx(win), x, w, i;
	char *s = xcalloc((size_t)cols * CCHARW_MAX * MB_CUR_MAX + 1, 1);
	wchar_t wch[CCHARW_MAX + 1];
	cchar_t cell;
	attr_t attrs;
	short pair;
	mbstate_t st;
	size_t len = 0, n;

	memset(&st, 0, sizeof st);
	for (x = 0; x<cols; x += w> 1 ? w : 1) {
		w = 1;
		if (mvwin_wch(win, y, x, &cell) == ERR ||
		    getcchar(&cell, wch, &attrs, &pair, NULL) == ERR ||
		    wch[0] == L'\0') {
			wch[0] = L' ';
			wch[1] = L'\0';
		} else if (attrs & A_ALTCHARSET)
			wch[0] = acs_char(wch[0]);
		else
			w = wcwidth(wch[0]);
		for (i = 0; i < CCHARW_MAX && (i == 0 || wch[i] != L'\0');
		     i++) /* with its combining characters */
			if ((n = wcrtomb(s + len, wch[i], &st)) != (size_t)-1)
				len += n;
	}
	while (len > 0 && s[len - 1] == ' ')
		len--;
	s[len] = '\0';
	return s;
}

void
harness_draw(struct harness *h)
{
	struct app *app = &h->app;

	app_overlay_reap(app);
	app->dirty = true;
	frame_draw(app);
	if (cmdline_active(app->cmdline)) {
		werase(app->statuswin);
		cmdline_draw(app->cmdline, app->statuswin, app->cols);
	}
	harness_read(h);
}

void
harness_read(struct harness *h)
{
	struct app *app = &h->app;
	size_t len = 0;
	int y;

	for (y = 0; y < h->nrows; y++) {
		free(h->rows[y]);
		h->rows[y] = y == 0 ? read_row(app->tabwin, 0)
		             : y == h->nrows - 1
		                 ? read_row(app->statuswin, 0)
		                 : read_row(app->panewin, y - 1);
		len += strlen(h->rows[y]) + 1;
	}
	free(h->text);
	h->text = xcalloc(len + 1, 1);
	for (y = 0; y < h->nrows; y++) {
		strcat(h->text, h->rows[y]);
		strcat(h->text, "\n");
	}
}

bool
harness_cell(struct harness *h, int y, int x, unsigned long *attrs, short *pair)
{
	struct app *app = &h->app;
	WINDOW *win = y == 0              ? app->tabwin
	              : y == h->nrows - 1 ? app->statuswin
	                                  : app->panewin;
	wchar_t wch[CCHARW_MAX + 1];
	cchar_t cell;
	attr_t a;

	if (y < 0 || y >= h->nrows)
		return false;
	if (mvwin_wch(win, y == 0 || y == h->nrows - 1 ? 0 : y - 1, x, &cell) ==
	        ERR ||
	    getcchar(&cell, wch, &a, pair, NULL) == ERR)
		return false;
	*attrs = a & ~(attr_t)A_COLOR;
	return true;
}

const char *
harness_row(struct harness *h, int y)
{
	return y >= 0 && y < h->nrows && h->rows[y] != NULL ? h->rows[y] : "";
}

const char *
harness_screen(struct harness *h)
{
	return h->text != NULL ? h->text : "";
}

bool
harness_find(struct harness *h, const char *text, int *y, int *x)
{
	const char *at;
	int i;

	for (i = 0; i < h->nrows; i++) {
		at = strstr(harness_row(h, i), text);
		if (at == NULL)
			continue;
		if (y != NULL)
			*y = i;
		if (x != NULL)
			*x = (int)(at - h->rows[i]);
		return true;
	}
	return false;
}

void
harness_dump(struct harness *h)
{
	fprintf(stderr, "---- screen ----\n%s----------------\n",
	        harness_screen(h));
}

struct harness *
harness_queue_with(const char *page)
{
	struct harness *h = harness_new(24, 100);
	struct harness_request *r;

	harness_sign_in(h, 7, "technician",
	                PERM_TASKS_READ | PERM_TASKS_UPDATE);
	harness_open(h, PANE_TASKS);
	harness_event_kind(h, APP_EV_SIGNED_IN, 0);
	r = harness_request(h, "GET", "/tasks");
	assert_non_null(r);
	harness_reply(h, r, 200, page);
	return h;
}

void
harness_see(struct harness *h, const char *text)
{
	harness_draw(h);
	if (!harness_find(h, text, NULL, NULL)) {
		harness_dump(h);
		fail_msg("not on screen: \"%s\"", text);
	}
}

void
harness_not_see(struct harness *h, const char *text)
{
	harness_draw(h);
	if (harness_find(h, text, NULL, NULL)) {
		harness_dump(h);
		fail_msg("on screen but should not be: \"%s\"", text);
	}
}

const char *
harness_notice(struct harness *h)
{
	return h->app.message != NULL ? h->app.message : "";
}

/* ---- input ----------------------------------------------------------- */

/* The context whose bindings apply: the overlay's, else the pane's. */
static enum key_context
context_now(struct harness *h)
{
	struct pane *p = h->app.overlay.state != NULL
	                     ? &h->app.overlay
	                     : &h->app.panes[h->app.current];

	if (p->state == NULL || p->ops->context == NULL)
		return KEYCTX_GLOBAL;
	return p->ops->context(p->state);
}

/* A `:` line: parsed into an action, as tui_run_command_line does. */
static void
run_command(struct harness *h, const char *line)
{
	struct command cmd = { 0 };
	char err[160];

	if (command_parse(line, &cmd, err, sizeof err) < 0)
		app_notice(&h->app, true, "%s", err);
	else if (cmd.action != ACTION_NONE)
		harness_action(h, cmd.action, cmd.args[0] ? cmd.args : NULL);
	command_clear(&cmd);
}

/* A line came back from the command line: text for its asker, or a
 * command or a search. */
static void
line_done(struct harness *h, enum cmdline_kind kind, char *line)
{
	if (kind == CMDLINE_COMMENT || kind == CMDLINE_REPLY ||
	    kind == CMDLINE_PATH) {
		app_text_done(&h->app, line, true);
		return;
	}
	if (kind == CMDLINE_COMMAND)
		run_command(h, line);
	else if (kind == CMDLINE_SEARCH && line[0] != '\0')
		harness_action(h, ACTION_SEARCH, line);
	free(line);
}

/* A key for the open command line, as tui_cmdline_key. */
static void
line_key(struct harness *h, key_code key)
{
	struct cmdline *cl = h->app.cmdline;
	enum cmdline_kind kind = cmdline_kind(cl);
	bool text = kind == CMDLINE_COMMENT || kind == CMDLINE_REPLY ||
	            kind == CMDLINE_PATH;
	char *typed = xstrdup(cmdline_text(cl));

	switch (cmdline_feed(cl, key)) {
	case CMDLINE_SUBMITTED:
		line_done(h, kind, cmdline_take(cl));
		break;
	case CMDLINE_CANCELLED:
		if (text && typed[0] != '\0') {
			app_text_done(&h->app, typed, false); /* takes it */
			typed = NULL;
		} else if (text)
			app_text_done(&h->app, NULL, false);
		break;
	default:
		break;
	}
	free(typed);
}

void
harness_key(struct harness *h, key_code key)
{
	struct app *app = &h->app;
	struct pane *o = &app->overlay;
	const struct binding *b;

	app->last_input_ms = loop_now_ms();
	if (cmdline_active(app->cmdline) &&
	    (o->state == NULL || o->ops->key == NULL)) {
		line_key(h, key);
		app_overlay_reap(app);
		return;
	}
	if (o->state != NULL && o->ops->key != NULL &&
	    o->ops->key(o->state, key) != VIEW_UNHANDLED) {
		app_overlay_reap(app);
		return;
	}
	b = bindings_lookup(app->bindings, context_now(h), key);
	if (b != NULL)
		harness_action(h, b->action, b->args);
	app_overlay_reap(app);
}

void
harness_type(struct harness *h, const char *text)
{
	mbstate_t st;
	wchar_t wc;
	size_t n;

	memset(&st, 0, sizeof st);
	while (*text != '\0') {
		n = mbrtowc(&wc, text, strlen(text), &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0)
			abort();
		harness_key(h, (key_code)wc);
		text += n;
	}
}

/* Actions that need text first open the command line for it, as
 * tui_prompt_for_args does. */
static bool
prompt_for_args(struct harness *h, enum action a)
{
	struct cmdline *cl = h->app.cmdline;

	if (a == ACTION_SEARCH)
		cmdline_open(cl, CMDLINE_SEARCH, "/", NULL);
	else if (a == ACTION_FILTER)
		cmdline_open(cl, CMDLINE_COMMAND, ":", "filter ");
	else if (a == ACTION_SORT)
		cmdline_open(cl, CMDLINE_COMMAND, ":", "sort ");
	else
		return false;
	return true;
}

/* The frame's own actions: the `:` line and the tabs. */
static bool
frame_action(struct harness *h, enum action a, const char *args)
{
	struct app *app = &h->app;
	const char *role = me_store_role(app->store->me);
	enum pane_id p;

	if (a == ACTION_COMMAND_LINE) {
		cmdline_open(app->cmdline, CMDLINE_COMMAND, ":", args);
		return true;
	}
	if (a == ACTION_TAB_NEXT || a == ACTION_TAB_PREV) {
		p = frame_tab_next(app, a == ACTION_TAB_NEXT ? 1 : -1);
		if (app->panes[p].visible)
			harness_open(h, p);
		return true;
	}
	if (a < ACTION_TAB_TASKS || a > ACTION_TAB_BILLING)
		return false;
	p = (enum pane_id)(a - ACTION_TAB_TASKS);
	if (!app->panes[p].visible)
		app_notice(app, true, "that pane is not available to %s",
		           role != NULL ? role : "you");
	else
		harness_open(h, p);
	return true;
}

enum view_result
harness_action(struct harness *h, enum action a, const char *args)
{
	struct app *app = &h->app;
	struct pane *o = &app->overlay;
	enum view_result r = VIEW_UNHANDLED;

	if (app->readonly && action_changes(a)) {
		app_notice(app, true, "read-only: %s is turned off",
		           action_name(a));
		return VIEW_HANDLED;
	}
	if (o->state != NULL) {
		r = o->ops->action(o->state, a, args);
		if (r == VIEW_UNHANDLED &&
		    (a == ACTION_BACK || a == ACTION_QUIT)) {
			app_overlay_close(app, NULL);
			r = VIEW_REDRAW;
		}
	} else if (frame_action(h, a, args) ||
	           (args == NULL && prompt_for_args(h, a)))
		r = VIEW_HANDLED;
	else if (app->panes[app->current].state != NULL)
		r = app->panes[app->current].ops->action(
		    app->panes[app->current].state, a, args);
	if (r == VIEW_UNHANDLED)
		app_notice(app, true, "%s does nothing here", action_name(a));
	app_overlay_reap(app);
	return r;
}

void
harness_event(struct harness *h, const struct app_event *ev)
{
	int i;

	for (i = 0; i < PANE_COUNT; i++) {
		struct pane *p = &h->app.panes[i];

		if (p->state != NULL && p->ops->event != NULL)
			p->ops->event(p->state, ev);
	}
	app_overlay_reap(&h->app);
}

void
harness_event_kind(struct harness *h, int kind, long long id)
{
	struct app_event ev = { .kind = kind, .id = id };

	harness_event(h, &ev);
}

const char *
harness_line(struct harness *h)
{
	return cmdline_active(h->app.cmdline) ? cmdline_text(h->app.cmdline)
	                                      : NULL;
}

void
harness_line_submit(struct harness *h, const char *text)
{
	struct cmdline *cl = h->app.cmdline;
	enum cmdline_kind kind;

	if (!cmdline_active(cl))
		abort();
	kind = cmdline_kind(cl);
	cmdline_close(cl);
	line_done(h, kind, xstrdup(text));
	app_overlay_reap(&h->app);
}

/* ---- time ------------------------------------------------------------ */

long long
harness_now(struct harness *h)
{
	return h->now;
}

/* Runs every callback ready now, without waiting. */
static void
run_ready(struct harness *h)
{
	int guard = 1000;

	while (guard-- > 0 && loop_run_once(h->app.loop, 0) > 0)
		;
	app_overlay_reap(&h->app);
}

void
harness_advance(struct harness *h, long long ms)
{
	long long end = h->now + ms;

	run_ready(h);
	while (h->now < end) {
		h->now = end - h->now > ADVANCE_STEP_MS
		             ? h->now + ADVANCE_STEP_MS
		             : end;
		run_ready(h);
	}
}

/* Real milliseconds, for harness_wait's own limit. */
static long long
real_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

bool
harness_wait(struct harness *h, bool (*done)(void *ud), void *ud, int ms)
{
	long long end = real_ms() + ms;

	while (!done(ud)) {
		if (real_ms() >= end)
			return false;
		loop_run_once(h->app.loop, 20);
		app_overlay_reap(&h->app);
	}
	return true;
}
