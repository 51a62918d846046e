/* The `?` help overlay, built from the live bindings so it cannot lie. */
#include "tui/help.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/base/xmalloc.h"
#include "tui/app.h"

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
		if (it->action == ACTION_NONE)
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

void *
help_new(struct app *app, enum key_context ctx, const char *topic)
{
	struct overlay_text *o = xcalloc(1, sizeof *o);
	const struct pane *p = &app->panes[app->current];
	struct help_src src = {
		.bindings = app->bindings,
		.ctx = ctx,
		.pane = p->ops != NULL ? p->ops->name : NULL,
		.readonly = app->readonly,
	};

	help_build(o, &src);
	if (topic != NULL)
		help_seek(o, topic);
	return o;
}

static void
help_free(void *state)
{
	overlay_text_free(state);
	free(state);
}

static void
help_draw(void *state, void *win, int rows, int cols)
{
	overlay_text_draw(state, win, rows, cols);
}

static enum view_result
help_action(void *state, enum action a, const char *args)
{
	return overlay_text_scroll(state, a);
}

/* The page scrolls with the detail keys. */
static enum key_context
help_context(void *state)
{
	return KEYCTX_DETAIL;
}

const struct view_ops help_ops = {
	.name = "Help",
	.title = "Help",
	.free = help_free,
	.draw = help_draw,
	.action = help_action,
	.context = help_context,
};
