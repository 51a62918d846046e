/* The billing pane's lists: loaded, filtered, ordered, exported. */
#ifndef SITECARE_VIEWS_BILLING_DATA_H
#define SITECARE_VIEWS_BILLING_DATA_H

#include <stdbool.h>
#include <stddef.h>

#include "net/client/model.h"

/*
 * Every subscription and invoice loaded (the pane walks the pages to the
 * end: a business has hundreds, not millions), and the rows shown: those
 * matching the filter (status, plan) and the client search, in the
 * chosen order. Subscriptions default to the ones needing a call first
 * (past due, trialing, active, canceled; then by client); invoices to
 * failed first, then newest. No curses here: the CSV export and the
 * filters are unit-tested.
 */
struct billing_data;

enum billing_list { BILLING_SUBS, BILLING_INVOICES };

struct billing_data *billing_data_new(void);
void billing_data_free(struct billing_data *bd);

/* Forgets list's rows (before loading it again). */
void billing_data_clear(struct billing_data *bd, enum billing_list list);
/* Takes the page's items (the page keeps its cursor); then re-sorts. */
void billing_data_add_subs(struct billing_data *bd,
                           struct subscription_page *p);
void billing_data_add_invoices(struct billing_data *bd, struct invoice_page *p);
/* A live invoice (invoice.failed): replaces the one with its id or is
 * added. The invoice is copied. */
void billing_data_put_invoice(struct billing_data *bd,
                              const struct invoice *inv);

/* The rows shown in list, and row i of them. */
size_t billing_data_count(const struct billing_data *bd,
                          enum billing_list list);
size_t billing_data_total(const struct billing_data *bd,
                          enum billing_list list);
const struct subscription *billing_data_sub(const struct billing_data *bd,
                                            size_t i);
const struct invoice *billing_data_invoice(const struct billing_data *bd,
                                           size_t i);

/*
 * :filter for list: "status=past_due,trialing plan=pro" (plan only for
 * subscriptions), "clear"; 0, or -1 with err. The description of the
 * filter and search now ("status=failed q=acme", or "all").
 */
int billing_data_filter(struct billing_data *bd, enum billing_list list,
                        const char *args, char *err, size_t len);
char *billing_data_describe(const struct billing_data *bd,
                            enum billing_list list);
/* / TEXT: clients whose name or company has TEXT ("" ends it). */
void billing_data_search(struct billing_data *bd, const char *text);

/*
 * :sort for list: subscriptions "status" (default), "client", "plan",
 * "amount", "period-end"; invoices "failed" (default), "created",
 * "amount", "client". A leading '-' reverses. 0, or -1 with err.
 */
int billing_data_sort(struct billing_data *bd, enum billing_list list,
                      const char *key, char *err, size_t len);
const char *billing_data_sort_name(const struct billing_data *bd,
                                   enum billing_list list);

/*
 * The rows shown in list as CSV (a header line, then one line per row,
 * CRLF as RFC 4180 says), cells quoted and formula-safe; amounts and
 * cards only with amounts (billing.read). The caller frees.
 */
char *billing_data_csv(const struct billing_data *bd, enum billing_list list,
                       bool amounts);

#endif
