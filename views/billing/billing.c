/* The billing pane: see billing.h. */
#include "views/billing/billing.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "net/client/api.h"
#include "net/base/hash.h"
#include "net/base/paths.h"
#include "net/base/xmalloc.h"
#include "net/store/billing_store.h"
#include "net/store/store.h"
#include "tui/app.h"
#include "tui/columns_draw.h"
#include "tui/list.h"
#include "tui/notify.h"
#include "tui/sanitize.h"
#include "tui/term.h"
#include "tui/theme.h"
#include "tui/hints.h"
#include "views/billing/billing_data.h"
#include "views/billing/billing_format.h"

#define PAGE_LIMIT 100
/* The chart's height: a third of the pane, within these bounds. */
#define CHART_MIN 4
#define CHART_MAX 10
/* The y axis labels' width. */
#define AXIS_W 8

/*
 * The pane's view state: which list, its rows (billing_data: an index of
 * ids into the store), the cursor, and what is being fetched. The
 * subscriptions, invoices and summary themselves are the store's. Nothing
 * is fetched until the pane is first shown (or a payment fails): a start
 * costs no billing requests.
 */
struct billing {
	struct app *app;
	struct billing_store *bs;
	unsigned flags;
	struct billing_data *data;
	enum billing_list view;
	struct list list;
	/* The cursor by id: the row to find again once the store's
	 * changes have moved the rows (follow). */
	int64_t cursor_id;
	bool follow;

	struct api_req *sum_req, *sub_req, *inv_req;
	uint64_t sub_stamp, inv_stamp; /* the stamps of the loads running */
	bool subs_loaded, invs_loaded;
	bool shown; /* the pane has been shown: keep its data loaded */
	char *error;

	int rows, cols;
	int list_y; /* where the list's rows start, at the last draw */
	/* What the window holds above the list (band, chart, the list's
	 * head; net/base/hash.h), as last drawn: while it and the window
	 * are kept, a frame draws only the rows that changed (0: unknown). */
	uint64_t top_drawn;
	enum billing_list export_list; /* what the proposed file name is for */
};

static void fetch_subs(struct billing *b, const char *cursor);
static void fetch_invs(struct billing *b, const char *cursor);

/* True with billing.read: amounts, cards, invoices, the summary. */
static bool
full(const struct billing *b)
{
	return (b->app->permissions & PERM_BILLING_READ) != 0;
}

/* ---- fetching ------------------------------------------------------------ */

static void
on_summary(struct billing_summary *s, const struct sc_error *err, void *ud)
{
	struct billing *b = ud;

	b->sum_req = NULL;
	if (err->kind != SC_OK) {
		billing_summary_free(s);
		app_request_failed(b->app, &b->error, "billing summary", err);
		return;
	}
	billing_store_put_summary(b->bs, s, b->sub_stamp);
}

static void
on_subs(struct subscription_page *p, const struct sc_error *err, void *ud)
{
	struct billing *b = ud;

	b->sub_req = NULL;
	if (err->kind != SC_OK) {
		subscription_page_free(p);
		app_request_failed(b->app, &b->error, "billing subscriptions",
		                   err);
		return;
	}
	billing_store_put_subs(b->bs, p, b->sub_stamp);
	if (p->next != NULL)
		fetch_subs(b, p->next);
	else
		b->subs_loaded = true;
	subscription_page_free(p);
	app_redraw(b->app); /* "loading..." ends even with no rows */
}

static void
on_invs(struct invoice_page *p, const struct sc_error *err, void *ud)
{
	struct billing *b = ud;

	b->inv_req = NULL;
	if (err->kind != SC_OK) {
		invoice_page_free(p);
		app_request_failed(b->app, &b->error, "billing invoices", err);
		return;
	}
	billing_store_put_invoices(b->bs, p, b->inv_stamp);
	if (p->next != NULL)
		fetch_invs(b, p->next);
	else
		b->invs_loaded = true;
	invoice_page_free(p);
	app_redraw(b->app); /* "loading..." ends even with no rows */
}

/* The query of a page: limit, and the cursor when given. */
static char *
page_query(const char *cursor)
{
	char *esc = cursor != NULL ? api_escape(cursor) : NULL;
	char *q = xasprintf("limit=%d%s%s", PAGE_LIMIT,
	                    esc != NULL ? "&cursor=" : "", esc ? esc : "");

	free(esc);
	return q;
}

static void
fetch_subs(struct billing *b, const char *cursor)
{
	char *q = page_query(cursor);

	b->sub_req = api_subscriptions(b->app->api, q, on_subs, b);
	free(q);
}

