/* Unit tests for tui/help.c: the help page built from a bindings table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tui/app.h"
#include "tui/help.h"
#include "tui/view.h"

static const char keys[] = "bind q quit\n"
                           "bind ? help\n"
                           "bind r refresh\n"
                           "bind -c list j down\n"
                           "bind -c list r filter status=new\n"
                           "bind -c list C-f page-down\n"
                           "bind -c list q none\n";

/* Bindings from keys, with no errors. */
static struct bindings *
load(void)
{
	struct bindings *b = bindings_new();
	struct bindings_errors errs = { 0 };

	assert_int_equal(bindings_load(b, keys, "test", &errs), 0);
	bindings_errors_free(&errs);
	return b;
}

/* The index of the first line that starts (after blanks) with prefix,
 * from line `from`, or -1. */
static int
find(const struct overlay_text *o, size_t from, const char *prefix)
{
	size_t i;

	for (i = from; i < o->n; i++) {
		const char *t =
		    o->lines[i].text + strspn(o->lines[i].text, " ");

		if (strncmp(t, prefix, strlen(prefix)) == 0)
			return (int)i;
	}
	return -1;
}

/* The key column and action name of a key line, "j down" for instance. */
static bool
has_key_line(const struct overlay_text *o, int from, int to, const char *key,
             const char *action)
{
	int i;
	char k[32], a[64];

	for (i = from; i >= 0 && i < to; i++)
		if (sscanf(o->lines[i].text, "%31s %63s", k, a) == 2 &&
		    strcmp(k, key) == 0 && strcmp(a, action) == 0)
			return true;
	return false;
}

/* Only refresh "changes data" in these tests: no real action does yet. */
static bool
fake_changes(enum action a)
{
	return a == ACTION_REFRESH;
}

static void
help__build__title_and_context_keys_first(void **state)
{
	struct bindings *b = load();
	struct overlay_text o = { 0 };
	struct help_src src = {
		b, KEYCTX_LIST, "Tasks", false, NULL, NULL, NULL
	};
	int ctx, glob, cmds;

	help_build(&o, &src);
	assert_string_equal(o.title, "Help: Tasks (list)");
	ctx = find(&o, 0, "Keys in list:");
	glob = find(&o, 0, "Keys everywhere (global):");
	cmds = find(&o, 0, "Commands");
	assert_true(ctx >= 0 && ctx < glob && glob < cmds);
	assert_true(has_key_line(&o, ctx, glob, "j", "down"));
	assert_true(has_key_line(&o, ctx, glob, "C-f", "page-down"));
	assert_true(has_key_line(&o, ctx, glob, "r", "filter"));
	assert_non_null(
	    strstr(o.lines[find(&o, ctx, "r ")].text, "filter status=new"));
	assert_true(has_key_line(&o, glob, cmds, "?", "help"));
	assert_non_null(
	    strstr(o.lines[find(&o, ctx, "j ")].text, "Move down one row"));
	overlay_text_free(&o);
	bindings_free(b);
}

static void
help__build__context_shadows_global(void **state)
{
	struct bindings *b = load();
	struct overlay_text o = { 0 };
	struct help_src src = {
		b, KEYCTX_LIST, "Tasks", false, NULL, NULL, NULL
	};
	int ctx, glob, cmds;

	help_build(&o, &src);
	ctx = find(&o, 0, "Keys in list:");
	glob = find(&o, 0, "Keys everywhere (global):");
	cmds = find(&o, 0, "Commands");
	/* r is filter in lists: the global refresh is not offered there. */
	assert_false(has_key_line(&o, glob, cmds, "r", "refresh"));
	/* q is bound to none in lists: neither it nor global quit shows. */
	assert_false(has_key_line(&o, ctx, cmds, "q", "none"));
	assert_false(has_key_line(&o, glob, cmds, "q", "quit"));
	overlay_text_free(&o);

	/* In the global context the same keys are listed as global. */
	src.ctx = KEYCTX_GLOBAL;
	help_build(&o, &src);
	assert_int_equal(find(&o, 0, "Keys in"), -1);
	glob = find(&o, 0, "Keys everywhere (global):");
	cmds = find(&o, 0, "Commands");
	assert_true(has_key_line(&o, glob, cmds, "r", "refresh"));
	assert_true(has_key_line(&o, glob, cmds, "q", "quit"));
	assert_string_equal(o.title, "Help: Tasks (global)");
	overlay_text_free(&o);
	bindings_free(b);
}

