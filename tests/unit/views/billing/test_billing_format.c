/* Unit tests for views/billing_format.c: money, chart scaling, CSV. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "views/billing/billing_format.h"

static void
billing_format__money__plain_with_separators(void **state)
{
	char b[64];

	billing_format_money(1234000, "usd", false, b, sizeof b);
	assert_string_equal(b, "$12,340.00");
	billing_format_money(5, "USD", false, b, sizeof b);
	assert_string_equal(b, "$0.05");
	billing_format_money(-525, "usd", false, b, sizeof b);
	assert_string_equal(b, "-$5.25");
	billing_format_money(0, "usd", false, b, sizeof b);
	assert_string_equal(b, "$0.00");
	billing_format_money(123450, "eur", false, b, sizeof b);
	assert_string_equal(b, "\u20ac1,234.50");
	billing_format_money(123450, "eur", true, b, sizeof b);
	assert_string_equal(b, "EUR 1,234.50");
	billing_format_money(1200, "jpy", false, b, sizeof b);
	assert_string_equal(b, "\u00a51,200");
	billing_format_money(123400, "cad", false, b, sizeof b);
	assert_string_equal(b, "1,234.00 CAD");
	billing_format_money(INT64_MAX, "usd", false, b, sizeof b);
	assert_string_equal(b, "$92,233,720,368,547,758.07");
	billing_format_money(INT64_MIN, "usd", false, b, sizeof b);
	assert_string_equal(b, "-$92,233,720,368,547,758.08");
}

static void
billing_format__money_short__k_and_m(void **state)
{
	char b[32];

	billing_format_money_short(95000, "usd", false, b, sizeof b);
	assert_string_equal(b, "$950");
	billing_format_money_short(1234000, "usd", false, b, sizeof b);
	assert_string_equal(b, "$12k");
	billing_format_money_short(123400, "usd", false, b, sizeof b);
	assert_string_equal(b, "$1.2k");
	billing_format_money_short(250000000, "usd", false, b, sizeof b);
	assert_string_equal(b, "$2.5M");
	billing_format_money_short(-50000, "usd", false, b, sizeof b);
	assert_string_equal(b, "-$500");
}

static void
billing_chart__scale__proportional_zero_negative_huge(void **state)
{
	int64_t v[] = { 100, 50, 0, -30, 1, INT64_MAX / 2 };
	int e[6];

	billing_chart_scale(v, 3, 4, e); /* 100, 50, 0 in 4 rows */
	assert_int_equal(e[0], 32);
	assert_int_equal(e[1], 16);
	assert_int_equal(e[2], 0);
	billing_chart_scale(v + 3, 1, 4, e); /* only a negative month */
	assert_int_equal(e[0], 0);
	billing_chart_scale(v + 2, 1, 4, e); /* only a zero month */
	assert_int_equal(e[0], 0);
	billing_chart_scale(v + 4, 2, 8, e); /* tiny next to huge */
	assert_int_equal(e[0], 1);           /* still visible */
	assert_int_equal(e[1], 64);
	billing_chart_scale(v, 1, 8, e); /* one month fills the chart */
	assert_int_equal(e[0], 64);
	billing_chart_scale(v, 2, 0, e); /* no room */
	assert_int_equal(e[0], 0);
}

static void
billing_chart__cell__blocks_and_ascii(void **state)
{
	/* 2 rows, a bar of 11 eighths: the bottom full, the top 3/8. */
	assert_string_equal(billing_chart_cell(11, 2, 1, false), "\u2588");
	assert_string_equal(billing_chart_cell(11, 2, 0, false), "\u2583");
	assert_string_equal(billing_chart_cell(0, 2, 1, false), " ");
	assert_string_equal(billing_chart_cell(16, 2, 0, false), "\u2588");
	assert_string_equal(billing_chart_cell(11, 2, 0, true), ".");
	assert_string_equal(billing_chart_cell(14, 2, 0, true), "#");
	assert_string_equal(billing_chart_cell(11, 2, 1, true), "#");
}

/* A month's label under its bar; a month the service got wrong is "?",
 * never a read past the table. */
