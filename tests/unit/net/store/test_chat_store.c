/* Unit tests for net/store/chat_store.c: conversations and messages held
 * once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/base/xmalloc.h"
#include "net/store/chat_store.h"

/* A conversation with a client of the same id + 100. */
static struct conversation
conv(int64_t id, int64_t unread, time_t last, int64_t last_id)
{
	struct conversation c = { 0 };

	c.id = id;
	c.client.id = id + 100;
	c.client.name = xasprintf("Client %lld", (long long)id);
	c.client.company = xstrdup("Co");
	c.unread_count = unread;
	c.has_last_message_at = last != 0;
	c.last_message_at = last;
	if (last_id != 0) {
		c.has_last_message = true;
		c.last_message.id = last_id;
		c.last_message.conversation_id = id;
		c.last_message.body = xstrdup("before");
	}
	return c;
}

/* Merges one conversation as a page of one. */
static void
merge1(struct chat_store *s, struct conversation c)
{
	struct conversation_page p = { 0 };

	p.items = xcalloc(1, sizeof *p.items);
	p.items[0] = c;
	p.n = 1;
	chat_store_merge(s, &p);
	conversation_page_free(&p);
}

/* A client's message (not owned: the store copies). */
static struct message
msg(int64_t id, int64_t conv_id, const char *client_msg_id)
{
	struct message m = { 0 };

	m.id = id;
	m.conversation_id = conv_id;
	m.author.kind = AUTHOR_CLIENT;
	m.author.id = 9;
	m.author.name = (char *)"Client";
	m.body = (char *)"hello";
	m.created_at = 1000 + id;
	m.client_msg_id = (char *)client_msg_id;
	return m;
}

/* What listeners heard. */
struct heard {
	int inserted, updated, removed;
	int64_t last_conv, last_msg;
};

static void
hear(void *ud, enum chat_change ch, int64_t conversation, int64_t message)
{
	struct heard *h = ud;

	h->inserted += ch == CHAT_INSERTED;
	h->updated += ch == CHAT_UPDATED;
	h->removed += ch == CHAT_REMOVED;
	h->last_conv = conversation;
	h->last_msg = message;
}

static void
chat_store__replayed_event__changes_nothing(void **state)
{
	struct chat_store *s = chat_store_new();
	struct message m = msg(50, 1, NULL);
	struct heard h = { 0 };

	(void)state;
	merge1(s, conv(1, 0, 900, 40));
	chat_store_listen(s, hear, &h);
	assert_true(chat_store_message(s, &m, false));
	assert_int_equal(chat_store_unread_total(s), 1);
	assert_int_equal(chat_store_conversation(s, 1)->last_message.id, 50);
	assert_int_equal(h.inserted, 1);
	assert_int_equal(h.last_msg, 50);
	/* A reconnect replays it: held once, counted once, nobody told. */
	h = (struct heard){ 0 };
	assert_false(chat_store_message(s, &m, false));
	assert_int_equal(chat_store_unread_total(s), 1);
	assert_int_equal(chat_store_nmessages(s, 1), 1);
	assert_int_equal(h.inserted + h.updated + h.removed, 0);
	/* ...also when a page brings it again. */
	{
		struct message_page p = { 0 };

		p.items = xcalloc(1, sizeof *p.items);
		message_copy(&p.items[0], &m);
		p.n = 1;
		chat_store_messages(s, 1, &p);
		message_page_free(&p);
	}
	assert_int_equal(chat_store_nmessages(s, 1), 1);
	assert_int_equal(h.inserted, 0);
	chat_store_free(s);
}

static void
chat_store__pending__settled_by_its_own_echo(void **state)
{
	struct chat_store *s = chat_store_new();
	struct message other = msg(60, 1, "bbbb-other");
	struct message echo = msg(61, 1, "aaaa-mine");

	(void)state;
	merge1(s, conv(1, 0, 900, 40));
	chat_store_pending_add(s, 1, "aaaa-mine");
	chat_store_pending_add(s, 1, "aaaa-mine"); /* once */
	assert_int_equal(chat_store_pending_count(s, 1), 1);
	assert_false(chat_store_settled(s, "aaaa-mine"));
	/* Someone else's message does not settle it. */
	other.author.kind = AUTHOR_STAFF;
	assert_true(chat_store_message(s, &other, false));
	assert_int_equal(chat_store_pending_count(s, 1), 1);
	assert_false(chat_store_settled(s, "aaaa-mine"));
	/* Its echo (the event) does; the answer after it adds nothing. */
	echo.author.kind = AUTHOR_STAFF;
	assert_true(chat_store_message(s, &echo, false));
	assert_int_equal(chat_store_pending_count(s, 1), 0);
	assert_true(chat_store_settled(s, "aaaa-mine"));
	assert_false(chat_store_message(s, &echo, true));
	assert_int_equal(chat_store_nmessages(s, 1), 2);
	/* The outbox still listing it a moment later does not revive it. */
	chat_store_pending_add(s, 1, "aaaa-mine");
	assert_int_equal(chat_store_pending_count(s, 1), 0);
	assert_int_equal(chat_store_unread_total(s), 0);
	chat_store_free(s);
}

