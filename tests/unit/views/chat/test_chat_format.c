/* Unit tests for views/chat_format.c and views/chat_list.c. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "net/base/xmalloc.h"
#include "tui/sanitize.h"
#include "views/chat/chat_format.h"
#include "net/store/chat_store.h"
#include "views/chat/chat_list.h"

/* Local noon of 2026-11-25 (a Wednesday), in the TZ set by setup. */
static time_t
noon(int mday_offset)
{
	struct tm tm = { .tm_year = 126,
		         .tm_mon = 10,
		         .tm_mday = 25,
		         .tm_hour = 12,
		         .tm_isdst = -1 };

	tm.tm_mday += mday_offset;
	return mktime(&tm);
}

static void
chat_format__day__today_yesterday_weekday_date(void **state)
{
	char buf[64];
	time_t now = noon(0);

	chat_format_day(now, now - 3600, buf, sizeof buf);
	assert_string_equal(buf, "Today");
	chat_format_day(now, noon(-1), buf, sizeof buf);
	assert_string_equal(buf, "Yesterday");
	chat_format_day(now, noon(-2), buf, sizeof buf);
	assert_string_equal(buf, "Monday");
	chat_format_day(now, noon(-10), buf, sizeof buf);
	assert_string_equal(buf, "Sun 15 Nov 2026");
	/* 00:30 today is today, 23:30 the day before is yesterday. */
	chat_format_day(now, noon(0) - 11 * 3600 - 1800, buf, sizeof buf);
	assert_string_equal(buf, "Today");
	chat_format_day(now, noon(0) - 12 * 3600 - 1800, buf, sizeof buf);
	assert_string_equal(buf, "Yesterday");
}

static void
chat_format__when__clock_words_dates(void **state)
{
	char buf[32];
	time_t now = noon(0);

	chat_format_when(now, now - 3600, buf, sizeof buf);
	assert_string_equal(buf, "11:00");
	chat_format_when(now, noon(-1), buf, sizeof buf);
	assert_string_equal(buf, "yesterday");
	chat_format_when(now, noon(-3), buf, sizeof buf);
	assert_string_equal(buf, "Sun");
	chat_format_when(now, noon(-30), buf, sizeof buf);
	assert_string_equal(buf, "26 Oct");
	chat_format_when(now, noon(-400), buf, sizeof buf);
	assert_string_equal(buf, "2025-10-21");
	chat_format_clock(noon(0) + 305, buf, sizeof buf);
	assert_string_equal(buf, "12:05");
}

static void
chat_format__preview__one_clean_line(void **state)
{
	char *p = chat_format_preview("  Hello\n\n\tworld \x1b[2J  again\n", 0);

	assert_string_equal(p, "Hello world ^[[2J again");
	free(p);
	p = chat_format_preview("\xe2\x80\xae"
	                        "evil\xe2\x80\xac",
	                        0);
	assert_string_equal(p, "evil");
	free(p);
	p = chat_format_preview(NULL, 0);
	assert_string_equal(p, "");
	free(p);
}

/* A conversation for the list tests (strings malloc'd: the list owns). */
static struct conversation
conv(int64_t id, const char *name, int64_t unread, time_t last)
{
	struct conversation c = { 0 };

	c.id = id;
	c.client.id = id + 100;
	c.client.name = xstrdup(name);
	c.client.company = xstrdup("Co");
	c.unread_count = unread;
	c.has_last_message_at = last != 0;
	c.last_message_at = last;
	return c;
}

static void
chat_format__compare__unread_then_activity(void **state)
{
	struct conversation a = conv(1, "a", 0, 500), b = conv(2, "b", 2, 100),
	                    c = conv(3, "c", 0, 900), d = conv(4, "d", 0, 0);

	assert_true(chat_format_compare(&b, &a) < 0); /* unread first */
	assert_true(chat_format_compare(&c, &a) < 0); /* newer first */
	assert_true(chat_format_compare(&a, &d) < 0); /* none last */
	assert_int_equal(chat_format_compare(&a, &a), 0);
	conversation_free(&a);
	conversation_free(&b);
	conversation_free(&c);
	conversation_free(&d);
}

/* A list with three conversations: 1 (read, old), 2 (read, new), 3 (3
 * unread, oldest). */
static struct chat_store *store; /* the one three() lists */

static struct chat_list *
three(void)
{
	struct chat_list *cl;
	struct conversation_page p = { 0 };

	p.items = xcalloc(3, sizeof *p.items);
	p.items[0] = conv(1, "Acme", 0, 1000);
	p.items[1] = conv(2, "Globex", 0, 2000);
	p.items[2] = conv(3, "Initech", 3, 500);
	p.n = 3;
	store = chat_store_new();
	cl = chat_list_new(store);
	chat_store_merge(store, &p);
	conversation_page_free(&p);
	return cl;
}

