/* Unit tests for net/store/sender.c: the outbox sender over a fake transport.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cJSON.h>
#include <cmocka.h>

#include "net/client/http.h"
#include "net/store/sender.h"

#define T0 1800000000000LL /* a wall clock in unix ms */

/* One request the fake transport holds until the test answers it. */
struct sent {
	char path[64];
	char body[256];
	char msg_id[UUID_STRLEN + 1];
	unsigned flags;
	sender_done_cb done;
	void *done_ud;
	bool live;
	bool cancelled;
	int outbox_files; /* files on disk when it was sent */
};

/* The fake transport and clock, and what the sender reported. */
struct fixture {
	char dir[64];
	struct outbox *ob;
	struct sender *s;
	long long now;
	struct sent sent[32];
	int nsent;
	int nreports;
	enum sender_outcome outcomes[32];
	char report_body[32][32];
	enum sc_error_kind report_err[32];
};

static int
count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		n += strstr(de->d_name, ".json") != NULL;
	closedir(d);
	return n;
}

static long long
fake_now(void *ud)
{
	return ((struct fixture *)ud)->now;
}

static uint32_t
fake_random(void *ud)
{
	(void)ud;
	return 0x80000000u;
}

static void *
fake_send(void *ud, const char *method, const char *path, const char *json,
          unsigned flags, sender_done_cb done, void *done_ud)
{
	struct fixture *f = ud;
	struct sent *r = &f->sent[f->nsent++];
	cJSON *j = cJSON_Parse(json);
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(j, "client_msg_id");

	assert_true(f->nsent <= 32);
	assert_string_equal(method, "POST");
	assert_non_null(j);
	assert_true(cJSON_IsString(id));
	snprintf(r->path, sizeof r->path, "%s", path);
	snprintf(r->body, sizeof r->body, "%s",
	         cJSON_GetObjectItemCaseSensitive(j, "body")->valuestring);
	snprintf(r->msg_id, sizeof r->msg_id, "%s", id->valuestring);
	cJSON_Delete(j);
	r->flags = flags;
	r->done = done;
	r->done_ud = done_ud;
	r->live = true;
	r->outbox_files = count_files(f->dir);
	return r;
}

static void
fake_cancel(void *ud, void *handle)
{
	struct sent *r = handle;

	(void)ud;
	assert_true(r->live);
	r->live = false;
	r->cancelled = true;
}

static const struct sender_transport fake_transport = {
	.send = fake_send,
	.cancel = fake_cancel,
};

static void
on_report(const struct sender_report *r, void *ud)
{
	struct fixture *f = ud;
	int i = f->nreports++;

	assert_true(i < 32);
	f->outcomes[i] = r->outcome;
	f->report_err[i] = r->err != NULL ? r->err->kind : SC_OK;
	if (r->message != NULL)
		snprintf(f->report_body[i], sizeof f->report_body[i], "%s",
		         r->message->body);
	if (r->comment != NULL)
		snprintf(f->report_body[i], sizeof f->report_body[i], "%s",
		         r->comment->body);
}

/* The service and member every test's sender sends for. */
static const struct outbox_owner test_owner = {
	.service = "https://svc.example",
	.staff_id = 1,
	.email = "ann@example.com",
};

