/* The chat pane as a person sees it, through the pane harness and the
 * store: no terminal, no network. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cJSON.h>
#include <locale.h>

#include "net/base/xmalloc.h"
#include "net/client/model.h"
#include "net/store/chat_store.h"
#include "net/store/outbox.h"
#include "net/store/sender.h"
#include "net/store/store.h"
#include "tests/unit/views/harness.h"
#include "tui/app.h"
#include "tui/config.h"
#include "tui/notify.h"

/* Announcements written to the "terminal" (OSC 777 titles). */
static int announced;

static void
count_write(void *ud, const char *buf, size_t len)
{
	char copy[1024];

	(void)ud;
	snprintf(copy, sizeof copy, "%.*s", (int)len, buf);
	if (strstr(copy, "777;notify;New message from") != NULL)
		announced++;
}

static const struct notify_ops counting = { NULL, count_write, NULL };

/* A conversation as the server sends it. */
static char *
conv_json(int id, const char *name, const char *company, int unread,
          int last_id)
{
	return xasprintf(
	    "{\"id\": %d, \"client\": {\"id\": %d, \"name\": \"%s\", "
	    "\"company\": \"%s\"}, \"last_message_at\": "
	    "\"2026-12-06T10:%02d:00Z\", \"unread_count\": %d, "
	    "\"last_message\": {\"id\": %d, \"conversation_id\": %d, "
	    "\"author\": {\"kind\": \"client\", \"id\": %d, \"name\": \"%s\"}, "
	    "\"body\": \"last words of %s\", \"created_at\": "
	    "\"2026-12-06T10:%02d:00Z\", \"client_msg_id\": null}}",
	    id, id + 100, name, company, last_id % 60, unread, last_id, id,
	    id + 100, name, name, last_id % 60);
}

/* Messages 1..n of conversation 1, "line N", as a page. */
static char *
messages_json(int from, int to, bool more)
{
	char *out = xstrdup("{\"results\": [");
	char *next;
	int i;

	for (i = from; i <= to; i++) {
		next = xasprintf(
		    "%s%s{\"id\": %d, \"conversation_id\": 1, \"author\": "
		    "{\"kind\": \"client\", \"id\": 101, \"name\": \"Ann\"}, "
		    "\"body\": \"line %d\", \"created_at\": "
		    "\"2026-12-06T09:00:%02dZ\", \"client_msg_id\": null}",
		    out, i > from ? ", " : "", i, i, i % 60);
		free(out);
		out = next;
	}
	next =
	    xasprintf("%s], \"has_more\": %s}", out, more ? "true" : "false");
	free(out);
	return next;
}

/* A chat-reading technician with the Chat pane in front and a counting
 * notifier. */
static struct harness *
staff(void)
{
	struct harness *h = harness_new(24, 100);
	struct app *app = harness_app(h);

	harness_sign_in(h, 7, "technician", PERM_CHAT_READ | PERM_CHAT_REPLY);
	harness_open(h, PANE_CHAT);
	app->notify = notify_new(app->loop, NOTIFY_TERMINAL, true);
	notify_set_ops(app->notify, &counting);
	announced = 0;
	return h;
}

static void
finish(struct harness *h)
{
	struct app *app = harness_app(h);

	notify_free(app->notify);
	app->notify = NULL;
	harness_free(h);
}

/* How many times text shows on the last draw. */
static int
occurrences(struct harness *h, const char *text)
{
	const char *p = harness_screen(h);
	int n = 0;

	while ((p = strstr(p, text)) != NULL) {
		n++;
		p += strlen(text);
	}
	return n;
}

/* Answers the pending GET of path with body (taken). */
static void
answer(struct harness *h, const char *path, char *body)
{
	struct harness_request *r = harness_request(h, "GET", path), *q;

	if (r == NULL) {
		for (q = harness_requests(h); q != NULL; q = q->next)
			fprintf(stderr, "asked: %s %s\n", q->method, q->path);
		fail_msg("no request for %s", path);
	}
	harness_reply(h, r, 200, body);
	free(body);
}

/* Signed in: Acme (2 unread) from the unread walk, Globex from the
 * recent one. */
static struct harness *
loaded(void)
{
	struct harness *h = staff();
	char *a = conv_json(1, "Acme", "Acme Ltd", 2, 40);
	char *g = conv_json(2, "Globex", "Globex Corp", 0, 30);

	harness_event_kind(h, APP_EV_SIGNED_IN, 0);
	answer(h, "/conversations?unread=1&limit=100",
	       xasprintf("{\"results\": [%s], \"next\": null}", a));
	answer(h, "/conversations?limit=100",
	       xasprintf("{\"results\": [%s, %s], \"next\": null}", a, g));
	free(a);
	free(g);
	return h;
}

/* A live message.created from a client (or staff when staff). */
static void
live(struct harness *h, int id, int conversation, bool staff_author)
{
	struct event_payload e = { 0 };
	struct app_event ev = { 0 };

	e.type = EVENT_MESSAGE_CREATED;
	e.message.id = id;
	e.message.conversation_id = conversation;
	e.message.author.kind = staff_author ? AUTHOR_STAFF : AUTHOR_CLIENT;
	e.message.author.id = staff_author ? 8 : 101;
	e.message.author.name = (char *)(staff_author ? "Bo" : "Ann");
	e.message.body = xasprintf("line %d", id);
	e.message.created_at = 1796554800 + id; /* 11:00 */
	ev.kind = APP_EV_SERVER;
	ev.data = &e;
	harness_event(h, &ev);
	free(e.message.body);
}

