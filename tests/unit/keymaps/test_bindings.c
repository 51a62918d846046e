/* Unit tests for keymaps/: key names, bind/unbind parsing, fallback. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "keymaps/bindings.h"

static void
key__from_string__names_and_modifiers(void **state)
{
	assert_int_equal(key_from_string("q"), 'q');
	assert_int_equal(key_from_string("C-a"), 1);
	assert_int_equal(key_from_string("^A"), 1);
	assert_int_equal(key_from_string("M-a"), KEYC_META | 'a');
	assert_int_equal(key_from_string("M-Up"), KEYC_META | KEYC_UP);
	assert_int_equal(key_from_string("Enter"), KEYC_ENTER);
	assert_int_equal(key_from_string("enter"), KEYC_ENTER);
	assert_int_equal(key_from_string("NPage"), KEYC_PGDN);
	assert_int_equal(key_from_string("PageDown"), KEYC_PGDN);
	assert_int_equal(key_from_string("F12"), KEYC_F12);
	assert_int_equal(key_from_string("\xc3\xa9"), 0xE9);
	assert_int_equal(key_from_string("C-?"), KEYC_BACKSPACE);
}

static void
key__from_string__rejects_nonsense(void **state)
{
	assert_int_equal(key_from_string(""), KEYC_NONE);
	assert_int_equal(key_from_string("Nope"), KEYC_NONE);
	assert_int_equal(key_from_string("F13"), KEYC_NONE);
	assert_int_equal(key_from_string("F1x"), KEYC_NONE);
	assert_int_equal(key_from_string("\xc3"), KEYC_NONE);
	assert_int_equal(key_from_string("C-1"), KEYC_NONE);
}

static void
key__to_string__round_trips(void **state)
{
	const char *names[] = { "q",     "C-a",      "M-a",   "M-Up",
		                "Enter", "Tab",      "BTab",  "F5",
		                "NPage", "\xc3\xa9", "Escape" };
	char buf[32];
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		key_code k = key_from_string(names[i]);

		assert_string_equal(key_to_string(k, buf, sizeof buf),
		                    names[i]);
	}
}

/* Found by fuzz_keys: C-\ C-] C-^ C-_ were named C-| C-} C-~ and C-DEL,
 * names that read back as no key. */
static void
key__to_string__names_every_control_key(void **state)
{
	const char *names[] = { "C-\\", "C-]", "C-^", "C-_" };
	char buf[32];
	key_code k;
	size_t i;

	for (k = 1; k < 0x20; k++)
		assert_int_equal(
		    key_from_string(key_to_string(k, buf, sizeof buf)), k);
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		assert_string_equal(
		    key_to_string(key_from_string(names[i]), buf, sizeof buf),
		    names[i]);
	assert_int_equal(key_from_string("C-]"), 0x1D);
}

/* Found by fuzz_keys: a surrogate (ED BB BE) was read as a key; so were
 * overlong forms, code points past U+10FFFF and C1 controls. */
static void
key__from_string__refuses_broken_utf8_and_c1(void **state)
{
	struct bindings *b = bindings_new();
	struct bindings_errors errs = { 0 };

	assert_int_equal(key_from_string("\xed\xbb\xbe"), KEYC_NONE);
	assert_int_equal(key_from_string("\xe0\x80\x81"), KEYC_NONE);
	assert_int_equal(key_from_string("\xc1\x81"), KEYC_NONE);
	assert_int_equal(key_from_string("\xf4\x90\x80\x80"), KEYC_NONE);
	assert_int_equal(key_from_string("\xf7\xbf\xbf\xbf"), KEYC_NONE);
	assert_int_equal(key_from_string("\xc2\x9b"), KEYC_NONE);
	assert_int_equal(key_from_string("M-\xc2\x85"), KEYC_NONE);
	assert_int_equal(key_from_string("\xe2\x82\xac"), 0x20AC);
	assert_int_equal(key_from_string("\xf0\x9f\x91\x8d"), 0x1F44D);
	assert_int_equal(key_from_string("M-\xc2\xa0"), KEYC_META | 0xA0);
	assert_int_equal(
	    bindings_load(b, "bind \xed\xbb\xbe quit\n", "k", &errs), 1);
	assert_non_null(strstr(errs.lines[0], "k:1: unknown key"));
	bindings_errors_free(&errs);
	bindings_free(b);
}

static void
bindings__defaults__load_cleanly(void **state)
{
	struct bindings *b = bindings_new();
	struct bindings_errors errs = { 0 };

	assert_int_equal(bindings_load_defaults(b, &errs), 0);
	assert_int_equal(errs.n, 0);
	/* Each digit stays bound to its own pane. */
	assert_int_equal(bindings_lookup(b, KEYCTX_LIST, '4')->action,
	                 ACTION_TAB_BILLING);
	assert_int_equal(bindings_lookup(b, KEYCTX_LIST, 'j')->action,
	                 ACTION_DOWN);
	assert_int_equal(bindings_lookup(b, KEYCTX_LIST, KEYC_DOWN)->action,
	                 ACTION_DOWN);
	bindings_free(b);
}

