/* Billing models: the summary, subscriptions and invoices. */
#include "net/client/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/client/json.h"
#include "net/base/xmalloc.h"

JSON_ITEM_FNS(client_ref, struct client_ref)

/* The "subscriptions" counts of the summary. */
static int
sub_counts_from_json(const cJSON *v, const struct json_path *path, void *out,
                     struct sc_error *err)
{
	struct billing_summary *s = out;

	if (json_expect_object(v, path, err) < 0 ||
	    json_int(v, "active", path, JSON_COUNT, &s->active, err) < 0 ||
	    json_int(v, "trialing", path, JSON_COUNT, &s->trialing, err) < 0 ||
	    json_int(v, "past_due", path, JSON_COUNT, &s->past_due, err) < 0 ||
	    json_int(v, "canceled", path, JSON_COUNT, &s->canceled, err) < 0)
		return -1;
	return 0;
}

/* A "YYYY-MM" month into year and month. */
static int
month_from_json(const cJSON *v, const struct json_path *path,
                struct revenue_month *out, struct sc_error *err)
{
	const cJSON *m = json_member(v, "month", path, false, NULL, err);
	const char *s = cJSON_IsString(m) ? m->valuestring : NULL;
	int y, mo;
	char tail;

	if (m == NULL)
		return -1;
	if (s == NULL || strlen(s) != 7 || s[4] != '-' ||
	    strspn(s, "0123456789") != 4 || strspn(s + 5, "0123456789") != 2 ||
	    sscanf(s, "%4d-%2d%c", &y, &mo, &tail) != 2 || mo < 1 || mo > 12) {
		json_fail(err, path, "month", "expected a YYYY-MM month");
		return -1;
	}
	out->year = y;
	out->month = mo;
	return 0;
}

/* One element of revenue_by_month. */
static int
revenue_month_item(const cJSON *v, const struct json_path *path, void *out,
                   struct sc_error *err)
{
	struct revenue_month *r = out;

	memset(r, 0, sizeof *r);
	if (json_expect_object(v, path, err) < 0 ||
	    month_from_json(v, path, r, err) < 0 ||
	    json_int(v, "cents", path, -JSON_MAX_INT, JSON_MAX_INT, &r->cents,
	             err) < 0)
		return -1;
	return 0;
}

/* A revenue month owns nothing. */
static void
revenue_month_item_free(void *item)
{
	memset(item, 0, sizeof(struct revenue_month));
}

/* Fills a billing summary from the object v. */
static int
billing_summary_from_json(const cJSON *v, const struct json_path *path,
                          struct billing_summary *out, struct sc_error *err)
{
	struct json_path counts = JSON_KEY(path, "subscriptions");
	const cJSON *c;
	void *months = NULL;

	memset(out, 0, sizeof *out);
	if (json_expect_object(v, path, err) < 0 ||
	    json_currency(v, "currency", path, out->currency, err) < 0 ||
	    json_int(v, "mrr_cents", path, JSON_COUNT, &out->mrr_cents, err) <
	        0 ||
	    (c = json_member(v, "subscriptions", path, false, NULL, err)) ==
	        NULL ||
	    sub_counts_from_json(c, &counts, out, err) < 0 ||
	    json_int(v, "failed_payments_30d", path, JSON_COUNT,
	             &out->failed_payments_30d, err) < 0 ||
	    json_int(v, "refunds_30d_cents", path, JSON_COUNT,
	             &out->refunds_30d_cents, err) < 0 ||
	    json_array(v, "revenue_by_month", path,
	               sizeof *out->revenue_by_month, revenue_month_item,
	               revenue_month_item_free, &months,
	               &out->nrevenue_by_month, err) < 0) {
		billing_summary_free(out);
		return -1;
	}
	out->revenue_by_month = months;
	return 0;
}

void
billing_summary_free(struct billing_summary *s)
{
	free(s->revenue_by_month);
	memset(s, 0, sizeof *s);
}

/* Fills a card from the object v. */
static int
card_item(const cJSON *v, const struct json_path *path, void *out,
          struct sc_error *err)
{
	struct card *c = out;
	const cJSON *l4;
	int64_t month, year;

	memset(c, 0, sizeof *c);
	if (json_expect_object(v, path, err) < 0 ||
	    json_string_null(v, "brand", path, &c->brand, err) < 0 ||
	    (l4 = json_member(v, "last4", path, false, NULL, err)) == NULL)
		goto fail;
	if (!cJSON_IsString(l4) || strlen(l4->valuestring) != 4 ||
	    strspn(l4->valuestring, "0123456789") != 4) {
		json_fail(err, path, "last4", "expected 4 digits");
		goto fail;
	}
	memcpy(c->last4, l4->valuestring, 5);
	if (json_int(v, "exp_month", path, 1, 12, &month, err) < 0 ||
	    json_int(v, "exp_year", path, 1970, 9999, &year, err) < 0)
		goto fail;
	c->exp_month = (int)month;
	c->exp_year = (int)year;
	return 0;
fail:
	free(c->brand);
	memset(c, 0, sizeof *c);
	return -1;
}