static void
help__build__every_action_is_a_command(void **state)
{
	struct bindings *b = load();
	struct overlay_text o = { 0 };
	struct help_src src = { b,    KEYCTX_DETAIL, "Tasks", false,
		                NULL, NULL,          NULL };
	char want[64];
	int a, cmds, at;

	help_build(&o, &src);
	cmds = find(&o, 0, "Commands");
	assert_true(cmds > 0);
	for (a = ACTION_NONE + 1; a < ACTION_COUNT; a++) {
		snprintf(want, sizeof want, ":%s ",
		         action_name((enum action)a));
		at = find(&o, (size_t)cmds, want);
		assert_true(at > cmds);
		assert_non_null(
		    strstr(o.lines[at].text, action_help((enum action)a)));
	}
	assert_int_equal(find(&o, 0, ":none "), -1);
	overlay_text_free(&o);
	bindings_free(b);
}

static void
help__build__marks_changing_actions_and_readonly(void **state)
{
	struct bindings *b = load();
	struct overlay_text o = { 0 };
	struct help_src src = { b,     KEYCTX_GLOBAL, "Tasks",
		                false, fake_changes,  NULL,
		                NULL };
	int cmds;

	help_build(&o, &src);
	cmds = find(&o, 0, "Commands");
	assert_non_null(
	    strstr(o.lines[find(&o, (size_t)cmds, ":refresh ")].text,
	           "[changes data]"));
	assert_null(strstr(o.lines[find(&o, (size_t)cmds, ":refresh ")].text,
	                   "read-only"));
	assert_null(
	    strstr(o.lines[find(&o, (size_t)cmds, ":down ")].text, "[changes"));
	assert_non_null(
	    strstr(o.lines[find(&o, 0, "r ")].text, "[changes data]"));
	assert_int_equal(find(&o, 0, "Read-only"), -1);
	overlay_text_free(&o);

	src.readonly = true;
	help_build(&o, &src);
	cmds = find(&o, 0, "Commands");
	assert_true(find(&o, 0, "Read-only") >= 0);
	assert_non_null(
	    strstr(o.lines[find(&o, (size_t)cmds, ":refresh ")].text,
	           "off, read-only"));
	assert_null(strstr(o.lines[find(&o, (size_t)cmds, ":down ")].text,
	                   "read-only"));
	overlay_text_free(&o);
	bindings_free(b);
}

static void
help__build__sanitises_and_scrolls(void **state)
{
	struct bindings *b = bindings_new();
	struct bindings_errors errs = { 0 };
	struct overlay_text o = { 0 };
	struct help_src src = { b,    KEYCTX_LIST, "Ta\033[31msks", false, NULL,
		                NULL, NULL };
	size_t i;

	bindings_load(b, "bind -c list x filter client=\x01\n", "t", &errs);
	bindings_errors_free(&errs);
	help_build(&o, &src);
	assert_null(strchr(o.title, '\033'));
	for (i = 0; i < o.n; i++)
		assert_null(strchr(o.lines[i].text, '\x01'));
	o.rows = 5;
	assert_int_equal(overlay_text_scroll(&o, ACTION_BOTTOM), VIEW_REDRAW);
	assert_int_equal(o.top, o.n - 5);
	assert_int_equal(overlay_text_scroll(&o, ACTION_DOWN), VIEW_HANDLED);
	assert_int_equal(overlay_text_scroll(&o, ACTION_TOP), VIEW_REDRAW);
	assert_int_equal(o.top, 0);
	assert_int_equal(overlay_text_scroll(&o, ACTION_PAGE_DOWN),
	                 VIEW_REDRAW);
	assert_int_equal(o.top, 4);
	assert_int_equal(overlay_text_scroll(&o, ACTION_OPEN), VIEW_UNHANDLED);
	overlay_text_free(&o);
	bindings_free(b);
}

