/* Money, chart scaling and CSV cells for the billing pane: pure, tested. */
#ifndef SITECARE_VIEWS_BILLING_FORMAT_H
#define SITECARE_VIEWS_BILLING_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tui/columns.h"

/* The subscription list's columns, left to right. */
enum billing_sub_col {
	BILLING_SUB_CLIENT,
	BILLING_SUB_COMPANY,
	BILLING_SUB_PLAN,
	BILLING_SUB_STATUS,
	BILLING_SUB_AMOUNT, /* "$29.00/mo"; billing.read only */
	BILLING_SUB_RENEWS,
	BILLING_SUB_CANCELS, /* "cancels" at the period's end */
	BILLING_SUB_CARD,    /* billing.read only */
	BILLING_SUB_COUNT,
};

/* The invoice list's columns, left to right. */
enum billing_inv_col {
	BILLING_INV_NUMBER,
	BILLING_INV_CLIENT,
	BILLING_INV_AMOUNT,
	BILLING_INV_STATUS,
	BILLING_INV_CREATED,
	BILLING_INV_PAID,
	BILLING_INV_FAILURE,
	BILLING_INV_COUNT,
};

/*
 * The subscription list's columns for width (indexed by enum
 * billing_sub_col): the company only above 120 columns, the amount and
 * the card only when full (billing.read); the card takes what is left.
 */
void billing_format_sub_layout(int width, bool full, struct column_layout *out);

/* The invoice list's columns for width; the failure takes what is left. */
void billing_format_invoice_layout(int width, struct column_layout *out);

/*
 * cents in currency (a 3-letter code, any case) written plainly:
 * "$12,340.00", "-$5.25", "€1,234.50", "£0.99", "¥1,200" (no minor
 * unit for jpy), else "1,234.00 CAD". ascii: "EUR 1,234.50" instead of
 * a non-ASCII symbol. Never fails: buf is always terminated.
 */
void billing_format_money(int64_t cents, const char *currency, bool ascii,
                          char *buf, size_t len);

/* A chart's month label: "Jan" .. "Dec" for month 1 .. 12, "?" else. */
void billing_format_month(int month, char *buf, size_t len);

/* The same, short, for chart labels: "$950", "$12.3k", "$1.2M". */
void billing_format_money_short(int64_t cents, const char *currency, bool ascii,
                                char *buf, size_t len);

/*
 * Bar heights for values in eighths of a row, for a chart rows rows
 * high: the largest value fills rows * 8, the others in proportion
 * (rounded, at least one eighth for any positive value); zero and
 * negative values (refunds exceeding revenue) get no bar. Sums are done
 * in 128 bits' worth of care, so huge values do not overflow.
 */
void billing_chart_scale(const int64_t *values, size_t n, int rows,
                         int *eighths);

/*
 * What row r (0: the top) of a bar e eighths high shows in a chart rows
 * high: a full block, a partial block (eighth blocks), or a blank. ascii:
 * '#' for full rows and the upper half, '.' for a small remainder.
 */
const char *billing_chart_cell(int e, int rows, int r, bool ascii);

/*
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote, CR or
 * LF (quotes doubled); a cell starting with =, +, -, @, tab or CR gets a
 * leading apostrophe first, so a spreadsheet never runs it as a formula.
 * NULL is an empty cell. The caller frees.
 */
char *billing_format_csv_cell(const char *s);

#endif
