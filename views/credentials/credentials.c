/* The credentials pane: see credentials.h. */
#include "views/credentials/credentials.h"

#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net/client/api.h"
#include "net/base/hash.h"
#include "net/base/xmalloc.h"
#include "net/store/me_store.h"
#include "net/store/store.h"
#include "tui/app.h"
#include "tui/columns_draw.h"
#include "tui/list.h"
#include "tui/sanitize.h"
#include "tui/term.h"
#include "tui/theme.h"
#include "tui/hints.h"
#include "views/credentials/credentials_reveal.h"
#include "views/shared/task_format.h"

#define PAGE_LIMIT  100
#define HEADER_ROWS 2
#define FOOTER_ROWS 1
/* What a hidden secret looks like. */
#define MASK_UTF8  "\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022"
#define MASK_ASCII "********"

/* One client and whether the signed-in member works on it. */
struct client_row {
	struct client c;
	bool mine;
};

/*
 * The state. In the client list (creds_for 0) the list helper walks
 * clients; with a client chosen it walks that client's credentials.
 */
struct creds {
	struct app *app;
	unsigned flags;
	struct credentials_reveal *reveal;

	struct client_row *clients;
	size_t nclients;
	struct list clist;
	struct api_req *creq;
	bool cloaded;
	bool looked;  /* shown once (or jumped to): keep the clients loaded */
	char *filter; /* client name filter, or NULL */
	size_t *shown;
	size_t nshown;

	int64_t creds_for; /* the client whose credentials show; 0: none */
	struct credential *items;
	size_t nitems;
	struct list ilist;
	struct api_req *ireq;
	bool iloaded;

	long long task; /* the task in hand (purpose), 0: none */
	char *error;
	int rows, cols;
	int head; /* header rows: one more while a key warning shows */
	/* The window holds the client list as last drawn at this width: a
	 * frame whose pane window is kept draws the header and the rows
	 * that changed. (Credentials, with secrets in them, are drawn
	 * whole: no signature is made of a secret.) */
	bool clients_shown;
	int clients_cols, clients_head;
};

static const struct client_row *shown_client(const struct creds *k, size_t i);

/* The header's rows: the warning of a replaced key takes one more. */
static int
header_rows(const struct creds *k)
{
	return k->app->key_warning != NULL ? HEADER_ROWS + 1 : HEADER_ROWS;
}

/* ---- clients ------------------------------------------------------------- */

/* True when the signed-in member is among c's assigned staff. */
static bool
is_mine(const struct creds *k, const struct client *c)
{
	size_t i;

	for (i = 0; i < c->nassigned_staff; i++)
		if (c->assigned_staff[i].id == me_store_id(k->app->store->me))
			return true;
	return false;
}

/* Mine first, then by name. */
static int
compare_clients(const void *a, const void *b)
{
	const struct client_row *x = a, *y = b;

	if (x->mine != y->mine)
		return x->mine ? -1 : 1;
	return strcmp(x->c.name ? x->c.name : "", y->c.name ? y->c.name : "");
}

/* Sorts and applies the filter. */
static void
reorder(struct creds *k)
{
	size_t i, off;

	qsort(k->clients, k->nclients, sizeof *k->clients, compare_clients);
	k->shown = xreallocarray(k->shown, k->nclients + 1, sizeof *k->shown);
	k->nshown = 0;
	for (i = 0; i < k->nclients; i++)
		if (k->filter == NULL ||
		    task_format_find(k->clients[i].c.name, k->filter, 0,
		                     &off) ||
		    task_format_find(k->clients[i].c.company, k->filter, 0,
		                     &off))
			k->shown[k->nshown++] = i;
	list_changed(&k->clist);
}

static void clients_clear(struct creds *k);
static void fetch_clients(struct creds *k, const char *cursor);

