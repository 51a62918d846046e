/*
 * libFuzzer harness for keymaps/: the input is a user's keys file, read
 * over the built-in defaults as sitecare does. Every bad line is reported
 * once with its line; every binding left has a real key (a named key or
 * a Unicode character that is no C1 control, with its modifiers), a real
 * action and trimmed arguments, is what bindings_lookup finds, and has a
 * canonical name that key_from_string reads back as the same key.
 * Writing the tables out as `bind` lines and reading them into empty
 * tables gives the same tables. Each word of the input that is not valid
 * UTF-8 is no key name.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keymaps/bindings.h"
#include "tests/fuzz/check_utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Whether base, a key without modifiers, is one key.h describes. */
static bool
real_key(key_code base)
{
	if (base >= KEYC_SPECIAL)
		return base < KEYC_LAST;
	return base != KEYC_NONE && base <= 0x10ffff &&
	       !(base >= 0xd800 && base <= 0xdfff) && /* surrogates */
	       !(base >= 0x80 && base <= 0x9f);       /* C1 controls */
}

/* Aborts unless key is a real key, named canonically. */
static void
check_key(key_code key)
{
	char name[64];

	if (!real_key(key & ~KEYC_META))
		abort();
	key_to_string(key, name, sizeof name);
	if (!check_utf8(name, strlen(name)) || key_from_string(name) != key)
		abort();
}

/* Every blank-separated word of text that names a key names a real one. */
static void
check_words(const char *text)
{
	char *copy = strdup(text), *save = NULL, *w;
	key_code key;

	if (copy == NULL)
		abort();
	for (w = strtok_r(copy, " \t\r\n", &save); w != NULL;
	     w = strtok_r(NULL, " \t\r\n", &save)) {
		key = key_from_string(w);
		if (key == KEYC_NONE)
			continue;
		if (!check_utf8(w, strlen(w)))
			abort(); /* broken UTF-8 read as a key */
		check_key(key);
	}
	free(copy);
}

/* Aborts unless errs holds `bad` reports in line order within text. */
static void
check_errors(const struct bindings_errors *errs, int bad, const char *text)
{
	int lines = 1, last = 0, line;
	const char *p;
	size_t i;

	for (p = text; *p != '\0'; p++)
		lines += *p == '\n';
	if (bad < 0 || (size_t)bad != errs->n)
		abort();
	for (i = 0; i < errs->n; i++) {
		if (sscanf(errs->lines[i], "fuzz:%d: ", &line) != 1 ||
		    line <= last || line > lines)
			abort();
		last = line;
	}
}

/* Whether args are as the parser leaves them: none, or one line that
 * neither starts nor ends with a blank. */
static bool
trimmed_args(const char *args)
{
	size_t n;

	if (args == NULL)
		return true;
	n = strlen(args);
	return n > 0 && args[0] != ' ' && args[0] != '\t' &&
	       strchr(" \t\r", args[n - 1]) == NULL &&
	       strchr(args, '\n') == NULL;
}

/* Aborts unless every binding of b is well formed and found by lookup. */
static void
check_tables(const struct bindings *b)
{
	const struct binding *it, *other;
	size_t i, j;
	int ctx;

	for (ctx = 0; ctx < KEYCTX_COUNT; ctx++) {
		for (i = 0; (it = bindings_at(b, ctx, i)) != NULL; i++) {
			check_key(it->key);
			if (action_name(it->action) == NULL)
				abort();
			if (!trimmed_args(it->args))
				abort();
			for (j = 0; j < i; j++)
				if (bindings_at(b, ctx, j)->key == it->key)
					abort(); /* bound twice */
			other = bindings_lookup(b, ctx, it->key);
			if (other != (it->action == ACTION_NONE ? NULL : it))
				abort();
		}
	}
}

/* Appends `bind -c CTX KEY ACTION [ARGS]` to the growing text *out. */
static void
add_line(char **out, size_t *len, const char *ctx, const char *key,
         const char *action, const char *args)
{
	const char *sep = args != NULL ? " " : "";
	int n;

	if (args == NULL)
		args = "";
	n = snprintf(NULL, 0, "bind -c %s %s %s%s%s\n", ctx, key, action, sep,
	             args);
	*out = realloc(*out, *len + (size_t)n + 1);
	if (*out == NULL)
		abort();
	snprintf(*out + *len, (size_t)n + 1, "bind -c %s %s %s%s%s\n", ctx, key,
	         action, sep, args);
	*len += (size_t)n;
}

/* b written out as bind lines and read into empty tables is b again. */
static void
check_written_back(const struct bindings *b)
{
	struct bindings *again = bindings_new();
	struct bindings_errors errs = { 0 };
	const struct binding *x, *y;
	char *text = NULL, name[64];
	size_t len = 0, i;
	int ctx;

	text = strdup("");
	if (text == NULL)
		abort();
	for (ctx = 0; ctx < KEYCTX_COUNT; ctx++)
		for (i = 0; (x = bindings_at(b, ctx, i)) != NULL; i++)
			add_line(&text, &len, bindings_context_name(ctx),
			         key_to_string(x->key, name, sizeof name),
			         action_name(x->action), x->args);
	if (bindings_load(again, text, "again", &errs) != 0)
		abort();
	for (ctx = 0; ctx < KEYCTX_COUNT; ctx++) {
		for (i = 0; (x = bindings_at(b, ctx, i)) != NULL; i++) {
			y = bindings_at(again, ctx, i);
			if (y == NULL || y->key != x->key ||
			    y->action != x->action ||
			    (y->args == NULL) != (x->args == NULL) ||
			    (x->args != NULL && strcmp(x->args, y->args) != 0))
				abort();
		}
		if (bindings_at(again, ctx, i) != NULL)
			abort();
	}
	bindings_errors_free(&errs);
	bindings_free(again);
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = strndup((const char *)data, size);
	struct bindings *b = bindings_new();
	struct bindings_errors errs = { 0 };
	int bad;

	if (text == NULL || bindings_load_defaults(b, &errs) != 0)
		abort();
	bad = bindings_load(b, text, "fuzz", &errs);
	check_errors(&errs, bad, text);
	check_tables(b);
	check_written_back(b);
	check_words(text);
	bindings_errors_free(&errs);
	bindings_free(b);
	free(text);
	return 0;
}