/*
 * Before the pane is first shown, one page of unread conversations is
 * asked for, not the whole walk (a start with thousands makes one
 * request), and the total says "N+"; showing the pane walks on.
 */
static void
chat__start__one_unread_page_until_shown(void **state)
{
	struct harness *h = harness_new(24, 100);
	struct app *app = harness_app(h);
	char *a = conv_json(1, "Acme", "Acme Ltd", 2, 40);
	char *g = conv_json(2, "Globex", "Globex Corp", 3, 30);

	(void)state;
	harness_sign_in(h, 7, "technician", PERM_CHAT_READ | PERM_CHAT_REPLY);
	harness_open(h, PANE_TASKS);
	app->panes[PANE_CHAT].state = app->panes[PANE_CHAT].ops->open(app);
	harness_event_kind(h, APP_EV_SIGNED_IN, 0);
	answer(h, "/conversations?unread=1&limit=100",
	       xasprintf("{\"results\": [%s], \"next\": \"c2\"}", a));
	/* The walk pauses: the first recent page, and nothing more. */
	answer(h, "/conversations?limit=100",
	       xasprintf("{\"results\": [%s], \"next\": null}", a));
	assert_null(harness_request(h, "GET", "/conversations"));
	harness_draw(h);
	assert_true(harness_find(h, "2 Chat (2+)", NULL, NULL));
	assert_true(harness_find(h, "unread 2+", NULL, NULL));
	/* Shown: the unread walk goes on from where it paused. */
	harness_action(h, ACTION_TAB_CHAT, NULL);
	answer(h, "/conversations?unread=1&limit=100&cursor=c2",
	       xasprintf("{\"results\": [%s], \"next\": null}", g));
	answer(h, "/conversations?limit=100",
	       xasprintf("{\"results\": [%s, %s], \"next\": null}", a, g));
	harness_draw(h);
	assert_true(harness_find(h, "2 Chat (5)", NULL, NULL));
	assert_false(harness_find(h, "(5+)", NULL, NULL));
	assert_true(harness_find(h, "2 conversations | 5 unread", NULL, NULL));
	free(a);
	free(g);
	harness_free(h);
}

static void
chat__list__unread_first_counted_in_the_tab(void **state)
{
	struct harness *h = loaded();
	int y1, y2;

	(void)state;
	harness_draw(h);
	assert_true(harness_find(h, "2 Chat (2)", NULL, NULL));
	assert_true(harness_find(h, "Acme", &y1, NULL));
	assert_true(harness_find(h, "Globex", &y2, NULL));
	assert_true(y1 < y2);
	assert_true(harness_find(h, "last words of Acme", NULL, NULL));
	assert_true(harness_find(h, "2 conversations | 2 unread", NULL, NULL));
	assert_int_equal(chat_store_count(harness_app(h)->store->chat), 2);
	/* A client writes to Globex: it moves up, counted. */
	live(h, 50, 2, false);
	harness_draw(h);
	assert_true(harness_find(h, "2 Chat (3)", NULL, NULL));
	assert_true(harness_find(h, "Globex", &y2, NULL));
	assert_true(harness_find(h, "Acme", &y1, NULL));
	assert_true(y2 < y1);
	assert_true(harness_find(h, "line 50", NULL, NULL));
	/* Another staff member read Acme. */
	{
		struct event_payload e = { 0 };
		struct app_event ev = { .kind = APP_EV_SERVER, .data = &e };

		e.type = EVENT_CONVERSATION_READ;
		e.conversation_id = 1;
		e.unread_count = 0;
		harness_event(h, &ev);
	}
	harness_draw(h);
	assert_true(harness_find(h, "2 Chat (1)", NULL, NULL));
	assert_true(harness_find(h, "| 1 unread", NULL, NULL));
	finish(h);
}

static void
chat__announce__once_across_a_replay(void **state)
{
	struct harness *h = loaded();

	(void)state;
	live(h, 60, 1, false);
	assert_int_equal(announced, 1);
	/* The reconnect replays the stream: nothing twice. */
	live(h, 60, 1, false);
	assert_int_equal(announced, 1);
	assert_int_equal(chat_store_unread_total(harness_app(h)->store->chat),
	                 3);
	/* A client whose conversation is not loaded yet: announced once,
	 * and the list fetched again. */
	live(h, 61, 9, false);
	assert_int_equal(announced, 2);
	live(h, 61, 9, false);
	assert_int_equal(announced, 2);
	assert_non_null(harness_request(h, "GET", "/conversations?unread=1"));
	/* Staff messages are never announced. */
	live(h, 62, 1, true);
	assert_int_equal(announced, 2);
	finish(h);
}