/* A page of clients: appended; the walk goes on to the end. */
static void
on_clients(struct client_page *p, const struct sc_error *err, void *ud)
{
	struct creds *k = ud;
	size_t i;

	k->creq = NULL;
	if (err->kind != SC_OK) {
		free(k->error);
		k->error = sanitize_str(err->message, SANITIZE_TABS_AS_SPACE);
		client_page_free(p);
		app_redraw(k->app);
		return;
	}
	k->clients = xreallocarray(k->clients, k->nclients + p->n + 1,
	                           sizeof *k->clients);
	for (i = 0; i < p->n; i++) {
		k->clients[k->nclients].c = p->items[i];
		k->clients[k->nclients].mine = is_mine(k, &p->items[i]);
		k->nclients++;
	}
	free(p->items);
	p->items = NULL;
	p->n = 0;
	if (p->next != NULL)
		fetch_clients(k, p->next);
	else
		k->cloaded = true;
	client_page_free(p);
	reorder(k);
	app_redraw(k->app);
}

static void
fetch_clients(struct creds *k, const char *cursor)
{
	char *esc = cursor != NULL ? api_escape(cursor) : NULL;
	char *q = xasprintf("limit=%d%s%s", PAGE_LIMIT,
	                    esc != NULL ? "&cursor=" : "", esc ? esc : "");

	if (k->app->api != NULL && k->app->signed_in)
		k->creq = api_clients(k->app->api, q, on_clients, k);
	free(q);
	free(esc);
}

static void
clients_clear(struct creds *k)
{
	size_t i;

	for (i = 0; i < k->nclients; i++)
		client_free(&k->clients[i].c);
	k->nclients = k->nshown = 0;
	k->cloaded = false;
}

/* Drops the clients and any page on its way: none is fetched until the
 * pane is shown. */
static void
forget_clients(struct creds *k)
{
	if (k->creq != NULL)
		api_cancel(k->app->api, k->creq);
	k->creq = NULL;
	clients_clear(k);
}

/* Everything again after signing in. */
static void
start(struct creds *k)
{
	if (k->app->api == NULL || !k->app->signed_in)
		return;
	forget_clients(k);
	fetch_clients(k, NULL);
}

/*
 * The pane is looked at (shown, or a jump to one of its clients): the
 * clients are fetched the first time, not at sign-in, so a start where
 * nobody opens the tab asks nothing of /clients.
 */
static void
looked_at(struct creds *k)
{
	k->looked = true;
	if (!k->cloaded && k->creq == NULL)
		start(k);
}

/* ---- one client's credentials -------------------------------------------- */

static void
items_clear(struct creds *k)
{
	size_t i;

	for (i = 0; i < k->nitems; i++)
		credential_free(&k->items[i]);
	free(k->items);
	k->items = NULL;
	k->nitems = 0;
	k->iloaded = false;
}

static void
on_items(struct credential_page *p, const struct sc_error *err, void *ud)
{
	struct creds *k = ud;

	k->ireq = NULL;
	free(k->error);
	k->error = NULL;
	if (err->kind != SC_OK) {
		app_request_failed(k->app, &k->error, "credentials", err);
	} else {
		items_clear(k);
		k->items = p->items;
		k->nitems = p->n;
		p->items = NULL;
		p->n = 0;
		k->iloaded = true;
	}
	credential_page_free(p);
	list_changed(&k->ilist);
	app_redraw(k->app);
}

/* The client whose credentials show, or NULL. */
static const struct client *
current_client(const struct creds *k)
{
	size_t i;

	for (i = 0; i < k->nclients; i++)
		if (k->clients[i].c.id == k->creds_for)
			return &k->clients[i].c;
	return NULL;
}

/* Shows client id's credentials. */
static void
open_client(struct creds *k, int64_t id)
{
	char q[32];

	credentials_reveal_hide(k->reveal, NULL);
	credentials_reveal_clear_refusal(k->reveal);
	items_clear(k);
	k->creds_for = id;
	k->ilist.cursor = k->ilist.top = 0;
	if (k->ireq != NULL)
		api_cancel(k->app->api, k->ireq);
	snprintf(q, sizeof q, "limit=%d", PAGE_LIMIT);
	if (k->app->api != NULL)
		k->ireq = api_credentials(k->app->api, id, q, on_items, k);
}

/* Back to the clients. */
static void
close_client(struct creds *k)
{
	credentials_reveal_hide(k->reveal, "credential hidden");
	items_clear(k);
	k->creds_for = 0;
	k->task = 0;
	list_select_id(&k->clist, k->creds_for);
}

