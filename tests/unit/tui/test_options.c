/* Unit tests for tui/options.c: global flags and the subcommand split. */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tui/options.h"

/* Parses a NULL-terminated argv literal. */
static int
parse(struct options *o, char **argv, char *err)
{
	int argc = 0;

	while (argv[argc] != NULL)
		argc++;
	return options_parse(o, argc, argv, err, 128);
}

static void
options__parse__no_args_opens_tui(void **state)
{
	char *argv[] = { "sitecare", NULL };
	struct options o;
	char err[128];

	unsetenv("SITECARE_URL");
	assert_int_equal(parse(&o, argv, err), 0);
	assert_int_equal(o.cmd_argc, 0);
	assert_null(o.url);
	assert_false(o.readonly);
}

static void
options__parse__flags_both_forms(void **state)
{
	char *argv[] = { "sitecare",          "--url",
		         "https://a.example", "--ca-file=/tmp/ca.pem",
		         "--readonly",        NULL };
	struct options o;
	char err[128];

	assert_int_equal(parse(&o, argv, err), 0);
	assert_string_equal(o.url, "https://a.example");
	assert_string_equal(o.ca_file, "/tmp/ca.pem");
	assert_true(o.readonly);
}

static void
options__parse__subcommand_keeps_its_args(void **state)
{
	char *argv[] = { "sitecare", "--pin",  "sha256//x", "api", "GET",
		         "/me",      "--data", "{}",        NULL };
	struct options o;
	char err[128];

	assert_int_equal(parse(&o, argv, err), 0);
	assert_string_equal(o.pin, "sha256//x");
	assert_int_equal(o.cmd_argc, 5);
	assert_string_equal(o.cmd_argv[0], "api");
	assert_string_equal(o.cmd_argv[3], "--data");
}

static void
options__parse__unknown_flag_is_an_error(void **state)
{
	char *argv[] = { "sitecare", "--bogus", NULL };
	struct options o;
	char err[128];

	assert_int_equal(parse(&o, argv, err), -1);
	assert_non_null(strstr(err, "--bogus"));
}

static void
options__parse__missing_value_is_an_error(void **state)
{
	char *argv[] = { "sitecare", "--url", NULL };
	struct options o;
	char err[128];

	assert_int_equal(parse(&o, argv, err), -1);
	assert_non_null(strstr(err, "--url"));
}

static void
options__parse__env_url_used_unless_flag(void **state)
{
	char *bare[] = { "sitecare", NULL };
	char *flag[] = { "sitecare", "--url=https://flag.example", NULL };
	struct options o;
	char err[128];

	setenv("SITECARE_URL", "https://env.example", 1);
	assert_int_equal(parse(&o, bare, err), 0);
	assert_string_equal(o.url, "https://env.example");
	assert_int_equal(parse(&o, flag, err), 0);
	assert_string_equal(o.url, "https://flag.example");
	unsetenv("SITECARE_URL");
}

static void
options__parse__global_flags_after_the_subcommand(void **state)
{
	char *argv[] = { "sitecare",
		         "login",
		         "--url",
		         "https://a.example",
		         "--email",
		         "e@x",
		         "--ca-file=/tmp/ca.pem",
		         "--readonly",
		         NULL };
	struct options o;
	char err[128];

	unsetenv("SITECARE_URL");
	assert_int_equal(parse(&o, argv, err), 0);
	assert_string_equal(o.url, "https://a.example");
	assert_string_equal(o.ca_file, "/tmp/ca.pem");
	assert_true(o.readonly);
	assert_int_equal(o.cmd_argc, 3);
	assert_string_equal(o.cmd_argv[0], "login");
	assert_string_equal(o.cmd_argv[1], "--email");
	assert_string_equal(o.cmd_argv[2], "e@x");
}

static void
options__parse__the_later_flag_wins(void **state)
{
	char *argv[] = { "sitecare", "--url=https://before.example", "whoami",
		         "--url=https://after.example", NULL };
	struct options o;
	char err[128];

	assert_int_equal(parse(&o, argv, err), 0);
	assert_string_equal(o.url, "https://after.example");
	assert_int_equal(o.cmd_argc, 1);
}

static void
options__parse__dashdash_keeps_the_rest_for_the_subcommand(void **state)
{
	char *argv[] = { "sitecare", "reply", "7", "--", "--url", NULL };
	struct options o;
	char err[128];

	unsetenv("SITECARE_URL");
	assert_int_equal(parse(&o, argv, err), 0);
	assert_null(o.url);
	assert_int_equal(o.cmd_argc, 4);
	assert_string_equal(o.cmd_argv[2], "--");
	assert_string_equal(o.cmd_argv[3], "--url");
}

static void
options__parse__flag_after_subcommand_needs_its_value(void **state)
{
	char *argv[] = { "sitecare", "login", "--ca-file", NULL };
	struct options o;
	char err[128];

	assert_int_equal(parse(&o, argv, err), -1);
	assert_non_null(strstr(err, "--ca-file"));
}

/* A character that continues a flag's name ("--pin" is not "--pinned"). */
static bool
in_name(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_';
}

/* Whether text names flag as a whole word. */
static bool
names(const char *text, const char *flag)
{
	const char *p = text;
	size_t n = strlen(flag);

	while ((p = strstr(p, flag)) != NULL) {
		if ((p == text || !in_name(p[-1])) && !in_name(p[n]))
			return true;
		p += n;
	}
	return false;
}

/* The usage against the parser's own table: a flag added to the table
 * (the parser reads nothing else) fails here until --help lists it. */
static void
options__usage__lists_every_flag(void **state)
{
	const char *flags[] = { "--url",    "--ca-file",  "--pin",
		                "--config", "--readonly", "--help",
		                "--version" };
	const struct options_flag *table;
	size_t i, n;

	for (i = 0; i < sizeof flags / sizeof flags[0]; i++)
		assert_non_null(strstr(options_usage(), flags[i]));
	table = options_flags(&n);
	assert_true(n >= sizeof flags / sizeof flags[0]);
	for (i = 0; i < n; i++) {
		if (!names(options_usage(), table[i].name))
			fail_msg("--help does not list %s", table[i].name);
		if (table[i].alias != NULL &&
		    !names(options_usage(), table[i].alias))
			fail_msg("--help does not list %s", table[i].alias);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(options__parse__no_args_opens_tui),
		cmocka_unit_test(options__parse__flags_both_forms),
		cmocka_unit_test(options__parse__subcommand_keeps_its_args),
		cmocka_unit_test(options__parse__unknown_flag_is_an_error),
		cmocka_unit_test(options__parse__missing_value_is_an_error),
		cmocka_unit_test(options__parse__env_url_used_unless_flag),
		cmocka_unit_test(
		    options__parse__global_flags_after_the_subcommand),
		cmocka_unit_test(options__parse__the_later_flag_wins),
		cmocka_unit_test(
		    options__parse__dashdash_keeps_the_rest_for_the_subcommand),
		cmocka_unit_test(
		    options__parse__flag_after_subcommand_needs_its_value),
		cmocka_unit_test(options__usage__lists_every_flag),
	};

	return cmocka_run_group_tests_name("tui/options", tests, NULL, NULL);
}
