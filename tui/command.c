/* Parses and completes `:` commands: see command.h. */
#include "tui/command.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/base/xmalloc.h"

#define BLANKS " \t"

/* Short names that are not prefixes of their action's name. */
static const struct {
	const char *alias;
	enum action action;
} aliases[] = {
	{ "q", ACTION_QUIT },
	{ "h", ACTION_HELP },
	{ "?", ACTION_HELP },
};

static const char *const status_values[] = {
	"new", "in_progress", "waiting_on_client", "done", "cancelled", NULL
};
static const char *const priority_values[] = { "low", "normal", "high",
	                                       "urgent", NULL };
static const char *const assignee_values[] = { "me", "none", "anyone", NULL };
static const char *const sort_words[] = {
	"priority",    "-priority", "created_at", "-created_at", "updated_at",
	"-updated_at", "due_at",    "-due_at",    NULL
};
static const char *const mouse_words[] = { "on", "off", NULL };
/* :filter's plain words (the task queue's; clear works in every pane). */
static const char *const filter_words[] = { "overdue", "clear", "default",
	                                    NULL };

/* One key of a key=value argument; list keys take comma-separated values. */
struct arg_key {
	const char *key;
	const char *const *values; /* NULL: only the caller's command_args */
	bool list;
};

static const struct arg_key filter_keys[] = {
	{ "status", status_values, true },
	{ "priority", priority_values, true },
	{ "assignee", assignee_values, false },
	{ "client", NULL, false },
	{ NULL, NULL, false },
};

/*
 * What each command's arguments complete to: plain words, key=value keys,
 * or command names. Commands not listed complete only from the caller's
 * struct command_args; a new row here is all a new command needs.
 */
static const struct arg_spec {
	enum action action;
	const char *const *words;
	const struct arg_key *keys;
	bool names;
} arg_table[] = {
	{ ACTION_FILTER, filter_words, filter_keys, false },
	{ ACTION_SORT, sort_words, NULL, false },
	{ ACTION_MOUSE, mouse_words, NULL, false },
	{ ACTION_HELP, NULL, NULL, true },
};

/* A growable NULL-terminated string array. */
struct strv {
	char **v;
	size_t n, cap;
};

static void
strv_add(struct strv *sv, char *s)
{
	if (sv->n + 2 > sv->cap) {
		sv->cap = sv->cap ? sv->cap * 2 : 8;
		sv->v = xreallocarray(sv->v, sv->cap, sizeof *sv->v);
	}
	sv->v[sv->n++] = s;
	sv->v[sv->n] = NULL;
}