/* Enter on a credential: reveal it. */
static void
reveal_selected(struct creds *k)
{
	const struct client *c = current_client(k);
	const struct credential *cr;
	char purpose[48] = "";

	if (k->nitems == 0 || k->ilist.cursor >= k->nitems)
		return;
	cr = &k->items[k->ilist.cursor];
	if (!cr->can_reveal) {
		credentials_reveal_not_assigned(
		    k->reveal, cr->label, c != NULL ? c->name : "the client");
		return;
	}
	if (k->task > 0)
		snprintf(purpose, sizeof purpose, "task #%lld", k->task);
	credentials_reveal_start(k->reveal, cr->id, cr->label,
	                         c != NULL ? c->name : "the client",
	                         purpose[0] ? purpose : NULL);
}

/* ---- drawing ------------------------------------------------------------- */

/* The client list's columns, left to right. */
enum client_col {
	CLIENT_COL_MINE, /* '*' for a client assigned to me */
	CLIENT_COL_NAME,
	CLIENT_COL_COMPANY,
	CLIENT_COL_SITE,
	CLIENT_COL_STAFF, /* who works on it */
	CLIENT_COL_COUNT,
};

/* The client list's table: name and company widen above 90 columns. */
static const struct column client_cols[CLIENT_COL_COUNT] = {
	[CLIENT_COL_MINE] = { "mine", "", COLUMN_LEFT, 0, { 1, 1 } },
	[CLIENT_COL_NAME] = { "name", "", COLUMN_LEFT, 0, { 24, 18 } },
	[CLIENT_COL_COMPANY] = { "company", "", COLUMN_LEFT, 0, { 24, 0 } },
	[CLIENT_COL_SITE] = { "site",
	                      "",
	                      COLUMN_LEFT,
	                      0,
	                      { COLUMN_FLEX, COLUMN_FLEX } },
	[CLIENT_COL_STAFF] = { "staff", "", COLUMN_LEFT, 0, { 28, 28 } },
};

static const struct column_table client_table = {
	.cols = client_cols,
	.n = CLIENT_COL_COUNT,
	.tiers = { 91, 0 },
};

/* A client's credentials' columns, left to right. */
enum item_col {
	ITEM_COL_LABEL,
	ITEM_COL_SITE,
	ITEM_COL_UPDATED, /* how long ago it changed */
	ITEM_COL_SECRET,  /* user and password, or why they cannot show */
	ITEM_COL_COUNT,
};

/* The credentials' table: the site shows above 100 columns. */
static const struct column item_cols[ITEM_COL_COUNT] = {
	[ITEM_COL_LABEL] = { "label", "", COLUMN_LEFT, 0, { 20, 20 } },
	[ITEM_COL_SITE] = { "site", "", COLUMN_LEFT, 0, { 30, 0 } },
	[ITEM_COL_UPDATED] = { "updated", "", COLUMN_LEFT, 0, { 5, 5 } },
	[ITEM_COL_SECRET] = { "secret",
	                      "",
	                      COLUMN_LEFT,
	                      0,
	                      { COLUMN_FLEX, COLUMN_FLEX } },
};

static const struct column_table item_table = {
	.cols = item_cols,
	.n = ITEM_COL_COUNT,
	.tiers = { 101, 0 },
	.left = 1,
};

static const struct client_row *
shown_client(const struct creds *k, size_t i)
{
	return i < k->nshown ? &k->clients[k->shown[i]] : NULL;
}

/*
 * A client row: mine mark, name, company, site, who works on it. A
 * client of yours is told by its mark and its name's colour (bold
 * without colour); company and staff are plain where there is colour:
 * dimming them cost a full attribute reset either side, on every row.
 */