static void
fetch_invs(struct billing *b, const char *cursor)
{
	char *q = page_query(cursor);

	b->inv_req = api_invoices(b->app->api, q, on_invs, b);
	free(q);
}

/*
 * The summary and the subscriptions again, from their first page: what
 * is held stays until newer copies replace it (each page's stamp is the
 * one taken here, so an invoice.failed arriving meanwhile wins).
 */
static void
fetch_subs_again(struct billing *b)
{
	struct api *a = b->app->api;

	api_cancel(a, b->sum_req);
	api_cancel(a, b->sub_req);
	b->sum_req = NULL;
	b->subs_loaded = false;
	b->sub_stamp = billing_store_stamp(b->bs);
	fetch_subs(b, NULL);
	if (full(b))
		b->sum_req = api_billing_summary(a, on_summary, b);
}

/*
 * Loads everything into the store (first shown, or a payment failed
 * before): what is held already stays unless a page brings it newer.
 */
static void
load(struct billing *b)
{
	struct api *a = b->app->api;

	if (a == NULL || !b->app->signed_in)
		return;
	api_cancel(a, b->inv_req);
	b->inv_req = NULL;
	free(b->error);
	b->error = NULL;
	b->invs_loaded = false;
	fetch_subs_again(b);
	if (full(b)) {
		b->inv_stamp = billing_store_stamp(b->bs);
		fetch_invs(b, NULL);
	}
}

/* True once a load was asked for (done, running or failed). */
static bool
load_started(const struct billing *b)
{
	return b->subs_loaded || b->sub_req != NULL || b->error != NULL;
}

/* Everything again, from nothing (refresh, resync, signed in again). */
static void
fetch_all(struct billing *b)
{
	if (b->app->api == NULL || !b->app->signed_in)
		return;
	billing_store_clear_all(b->bs);
	load(b);
}

/* Forgets what was loaded: the next time the pane is shown loads it. */
static void
forget_all(struct billing *b)
{
	struct api *a = b->app->api;

	if (a != NULL) {
		api_cancel(a, b->sum_req);
		api_cancel(a, b->sub_req);
		api_cancel(a, b->inv_req);
	}
	b->sum_req = b->sub_req = b->inv_req = NULL;
	billing_store_clear_all(b->bs);
	b->subs_loaded = b->invs_loaded = false;
}

/* The store's listener: the rows moved, so find the cursor's row again
 * (by id) before the next draw or key. */
static void
on_store_change(void *ud, const struct billing_change *c)
{
	struct billing *b = ud;

	if (!b->follow && c->kind != BILLING_SUMMARY) {
		b->cursor_id =
		    billing_data_id(b->data, b->view, b->list.cursor);
		b->follow = b->cursor_id != 0;
	}
	app_redraw(b->app);
}

/* Puts the cursor back on its row after the store changed. */
static void
settle(struct billing *b)
{
	size_t at;

	if (b->follow && billing_data_find(b->data, b->view, b->cursor_id, &at))
		b->list.cursor = at;
	b->follow = false;
	list_changed(&b->list);
}

/* ---- live ---------------------------------------------------------------- */

/* invoice.failed: the invoice in the list, a notification, new totals. */
static void
on_failed_invoice(struct billing *b, const struct invoice *v)
{
	char amount[48], *title, *body;

	if (!billing_store_put_invoice(b->bs, v))
		return; /* a replay of what was already said */
	billing_format_money(v->amount_cents, v->currency,
	                     b->flags & SANITIZE_ASCII, amount, sizeof amount);
	title = xasprintf("Payment failed: %s",
	                  v->client.name ? v->client.name : "a client");
	body = xasprintf("%s %s: %s", v->number ? v->number : "", amount,
	                 v->failure_reason ? v->failure_reason : "failed");
	app_notice(b->app, true, "%s (%s)", title, body);
	if (b->app->notify != NULL)
		notify_send(b->app->notify, title, body, NOTIFY_URGENT);
	free(title);
	free(body);
	/* What a manager is told of, they will look at: load it. Loaded
	 * already, the summary and the subscription's status have changed. */
	if (!load_started(b))
		load(b);
	else if (b->app->api != NULL && b->app->signed_in)
		fetch_subs_again(b);
}

/* ---- drawing ------------------------------------------------------------- */

static void
money(struct billing *b, int64_t cents, const char *cur, char *buf, size_t len)
{
	billing_format_money(cents, cur, b->flags & SANITIZE_ASCII, buf, len);
}

