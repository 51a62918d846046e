/* Unit tests for net/client/events.c: the stream's state machine, no network.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/client/events.h"

#define MSG_DATA                                                               \
	"{\"conversation_id\": 7, \"message\": {\"id\": 100, "                 \
	"\"conversation_id\": 7, \"author\": {\"kind\": \"client\", "          \
	"\"id\": 3, \"name\": \"Cy\"}, \"body\": \"Hello\", "                  \
	"\"created_at\": \"2026-11-28T08:00:00Z\", \"client_msg_id\": null}}"

/* A fake transport and clock, and what the owner's callbacks saw. */
struct fake {
	long long now;
	uint32_t rnd;
	int opens;
	int closes;
	bool fail_open;
	char last_headers[256]; /* the last open's headers, joined by '|' */
	int handle_token;

	int nevents;
	char ids[16][16];
	enum event_type types[16];
	char bodies[16][32];
	int stop_after; /* events_stop from the callback after this many */

	int nstates;
	enum events_state states[32];
	struct events_status last_status;
	enum sc_error_kind last_err_kind;

	int nbad;          /* on_malformed calls */
	char bad_type[32]; /* the last one's type and message */
	char bad_msg[96];

	struct events *ev;
};

static long long
fake_now(void *ud)
{
	return ((struct fake *)ud)->now;
}

static uint32_t
fake_random(void *ud)
{
	return ((struct fake *)ud)->rnd;
}

static void *
fake_open(void *ud, const char *const *headers, struct events *ev,
          struct sc_error *err)
{
	struct fake *f = ud;
	size_t i;

	(void)ev;
	f->opens++;
	f->last_headers[0] = '\0';
	for (i = 0; headers[i] != NULL; i++) {
		if (i > 0)
			strcat(f->last_headers, "|");
		strcat(f->last_headers, headers[i]);
	}
	if (f->fail_open) {
		sc_error_set(err, SC_ERR_NETWORK, "no route");
		return NULL;
	}
	return &f->handle_token;
}

static void
fake_close(void *ud, void *handle)
{
	struct fake *f = ud;

	assert_ptr_equal(handle, &f->handle_token);
	f->closes++;
}

static const struct events_transport fake_transport = {
	.open = fake_open,
	.close = fake_close,
};

static void
on_event(const struct events_event *e, void *ud)
{
	struct fake *f = ud;
	int i = f->nevents++;

	assert_true(i < 16);
	snprintf(f->ids[i], sizeof f->ids[i], "%s", e->id);
	f->types[i] = e->payload->type;
	if (e->payload->type == EVENT_MESSAGE_CREATED)
		snprintf(f->bodies[i], sizeof f->bodies[i], "%s",
		         e->payload->message.body);
	if (f->stop_after > 0 && f->nevents == f->stop_after)
		events_stop(f->ev);
}

static void
on_malformed(const char *type, const struct sc_error *err, void *ud)
{
	struct fake *f = ud;

	f->nbad++;
	snprintf(f->bad_type, sizeof f->bad_type, "%s", type);
	snprintf(f->bad_msg, sizeof f->bad_msg, "%s", err->message);
}

static void
on_state(const struct events_status *st, void *ud)
{
	struct fake *f = ud;

	assert_true(f->nstates < 32);
	f->states[f->nstates++] = st->state;
	f->last_status = *st;
	f->last_status.err = NULL;
	f->last_err_kind = st->err != NULL ? st->err->kind : SC_OK;
}

static struct events *
make_on(struct fake *f, const char *since, const struct events_transport *t)
{
	struct events_config cfg = {
		.transport = t,
		.transport_ud = f,
		.on_event = on_event,
		.on_state = on_state,
		.on_malformed = on_malformed,
		.ud = f,
		.now_ms = fake_now,
		.random = fake_random,
		.clock_ud = f,
		.last_id = since,
	};

	f->now = 1000000;
	f->ev = events_new(&cfg);
	return f->ev;
}

static struct events *
make(struct fake *f, const char *since)
{
	return make_on(f, since, &fake_transport);
}

static void
feed(struct events *ev, const char *text)
{
	events_stream_data(ev, text, strlen(text));
}

