/* How the frame speaks of an action: as the staff member asked for it. */
#include "tui/action_words.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

void
action_words(enum action a, char *buf, size_t len)
{
	const char *help = action_help(a);
	size_t n;

	if (len == 0)
		return;
	/* The help's first clause: what follows is usage or detail. */
	n = strcspn(help != NULL ? help : "", ":;,(");
	while (n > 0 && help[n - 1] == ' ')
		n--;
	snprintf(buf, len, "%.*s", (int)n, help != NULL ? help : "");
	buf[0] = (char)tolower((unsigned char)buf[0]);
}

void
action_words_said(enum action a, key_code key, bool typed, char *buf,
                  size_t len)
{
	char words[96], name[32];

	action_words(a, words, sizeof words);
	if (key != KEYC_NONE)
		snprintf(buf, len, "%s (%s)",
		         key_to_string(key, name, sizeof name), words);
	else if (typed)
		snprintf(buf, len, ":%s", action_name(a));
	else
		snprintf(buf, len, "%s", words);
}
