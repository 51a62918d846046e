/* The chat pane's read marks against a stale list page, through the pane
 * harness: a conversation read up to its last message stays read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/base/xmalloc.h"
#include "net/store/chat_store.h"
#include "net/store/store.h"
#include "tests/unit/views/harness.h"
#include "tui/app.h"

/* Acme's conversation (id 1) with `unread` unread, its last message 40,
 * as a page of the list. */
static char *
acme_page(int unread)
{
	return xasprintf(
	    "{\"results\": [{\"id\": 1, \"client\": {\"id\": 101, \"name\": "
	    "\"Ann\", \"company\": \"Acme Ltd\"}, \"last_message_at\": "
	    "\"2026-12-06T10:40:00Z\", \"unread_count\": %d, "
	    "\"last_message\": {\"id\": 40, \"conversation_id\": 1, "
	    "\"author\": {\"kind\": \"client\", \"id\": 101, \"name\": "
	    "\"Ann\"}, \"body\": \"hello\", \"created_at\": "
	    "\"2026-12-06T10:40:00Z\", \"client_msg_id\": null}}], "
	    "\"next\": null}",
	    unread);
}

/* Answers the pending request method path (a prefix) with status and
 * body (taken). */
static void
reply(struct harness *h, const char *method, const char *path, int status,
      char *body)
{
	struct harness_request *r = harness_request(h, method, path);

	if (r == NULL)
		fail_msg("no request %s %s", method, path);
	harness_reply(h, r, status, body);
	free(body);
}

/* The list's two walks (unread, then recent) answered with acme_page. */
static void
list_answered(struct harness *h, int unread)
{
	reply(h, "GET", "/conversations?unread=1", 200, acme_page(unread));
	reply(h, "GET", "/conversations?limit=100", 200, acme_page(unread));
}

static int
unread_total(struct harness *h)
{
	return (int)chat_store_unread_total(harness_app(h)->store->chat);
}

/*
 * Read up to message 40, the list is fetched again and its page, made
 * before the service stored the read, still says 2 unread with 40 as the
 * last message: what was read up to and including 40 stays read.
 */
static void
chat_read__stale_page__read_up_to_the_last_message_stays_read(void **state)
{
	struct harness *h = harness_new(24, 100);

	(void)state;
	harness_sign_in(h, 7, "technician", PERM_CHAT_READ | PERM_CHAT_REPLY);
	harness_open(h, PANE_CHAT);
	harness_event_kind(h, APP_EV_SIGNED_IN, 0);
	list_answered(h, 2);
	assert_int_equal(unread_total(h), 2);
	harness_action(h, ACTION_OPEN, NULL);
	reply(
	    h, "GET", "/conversations/1/messages", 200,
	    xstrdup("{\"results\": [{\"id\": 40, \"conversation_id\": 1, "
	            "\"author\": {\"kind\": \"client\", \"id\": 101, "
	            "\"name\": \"Ann\"}, \"body\": \"hello\", \"created_at\": "
	            "\"2026-12-06T10:40:00Z\", \"client_msg_id\": null}], "
	            "\"has_more\": false}"));
	harness_draw(h);
	reply(h, "POST", "/conversations/1/read", 204, NULL);
	assert_int_equal(unread_total(h), 0);
	harness_action(h, ACTION_BACK, NULL);
	harness_action(h, ACTION_REFRESH, NULL);
	list_answered(h, 2);
	assert_int_equal(unread_total(h), 0);
	harness_draw(h);
	assert_string_equal(harness_row(h, 0), " 2 Chat");
	harness_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    chat_read__stale_page__read_up_to_the_last_message_stays_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
