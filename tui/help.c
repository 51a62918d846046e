/* The `?` help overlay, built from the live bindings so it cannot lie. */
#include "tui/help.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/base/xmalloc.h"
#include "tui/app.h"
#include "tui/theme.h"

/*
 * The help overlay: its page, and a search in it (`/`, n, N). While a
 * search is on, its matching line is highlighted and Escape ends the
 * search before it closes the page.
 */
struct help {
	struct overlay_text text; /* first: the page's own state */
	struct app *app;
	char *query; /* NULL: no search */
	size_t match;
};

/* How wide the key column is before the action's name. */
#define HELP_KEY_WIDTH  12
#define HELP_NAME_WIDTH 18

/* The marker after an action that changes server data, or "". */
static const char *
help_mark(const struct help_src *src, enum action a)
{
	bool (*changes)(enum action) =
	    src->changes != NULL ? src->changes : action_changes;

	if (!changes(a))
		return "";
	return src->readonly ? " [changes data: off, read-only]"
	                     : " [changes data]";
}

/* True when the member can use a here (src->can; NULL: always). */
static bool
help_can(const struct help_src *src, enum action a)
{
	return src->can == NULL || src->can(src->can_ud, a);
}

/* True when ctx's own table binds key (to anything, `none` included). */
static bool
help_ctx_has(const struct bindings *b, enum key_context ctx, key_code key)
{
	const struct binding *it;
	size_t i;

	for (i = 0; (it = bindings_at(b, ctx, i)) != NULL; i++)
		if (it->key == key)
			return true;
	return false;
}

/* One key line: "  j           down              Move down one row". */
static void
help_key_line(struct overlay_text *o, const struct help_src *src,
              const struct binding *it)
{
	char key[32], name[64];

	key_to_string(it->key, key, sizeof key);
	snprintf(name, sizeof name, "%s%s%s", action_name(it->action),
	         it->args != NULL ? " " : "", it->args != NULL ? it->args : "");
	overlay_text_add(o, THEME_NORMAL, "  %-*s %-*s %s%s", HELP_KEY_WIDTH,
	                 key, HELP_NAME_WIDTH, name, action_help(it->action),
	                 help_mark(src, it->action));
}

/* The keys of one table; global ones shadowed by src->ctx are left out. */
static void
help_keys(struct overlay_text *o, const struct help_src *src,
          enum key_context table)
{
	const struct binding *it;
	size_t i;

	for (i = 0; (it = bindings_at(src->bindings, table, i)) != NULL; i++) {
		if (it->action == ACTION_NONE || !help_can(src, it->action))
			continue;
		if (table != src->ctx &&
		    help_ctx_has(src->bindings, src->ctx, it->key))
			continue;
		help_key_line(o, src, it);
	}
}

/* Every action as a `:` command with its help. */
static void
help_commands(struct overlay_text *o, const struct help_src *src)
{
	char cmd[64];
	int a;

	overlay_text_add(o, THEME_NORMAL, "%s", "");
	overlay_text_add(o, THEME_TITLE, "%s",
	                 "Commands (type : and the name; :help shows this "
	                 "page):");
	for (a = ACTION_NONE + 1; a < ACTION_COUNT; a++) {
		if (!help_can(src, (enum action)a))
			continue;
		snprintf(cmd, sizeof cmd, ":%s", action_name((enum action)a));
		overlay_text_add(o, THEME_NORMAL, "  %-*s %s%s",
		                 HELP_KEY_WIDTH + HELP_NAME_WIDTH + 1, cmd,
		                 action_help((enum action)a),
		                 help_mark(src, (enum action)a));
	}
}

void
help_build(struct overlay_text *o, const struct help_src *src)
{
	overlay_text_clear(o);
	overlay_text_title(o, "Help: %s (%s)",
	                   src->pane != NULL ? src->pane : "-",
	                   bindings_context_name(src->ctx));
	overlay_text_add(o, src->readonly ? THEME_WARN : THEME_DIM, "%s",
	                 src->readonly
	                     ? "Read-only (--readonly): actions marked "
	                       "[changes data] are turned off."
	                     : "Actions marked [changes data] change data on "
	                       "the server.");
	if (src->ctx != KEYCTX_GLOBAL) {
		overlay_text_add(o, THEME_NORMAL, "%s", "");
		overlay_text_add(o, THEME_TITLE, "Keys in %s:",
		                 bindings_context_name(src->ctx));
		help_keys(o, src, src->ctx);
	}
	overlay_text_add(o, THEME_NORMAL, "%s", "");
	overlay_text_add(o, THEME_TITLE, "%s", "Keys everywhere (global):");
	help_keys(o, src, KEYCTX_GLOBAL);
	help_commands(o, src);
}