/* A stream that opened and delivered the event with id 5. */
static void
online_with_event_5(struct fake *f)
{
	events_start(f->ev);
	events_stream_open(f->ev, 200);
	feed(f->ev,
	     ": ping\n\nid: 5\nevent: message.created\ndata: " MSG_DATA "\n\n");
	assert_int_equal(f->nevents, 1);
}

static void
events__start__opens_without_last_event_id(void **state)
{
	struct fake f = { 0 };
	struct events *ev = make(&f, NULL);

	(void)state;
	assert_int_equal(events_state(ev), EVENTS_OFFLINE);
	assert_int_equal(events_timeout_ms(ev), -1);
	events_start(ev);
	assert_int_equal(f.opens, 1);
	assert_string_equal(f.last_headers, "");
	assert_int_equal(events_state(ev), EVENTS_CONNECTING);
	assert_int_equal(f.states[0], EVENTS_CONNECTING);
	events_stream_open(ev, 200);
	assert_int_equal(events_state(ev), EVENTS_ONLINE);
	assert_int_equal(f.nstates, 2);
	events_free(ev);
	assert_int_equal(f.closes, 1);
}

static void
events__data__delivers_typed_events_with_ids(void **state)
{
	struct fake f = { 0 };
	struct events *ev = make(&f, NULL);

	(void)state;
	online_with_event_5(&f);
	assert_string_equal(f.ids[0], "5");
	assert_int_equal(f.types[0], EVENT_MESSAGE_CREATED);
	assert_string_equal(f.bodies[0], "Hello");
	assert_string_equal(events_last_id(ev), "5");
	/* One event split across three reads. */
	feed(ev, "id: 6\nevent: conversation.re");
	feed(ev, "ad\ndata: {\"conversation_id\": 7, ");
	assert_int_equal(f.nevents, 1);
	feed(ev, "\"unread_count\": 0}\n\n");
	assert_int_equal(f.nevents, 2);
	assert_string_equal(f.ids[1], "6");
	assert_int_equal(f.types[1], EVENT_CONVERSATION_READ);
	events_free(ev);
}

static void
events__unknown_and_malformed__skipped_but_id_kept(void **state)
{
	struct fake f = { 0 };
	struct events *ev = make(&f, NULL);

	(void)state;
	online_with_event_5(&f);
	feed(ev, "id: 6\nevent: staff.birthday\ndata: {}\n\n");
	feed(ev, "id: 7\nevent: message.created\ndata: {\"nope\": 1}\n\n");
	assert_int_equal(f.nevents, 1);
	assert_int_equal(events_malformed(ev), 1);
	assert_string_equal(events_last_id(ev), "7");
	/* The owner hears of the malformed one, not of the unknown type. */
	assert_int_equal(f.nbad, 1);
	assert_string_equal(f.bad_type, "message.created");
	assert_string_equal(f.bad_msg, "conversation_id: missing");
	events_free(ev);
}

static void
events__resync__delivered_as_its_own_kind(void **state)
{
	struct fake f = { 0 };
	struct events *ev = make(&f, "3");

	(void)state;
	events_start(ev);
	assert_string_equal(f.last_headers, "Last-Event-ID: 3");
	events_stream_open(ev, 200);
	feed(ev, ": ping\n\nid: 99\nevent: resync\ndata: {}\n\n");
	assert_int_equal(f.nevents, 1);
	assert_int_equal(f.types[0], EVENT_RESYNC);
	assert_string_equal(events_last_id(ev), "99");
	events_free(ev);
}

static void
events__end__reconnects_after_backoff_with_last_event_id(void **state)
{
	struct fake f = { 0 };
	struct events *ev = make(&f, NULL);
	struct sc_error ok = { 0 };

	(void)state;
	online_with_event_5(&f);
	f.rnd = 0; /* the shortest wait: half of 1 s */
	events_stream_end(ev, &ok);
	assert_int_equal(events_state(ev), EVENTS_RECONNECTING);
	assert_int_equal(f.last_status.retry_at_ms, f.now + 500);
	assert_int_equal(f.last_status.failures, 1);
	assert_int_equal(f.last_err_kind, SC_ERR_NETWORK);
	assert_int_equal(events_timeout_ms(ev), 500);
	f.now += 499;
	events_tick(ev);
	assert_int_equal(f.opens, 1);
	f.now += 1;
	assert_int_equal(events_timeout_ms(ev), 0);
	events_tick(ev);
	assert_int_equal(f.opens, 2);
	assert_string_equal(f.last_headers, "Last-Event-ID: 5");
	assert_int_equal(events_state(ev), EVENTS_CONNECTING);
	events_free(ev);
}