/* Only refresh is refused: as if no shown pane served it. */
static bool
fake_can(const void *ud, enum action a)
{
	(void)ud;
	return a != ACTION_REFRESH;
}

static void
help__build__leaves_out_what_the_role_cannot_do(void **state)
{
	struct bindings *b = load();
	struct overlay_text o = { 0 };
	struct help_src src = { b,    KEYCTX_GLOBAL, "Tasks", false,
		                NULL, NULL,          NULL };
	int glob, cmds;

	src.can = fake_can;
	help_build(&o, &src);
	glob = find(&o, 0, "Keys everywhere (global):");
	cmds = find(&o, 0, "Commands");
	assert_false(has_key_line(&o, glob, cmds, "r", "refresh"));
	assert_true(has_key_line(&o, glob, cmds, "q", "quit"));
	assert_int_equal(find(&o, cmds, ":refresh"), -1);
	assert_true(find(&o, cmds, ":quit") > cmds);
	overlay_text_free(&o);
	bindings_free(b);
}

static void
help__find__any_case_both_ways_round_the_end(void **state)
{
	struct overlay_text o = { 0 };

	overlay_text_add(&o, THEME_NORMAL, "%s", "alpha");
	overlay_text_add(&o, THEME_NORMAL, "%s", "Beta one");
	overlay_text_add(&o, THEME_NORMAL, "%s", "gamma");
	overlay_text_add(&o, THEME_NORMAL, "%s", "beta two");
	assert_int_equal(help_find(&o, "BETA", 0, 1), 1);
	assert_int_equal(help_find(&o, "beta", 2, 1), 3);
	assert_int_equal(help_find(&o, "beta", 0, -1), 3);
	assert_int_equal(help_find(&o, "beta", 2, -1), 1);
	assert_int_equal(help_find(&o, "alpha", 1, 1), 0);
	assert_int_equal(help_find(&o, "delta", 0, 1), -1);
	assert_int_equal(help_find(&o, "", 0, 1), -1);
	overlay_text_free(&o);
}

/* The page help_new built (its state starts with the page). */
static const struct overlay_text *
page_of(void *h)
{
	return h;
}

/* The line number ("on line N") the last notice names, or -1. */
static long
noticed_line(const struct app *app)
{
	const char *at =
	    app->message != NULL ? strstr(app->message, " on line ") : NULL;

	return at != NULL ? strtol(at + strlen(" on line "), NULL, 10) : -1;
}

/* `:help refresh` opens the page at the :refresh line; an unknown topic
 * leaves it at the top; with no pane shown the title says "-". */
static void
help__new__topic_starts_the_page_there(void **state)
{
	struct app app = { 0 };
	void *h;
	int at;

	app.bindings = load();
	h = help_new(&app, KEYCTX_GLOBAL, "refresh");
	at = find(page_of(h), 0, ":refresh");
	assert_true(at > 0);
	assert_int_equal(page_of(h)->top, (size_t)at);
	assert_non_null(strstr(page_of(h)->title, "Help: - ("));
	help_ops.free(h);
	h = help_new(&app, KEYCTX_GLOBAL, "no-such-topic");
	assert_int_equal(page_of(h)->top, 0);
	help_ops.free(h);
	/* A prefix of a name is not a topic: "refres" is not "refresh". */
	h = help_new(&app, KEYCTX_GLOBAL, "refres");
	assert_int_equal(page_of(h)->top, 0);
	help_ops.free(h);
	bindings_free(app.bindings);
}

static const enum action refresh_only[] = { ACTION_REFRESH, ACTION_NONE };
static const struct view_ops owner_ops = { .name = "Owner",
	                                   .own_actions = refresh_only };
static const struct view_ops plain_ops = { .name = "Plain" };

/* An action a pane owns is listed only while that pane is shown; panes
 * that own nothing do not hide anything. */