static struct sender *
new_sender(struct fixture *f)
{
	struct sender_config cfg = {
		.transport = &fake_transport,
		.transport_ud = f,
		.report = on_report,
		.report_ud = f,
		.now_ms = fake_now,
		.random = fake_random,
		.clock_ud = f,
	};
	struct sender *s = sender_new(f->ob, &cfg);

	sender_set_owner(s, &test_owner);
	return s;
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct sc_error err = { 0 };

	if (f == NULL)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/sc_sender_XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	f->ob = outbox_open(f->dir, &err);
	if (f->ob == NULL)
		return -1;
	f->now = T0;
	f->s = new_sender(f);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	DIR *d = opendir(f->dir);
	struct dirent *de;
	char path[512];

	sender_free(f->s);
	outbox_free(f->ob);
	while (d != NULL && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", f->dir, de->d_name);
		if (unlink(path) != 0)
			rmdir(path); /* a folder a test put in the way */
	}
	if (d != NULL)
		closedir(d);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* A message as the server answers a POST, with body text. */
static void
message_json(char *out, size_t size, const char *text, const char *msg_id)
{
	snprintf(out, size,
	         "{\"id\": 500, \"conversation_id\": 7, \"author\": "
	         "{\"kind\": \"staff\", \"id\": 1, \"name\": \"Ann\"}, "
	         "\"body\": \"%s\", \"created_at\": "
	         "\"2026-11-28T08:00:00Z\", \"client_msg_id\": \"%s\"}",
	         text, msg_id);
}

/* Answers request i with status (0: no answer) and error kind. */
static void
answer(struct fixture *f, int i, int status, enum sc_error_kind kind,
       const char *body)
{
	struct sent *r = &f->sent[i];
	struct sc_error err = { 0 };

	assert_true(r->live);
	r->live = false;
	if (kind != SC_OK)
		sc_error_set(&err, kind, "failure %d", status);
	err.http_status = status;
	if (kind == SC_ERR_RATE_LIMITED)
		err.retry_after = 20;
	r->done(status, body, body != NULL ? strlen(body) : 0, &err,
	        r->done_ud);
	sc_error_clear(&err);
}

/* Answers request i with 201 and the server's copy of the message. */
static void
answer_created(struct fixture *f, int i)
{
	char body[512];

	message_json(body, sizeof body, f->sent[i].body, f->sent[i].msg_id);
	answer(f, i, 201, SC_OK, body);
}

/* The one item on disk (asserts there is exactly one). */
static struct outbox_item *
only_item(struct fixture *f, size_t *n_out)
{
	struct outbox_item *items = NULL;
	size_t n = 0;
	struct sc_error err = { 0 };

	assert_int_equal(outbox_list(f->ob, &items, &n, &err), 0);
	*n_out = n;
	return items;
}

static void
sender__submit__writes_the_file_before_sending(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	char id[UUID_STRLEN + 1];

	assert_int_equal(
	    sender_submit(f->s, OUTBOX_MESSAGE, 7, false, "hi", id, &err), 0);
	assert_int_equal(f->nsent, 1);
	assert_int_equal(f->sent[0].outbox_files, 1);
	assert_string_equal(f->sent[0].path, "/conversations/7/messages");
	assert_string_equal(f->sent[0].body, "hi");
	assert_string_equal(f->sent[0].msg_id, id);
	assert_true(f->sent[0].flags & HTTP_RETRY_SAFE);
	assert_int_equal(sender_pending(f->s), 1);
	assert_int_equal(sender_in_flight(f->s), 1);
}

static void
sender__success__removes_the_file_and_reports_the_message(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };

	sender_submit(f->s, OUTBOX_MESSAGE, 7, false, "hello", NULL, &err);
	answer_created(f, 0);
	assert_int_equal(count_files(f->dir), 0);
	assert_int_equal(f->nreports, 1);
	assert_int_equal(f->outcomes[0], SENDER_SENT);
	assert_string_equal(f->report_body[0], "hello");
	assert_int_equal(sender_pending(f->s), 0);
	assert_int_equal(sender_timeout_ms(f->s), -1);
}

static void
sender__comment__posts_to_the_task_with_internal(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	const char *reply = "{\"id\": 30, \"author\": {\"kind\": \"staff\", "
	                    "\"id\": 1, \"name\": \"Ann\"}, \"body\": "
	                    "\"note\", \"internal\": true, \"created_at\": "
	                    "\"2026-11-28T07:00:00Z\"}";

	sender_submit(f->s, OUTBOX_COMMENT, 12, true, "note", NULL, &err);
	assert_string_equal(f->sent[0].path, "/tasks/12/comments");
	answer(f, 0, 200, SC_OK, reply); /* 200: a resend the server knew */
	assert_int_equal(f->outcomes[0], SENDER_SENT);
	assert_string_equal(f->report_body[0], "note");
	assert_int_equal(count_files(f->dir), 0);
}

static void
sender__network_error__keeps_the_file_and_backs_off(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	struct outbox_item *items;
	size_t n;
	char id[UUID_STRLEN + 1];

	sender_submit(f->s, OUTBOX_MESSAGE, 7, false, "hi", id, &err);
	answer(f, 0, 0, SC_ERR_NETWORK, NULL);
	assert_int_equal(f->outcomes[0], SENDER_RETRYING);
	assert_int_equal(f->report_err[0], SC_ERR_NETWORK);
	items = only_item(f, &n);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].attempts, 1);
	assert_true(items[0].next_attempt_at >= T0 / 1000 + 1);
	assert_true(items[0].next_attempt_at <= T0 / 1000 + 2);
	assert_string_equal(items[0].last_error, "failure 0");
	outbox_items_free(items, n);
	/* Retried after the backoff (1 s +- 20 %), with the same id. */
	assert_in_range(sender_timeout_ms(f->s), 800, 1200);
	f->now += 700;
	sender_tick(f->s);
	assert_int_equal(f->nsent, 1);
	f->now += 600;
	sender_tick(f->s);
	assert_int_equal(f->nsent, 2);
	assert_string_equal(f->sent[1].msg_id, id);
	/* A 503 counts as a second attempt and waits longer. */
	answer(f, 1, 503, SC_ERR_SERVER, NULL);
	assert_int_equal(f->outcomes[1], SENDER_RETRYING);
	assert_in_range(sender_timeout_ms(f->s), 1600, 2400);
	assert_int_equal(count_files(f->dir), 1);
}

