/* The hint bar: the few most useful keys for what has the focus. */
#ifndef SITECARE_TUI_HINTS_H
#define SITECARE_TUI_HINTS_H

#include <stdbool.h>
#include <stddef.h>

#include "keymaps/bindings.h"

struct app;

/*
 * One entry of a hint bar: the keys bound to a (and, when b is not
 * ACTION_NONE, to b, written "j/k") and a word for what they do. A table
 * of hints ends with an entry whose label is NULL. The keys are looked up
 * in the live bindings when the bar is drawn, so a rebinding shows the
 * user's key and an unbound action drops out: the bar cannot lie. An
 * entry whose a is ACTION_NONE is words alone ("type to filter") for
 * keys the bindings do not hold.
 */
struct hint {
	enum action a, b;
	const char *label;
};

/* Rows a terminal needs before the bar is shown: below it, the bar is
 * the first thing to go. */
#define HINTS_MIN_ROWS 12

/* The hints of a key context when the pane gives none of its own. */
const struct hint *hints_for_context(enum key_context ctx);

/*
 * Writes into buf (len bytes) the entries of h whose keys are bound in
 * ctx (or globally), two spaces apart, as many whole entries as fit in
 * width columns: an entry is never cut. Needs no terminal.
 */
void hints_format(const struct bindings *b, enum key_context ctx,
                  const struct hint *h, int width, char *buf, size_t len);

/* True when the bar takes a row now: turned on and room for it. */
bool hints_shown(const struct app *app);

/* `:hints`, `:hints on`, `:hints off` (none: toggles). False, with a
 * notice, for any other argument. */
bool hints_set(struct app *app, const char *args);

#endif
