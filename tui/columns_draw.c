/* Table cells on screen: see columns_draw.h. */
#include "tui/columns_draw.h"

#include <stdlib.h>

/* Draws an already fitted cell at y, x, and frees it. */
static void
draw_fitted(WINDOW *w, int y, int x, char *cell, attr_t attr)
{
	if (cell == NULL)
		return;
	wattrset(w, attr);
	mvwaddstr(w, y, x, cell);
	free(cell);
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
columns_draw_header(WINDOW *w, int y, const struct column_layout *l,
                    attr_t attr, unsigned flags)
{
	size_t c;

	for (c = 0; c < l->table->n; c++)
		if (l->shown[c])
			columns_draw_text(w, y, l->x[c], l->w[c],
			                  l->table->cols[c].title, attr, flags);
}