static void
bindings__lookup__falls_back_to_global(void **state)
{
	struct bindings *b = bindings_new();

	bindings_load(b, "bind q quit\nbind -c list j down\n", "t", NULL);
	assert_int_equal(bindings_lookup(b, KEYCTX_LIST, 'q')->action,
	                 ACTION_QUIT);
	assert_null(bindings_lookup(b, KEYCTX_GLOBAL, 'j'));
	/* "none" in a context hides the global binding there only. */
	bindings_load(b, "bind -c form q none\n", "t", NULL);
	assert_null(bindings_lookup(b, KEYCTX_FORM, 'q'));
	assert_non_null(bindings_lookup(b, KEYCTX_LIST, 'q'));
	bindings_free(b);
}

static void
bindings__load__rebind_unbind_and_args(void **state)
{
	struct bindings *b = bindings_new();
	const struct binding *hit;

	bindings_load(b,
	              "bind x filter status=new,in_progress  \n"
	              "bind x sort -priority\n",
	              "t", NULL);
	hit = bindings_lookup(b, KEYCTX_GLOBAL, 'x');
	assert_int_equal(hit->action, ACTION_SORT);
	assert_string_equal(hit->args, "-priority");
	assert_int_equal(bindings_load(b, "unbind x\n", "t", NULL), 0);
	assert_null(bindings_lookup(b, KEYCTX_GLOBAL, 'x'));
	bindings_free(b);
}

static void
bindings__load__errors_name_file_and_line(void **state)
{
	struct bindings *b = bindings_new();
	struct bindings_errors errs = { 0 };
	int bad = bindings_load(b,
	                        "# comment\n"
	                        "\n"
	                        "bind q quit\n"
	                        "bind Nope quit\n"
	                        "bind -c nowhere q quit\n"
	                        "bind z fly-away\n"
	                        "rebind q quit\n"
	                        "unbind y\n"
	                        "bind -c\n"
	                        "bind k up\n",
	                        "keys", &errs);

	assert_int_equal(bad, 6);
	assert_int_equal(errs.n, 6);
	assert_string_equal(errs.lines[0], "keys:4: unknown key: Nope");
	assert_string_equal(errs.lines[1], "keys:5: unknown context: nowhere");
	assert_string_equal(errs.lines[2], "keys:6: unknown action: fly-away");
	assert_string_equal(errs.lines[3],
	                    "keys:7: unknown command (bind or unbind): rebind");
	assert_string_equal(errs.lines[4], "keys:8: key is not bound: y");
	assert_string_equal(errs.lines[5], "keys:9: -c needs a context");
	/* Good lines around the bad ones still apply. */
	assert_int_equal(bindings_lookup(b, KEYCTX_GLOBAL, 'k')->action,
	                 ACTION_UP);
	bindings_errors_free(&errs);
	bindings_free(b);
}

static void
bindings__load_file__missing_is_fine_bad_is_reported(void **state)
{
	struct bindings *b = bindings_new();
	struct bindings_errors errs = { 0 };
	char path[] = "/tmp/sitecare-keys-XXXXXX";
	int fd = mkstemp(path);

	assert_int_equal(bindings_load_file(b, "/nonexistent/keys", &errs), 0);
	assert_int_equal(errs.n, 0);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "bind q quit\r\nbind ? nope\n", 25), 25);
	close(fd);
	assert_int_equal(bindings_load_file(b, path, &errs), 1);
	assert_non_null(strstr(errs.lines[0], ":2: unknown action: nope"));
	assert_int_equal(bindings_lookup(b, KEYCTX_GLOBAL, 'q')->action,
	                 ACTION_QUIT);
	unlink(path);
	bindings_errors_free(&errs);
	bindings_free(b);
}

static void
bindings__key_for__finds_context_then_global(void **state)
{
	struct bindings *b = bindings_new();

	bindings_load_defaults(b, NULL);
	assert_int_equal(bindings_key_for(b, KEYCTX_LIST, ACTION_HELP), '?');
	assert_int_equal(bindings_key_for(b, KEYCTX_LIST, ACTION_SEARCH), '/');
	bindings_free(b);
}

static void
action__names__round_trip_and_are_unique(void **state)
{
	int i, j;

	for (i = 0; i < ACTION_COUNT; i++) {
		assert_int_equal(action_from_name(action_name(i)), i);
		assert_true(strlen(action_help(i)) > 0);
		for (j = i + 1; j < ACTION_COUNT; j++)
			assert_string_not_equal(action_name(i), action_name(j));
	}
	assert_int_equal(action_from_name("no-such-action"), -1);
	assert_null(action_name(ACTION_COUNT));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(key__from_string__names_and_modifiers),
		cmocka_unit_test(key__from_string__rejects_nonsense),
		cmocka_unit_test(key__to_string__round_trips),
		cmocka_unit_test(key__to_string__names_every_control_key),
		cmocka_unit_test(key__from_string__refuses_broken_utf8_and_c1),
		cmocka_unit_test(bindings__defaults__load_cleanly),
		cmocka_unit_test(bindings__lookup__falls_back_to_global),
		cmocka_unit_test(bindings__load__rebind_unbind_and_args),
		cmocka_unit_test(bindings__load__errors_name_file_and_line),
		cmocka_unit_test(
		    bindings__load_file__missing_is_fine_bad_is_reported),
		cmocka_unit_test(bindings__key_for__finds_context_then_global),
		cmocka_unit_test(action__names__round_trip_and_are_unique),
	};

	return cmocka_run_group_tests_name("keymaps/bindings", tests, NULL,
	                                   NULL);
}