/* As a loop source the sender lends its retry timer and no descriptor. */
static void
sender__source__lends_the_retry_timer(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	struct loop_source src = sender_source(f->s);
	struct pollfd fds[4];

	sender_submit(f->s, OUTBOX_MESSAGE, 7, false, "hi", NULL, &err);
	answer(f, 0, 0, SC_ERR_NETWORK, NULL);
	assert_int_equal(src.pollfds(src.ud, fds, 4), 0);
	assert_int_equal(src.timeout_ms(src.ud), sender_timeout_ms(f->s));
	assert_in_range(src.timeout_ms(src.ud), 800, 1200);
	f->now += 1300;
	src.dispatch(src.ud, fds, 0);
	assert_int_equal(f->nsent, 2);
}

static void
sender__rate_limited__waits_for_retry_after(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };

	sender_submit(f->s, OUTBOX_MESSAGE, 7, false, "hi", NULL, &err);
	answer(f, 0, 429, SC_ERR_RATE_LIMITED, NULL);
	assert_int_equal(f->outcomes[0], SENDER_RETRYING);
	assert_int_equal(sender_timeout_ms(f->s), 20000);
}

static void
sender__401__pauses_without_losing_anything(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	struct outbox_item *items;
	size_t n;

	sender_submit(f->s, OUTBOX_MESSAGE, 1, false, "a", NULL, &err);
	sender_submit(f->s, OUTBOX_MESSAGE, 2, false, "b", NULL, &err);
	assert_int_equal(f->nsent, 2);
	answer(f, 0, 401, SC_ERR_SESSION_EXPIRED, NULL);
	assert_int_equal(f->outcomes[0], SENDER_PAUSED);
	assert_true(sender_paused(f->s));
	answer_created(f, 1); /* already out: its answer still counts */
	assert_int_equal(f->outcomes[1], SENDER_SENT);
	sender_submit(f->s, OUTBOX_MESSAGE, 3, false, "c", NULL, &err);
	f->now += 3600000;
	sender_tick(f->s);
	assert_int_equal(f->nsent, 2);
	assert_int_equal(sender_timeout_ms(f->s), -1);
	items = only_item(f, &n);
	assert_int_equal(n, 2);
	assert_int_equal(items[0].attempts, 0);
	outbox_items_free(items, n);
	sender_resume(f->s);
	assert_false(sender_paused(f->s));
	assert_int_equal(f->nsent, 4);
	assert_string_equal(f->sent[2].body, "a");
	assert_string_equal(f->sent[3].body, "c");
}

static void
sender__422__holds_the_item_as_failed(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	struct outbox_item *items;
	size_t n;
	char id[UUID_STRLEN + 1];

	sender_submit(f->s, OUTBOX_MESSAGE, 7, false, "x", id, &err);
	answer(f, 0, 422, SC_ERR_INVALID, NULL);
	assert_int_equal(f->outcomes[0], SENDER_FAILED);
	assert_int_equal(f->report_err[0], SC_ERR_INVALID);
	items = only_item(f, &n);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].next_attempt_at, SENDER_HELD);
	assert_string_equal(items[0].last_error, "failure 422");
	outbox_items_free(items, n);
	assert_int_equal(sender_failed(f->s), 1);
	assert_int_equal(sender_pending(f->s), 0);
	f->now += 86400000;
	sender_tick(f->s);
	assert_int_equal(f->nsent, 1);
	assert_int_equal(sender_timeout_ms(f->s), -1);
	/* The staff member retries it: sent again, same id. */
	assert_int_equal(sender_retry(f->s, id, &err), 0);
	assert_int_equal(f->nsent, 2);
	assert_string_equal(f->sent[1].msg_id, id);
	answer(f, 1, 404, SC_ERR_NOT_FOUND, NULL);
	assert_int_equal(f->outcomes[1], SENDER_FAILED);
	/* ... or discards it. */
	assert_int_equal(sender_discard(f->s, id, &err), 0);
	assert_int_equal(count_files(f->dir), 0);
	assert_int_equal(sender_failed(f->s), 0);
	assert_int_equal(sender_retry(f->s, id, &err), -1);
	assert_int_equal(err.kind, SC_ERR_NOT_FOUND);
	sc_error_clear(&err);
}

