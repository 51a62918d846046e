/* The billing pane's lists: loaded, filtered, ordered, exported. */
#ifndef SITECARE_VIEWS_BILLING_DATA_H
#define SITECARE_VIEWS_BILLING_DATA_H

#include <stdbool.h>
#include <stddef.h>

#include "net/client/model.h"
#include "net/store/billing_store.h"

/*
 * The rows the pane shows of what the store holds (net/store/
 * billing_store.h): those matching the filter (status, plan) and the
 * client search, in the chosen order, as an index of ids the store's
 * changes keep in order. Subscriptions default to the ones needing a call
 * first (past due, trialing, active, canceled; then by client); invoices
 * to failed first, then newest. No curses here: the index, the CSV
 * export and the filters are unit-tested.
 */
struct billing_data;

/* Shows what bs holds, and follows its changes (bs outlives it). */
struct billing_data *billing_data_new(struct billing_store *bs);
void billing_data_free(struct billing_data *bd);

/* The rows shown in list, and row i of them. */
size_t billing_data_count(const struct billing_data *bd,
                          enum billing_list list);
size_t billing_data_total(const struct billing_data *bd,
                          enum billing_list list);
const struct subscription *billing_data_sub(const struct billing_data *bd,
                                            size_t i);
const struct invoice *billing_data_invoice(const struct billing_data *bd,
                                           size_t i);
/* The id of row i of list (0 past the end). */
int64_t billing_data_id(const struct billing_data *bd, enum billing_list list,
                        size_t i);
/* Where list shows id (binary search); false when it does not. */
bool billing_data_find(const struct billing_data *bd, enum billing_list list,
                       int64_t id, size_t *at);

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
