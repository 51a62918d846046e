/* Key names to codes and back, in tmux's key syntax. */
#include "keymaps/key.h"

#include "net/base/utf8.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Named keys; the first name of a code is its canonical spelling. */
static const struct {
	const char *name;
	key_code key;
} named[] = {
	{ "Enter", KEYC_ENTER },   { "Tab", KEYC_TAB },
	{ "BTab", KEYC_BTAB },     { "Space", KEYC_SPACE },
	{ "Escape", KEYC_ESCAPE }, { "BSpace", KEYC_BACKSPACE },
	{ "Up", KEYC_UP },         { "Down", KEYC_DOWN },
	{ "Left", KEYC_LEFT },     { "Right", KEYC_RIGHT },
	{ "Home", KEYC_HOME },     { "End", KEYC_END },
	{ "PPage", KEYC_PGUP },    { "PageUp", KEYC_PGUP },
	{ "NPage", KEYC_PGDN },    { "PageDown", KEYC_PGDN },
	{ "IC", KEYC_INSERT },     { "Insert", KEYC_INSERT },
	{ "DC", KEYC_DELETE },     { "Delete", KEYC_DELETE },
};

/*
 * The character that makes up all of s: well-formed UTF-8 only, and no
 * control (C0 ones have names such as C-a and Enter; C1 ones are no keys).
 */
static key_code
single_char(const char *s)
{
	size_t len = strlen(s);
	uint32_t c;

	if (len == 0 || utf8_decode(s, len, &c) != len || c == UTF8_INVALID ||
	    c < 0x20 || (c >= 0x7F && c < 0xA0))
		return KEYC_NONE;
	return c;
}

/* A key name without modifiers. */
static key_code
base_key(const char *s)
{
	size_t i;
	int f;

	for (i = 0; i < sizeof named / sizeof named[0]; i++)
		if (strcasecmp(s, named[i].name) == 0)
			return named[i].key;
	if ((s[0] == 'F' || s[0] == 'f') && sscanf(s + 1, "%d", &f) == 1 &&
	    f >= 1 && f <= 12 && strlen(s) == (f >= 10 ? 3u : 2u))
		return KEYC_F1 + (key_code)(f - 1);
	return single_char(s);
}

/* The control version of a key: C-a is 0x01, C-Space is NUL-free 0x00. */
static key_code
control_of(key_code k)
{
	if (k >= 'a' && k <= 'z')
		return k - 'a' + 1;
	if (k >= '@' && k <= '_')
		return k - '@';
	if (k == '?')
		return KEYC_BACKSPACE;
	return KEYC_NONE;
}

key_code
key_from_string(const char *s)
{
	key_code mods = 0, k;
	int ctrl = 0;

	for (;;) {
		if (strncmp(s, "M-", 2) == 0 && s[2] != '\0') {
			mods |= KEYC_META;
			s += 2;
		} else if (strncmp(s, "C-", 2) == 0 && s[2] != '\0') {
			ctrl = 1;
			s += 2;
		} else if (s[0] == '^' && s[1] != '\0' && s[2] == '\0') {
			ctrl = 1;
			s += 1;
		} else
			break;
	}
	k = base_key(s);
	if (k != KEYC_NONE && ctrl)
		k = control_of(k);
	if (k == KEYC_NONE)
		return KEYC_NONE;
	return k | mods;
}

/* Appends the UTF-8 encoding of code point c to buf. */
static void
put_utf8(char *buf, size_t len, key_code c)
{
	char b[5] = { 0 };

	utf8_encode(c, b);
	strncat(buf, b, len - strlen(buf) - 1);
}

const char *
key_to_string(key_code key, char *buf, size_t len)
{
	key_code k = key & ~KEYC_META;
	size_t i;

	snprintf(buf, len, "%s", (key & KEYC_META) ? "M-" : "");
	for (i = 0; i < sizeof named / sizeof named[0]; i++) {
		if (named[i].key == k) {
			strncat(buf, named[i].name, len - strlen(buf) - 1);
			return buf;
		}
	}
	if (k >= KEYC_F1 && k <= KEYC_F12)
		snprintf(buf + strlen(buf), len - strlen(buf), "F%u",
		         (unsigned)(k - KEYC_F1 + 1));
	else if (k < 0x20) /* C-a to C-z, then C-\ C-] C-^ C-_ */
		snprintf(buf + strlen(buf), len - strlen(buf), "C-%c",
		         (char)(k <= 26 ? k + 'a' - 1 : k + '@'));
	else
		put_utf8(buf, len, k);
	return buf;
}
