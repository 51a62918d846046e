/* The `?` help overlay, built from the live bindings so it cannot lie. */
#ifndef SITECARE_TUI_HELP_H
#define SITECARE_TUI_HELP_H

#include <stdbool.h>

#include "keymaps/bindings.h"
#include "tui/overlay.h"
#include "tui/view.h"

/* What the help page is built from. */
struct help_src {
	const struct bindings *bindings;
	enum key_context ctx; /* the current pane's key context */
	const char *pane;     /* its name, "Tasks" */
	bool readonly;
	/* Whether an action changes server data; NULL: action_changes. */
	bool (*changes)(enum action a);
	/* Whether the signed-in member can use the action here (the
	 * panes their role shows serve it); NULL: every action. */
	bool (*can)(const void *ud, enum action a);
	const void *can_ud;
};

/*
 * Fills o with the page: the title, the keys of src->ctx, then the
 * global keys the context does not shadow, then every action as a `:`
 * command. Actions that change server data are marked, and said to be
 * off when src->readonly; actions src->can refuses are left out. Needs
 * no terminal.
 */
void help_build(struct overlay_text *o, const struct help_src *src);

/*
 * The first line at or after from (dir 1) or before it (dir -1), going
 * round the end, whose text holds query (any case); -1 when none does.
 */
long help_find(const struct overlay_text *o, const char *query, size_t from,
               int dir);

/* The overlay's state for app's current pane in key context ctx; when
 * topic names an action (":help filter"), the page starts at it. Only
 * the actions of the panes app's role shows are listed. */
void *help_new(struct app *app, enum key_context ctx, const char *topic);

/* The overlay's operations (state from help_new). */
extern const struct view_ops help_ops;

#endif
