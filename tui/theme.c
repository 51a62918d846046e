/* Colour pairs and attributes generated from THEME_ITEMS. */
#include <curses.h>

#include "tui/theme.h"

static const struct {
	short fg, bg;
	unsigned color_attr, mono_attr;
} items[] = {
#define X(id, fg, bg, color_attr, mono_attr)                                   \
	[id] = { fg, bg, color_attr, mono_attr },
	THEME_ITEMS
#undef X
};

/* Set once at start-up: whether colour pairs are in use. */
static bool use_color;

/* Our T_* bits as curses attributes. */
static attr_t
to_curses(unsigned bits)
{
	attr_t a = A_NORMAL;

	if (bits & T_BOLD)
		a |= A_BOLD;
	if (bits & T_REVERSE)
		a |= A_REVERSE;
	if (bits & T_UNDERLINE)
		a |= A_UNDERLINE;
	if (bits & T_DIM)
		a |= A_DIM;
	return a;
}

void
theme_init(bool color)
{
	int i;

	use_color = color && has_colors() && COLOR_PAIRS > THEME_COUNT;
	if (!use_color)
		return;
	for (i = 1; i < THEME_COUNT; i++)
		init_pair((short)i, items[i].fg, items[i].bg);
}

unsigned long
theme_attr(enum theme_item item)
{
	if ((unsigned)item >= THEME_COUNT)
		return A_NORMAL;
	if (!use_color)
		return to_curses(items[item].mono_attr);
	if (items[item].fg < 0 && items[item].bg < 0)
		return to_curses(items[item].color_attr);
	return COLOR_PAIR(item) | to_curses(items[item].color_attr);
}

unsigned long
theme_row(bool selected)
{
	if (selected)
		return theme_attr(THEME_SELECTED);
	return use_color ? COLOR_PAIR(THEME_ROW) : A_NORMAL;
}

unsigned long
theme_over(unsigned long base, enum theme_item item)
{
	unsigned long a = theme_attr(item);

	if ((a & A_COLOR) == 0)
		return base | a;
	return (base & ~(unsigned long)A_COLOR) | a;
}

unsigned long
theme_emphasis(unsigned long base, bool selected, enum theme_item item)
{
	return selected ? base : theme_over(base, item);
}