static void
draw_client(void *ud, void *win, int y, size_t i, int width, bool selected,
            bool marked)
{
	struct creds *k = ud;
	const struct client_row *r = shown_client(k, i);
	WINDOW *w = win;
	attr_t base = (attr_t)theme_row(selected);
	attr_t aside = (attr_t)theme_emphasis(base, selected, THEME_ASIDE);
	char *staff = xstrdup("");
	struct column_layout l;
	size_t s;

	(void)marked;
	y += k->head;
	columns_draw_blank(w, y, width, base);
	for (s = 0; s < r->c.nassigned_staff; s++) {
		char *more = xasprintf("%s%s%s", staff, s ? ", " : "",
		                       r->c.assigned_staff[s].name);

		free(staff);
		staff = more;
	}
	columns_layout(&client_table, width, 0, 0, &l);
	/* Cells drawn as words: their padding is the row's blank already. */
	if (r->mine)
		columns_draw_word(w, y, &l, CLIENT_COL_MINE, "*", base,
		                  k->flags);
	columns_draw_word(
	    w, y, &l, CLIENT_COL_NAME, r->c.name,
	    r->mine ? (attr_t)theme_emphasis(base, selected, THEME_MINE) : base,
	    k->flags);
	columns_draw_word(w, y, &l, CLIENT_COL_COMPANY, r->c.company, aside,
	                  k->flags);
	columns_draw_word(w, y, &l, CLIENT_COL_SITE, r->c.site_url, base,
	                  k->flags);
	columns_draw_word(w, y, &l, CLIENT_COL_STAFF, staff, aside, k->flags);
	free(staff);
	wattrset(w, A_NORMAL);
}

/*
 * The secret cells of credential cr: "user NAME  pass PASSWORD  12s",
 * drawn from sodium memory, or masks. The password gets the most room.
 */
static void
draw_secret(struct creds *k, WINDOW *w, int y, int x, int width,
            const struct credential *cr, attr_t base)
{
	const char *mask = (k->flags & SANITIZE_ASCII) ? MASK_ASCII : MASK_UTF8;
	bool shown = credentials_reveal_shown(k->reveal) == cr->id;
	int uw = width / 3 > 24 ? 24 : width / 3;
	int px = x + 5 + uw + 2, pw = width - (px - x) - 5 - 5;
	char buf[48];

	wattrset(w, (attr_t)theme_over(base, THEME_ASIDE));
	mvwaddstr(w, y, x, "user ");
	mvwaddstr(w, y, px, "pass ");
	wattrset(w, (attr_t)theme_over(base, shown ? THEME_WARN : THEME_ASIDE));
	if (shown) {
		credentials_reveal_draw(k->reveal, w, y, x + 5, uw, 0);
		credentials_reveal_draw(k->reveal, w, y, px + 5, pw, 1);
		snprintf(buf, sizeof buf, " %2ds",
		         credentials_reveal_seconds_left(k->reveal));
		wattrset(w, (attr_t)theme_over(base, THEME_ERROR));
		mvwaddstr(w, y, x + width - 5, buf);
	} else if (credentials_reveal_pending(k->reveal) == cr->id) {
		mvwaddstr(w, y, x + 5, "revealing...");
	} else {
		mvwaddstr(w, y, x + 5, mask);
		mvwaddstr(w, y, px + 5, mask);
	}
}

/* A credential row: label, site, updated, then user and password. */
static void
draw_item(void *ud, void *win, int y, size_t i, int width, bool selected,
          bool marked)
{
	struct creds *k = ud;
	const struct credential *cr = &k->items[i];
	WINDOW *w = win;
	attr_t base = (attr_t)theme_row(selected);
	attr_t dim = (attr_t)theme_emphasis(base, selected, THEME_ASIDE);
	struct column_layout l;
	char age[32] = "";

	(void)marked;
	y += k->head;
	columns_draw_blank(w, y, width, base);
	wattrset(w, base);
	task_format_age(time(NULL), cr->updated_at, age, sizeof age);
	columns_layout(&item_table, width, 0, 0, &l);
	columns_draw_cell(w, y, &l, ITEM_COL_LABEL, cr->label, base | A_BOLD,
	                  k->flags);
	columns_draw_cell(w, y, &l, ITEM_COL_SITE, cr->site_url, base,
	                  k->flags);
	columns_draw_cell(w, y, &l, ITEM_COL_UPDATED, age, dim, k->flags);
	if (!cr->can_reveal)
		columns_draw_cell(w, y, &l, ITEM_COL_SECRET,
		                  "(not assigned: cannot reveal)", dim,
		                  k->flags);
	else if (l.shown[ITEM_COL_SECRET])
		draw_secret(k, w, y, l.x[ITEM_COL_SECRET], l.w[ITEM_COL_SECRET],
		            cr, base);
	wattrset(w, A_NORMAL);
}

