/* Unit tests for tui/messages.c: the session's bounded log and its page. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tui/messages.h"

/* A full log drops the oldest; the rest stay in the order they came. */
static void
messages__add__bounded_oldest_dropped(void **state)
{
	struct messages *m = messages_new(3);
	char text[32];
	int i;

	(void)state;
	for (i = 0; i < 5; i++) {
		snprintf(text, sizeof text, "notice %d", i);
		messages_add(m, 1000 + i, i == 4, text);
	}
	assert_int_equal(messages_count(m), 3);
	assert_int_equal(messages_total(m), 5);
	assert_string_equal(messages_at(m, 0)->text, "notice 2");
	assert_string_equal(messages_at(m, 2)->text, "notice 4");
	assert_true(messages_at(m, 2)->error);
	assert_false(messages_at(m, 0)->error);
	assert_int_equal(messages_at(m, 1)->at, 1003);
	assert_null(messages_at(m, 3));
	messages_free(m);
}

/* Server text in a message is kept sanitised, never as sent. */
static void
messages__add__text_sanitised(void **state)
{
	struct messages *m = messages_new(MESSAGES_MAX);

	(void)state;
	messages_add(m, 0, true, "refused\x1b]0;owned\x07\tnow");
	assert_null(strchr(messages_at(m, 0)->text, '\x1b'));
	assert_null(strchr(messages_at(m, 0)->text, '\t'));
	assert_non_null(strstr(messages_at(m, 0)->text, "^[]0;owned^G now"));
	messages_free(m);
}

/* The page: a time on each message's first line, the text wrapped in
 * full under it, oldest first. */
static void
messages__build__wrapped_in_full_newest_last(void **state)
{
	struct messages *m = messages_new(MESSAGES_MAX);
	struct overlay_text o = { 0 };

	(void)state;
	messages_add(m, 0, false, "first");
	messages_add(m, 0, true,
	             "the server's certificate is not trusted: SSL "
	             "certificate problem; check --ca-file");
	messages_build(&o, m, 40); /* text 28 columns wide */
	assert_int_equal(o.n, 4);
	assert_non_null(strstr(o.lines[0].text, "first"));
	assert_int_equal(o.lines[0].text[2], ':'); /* "HH:MM:SS" */
	assert_string_equal(o.lines[1].text + 10,
	                    "the server's certificate is");
	assert_string_equal(o.lines[2].text,
	                    "          not trusted: SSL certificate");
	assert_string_equal(o.lines[3].text,
	                    "          problem; check --ca-file");
	assert_int_equal(o.lines[1].item, THEME_ERROR);
	assert_int_equal(o.lines[0].item, THEME_NORMAL);
	overlay_text_free(&o);
	messages_free(m);
}

/* An empty log says so. */
static void
messages__build__empty(void **state)
{
	struct messages *m = messages_new(MESSAGES_MAX);
	struct overlay_text o = { 0 };

	(void)state;
	messages_build(&o, m, 80);
	assert_int_equal(o.n, 1);
	assert_string_equal(o.lines[0].text, "No messages yet.");
	overlay_text_free(&o);
	messages_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(messages__add__bounded_oldest_dropped),
		cmocka_unit_test(messages__add__text_sanitised),
		cmocka_unit_test(messages__build__wrapped_in_full_newest_last),
		cmocka_unit_test(messages__build__empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