/* The summary band: MRR, statuses, failed payments, refunds. */
static void
draw_band(struct billing *b, WINDOW *w, int cols)
{
	const struct billing_summary *s = billing_store_summary(b->bs);
	char mrr[48], refunds[48], *line;

	if (!full(b)) {
		columns_draw_text(
		    w, 0, 1, cols - 2,
		    "Plans and statuses only: amounts, cards, invoices and "
		    "revenue need billing.read",
		    (attr_t)theme_attr(THEME_DIM), b->flags);
		return;
	}
	if (s == NULL) {
		columns_draw_text(w, 0, 1, cols - 2, "loading the summary...",
		                  (attr_t)theme_attr(THEME_DIM), b->flags);
		return;
	}
	money(b, s->mrr_cents, s->currency, mrr, sizeof mrr);
	money(b, s->refunds_30d_cents, s->currency, refunds, sizeof refunds);
	line = xasprintf("MRR %s", mrr);
	columns_draw_text(w, 0, 1, (int)strlen(line) + 1, line,
	                  (attr_t)theme_attr(THEME_TITLE), b->flags);
	free(line);
	line = xasprintf("active %lld  trialing %lld  past due %lld  "
	                 "canceled %lld  |  failed payments (30 d) %lld  |  "
	                 "refunds (30 d) %s",
	                 (long long)s->active, (long long)s->trialing,
	                 (long long)s->past_due, (long long)s->canceled,
	                 (long long)s->failed_payments_30d, refunds);
	columns_draw_text(
	    w, 0, 6 + (int)strlen(mrr), cols - 7 - (int)strlen(mrr), line,
	    (attr_t)theme_attr(s->past_due > 0 || s->failed_payments_30d > 0
	                           ? THEME_WARN
	                           : THEME_NORMAL),
	    b->flags);
	free(line);
}

/*
 * One bar of e eighths, bw cells wide and gap after it, in a chart of
 * rows rows from row y. Only its blocks are drawn: the chart is drawn on
 * an erased pane, and a green blank above a bar would cost an attribute
 * change either side.
 */
static void
draw_bar(WINDOW *w, int y, int x, int bw, int gap, int e, int rows, bool ascii)
{
	int r, k;

	wattrset(w, (attr_t)theme_attr(THEME_OK));
	for (r = 0; r < rows; r++) {
		const char *cell = billing_chart_cell(e, rows, r, ascii);

		if (strcmp(cell, " ") == 0)
			continue;
		for (k = 0; k < bw; k++)
			mvwaddstr(w, y + r, x + k, cell);
		/* The gap after it in the same green: blank either way, and
		 * no colour switched off and on between two bars. */
		if (gap)
			waddch(w, ' ' | (attr_t)theme_attr(THEME_OK));
	}
	wattrset(w, A_NORMAL);
}

/* A chart label at y, x: as wide as its text, at most room cells; the
 * rest is the pane's blank. */
static void
draw_label(struct billing *b, WINDOW *w, int y, int x, int room,
           const char *text, attr_t attr)
{
	int n = (int)strlen(text);

	columns_draw_text(w, y, x, n < room ? n : room, text, attr, b->flags);
}

/* The revenue chart at rows y .. y + h - 1 (the last row: months). */
static void
draw_chart(struct billing *b, WINDOW *w, int y, int h, int cols)
{
	const struct billing_summary *s = billing_store_summary(b->bs);
	size_t n = s->nrevenue_by_month, i;
	int64_t vals[24], max = 0;
	int e[24], rows = h - 2, bw, gap, x;
	bool ascii = b->flags & SANITIZE_ASCII;
	attr_t aside = (attr_t)theme_over(theme_row(false), THEME_ASIDE);
	char label[32], month[8];

	if (n == 0 || rows < 1)
		return;
	if (n > 24)
		n = 24;
	for (i = 0; i < n; i++) {
		vals[i] = s->revenue_by_month[i].cents;
		if (vals[i] > max)
			max = vals[i];
	}
	billing_chart_scale(vals, n, rows, e);
	bw = (cols - AXIS_W - 2) / (int)n;
	gap = bw > 3 ? 1 : 0;
	draw_label(b, w, y, 1, cols - 2, "Revenue, last 12 months", aside);
	billing_format_money_short(max, s->currency, ascii, label,
	                           sizeof label);
	draw_label(b, w, y + 1, 0, AXIS_W - 1, label, aside);
	draw_label(b, w, y + rows, 0, AXIS_W - 1, "0", aside);
	for (i = 0; i < n; i++) {
		x = AXIS_W + (int)i * bw;
		draw_bar(w, y + 1, x, bw - gap, gap, e[i], rows, ascii);
		/* The value over the bar when it fits, the month under it. */
		billing_format_month(s->revenue_by_month[i].month, month,
		                     sizeof month);
		billing_format_money_short(vals[i], s->currency, ascii, label,
		                           sizeof label);
		if ((int)strlen(label) <= bw - gap && e[i] < rows * 8 - 8)
			draw_label(b, w, y + rows - e[i] / 8, x, bw - gap,
			           label, aside);
		draw_label(b, w, y + rows + 1, x, bw - gap, month, aside);
	}
}