/* As a loop source the stream lends its timers and no descriptor. */
static void
events__source__lends_its_timer_to_the_loop(void **state)
{
	struct fake f = { 0 };
	struct events *ev = make(&f, NULL);
	struct loop_source src = events_source(ev);
	struct sc_error ok = { 0 };
	struct pollfd fds[4];

	(void)state;
	online_with_event_5(&f);
	f.rnd = 0;
	events_stream_end(ev, &ok);
	assert_int_equal(src.pollfds(src.ud, fds, 4), 0);
	assert_int_equal(src.timeout_ms(src.ud), 500);
	f.now += 500;
	src.dispatch(src.ud, fds, 0);
	assert_int_equal(f.opens, 2);
	events_free(ev);
}

static void
events__failures__wait_longer_each_time_until_online(void **state)
{
	struct fake f = { 0 };
	struct events *ev = make(&f, NULL);
	struct sc_error err = { 0 };
	long long waits[4];
	int i;

	(void)state;
	f.rnd = UINT32_MAX; /* the longest wait */
	events_start(ev);
	sc_error_set(&err, SC_ERR_SERVER, "bad gateway");
	err.http_status = 502;
	for (i = 0; i < 4; i++) {
		events_stream_end(ev, &err);
		waits[i] = f.last_status.retry_at_ms - f.now;
		f.now = f.last_status.retry_at_ms;
		events_tick(ev);
	}
	assert_int_equal(waits[0], 1000);
	assert_int_equal(waits[1], 2000);
	assert_int_equal(waits[2], 4000);
	assert_int_equal(waits[3], 8000);
	/* Once online again, the next failure starts from the base. */
	events_stream_open(ev, 200);
	events_stream_end(ev, &err);
	assert_int_equal(f.last_status.retry_at_ms - f.now, 1000);
	sc_error_clear(&err);
	events_free(ev);
}

static void
events__retry_field__is_the_backoff_base(void **state)
{
	struct fake f = { 0 };
	struct events *ev = make(&f, NULL);
	struct sc_error ok = { 0 };

	(void)state;
	f.rnd = UINT32_MAX;
	events_start(ev);
	feed(ev, "retry: 5000\n\n");
	events_stream_end(ev, &ok);
	assert_int_equal(f.last_status.retry_at_ms - f.now, 5000);
	events_free(ev);
}

static void
events__rate_limited__waits_at_least_retry_after(void **state)
{
	struct fake f = { 0 };
	struct events *ev = make(&f, NULL);
	struct sc_error err = { 0 };

	(void)state;
	events_start(ev);
	sc_error_set(&err, SC_ERR_RATE_LIMITED, "slow down");
	err.http_status = 429;
	err.retry_after = 30;
	events_stream_end(ev, &err);
	assert_int_equal(events_state(ev), EVENTS_RECONNECTING);
	assert_int_equal(f.last_status.retry_at_ms - f.now, 30000);
	sc_error_clear(&err);
	events_free(ev);
}

static void
events__silence__45_seconds_is_a_dead_connection(void **state)
{
	struct fake f = { 0 };
	struct events *ev = make(&f, NULL);

	(void)state;
	online_with_event_5(&f);
	assert_int_equal(events_timeout_ms(ev), 45000);
	f.now += 30000;
	feed(ev, ": ping\n\n"); /* a comment is a sign of life */
	assert_int_equal(events_timeout_ms(ev), 45000);
	f.now += 44999;
	events_tick(ev);
	assert_int_equal(events_state(ev), EVENTS_ONLINE);
	assert_int_equal(events_timeout_ms(ev), 1);
	f.now += 1;
	events_tick(ev);
	assert_int_equal(f.closes, 1);
	assert_int_equal(events_state(ev), EVENTS_RECONNECTING);
	assert_int_equal(f.last_err_kind, SC_ERR_NETWORK);
	f.now = f.last_status.retry_at_ms;
	events_tick(ev);
	assert_int_equal(f.opens, 2);
	assert_string_equal(f.last_headers, "Last-Event-ID: 5");
	events_free(ev);
}