/* Two header rows: where we are, then the locked state or the keys. */
static void
draw_header(struct creds *k, WINDOW *w, int cols)
{
	const struct client *c = current_client(k);
	enum reveal_refusal why = credentials_reveal_refusal(k->reveal);
	char *line;
	int fx;

	if (c != NULL)
		line = xasprintf(
		    " Credentials of %s (%s)%s", c->name, c->company,
		    credentials_reveal_unlocked(k->reveal) ? "  [key unlocked]"
		                                           : "");
	else
		line = xasprintf(" Clients (* assigned to you)%s",
		                 k->filter != NULL ? "  filter: " : "");
	columns_draw_text(w, 0, 0, cols, line, (attr_t)theme_attr(THEME_TITLE),
	                  k->flags);
	/* The filter follows its label (the line is ASCII then). */
	fx = (int)strlen(line);
	free(line);
	if (k->filter != NULL && c == NULL && fx < cols)
		columns_draw_text(w, 0, fx, cols - fx, k->filter,
		                  (attr_t)theme_attr(THEME_TITLE), k->flags);
	if (k->app->key_warning != NULL) {
		columns_draw_text(w, 1, 1, cols - 2, k->app->key_warning,
		                  (attr_t)theme_attr(THEME_ERROR), k->flags);
		columns_draw_text(
		    w, 2, 1, cols - 2,
		    "Nothing is revealed until :register-key registers this "
		    "machine's key again (it asks your account password)",
		    (attr_t)theme_attr(THEME_WARN), k->flags);
	} else if (why != REVEAL_OK)
		columns_draw_text(w, 1, 1, cols - 2,
		                  credentials_reveal_refusal_text(k->reveal),
		                  (attr_t)theme_attr(THEME_ERROR), k->flags);
	else if (!me_store_has_public_key(k->app->store->me))
		columns_draw_text(
		    w, 1, 1, cols - 2,
		    "No public key registered: :keygen makes your staff key "
		    "and registers it",
		    (attr_t)theme_attr(THEME_WARN), k->flags);
	else if (c != NULL)
		columns_draw_text(
		    w, 1, 1, cols - 2,
		    "Enter reveals (audited)  y copies the password  Esc back",
		    (attr_t)theme_attr(THEME_DIM), k->flags);
	else
		columns_draw_text(
		    w, 1, 1, cols - 2,
		    "Enter shows a client's credentials  / filters",
		    (attr_t)theme_attr(THEME_DIM), k->flags);
}

static void
draw_empty(struct creds *k, WINDOW *w, int cols)
{
	const char *text = k->error != NULL ? k->error
	                   : (k->creds_for != 0 ? !k->iloaded : !k->cloaded)
	                       ? "loading..."
	                   : k->creds_for != 0 ? "no credentials stored for "
	                                         "this client"
	                                       : "no clients match";

	columns_draw_text(
	    w, k->head, 1, cols - 2, text,
	    (attr_t)theme_attr(k->error != NULL ? THEME_ERROR : THEME_DIM),
	    k->flags);
}

static void
cr_resize(void *state, int rows, int cols)
{
	struct creds *k = state;

	k->rows = rows;
	k->cols = cols;
	k->head = header_rows(k);
	list_resize(&k->clist, rows - k->head - FOOTER_ROWS);
	list_resize(&k->ilist, rows - k->head - FOOTER_ROWS);
}

static void
cr_draw(void *state, void *win, int rows, int cols)
{
	struct creds *k = state;
	WINDOW *w = win;
	bool items = k->creds_for != 0;

	int y;

	if (rows != k->rows || cols != k->cols || header_rows(k) != k->head)
		cr_resize(k, rows, cols);
	if (!k->app->pane_kept || !k->clients_shown || items ||
	    cols != k->clients_cols || k->head != k->clients_head ||
	    k->nshown == 0) {
		werase(w);
		list_forget(&k->clist);
	} else
		for (y = 0; y < k->head; y++) {
			wmove(w, y, 0);
			wclrtoeol(w);
		}
	draw_header(k, w, cols);
	k->clients_shown = !items && k->nshown > 0;
	k->clients_cols = cols;
	k->clients_head = k->head;
	if (items ? k->nitems == 0 : k->nshown == 0)
		draw_empty(k, w, cols);
	else
		list_draw(items ? &k->ilist : &k->clist, w, cols);
	wattrset(w, A_NORMAL);
}

/* ---- actions ------------------------------------------------------------- */

