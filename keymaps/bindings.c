/*
 * Key binding tables. Each context holds a small array of bindings; the
 * built-in defaults and the user's file go through the same parser, so
 * both paths are one path (tmux key-bindings.c).
 */
#include "keymaps/bindings.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/base/xmalloc.h"

/* keymaps/default.keys, turned into a C string by the Makefile. */
extern const char keymaps_default_text[];

struct table {
	struct binding *items;
	size_t n;
};

struct bindings {
	struct table tables[KEYCTX_COUNT];
};

static const char *const context_names[] = {
#define X(id, name) [id] = name,
	KEY_CONTEXTS
#undef X
};

const char *
bindings_context_name(enum key_context ctx)
{
	return (unsigned)ctx < KEYCTX_COUNT ? context_names[ctx] : "?";
}

int
bindings_context_from_name(const char *name)
{
	int i;

	for (i = 0; i < KEYCTX_COUNT; i++)
		if (strcmp(context_names[i], name) == 0)
			return i;
	return -1;
}

struct bindings *
bindings_new(void)
{
	return xcalloc(1, sizeof(struct bindings));
}

void
bindings_free(struct bindings *b)
{
	size_t i, c;

	if (b == NULL)
		return;
	for (c = 0; c < KEYCTX_COUNT; c++) {
		for (i = 0; i < b->tables[c].n; i++)
			free(b->tables[c].items[i].args);
		free(b->tables[c].items);
	}
	free(b);
}

/* The slot of key in t, or NULL. */
static struct binding *
table_find(const struct table *t, key_code key)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->items[i].key == key)
			return &t->items[i];
	return NULL;
}

/* Binds key in t, replacing an older binding of the same key. */
static void
table_bind(struct table *t, key_code key, enum action a, const char *args)
{
	struct binding *slot = table_find(t, key);

	if (slot == NULL) {
		t->items = xreallocarray(t->items, t->n + 1, sizeof *t->items);
		slot = &t->items[t->n++];
	} else
		free(slot->args);
	slot->key = key;
	slot->action = a;
	slot->args = args != NULL && args[0] != '\0' ? xstrdup(args) : NULL;
}

/* Removes key from t; returns -1 when it was not bound there. */
static int
table_unbind(struct table *t, key_code key)
{
	struct binding *slot = table_find(t, key);

	if (slot == NULL)
		return -1;
	free(slot->args);
	*slot = t->items[--t->n];
	return 0;
}

/* Adds "origin:line: message" to errs. */
static void
report(struct bindings_errors *errs, const char *origin, int line,
       const char *msg, const char *what)
{
	if (errs == NULL)
		return;
	errs->lines =
	    xreallocarray(errs->lines, errs->n + 1, sizeof *errs->lines);
	errs->lines[errs->n++] =
	    xasprintf("%s:%d: %s%s%s", origin, line, msg,
	              what != NULL ? ": " : "", what != NULL ? what : "");
}

void
bindings_errors_free(struct bindings_errors *errs)
{
	size_t i;

	for (i = 0; i < errs->n; i++)
		free(errs->lines[i]);
	free(errs->lines);
	errs->lines = NULL;
	errs->n = 0;
}

/* Splits off the next blank-separated word of *s, NUL-terminating it. */
static char *
next_word(char **s)
{
	char *w = *s + strspn(*s, " \t");

	if (*w == '\0')
		return NULL;
	*s = w + strcspn(w, " \t");
	if (**s != '\0')
		*(*s)++ = '\0';
	return w;
}