/* The theme of a subscription status and of an invoice status. */
static enum theme_item
sub_theme(enum subscription_status s)
{
	static const enum theme_item t[] = { [SUB_ACTIVE] = THEME_OK,
		                             [SUB_TRIALING] = THEME_STATE_NEW,
		                             [SUB_PAST_DUE] = THEME_OVERDUE,
		                             [SUB_CANCELED] = THEME_ASIDE };

	return t[s];
}

static enum theme_item
inv_theme(enum invoice_status s)
{
	static const enum theme_item t[] = { [INVOICE_PAID] = THEME_OK,
		                             [INVOICE_OPEN] = THEME_NORMAL,
		                             [INVOICE_FAILED] = THEME_OVERDUE,
		                             [INVOICE_REFUNDED] = THEME_ASIDE };

	return t[s];
}

/* A date, "2026-11-28", or "-". */
static void
day(time_t t, bool has, char *buf, size_t len)
{
	struct tm tm;

	snprintf(buf, len, "-");
	if (has && localtime_r(&t, &tm) != NULL)
		strftime(buf, len, "%Y-%m-%d", &tm);
}

/* The card of s as the list shows it: "visa 4242", "no card". */
static void
card_text(const struct subscription *s, char *buf, size_t len)
{
	if (s->has_card)
		snprintf(buf, len, "%s %s",
		         s->card.brand ? s->card.brand : "card", s->card.last4);
	else
		snprintf(buf, len, "no card");
}

static void
draw_sub(struct billing *b, WINDOW *w, int y, const struct subscription *s,
         int width, attr_t base)
{
	char amount[48] = "", end[16], card[40];
	struct column_layout l;
	attr_t dim = (attr_t)theme_over(base, THEME_ASIDE);

	billing_format_sub_layout(width, full(b), &l);
	columns_draw_word(w, y, &l, BILLING_SUB_CLIENT, s->client.name,
	                  (attr_t)theme_over(base, THEME_NAME), b->flags);
	columns_draw_word(w, y, &l, BILLING_SUB_COMPANY, s->client.company, dim,
	                  b->flags);
	columns_draw_word(w, y, &l, BILLING_SUB_PLAN, plan_name(s->plan), base,
	                  b->flags);
	columns_draw_word(
	    w, y, &l, BILLING_SUB_STATUS, subscription_status_name(s->status),
	    (attr_t)theme_over(base, sub_theme(s->status)), b->flags);
	if (s->has_amounts) {
		money(b, s->amount_cents, s->currency, amount, sizeof amount);
		snprintf(amount + strlen(amount),
		         sizeof amount - strlen(amount), "/%s",
		         s->interval == INTERVAL_YEAR ? "yr" : "mo");
	}
	columns_draw_word(w, y, &l, BILLING_SUB_AMOUNT, amount, base, b->flags);
	day(s->current_period_end, true, end, sizeof end);
	columns_draw_word(w, y, &l, BILLING_SUB_RENEWS, end, base, b->flags);
	columns_draw_word(w, y, &l, BILLING_SUB_CANCELS,
	                  s->cancel_at_period_end ? "cancels" : "",
	                  (attr_t)theme_over(base, THEME_WARN), b->flags);
	card_text(s, card, sizeof card);
	columns_draw_word(w, y, &l, BILLING_SUB_CARD, card, dim, b->flags);
}

static void
draw_inv(struct billing *b, WINDOW *w, int y, const struct invoice *v,
         int width, attr_t base)
{
	char amount[48], created[16], paid[16];
	struct column_layout l;

	money(b, v->amount_cents, v->currency, amount, sizeof amount);
	day(v->created_at, true, created, sizeof created);
	day(v->paid_at, v->has_paid_at, paid, sizeof paid);
	billing_format_invoice_layout(width, &l);
	columns_draw_word(w, y, &l, BILLING_INV_NUMBER, v->number, base,
	                  b->flags);
	columns_draw_word(w, y, &l, BILLING_INV_CLIENT, v->client.name,
	                  (attr_t)theme_over(base, THEME_NAME), b->flags);
	columns_draw_word(w, y, &l, BILLING_INV_AMOUNT, amount, base, b->flags);
	columns_draw_word(
	    w, y, &l, BILLING_INV_STATUS, invoice_status_name(v->status),
	    (attr_t)theme_over(base, inv_theme(v->status)), b->flags);
	columns_draw_word(w, y, &l, BILLING_INV_CREATED, created, base,
	                  b->flags);
	columns_draw_word(w, y, &l, BILLING_INV_PAID, paid, base, b->flags);
	columns_draw_word(w, y, &l, BILLING_INV_FAILURE,
	                  v->failure_reason ? v->failure_reason : "",
	                  (attr_t)theme_over(base, THEME_OVERDUE), b->flags);
}