static size_t
client_count(void *ud)
{
	return ((struct creds *)ud)->nshown;
}

static long long
client_id(void *ud, size_t i)
{
	return shown_client(ud, i)->c.id;
}

static size_t
item_count(void *ud)
{
	return ((struct creds *)ud)->nitems;
}

static long long
item_id(void *ud, size_t i)
{
	return ((struct creds *)ud)->items[i].id;
}

/* The list helper's row_sig: everything draw_client shows for row i. */
static unsigned long long
client_sig(void *ud, size_t i, bool selected, bool marked)
{
	const struct client_row *r = shown_client(ud, i);
	uint64_t h = hash_bytes(HASH_INIT, &r->mine, sizeof r->mine);
	size_t s;

	(void)marked;
	h = hash_str(hash_str(h, r->c.name), r->c.company);
	h = hash_str(h, r->c.site_url);
	for (s = 0; s < r->c.nassigned_staff; s++)
		h = hash_str(h, r->c.assigned_staff[s].name);
	h = hash_bytes(h, &r->c.nassigned_staff, sizeof r->c.nassigned_staff);
	return hash_bytes(h, &selected, sizeof selected);
}

/* The list helper's clear_row: a line below the last client. */
static void
client_clear(void *ud, void *win, int y)
{
	wattrset((WINDOW *)win, A_NORMAL);
	wmove(win, y + ((struct creds *)ud)->head, 0);
	wclrtoeol(win);
}

static const struct list_ops client_ops = {
	.count = client_count,
	.id_at = client_id,
	.draw_row = draw_client,
	.row_sig = client_sig,
	.clear_row = client_clear,
};

static const struct list_ops item_ops = {
	.count = item_count,
	.id_at = item_id,
	.draw_row = draw_item,
};

/* / or :filter: clients whose name or company has the text. */
static enum view_result
do_filter(struct creds *k, const char *args)
{
	const char *s = args + strspn(args, " \t");

	free(k->filter);
	k->filter = s[0] != '\0' && strcmp(s, "clear") != 0 ? xstrdup(s) : NULL;
	k->clist.cursor = k->clist.top = 0;
	reorder(k);
	return VIEW_REDRAW;
}

/* Actions with a client's credentials showing. */
static enum view_result
items_action(struct creds *k, enum action a)
{
	enum view_result r;

	switch (a) {
	case ACTION_BACK:
		close_client(k);
		return VIEW_REDRAW;
	case ACTION_OPEN:
	case ACTION_SUBMIT:
		reveal_selected(k);
		return VIEW_REDRAW;
	case ACTION_REFRESH:
		open_client(k, k->creds_for);
		return VIEW_REDRAW;
	default:
		r = list_view_result(list_action(&k->ilist, a));
		/* The secret belongs to its row: moving away hides it. */
		if (r == VIEW_REDRAW &&
		    credentials_reveal_shown(k->reveal) != 0)
			credentials_reveal_hide(k->reveal, "credential hidden");
		return r;
	}
}

static enum view_result
cr_action(void *state, enum action a, const char *args)
{
	struct creds *k = state;
	const struct client_row *r;

	switch (a) {
	case ACTION_COPY:
		credentials_reveal_copy(k->reveal);
		return VIEW_REDRAW;
	case ACTION_KEYGEN:
		credentials_reveal_keygen(k->reveal);
		return VIEW_REDRAW;
	case ACTION_REGISTER_KEY:
		credentials_reveal_register(k->reveal);
		return VIEW_REDRAW;
	case ACTION_LOCK_KEY:
		credentials_reveal_hide(k->reveal, NULL);
		credentials_reveal_lock(k->reveal, "staff key locked");
		return VIEW_REDRAW;
	default:
		break;
	}
	if (k->creds_for != 0)
		return items_action(k, a);
	switch (a) {
	case ACTION_OPEN:
		r = shown_client(k, k->clist.cursor);
		if (r != NULL)
			open_client(k, r->c.id);
		return VIEW_REDRAW;
	case ACTION_REFRESH:
		start(k);
		return VIEW_REDRAW;
	case ACTION_FILTER:
	case ACTION_SEARCH:
		return args == NULL ? VIEW_UNHANDLED : do_filter(k, args);
	default:
		return list_view_result(list_action(&k->clist, a));
	}
}