static void
chat_store__order__moves_one_entry_and_unread_counts(void **state)
{
	struct chat_store *s = chat_store_new();
	struct message m = msg(70, 1, NULL);

	(void)state;
	merge1(s, conv(1, 0, 1000, 10));
	merge1(s, conv(2, 0, 2000, 20));
	merge1(s, conv(3, 3, 500, 30));
	assert_int_equal(chat_store_count(s), 3);
	assert_int_equal(chat_store_at(s, 0)->id, 3); /* unread first */
	assert_int_equal(chat_store_at(s, 1)->id, 2); /* then newest */
	assert_int_equal(chat_store_at(s, 2)->id, 1);
	assert_null(chat_store_at(s, 3));
	assert_int_equal(chat_store_unread_total(s), 3);
	/* A client's message moves 1 up among the unread, newest first. */
	m.created_at = 3000;
	assert_true(chat_store_message(s, &m, false));
	assert_int_equal(chat_store_at(s, 0)->id, 1);
	assert_int_equal(chat_store_at(s, 1)->id, 3);
	assert_int_equal(chat_store_unread_total(s), 4);
	/* Read: down again. */
	chat_store_set_unread(s, 1, 0);
	chat_store_set_unread(s, 3, -5); /* never below 0 */
	assert_int_equal(chat_store_unread_total(s), 0);
	assert_int_equal(chat_store_at(s, 0)->id, 1);
	assert_int_equal(chat_store_at(s, 1)->id, 2);
	assert_int_equal(chat_store_at(s, 2)->id, 3);
	/* Our own reply, seen now: no unread. */
	m = msg(71, 2, NULL);
	m.created_at = 4000;
	assert_true(chat_store_message(s, &m, true));
	assert_int_equal(chat_store_unread_total(s), 0);
	assert_int_equal(chat_store_at(s, 0)->id, 2);
	/* A conversation not held: nothing, for the pane to fetch. */
	m = msg(72, 99, NULL);
	assert_false(chat_store_message(s, &m, false));
	assert_null(chat_store_find_message(s, 72));
	chat_store_free(s);
}

static void
chat_store__older_page__does_not_undo_an_event(void **state)
{
	struct chat_store *s = chat_store_new();
	struct message m = msg(80, 1, NULL);

	(void)state;
	merge1(s, conv(1, 0, 1000, 40));
	assert_true(chat_store_message(s, &m, false));
	/* A page fetched before the event answers after it. */
	merge1(s, conv(1, 0, 1000, 40));
	assert_int_equal(chat_store_conversation(s, 1)->last_message.id, 80);
	assert_int_equal(chat_store_unread_total(s), 1);
	assert_int_equal(chat_store_count(s), 1);
	/* A newer page wins, and its name is taken. */
	merge1(s, conv(1, 0, 5000, 90));
	assert_int_equal(chat_store_conversation(s, 1)->last_message.id, 90);
	assert_int_equal(chat_store_unread_total(s), 0);
	assert_string_equal(chat_store_conversation(s, 1)->client.name,
	                    "Client 1");
	chat_store_free(s);
}

