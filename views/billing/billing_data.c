/* The billing pane's lists: see billing_data.h. */
#include "views/billing/billing_data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net/base/xmalloc.h"
#include "net/store/billing_store.h"
#include "views/billing/billing_format.h"
#include "views/shared/task_format.h"

/* The orders each list offers. */
enum sub_sort { SORT_STATUS, SORT_CLIENT, SORT_PLAN, SORT_AMOUNT, SORT_END };
enum inv_sort { ISORT_FAILED, ISORT_CREATED, ISORT_AMOUNT, ISORT_CLIENT };

static const char *const sub_sorts[] = { "status", "client",     "plan",
	                                 "amount", "period-end", NULL };
static const char *const inv_sorts[] = { "failed", "created", "amount",
	                                 "client", NULL };

/*
 * The rows shown are an index of ids into the store, kept in order:
 * a page's new rows are sorted among themselves and merged in (each
 * placed by binary search), a changed row is taken out before it changes
 * and put back after, so nothing re-sorts everything but a change of
 * filter, search or order.
 */
struct billing_data {
	struct billing_store *bs;
	int64_t *shown[2];
	size_t nshown[2], cap[2];

	unsigned sub_status; /* bits of enum subscription_status; 0: any */
	unsigned sub_plan;   /* bits of enum plan; 0: any */
	unsigned inv_status; /* bits of enum invoice_status; 0: any */
	char *search;
	int sort[2];
	bool reverse[2];
};

static void on_change(void *ud, const struct billing_change *c);

struct billing_data *
billing_data_new(struct billing_store *bs)
{
	struct billing_data *bd = xcalloc(1, sizeof(struct billing_data));

	bd->bs = bs;
	billing_store_listen(bs, on_change, bd);
	return bd;
}

void
billing_data_free(struct billing_data *bd)
{
	if (bd == NULL)
		return;
	billing_store_unlisten(bd->bs, on_change, bd);
	free(bd->shown[0]);
	free(bd->shown[1]);
	free(bd->search);
	free(bd);
}

/* ---- matching and ordering --------------------------------------------- */

/* True when the search text is in the client's name or company. */
static bool
client_matches(const struct billing_data *bd, const struct client_ref *c)
{
	size_t off;

	if (bd->search == NULL)
		return true;
	return (c->name != NULL &&
	        task_format_find(c->name, bd->search, 0, &off)) ||
	       (c->company != NULL &&
	        task_format_find(c->company, bd->search, 0, &off));
}

static bool
sub_shown(const struct billing_data *bd, const struct subscription *s)
{
	return (bd->sub_status == 0 || (bd->sub_status >> s->status) & 1) &&
	       (bd->sub_plan == 0 || (bd->sub_plan >> s->plan) & 1) &&
	       client_matches(bd, &s->client);
}

static bool
inv_shown(const struct billing_data *bd, const struct invoice *v)
{
	return (bd->inv_status == 0 || (bd->inv_status >> v->status) & 1) &&
	       client_matches(bd, &v->client);
}

/* True when the store holds id in list and the filter lets it show. */
static bool
id_shown(const struct billing_data *bd, enum billing_list list, int64_t id)
{
	const struct subscription *s;
	const struct invoice *v;

	if (list == BILLING_SUBS)
		return (s = billing_store_sub(bd->bs, id)) != NULL &&
		       sub_shown(bd, s);
	return (v = billing_store_invoice(bd->bs, id)) != NULL &&
	       inv_shown(bd, v);
}

/* How urgently a subscription status needs a call: past due first. */
static int
urgency(enum subscription_status s)
{
	static const int rank[] = { [SUB_PAST_DUE] = 0,
		                    [SUB_TRIALING] = 1,
		                    [SUB_ACTIVE] = 2,
		                    [SUB_CANCELED] = 3 };

	return rank[s];
}

static int
by_name(const struct client_ref *a, const struct client_ref *b)
{
	return strcmp(a->name ? a->name : "", b->name ? b->name : "");
}

/* Three-way comparison of two numbers. */
#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b) ? 1 : 0)

static int
compare_subs(const struct billing_data *bd, const struct subscription *a,
             const struct subscription *b)
{
	int c = 0;

	switch (bd->sort[BILLING_SUBS]) {
	case SORT_STATUS:
		c = CMP(urgency(a->status), urgency(b->status));
		break;
	case SORT_PLAN:
		c = CMP(a->plan, b->plan);
		break;
	case SORT_AMOUNT:
		c = -CMP(a->amount_cents, b->amount_cents);
		break;
	case SORT_END:
		c = CMP(a->current_period_end, b->current_period_end);
		break;
	default:
		break;
	}
	if (c == 0)
		c = by_name(&a->client, &b->client);
	if (c == 0)
		c = CMP(a->id, b->id);
	return bd->reverse[BILLING_SUBS] ? -c : c;
}

