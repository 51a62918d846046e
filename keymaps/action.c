/* The name, help and kind tables generated from ACTION_LIST. */
#include "keymaps/action.h"

#include <string.h>

static const struct {
	const char *name;
	bool changes;
	const char *help;
} actions[] = {
#define X(id, name, changes, help) [id] = { name, changes, help },
	ACTION_LIST
#undef X
};

const char *
action_name(enum action a)
{
	if ((unsigned)a >= ACTION_COUNT)
		return NULL;
	return actions[a].name;
}

const char *
action_help(enum action a)
{
	if ((unsigned)a >= ACTION_COUNT)
		return "";
	return actions[a].help;
}

bool
action_changes(enum action a)
{
	return (unsigned)a < ACTION_COUNT && actions[a].changes;
}

int
action_from_name(const char *name)
{
	int i;

	for (i = 0; i < ACTION_COUNT; i++)
		if (strcmp(actions[i].name, name) == 0)
			return i;
	return -1;
}

enum action
action_of_motion_key(key_code key)
{
	switch (key) {
	case KEYC_DOWN:
		return ACTION_DOWN;
	case KEYC_UP:
		return ACTION_UP;
	case KEYC_PGDN:
		return ACTION_PAGE_DOWN;
	case KEYC_PGUP:
		return ACTION_PAGE_UP;
	case KEYC_HOME:
		return ACTION_TOP;
	case KEYC_END:
		return ACTION_BOTTOM;
	default:
		return ACTION_NONE;
	}
}