/* Acme open with messages 1..40 (the newest page) on screen. */
static struct harness *
opened(void)
{
	struct harness *h = loaded();

	harness_action(h, ACTION_OPEN, NULL);
	harness_draw(h);
	assert_true(harness_find(h, "Chat with Acme (Acme Ltd)", NULL, NULL));
	assert_true(harness_find(h, "loading messages...", NULL, NULL));
	answer(h, "/conversations/1/messages?limit=50",
	       messages_json(1, 40, false));
	harness_draw(h);
	return h;
}

static void
chat__thread__scrolling_and_new_below(void **state)
{
	struct harness *h = opened();
	struct harness_request *r;

	(void)state;
	assert_true(harness_find(h, "line 40", NULL, NULL));
	assert_false(harness_find(h, "line 1\n", NULL, NULL));
	/* The newest was seen: marked read up to it. */
	r = harness_request(h, "POST", "/conversations/1/read");
	assert_non_null(r);
	assert_non_null(strstr(r->body, "40"));
	harness_reply(h, r, 204, NULL);
	harness_draw(h);
	assert_string_equal(harness_row(h, 0), " 2 Chat"); /* no count */
	/* Up a page: the newest goes off screen. */
	harness_action(h, ACTION_PAGE_UP, NULL);
	harness_draw(h);
	assert_false(harness_find(h, "line 40", NULL, NULL));
	/* Two arrive (one replayed): two new below, the view stays. */
	live(h, 41, 1, false);
	live(h, 42, 1, false);
	live(h, 42, 1, false);
	harness_draw(h);
	assert_true(harness_find(h, "2 new messages below (G jumps there)",
	                         NULL, NULL));
	assert_false(harness_find(h, "line 42", NULL, NULL));
	assert_int_equal(announced, 0); /* open and in front */
	/* To the bottom: all there once, the count gone. */
	harness_action(h, ACTION_BOTTOM, NULL);
	harness_draw(h);
	assert_true(harness_find(h, "line 42", NULL, NULL));
	assert_false(harness_find(h, "new message", NULL, NULL));
	assert_int_equal(occurrences(h, "line 42"), 1);
	assert_int_equal(chat_store_nmessages(harness_app(h)->store->chat, 1),
	                 42);
	finish(h);
}

static void
chat__thread__history_when_scrolled_to_the_top(void **state)
{
	struct harness *h = loaded();

	(void)state;
	harness_action(h, ACTION_OPEN, NULL);
	answer(h, "/conversations/1/messages?limit=50",
	       messages_json(51, 100, true));
	harness_draw(h);
	assert_true(harness_find(h, "line 100", NULL, NULL));
	harness_action(h, ACTION_TOP, NULL);
	harness_draw(h);
	assert_true(harness_find(h, "(older messages: scroll up)", NULL, NULL));
	assert_true(harness_find(h, "loading older messages...", NULL, NULL));
	answer(h, "/conversations/1/messages?before=51&limit=50",
	       messages_json(1, 50, false));
	harness_draw(h);
	/* The view stayed where it was: line 51 still on screen. */
	assert_true(harness_find(h, "line 51", NULL, NULL));
	assert_false(harness_find(h, "(older messages", NULL, NULL));
	harness_action(h, ACTION_TOP, NULL);
	harness_draw(h);
	assert_true(harness_find(h, "line 1", NULL, NULL));
	assert_int_equal(chat_store_nmessages(harness_app(h)->store->chat, 1),
	                 100);
	finish(h);
}

static void
chat__esc_and_sign_in__back_and_wiped(void **state)
{
	struct harness *h = opened();
	int y;

	(void)state;
	harness_action(h, ACTION_BACK, NULL);
	harness_draw(h);
	assert_false(harness_find(h, "Chat with", NULL, NULL));
	assert_true(harness_find(h, "Acme", &y, NULL));
	/* Esc came back to the row it left: Acme is selected. */
	harness_action(h, ACTION_OPEN, NULL);
	harness_draw(h);
	assert_true(harness_find(h, "Chat with Acme", NULL, NULL));
	/* Someone else signs in: nothing of the last one stays. */
	harness_sign_in(h, 9, "technician", PERM_CHAT_READ);
	harness_event_kind(h, APP_EV_SIGNED_IN, 0);
	harness_draw(h);
	assert_false(harness_find(h, "Chat with", NULL, NULL));
	assert_false(harness_find(h, "Acme", NULL, NULL));
	assert_true(harness_find(h, "loading conversations...", NULL, NULL));
	assert_int_equal(chat_store_count(harness_app(h)->store->chat), 0);
	assert_int_equal(chat_store_nmessages(harness_app(h)->store->chat, 1),
	                 0);
	finish(h);
}

static void
chat__filter__shows_matches_and_asks_the_server(void **state)
{
	struct harness *h = loaded();

	(void)state;
	harness_action(h, ACTION_FILTER, "glob");
	assert_non_null(harness_request(h, "GET", "/conversations?q=glob"));
	harness_draw(h);
	assert_true(harness_find(h, "Globex", NULL, NULL));
	assert_false(harness_find(h, "Acme", NULL, NULL));
	assert_true(
	    harness_find(h, "client ~ \"glob\" | 1 conversation", NULL, NULL));
	/* Live news for a hidden one keeps it hidden; the total counts it. */
	live(h, 70, 1, false);
	harness_draw(h);
	assert_false(harness_find(h, "Acme", NULL, NULL));
	assert_true(harness_find(h, "| 3 unread", NULL, NULL));
	harness_action(h, ACTION_FILTER, "clear");
	harness_draw(h);
	assert_true(harness_find(h, "Acme", NULL, NULL));
	assert_true(harness_find(h, "2 conversations", NULL, NULL));
	finish(h);
}