/* The list helper's draw_row. */
static void
draw_row(void *ud, void *win, int y, size_t i, int width, bool selected,
         bool marked)
{
	struct billing *b = ud;
	WINDOW *w = win;
	attr_t base = (attr_t)theme_row(selected);

	(void)marked;
	y += b->list_y;
	columns_draw_blank(w, y, width, base);
	wattrset(w, base);
	if (b->view == BILLING_SUBS)
		draw_sub(b, w, y, billing_data_sub(b->data, i), width, base);
	else
		draw_inv(b, w, y, billing_data_invoice(b->data, i), width,
		         base);
	wattrset(w, A_NORMAL);
}

/* The list's title (which list, counts, filter, order) and columns. */
static void
draw_list_head(struct billing *b, WINDOW *w, int y, int cols)
{
	char *desc = billing_data_describe(b->data, b->view), *line;
	bool subs = b->view == BILLING_SUBS;
	struct column_layout l;

	line = xasprintf(
	    "%s %zu/%zu%s | filter %s | sort %s%s",
	    subs ? "[Subscriptions]" : "[Invoices]",
	    billing_data_count(b->data, b->view),
	    billing_data_total(b->data, b->view),
	    (subs ? b->subs_loaded : b->invs_loaded) ? "" : "+", desc,
	    billing_data_sort_name(b->data, b->view),
	    full(b) ? (subs ? "  (v: invoices)" : "  (v: subscriptions)") : "");
	columns_draw_text(w, y, 1, cols - 2, line,
	                  (attr_t)theme_attr(THEME_TITLE), b->flags);
	free(line);
	free(desc);
	if (subs)
		billing_format_sub_layout(cols, full(b), &l);
	else
		billing_format_invoice_layout(cols, &l);
	columns_draw_header(w, y + 1, &l, (attr_t)theme_attr(THEME_DIM),
	                    b->flags);
}

/* The chart's height for this pane (0: none). */
static int
chart_height(const struct billing *b, int rows)
{
	int h = rows / 3;

	if (!full(b) || billing_store_summary(b->bs) == NULL || rows < 16)
		return 0;
	return h < CHART_MIN ? CHART_MIN : h > CHART_MAX ? CHART_MAX : h;
}

static void
bl_resize(void *state, int rows, int cols)
{
	struct billing *b = state;
	int ch = chart_height(b, rows);

	b->rows = rows;
	b->cols = cols;
	b->list_y = 1 + (ch > 0 ? ch + 1 : 0) + 2;
	list_resize(&b->list, rows - b->list_y);
}

/* Folds a number into h. */
static uint64_t
hash_num(uint64_t h, int64_t v)
{
	return hash_bytes(h, &v, sizeof v);
}

/* A signature of all that the band, the chart and the list's head show
 * (and where), for a pane cols wide with a chart ch rows high. */
static uint64_t
top_sig(struct billing *b, int cols, int ch)
{
	const struct billing_summary *s = billing_store_summary(b->bs);
	char *desc = billing_data_describe(b->data, b->view);
	uint64_t h = hash_num(HASH_INIT, cols);
	size_t i;

	h = hash_num(hash_num(hash_num(h, ch), b->list_y), full(b));
	h = hash_num(hash_num(h, b->view), b->error != NULL);
	h = hash_num(h, (int64_t)billing_data_count(b->data, b->view));
	h = hash_num(h, (int64_t)billing_data_total(b->data, b->view));
	h = hash_num(hash_num(h, b->subs_loaded), b->invs_loaded);
	h = hash_str(hash_str(h, desc),
	             billing_data_sort_name(b->data, b->view));
	free(desc);
	if (s == NULL)
		return h;
	h = hash_str(hash_num(h, s->mrr_cents), s->currency);
	h = hash_num(hash_num(h, s->active), s->trialing);
	h = hash_num(hash_num(h, s->past_due), s->canceled);
	h = hash_num(hash_num(h, s->failed_payments_30d), s->refunds_30d_cents);
	for (i = 0; i < s->nrevenue_by_month; i++)
		h = hash_num(hash_num(h, s->revenue_by_month[i].month),
		             s->revenue_by_month[i].cents);
	return hash_num(h, (int64_t)s->nrevenue_by_month);
}