static void
chat_list__merge__orders_and_replaces(void **state)
{
	struct chat_list *cl = three();
	struct conversation_page p = { 0 };

	assert_int_equal(chat_list_count(cl), 3);
	assert_int_equal(chat_list_at(cl, 0)->id, 3);
	assert_int_equal(chat_list_at(cl, 1)->id, 2);
	assert_int_equal(chat_list_at(cl, 2)->id, 1);
	assert_int_equal(chat_store_unread_total(store), 3);
	/* A newer copy of 1 with unread replaces it, no duplicate. */
	p.items = xcalloc(1, sizeof *p.items);
	p.items[0] = conv(1, "Acme", 1, 3000);
	p.n = 1;
	chat_store_merge(store, &p);
	conversation_page_free(&p);
	assert_int_equal(chat_list_count(cl), 3);
	assert_int_equal(chat_list_at(cl, 0)->id, 1);
	assert_int_equal(chat_store_unread_total(store), 4);
	chat_list_free(cl);
	chat_store_free(store);
}

static void
chat_list__message__moves_counts_ignores_old(void **state)
{
	struct chat_list *cl = three();
	struct message m = { .id = 50,
		             .conversation_id = 1,
		             .author = { AUTHOR_CLIENT, 9, "Acme" },
		             .body = "hi",
		             .created_at = 5000 };

	assert_true(chat_store_message(store, &m, false));
	assert_int_equal(chat_list_at(cl, 0)->id, 1); /* newest unread */
	assert_int_equal(chat_store_conversation(store, 1)->unread_count, 1);
	assert_string_equal(
	    chat_store_conversation(store, 1)->last_message.body, "hi");
	/* The same event again (a replay) changes nothing. */
	assert_false(chat_store_message(store, &m, false));
	assert_int_equal(chat_store_unread_total(store), 4);
	/* A staff message is not unread. */
	m.id = 51;
	m.author.kind = AUTHOR_STAFF;
	assert_true(chat_store_message(store, &m, false));
	assert_int_equal(chat_store_unread_total(store), 4);
	/* Unknown conversation: false, for the pane to fetch it. */
	m.id = 52;
	m.conversation_id = 99;
	assert_false(chat_store_message(store, &m, false));
	/* Read elsewhere: back to zero and down the list. */
	chat_store_set_unread(store, 1, 0);
	assert_int_equal(chat_list_at(cl, 0)->id, 3);
	assert_int_equal(chat_store_unread_total(store), 3);
	chat_list_free(cl);
	chat_store_free(store);
}

static void
chat_list__filter__name_or_company_any_case(void **state)
{
	struct chat_list *cl = three();

	chat_list_filter(cl, "GLOB");
	assert_int_equal(chat_list_count(cl), 1);
	assert_int_equal(chat_list_at(cl, 0)->id, 2);
	assert_int_equal(chat_list_index(cl, 2), 0);
	assert_int_equal(chat_list_index(cl, 1), -1);
	/* The total still counts every conversation. */
	assert_int_equal(chat_store_unread_total(store), 3);
	chat_list_filter(cl, "co");
	assert_int_equal(chat_list_count(cl), 3);
	chat_list_filter(cl, "");
	assert_null(chat_list_filter_text(cl));
	assert_int_equal(chat_store_find_client(store, 102)->id, 2);
	assert_null(chat_store_find_client(store, 5));
	chat_list_free(cl);
	chat_store_free(store);
}

static void
chat_format__layout__columns_by_width(void **state)
{
	struct column_layout l;

	/* 110: every column, where the list has always drawn them. */
	chat_format_layout(110, &l);
	assert_int_equal(l.x[CHAT_COL_UNREAD], 0);
	assert_int_equal(l.w[CHAT_COL_UNREAD], 4);
	assert_int_equal(l.x[CHAT_COL_CLIENT], 5);
	assert_int_equal(l.w[CHAT_COL_CLIENT], 22);
	assert_int_equal(l.x[CHAT_COL_COMPANY], 28);
	assert_int_equal(l.x[CHAT_COL_PREVIEW], 47);
	assert_int_equal(l.w[CHAT_COL_PREVIEW], 52);
	assert_int_equal(l.x[CHAT_COL_WHEN], 100);
	assert_int_equal(l.w[CHAT_COL_WHEN], 10);
	/* Below 70 the company goes and the client narrows. */
	chat_format_layout(60, &l);
	assert_false(l.shown[CHAT_COL_COMPANY]);
	assert_int_equal(l.w[CHAT_COL_CLIENT], 18);
	assert_int_equal(l.x[CHAT_COL_WHEN] + l.w[CHAT_COL_WHEN], 60);
	chat_format_layout(39, &l);
	assert_int_equal(l.w[CHAT_COL_CLIENT], 12);
	assert_int_equal(l.w[CHAT_COL_PREVIEW], 39 - 4 - 12 - 10 - 3);
}

static int
setup(void **state)
{
	setenv("TZ", "Europe/London", 1);
	tzset();
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		return -1;
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    chat_format__day__today_yesterday_weekday_date),
		cmocka_unit_test(chat_format__when__clock_words_dates),
		cmocka_unit_test(chat_format__preview__one_clean_line),
		cmocka_unit_test(chat_format__compare__unread_then_activity),
		cmocka_unit_test(chat_format__layout__columns_by_width),
		cmocka_unit_test(chat_list__merge__orders_and_replaces),
		cmocka_unit_test(chat_list__message__moves_counts_ignores_old),
		cmocka_unit_test(chat_list__filter__name_or_company_any_case),
	};

	return cmocka_run_group_tests_name("views/chat_format", tests, setup,
	                                   NULL);
}
