/* `:` commands: parsing a typed line into an action, and completing it. */
#ifndef SITECARE_TUI_COMMAND_H
#define SITECARE_TUI_COMMAND_H

#include <stddef.h>

#include "keymaps/action.h"

/* One parsed `:` command. */
struct command {
	enum action action;
	char *args; /* the rest of the line, trimmed; "" when none; owned */
};

/*
 * Parses "name [args]". Leading blanks and colons are ignored. name is an
 * action's name (see ACTION_LIST), an alias (q = quit, h = help) or a
 * prefix matching exactly one action ("chec" = checkhealth); an exact name
 * wins over a longer one it prefixes ("search" is not search-next).
 * Returns 1 with *out filled (free it with command_clear()), 0 for a line
 * with no command (out->action is ACTION_NONE, args NULL), or -1 with a
 * message in err: "unknown command: foo (see :help)", or "ambiguous
 * command: s (search, sort, ...)".
 */
int command_parse(const char *line, struct command *out, char *err,
                  size_t errlen);

/* Frees what cmd owns and leaves it ACTION_NONE. */
void command_clear(struct command *cmd);

/*
 * Where a command's argument values come from beyond the built-in table
 * (a pane that knows its clients, say). words() returns the candidate
 * values for key ("client" in `filter client=`), or for a plain argument
 * when key is NULL, as a NULL-terminated malloc'd array of malloc'd
 * strings that command_complete() takes over, or NULL for none. The
 * values are not filtered by prefix beforehand: command_complete() does.
 */
struct command_args {
	char **(*words)(void *ud, enum action a, const char *key);
	void *ud;
};

/*
 * The completions of line[start..end] as a NULL-terminated malloc'd array
 * of malloc'd strings (free with command_candidates_free()), or NULL when
 * there are none. Each candidate replaces line[start..end] whole, so the
 * function serves callers that break words at blanks only as well as
 * readline, which also breaks at '=' and ','. The first word completes
 * to command names; later words come from a per-action table (filter:
 * status= priority= assignee= client= and their values, comma lists
 * included; sort: the sort fields; mouse: on off; help: command names)
 * plus argsrc, which may be NULL.
 */
char **command_complete(const char *line, int start, int end,
                        const struct command_args *argsrc);

/* Frees a candidate array (NULL is fine). */
void command_candidates_free(char **v);

#endif