static void
sender__per_target__one_in_flight_in_typing_order(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };

	sender_submit(f->s, OUTBOX_MESSAGE, 1, false, "a1", NULL, &err);
	sender_submit(f->s, OUTBOX_MESSAGE, 1, false, "a2", NULL, &err);
	sender_submit(f->s, OUTBOX_COMMENT, 1, false, "t1", NULL, &err);
	/* a1 and t1 (another target, even with the same id) go at once. */
	assert_int_equal(f->nsent, 2);
	assert_string_equal(f->sent[0].body, "a1");
	assert_string_equal(f->sent[1].body, "t1");
	/* a1 fails: a2 must not overtake it. */
	answer(f, 0, 0, SC_ERR_NETWORK, NULL);
	f->now += 60000;
	sender_tick(f->s);
	assert_int_equal(f->nsent, 3);
	assert_string_equal(f->sent[2].body, "a1");
	answer_created(f, 2);
	assert_int_equal(f->nsent, 4);
	assert_string_equal(f->sent[3].body, "a2");
	answer_created(f, 3);
	answer_created(f, 1);
	assert_int_equal(count_files(f->dir), 0);
}

static void
sender__held_item__does_not_block_later_ones(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };

	sender_submit(f->s, OUTBOX_MESSAGE, 1, false, "a1", NULL, &err);
	sender_submit(f->s, OUTBOX_MESSAGE, 1, false, "a2", NULL, &err);
	assert_int_equal(f->nsent, 1);
	answer(f, 0, 403, SC_ERR_FORBIDDEN, NULL);
	assert_int_equal(f->nsent, 2);
	assert_string_equal(f->sent[1].body, "a2");
}

static void
sender__restart__resends_pending_ones_in_order(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	const char *texts[] = { "one", "two", "three" };
	char ids[3][UUID_STRLEN + 1];
	int i;

	for (i = 0; i < 3; i++)
		sender_submit(f->s, OUTBOX_MESSAGE, 7, false, texts[i], ids[i],
		              &err);
	answer(f, 0, 0, SC_ERR_NETWORK, NULL);
	/* The program ends (or is killed) with all three on disk. */
	sender_free(f->s);
	assert_int_equal(count_files(f->dir), 3);
	f->s = new_sender(f);
	f->nsent = 0;
	assert_int_equal(sender_start(f->s, &err), 0);
	assert_int_equal(sender_pending(f->s), 3);
	assert_int_equal(f->nsent, 0); /* "one" still waits for its retry */
	assert_in_range(sender_timeout_ms(f->s), 1, 2000);
	f->now += 2000;
	sender_tick(f->s);
	for (i = 0; i < 3; i++) {
		assert_int_equal(f->nsent, i + 1);
		assert_string_equal(f->sent[i].body, texts[i]);
		assert_string_equal(f->sent[i].msg_id, ids[i]);
		answer_created(f, i);
	}
	assert_int_equal(count_files(f->dir), 0);
	assert_int_equal(sender_pending(f->s), 0);
}

static void
sender__crash_after_commit__resends_with_the_same_id(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	char id[UUID_STRLEN + 1];

	sender_submit(f->s, OUTBOX_COMMENT, 4, false, "c", id, &err);
	/* The server commits, then we die before the answer arrives. */
	sender_free(f->s);
	assert_true(f->sent[0].cancelled);
	f->s = new_sender(f);
	assert_int_equal(sender_start(f->s, &err), 0);
	assert_int_equal(f->nsent, 2);
	assert_string_equal(f->sent[1].msg_id, id);
	assert_string_equal(f->sent[1].path, "/tasks/4/comments");
}

static void
sender__restart__held_item_stays_held(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };

	sender_submit(f->s, OUTBOX_MESSAGE, 7, false, "x", NULL, &err);
	answer(f, 0, 422, SC_ERR_INVALID, NULL);
	sender_free(f->s);
	f->s = new_sender(f);
	assert_int_equal(sender_start(f->s, &err), 0);
	assert_int_equal(f->nsent, 1);
	assert_int_equal(sender_failed(f->s), 1);
	/* A flush without held_too leaves it alone; with it, sends it. */
	sender_flush(f->s, false);
	assert_int_equal(f->nsent, 1);
	sender_flush(f->s, true);
	assert_int_equal(f->nsent, 2);
	answer_created(f, 1);
	assert_int_equal(count_files(f->dir), 0);
}

