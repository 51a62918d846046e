/* Colours and attributes by meaning, with a monochrome fallback. */
#ifndef SITECARE_TUI_THEME_H
#define SITECARE_TUI_THEME_H

#include <stdbool.h>

/*
 * Panes ask for a meaning (an urgent task, an error), never a colour, so
 * NO_COLOR, monochrome terminals and a future user theme are handled here
 * once. Each item has a colour form and a monochrome form (bold, reverse,
 * underline, dim) that keeps the distinction visible without colour.
 *
 * A task row's priority and status are told apart by colour alone where
 * there is colour (a low priority by its word): a terminal has no "bold
 * off", so every change of bold or dim inside a row costs a full reset
 * and a new set (about 15 bytes each, on every row drawn); a colour
 * change costs one short SGR. Monochrome keeps bold and dim. The same
 * holds for the lists of the other panes: a client assigned to you is
 * green (THEME_MINE, bold in monochrome), and a column that is there
 * for reference (a company, a card, a chart's labels) is plain where
 * there is colour and dim without it (THEME_ASIDE), as a client's name
 * in a billing list is plain with colour and bold without (THEME_NAME).
 */
#define THEME_ITEMS                                                            \
	X(THEME_NORMAL, -1, -1, 0, 0)                                          \
	X(THEME_TITLE, -1, -1, T_BOLD, T_BOLD)                                 \
	X(THEME_TAB, -1, -1, 0, 0)                                             \
	X(THEME_TAB_ACTIVE, COLOR_BLACK, COLOR_CYAN, T_BOLD, T_REVERSE)        \
	X(THEME_STATUS, COLOR_BLACK, COLOR_WHITE, 0, T_REVERSE)                \
	X(THEME_ERROR, COLOR_RED, -1, T_BOLD, T_BOLD | T_UNDERLINE)            \
	X(THEME_OK, COLOR_GREEN, -1, 0, 0)                                     \
	X(THEME_WARN, COLOR_YELLOW, -1, 0, T_BOLD)                             \
	X(THEME_DIM, -1, -1, T_DIM, T_DIM)                                     \
	X(THEME_SELECTED, -1, -1, T_REVERSE, T_REVERSE)                        \
	X(THEME_MARKED, COLOR_MAGENTA, -1, T_BOLD, T_BOLD | T_UNDERLINE)       \
	X(THEME_MATCH, COLOR_BLACK, COLOR_YELLOW, 0, T_UNDERLINE)              \
	X(THEME_PRIO_URGENT, COLOR_RED, -1, 0, T_BOLD | T_UNDERLINE)           \
	X(THEME_PRIO_HIGH, COLOR_YELLOW, -1, 0, T_BOLD)                        \
	X(THEME_PRIO_NORMAL, -1, -1, 0, 0)                                     \
	X(THEME_PRIO_LOW, -1, -1, 0, T_DIM)                                    \
	X(THEME_STATE_NEW, COLOR_CYAN, -1, 0, T_BOLD)                          \
	X(THEME_STATE_ACTIVE, COLOR_BLUE, -1, 0, 0)                            \
	X(THEME_STATE_WAITING, COLOR_YELLOW, -1, 0, T_DIM)                     \
	X(THEME_STATE_DONE, COLOR_GREEN, -1, 0, T_DIM)                         \
	X(THEME_STAFF, COLOR_CYAN, -1, 0, 0)                                   \
	X(THEME_CLIENT, -1, -1, T_BOLD, T_BOLD)                                \
	X(THEME_INTERNAL, COLOR_MAGENTA, -1, 0, T_UNDERLINE)                   \
	X(THEME_OVERDUE, COLOR_RED, -1, 0, T_BOLD | T_UNDERLINE)               \
	X(THEME_MINE, COLOR_GREEN, -1, 0, T_BOLD)                              \
	X(THEME_ASIDE, -1, -1, 0, T_DIM)                                       \
	X(THEME_NAME, -1, -1, 0, T_BOLD)                                       \
	X(THEME_ROW, -1, -1, 0, 0)

#define T_BOLD      (1u << 0)
#define T_REVERSE   (1u << 1)
#define T_UNDERLINE (1u << 2)
#define T_DIM       (1u << 3)

enum theme_item {
#define X(id, fg, bg, color_attr, mono_attr) id,
	THEME_ITEMS
#undef X
	    THEME_COUNT
};

/* Sets up colour pairs, or monochrome when color is false. */
void theme_init(bool color);

/* The curses attribute (chtype / attr_t bits) for an item. */
unsigned long theme_attr(enum theme_item item);

/*
 * The base of a list row: THEME_SELECTED on the cursor row; elsewhere,
 * in colour, the default colours through a colour pair of their own
 * (THEME_ROW), because ncurses returns to plain A_NORMAL with a full
 * reset (sgr0) after every coloured cell, and to a pair with one SGR.
 */
unsigned long theme_row(bool selected);

/* Item over a row's base: base's attributes (reverse on the cursor row)
 * and item's, in item's colours where it has any, base's otherwise. */
unsigned long theme_over(unsigned long base, enum theme_item item);

/* A cell's emphasis in a list row: item over base (theme_over), or the
 * base alone on the cursor row, which is one span of reverse video as a
 * mail index draws its cursor: a coloured cell in it would cost two SGRs
 * more on every move, and its words say the same. */
unsigned long theme_emphasis(unsigned long base, bool selected,
                             enum theme_item item);

#endif