static void
bl_draw(void *state, void *win, int rows, int cols)
{
	struct billing *b = state;
	WINDOW *w = win;
	int ch;
	uint64_t top;

	settle(b);
	bl_resize(b, rows, cols);
	ch = chart_height(b, rows);
	top = top_sig(b, cols, ch);
	if (!b->app->pane_kept || top != b->top_drawn ||
	    billing_data_count(b->data, b->view) == 0) {
		werase(w);
		list_forget(&b->list);
		draw_band(b, w, cols);
		if (ch > 0)
			draw_chart(b, w, 1, ch, cols);
		draw_list_head(b, w, b->list_y - 2, cols);
	}
	b->top_drawn = billing_data_count(b->data, b->view) > 0 ? top : 0;
	if (billing_data_count(b->data, b->view) > 0)
		list_draw(&b->list, w, cols);
	else
		columns_draw_text(
		    w, b->list_y, 1, cols - 2,
		    b->error != NULL ? b->error
		    : (b->view == BILLING_SUBS ? b->subs_loaded
		                               : b->invs_loaded)
		        ? "nothing matches (:filter clear shows all)"
		        : "loading...",
		    (attr_t)theme_attr(b->error != NULL ? THEME_ERROR
		                                        : THEME_DIM),
		    b->flags);
	wattrset(w, A_NORMAL);
}

/* ---- actions ------------------------------------------------------------- */

static size_t
row_count(void *ud)
{
	struct billing *b = ud;

	return billing_data_count(b->data, b->view);
}

static long long
row_id(void *ud, size_t i)
{
	struct billing *b = ud;

	return b->view == BILLING_SUBS ? billing_data_sub(b->data, i)->id
	                               : billing_data_invoice(b->data, i)->id;
}

/* Folds what draw_sub shows of s into h. */
static uint64_t
sub_sig(uint64_t h, const struct subscription *s)
{
	h = hash_str(hash_str(h, s->client.name), s->client.company);
	h = hash_num(hash_num(h, s->plan), s->status);
	h = hash_num(hash_num(h, s->current_period_end),
	             s->cancel_at_period_end);
	h = hash_num(hash_num(h, s->has_amounts), s->amount_cents);
	h = hash_num(hash_str(h, s->currency), s->interval);
	h = hash_num(h, s->has_card);
	return s->has_card ? hash_str(hash_str(h, s->card.brand), s->card.last4)
	                   : h;
}

/* Folds what draw_inv shows of v into h. */
static uint64_t
inv_sig(uint64_t h, const struct invoice *v)
{
	h = hash_str(hash_str(h, v->number), v->client.name);
	h = hash_num(hash_str(hash_num(h, v->amount_cents), v->currency),
	             v->status);
	h = hash_num(hash_num(h, v->created_at), v->has_paid_at);
	h = hash_num(h, v->paid_at);
	return hash_str(h, v->failure_reason);
}

/* The list helper's row_sig: everything draw_row shows for row i. */
static unsigned long long
row_sig(void *ud, size_t i, bool selected, bool marked)
{
	struct billing *b = ud;
	uint64_t h = hash_num(hash_num(HASH_INIT, selected), b->view);

	(void)marked;
	if (b->view == BILLING_SUBS)
		return sub_sig(h, billing_data_sub(b->data, i));
	return inv_sig(h, billing_data_invoice(b->data, i));
}

/* The list helper's clear_row: a line below the last row. */
static void
clear_row(void *ud, void *win, int y)
{
	wattrset((WINDOW *)win, A_NORMAL);
	wmove(win, y + ((struct billing *)ud)->list_y, 0);
	wclrtoeol(win);
}

static const struct list_ops row_ops = {
	.count = row_count,
	.id_at = row_id,
	.draw_row = draw_row,
	.row_sig = row_sig,
	.clear_row = clear_row,
};

/* The selected row's client, or NULL. */
static const struct client_ref *
selected_client(const struct billing *b)
{
	const struct subscription *s;
	const struct invoice *v;

	if (b->view == BILLING_SUBS) {
		s = billing_data_sub(b->data, b->list.cursor);
		return s != NULL ? &s->client : NULL;
	}
	v = billing_data_invoice(b->data, b->list.cursor);
	return v != NULL ? &v->client : NULL;
}