/* Many conversations and messages, then lookups after a clear. */
static void
chat_store__lookup__by_id_after_inserts_and_clear(void **state)
{
	struct chat_store *s = chat_store_new();
	struct heard h = { 0 };
	struct message m;
	int64_t i;

	(void)state;
	for (i = 1; i <= 300; i++)
		merge1(s, conv(i, i % 3 == 0, 1000 + i, 0));
	/* Messages out of order: held ascending. */
	for (i = 30; i >= 1; i--) {
		m = msg(i * 10, 7, NULL);
		assert_true(chat_store_message(s, &m, true));
	}
	for (i = 1; i <= 300; i++) {
		assert_int_equal(chat_store_conversation(s, i)->id, i);
		assert_int_equal(chat_store_find_client(s, i + 100)->id, i);
	}
	assert_int_equal(chat_store_unread_total(s), 100);
	assert_int_equal(chat_store_nmessages(s, 7), 30);
	for (i = 0; i < 30; i++)
		assert_int_equal(chat_store_message_at(s, 7, (size_t)i)->id,
		                 (i + 1) * 10);
	assert_int_equal(chat_store_message_from(s, 7, 55), 5);
	assert_int_equal(chat_store_find_message(s, 150)->conversation_id, 7);
	for (i = 1; i < (int64_t)chat_store_count(s); i++)
		assert_true(chat_store_compare(chat_store_at(s, (size_t)i - 1),
		                               chat_store_at(s, (size_t)i)) <
		            0);
	chat_store_listen(s, hear, &h);
	chat_store_clear(s);
	assert_int_equal(h.removed, 1);
	assert_int_equal(chat_store_count(s), 0);
	assert_null(chat_store_conversation(s, 7));
	assert_null(chat_store_find_message(s, 150));
	assert_int_equal(chat_store_nmessages(s, 7), 0);
	assert_int_equal(chat_store_unread_total(s), 0);
	/* Unlistened: not told any more. */
	chat_store_unlisten(s, hear, &h);
	merge1(s, conv(5, 0, 1, 0));
	assert_int_equal(h.inserted, 0);
	assert_int_equal(chat_store_conversation(s, 5)->id, 5);
	chat_store_free(s);
}

/* A conversation of many messages: the newest arrive one at a time as
 * events while older pages of 50 land in front of them, as scrolling up a
 * long chat does; every message is held once, in id order. (Its array
 * grows by doubling, xgrowarray: growing it one message at a time copied
 * the whole conversation at each under ASan.) */
static void
chat_store__long_conversation__events_and_older_pages_held_in_order(
    void **state)
{
	enum { NEWER = 20000, OLDER = 2000, PAGE = 50 };
	struct chat_store *s = chat_store_new();
	struct message_page p = { 0 };
	struct message m;
	int64_t i, j;

	(void)state;
	merge1(s, conv(1, 0, 1000, 0));
	for (i = OLDER + 1; i <= OLDER + NEWER; i++) {
		m = msg(i, 1, NULL);
		assert_true(chat_store_message(s, &m, true));
	}
	for (i = OLDER; i > 0; i -= PAGE) {
		p.items = xcalloc(PAGE, sizeof *p.items);
		p.n = PAGE;
		for (j = 0; j < PAGE; j++) {
			m = msg(i - PAGE + 1 + j, 1, NULL);
			message_copy(&p.items[j], &m);
		}
		chat_store_messages(s, 1, &p);
		message_page_free(&p);
		p = (struct message_page){ 0 };
	}
	assert_int_equal(chat_store_nmessages(s, 1), OLDER + NEWER);
	for (i = 0; i < OLDER + NEWER; i++)
		assert_int_equal(chat_store_message_at(s, 1, (size_t)i)->id,
		                 i + 1);
	assert_int_equal(chat_store_find_message(s, OLDER)->id, OLDER);
	chat_store_free(s);
}

/* Hands conversation id a page of copies of the n messages ms. */
static void
page_to(struct chat_store *s, int64_t id, const struct message *ms, size_t n)
{
	struct message_page p = { 0 };
	size_t i;

	p.items = xcalloc(n, sizeof *p.items);
	for (i = 0; i < n; i++)
		message_copy(&p.items[i], &ms[i]);
	p.n = n;
	chat_store_messages(s, id, &p);
	message_page_free(&p);
}

static void
chat_store__messages__a_page_keeps_only_its_own_conversation(void **state)
{
	struct chat_store *s = chat_store_new();
	const struct message both[] = { msg(70, 1, NULL), msg(71, 2, NULL) };

	(void)state;
	merge1(s, conv(1, 0, 900, 0));
	merge1(s, conv(2, 0, 900, 0));
	page_to(s, 1, both, 2);
	assert_int_equal(chat_store_nmessages(s, 1), 1);
	assert_int_equal(chat_store_nmessages(s, 2), 0);
	/* A conversation the store does not hold keeps nothing. */
	page_to(s, 3, &both[1], 1);
	assert_int_equal(chat_store_nmessages(s, 3), 0);
	assert_int_equal(chat_store_nmessages(s, 2), 0);
	chat_store_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(chat_store__replayed_event__changes_nothing),
		cmocka_unit_test(chat_store__pending__settled_by_its_own_echo),
		cmocka_unit_test(
		    chat_store__order__moves_one_entry_and_unread_counts),
		cmocka_unit_test(
		    chat_store__older_page__does_not_undo_an_event),
		cmocka_unit_test(
		    chat_store__lookup__by_id_after_inserts_and_clear),
		cmocka_unit_test(
		    chat_store__long_conversation__events_and_older_pages_held_in_order),
		cmocka_unit_test(
		    chat_store__messages__a_page_keeps_only_its_own_conversation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