static int
compare_invs(const struct billing_data *bd, const struct invoice *a,
             const struct invoice *b)
{
	int c = 0;

	switch (bd->sort[BILLING_INVOICES]) {
	case ISORT_FAILED:
		c = CMP(a->status != INVOICE_FAILED,
		        b->status != INVOICE_FAILED);
		break;
	case ISORT_AMOUNT:
		c = -CMP(a->amount_cents, b->amount_cents);
		break;
	case ISORT_CLIENT:
		c = by_name(&a->client, &b->client);
		break;
	default:
		break;
	}
	if (c == 0)
		c = -CMP(a->created_at, b->created_at);
	if (c == 0)
		c = -CMP(a->id, b->id);
	return bd->reverse[BILLING_INVOICES] ? -c : c;
}

/* The order of two ids held in list (the id breaks every tie). */
static int
compare_ids(const struct billing_data *bd, enum billing_list list, int64_t a,
            int64_t b)
{
	if (list == BILLING_SUBS)
		return compare_subs(bd, billing_store_sub(bd->bs, a),
		                    billing_store_sub(bd->bs, b));
	return compare_invs(bd, billing_store_invoice(bd->bs, a),
	                    billing_store_invoice(bd->bs, b));
}

/* Sorts ids[0..n) in list's order: a bottom-up merge sort, because
 * qsort takes no context pointer and the order needs bd. */
static void
sort_ids(const struct billing_data *bd, enum billing_list list, int64_t *ids,
         size_t n)
{
	int64_t *tmp = xreallocarray(NULL, n + 1, sizeof *tmp);
	size_t width, lo, i, j, k, mid, hi;

	for (width = 1; width < n; width *= 2) {
		for (lo = 0; lo < n; lo += 2 * width) {
			mid = lo + width < n ? lo + width : n;
			hi = lo + 2 * width < n ? lo + 2 * width : n;
			for (i = lo, j = mid, k = lo; k < hi; k++)
				tmp[k] =
				    j >= hi || (i < mid &&
				                compare_ids(bd, list, ids[i],
				                            ids[j]) <= 0)
				        ? ids[i++]
				        : ids[j++];
		}
		memcpy(ids, tmp, n * sizeof *ids);
	}
	free(tmp);
}