/* Starts the page at the `:topic` line, if there is one. */
static void
help_seek(struct overlay_text *o, const char *topic)
{
	size_t i, len = strlen(topic);

	for (i = 0; i < o->n; i++) {
		const char *t =
		    o->lines[i].text + strspn(o->lines[i].text, " ");

		if (t[0] == ':' && strncmp(t + 1, topic, len) == 0 &&
		    t[1 + len] == ' ') {
			o->top = i;
			return;
		}
	}
}

/* True when a is no pane's own, or one of a shown pane's own. */
static bool
help_role_can(const void *ud, enum action a)
{
	const struct app *app = ud;
	bool owned = false;
	const enum action *it;
	int i;

	for (i = 0; i < PANE_COUNT; i++) {
		const struct view_ops *ops = app->panes[i].ops;

		if (ops == NULL || ops->own_actions == NULL)
			continue;
		for (it = ops->own_actions; *it != ACTION_NONE; it++)
			if (*it == a) {
				if (app->panes[i].visible)
					return true;
				owned = true;
			}
	}
	return !owned;
}

void *
help_new(struct app *app, enum key_context ctx, const char *topic)
{
	struct help *h = xcalloc(1, sizeof *h);
	const struct pane *p = &app->panes[app->current];
	struct help_src src = {
		.bindings = app->bindings,
		.ctx = ctx,
		.pane = p->ops != NULL ? p->ops->name : NULL,
		.readonly = app->readonly,
		.can = help_role_can,
		.can_ud = app,
	};

	h->app = app;
	help_build(&h->text, &src);
	if (topic != NULL)
		help_seek(&h->text, topic);
	return h;
}

static void
help_free(void *state)
{
	struct help *h = state;

	overlay_text_free(&h->text);
	free(h->query);
	free(h);
}

/* The page, then the search's line highlighted when it is in view. */
static void
help_draw(void *state, void *win, int rows, int cols)
{
	struct help *h = state;
	struct overlay_text *o = &h->text;

	overlay_text_draw(o, win, rows, cols);
	if (h->query != NULL && h->match >= o->top &&
	    h->match < o->top + (size_t)o->rows)
		mvwchgat(win, 1 + (int)(h->match - o->top), 0, cols,
		         (attr_t)theme_attr(THEME_MATCH), 0, NULL);
}

long
help_find(const struct overlay_text *o, const char *query, size_t from, int dir)
{
	size_t k, i, len = strlen(query);
	const char *t;

	for (k = 0; k < o->n && len > 0; k++) {
		i = (from + o->n + (dir > 0 ? k : o->n - k)) % o->n;
		for (t = o->lines[i].text; *t != '\0'; t++)
			if (strncasecmp(t, query, len) == 0)
				return (long)i;
	}
	return -1;
}

/* Goes to the next (dir 1) or previous (-1) match from line from. */
static enum view_result
help_goto_match(struct help *h, size_t from, int dir)
{
	long i = help_find(&h->text, h->query, from, dir);

	if (i < 0) {
		app_notice(h->app, true, "help: no line has \"%s\"", h->query);
		return VIEW_REDRAW;
	}
	h->match = (size_t)i;
	h->text.top = h->match;
	app_notice(h->app, false,
	           "help: \"%s\" on line %ld (n next, N "
	           "previous, Escape ends the search)",
	           h->query, i + 1);
	return VIEW_REDRAW;
}

/* `/` (with its text), n, N and, while searching, Escape. */
static enum view_result
help_search(struct help *h, enum action a, const char *args)
{
	size_t n = h->text.n;

	switch (a) {
	case ACTION_SEARCH:
		free(h->query);
		h->query = xstrdup(args);
		return help_goto_match(h, h->text.top, 1);
	case ACTION_SEARCH_NEXT:
	case ACTION_SEARCH_PREV:
		if (h->query == NULL || n == 0)
			return VIEW_HANDLED;
		return help_goto_match(
		    h, (h->match + (a == ACTION_SEARCH_NEXT ? 1 : n - 1)) % n,
		    a == ACTION_SEARCH_NEXT ? 1 : -1);
	default: /* ACTION_BACK */
		free(h->query);
		h->query = NULL;
		app_notice(h->app, false, "help: search ended");
		return VIEW_REDRAW;
	}
}

static enum view_result
help_action(void *state, enum action a, const char *args)
{
	struct help *h = state;

	if ((a == ACTION_SEARCH && args != NULL) || a == ACTION_SEARCH_NEXT ||
	    a == ACTION_SEARCH_PREV || (a == ACTION_BACK && h->query != NULL))
		return help_search(h, a, args);
	return overlay_text_scroll(&h->text, a);
}

/* The page has its own keys: scroll, page, search (the pager table). */
static enum key_context
help_context(void *state)
{
	return KEYCTX_PAGER;
}

const struct view_ops help_ops = {
	.name = "Help",
	.title = "Help",
	.free = help_free,
	.draw = help_draw,
	.action = help_action,
	.context = help_context,
};