/* ---- replies, drafts, mutes --------------------------------------------- */

/* The harness the sender reports to, as tui/tui.c broadcasts them. */
static struct harness *report_to;

static void
report_event(const struct sender_report *r, void *ud)
{
	struct app_event ev = { .kind = APP_EV_OUTBOX, .data = (void *)r };

	(void)ud;
	harness_event(report_to, &ev);
}

/* Gives the app an outbox and its sender over the api, for member 7. */
static struct outbox *
with_sender(struct harness *h)
{
	struct app *app = harness_app(h);
	struct sc_error err = { 0 };
	struct outbox *ob = outbox_open(NULL, &err);
	struct outbox_owner owner = { .service = (char *)"https://127.0.0.1:1",
		                      .staff_id = 7,
		                      .email = (char *)"me@example.com" };
	struct sender_config cfg = {
		.transport = sender_api_transport(),
		.transport_ud = app->api,
		.report = report_event,
	};

	assert_non_null(ob);
	outbox_set_owner(ob, &owner);
	app->sender = sender_new(ob, &cfg);
	sender_set_owner(app->sender, &owner);
	report_to = h;
	return ob;
}

static void
without_sender(struct harness *h, struct outbox *ob)
{
	struct app *app = harness_app(h);

	sender_free(app->sender);
	app->sender = NULL;
	outbox_free(ob);
}

/* A string field of a JSON body (malloc'd), or NULL. */
static char *
json_string(const char *body, const char *key)
{
	cJSON *j = cJSON_Parse(body);
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
	char *out = cJSON_IsString(v) ? xstrdup(v->valuestring) : NULL;

	cJSON_Delete(j);
	return out;
}

/* Opened, and the read marking answered. */
static struct harness *
opened_read(void)
{
	struct harness *h = opened();

	harness_reply(h, harness_request(h, "POST", "/conversations/1/read"),
	              204, NULL);
	return h;
}

static void
chat__reply__pending_then_settled_by_the_answer(void **state)
{
	struct harness *h = opened_read();
	struct outbox *ob = with_sender(h);
	struct harness_request *r;
	char *text, *uuid, *body;

	(void)state;
	harness_action(h, ACTION_REPLY, NULL);
	assert_non_null(harness_line(h));
	harness_line_submit(h, "on my way");
	assert_string_equal(harness_notice(h), "reply queued: pending");
	r = harness_request(h, "POST", "/conversations/1/messages");
	assert_non_null(r);
	text = json_string(r->body, "body");
	uuid = json_string(r->body, "client_msg_id");
	assert_string_equal(text, "on my way");
	assert_non_null(uuid);
	harness_draw(h);
	assert_true(harness_find(h, "\u00bb you  sending...", NULL, NULL));
	assert_true(harness_find(h, "on my way", NULL, NULL));
	/* The server stored it: a message of mine now, shown once. */
	body = xasprintf(
	    "{\"id\": 41, \"conversation_id\": 1, \"author\": {\"kind\": "
	    "\"staff\", \"id\": 7, \"name\": \"Me\"}, \"body\": \"on my way\", "
	    "\"created_at\": \"2026-12-06T09:01:00Z\", \"client_msg_id\": "
	    "\"%s\"}",
	    uuid);
	harness_reply(h, r, 201, body);
	harness_draw(h);
	assert_false(harness_find(h, "sending...", NULL, NULL));
	assert_true(harness_find(h, "\u00bb Me (you)", NULL, NULL));
	assert_int_equal(occurrences(h, "on my way"), 1);
	assert_int_equal(chat_store_nmessages(harness_app(h)->store->chat, 1),
	                 41);
	/* Back in the list, the preview says it was me. */
	harness_action(h, ACTION_BACK, NULL);
	harness_draw(h);
	assert_true(harness_find(h, "you: on my way", NULL, NULL));
	free(body);
	free(uuid);
	free(text);
	without_sender(h, ob);
	finish(h);
}

static void
chat__reply__refused_shows_not_sent(void **state)
{
	struct harness *h = opened_read();
	struct outbox *ob = with_sender(h);

	(void)state;
	harness_action(h, ACTION_REPLY, "too late");
	harness_reply(
	    h, harness_request(h, "POST", "/conversations/1/messages"), 403,
	    "{\"error\": {\"code\": \"forbidden\", \"message\": "
	    "\"conversation closed\"}}");
	harness_draw(h);
	assert_true(harness_find(h, "\u00bb you  NOT SENT: conversation closed",
	                         NULL, NULL));
	assert_true(harness_find(h, "(:outbox retries)", NULL, NULL));
	assert_true(harness_find(h, "too late", NULL, NULL));
	without_sender(h, ob);
	finish(h);
}