/* Strips trailing blanks and a trailing carriage return in place. */
static void
rstrip(char *s)
{
	size_t n = strlen(s);

	while (n > 0 &&
	       (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

/*
 * Applies one line ("bind [-c CTX] KEY ACTION [ARGS]" or "unbind [-c CTX]
 * KEY"). Returns NULL, or an error message with the offending word in
 * *what.
 */
static const char *
parse_line(struct bindings *b, char *s, const char **what)
{
	char *cmd = next_word(&s), *w;
	int ctx = KEYCTX_GLOBAL, action, bind;
	key_code key;

	*what = NULL;
	if (cmd == NULL || cmd[0] == '#')
		return NULL;
	bind = strcmp(cmd, "bind") == 0;
	if (!bind && strcmp(cmd, "unbind") != 0)
		return *what = cmd, "unknown command (bind or unbind)";
	w = next_word(&s);
	if (w != NULL && strcmp(w, "-c") == 0) {
		if ((w = next_word(&s)) == NULL)
			return "-c needs a context";
		if ((ctx = bindings_context_from_name(w)) < 0)
			return *what = w, "unknown context";
		w = next_word(&s);
	}
	if (w == NULL)
		return "missing key";
	if ((key = key_from_string(w)) == KEYC_NONE)
		return *what = w, "unknown key";
	if (!bind) {
		if (table_unbind(&b->tables[ctx], key) != 0)
			return *what = w, "key is not bound";
		return NULL;
	}
	if ((w = next_word(&s)) == NULL)
		return "missing action";
	if ((action = action_from_name(w)) < 0)
		return *what = w, "unknown action";
	s += strspn(s, " \t");
	table_bind(&b->tables[ctx], key, (enum action)action, s);
	return NULL;
}

int
bindings_load(struct bindings *b, const char *text, const char *origin,
              struct bindings_errors *errs)
{
	char *copy = xstrdup(text), *line, *save = NULL;
	const char *msg, *what;
	int lineno = 0, bad = 0;

	/* strtok_r would merge blank lines and lose line numbers. */
	for (line = copy; line != NULL; line = save) {
		save = strchr(line, '\n');
		if (save != NULL)
			*save++ = '\0';
		lineno++;
		rstrip(line);
		msg = parse_line(b, line, &what);
		if (msg != NULL) {
			report(errs, origin, lineno, msg, what);
			bad++;
		}
	}
	free(copy);
	return bad;
}

int
bindings_load_defaults(struct bindings *b, struct bindings_errors *errs)
{
	return bindings_load(b, keymaps_default_text, "default.keys", errs);
}

int
bindings_load_file(struct bindings *b, const char *path,
                   struct bindings_errors *errs)
{
	FILE *f = fopen(path, "r");
	char *text;
	long size;
	int bad;

	if (f == NULL) {
		if (errno != ENOENT)
			report(errs, path, 0, "cannot read", strerror(errno));
		return errno == ENOENT ? 0 : 1;
	}
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	if (size < 0 || size > 1 << 20) {
		fclose(f);
		report(errs, path, 0, "too large or unreadable", NULL);
		return 1;
	}
	text = xcalloc(1, (size_t)size + 1);
	size = (long)fread(text, 1, (size_t)size, f);
	fclose(f);
	text[size] = '\0';
	bad = bindings_load(b, text, path, errs);
	free(text);
	return bad;
}

const struct binding *
bindings_lookup(const struct bindings *b, enum key_context ctx, key_code key)
{
	const struct binding *hit = table_find(&b->tables[ctx], key);

	if (hit == NULL && ctx != KEYCTX_GLOBAL)
		hit = table_find(&b->tables[KEYCTX_GLOBAL], key);
	if (hit != NULL && hit->action == ACTION_NONE)
		return NULL;
	return hit;
}

const struct binding *
bindings_at(const struct bindings *b, enum key_context ctx, size_t n)
{
	if ((unsigned)ctx >= KEYCTX_COUNT || n >= b->tables[ctx].n)
		return NULL;
	return &b->tables[ctx].items[n];
}

key_code
bindings_key_for(const struct bindings *b, enum key_context ctx,
                 enum action action)
{
	enum key_context order[2] = { ctx, KEYCTX_GLOBAL };
	size_t i, c;

	for (c = 0; c < 2; c++) {
		const struct table *t = &b->tables[order[c]];

		for (i = 0; i < t->n; i++)
			if (t->items[i].action == action)
				return t->items[i].key;
	}
	return KEYC_NONE;
}