static void
sender__discard__cancels_an_item_in_flight(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	char id[UUID_STRLEN + 1];

	sender_submit(f->s, OUTBOX_MESSAGE, 7, false, "a", id, &err);
	sender_submit(f->s, OUTBOX_MESSAGE, 7, false, "b", NULL, &err);
	assert_int_equal(sender_discard(f->s, id, &err), 0);
	assert_true(f->sent[0].cancelled);
	assert_int_equal(f->nsent, 2); /* b's turn has come */
	assert_string_equal(f->sent[1].body, "b");
	assert_int_equal(count_files(f->dir), 1);
	assert_int_equal(sender_discard(f->s, "../etc/passwd", &err), -1);
	sc_error_clear(&err);
}

static void
sender__confirm__event_settles_an_item_whose_answer_was_lost(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	struct comment c = { .id = 900, .body = "note" };
	struct message m = { .id = 901, .body = "b" };
	char id[UUID_STRLEN + 1], id2[UUID_STRLEN + 1];

	sender_submit(f->s, OUTBOX_COMMENT, 3, true, "note", id, &err);
	/* The connection drops after the server stored it: a retry waits. */
	answer(f, 0, 0, SC_ERR_NETWORK, NULL);
	assert_int_equal(f->outcomes[0], SENDER_RETRYING);
	/* Events that do not match: another kind, another target, no id. */
	assert_false(sender_confirm(f->s, id, 3, &m, NULL));
	assert_false(sender_confirm(f->s, id, 4, NULL, &c));
	assert_false(sender_confirm(f->s, NULL, 3, NULL, &c));
	assert_int_equal(count_files(f->dir), 1);
	/* Its comment.created: sent, with the event's copy; no resend. */
	assert_true(sender_confirm(f->s, id, 3, NULL, &c));
	assert_int_equal(f->nreports, 2);
	assert_int_equal(f->outcomes[1], SENDER_SENT);
	assert_string_equal(f->report_body[1], "note");
	assert_int_equal(count_files(f->dir), 0);
	assert_int_equal(sender_count(f->s), 0);
	f->now += 120000;
	sender_tick(f->s);
	assert_int_equal(f->nsent, 1);
	assert_false(sender_confirm(f->s, id, 3, NULL, &c)); /* once */
	/* In flight: its request is cancelled, the next one of the
	 * conversation goes. */
	sender_submit(f->s, OUTBOX_MESSAGE, 7, false, "a", id, &err);
	sender_submit(f->s, OUTBOX_MESSAGE, 7, false, "b", id2, &err);
	assert_int_equal(f->nsent, 2);
	m.body = "a";
	assert_true(sender_confirm(f->s, id, 7, &m, NULL));
	assert_true(f->sent[1].cancelled);
	assert_int_equal(f->nsent, 3);
	assert_string_equal(f->sent[2].body, "b");
	assert_int_equal(count_files(f->dir), 1);
}

static void
sender__start__empty_outbox_sends_nothing(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };

	assert_int_equal(sender_start(f->s, &err), 0);
	assert_int_equal(f->nsent, 0);
	assert_int_equal(sender_pending(f->s), 0);
	assert_int_equal(sender_timeout_ms(f->s), -1);
	sender_flush(f->s, true);
	assert_int_equal(f->nsent, 0);
}

static void
sender__start__item_open_to_others_not_sent(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	struct outbox_item *item;
	char path[512];
	size_t n;

	/* Queued by an earlier run; its file then made readable by all. */
	assert_int_equal(
	    outbox_add(f->ob, OUTBOX_MESSAGE, 7, false, "hello", &item, &err),
	    0);
	snprintf(path, sizeof path, "%s/%s.json", f->dir, item->id);
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(sender_start(f->s, &err), 0);
	assert_int_equal(f->nsent, 0);
	assert_int_equal(sender_pending(f->s), 0);
	assert_int_equal(count_files(f->dir), 1); /* kept, not deleted */
	assert_non_null(outbox_refused(f->ob, &n));
	assert_int_equal(n, 1);
	/* Once private again, the next start sends it. */
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(sender_start(f->s, &err), 0);
	assert_int_equal(f->nsent, 1);
	assert_string_equal(f->sent[0].msg_id, item->id);
	outbox_item_free(item);
}