/* ---- the rest of the view interface -------------------------------------- */

static enum view_result
cr_event(void *state, const struct app_event *ev)
{
	struct creds *k = state;

	switch (ev->kind) {
	case APP_EV_SIGNED_IN:
		/* Not looked at yet: nothing to fetch until it is. */
		if (k->looked)
			start(k);
		else
			forget_clients(k);
		return VIEW_REDRAW;
	case APP_EV_HIDE:
		credentials_reveal_hide(k->reveal, "credential hidden");
		return VIEW_REDRAW;
	case APP_EV_CLIENT:
		k->task = app_take_go_task(k->app);
		/* The header names the client from the list. */
		looked_at(k);
		open_client(k, ev->id);
		return VIEW_REDRAW;
	case APP_EV_SESSION_EXPIRED:
		/* Whoever signs in next at the form may not be this member:
		 * neither the secret nor the unlocked key stays for them. */
		credentials_reveal_hide(k->reveal, NULL);
		credentials_reveal_lock(k->reveal, NULL);
		return VIEW_REDRAW;
	default:
		return VIEW_UNHANDLED;
	}
}

/* Leaving the pane hides the secret at once; showing it loads it. */
static void
cr_focus(void *state, bool focused)
{
	struct creds *k = state;

	if (!focused)
		credentials_reveal_hide(k->reveal, "credential hidden");
	else
		looked_at(k);
}

static enum key_context
cr_context(void *state)
{
	struct creds *k = state;

	return k->creds_for != 0 ? KEYCTX_DETAIL : KEYCTX_LIST;
}

static void *
cr_open(struct app *app)
{
	struct creds *k = xcalloc(1, sizeof *k);

	k->app = app;
	k->flags = term_utf8() ? 0 : SANITIZE_ASCII;
	k->reveal = credentials_reveal_new(app);
	list_init(&k->clist, &client_ops, k);
	list_init(&k->ilist, &item_ops, k);
	return k;
}

static void
cr_free(void *state)
{
	struct creds *k = state;

	if (k == NULL)
		return;
	credentials_reveal_free(k->reveal);
	if (k->app->api != NULL) {
		api_cancel(k->app->api, k->creq);
		api_cancel(k->app->api, k->ireq);
	}
	clients_clear(k);
	free(k->clients);
	free(k->shown);
	items_clear(k);
	list_free(&k->clist);
	list_free(&k->ilist);
	free(k->filter);
	free(k->error);
	free(k);
}

/* The hint bar: the keys this pane is used with most. */
static const struct hint cr_list_hints[] = {
	{ ACTION_DOWN, ACTION_UP, "move" },
	{ ACTION_OPEN, ACTION_NONE, "open" },
	{ ACTION_SEARCH, ACTION_NONE, "search" },
	{ ACTION_FILTER, ACTION_NONE, "filter" },
	{ ACTION_HELP, ACTION_NONE, "help" },
	{ ACTION_NONE, ACTION_NONE, NULL },
};

static const struct hint cr_detail_hints[] = {
	{ ACTION_DOWN, ACTION_UP, "move" },
	{ ACTION_OPEN, ACTION_NONE, "reveal" },
	{ ACTION_COPY, ACTION_NONE, "copy" },
	{ ACTION_BACK, ACTION_NONE, "back" },
	{ ACTION_HELP, ACTION_NONE, "help" },
	{ ACTION_NONE, ACTION_NONE, NULL },
};

/* The pane's own actions: the help lists them only while it shows. */
static const enum action cr_own_actions[] = {
	ACTION_COPY,     ACTION_KEYGEN, ACTION_REGISTER_KEY,
	ACTION_LOCK_KEY, ACTION_NONE,
};

const struct view_ops credentials_view = {
	.name = "Credentials",
	.title = "Credentials",
	.permission = PERM_CREDENTIALS_REVEAL,
	.open = cr_open,
	.free = cr_free,
	.resize = cr_resize,
	.draw = cr_draw,
	.action = cr_action,
	.event = cr_event,
	.focus = cr_focus,
	.context = cr_context,
	.hints = { [KEYCTX_LIST] = cr_list_hints,
	           [KEYCTX_DETAIL] = cr_detail_hints },
	.own_actions = cr_own_actions,
};