void
command_candidates_free(char **v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

void
command_clear(struct command *cmd)
{
	free(cmd->args);
	cmd->args = NULL;
	cmd->action = ACTION_NONE;
}

/* Appends the actions whose names start with name[0..len] to buf. */
static void
list_matches(const char *name, size_t len, char *buf, size_t size)
{
	size_t used = strlen(buf);
	bool first = true;
	int i;

	for (i = 0; i < ACTION_COUNT; i++) {
		const char *n = action_name(i);

		if (strncmp(n, name, len) != 0 || used >= size)
			continue;
		snprintf(buf + used, size - used, "%s%s", first ? "" : ", ", n);
		used += strlen(buf + used);
		first = false;
	}
	if (used < size)
		snprintf(buf + used, size - used, ")");
}

/*
 * The action called name[0..len]: exact name, alias, or unique prefix.
 * Returns -1 with err set when there is none or more than one.
 */
static int
lookup(const char *name, size_t len, char *err, size_t errlen)
{
	int i, found = -1, count = 0;
	size_t k;

	for (k = 0; k < sizeof aliases / sizeof aliases[0]; k++)
		if (strlen(aliases[k].alias) == len &&
		    strncmp(aliases[k].alias, name, len) == 0)
			return aliases[k].action;
	for (i = 0; i < ACTION_COUNT; i++) {
		const char *n = action_name(i);

		if (strncmp(n, name, len) != 0)
			continue;
		if (n[len] == '\0')
			return i;
		found = i;
		count++;
	}
	if (count == 1)
		return found;
	if (count == 0) {
		snprintf(err, errlen, "unknown command: %.*s (see :help)",
		         (int)(len > 64 ? 64 : len), name);
		return -1;
	}
	snprintf(err, errlen, "ambiguous command: %.*s (", (int)len, name);
	list_matches(name, len, err, errlen);
	return -1;
}

int
command_parse(const char *line, struct command *out, char *err, size_t errlen)
{
	const char *name, *args, *tail;
	size_t len;
	int a;

	out->action = ACTION_NONE;
	out->args = NULL;
	if (errlen > 0)
		err[0] = '\0';
	name = line + strspn(line, BLANKS ":");
	len = strcspn(name, BLANKS);
	if (len == 0)
		return 0;
	a = lookup(name, len, err, errlen);
	if (a < 0)
		return -1;
	args = name + len;
	args += strspn(args, BLANKS);
	tail = args + strlen(args);
	while (tail > args && strchr(BLANKS "\r\n", tail[-1]) != NULL)
		tail--;
	out->action = a;
	out->args = xstrndup(args, (size_t)(tail - args));
	return 1;
}

/*
 * Offers word as a completion of line[from..end], written as the
 * replacement of line[start..end] (from may lie before or after start).
 */
static void
offer(struct strv *sv, const char *line, int start, int from, int end,
      const char *word)
{
	size_t plen = (size_t)(end - from);

	if (from > end || strncmp(word, line + from, plen) != 0)
		return;
	if (from >= start)
		strv_add(sv,
		         xasprintf("%.*s%s", from - start, line + start, word));
	else if (strlen(word) >= (size_t)(start - from))
		strv_add(sv, xstrdup(word + (start - from)));
}

/* Offers every action name but "none". */
static void
offer_names(struct strv *sv, const char *line, int start, int from, int end)
{
	int i;

	for (i = 1; i < ACTION_COUNT; i++)
		offer(sv, line, start, from, end, action_name(i));
}

/* Offers the caller's words for (a, key), taking over the array. */
static void
offer_caller(struct strv *sv, const struct command_args *argsrc, enum action a,
             const char *key, const char *line, int start, int from, int end)
{
	char **w;
	size_t i;

	if (argsrc == NULL || argsrc->words == NULL)
		return;
	w = argsrc->words(argsrc->ud, a, key);
	for (i = 0; w != NULL && w[i] != NULL; i++)
		offer(sv, line, start, from, end, w[i]);
	command_candidates_free(w);
}

/* True when value already appears in the comma list list[0..len]. */
static bool
in_list(const char *list, size_t len, const char *value)
{
	size_t vlen = strlen(value), i = 0;

	while (i < len) {
		size_t n = strcspn(list + i, ",");

		if (n > len - i)
			n = len - i;
		if (n == vlen && strncmp(list + i, value, n) == 0)
			return true;
		i += n + 1;
	}
	return false;
}

/* True when "key=" appears as an earlier argument in args[0..len]. */
static bool
key_used(const char *args, size_t len, const char *key)
{
	size_t klen = strlen(key), i = 0;

	while (i < len) {
		i += strspn(args + i, BLANKS);
		if (i + klen < len && strncmp(args + i, key, klen) == 0 &&
		    args[i + klen] == '=')
			return true;
		i += strcspn(args + i, BLANKS);
	}
	return false;
}

/* Completes the value after "key=" in the token at tok (ending at end). */
static void
complete_value(struct strv *sv, const struct arg_spec *spec, enum action a,
               const struct command_args *argsrc, const char *line, int start,
               int tok, int eq, int end)
{
	const struct arg_key *k;
	char key[64];
	int from = end;
	size_t i;

	while (from > eq + 1 && line[from - 1] != ',')
		from--;
	snprintf(key, sizeof key, "%.*s", eq - tok, line + tok);
	for (k = spec ? spec->keys : NULL; k != NULL && k->key; k++) {
		if (strcmp(k->key, key) != 0)
			continue;
		if (from > eq + 1 && !k->list)
			return;
		for (i = 0; k->values != NULL && k->values[i] != NULL; i++)
			if (!in_list(line + eq + 1, (size_t)(from - eq - 1),
			             k->values[i]))
				offer(sv, line, start, from, end, k->values[i]);
	}
	offer_caller(sv, argsrc, a, key, line, start, from, end);
}

/* Completes a plain argument token (no '=' yet) starting at tok. */
static void
complete_word(struct strv *sv, const struct arg_spec *spec, enum action a,
              const struct command_args *argsrc, const char *line, int start,
              int args, int tok, int end)
{
	const struct arg_key *k;
	size_t i;

	if (spec != NULL && spec->names)
		offer_names(sv, line, start, tok, end);
	for (i = 0; spec && spec->words && spec->words[i]; i++)
		offer(sv, line, start, tok, end, spec->words[i]);
	for (k = spec ? spec->keys : NULL; k != NULL && k->key; k++) {
		char *kv;

		if (key_used(line + args, (size_t)(tok - args), k->key))
			continue;
		kv = xasprintf("%s=", k->key);
		offer(sv, line, start, tok, end, kv);
		free(kv);
	}
	offer_caller(sv, argsrc, a, NULL, line, start, tok, end);
}

/* Completes an argument of the command named line[name..name_end]. */
static void
complete_args(struct strv *sv, const char *line, int start, int end, int name,
              int name_end, const struct command_args *argsrc)
{
	const struct arg_spec *spec = NULL;
	char err[8];
	int a, tok, eq;
	size_t i;

	a = lookup(line + name, (size_t)(name_end - name), err, sizeof err);
	if (a < 0)
		return;
	for (i = 0; i < sizeof arg_table / sizeof arg_table[0]; i++)
		if (arg_table[i].action == (enum action)a)
			spec = &arg_table[i];
	tok = end;
	while (tok > name_end && strchr(BLANKS, line[tok - 1]) == NULL)
		tok--;
	for (eq = tok; eq < end && line[eq] != '='; eq++)
		;
	if (eq < end)
		complete_value(sv, spec, a, argsrc, line, start, tok, eq, end);
	else
		complete_word(sv, spec, a, argsrc, line, start, name_end, tok,
		              end);
}

char **
command_complete(const char *line, int start, int end,
                 const struct command_args *argsrc)
{
	struct strv sv = { NULL, 0, 0 };
	int len = (int)strlen(line), name, name_end;

	if (end < 0 || end > len)
		end = len;
	if (start < 0 || start > end)
		start = end;
	name = (int)strspn(line, BLANKS ":");
	if (name > end)
		name = end;
	name_end = name + (int)strcspn(line + name, BLANKS);
	if (end <= name_end)
		offer_names(&sv, line, start, name, end);
	else
		complete_args(&sv, line, start, end, name, name_end, argsrc);
	return sv.v;
}
