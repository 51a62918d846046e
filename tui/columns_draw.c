/* Table cells on screen: see columns_draw.h. */
#include "tui/columns_draw.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* The longest cell put in as cells rather than as text (a wide table's
 * title column fits). */
#define CELLS_MAX 512

/*
 * Puts printable ASCII s into the window as ready-made cells, which
 * skips curses' decoding of each byte as a multibyte character (the
 * larger part of drawing a row); the cursor ends after it as waddstr
 * leaves it. False, putting nothing, for any other text.
 */
static bool
put_ascii(WINDOW *w, int y, int x, const char *s, attr_t attr)
{
	chtype cells[CELLS_MAX];
	int n = 0;

	for (; s[n] != '\0'; n++) {
		if (n == CELLS_MAX || s[n] < 0x20 || s[n] >= 0x7F)
			return false;
		cells[n] = (chtype)(unsigned char)s[n] | attr;
	}
	mvwaddchnstr(w, y, x, cells, n);
	wmove(w, y, x + n < getmaxx(w) ? x + n : getmaxx(w) - 1);
	return true;
}

void
columns_draw_fitted(WINDOW *w, int y, int x, const char *cell, attr_t attr)
{
	wattrset(w, attr);
	if (!put_ascii(w, y, x, cell, attr))
		mvwaddstr(w, y, x, cell);
}

/* Draws an already fitted cell at y, x, and frees it. */
static void
draw_fitted(WINDOW *w, int y, int x, char *cell, attr_t attr)
{
	if (cell == NULL)
		return;
	columns_draw_fitted(w, y, x, cell, attr);
	free(cell);
}

void
columns_draw_blank(WINDOW *w, int y, int width, attr_t attr)
{
	wmove(w, y, 0);
	whline(w, ' ' | attr, width);
}

void
columns_draw_text(WINDOW *w, int y, int x, int width, const char *s,
                  attr_t attr, unsigned flags)
{
	if (width > 0)
		draw_fitted(w, y, x, columns_fit(s, width, COLUMN_LEFT, flags),
		            attr);
}

void
columns_draw_cell(WINDOW *w, int y, const struct column_layout *l, size_t c,
                  const char *s, attr_t attr, unsigned flags)
{
	if (c < l->table->n)
		draw_fitted(w, y, l->x[c], columns_cell(l, c, s, flags), attr);
}

void
columns_draw_word(WINDOW *w, int y, const struct column_layout *l, size_t c,
                  const char *s, attr_t attr, unsigned flags)
{
	char *cell;
	size_t n;

	if (c >= l->table->n || (cell = columns_cell(l, c, s, flags)) == NULL)
		return;
	/* The padding is the row's blank already: left as it is. */
	for (n = strlen(cell); n > 0 && cell[n - 1] == ' '; n--)
		cell[n - 1] = '\0';
	draw_fitted(w, y, l->x[c], cell, attr);
}

void
columns_draw_header(WINDOW *w, int y, const struct column_layout *l,
                    attr_t attr, unsigned flags)
{
	size_t c, first = l->table->n, last = 0;
	int tw = 0;

	for (c = 0; c < l->table->n; c++)
		if (l->shown[c]) {
			first = first < c ? first : c;
			last = c;
		}
	if (first == l->table->n)
		return;
	tw = (int)strlen(l->table->cols[last].title);
	/* One span in attr, the gaps between titles too: a gap in another
	 * attribute cost a reset and a new set either side of it (bold or
	 * dim has no "off" of its own on a terminal). */
	wmove(w, y, l->x[first]);
	whline(w, ' ' | attr,
	       l->x[last] + (tw < l->w[last] ? tw : l->w[last]) - l->x[first]);
	for (c = first; c <= last; c++) {
		if (!l->shown[c])
			continue;
		tw = (int)strlen(l->table->cols[c].title);
		columns_draw_text(w, y, l->x[c], tw < l->w[c] ? tw : l->w[c],
		                  l->table->cols[c].title, attr, flags);
	}
}