static void
sender__errors__which_are_transient(void **state)
{
	struct sc_error e = { 0 };

	(void)state;
	sc_error_set(&e, SC_ERR_NETWORK, "x");
	assert_true(sender_error_is_transient(&e));
	sc_error_set(&e, SC_ERR_SERVER, "x");
	e.http_status = 502;
	assert_true(sender_error_is_transient(&e));
	sc_error_set(&e, SC_ERR_INVALID, "x");
	e.http_status = 422;
	assert_false(sender_error_is_transient(&e));
	sc_error_set(&e, SC_ERR_NOT_FOUND, "x");
	e.http_status = 404;
	assert_false(sender_error_is_transient(&e));
	sc_error_clear(&e);
}

/* Queues body for conversation 7 on disk as owner, bypassing the sender. */
static void
queue_as(struct fixture *f, const struct outbox_owner *owner, const char *body,
         char id[UUID_STRLEN + 1])
{
	struct outbox_item *it = NULL;
	struct sc_error err = { 0 };

	outbox_set_owner(f->ob, owner);
	assert_int_equal(
	    outbox_add(f->ob, OUTBOX_MESSAGE, 7, false, body, &it, &err), 0);
	memcpy(id, it->id, UUID_STRLEN + 1);
	outbox_item_free(it);
}

static void
sender__owner__another_services_item_is_held_back_not_sent(void **state)
{
	struct fixture *f = *state;
	struct outbox_owner staging = test_owner;
	struct sc_error err = { 0 };
	char id[UUID_STRLEN + 1], mine[UUID_STRLEN + 1];
	const struct outbox_item *it;
	const char *why = NULL;

	staging.service = "https://staging.example";
	queue_as(f, &staging, "for staging", id);
	queue_as(f, &test_owner, "for here", mine);
	assert_int_equal(sender_start(f->s, &err), 0);
	/* Only this service's item goes; staging's stays on disk. */
	assert_int_equal(f->nsent, 1);
	assert_string_equal(f->sent[0].msg_id, mine);
	assert_int_equal(sender_count(f->s), 1);
	assert_int_equal(sender_held_back(f->s), 1);
	it = sender_held_back_item(f->s, 0, &why);
	assert_non_null(it);
	assert_string_equal(it->id, id);
	assert_non_null(strstr(why, "queued for https://staging.example"));
	assert_non_null(strstr(why, "not this service (https://svc.example)"));
	assert_null(sender_held_back_item(f->s, 1, NULL));
	/* Flushing everything, held too, still never sends it. */
	answer_created(f, 0);
	sender_flush(f->s, true);
	assert_int_equal(f->nsent, 1);
	assert_int_equal(count_files(f->dir), 1);
	/* Retrying it explicitly says why not. */
	assert_int_equal(sender_retry(f->s, id, &err), -1);
	assert_int_equal(err.kind, SC_ERR_FORBIDDEN);
	assert_non_null(strstr(err.message, "staging"));
	sc_error_clear(&err);
	/* It can be discarded. */
	assert_int_equal(sender_discard(f->s, id, &err), 0);
	assert_int_equal(sender_held_back(f->s), 0);
	assert_int_equal(count_files(f->dir), 0);
}

static void
sender__owner__another_members_item_waits_for_its_member(void **state)
{
	struct fixture *f = *state;
	struct outbox_owner bob = test_owner;
	struct sc_error err = { 0 };
	char id[UUID_STRLEN + 1];
	const char *why = NULL;

	bob.staff_id = 2;
	bob.email = "bob@example.com";
	queue_as(f, &bob, "bob's", id);
	assert_int_equal(sender_start(f->s, &err), 0);
	assert_int_equal(f->nsent, 0);
	sender_held_back_item(f->s, 0, &why);
	assert_non_null(strstr(why, "queued as bob@example.com"));
	assert_non_null(strstr(why, "not as ann@example.com"));
	/* Bob signs in: his item goes, as him. */
	sender_set_owner(f->s, &bob);
	assert_int_equal(sender_held_back(f->s), 0);
	assert_int_equal(f->nsent, 1);
	assert_string_equal(f->sent[0].msg_id, id);
	/* Ann signs in again while it is out: it stops and waits for Bob. */
	sender_set_owner(f->s, &test_owner);
	assert_true(f->sent[0].cancelled);
	assert_int_equal(sender_held_back(f->s), 1);
	assert_int_equal(sender_count(f->s), 0);
	assert_int_equal(count_files(f->dir), 1);
}