static void
chat__reply__no_outbox_keeps_a_draft_r_brings_back(void **state)
{
	struct harness *h = loaded();
	int y;

	(void)state;
	/* From the list: the selected conversation (Acme). */
	harness_action(h, ACTION_REPLY, NULL);
	assert_non_null(harness_line(h));
	harness_line_submit(h, "call me back");
	assert_non_null(strstr(harness_notice(h),
	                       "reply not sent: the outbox is not available"));
	assert_int_equal(harness_nrequests(h), 0);
	harness_draw(h);
	assert_true(harness_find(h, "[draft] last words of Acme", &y, NULL));
	/* r brings the draft back into the line. */
	harness_action(h, ACTION_REPLY, NULL);
	assert_string_equal(harness_line(h), "call me back");
	/* Emptied and sent: cancelled, the draft gone. */
	harness_line_submit(h, "  ");
	assert_string_equal(harness_notice(h), "reply cancelled: it was empty");
	harness_draw(h);
	assert_false(harness_find(h, "[draft]", NULL, NULL));
	harness_action(h, ACTION_REPLY, NULL);
	assert_string_equal(harness_line(h), "");
	finish(h);
}

static void
chat__reply__escape_keeps_the_draft(void **state)
{
	struct harness *h = loaded();

	(void)state;
	harness_action(h, ACTION_REPLY, NULL);
	harness_type(h, "half a thought");
	harness_key(h, 0x1b); /* Escape */
	assert_null(harness_line(h));
	assert_non_null(strstr(harness_notice(h), "nothing sent (kept as the "
	                                          "draft"));
	harness_draw(h);
	assert_true(harness_find(h, "[draft]", NULL, NULL));
	finish(h);
}

static void
chat__reply__needs_the_permission(void **state)
{
	struct harness *h = harness_new(24, 100);

	(void)state;
	harness_sign_in(h, 9, "viewer", PERM_CHAT_READ);
	harness_open(h, PANE_CHAT);
	harness_event_kind(h, APP_EV_SIGNED_IN, 0);
	harness_reply(h, harness_request(h, "GET", "/conversations?unread=1"),
	              200, "{\"results\": [], \"next\": null}");
	harness_reply(h, harness_request(h, "GET", "/conversations?limit"), 200,
	              "{\"results\": [], \"next\": null}");
	harness_draw(h);
	assert_true(harness_find(h, "no conversations yet", NULL, NULL));
	harness_action(h, ACTION_REPLY, NULL);
	assert_string_equal(harness_notice(h), "open a conversation first");
	harness_free(h);
	h = loaded();
	harness_app(h)->permissions = PERM_CHAT_READ;
	harness_action(h, ACTION_REPLY, NULL);
	assert_string_equal(harness_notice(h), "replying needs chat.reply");
	assert_null(harness_line(h));
	finish(h);
}

static void
chat__mute__silences_announcements_for_the_session(void **state)
{
	struct harness *h = loaded();

	(void)state;
	harness_action(h, ACTION_MUTE, NULL);
	assert_string_equal(harness_notice(h),
	                    "conversation 1 muted for this session");
	harness_draw(h);
	assert_true(harness_find(h, "[muted] last words of Acme", NULL, NULL));
	live(h, 80, 1, false);
	assert_int_equal(announced, 0);
	/* Globex is not muted. */
	live(h, 81, 2, false);
	assert_int_equal(announced, 1);
	harness_action(h, ACTION_BOTTOM, NULL);
	harness_action(h, ACTION_TOP, NULL);
	harness_action(h, ACTION_MUTE, NULL);
	assert_string_equal(harness_notice(h),
	                    "conversation 2 muted for this session");
	harness_action(h, ACTION_MUTE, NULL);
	assert_string_equal(harness_notice(h), "conversation 2 unmuted");
	live(h, 82, 2, false);
	assert_int_equal(announced, 2);
	finish(h);
}

static void
chat__mute__the_config_file_decides(void **state)
{
	struct harness *h = loaded();
	struct config cfg = { 0 };
	long long muted[] = { 1 };

	(void)state;
	cfg.muted = muted;
	cfg.nmuted = 1;
	harness_app(h)->cfg = &cfg;
	harness_action(h, ACTION_OPEN, NULL);
	harness_action(h, ACTION_MUTE, NULL);
	assert_string_equal(harness_notice(h),
	                    "conversation 1 is muted in the config file "
	                    "(muted = ...)");
	live(h, 90, 1, false);
	assert_int_equal(announced, 0);
	harness_app(h)->cfg = NULL;
	finish(h);
}

/* ---- errors, paging, other panes, the terminal ------------------------- */

/* The chat pane's own click handler, as the frame calls it. */
static enum view_result
click(struct harness *h, int row)
{
	struct app *app = harness_app(h);

	return app->panes[PANE_CHAT].ops->click(harness_pane(h, PANE_CHAT), row,
	                                        10);
}

