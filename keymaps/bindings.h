/* Key binding tables by context, read from tmux-like `bind` lines. */
#ifndef SITECARE_KEYMAPS_BINDINGS_H
#define SITECARE_KEYMAPS_BINDINGS_H

#include <stddef.h>

#include "keymaps/action.h"
#include "keymaps/key.h"

/*
 * A context is where a key is pressed. Each has its own table; a key not
 * found in the pane's context falls back to the global table (tmux's key
 * tables). Bind a key to `none` in a context to hide a global binding.
 */
#define KEY_CONTEXTS                                                           \
	X(KEYCTX_GLOBAL, "global")                                             \
	X(KEYCTX_LIST, "list")                                                 \
	X(KEYCTX_DETAIL, "detail")                                             \
	X(KEYCTX_INPUT, "input")                                               \
	X(KEYCTX_FORM, "form")                                                 \
	X(KEYCTX_PAGER, "pager")

enum key_context {
#define X(id, name) id,
	KEY_CONTEXTS
#undef X
	    KEYCTX_COUNT
};

struct binding {
	key_code key;
	enum action action;
	char *args; /* NULL when the binding has none */
};

/* Problems found while reading bindings, as "origin:line: message". */
struct bindings_errors {
	char **lines;
	size_t n;
};

struct bindings;

/* Empty tables; load the defaults with bindings_load_defaults(). */
struct bindings *bindings_new(void);
void bindings_free(struct bindings *b);

/* Reads the built-in default bindings (keymaps/default.keys). */
int bindings_load_defaults(struct bindings *b, struct bindings_errors *errs);

/*
 * Reads `bind`/`unbind` lines from text. Every bad line is reported in
 * errs with origin and line number and skipped; the others still apply.
 * Returns the number of bad lines.
 */
int bindings_load(struct bindings *b, const char *text, const char *origin,
                  struct bindings_errors *errs);

/* bindings_load() of a file; a missing file is not an error. */
int bindings_load_file(struct bindings *b, const char *path,
                       struct bindings_errors *errs);

/* The binding for key in ctx, falling back to global; NULL if none. */
const struct binding *bindings_lookup(const struct bindings *b,
                                      enum key_context ctx, key_code key);

/* The n-th binding of ctx's own table (for help screens), or NULL. */
const struct binding *bindings_at(const struct bindings *b,
                                  enum key_context ctx, size_t n);

/* The first key bound to action in ctx or global, or KEYC_NONE. */
key_code bindings_key_for(const struct bindings *b, enum key_context ctx,
                          enum action action);

const char *bindings_context_name(enum key_context ctx);
int bindings_context_from_name(const char *name);

void bindings_errors_free(struct bindings_errors *errs);

#endif