static void
sender__owner__submit_records_the_owner(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	struct outbox_item *items;
	size_t n;

	sender_submit(f->s, OUTBOX_MESSAGE, 7, false, "hi", NULL, &err);
	items = only_item(f, &n);
	assert_int_equal(n, 1);
	assert_string_equal(items[0].owner.service, test_owner.service);
	assert_int_equal(items[0].owner.staff_id, 1);
	assert_string_equal(items[0].owner.email, test_owner.email);
	outbox_items_free(items, n);
}

static void
sender__owner__none_set_queues_and_sends_nothing(void **state)
{
	struct fixture *f = *state;
	struct sender_config cfg = {
		.transport = &fake_transport,
		.transport_ud = f,
		.now_ms = fake_now,
		.clock_ud = f,
	};
	struct sender *s = sender_new(f->ob, &cfg);
	struct sc_error err = { 0 };
	char id[UUID_STRLEN + 1];

	queue_as(f, &test_owner, "ann's", id);
	assert_int_equal(
	    sender_submit(s, OUTBOX_MESSAGE, 7, false, "x", NULL, &err), -1);
	assert_int_equal(err.kind, SC_ERR_NOT_SIGNED_IN);
	sc_error_clear(&err);
	assert_int_equal(sender_start(s, &err), 0);
	assert_int_equal(f->nsent, 0);
	assert_int_equal(sender_held_back(s), 1);
	assert_int_equal(count_files(f->dir), 1);
	sender_free(s);
}

/* The path of item id's file in f's outbox. */
static void
item_file(const struct fixture *f, const char *id, char *out, size_t size)
{
	snprintf(out, size, "%s/%s.json", f->dir, id);
}

static void
sender__file_removed_meanwhile__a_failure_forgets_the_item(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	char a[UUID_STRLEN + 1], b[UUID_STRLEN + 1], path[128];

	sender_submit(f->s, OUTBOX_MESSAGE, 7, false, "a", a, &err);
	sender_submit(f->s, OUTBOX_MESSAGE, 8, false, "b", b, &err);
	assert_int_equal(f->nsent, 2);
	/* Discarded by another sitecare sharing the folder. */
	item_file(f, a, path, sizeof path);
	assert_int_equal(unlink(path), 0);
	item_file(f, b, path, sizeof path);
	assert_int_equal(unlink(path), 0);
	answer(f, 0, 0, SC_ERR_NETWORK, NULL);
	answer(f, 1, 422, SC_ERR_INVALID, NULL);
	/* Neither is written back, retried nor reported. */
	assert_int_equal(f->nreports, 0);
	assert_int_equal(count_files(f->dir), 0);
	assert_int_equal(sender_pending(f->s), 0);
	assert_int_equal(sender_failed(f->s), 0);
	assert_int_equal(sender_timeout_ms(f->s), -1);
}

static void
sender__retry__in_flight_waits_and_a_vanished_file_is_not_found(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	char id[UUID_STRLEN + 1], path[128], want[96];

	sender_submit(f->s, OUTBOX_MESSAGE, 7, false, "a", id, &err);
	assert_int_equal(sender_retry(f->s, id, &err), 0);
	assert_int_equal(f->nsent, 1); /* not sent twice */
	assert_int_equal(sender_in_flight(f->s), 1);
	answer(f, 0, 0, SC_ERR_NETWORK, NULL);
	item_file(f, id, path, sizeof path);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(sender_retry(f->s, id, &err), -1);
	snprintf(want, sizeof want, "no outbox item %s", id);
	assert_int_equal(err.kind, SC_ERR_NOT_FOUND);
	assert_string_equal(err.message, want);
	sc_error_clear(&err);
	assert_int_equal(f->nsent, 1);
	assert_int_equal(sender_pending(f->s), 0);
}

static void
sender__start__a_vanished_folder_is_an_error(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };

	assert_int_equal(rmdir(f->dir), 0);
	assert_int_equal(sender_start(f->s, &err), -1);
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	assert_non_null(strstr(err.message, f->dir));
	sc_error_clear(&err);
	assert_int_equal(f->nsent, 0);
}

static void
sender__discard__a_folder_in_the_way_keeps_the_item(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	char id[UUID_STRLEN + 1], path[128];

	sender_submit(f->s, OUTBOX_MESSAGE, 7, false, "x", id, &err);
	answer(f, 0, 422, SC_ERR_INVALID, NULL);
	assert_int_equal(sender_failed(f->s), 1);
	item_file(f, id, path, sizeof path);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(sender_discard(f->s, id, &err), -1);
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	assert_non_null(strstr(err.message, "cannot remove"));
	sc_error_clear(&err);
	assert_int_equal(sender_failed(f->s), 1); /* still listed */
	assert_int_equal(rmdir(path), 0);
}

