/* The panes' column layout: see columns.h. */
#include "tui/columns.h"

#include <stdlib.h>
#include <string.h>

#include "net/base/xmalloc.h"
#include "tui/sanitize.h"

/* The tier of t for a terminal width columns wide. */
static size_t
tier_of(const struct column_table *t, int width)
{
	size_t i = 0;

	while (i + 1 < COLUMNS_TIERS && t->tiers[i] > width)
		i++;
	return i;
}

/* Each column's width at the tier, and whether it is shown at all. */
static void
pick(const struct column_table *t, int width, unsigned hide, int auto_width,
     struct column_layout *out)
{
	size_t tier = tier_of(t, width), c;

	for (c = 0; c < t->n; c++) {
		const struct column *col = &t->cols[c];
		int w = col->width[tier], title = sanitize_width(col->title);

		if (w == COLUMN_AUTO)
			w = auto_width > title ? auto_width : title;
		out->w[c] = w;
		out->shown[c] = w != 0 && !(hide & (1u << c));
	}
}

/* The columns the shown ones need, flexible ones at their minimum. */
static int
needed(const struct column_table *t, const struct column_layout *l)
{
	int sum = t->left + t->right, shown = 0;
	size_t c;

	for (c = 0; c < t->n; c++) {
		if (!l->shown[c])
			continue;
		sum += l->w[c] == COLUMN_FLEX ? t->cols[c].min : l->w[c];
		shown++;
	}
	return sum + (shown > 0 ? shown - 1 : 0);
}

/* Leaves out the flexible columns whose minimum alone cannot fit. */
static void
drop_flex(const struct column_table *t, int width, struct column_layout *l)
{
	size_t c;

	for (c = 0; c < t->n; c++)
		if (l->w[c] == COLUMN_FLEX &&
		    t->cols[c].min > width - t->left - t->right)
			l->shown[c] = false;
}

/* Leaves out the rightmost shown fixed column; false when none is left. */
static bool
drop_fixed(const struct column_table *t, struct column_layout *l)
{
	size_t c = t->n;

	while (c-- > 0) {
		if (l->shown[c] && l->w[c] != COLUMN_FLEX) {
			l->shown[c] = false;
			return true;
		}
	}
	return false;
}

/* Gives the flexible columns their width: the first one gets the rest. */
static void
spread(const struct column_table *t, int width, struct column_layout *l)
{
	int rest = width - needed(t, l);
	size_t c;

	for (c = 0; c < t->n; c++) {
		if (l->w[c] != COLUMN_FLEX || !l->shown[c])
			continue;
		if (rest < 0 && t->cols[c].min > 0)
			l->shown[c] = false;
		l->w[c] = t->cols[c].min + (rest > 0 ? rest : 0);
		rest = rest > 0 ? 0 : rest;
	}
}

void
columns_layout(const struct column_table *t, int width, unsigned hide,
               int auto_width, struct column_layout *out)
{
	int x;
	size_t c;

	memset(out, 0, sizeof *out);
	out->table = t;
	if (width < 0)
		width = 0;
	pick(t, width, hide, auto_width, out);
	drop_flex(t, width, out);
	while (needed(t, out) > width && drop_fixed(t, out))
		;
	spread(t, width, out);
	x = t->left;
	for (c = 0; c < t->n; c++) {
		if (!out->shown[c])
			out->w[c] = 0;
		out->x[c] = x;
		if (out->shown[c])
			x += out->w[c] + 1;
	}
}

char *
columns_fit(const char *s, int width, enum column_align align, unsigned flags)
{
	char *clean = sanitize_str(s, flags | SANITIZE_TABS_AS_SPACE);
	char *fit = sanitize_fit(clean, width, flags), *out;
	int pad = width - sanitize_width(fit);
	size_t n = strlen(fit), p = pad > 0 ? (size_t)pad : 0;

	free(clean);
	if (p == 0)
		return fit;
	out = xmalloc(n + p + 1);
	if (align == COLUMN_RIGHT) {
		memset(out, ' ', p);
		memcpy(out + p, fit, n);
	} else {
		memcpy(out, fit, n);
		memset(out + n, ' ', p);
	}
	out[n + p] = '\0';
	free(fit);
	return out;
}

char *
columns_cell(const struct column_layout *l, size_t c, const char *s,
             unsigned flags)
{
	if (c >= l->table->n || !l->shown[c] || l->w[c] <= 0)
		return NULL;
	return columns_fit(s, l->w[c], l->table->cols[c].align, flags);
}