/* The first position of shown[0..end) not before id (binary search). */
static size_t
lower_bound(const struct billing_data *bd, enum billing_list list, size_t end,
            int64_t id)
{
	size_t lo = 0, hi = end, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (compare_ids(bd, list, bd->shown[list][mid], id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Makes room for n rows in list's index. */
static void
reserve(struct billing_data *bd, enum billing_list list, size_t n)
{
	if (n <= bd->cap[list])
		return;
	bd->cap[list] = n < 2 * bd->cap[list] ? 2 * bd->cap[list] : n;
	bd->shown[list] = xreallocarray(bd->shown[list], bd->cap[list],
	                                sizeof *bd->shown[list]);
}

/* Recomputes which rows list shows, in order (a new filter or order). */
static void
reorder(struct billing_data *bd, enum billing_list list)
{
	size_t pos = 0;
	int64_t id;

	reserve(bd, list, billing_store_count(bd->bs, list) + 1);
	bd->nshown[list] = 0;
	while (billing_store_next(bd->bs, list, &pos, &id))
		if (id_shown(bd, list, id))
			bd->shown[list][bd->nshown[list]++] = id;
	sort_ids(bd, list, bd->shown[list], bd->nshown[list]);
}

/* Takes the rows of ids out of list's index, while they are still held
 * as they were placed. */
static void
take_out(struct billing_data *bd, enum billing_list list, const int64_t *ids,
         size_t n)
{
	int64_t *rows = bd->shown[list];
	size_t i, at;

	for (i = 0; i < n; i++) {
		if (!id_shown(bd, list, ids[i]))
			continue;
		at = lower_bound(bd, list, bd->nshown[list], ids[i]);
		if (at == bd->nshown[list] || rows[at] != ids[i])
			continue;
		memmove(&rows[at], &rows[at + 1],
		        (bd->nshown[list] - at - 1) * sizeof *rows);
		bd->nshown[list]--;
	}
}

/* Merges the rows of ids that the filter shows into list's index: the
 * new ones are sorted, then placed from the end, each by binary search. */
static void
merge_in(struct billing_data *bd, enum billing_list list, const int64_t *ids,
         size_t n)
{
	int64_t *add = xreallocarray(NULL, n + 1, sizeof *add), *rows;
	size_t nadd = 0, i, end, at;

	for (i = 0; i < n; i++)
		if (id_shown(bd, list, ids[i]))
			add[nadd++] = ids[i];
	sort_ids(bd, list, add, nadd);
	reserve(bd, list, bd->nshown[list] + nadd + 1);
	rows = bd->shown[list];
	end = bd->nshown[list];
	for (i = nadd; i > 0; i--) {
		at = lower_bound(bd, list, end, add[i - 1]);
		memmove(&rows[at + i], &rows[at], (end - at) * sizeof *rows);
		rows[at + i - 1] = add[i - 1];
		end = at;
	}
	bd->nshown[list] += nadd;
	free(add);
}

/* The store's listener: keeps the index in step with what is held. */
static void
on_change(void *ud, const struct billing_change *c)
{
	struct billing_data *bd = ud;

	switch (c->kind) {
	case BILLING_CHANGING:
		take_out(bd, c->list, c->ids, c->n);
		break;
	case BILLING_INSERTED:
	case BILLING_UPDATED:
		merge_in(bd, c->list, c->ids, c->n);
		break;
	case BILLING_CLEARED:
		bd->nshown[c->list] = 0;
		break;
	default:
		break;
	}
}

size_t
billing_data_count(const struct billing_data *bd, enum billing_list list)
{
	return bd->nshown[list];
}

size_t
billing_data_total(const struct billing_data *bd, enum billing_list list)
{
	return billing_store_count(bd->bs, list);
}

const struct subscription *
billing_data_sub(const struct billing_data *bd, size_t i)
{
	return i < bd->nshown[BILLING_SUBS]
	           ? billing_store_sub(bd->bs, bd->shown[BILLING_SUBS][i])
	           : NULL;
}

const struct invoice *
billing_data_invoice(const struct billing_data *bd, size_t i)
{
	return i < bd->nshown[BILLING_INVOICES]
	           ? billing_store_invoice(bd->bs,
	                                   bd->shown[BILLING_INVOICES][i])
	           : NULL;
}

int64_t
billing_data_id(const struct billing_data *bd, enum billing_list list, size_t i)
{
	return i < bd->nshown[list] ? bd->shown[list][i] : 0;
}

bool
billing_data_find(const struct billing_data *bd, enum billing_list list,
                  int64_t id, size_t *at)
{
	if (!id_shown(bd, list, id))
		return false;
	*at = lower_bound(bd, list, bd->nshown[list], id);
	return *at < bd->nshown[list] && bd->shown[list][*at] == id;
}

/* ---- filters, search, order --------------------------------------------- */

/* "a,b,c" of names known to from_name, as bits; -1 with err. */
static int
name_bits(const char *list, int (*from_name)(const char *, int *),
          const char *what, unsigned *bits, char *err, size_t len)
{
	char *copy = xstrdup(list), *tok, *save = NULL;
	int v, rc = 0;

	*bits = 0;
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		if (from_name(tok, &v) != 0) {
			snprintf(err, len, "no %s \"%s\"", what, tok);
			rc = -1;
			break;
		}
		*bits |= 1u << v;
	}
	free(copy);
	return rc;
}

static int
sub_status_of(const char *n, int *v)
{
	enum subscription_status s;
	int rc = subscription_status_from_name(n, &s);

	*v = (int)s;
	return rc;
}

static int
plan_of(const char *n, int *v)
{
	enum plan p;
	int rc = plan_from_name(n, &p);

	*v = (int)p;
	return rc;
}

static int
inv_status_of(const char *n, int *v)
{
	enum invoice_status s;
	int rc = invoice_status_from_name(n, &s);

	*v = (int)s;
	return rc;
}

/* One "key=value" term of a filter. */
static int
filter_term(struct billing_data *bd, enum billing_list list, const char *key,
            const char *value, char *err, size_t len)
{
	if (strcmp(key, "status") == 0 && list == BILLING_SUBS)
		return name_bits(value, sub_status_of, "subscription status",
		                 &bd->sub_status, err, len);
	if (strcmp(key, "status") == 0)
		return name_bits(value, inv_status_of, "invoice status",
		                 &bd->inv_status, err, len);
	if (strcmp(key, "plan") == 0 && list == BILLING_SUBS)
		return name_bits(value, plan_of, "plan", &bd->sub_plan, err,
		                 len);
	snprintf(err, len, "%s: filter by %s", key,
	         list == BILLING_SUBS ? "status=... plan=..." : "status=...");
	return -1;
}

int
billing_data_filter(struct billing_data *bd, enum billing_list list,
                    const char *args, char *err, size_t len)
{
	char *copy = xstrdup(args), *tok, *save = NULL, *eq;
	unsigned old[3] = { bd->sub_status, bd->sub_plan, bd->inv_status };
	int rc = 0;

	if (strcmp(args + strspn(args, " "), "clear") == 0) {
		if (list == BILLING_SUBS)
			bd->sub_status = bd->sub_plan = 0;
		else
			bd->inv_status = 0;
		billing_data_search(bd, "");
		free(copy);
		return 0;
	}
	for (tok = strtok_r(copy, " \t", &save); tok != NULL && rc == 0;
	     tok = strtok_r(NULL, " \t", &save)) {
		eq = strchr(tok, '=');
		if (eq == NULL) {
			snprintf(err, len, "\"%s\": expected key=value", tok);
			rc = -1;
			break;
		}
		*eq = '\0';
		rc = filter_term(bd, list, tok, eq + 1, err, len);
	}
	free(copy);
	if (rc != 0) { /* a typo leaves the filter as it was */
		bd->sub_status = old[0];
		bd->sub_plan = old[1];
		bd->inv_status = old[2];
	}
	reorder(bd, list);
	return rc;
}

/* Appends the names of the bits set to *out ("status=a,b "). */
static void
describe_bits(char **out, const char *key, unsigned bits,
              const char *(*name)(int), int count)
{
	int i;
	bool first = true;

	if (bits == 0)
		return;
	for (i = 0; i < count; i++) {
		char *more;

		if (!((bits >> i) & 1))
			continue;
		more = xasprintf("%s%s%s%s", *out, first ? key : ",",
		                 first ? "=" : "", name(i));
		free(*out);
		*out = more;
		first = false;
	}
	{
		char *more = xasprintf("%s ", *out);

		free(*out);
		*out = more;
	}
}

static const char *
sub_status_name_int(int i)
{
	return subscription_status_name((enum subscription_status)i);
}

static const char *
plan_name_int(int i)
{
	return plan_name((enum plan)i);
}

static const char *
inv_status_name_int(int i)
{
	return invoice_status_name((enum invoice_status)i);
}

char *
billing_data_describe(const struct billing_data *bd, enum billing_list list)
{
	char *out = xstrdup(""), *more;

	if (list == BILLING_SUBS) {
		describe_bits(&out, "status", bd->sub_status,
		              sub_status_name_int, SUBSCRIPTION_STATUS_COUNT);
		describe_bits(&out, "plan", bd->sub_plan, plan_name_int,
		              PLAN_COUNT);
	} else
		describe_bits(&out, "status", bd->inv_status,
		              inv_status_name_int, INVOICE_STATUS_COUNT);
	if (bd->search != NULL) {
		more = xasprintf("%sclient~%s ", out, bd->search);
		free(out);
		out = more;
	}
	if (out[0] == '\0') {
		free(out);
		return xstrdup("all");
	}
	out[strlen(out) - 1] = '\0';
	return out;
}

void
billing_data_search(struct billing_data *bd, const char *text)
{
	free(bd->search);
	bd->search = text != NULL && text[0] != '\0' ? xstrdup(text) : NULL;
	reorder(bd, BILLING_SUBS);
	reorder(bd, BILLING_INVOICES);
}

int
billing_data_sort(struct billing_data *bd, enum billing_list list,
                  const char *key, char *err, size_t len)
{
	const char *const *names = list == BILLING_SUBS ? sub_sorts : inv_sorts;
	bool reverse = key[0] == '-';
	int i;

	key += reverse;
	for (i = 0; names[i] != NULL; i++)
		if (strcmp(names[i], key) == 0) {
			bd->sort[list] = i;
			bd->reverse[list] = reverse;
			reorder(bd, list);
			return 0;
		}
	snprintf(err, len, "no order \"%s\" here: %s", key,
	         list == BILLING_SUBS
	             ? "status, client, plan, amount, period-end"
	             : "failed, created, amount, client");
	return -1;
}

const char *
billing_data_sort_name(const struct billing_data *bd, enum billing_list list)
{
	return (list == BILLING_SUBS ? sub_sorts : inv_sorts)[bd->sort[list]];
}

/* ---- CSV ----------------------------------------------------------------- */

/* A growing text, for the CSV. */
struct text {
	char *s;
	size_t len, cap;
};

static void
text_add(struct text *t, const char *s)
{
	size_t n = strlen(s);

	if (t->len + n + 1 > t->cap) {
		t->cap = (t->len + n + 1) * 2;
		t->s = xrealloc(t->s, t->cap);
	}
	memcpy(t->s + t->len, s, n + 1);
	t->len += n;
}

/* Appends cells as one CSV line: each cell made safe, joined with
 * commas, ended with CRLF. */
static void
csv_line(struct text *out, const char *const *cells, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char *cell = billing_format_csv_cell(cells[i]);

		if (i > 0)
			text_add(out, ",");
		text_add(out, cell);
		free(cell);
	}
	text_add(out, "\r\n");
}

/* A date in UTC, "2026-11-28", or "" for none. */
static void
csv_date(time_t t, bool has, char *buf, size_t len)
{
	struct tm tm;

	buf[0] = '\0';
	if (has && gmtime_r(&t, &tm) != NULL)
		strftime(buf, len, "%Y-%m-%d", &tm);
}

/* An amount as a plain number ("1234.50", "-5.00"). */
static void
csv_amount(int64_t cents, char *buf, size_t len)
{
	unsigned long long abs = cents < 0 ? 0ULL - (unsigned long long)cents
	                                   : (unsigned long long)cents;

	snprintf(buf, len, "%s%llu.%02llu", cents < 0 ? "-" : "", abs / 100,
	         abs % 100);
}

static void
csv_sub(struct text *out, const struct subscription *s, bool amounts)
{
	char end[16], amount[32] = "", last4[8] = "";
	const char *cells[11];
	size_t n = 0;

	csv_date(s->current_period_end, true, end, sizeof end);
	cells[n++] = s->client.name;
	cells[n++] = s->client.company;
	cells[n++] = plan_name(s->plan);
	cells[n++] = subscription_status_name(s->status);
	cells[n++] = end;
	cells[n++] = s->cancel_at_period_end ? "yes" : "no";
	if (amounts) {
		if (s->has_amounts)
			csv_amount(s->amount_cents, amount, sizeof amount);
		if (s->has_card)
			snprintf(last4, sizeof last4, "%s", s->card.last4);
		cells[n++] = amount;
		cells[n++] = s->has_amounts ? s->currency : "";
		cells[n++] =
		    s->has_amounts ? billing_interval_name(s->interval) : "";
		cells[n++] = s->has_card && s->card.brand ? s->card.brand : "";
		cells[n++] = last4;
	}
	csv_line(out, cells, n);
}

static void
csv_invoice(struct text *out, const struct invoice *v)
{
	char created[16], paid[16], amount[32];
	const char *cells[] = {
		v->number, v->client.name, v->client.company,
		amount,    v->currency,    invoice_status_name(v->status),
		created,   paid,           v->failure_reason
	};

	csv_amount(v->amount_cents, amount, sizeof amount);
	csv_date(v->created_at, true, created, sizeof created);
	csv_date(v->paid_at, v->has_paid_at, paid, sizeof paid);
	csv_line(out, cells, sizeof cells / sizeof cells[0]);
}

char *
billing_data_csv(const struct billing_data *bd, enum billing_list list,
                 bool amounts)
{
	static const char *const sub_head[] = {
		"client",     "company",    "plan",
		"status",     "period_end", "cancel_at_period_end",
		"amount",     "currency",   "interval",
		"card_brand", "card_last4",
	};
	static const char *const inv_head[] = {
		"number", "client",     "company", "amount",         "currency",
		"status", "created_at", "paid_at", "failure_reason",
	};
	struct text out = { NULL, 0, 0 };
	size_t i;

	text_add(&out, "");
	if (list == BILLING_SUBS) {
		csv_line(&out, sub_head, amounts ? 11 : 6);
		for (i = 0; i < bd->nshown[BILLING_SUBS]; i++)
			csv_sub(&out, billing_data_sub(bd, i), amounts);
	} else {
		csv_line(&out, inv_head, 9);
		for (i = 0; i < bd->nshown[BILLING_INVOICES]; i++)
			csv_invoice(&out, billing_data_invoice(bd, i));
	}
	return out.s;
}