/* The members only billing.read sees; absent altogether otherwise. */
static int
subscription_amounts(const cJSON *v, const struct json_path *path,
                     struct subscription *out, struct sc_error *err)
{
	if (cJSON_GetObjectItemCaseSensitive(v, "amount_cents") == NULL)
		return 0;
	out->has_amounts = true;
	if (json_int(v, "amount_cents", path, JSON_COUNT, &out->amount_cents,
	             err) < 0 ||
	    json_currency(v, "currency", path, out->currency, err) < 0 ||
	    billing_interval_from_json(v, "interval", path, &out->interval,
	                               err) < 0 ||
	    json_child(v, "card", path, &out->has_card, card_item, &out->card,
	               sizeof out->card, err) < 0)
		return -1;
	return 0;
}

/* Fills a subscription from the object v. */
static int
subscription_from_json(const cJSON *v, const struct json_path *path,
                       struct subscription *out, struct sc_error *err)
{
	memset(out, 0, sizeof *out);
	if (json_expect_object(v, path, err) < 0 ||
	    json_int(v, "id", path, JSON_ID, &out->id, err) < 0 ||
	    json_child(v, "client", path, NULL, client_ref_item, &out->client,
	               sizeof out->client, err) < 0 ||
	    plan_from_json(v, "plan", path, &out->plan, err) < 0 ||
	    subscription_status_from_json(v, "status", path, &out->status,
	                                  err) < 0 ||
	    json_time(v, "current_period_end", path, &out->current_period_end,
	              err) < 0 ||
	    json_bool(v, "cancel_at_period_end", path,
	              &out->cancel_at_period_end, err) < 0 ||
	    subscription_amounts(v, path, out, err) < 0) {
		subscription_free(out);
		return -1;
	}
	return 0;
}

void
subscription_free(struct subscription *s)
{
	client_ref_free(&s->client);
	free(s->card.brand);
	memset(s, 0, sizeof *s);
}

int
invoice_from_json(const cJSON *v, const struct json_path *path,
                  struct invoice *out, struct sc_error *err)
{
	memset(out, 0, sizeof *out);
	if (json_expect_object(v, path, err) < 0 ||
	    json_int(v, "id", path, JSON_ID, &out->id, err) < 0 ||
	    json_string(v, "number", path, &out->number, err) < 0 ||
	    json_child(v, "client", path, NULL, client_ref_item, &out->client,
	               sizeof out->client, err) < 0 ||
	    json_int(v, "amount_cents", path, JSON_COUNT, &out->amount_cents,
	             err) < 0 ||
	    json_currency(v, "currency", path, out->currency, err) < 0 ||
	    invoice_status_from_json(v, "status", path, &out->status, err) <
	        0 ||
	    json_time(v, "created_at", path, &out->created_at, err) < 0 ||
	    json_time_null(v, "paid_at", path, &out->has_paid_at, &out->paid_at,
	                   err) < 0 ||
	    json_string(v, "stripe_ref", path, &out->stripe_ref, err) < 0 ||
	    json_string_null(v, "failure_reason", path, &out->failure_reason,
	                     err) < 0) {
		invoice_free(out);
		return -1;
	}
	return 0;
}

void
invoice_free(struct invoice *i)
{
	free(i->number);
	client_ref_free(&i->client);
	free(i->stripe_ref);
	free(i->failure_reason);
	memset(i, 0, sizeof *i);
}

/* Copies a string that may be NULL. */
static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

void
invoice_copy(struct invoice *dst, const struct invoice *src)
{
	*dst = *src;
	dst->number = dup_or_null(src->number);
	dst->client.name = dup_or_null(src->client.name);
	dst->client.company = dup_or_null(src->client.company);
	dst->stripe_ref = dup_or_null(src->stripe_ref);
	dst->failure_reason = dup_or_null(src->failure_reason);
}

JSON_ITEM_FNS(billing_summary, struct billing_summary)
JSON_ITEM_FNS(subscription, struct subscription)
JSON_ITEM_FNS(invoice, struct invoice)
JSON_PAGE_FNS(subscription)
JSON_PAGE_FNS(invoice)

int
billing_summary_parse(const char *body, size_t len, struct billing_summary *out,
                      struct sc_error *err)
{
	memset(out, 0, sizeof *out);
	return json_document(body, len, billing_summary_item, out, err);
}