/* A file name as typed, with a leading ~ or ~/ as $HOME. Malloc'd. */
static char *
export_expand(const char *typed)
{
	const char *home = getenv("HOME");

	if (typed[0] == '~' && (typed[1] == '/' || typed[1] == '\0') &&
	    home != NULL && home[0] != '\0')
		return xasprintf("%s%s", home, typed + 1);
	return xstrdup(typed);
}

/* Writes list as CSV to the file typed, and says what happened (a file
 * already there is replaced whole, atomically). */
static void
export_write(struct billing *b, enum billing_list list, const char *typed)
{
	char *path = export_expand(typed), *csv;
	const char *what = list == BILLING_SUBS ? "subscriptions" : "invoices";
	struct sc_error err = { 0 };
	bool existed = access(path, F_OK) == 0;

	csv = billing_data_csv(b->data, list, full(b));
	if (paths_write_atomic(path, csv, strlen(csv), 0600, &err) != 0)
		app_notice(b->app, true, "export: %s", err.message);
	else
		app_notice(b->app, false, "wrote %zu %s to %s%s",
		           billing_data_count(b->data, list), what, path,
		           existed ? " (it replaced the file there)" : "");
	sc_error_clear(&err);
	free(csv);
	free(path);
}

/* The proposed file name was confirmed (or edited, or cancelled). */
static void
on_export_path(void *ud, char *text, bool submitted)
{
	struct billing *b = ud;

	if (!submitted || text == NULL || text[0] == '\0')
		app_notice(b->app, false, "not exported");
	else
		export_write(b, b->export_list, text);
	free(text);
}

/* No file name given: offers ~/sitecare-LIST-DATE.csv on the line, to
 * confirm or edit. */
static void
export_propose(struct billing *b, enum billing_list list, const char *what)
{
	char day[16] = "", *name, *prompt;
	time_t now = time(NULL);
	struct tm tm;

	if (localtime_r(&now, &tm) != NULL)
		strftime(day, sizeof day, "%Y-%m-%d", &tm);
	name = xasprintf("~/sitecare-%s-%s.csv", what, day);
	prompt = xasprintf("export %s to: ", what);
	b->export_list = list;
	app_text_line(b->app, CMDLINE_PATH, prompt, false, name, NULL,
	              on_export_path, b);
	free(prompt);
	free(name);
}

/* :export subscriptions|invoices [FILE]: the list as shown, as CSV. */
static enum view_result
do_export(struct billing *b, const char *args)
{
	char what[16] = "", path[1024] = "";
	enum billing_list list;
	int got;

	got = args != NULL ? sscanf(args, "%15s %1023[^\n]", what, path) : 0;
	if (got < 1) {
		app_notice(b->app, true,
		           "usage: :export subscriptions|invoices [FILE]");
		return VIEW_HANDLED;
	}
	if (strcmp(what, "subscriptions") == 0)
		list = BILLING_SUBS;
	else if (strcmp(what, "invoices") == 0 && full(b))
		list = BILLING_INVOICES;
	else {
		app_notice(b->app, true, "%s",
		           strcmp(what, "invoices") == 0
		               ? "invoices need billing.read"
		               : "export subscriptions or invoices");
		return VIEW_HANDLED;
	}
	if (got < 2)
		export_propose(b, list, what);
	else
		export_write(b, list, path);
	return VIEW_HANDLED;
}

static enum view_result
do_filter(struct billing *b, const char *args)
{
	char err[256];

	if (billing_data_filter(b->data, b->view, args, err, sizeof err) != 0)
		app_notice(b->app, true, "%s", err);
	b->list.cursor = b->list.top = 0;
	list_changed(&b->list);
	return VIEW_REDRAW;
}

static enum view_result
do_sort(struct billing *b, const char *args)
{
	char err[256];

	if (billing_data_sort(b->data, b->view, args + strspn(args, " "), err,
	                      sizeof err) != 0)
		app_notice(b->app, true, "%s", err);
	list_changed(&b->list);
	return VIEW_REDRAW;
}