static void
help__new__pane_actions_only_when_the_pane_is_shown(void **state)
{
	struct app app = { 0 };
	void *h;
	int cmds;

	app.bindings = load();
	app.panes[0].ops = &plain_ops;
	app.panes[0].visible = true;
	app.panes[1].ops = &owner_ops;
	h = help_new(&app, KEYCTX_GLOBAL, NULL);
	assert_non_null(strstr(page_of(h)->title, "Help: Plain ("));
	cmds = find(page_of(h), 0, "Commands");
	assert_int_equal(find(page_of(h), cmds, ":refresh"), -1);
	assert_true(find(page_of(h), cmds, ":quit") > cmds);
	help_ops.free(h);
	app.panes[1].visible = true;
	h = help_new(&app, KEYCTX_GLOBAL, NULL);
	cmds = find(page_of(h), 0, "Commands");
	assert_true(find(page_of(h), cmds, ":refresh") > cmds);
	help_ops.free(h);
	bindings_free(app.bindings);
}

/* `/` finds a line and says which; a search with no match says so and
 * stays put; n and N with no search do nothing; Escape ends a search
 * and only then is it left to close the page. */
static void
help__action__search_next_previous_and_escape(void **state)
{
	struct app app = { 0 };
	void *h;
	int first, second;

	app.bindings = load();
	h = help_new(&app, KEYCTX_GLOBAL, NULL);
	assert_int_equal(help_ops.action(h, ACTION_SEARCH_NEXT, NULL),
	                 VIEW_HANDLED);
	assert_int_equal(help_ops.action(h, ACTION_SEARCH_PREV, NULL),
	                 VIEW_HANDLED);
	assert_null(app.message);

	assert_int_equal(help_ops.action(h, ACTION_SEARCH, "zzqx"),
	                 VIEW_REDRAW);
	assert_string_equal(app.message, "help: no line has \"zzqx\"");
	assert_true(app.message_is_error);
	assert_int_equal(page_of(h)->top, 0);

	first = find(page_of(h), 0, ":quit");
	assert_int_equal(help_ops.action(h, ACTION_SEARCH, ":quit"),
	                 VIEW_REDRAW);
	assert_false(app.message_is_error);
	assert_int_equal(noticed_line(&app), first + 1);
	assert_int_equal(page_of(h)->top, (size_t)first);
	/* "quit" is on the key line too: n goes on to the next such line,
	 * round the end, and N comes back. */
	help_ops.action(h, ACTION_SEARCH, "quit");
	first = (int)noticed_line(&app) - 1;
	second = (int)help_find(page_of(h), "quit", (size_t)first + 1, 1);
	assert_true(second >= 0 && second != first);
	help_ops.action(h, ACTION_SEARCH_NEXT, NULL);
	assert_int_equal(noticed_line(&app) - 1, second);
	assert_int_equal(page_of(h)->top, (size_t)second);
	help_ops.action(h, ACTION_SEARCH_PREV, NULL);
	assert_int_equal(noticed_line(&app) - 1, first);
	assert_int_equal(page_of(h)->top, (size_t)first);

	assert_int_equal(help_ops.action(h, ACTION_BACK, NULL), VIEW_REDRAW);
	assert_string_equal(app.message, "help: search ended");
	/* No search now: Escape is left to the frame, which closes. */
	assert_int_equal(help_ops.action(h, ACTION_BACK, NULL), VIEW_UNHANDLED);
	help_ops.free(h);
	free(app.message);
	bindings_free(app.bindings);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(help__build__title_and_context_keys_first),
		cmocka_unit_test(help__build__context_shadows_global),
		cmocka_unit_test(help__build__every_action_is_a_command),
		cmocka_unit_test(
		    help__build__marks_changing_actions_and_readonly),
		cmocka_unit_test(help__build__sanitises_and_scrolls),
		cmocka_unit_test(
		    help__build__leaves_out_what_the_role_cannot_do),
		cmocka_unit_test(help__find__any_case_both_ways_round_the_end),
		cmocka_unit_test(help__new__topic_starts_the_page_there),
		cmocka_unit_test(
		    help__new__pane_actions_only_when_the_pane_is_shown),
		cmocka_unit_test(help__action__search_next_previous_and_escape),
	};

	return cmocka_run_group_tests_name("tui/help", tests, NULL, NULL);
}
