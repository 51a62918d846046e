/* Money, chart scaling and CSV cells: see billing_format.h. */
#include "views/billing/billing_format.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/base/xmalloc.h"

/* A currency's symbol and whether it has cents. */
struct currency {
	const char *code, *symbol;
	bool minor;
};

static const struct currency currencies[] = {
	{ "usd", "$", true },      { "eur", "\u20ac", true },
	{ "gbp", "\u00a3", true }, { "jpy", "\u00a5", false },
	{ "cad", NULL, true },     { "aud", NULL, true },
};

/* The currency called code, or NULL. */
static const struct currency *
find_currency(const char *code)
{
	size_t i;

	for (i = 0; i < sizeof currencies / sizeof currencies[0]; i++)
		if (code != NULL && strcasecmp(code, currencies[i].code) == 0)
			return &currencies[i];
	return NULL;
}

/* Writes n (>= 0) with thousands separators into buf. */
static void
group(unsigned long long n, char *buf, size_t len)
{
	char digits[32], out[48];
	int nd = snprintf(digits, sizeof digits, "%llu", n), i, o = 0;

	for (i = 0; i < nd; i++) {
		if (i > 0 && (nd - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	snprintf(buf, len, "%s", out);
}

/* The code in capitals ("CAD"), for currencies without a symbol. */
static void
upper_code(const char *code, char out[4])
{
	size_t i;

	for (i = 0; i < 3 && code != NULL && code[i] != '\0'; i++)
		out[i] = (char)toupper((unsigned char)code[i]);
	out[i] = '\0';
}

void
billing_format_money(int64_t cents, const char *currency, bool ascii, char *buf,
                     size_t len)
{
	const struct currency *c = find_currency(currency);
	bool minor = c == NULL || c->minor;
	unsigned long long abs = cents < 0 ? 0ULL - (unsigned long long)cents
	                                   : (unsigned long long)cents;
	char whole[48], code[4];
	const char *sign = cents < 0 ? "-" : "";

	group(minor ? abs / 100 : abs, whole, sizeof whole);
	upper_code(currency, code);
	if (c != NULL && c->symbol != NULL && (!ascii || c->symbol[0] == '$')) {
		if (minor)
			snprintf(buf, len, "%s%s%s.%02llu", sign, c->symbol,
			         whole, abs % 100);
		else
			snprintf(buf, len, "%s%s%s", sign, c->symbol, whole);
	} else if (c != NULL && c->symbol != NULL) {
		if (minor)
			snprintf(buf, len, "%s%s %s.%02llu", sign, code, whole,
			         abs % 100);
		else
			snprintf(buf, len, "%s%s %s", sign, code, whole);
	} else
		snprintf(buf, len, "%s%s.%02llu %s", sign, whole, abs % 100,
		         code);
}

void
billing_format_money_short(int64_t cents, const char *currency, bool ascii,
                           char *buf, size_t len)
{
	const struct currency *c = find_currency(currency);
	unsigned long long abs = cents < 0 ? 0ULL - (unsigned long long)cents
	                                   : (unsigned long long)cents;
	unsigned long long units = c != NULL && !c->minor ? abs : abs / 100;
	const char *sym =
	    c != NULL && c->symbol != NULL && (!ascii || c->symbol[0] == '$')
	        ? c->symbol
	        : "";
	const char *sign = cents < 0 ? "-" : "";

	if (units >= 1000000ULL)
		snprintf(buf, len, "%s%s%.1fM", sign, sym,
		         (double)units / 1000000.0);
	else if (units >= 10000ULL)
		snprintf(buf, len, "%s%s%.0fk", sign, sym,
		         (double)units / 1000.0);
	else if (units >= 1000ULL)
		snprintf(buf, len, "%s%s%.1fk", sign, sym,
		         (double)units / 1000.0);
	else
		snprintf(buf, len, "%s%s%llu", sign, sym, units);
}

void
billing_chart_scale(const int64_t *values, size_t n, int rows, int *eighths)
{
	int64_t max = 0;
	long double full = rows > 0 ? (long double)rows * 8 : 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (values[i] > max)
			max = values[i];
	for (i = 0; i < n; i++) {
		long double e;

		if (values[i] <= 0 || max <= 0 || rows <= 0) {
			eighths[i] = 0;
			continue;
		}
		/* long double keeps huge values exact enough to round. */
		e = (long double)values[i] * full / (long double)max + 0.5L;
		eighths[i] = e < 1 ? 1 : (int)e;
		if (eighths[i] > rows * 8)
			eighths[i] = rows * 8;
	}
}

const char *
billing_chart_cell(int e, int rows, int r, bool ascii)
{
	static const char *const blocks[] = {
		" ",      "\u2581", "\u2582", "\u2583", "\u2584",
		"\u2585", "\u2586", "\u2587", "\u2588",
	};
	/* Eighths that reach into this row, counted from its bottom. */
	int below = (rows - 1 - r) * 8, in = e - below;

	if (in <= 0)
		return " ";
	if (in >= 8)
		return ascii ? "#" : blocks[8];
	if (ascii)
		return in >= 4 ? "#" : ".";
	return blocks[in];
}

void
billing_format_month(int month, char *buf, size_t len)
{
	static const char *const months[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
	};

	snprintf(buf, len, "%s",
	         month >= 1 && month <= 12 ? months[month - 1] : "?");
}

char *
billing_format_csv_cell(const char *s)
{
	bool risky, quote;
	size_t n, i, o = 0;
	char *out;

	if (s == NULL)
		return xstrdup("");
	risky = strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0';
	quote = strpbrk(s, ",\"\r\n") != NULL;
	n = strlen(s);
	out = xmalloc(n * 2 + 4);
	if (quote)
		out[o++] = '"';
	if (risky)
		out[o++] = '\'';
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			out[o++] = '"';
		out[o++] = s[i];
	}
	if (quote)
		out[o++] = '"';
	out[o] = '\0';
	return out;
}

/* The subscription list's table: the company shows above 120 columns. */
static const struct column sub_cols[BILLING_SUB_COUNT] = {
	[BILLING_SUB_CLIENT] = { "client",
	                         "CLIENT",
	                         COLUMN_LEFT,
	                         0,
	                         { 20, 20 } },
	[BILLING_SUB_COMPANY] = { "company",
	                          "COMPANY",
	                          COLUMN_LEFT,
	                          0,
	                          { 18, 0 } },
	[BILLING_SUB_PLAN] = { "plan", "PLAN", COLUMN_LEFT, 0, { 7, 7 } },
	[BILLING_SUB_STATUS] = { "status", "STATUS", COLUMN_LEFT, 0, { 9, 9 } },
	[BILLING_SUB_AMOUNT] = { "amount",
	                         "AMOUNT",
	                         COLUMN_LEFT,
	                         0,
	                         { 15, 15 } },
	[BILLING_SUB_RENEWS] = { "renews",
	                         "RENEWS",
	                         COLUMN_LEFT,
	                         0,
	                         { 10, 10 } },
	[BILLING_SUB_CANCELS] = { "cancels", "", COLUMN_LEFT, 0, { 8, 8 } },
	[BILLING_SUB_CARD] = { "card",
	                       "CARD",
	                       COLUMN_LEFT,
	                       0,
	                       { COLUMN_FLEX, COLUMN_FLEX } },
};

static const struct column_table sub_table = {
	.cols = sub_cols,
	.n = BILLING_SUB_COUNT,
	.tiers = { 121, 0 },
	.left = 1,
	.right = 1,
};

void
billing_format_sub_layout(int width, bool full, struct column_layout *out)
{
	unsigned hide = 1u << BILLING_SUB_AMOUNT | 1u << BILLING_SUB_CARD;

	columns_layout(&sub_table, width, full ? 0 : hide, 0, out);
}

/* The invoice list's table. */
static const struct column inv_cols[BILLING_INV_COUNT] = {
	[BILLING_INV_NUMBER] = { "number", "NUMBER", COLUMN_LEFT, 0, { 24 } },
	[BILLING_INV_CLIENT] = { "client", "CLIENT", COLUMN_LEFT, 0, { 20 } },
	[BILLING_INV_AMOUNT] = { "amount", "AMOUNT", COLUMN_LEFT, 0, { 13 } },
	[BILLING_INV_STATUS] = { "status", "STATUS", COLUMN_LEFT, 0, { 8 } },
	[BILLING_INV_CREATED] = { "created",
	                          "CREATED",
	                          COLUMN_LEFT,
	                          0,
	                          { 10 } },
	[BILLING_INV_PAID] = { "paid", "PAID", COLUMN_LEFT, 0, { 10 } },
	[BILLING_INV_FAILURE] = { "failure",
	                          "FAILURE",
	                          COLUMN_LEFT,
	                          0,
	                          { COLUMN_FLEX } },
};

static const struct column_table inv_table = {
	.cols = inv_cols,
	.n = BILLING_INV_COUNT,
	.left = 1,
	.right = 1,
};

void
billing_format_invoice_layout(int width, struct column_layout *out)
{
	columns_layout(&inv_table, width, 0, 0, out);
}