static void
events__silence__while_connecting_counts_too(void **state)
{
	struct fake f = { 0 };
	struct events *ev = make(&f, NULL);

	(void)state;
	events_start(ev);
	f.now += 45000;
	events_tick(ev);
	assert_int_equal(f.closes, 1);
	assert_int_equal(events_state(ev), EVENTS_RECONNECTING);
	events_free(ev);
}

static void
events__partial_event__not_counted_on_reconnect(void **state)
{
	struct fake f = { 0 };
	struct events *ev = make(&f, NULL);
	struct sc_error ok = { 0 };

	(void)state;
	online_with_event_5(&f);
	feed(ev, "id: 6\nevent: message.created\ndata: {\"conv");
	events_stream_end(ev, &ok);
	f.now = f.last_status.retry_at_ms;
	events_tick(ev);
	assert_string_equal(f.last_headers, "Last-Event-ID: 5");
	/* The new stream starts clean: the half event is gone. */
	events_stream_open(ev, 200);
	feed(ev, "id: 6\nevent: message.created\ndata: " MSG_DATA "\n\n");
	assert_int_equal(f.nevents, 2);
	assert_string_equal(f.ids[1], "6");
	events_free(ev);
}

static void
events__session_expired__goes_offline_and_stays(void **state)
{
	struct fake f = { 0 };
	struct events *ev = make(&f, NULL);
	struct sc_error err = { 0 };

	(void)state;
	online_with_event_5(&f);
	sc_error_set(&err, SC_ERR_SESSION_EXPIRED, "session expired");
	err.http_status = 401;
	events_stream_end(ev, &err);
	assert_int_equal(events_state(ev), EVENTS_OFFLINE);
	assert_int_equal(f.last_err_kind, SC_ERR_SESSION_EXPIRED);
	assert_int_equal(events_timeout_ms(ev), -1);
	f.now += 3600000;
	events_tick(ev);
	assert_int_equal(f.opens, 1);
	/* After signing in again the owner restarts it; the id is kept. */
	events_start(ev);
	assert_int_equal(f.opens, 2);
	assert_string_equal(f.last_headers, "Last-Event-ID: 5");
	sc_error_clear(&err);
	events_free(ev);
}

static void
events__forbidden__goes_offline(void **state)
{
	struct fake f = { 0 };
	struct events *ev = make(&f, NULL);
	struct sc_error err = { 0 };

	(void)state;
	events_start(ev);
	sc_error_set(&err, SC_ERR_FORBIDDEN, "staff only");
	err.http_status = 403;
	events_stream_end(ev, &err);
	assert_int_equal(events_state(ev), EVENTS_OFFLINE);
	assert_int_equal(f.last_err_kind, SC_ERR_FORBIDDEN);
	sc_error_clear(&err);
	events_free(ev);
}

static void
events__stop_from_callback__stops_the_feed(void **state)
{
	struct fake f = { 0 };
	struct events *ev = make(&f, NULL);

	(void)state;
	f.stop_after = 1;
	events_start(ev);
	events_stream_open(ev, 200);
	feed(ev, "id: 1\nevent: message.created\ndata: " MSG_DATA "\n\n"
	         "id: 2\nevent: message.created\ndata: " MSG_DATA "\n\n");
	assert_int_equal(f.nevents, 1);
	assert_int_equal(f.closes, 1);
	assert_int_equal(events_state(ev), EVENTS_OFFLINE);
	assert_string_equal(events_last_id(ev), "1");
	assert_int_equal(events_timeout_ms(ev), -1);
	events_free(ev);
	assert_int_equal(f.closes, 1);
}