static void
chat__list__error_then_r_retries(void **state)
{
	struct harness *h = staff();

	(void)state;
	harness_event_kind(h, APP_EV_SIGNED_IN, 0);
	harness_draw(h);
	assert_true(harness_find(h, "loading conversations...", NULL, NULL));
	harness_reply(h, harness_request(h, "GET", "/conversations?unread=1"),
	              500,
	              "{\"error\": {\"code\": \"server_error\", \"message\": "
	              "\"database\\tdown\"}}");
	harness_draw(h);
	assert_true(
	    harness_find(h, "could not load conversations: ", NULL, NULL));
	assert_true(harness_find(h, "database down", NULL, NULL));
	assert_true(harness_find(h, "(r retries)", NULL, NULL));
	assert_non_null(strstr(harness_notice(h), "chat: "));
	assert_int_equal(harness_nrequests(h), 0);
	harness_action(h, ACTION_REFRESH, NULL);
	answer(h, "/conversations?unread=1&limit=100",
	       xstrdup("{\"results\": [], \"next\": null}"));
	answer(h, "/conversations?limit=100",
	       xstrdup("{\"results\": [], \"next\": null}"));
	harness_draw(h);
	assert_false(harness_find(h, "could not load", NULL, NULL));
	assert_true(harness_find(h, "no conversations yet", NULL, NULL));
	/* A filter matching nothing says how to see all again. */
	harness_action(h, ACTION_FILTER, "zed");
	answer(h, "/conversations?q=zed&limit=100",
	       xstrdup("{\"results\": [], \"next\": null}"));
	harness_draw(h);
	assert_true(harness_find(h,
	                         "no conversation with a client matching "
	                         "\"zed\" (:filter clear shows all)",
	                         NULL, NULL));
	finish(h);
}

static void
chat__list__next_page_fetched_near_the_end(void **state)
{
	struct harness *h = staff();
	char *a = conv_json(1, "Acme", "Acme Ltd", 0, 40);
	char *g = conv_json(2, "Globex", "Globex Corp", 0, 30);
	char *i = conv_json(3, "Initech", "Initech", 0, 20);

	(void)state;
	harness_event_kind(h, APP_EV_SIGNED_IN, 0);
	answer(h, "/conversations?unread=1&limit=100",
	       xstrdup("{\"results\": [], \"next\": null}"));
	answer(h, "/conversations?limit=100",
	       xasprintf("{\"results\": [%s, %s], \"next\": \"c/2\"}", a, g));
	harness_draw(h);
	assert_true(harness_find(h, "2+ conversations | 0 unread", NULL, NULL));
	harness_action(h, ACTION_DOWN, NULL);
	harness_draw(h);
	assert_true(harness_find(h, "| loading...", NULL, NULL));
	answer(h, "/conversations?limit=100&cursor=c%2F2",
	       xasprintf("{\"results\": [%s], \"next\": null}", i));
	harness_draw(h);
	assert_true(harness_find(h, "Initech", NULL, NULL));
	assert_true(harness_find(h, "3 conversations | 0 unread", NULL, NULL));
	assert_int_equal(harness_nrequests(h), 0);
	/* The cursor stayed on Globex. */
	harness_action(h, ACTION_OPEN, NULL);
	harness_draw(h);
	assert_true(
	    harness_find(h, "Chat with Globex (Globex Corp)", NULL, NULL));
	free(a);
	free(g);
	free(i);
	finish(h);
}

static void
chat__click__selects_then_opens(void **state)
{
	struct harness *h = loaded();

	(void)state;
	/* Row 0 is the header, row 1 Acme, row 2 Globex. */
	assert_int_equal(click(h, 2), VIEW_REDRAW);
	harness_draw(h);
	assert_false(harness_find(h, "Chat with", NULL, NULL));
	click(h, 2);
	harness_draw(h);
	assert_true(harness_find(h, "Chat with Globex", NULL, NULL));
	assert_non_null(
	    harness_request(h, "GET", "/conversations/2/messages?limit=50"));
	/* Clicks in an open conversation do nothing. */
	assert_int_equal(click(h, 1), VIEW_HANDLED);
	harness_draw(h);
	assert_true(harness_find(h, "Chat with Globex", NULL, NULL));
	/* Back in the list: another staff member answered Acme. */
	harness_action(h, ACTION_BACK, NULL);
	live(h, 70, 1, true);
	harness_draw(h);
	assert_true(harness_find(h, "staff: line 70", NULL, NULL));
	finish(h);
}

static void
chat__other_panes__open_a_client_or_point_at_one(void **state)
{
	struct harness *h = loaded();

	(void)state;
	/* The Tasks pane asked for Globex's client (102). */
	harness_event_kind(h, APP_EV_CLIENT, 102);
	harness_draw(h);
	assert_true(harness_find(h, "Chat with Globex", NULL, NULL));
	/* T goes the other way, to the client's tasks. */
	harness_action(h, ACTION_CLIENT_TASKS, NULL);
	assert_int_equal(harness_app(h)->go_pane, PANE_TASKS);
	assert_int_equal(harness_app(h)->go_client, 102);
	/* A client with no conversation: said so, the list shown. */
	harness_event_kind(h, APP_EV_CLIENT, 999);
	harness_draw(h);
	assert_false(harness_find(h, "Chat with", NULL, NULL));
	assert_string_equal(harness_notice(h),
	                    "client 999 has no conversation");
	/* An attention event points at Acme. */
	harness_event_kind(h, APP_EV_ATTENTION, 1);
	harness_action(h, ACTION_OPEN, NULL);
	harness_draw(h);
	assert_true(harness_find(h, "Chat with Acme", NULL, NULL));
	finish(h);
}

