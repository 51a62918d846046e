/* Keys as sitecare sees them, independent of curses, and their names. */
#ifndef SITECARE_KEYMAPS_KEY_H
#define SITECARE_KEYMAPS_KEY_H

#include <stddef.h>
#include <stdint.h>

/*
 * A key is one 32-bit value: a Unicode code point (control keys are their
 * C0 code, so C-a is 0x01), or one of the named special keys below, either
 * of them possibly with KEYC_META (Alt/Escape prefix). The terminal layer
 * translates curses' codes into these, so keymaps/ never includes curses.
 */
typedef uint32_t key_code;

#define KEYC_META    0x80000000u
#define KEYC_SPECIAL 0x00200000u /* above the last Unicode code point */
#define KEYC_NONE    0u

enum keyc_special {
	KEYC_UP = KEYC_SPECIAL,
	KEYC_DOWN,
	KEYC_LEFT,
	KEYC_RIGHT,
	KEYC_HOME,
	KEYC_END,
	KEYC_PGUP,
	KEYC_PGDN,
	KEYC_INSERT,
	KEYC_DELETE,
	KEYC_BTAB,
	KEYC_F1,
	KEYC_F12 = KEYC_F1 + 11,
	KEYC_LAST,
};

#define KEYC_TAB       0x09u
#define KEYC_ENTER     0x0Du
#define KEYC_ESCAPE    0x1Bu
#define KEYC_SPACE     0x20u
#define KEYC_BACKSPACE 0x7Fu

/*
 * Parses a key name in tmux's syntax: a character ("q", "?", "é"),
 * C-x / ^x, M-x, a named key (Enter, Tab, BTab, Space, Escape, BSpace,
 * Up, Down, Left, Right, Home, End, PPage/PageUp, NPage/PageDown, IC,
 * DC, F1..F12) or a combination ("M-Up", "C-M-a"). Returns KEYC_NONE
 * when the name is not a key.
 */
key_code key_from_string(const char *s);

/* Writes key's canonical name ("C-a", "M-Up", "q") into buf. */
const char *key_to_string(key_code key, char *buf, size_t len);

#endif