/* Starts ev with f's opens failing: a network error, retried in 1 s. */
static void
fail_first_open(struct fake *f, struct events *ev)
{
	f->fail_open = true;
	f->rnd = UINT32_MAX;
	events_start(ev);
	assert_int_equal(events_state(ev), EVENTS_RECONNECTING);
	assert_int_equal(f->last_err_kind, SC_ERR_NETWORK);
	assert_int_equal(events_timeout_ms(ev), 1000);
}

static void
events__open_failure__schedules_a_retry(void **state)
{
	struct fake f = { 0 };
	struct events *ev = make(&f, NULL);

	(void)state;
	fail_first_open(&f, ev);
	f.fail_open = false;
	f.now += 1000;
	events_tick(ev);
	assert_int_equal(events_state(ev), EVENTS_CONNECTING);
	assert_int_equal(f.closes, 0);
	events_free(ev);
	assert_int_equal(f.closes, 1);
}

static void
events__oversized_event__drops_and_reconnects(void **state)
{
	struct fake f = { 0 };
	struct events *ev = make(&f, NULL);
	char *big = malloc(5 * 1024 * 1024);

	(void)state;
	assert_non_null(big);
	online_with_event_5(&f);
	memset(big, 'x', 5 * 1024 * 1024 - 1);
	memcpy(big, "data: ", 6);
	big[5 * 1024 * 1024 - 1] = '\0';
	feed(ev, big);
	free(big);
	assert_int_equal(events_state(ev), EVENTS_RECONNECTING);
	assert_int_equal(f.last_err_kind, SC_ERR_TOO_LARGE);
	assert_int_equal(f.closes, 1);
	f.now = f.last_status.retry_at_ms;
	events_tick(ev);
	assert_string_equal(f.last_headers, "Last-Event-ID: 5");
	events_stream_open(ev, 200);
	feed(ev, "id: 6\nevent: message.created\ndata: " MSG_DATA "\n\n");
	assert_int_equal(f.nevents, 2);
	events_free(ev);
}

static void
events__backoff__doubles_caps_and_jitters(void **state)
{
	(void)state;
	assert_int_equal(events_backoff_ms(1, 1000, 60000, 0), 500);
	assert_int_equal(events_backoff_ms(1, 1000, 60000, UINT32_MAX), 1000);
	assert_int_equal(events_backoff_ms(3, 1000, 60000, UINT32_MAX), 4000);
	assert_int_equal(events_backoff_ms(3, 1000, 60000, 0), 2000);
	assert_int_equal(events_backoff_ms(7, 1000, 60000, UINT32_MAX), 60000);
	assert_int_equal(events_backoff_ms(1000, 1000, 60000, UINT32_MAX),
	                 60000);
	assert_int_equal(events_backoff_ms(1000, 1000, 60000, 0), 30000);
}

/*
 * The offline start's retries (tui.c) use this with base 1 s, cap 30 s:
 * at most 1, 2, 4, 8, 16, then 30 s, each spread over its last half, so
 * that clients started together do not come back together.
 */
static void
events__backoff__offline_start_waits_vary_within_bounds(void **state)
{
	static const long long most[] = { 1000,  2000,  4000, 8000,
		                          16000, 30000, 30000 };
	uint32_t rnd = 2463534242u;
	size_t f, i;

	(void)state;
	for (f = 0; f < sizeof most / sizeof most[0]; f++) {
		long long lo = most[f], hi = 0;

		for (i = 0; i < 200; i++) {
			long long d;

			rnd ^= rnd << 13; /* xorshift32: spread-out values */
			rnd ^= rnd >> 17;
			rnd ^= rnd << 5;
			d = events_backoff_ms((int)f + 1, 1000, 30000, rnd);
			assert_in_range(d, most[f] / 2, most[f]);
			lo = d < lo ? d : lo;
			hi = d > hi ? d : hi;
		}
		/* They vary: over most of the half they may spread over. */
		assert_true(hi - lo > most[f] / 2 * 8 / 10);
	}
}