static void
chat__other_panes__a_client_asked_for_before_the_list_came(void **state)
{
	struct harness *h = staff();
	char *g = conv_json(2, "Globex", "", 0, 30);

	(void)state;
	harness_event_kind(h, APP_EV_SIGNED_IN, 0);
	harness_event_kind(h, APP_EV_CLIENT, 102);
	answer(h, "/conversations?unread=1&limit=100",
	       xstrdup("{\"results\": [], \"next\": null}"));
	answer(h, "/conversations?limit=100",
	       xasprintf("{\"results\": [%s], \"next\": null}", g));
	harness_draw(h);
	/* No company: the title says only the name. */
	assert_string_equal(harness_row(h, 1), " Chat with Globex");
	free(g);
	finish(h);
}

static void
chat__thread__error_refresh_and_moving(void **state)
{
	struct harness *h = loaded();

	(void)state;
	harness_action(h, ACTION_OPEN, NULL);
	harness_reply(
	    h, harness_request(h, "GET", "/conversations/1/messages?limit=50"),
	    503,
	    "{\"error\": {\"code\": \"unavailable\", \"message\": \"busy\"}}");
	harness_draw(h);
	assert_true(harness_find(h, "could not load messages: ", NULL, NULL));
	assert_true(harness_find(h, "(C-r retries)", NULL, NULL));
	assert_non_null(strstr(harness_notice(h), "messages: "));
	harness_action(h, ACTION_REFRESH, NULL);
	answer(h, "/conversations/1/messages?limit=50",
	       messages_json(1, 40, false));
	harness_draw(h);
	assert_true(harness_find(h, "line 40", NULL, NULL));
	assert_true(harness_find(h,
	                         "r reply  E $EDITOR  m mute  T tasks  Esc "
	                         "back",
	                         NULL, NULL));
	/* Refresh now asks only for what is newer than the newest. */
	harness_action(h, ACTION_REFRESH, NULL);
	answer(h, "/conversations/1/messages?after=40&limit=100",
	       messages_json(41, 41, false));
	harness_draw(h);
	assert_true(harness_find(h, "line 41", NULL, NULL));
	/* Line by line and half pages up and back down. */
	harness_action(h, ACTION_UP, NULL);
	harness_action(h, ACTION_HALF_UP, NULL);
	harness_draw(h);
	assert_false(harness_find(h, "line 41", NULL, NULL));
	harness_action(h, ACTION_HALF_DOWN, NULL);
	harness_action(h, ACTION_DOWN, NULL);
	harness_draw(h);
	assert_true(harness_find(h, "line 41", NULL, NULL));
	harness_action(h, ACTION_PAGE_UP, NULL);
	harness_action(h, ACTION_PAGE_DOWN, NULL);
	harness_draw(h);
	assert_true(harness_find(h, "line 41", NULL, NULL));
	/* Already at the bottom: nothing moves. */
	assert_int_equal(harness_action(h, ACTION_DOWN, NULL), VIEW_HANDLED);
	finish(h);
}

static void
chat__resync__list_and_open_thread_catch_up(void **state)
{
	struct harness *h = opened_read();

	(void)state;
	harness_event_kind(h, APP_EV_RESYNC, 0);
	assert_non_null(harness_request(h, "GET", "/conversations?unread=1"));
	answer(h, "/conversations/1/messages?after=40&limit=100",
	       messages_json(41, 43, false));
	harness_draw(h);
	assert_true(harness_find(h, "line 43", NULL, NULL));
	assert_int_equal(chat_store_nmessages(harness_app(h)->store->chat, 1),
	                 43);
	finish(h);
}

static void
chat__away__announced_and_read_only_when_back(void **state)
{
	struct harness *h = opened_read();
	struct app *app = harness_app(h);
	struct harness_request *r;

	(void)state;
	app->term_away = true;
	live(h, 41, 1, false);
	assert_int_equal(announced, 1); /* in front, but nobody looking */
	harness_draw(h);
	assert_null(harness_request(h, "POST", "/conversations/1/read"));
	assert_true(harness_find(h, "2 Chat (1)", NULL, NULL));
	app->term_away = false;
	harness_event_kind(h, APP_EV_TERM_FOCUS, 0);
	harness_draw(h);
	r = harness_request(h, "POST", "/conversations/1/read");
	assert_non_null(r);
	assert_non_null(strstr(r->body, "41"));
	harness_fail(h, r, SC_ERR_NETWORK, "no route");
	assert_non_null(strstr(harness_notice(h), "marking read: "));
	finish(h);
}

