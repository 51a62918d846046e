/* The billing pane: revenue, subscriptions, failed payments, invoices. */
#ifndef SITECARE_VIEWS_BILLING_H
#define SITECARE_VIEWS_BILLING_H

#include "tui/view.h"

/*
 * The Billing tab (PANE_BILLING, shown with billing.summary or
 * billing.read). With billing.read: a summary band (MRR, subscriptions
 * by status, failed payments and refunds in the last 30 days), the last
 * 12 months of revenue as a bar chart (eighth blocks; ASCII without
 * UTF-8) scaled to the pane, and the subscriptions or invoices (v
 * switches) with amounts and cards (brand and last 4 only). With
 * billing.summary alone: plans and statuses, nothing else. `:filter`,
 * `:sort` and `/` (client) work on the list shown; T and M jump to the
 * client's tasks and conversation; `:export subscriptions|invoices [FILE]`
 * writes the list as on screen as CSV. invoice.failed updates it live
 * and raises a notification.
 */
extern const struct view_ops billing_view;

#endif
