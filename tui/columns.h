/* The panes' one column layout: a table of columns laid out in a width. */
#ifndef SITECARE_TUI_COLUMNS_H
#define SITECARE_TUI_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>

/* The most columns a table has, and the most width tiers it has. */
#define COLUMNS_MAX   12
#define COLUMNS_TIERS 6

/* Widths that are not a number of columns. */
enum {
	COLUMN_FLEX = -1, /* whatever the other columns leave */
	COLUMN_AUTO = -2, /* as wide as the pane says (the widest id) */
};

enum column_align {
	COLUMN_LEFT,
	COLUMN_RIGHT, /* numbers: blanks on the left */
};

/*
 * One column of a pane's table, as htop's Process_fields: its name (for
 * tests and debugging), the header word, alignment and its width at each
 * tier of its table. A width is a number of screen columns, 0 (not shown
 * at that tier), COLUMN_FLEX or COLUMN_AUTO. A flexible column narrower
 * than min is not shown; with min 0 it is always there, even 0 wide.
 * An automatic column is at least as wide as its title.
 */
struct column {
	const char *name;
	const char *title;
	enum column_align align;
	int min;
	int width[COLUMNS_TIERS];
};

/*
 * A pane's table, written once: its columns left to right, and the
 * narrowest terminal each tier is for, widest first (a table with one
 * tier leaves tiers all 0). Shown columns are one blank apart, inside a
 * left and a right margin.
 */
struct column_table {
	const struct column *cols;
	size_t n;
	int tiers[COLUMNS_TIERS];
	int left, right;
};

/*
 * Where each column sits in one width: x its first screen column, w its
 * width (0 with shown false: left out). A flexible column takes what is
 * left, so the last shown column ends at width - right when there is one.
 */
struct column_layout {
	const struct column_table *table;
	int x[COLUMNS_MAX];
	int w[COLUMNS_MAX];
	bool shown[COLUMNS_MAX];
};

/*
 * Lays table t out in width screen columns. hide has bit c set for each
 * column c the pane leaves out (by role, say); auto_width is the width of
 * COLUMN_AUTO columns. Picks the tier for width, leaves out a flexible
 * column whose minimum alone is too wide, then the rightmost fixed
 * columns until what remains fits.
 */
void columns_layout(const struct column_table *t, int width, unsigned hide,
                    int auto_width, struct column_layout *out);

/*
 * Text s (server text or not: sanitised here, tabs and newlines made
 * inert) cut to width columns, with an ellipsis when cut (sanitize_fit),
 * and padded with blanks to exactly width columns on the side align
 * says. Never splits a wide character. flags as sanitize_fit's. The
 * caller frees it.
 */
char *columns_fit(const char *s, int width, enum column_align align,
                  unsigned flags);

/* columns_fit of s for column c of layout l; NULL when c is not shown. */
char *columns_cell(const struct column_layout *l, size_t c, const char *s,
                   unsigned flags);

#endif