static void
chat__ascii_and_narrow__staff_pushed_right_with_plain_marks(void **state)
{
	struct harness *h = harness_new(12, 40);
	char *a = conv_json(1, "Acme", "Acme Ltd", 0, 40);
	int x;

	(void)state;
	harness_sign_in(h, 7, "technician", PERM_CHAT_READ | PERM_CHAT_REPLY);
	setlocale(LC_CTYPE, "C"); /* a terminal without UTF-8 */
	harness_open(h, PANE_CHAT);
	setlocale(LC_CTYPE, "C.UTF-8");
	harness_event_kind(h, APP_EV_SIGNED_IN, 0);
	answer(h, "/conversations?unread=1&limit=100",
	       xstrdup("{\"results\": [], \"next\": null}"));
	answer(h, "/conversations?limit=100",
	       xasprintf("{\"results\": [%s], \"next\": null}", a));
	harness_action(h, ACTION_OPEN, NULL);
	answer(h, "/conversations/1/messages?limit=50",
	       xstrdup("{\"results\": [{\"id\": 5, \"conversation_id\": 1, "
	               "\"author\": {\"kind\": \"staff\", \"id\": 8, "
	               "\"name\": \"Bo\"}, \"body\": \"caf\\u00e9 open\", "
	               "\"created_at\": \"2026-12-06T09:00:00Z\", "
	               "\"client_msg_id\": null}], \"has_more\": false}"));
	harness_draw(h);
	assert_false(harness_find(h, "\u2500", NULL, NULL));
	assert_false(harness_find(h, "\u00bb", NULL, NULL));
	assert_true(harness_find(h, "-- ", NULL, NULL));
	/* Another staff member's message, 2 columns in on a narrow screen. */
	assert_true(harness_find(h, ">> Bo (staff)", NULL, &x));
	assert_int_equal(x, 3);
	assert_false(harness_find(h, "caf\u00e9", NULL, NULL));
	assert_true(harness_find(h, "caf", NULL, NULL));
	free(a);
	finish(h);
}

/* ---- an open conversation keeps its keys (issue #19) ------------------ */

/* In an open conversation: m mutes it, Enter and C (this very chat) do
 * nothing, a click on the list behind does nothing, another pane asking
 * for the same client keeps it open without fetching again; an
 * attention event for another conversation closes it and points there. */
static void
chat__thread__keys_that_stay_in_the_conversation(void **state)
{
	struct harness *h = opened();
	size_t asked = harness_nrequests(h);

	(void)state;
	harness_action(h, ACTION_MUTE, NULL);
	assert_string_equal(harness_notice(h),
	                    "conversation 1 muted for this session");
	live(h, 95, 1, false);
	assert_int_equal(announced, 0);
	assert_int_equal(harness_action(h, ACTION_OPEN, NULL), VIEW_HANDLED);
	assert_int_equal(harness_action(h, ACTION_CLIENT_CHAT, NULL),
	                 VIEW_HANDLED);
	assert_int_equal(click(h, 4), VIEW_HANDLED);
	harness_event_kind(h, APP_EV_CLIENT, 101);
	assert_int_equal(harness_nrequests(h), asked);
	harness_see(h, "Chat with Acme (Acme Ltd)");
	harness_see(h, "line 40");

	harness_event_kind(h, APP_EV_ATTENTION, 2);
	harness_not_see(h, "Chat with Acme");
	harness_action(h, ACTION_OPEN, NULL);
	harness_see(h, "Chat with Globex");
	finish(h);
}

static int
setup(void **state)
{
	(void)state;
	unsetenv("TMUX");
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(chat__start__one_unread_page_until_shown),
		cmocka_unit_test(chat__list__unread_first_counted_in_the_tab),
		cmocka_unit_test(chat__announce__once_across_a_replay),
		cmocka_unit_test(chat__thread__scrolling_and_new_below),
		cmocka_unit_test(
		    chat__thread__history_when_scrolled_to_the_top),
		cmocka_unit_test(chat__esc_and_sign_in__back_and_wiped),
		cmocka_unit_test(
		    chat__filter__shows_matches_and_asks_the_server),
		cmocka_unit_test(
		    chat__reply__pending_then_settled_by_the_answer),
		cmocka_unit_test(chat__reply__refused_shows_not_sent),
		cmocka_unit_test(
		    chat__reply__no_outbox_keeps_a_draft_r_brings_back),
		cmocka_unit_test(chat__reply__escape_keeps_the_draft),
		cmocka_unit_test(chat__reply__needs_the_permission),
		cmocka_unit_test(
		    chat__mute__silences_announcements_for_the_session),
		cmocka_unit_test(chat__mute__the_config_file_decides),
		cmocka_unit_test(chat__list__error_then_r_retries),
		cmocka_unit_test(chat__list__next_page_fetched_near_the_end),
		cmocka_unit_test(chat__click__selects_then_opens),
		cmocka_unit_test(
		    chat__other_panes__open_a_client_or_point_at_one),
		cmocka_unit_test(
		    chat__other_panes__a_client_asked_for_before_the_list_came),
		cmocka_unit_test(chat__thread__error_refresh_and_moving),
		cmocka_unit_test(chat__resync__list_and_open_thread_catch_up),
		cmocka_unit_test(chat__away__announced_and_read_only_when_back),
		cmocka_unit_test(
		    chat__ascii_and_narrow__staff_pushed_right_with_plain_marks),
		cmocka_unit_test(
		    chat__thread__keys_that_stay_in_the_conversation),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