static void
sender__timeout__overdue_is_zero_and_past_the_end_is_null(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	enum sender_item_state st = SENDER_ITEM_FAILED;

	sender_submit(f->s, OUTBOX_MESSAGE, 7, false, "a", NULL, &err);
	answer(f, 0, 0, SC_ERR_NETWORK, NULL);
	assert_true(sender_timeout_ms(f->s) > 0);
	f->now += 3600000; /* the loop was away an hour: due at once */
	assert_int_equal(sender_timeout_ms(f->s), 0);
	assert_non_null(sender_item(f->s, 0, &st));
	assert_int_equal(st, SENDER_ITEM_QUEUED);
	assert_null(sender_item(f->s, 1, &st));
}

/* Writes an item file for test_owner: id, body, created_at 1, seq 5. */
static void
put_tied_item(const struct fixture *f, const char *id, const char *body)
{
	char path[128];
	FILE *fp;

	item_file(f, id, path, sizeof path);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fprintf(fp,
	        "{\"version\":1,\"id\":\"%s\",\"kind\":\"message\","
	        "\"target_id\":7,\"internal\":false,\"body\":\"%s\","
	        "\"created_at\":1,\"seq\":5,\"attempts\":0,"
	        "\"next_attempt_at\":0,\"last_error\":null,"
	        "\"service\":\"https://svc.example\",\"staff_id\":1,"
	        "\"staff_email\":\"ann@example.com\"}",
	        id, body);
	assert_int_equal(fchmod(fileno(fp), 0600), 0);
	assert_int_equal(fclose(fp), 0);
}

static void
sender__start__same_time_and_seq_sent_in_id_order(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	const char *lo = "0b8e6c1e-2f4a-4c1d-9e3b-5a6f7d8c9e0f";
	const char *hi = "1c9f7d2f-3a5b-4d2e-8f4c-6b7a8e9d0f1a";

	put_tied_item(f, hi, "second");
	put_tied_item(f, lo, "first");
	assert_int_equal(sender_start(f->s, &err), 0);
	assert_int_equal(f->nsent, 1); /* one at a time to a conversation */
	assert_string_equal(f->sent[0].msg_id, lo);
	assert_string_equal(f->sent[0].body, "first");
	answer_created(f, 0);
	assert_int_equal(f->nsent, 2);
	assert_string_equal(f->sent[1].msg_id, hi);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(sender__submit__writes_the_file_before_sending),
		T(sender__success__removes_the_file_and_reports_the_message),
		T(sender__comment__posts_to_the_task_with_internal),
		T(sender__network_error__keeps_the_file_and_backs_off),
		T(sender__source__lends_the_retry_timer),
		T(sender__rate_limited__waits_for_retry_after),
		T(sender__401__pauses_without_losing_anything),
		T(sender__422__holds_the_item_as_failed),
		T(sender__per_target__one_in_flight_in_typing_order),
		T(sender__held_item__does_not_block_later_ones),
		T(sender__restart__resends_pending_ones_in_order),
		T(sender__crash_after_commit__resends_with_the_same_id),
		T(sender__restart__held_item_stays_held),
		T(sender__discard__cancels_an_item_in_flight),
		T(sender__confirm__event_settles_an_item_whose_answer_was_lost),
		T(sender__start__empty_outbox_sends_nothing),
		T(sender__start__item_open_to_others_not_sent),
		T(sender__owner__another_services_item_is_held_back_not_sent),
		T(sender__owner__another_members_item_waits_for_its_member),
		T(sender__owner__submit_records_the_owner),
		T(sender__owner__none_set_queues_and_sends_nothing),
		cmocka_unit_test(sender__errors__which_are_transient),
		T(sender__file_removed_meanwhile__a_failure_forgets_the_item),
		T(sender__retry__in_flight_waits_and_a_vanished_file_is_not_found),
		T(sender__start__a_vanished_folder_is_an_error),
		T(sender__discard__a_folder_in_the_way_keeps_the_item),
		T(sender__timeout__overdue_is_zero_and_past_the_end_is_null),
		T(sender__start__same_time_and_seq_sent_in_id_order),
#undef T
	};

	return cmocka_run_group_tests_name("net/sender", tests, NULL, NULL);
}