static void
billing_format__month__names_and_out_of_range(void **state)
{
	char buf[8];

	(void)state;
	billing_format_month(1, buf, sizeof buf);
	assert_string_equal(buf, "Jan");
	billing_format_month(12, buf, sizeof buf);
	assert_string_equal(buf, "Dec");
	billing_format_month(0, buf, sizeof buf);
	assert_string_equal(buf, "?");
	billing_format_month(13, buf, sizeof buf);
	assert_string_equal(buf, "?");
}

static void
billing_format__csv_cell__quotes_and_formulas(void **state)
{
	const char *cases[][2] = {
		{ "Acme", "Acme" },
		{ "Acme, Inc.", "\"Acme, Inc.\"" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
		{ "two\nlines", "\"two\nlines\"" },
		{ "=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"" },
		{ "+1", "'+1" },
		{ "-2", "'-2" },
		{ "@SUM(A1)", "'@SUM(A1)" },
		{ "\tx", "'\tx" },
		{ "\rx", "\"'\rx\"" },
		{ "-2+3", "'-2+3" },
		{ "", "" },
	};
	size_t i;
	char *c;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		c = billing_format_csv_cell(cases[i][0]);
		assert_string_equal(c, cases[i][1]);
		free(c);
	}
	c = billing_format_csv_cell(NULL);
	assert_string_equal(c, "");
	free(c);
}

static void
billing_format__sub_layout__by_width_and_role(void **state)
{
	static const int x[BILLING_SUB_COUNT] = {
		1, 22, 41, 49, 59, 75, 86, 95
	};
	struct column_layout l;
	int c;

	/* 130, billing.read: every column, where the list has drawn them. */
	billing_format_sub_layout(130, true, &l);
	for (c = 0; c < BILLING_SUB_COUNT; c++) {
		assert_true(l.shown[c]);
		assert_int_equal(l.x[c], x[c]);
	}
	assert_int_equal(l.w[BILLING_SUB_CARD], 130 - 95 - 1);
	/* 120 and below: no company. */
	billing_format_sub_layout(120, true, &l);
	assert_false(l.shown[BILLING_SUB_COMPANY]);
	assert_int_equal(l.x[BILLING_SUB_PLAN], 22);
	/* Without billing.read: no amount, no card. */
	billing_format_sub_layout(130, false, &l);
	assert_false(l.shown[BILLING_SUB_AMOUNT]);
	assert_false(l.shown[BILLING_SUB_CARD]);
	assert_int_equal(l.x[BILLING_SUB_RENEWS], 59);
}

static void
billing_format__invoice_layout__failure_takes_the_rest(void **state)
{
	struct column_layout l;

	billing_format_invoice_layout(130, &l);
	assert_int_equal(l.x[BILLING_INV_NUMBER], 1);
	assert_int_equal(l.x[BILLING_INV_CLIENT], 26);
	assert_int_equal(l.x[BILLING_INV_FAILURE],
	                 1 + 24 + 20 + 13 + 8 + 10 + 10 + 6);
	assert_int_equal(l.x[BILLING_INV_FAILURE] + l.w[BILLING_INV_FAILURE],
	                 129);
	/* A tiny terminal: what does not fit is left out, not cut. */
	billing_format_invoice_layout(44, &l);
	assert_true(l.shown[BILLING_INV_NUMBER]);
	assert_false(l.shown[BILLING_INV_CLIENT]);
	assert_false(l.shown[BILLING_INV_PAID]);
	assert_int_equal(l.x[BILLING_INV_FAILURE], 26);
	assert_int_equal(l.x[BILLING_INV_FAILURE] + l.w[BILLING_INV_FAILURE],
	                 43);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(billing_format__money__plain_with_separators),
		cmocka_unit_test(billing_format__money_short__k_and_m),
		cmocka_unit_test(
		    billing_chart__scale__proportional_zero_negative_huge),
		cmocka_unit_test(billing_chart__cell__blocks_and_ascii),
		cmocka_unit_test(billing_format__month__names_and_out_of_range),
		cmocka_unit_test(billing_format__csv_cell__quotes_and_formulas),
		cmocka_unit_test(billing_format__sub_layout__by_width_and_role),
		cmocka_unit_test(
		    billing_format__invoice_layout__failure_takes_the_rest),
	};

	return cmocka_run_group_tests_name("views/billing_format", tests, NULL,
	                                   NULL);
}
