/* Drawing a laid-out table's cells and header into a curses window. */
#ifndef SITECARE_TUI_COLUMNS_DRAW_H
#define SITECARE_TUI_COLUMNS_DRAW_H

#include <curses.h>

#include "tui/columns.h"

/*
 * Draws text s (sanitised here) at y, x in attr, cut and padded to width
 * columns (columns_fit); nothing when width is 0 or less. For lines that
 * are not in a table: titles, notes, labels.
 */
void columns_draw_text(WINDOW *w, int y, int x, int width, const char *s,
                       attr_t attr, unsigned flags);

/* Draws s (sanitised here) in column c of l at row y; nothing if hidden. */
void columns_draw_cell(WINDOW *w, int y, const struct column_layout *l,
                       size_t c, const char *s, attr_t attr, unsigned flags);

/*
 * Draws s in column c of l at row y as columns_draw_cell does, less the
 * spaces that pad it to the column: for a coloured word on a row blanked
 * in the row's own attributes first (columns_draw_blank). The colour then
 * ends with the word, and blanks that were blanks stay untouched, so the
 * terminal is sent neither a colour for them nor the blanks themselves.
 */
void columns_draw_word(WINDOW *w, int y, const struct column_layout *l,
                       size_t c, const char *s, attr_t attr, unsigned flags);

/*
 * Draws cell, text fitted already (sanitised, cut to its column), at y,
 * x in attr. Plain ASCII goes in as ready cells, without curses decoding
 * each byte as a multibyte character.
 */
void columns_draw_fitted(WINDOW *w, int y, int x, const char *cell,
                         attr_t attr);

/* Blanks line y from column 0, width columns, in attr (a row's
 * background, drawn before its cells). */
void columns_draw_blank(WINDOW *w, int y, int width, attr_t attr);

/* Draws every shown column's title at row y, left-aligned. */
void columns_draw_header(WINDOW *w, int y, const struct column_layout *l,
                         attr_t attr, unsigned flags);

#endif