static enum view_result
bl_action(void *state, enum action a, const char *args)
{
	struct billing *b = state;
	const struct client_ref *c;

	settle(b);
	switch (a) {
	case ACTION_TOGGLE_VIEW:
		if (!full(b)) {
			app_notice(b->app, true, "invoices need billing.read");
			return VIEW_HANDLED;
		}
		b->view =
		    b->view == BILLING_SUBS ? BILLING_INVOICES : BILLING_SUBS;
		b->list.cursor = b->list.top = 0;
		list_changed(&b->list);
		return VIEW_REDRAW;
	case ACTION_CLIENT_TASKS:
	case ACTION_CLIENT_CHAT:
		c = selected_client(b);
		if (c != NULL)
			app_goto(b->app,
			         a == ACTION_CLIENT_TASKS ? PANE_TASKS
			                                  : PANE_CHAT,
			         c->id);
		return VIEW_HANDLED;
	case ACTION_EXPORT:
		return do_export(b, args);
	case ACTION_REFRESH:
		fetch_all(b);
		return VIEW_REDRAW;
	case ACTION_FILTER:
		return args == NULL ? VIEW_UNHANDLED : do_filter(b, args);
	case ACTION_SORT:
		return args == NULL ? VIEW_UNHANDLED : do_sort(b, args);
	case ACTION_SEARCH:
		if (args == NULL)
			return VIEW_UNHANDLED;
		billing_data_search(b->data, args);
		b->list.cursor = b->list.top = 0;
		list_changed(&b->list);
		return VIEW_REDRAW;
	default:
		return list_view_result(list_action(&b->list, a));
	}
}

/* ---- the rest of the view interface -------------------------------------- */

static enum view_result
bl_event(void *state, const struct app_event *ev)
{
	struct billing *b = state;
	const struct event_payload *e = ev->data;

	switch (ev->kind) {
	case APP_EV_SIGNED_IN:
	case APP_EV_RESYNC:
		/* Not looked at yet: nothing to fetch until it is. */
		if (b->shown)
			fetch_all(b);
		else
			forget_all(b);
		return VIEW_REDRAW;
	case APP_EV_SERVER:
		if (e == NULL || e->type != EVENT_INVOICE_FAILED)
			return VIEW_UNHANDLED;
		/* Invoices and their amounts are for billing.read only. */
		if (!full(b))
			return VIEW_HANDLED;
		on_failed_invoice(b, &e->invoice);
		return VIEW_REDRAW;
	default:
		return VIEW_UNHANDLED;
	}
}

static void
bl_focus(void *state, bool focused)
{
	struct billing *b = state;

	if (!focused)
		return;
	b->shown = true;
	if (!b->subs_loaded && b->sub_req == NULL)
		load(b);
}

static enum key_context
bl_context(void *state)
{
	(void)state;
	return KEYCTX_LIST;
}

static void *
bl_open(struct app *app)
{
	struct billing *b = xcalloc(1, sizeof *b);

	b->app = app;
	b->flags = term_utf8() ? 0 : SANITIZE_ASCII;
	b->bs = app->store->billing;
	/* Before the rows' index: the cursor's id is taken while the rows
	 * are still as they were. */
	billing_store_listen(b->bs, on_store_change, b);
	b->data = billing_data_new(b->bs);
	list_init(&b->list, &row_ops, b);
	return b;
}

static void
bl_free(void *state)
{
	struct billing *b = state;

	if (b == NULL)
		return;
	if (b->app->api != NULL) {
		api_cancel(b->app->api, b->sum_req);
		api_cancel(b->app->api, b->sub_req);
		api_cancel(b->app->api, b->inv_req);
	}
	billing_store_unlisten(b->bs, on_store_change, b);
	billing_data_free(b->data);
	list_free(&b->list);
	free(b->error);
	free(b);
}

/* The hint bar: the keys this pane is used with most. */
static const struct hint bl_list_hints[] = {
	{ ACTION_DOWN, ACTION_UP, "move" },
	{ ACTION_TOGGLE_VIEW, ACTION_NONE, "subscriptions/invoices" },
	{ ACTION_SEARCH, ACTION_NONE, "search" },
	{ ACTION_FILTER, ACTION_NONE, "filter" },
	{ ACTION_SORT, ACTION_NONE, "sort" },
	{ ACTION_HELP, ACTION_NONE, "help" },
	{ ACTION_NONE, ACTION_NONE, NULL },
};

/* The pane's own actions: the help lists them only while it shows. */
static const enum action bl_own_actions[] = {
	ACTION_EXPORT,      ACTION_TOGGLE_VIEW, ACTION_CLIENT_TASKS,
	ACTION_CLIENT_CHAT, ACTION_NONE,
};

const struct view_ops billing_view = {
	.name = "Billing",
	.title = "Billing",
	.permission = PERM_BILLING_SUMMARY | PERM_BILLING_READ,
	.open = bl_open,
	.free = bl_free,
	.resize = bl_resize,
	.draw = bl_draw,
	.action = bl_action,
	.event = bl_event,
	.focus = bl_focus,
	.context = bl_context,
	.hints = { [KEYCTX_LIST] = bl_list_hints },
	.own_actions = bl_own_actions,
};
