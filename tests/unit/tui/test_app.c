/* Unit tests for tui/app.c's app_request_failed, which every pane calls
 * when one of its requests fails. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/base/error.h"
#include "net/base/xmalloc.h"
#include "tui/app.h"
#include "tui/sanitize.h"

/* The service's text (hostile here) is what the pane shows, sanitised,
 * in place of the text before; the status line says it after "what: ". */
static void
app__request_failed__pane_text_and_notice(void **state)
{
	struct app app = { 0 };
	char message[] = "down\x1b]0;owned\x07\tfor now";
	struct sc_error err = { .kind = SC_ERR_NETWORK, .message = message };
	char *error = xstrdup("the failure before");
	char *clean = sanitize_str(message, SANITIZE_TABS_AS_SPACE);
	char *notice = xasprintf("tasks: %s", clean);

	(void)state;
	app_request_failed(&app, &error, "tasks", &err);
	assert_non_null(error);
	assert_string_equal(error, clean);
	assert_null(strchr(error, '\x1b'));
	assert_null(strchr(error, '\t'));
	assert_non_null(app.message);
	assert_string_equal(app.message, notice);
	assert_true(app.message_is_error);
	assert_true(app.dirty);
	free(error);
	free(clean);
	free(notice);
	free(app.message);
}

/* With no text before, the pane's text is simply set. */
static void
app__request_failed__from_no_text(void **state)
{
	struct app app = { 0 };
	struct sc_error err = { .kind = SC_ERR_NETWORK,
		                .message = "connection refused" };
	char *error = NULL;

	(void)state;
	app_request_failed(&app, &error, "billing invoices", &err);
	assert_string_equal(error, "connection refused");
	assert_string_equal(app.message,
	                    "billing invoices: connection refused");
	free(error);
	free(app.message);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(app__request_failed__pane_text_and_notice),
		cmocka_unit_test(app__request_failed__from_no_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
