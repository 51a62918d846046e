/* Unit tests for tui/command.c: parsing and completing `:` commands. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/base/xmalloc.h"
#include "tui/command.h"

/* Number of candidates in v. */
static size_t
count(char **v)
{
	size_t n = 0;

	while (v != NULL && v[n] != NULL)
		n++;
	return n;
}

/* True when v holds s. */
static int
has(char **v, const char *s)
{
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

/* Completes at the end of line, breaking words at blanks, '=' and ','. */
static char **
complete_end(const char *line, const struct command_args *src)
{
	int end = (int)strlen(line), start = end;

	while (start > 0 && strchr(" \t=,", line[start - 1]) == NULL)
		start--;
	return command_complete(line, start, end, src);
}

static void
command__parse__exact_name(void **state)
{
	struct command c;
	char err[128];

	assert_int_equal(command_parse("checkhealth", &c, err, sizeof err), 1);
	assert_int_equal(c.action, ACTION_CHECKHEALTH);
	assert_string_equal(c.args, "");
	command_clear(&c);
	assert_null(c.args);
}

static void
command__parse__unique_prefix(void **state)
{
	struct command c;
	char err[128];

	assert_int_equal(command_parse("chec", &c, err, sizeof err), 1);
	assert_int_equal(c.action, ACTION_CHECKHEALTH);
	command_clear(&c);
	assert_int_equal(command_parse("fil status=new", &c, err, sizeof err),
	                 1);
	assert_int_equal(c.action, ACTION_FILTER);
	assert_string_equal(c.args, "status=new");
	command_clear(&c);
}

static void
command__parse__exact_beats_longer_names(void **state)
{
	struct command c;
	char err[128];

	/* "search" also prefixes search-next and search-prev. */
	assert_int_equal(command_parse("search foo", &c, err, sizeof err), 1);
	assert_int_equal(c.action, ACTION_SEARCH);
	assert_string_equal(c.args, "foo");
	command_clear(&c);
	assert_int_equal(command_parse("up", &c, err, sizeof err), 1);
	assert_int_equal(c.action, ACTION_UP);
	command_clear(&c);
}

static void
command__parse__ambiguous_prefix_lists_them(void **state)
{
	struct command c;
	char err[256];

	assert_int_equal(command_parse("tab-", &c, err, sizeof err), -1);
	assert_string_equal(err, "ambiguous command: tab- (tab-next, "
	                         "tab-prev, tab-tasks, tab-chat, "
	                         "tab-credentials, tab-billing)");
	assert_int_equal(command_parse("tab-t", &c, err, sizeof err), 1);
	assert_int_equal(c.action, ACTION_TAB_TASKS);
	command_clear(&c);
	assert_int_equal(command_parse("su", &c, err, sizeof err), -1);
	assert_string_equal(err, "ambiguous command: su (suspend, submit)");
	assert_int_equal(c.action, ACTION_NONE);
	assert_null(c.args);
}

static void
command__parse__aliases(void **state)
{
	struct command c;
	char err[128];

	assert_int_equal(command_parse("q", &c, err, sizeof err), 1);
	assert_int_equal(c.action, ACTION_QUIT);
	command_clear(&c);
	assert_int_equal(command_parse(":h filter", &c, err, sizeof err), 1);
	assert_int_equal(c.action, ACTION_HELP);
	assert_string_equal(c.args, "filter");
	command_clear(&c);
}

static void
command__parse__trims_colon_blanks_and_args(void **state)
{
	struct command c;
	char err[128];

	assert_int_equal(
	    command_parse("  :sort \t -priority  \n", &c, err, sizeof err), 1);
	assert_int_equal(c.action, ACTION_SORT);
	assert_string_equal(c.args, "-priority");
	command_clear(&c);
	assert_int_equal(command_parse("filter  status=new  assignee=me ", &c,
	                               err, sizeof err),
	                 1);
	assert_string_equal(c.args, "status=new  assignee=me");
	command_clear(&c);
}

static void
command__parse__empty_line_is_no_command(void **state)
{
	struct command c;
	char err[128] = "stale";

	assert_int_equal(command_parse("", &c, err, sizeof err), 0);
	assert_string_equal(err, "");
	assert_int_equal(command_parse("  : \t", &c, err, sizeof err), 0);
	assert_int_equal(c.action, ACTION_NONE);
	assert_null(c.args);
}

static void
command__parse__unknown_command(void **state)
{
	struct command c;
	char err[128];

	assert_int_equal(command_parse("foo bar", &c, err, sizeof err), -1);
	assert_string_equal(err, "unknown command: foo (see :help)");
	assert_int_equal(command_parse("quitx", &c, err, sizeof err), -1);
	assert_string_equal(err, "unknown command: quitx (see :help)");
}

static void
command__complete__names(void **state)
{
	char **v = complete_end("tab-", NULL);

	assert_int_equal(count(v), 6);
	assert_true(has(v, "tab-next"));
	assert_true(has(v, "tab-billing"));
	command_candidates_free(v);
	v = complete_end("chec", NULL);
	assert_int_equal(count(v), 1);
	assert_string_equal(v[0], "checkhealth");
	command_candidates_free(v);
	v = complete_end("", NULL);
	assert_int_equal(count(v), ACTION_COUNT - 1); /* all but "none" */
	assert_false(has(v, "none"));
	command_candidates_free(v);
	assert_null(complete_end("zzz", NULL));
}

static void
command__complete__name_with_colon_and_whole_line(void **state)
{
	char **v;

	/* Readline's word ":chec" includes the colon. */
	v = command_complete(":chec", 0, 5, NULL);
	assert_int_equal(count(v), 1);
	assert_string_equal(v[0], ":checkhealth");
	command_candidates_free(v);
	v = command_complete(":chec", 1, 5, NULL);
	assert_string_equal(v[0], "checkhealth");
	command_candidates_free(v);
	/* Cursor inside the first word of a longer line. */
	v = command_complete("fil status=new", 0, 3, NULL);
	assert_int_equal(count(v), 1);
	assert_string_equal(v[0], "filter");
	command_candidates_free(v);
}

static void
command__complete__filter_keys(void **state)
{
	char **v = complete_end("filter ", NULL);

	assert_int_equal(count(v), 7);
	assert_true(has(v, "overdue"));
	assert_true(has(v, "clear"));
	assert_true(has(v, "default"));
	assert_true(has(v, "status="));
	assert_true(has(v, "priority="));
	assert_true(has(v, "assignee="));
	assert_true(has(v, "client="));
	command_candidates_free(v);
	v = complete_end("filter st", NULL);
	assert_int_equal(count(v), 1);
	assert_string_equal(v[0], "status=");
	command_candidates_free(v);
	/* A key already given is not offered again. */
	v = complete_end("fil status=new ", NULL);
	assert_int_equal(count(v), 6);
	assert_false(has(v, "status="));
	command_candidates_free(v);
}

static void
command__complete__filter_values_after_equals(void **state)
{
	char **v = complete_end("filter status=", NULL);

	assert_int_equal(count(v), 5);
	assert_true(has(v, "waiting_on_client"));
	command_candidates_free(v);
	v = complete_end("filter priority=u", NULL);
	assert_int_equal(count(v), 1);
	assert_string_equal(v[0], "urgent");
	command_candidates_free(v);
	v = complete_end("filter assignee=", NULL);
	assert_int_equal(count(v), 3);
	assert_true(has(v, "me"));
	assert_true(has(v, "none"));
	assert_true(has(v, "anyone"));
	command_candidates_free(v);
}

static void
command__complete__filter_values_after_comma(void **state)
{
	char **v = complete_end("filter status=new,in", NULL);

	assert_int_equal(count(v), 1);
	assert_string_equal(v[0], "in_progress");
	command_candidates_free(v);
	/* Values already in the list are not offered again. */
	v = complete_end("filter status=new,done,", NULL);
	assert_int_equal(count(v), 3);
	assert_false(has(v, "new"));
	assert_false(has(v, "done"));
	assert_true(has(v, "cancelled"));
	command_candidates_free(v);
	/* assignee takes one value: no list. */
	assert_null(complete_end("filter assignee=me,", NULL));
}

static void
command__complete__blank_word_breaks(void **state)
{
	const char *line = "filter status=new,in";
	char **v;

	/* A caller breaking at blanks only gets the whole token back. */
	v = command_complete(line, 7, (int)strlen(line), NULL);
	assert_int_equal(count(v), 1);
	assert_string_equal(v[0], "status=new,in_progress");
	command_candidates_free(v);
}

static void
command__complete__sort_values(void **state)
{
	char **v = complete_end("sort ", NULL);

	assert_int_equal(count(v), 8);
	assert_true(has(v, "-due_at"));
	command_candidates_free(v);
	v = complete_end("sort -p", NULL);
	assert_int_equal(count(v), 1);
	assert_string_equal(v[0], "-priority");
	command_candidates_free(v);
	v = complete_end("so u", NULL);
	assert_int_equal(count(v), 1);
	assert_string_equal(v[0], "updated_at");
	command_candidates_free(v);
}

static void
command__complete__mouse_help_and_none(void **state)
{
	char **v = complete_end("mouse o", NULL);

	assert_int_equal(count(v), 2);
	assert_true(has(v, "on"));
	assert_true(has(v, "off"));
	command_candidates_free(v);
	v = complete_end("help chec", NULL);
	assert_int_equal(count(v), 1);
	assert_string_equal(v[0], "checkhealth");
	command_candidates_free(v);
	assert_null(complete_end("tab-next ", NULL));
	assert_null(complete_end("nosuch ", NULL));
}

/* A pane's extra words: client names for filter client=. */
static char **
client_words(void *ud, enum action a, const char *key)
{
	char **v;

	(*(int *)ud)++;
	if (a != ACTION_FILTER || key == NULL || strcmp(key, "client") != 0)
		return NULL;
	v = xcalloc(4, sizeof *v);
	v[0] = xstrdup("acme");
	v[1] = xstrdup("apex");
	v[2] = xstrdup("zeta");
	return v;
}

static void
command__complete__caller_words(void **state)
{
	int calls = 0;
	struct command_args src = { client_words, &calls };
	char **v = complete_end("filter client=a", &src);

	assert_int_equal(count(v), 2);
	assert_true(has(v, "acme"));
	assert_true(has(v, "apex"));
	assert_int_equal(calls, 1);
	command_candidates_free(v);
	v = complete_end("filter status=", &src);
	assert_int_equal(count(v), 5); /* built-ins; the pane adds none */
	command_candidates_free(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(command__parse__exact_name),
		cmocka_unit_test(command__parse__unique_prefix),
		cmocka_unit_test(command__parse__exact_beats_longer_names),
		cmocka_unit_test(command__parse__ambiguous_prefix_lists_them),
		cmocka_unit_test(command__parse__aliases),
		cmocka_unit_test(command__parse__trims_colon_blanks_and_args),
		cmocka_unit_test(command__parse__empty_line_is_no_command),
		cmocka_unit_test(command__parse__unknown_command),
		cmocka_unit_test(command__complete__names),
		cmocka_unit_test(
		    command__complete__name_with_colon_and_whole_line),
		cmocka_unit_test(command__complete__filter_keys),
		cmocka_unit_test(command__complete__filter_values_after_equals),
		cmocka_unit_test(command__complete__filter_values_after_comma),
		cmocka_unit_test(command__complete__blank_word_breaks),
		cmocka_unit_test(command__complete__sort_values),
		cmocka_unit_test(command__complete__mouse_help_and_none),
		cmocka_unit_test(command__complete__caller_words),
	};

	return cmocka_run_group_tests_name("tui/command", tests, NULL, NULL);
}