static void
events__final_errors__only_401_and_403(void **state)
{
	struct sc_error e = { 0 };

	(void)state;
	sc_error_set(&e, SC_ERR_SESSION_EXPIRED, "x");
	assert_true(events_error_is_final(&e));
	sc_error_set(&e, SC_ERR_NOT_SIGNED_IN, "x");
	assert_true(events_error_is_final(&e));
	sc_error_set(&e, SC_ERR_FORBIDDEN, "x");
	assert_true(events_error_is_final(&e));
	sc_error_set(&e, SC_ERR_NETWORK, "x");
	assert_false(events_error_is_final(&e));
	sc_error_set(&e, SC_ERR_SERVER, "x");
	e.http_status = 503;
	assert_false(events_error_is_final(&e));
	sc_error_set(&e, SC_ERR_NOT_FOUND, "x");
	e.http_status = 404;
	assert_false(events_error_is_final(&e));
	sc_error_clear(&e);
}

/* fake_open, but a failure comes without a reason. */
static void *
mute_open(void *ud, const char *const *headers, struct events *ev,
          struct sc_error *err)
{
	struct sc_error quiet = { 0 };
	void *h = fake_open(ud, headers, ev, &quiet);

	(void)err;
	sc_error_clear(&quiet);
	return h;
}

static const struct events_transport mute_transport = {
	.open = mute_open,
	.close = fake_close,
};

static void
events__open_failure__without_a_reason_still_said_and_retried(void **state)
{
	struct fake f = { 0 };
	struct events *ev = make_on(&f, NULL, &mute_transport);

	(void)state;
	fail_first_open(&f, ev);
	/* The loop was away longer than the wait: due at once. */
	f.now += 5000;
	assert_int_equal(events_timeout_ms(ev), 0);
	events_free(ev);
}

static void
events__stopped__late_open_and_bytes_ignored(void **state)
{
	struct fake f = { 0 };
	struct events *ev = make(&f, NULL);
	int states;

	(void)state;
	events_start(ev);
	events_stop(ev);
	states = f.nstates;
	/* What the transport still had in hand arrives after the stop. */
	events_stream_open(ev, 200);
	feed(ev, "id: 1\nevent: message.created\ndata: " MSG_DATA "\n\n");
	assert_int_equal(events_state(ev), EVENTS_OFFLINE);
	assert_int_equal(f.nevents, 0);
	assert_int_equal(f.nstates, states);
	assert_string_equal(events_last_id(ev), ""); /* id 1 never read */
	events_free(ev);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(events__start__opens_without_last_event_id),
		cmocka_unit_test(events__data__delivers_typed_events_with_ids),
		cmocka_unit_test(
		    events__unknown_and_malformed__skipped_but_id_kept),
		cmocka_unit_test(events__resync__delivered_as_its_own_kind),
		cmocka_unit_test(
		    events__end__reconnects_after_backoff_with_last_event_id),
		cmocka_unit_test(events__source__lends_its_timer_to_the_loop),
		cmocka_unit_test(
		    events__failures__wait_longer_each_time_until_online),
		cmocka_unit_test(events__retry_field__is_the_backoff_base),
		cmocka_unit_test(
		    events__rate_limited__waits_at_least_retry_after),
		cmocka_unit_test(
		    events__silence__45_seconds_is_a_dead_connection),
		cmocka_unit_test(events__silence__while_connecting_counts_too),
		cmocka_unit_test(
		    events__partial_event__not_counted_on_reconnect),
		cmocka_unit_test(
		    events__session_expired__goes_offline_and_stays),
		cmocka_unit_test(events__forbidden__goes_offline),
		cmocka_unit_test(events__stop_from_callback__stops_the_feed),
		cmocka_unit_test(events__open_failure__schedules_a_retry),
		cmocka_unit_test(events__oversized_event__drops_and_reconnects),
		cmocka_unit_test(events__backoff__doubles_caps_and_jitters),
		cmocka_unit_test(
		    events__backoff__offline_start_waits_vary_within_bounds),
		cmocka_unit_test(events__final_errors__only_401_and_403),
		cmocka_unit_test(
		    events__open_failure__without_a_reason_still_said_and_retried),
		cmocka_unit_test(events__stopped__late_open_and_bytes_ignored),
	};

	return cmocka_run_group_tests_name("net/events", tests, NULL, NULL);
}
