/* `sitecare reply`, `comment` and `outbox`: sending through the outbox. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cJSON.h>
#include <sodium.h>

#include "net/client/api.h"
#include "net/client/http.h"
#include "net/base/loop.h"
#include "net/store/outbox.h"
#include "net/store/sender.h"
#include "net/base/xmalloc.h"
#include "tui/cmd/cmd_outbox_list.h"
#include "tui/cmd/cmd_owner.h"
#include "tui/cmd/cmd_stream.h"

/* How long reply and comment keep trying before leaving it queued. */
#define SUBMIT_TIMEOUT_MS 60000LL
/* flush's default bound. */
#define FLUSH_TIMEOUT_S 60L

/*
 * One command's run: the client, this service's outbox and the sender
 * over them, and who GET /me said is signed in (me). `mine` is the item
 * reply/comment queued; `resolved` is set when it was sent or could not
 * be sent now.
 */
struct run {
	struct api *a;
	struct outbox *ob;
	struct sender *s;
	struct loop *loop; /* lent the api's and the sender's sources */
	struct outbox_owner me;
	char mine[UUID_STRLEN + 1];
	enum outbox_kind mine_kind;
	long long mine_target;
	struct outbox_item *item; /* a copy of mine as queued */
	bool resolved;
	bool verbose; /* flush: report every item's retries too */
	int sent;
	int rc;
};

/* Prints the server's copy of a sent item as one JSON line on stdout. */
static void
print_sent(const struct sender_report *r)
{
	cJSON *o = cJSON_CreateObject();

	if (r->message != NULL) {
		cJSON_AddNumberToObject(o, "id", (double)r->message->id);
		cJSON_AddNumberToObject(o, "conversation_id",
		                        (double)r->message->conversation_id);
	} else if (r->comment != NULL) {
		cJSON_AddNumberToObject(o, "id", (double)r->comment->id);
		cJSON_AddNumberToObject(o, "task_id",
		                        (double)r->item->target_id);
	}
	cJSON_AddStringToObject(o, "client_msg_id", r->item->id);
	cmd_print_json_line(o);
}

/* What an item is, in words: "message 3f2a... to conversation 7". */
static void
describe(const struct outbox_item *it, char *out, size_t len)
{
	snprintf(out, len, "%s %s to %s %lld",
	         it->kind == OUTBOX_COMMENT ? "comment" : "message", it->id,
	         it->kind == OUTBOX_COMMENT ? "task" : "conversation",
	         it->target_id);
}

/* The sender's news: printed, and the run's outcome updated. */
static void
on_report(const struct sender_report *r, void *ud)
{
	struct run *run = ud;
	bool mine = strcmp(r->item->id, run->mine) == 0;
	/* an earlier item of the same conversation or task: ours waits
	   behind it, so its failing to go now is ours too */
	bool ahead = !mine && run->mine[0] != '\0' &&
	             r->item->kind == run->mine_kind &&
	             r->item->target_id == run->mine_target;
	char what[128];

	describe(r->item, what, sizeof what);
	switch (r->outcome) {
	case SENDER_SENT:
		run->sent++;
		if (mine)
			print_sent(r);
		else
			fprintf(stderr, "sitecare: sent %s\n", what);
		break;
	case SENDER_RETRYING:
		if (!mine && !ahead && !run->verbose)
			break;
		fprintf(stderr, "sitecare: could not send %s now:\n", what);
		cmd_print_error(r->err);
		break;
	case SENDER_PAUSED:
	case SENDER_FAILED:
		fprintf(stderr, "sitecare: %s %s:\n",
		        r->outcome == SENDER_PAUSED ? "paused" : "refused",
		        what);
		cmd_print_error(r->err);
		break;
	}
	if (mine) {
		run->resolved = true;
		run->rc = r->outcome == SENDER_SENT ? CMD_OK : CMD_FAILED;
	} else if ((ahead && r->outcome == SENDER_RETRYING) ||
	           r->outcome == SENDER_PAUSED) {
		run->resolved = true; /* ours cannot go now either */
		run->rc = CMD_FAILED;
	}
}

/* Opens the api, this service's outbox and a sender; prints why not. */
static int
run_open(struct run *run, struct cmd_ctx *ctx)
{
	struct sc_error err = { 0 };
	struct sender_config cfg = { 0 };
	struct loop_source src;

	memset(run, 0, sizeof *run);
	run->a = cmd_api_new(ctx);
	if (run->a == NULL)
		return -1;
	run->ob = outbox_open_service(NULL, api_url(run->a), &err);
	if (run->ob == NULL) {
		cmd_print_error(&err);
		sc_error_clear(&err);
		return -1;
	}
	cfg.transport = sender_api_transport();
	cfg.transport_ud = run->a;
	cfg.report = on_report;
	cfg.report_ud = run;
	run->s = sender_new(run->ob, &cfg);
	run->loop = loop_new();
	src = api_source(run->a);
	loop_add_source(run->loop, &src);
	src = sender_source(run->s);
	loop_add_source(run->loop, &src);
	return 0;
}

/*
 * Names each item file the last outbox_list refused (not private), why,
 * and the two ways out; returns how many there were.
 */
static size_t
print_refused(const struct run *run)
{
	size_t n, i;
	const struct outbox_refusal *r = outbox_refused(run->ob, &n);

	for (i = 0; i < n; i++)
		cmd_outbox_list_say_refused(&r[i]);
	return n;
}

/* Frees what run_open made (any of it may be missing). */
static void
run_close(struct run *run)
{
	loop_free(run->loop);
	sender_free(run->s);
	api_free(run->a);
	outbox_free(run->ob);
	outbox_owner_clear(&run->me);
	outbox_item_free(run->item);
}

/*
 * Asks who is signed in (retrying until deadline when retry), into
 * run->me. Prints why not, leaving the error in err.
 */
static int
run_whoami(struct run *run, bool retry, long long deadline,
           struct sc_error *err)
{
	if (cmd_owner_fetch(run->loop, run->a, run->ob, retry, deadline,
	                    &run->me, err) == 0)
		return 0;
	cmd_print_error(err);
	return -1;
}

/* Makes run->me the sender's owner and loads the outbox. */
static int
run_start(struct run *run)
{
	struct sc_error err = { 0 };

	sender_set_owner(run->s, &run->me);
	if (sender_start(run->s, &err) == 0)
		return 0;
	cmd_print_error(&err);
	sc_error_clear(&err);
	return -1;
}

/* Says every item of this outbox the sender holds back, and why. */
static void
say_held_back(const struct run *run)
{
	const struct outbox_item *it;
	const char *why = NULL;
	size_t i;

	for (i = 0; (it = sender_held_back_item(run->s, i, &why)) != NULL; i++)
		cmd_outbox_list_say_held(it, why);
}

/* True (with a message) when read-only mode forbids sending. */
static bool
refuse_readonly(const struct cmd_ctx *ctx, const char *what)
{
	if (!ctx->o->readonly && !ctx->cfg.readonly)
		return false;
	fprintf(stderr, "sitecare: %s: read-only mode: nothing is sent\n",
	        what);
	return true;
}

/* ---- reply and comment -------------------------------------------------- */

/* Reads the text from stdin (one trailing newline dropped). */
static char *
read_stdin_text(void)
{
	char *buf = cmd_read_stdin(HTTP_MAX_BODY);
	size_t len = buf != NULL ? strlen(buf) : 0;

	if (len > 0 && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	return buf;
}

/* True once reply/comment's item is settled and nothing is in flight. */
static bool
submit_done(void *ud)
{
	const struct run *run = ud;

	return run->resolved && sender_in_flight(run->s) == 0;
}

/*
 * Queues reply/comment's item on disk, as the member last signed in on
 * this service (or, none being known, as nobody yet: mine_claim names
 * them once the service says who it is). Prints why not.
 */
static int
queue_mine(struct run *run, enum outbox_kind kind, long long target,
           bool internal, const char *text)
{
	struct sc_error err = { 0 };
	struct outbox_owner last;

	if (outbox_last_owner(run->ob, &last) != 0)
		outbox_owner_init(&last, api_url(run->a), 0, NULL);
	outbox_set_owner(run->ob, &last);
	outbox_owner_clear(&last);
	run->mine_kind = kind;
	run->mine_target = target;
	if (outbox_add(run->ob, kind, target, internal, text, &run->item,
	               &err) != 0) {
		cmd_print_error(&err);
		sc_error_clear(&err);
		return -1;
	}
	memcpy(run->mine, run->item->id, sizeof run->mine);
	return 0;
}

/*
 * Names the member in mine when it was queued as nobody yet: it was
 * typed in this run, against this service, whose session is run->me's.
 */
static void
mine_claim(struct run *run)
{
	struct sc_error err = { 0 };

	if (run->item->owner.staff_id > 0)
		return;
	outbox_owner_clear(&run->item->owner);
	outbox_owner_copy(&run->item->owner, &run->me);
	if (outbox_update(run->ob, run->item, &err) != 0) {
		cmd_print_error(&err);
		sc_error_clear(&err);
	}
}

/*
 * Counts a failed attempt on mine: the service could not be reached to
 * ask who is signed in, so it could not be sent. It then waits its
 * backoff like an item whose POST failed.
 */
static void
mine_count_attempt(struct run *run, const struct sc_error *why)
{
	struct sc_error err = { 0 };
	struct outbox_item *it = run->item;

	it->attempts++;
	it->next_attempt_at =
	    (long long)time(NULL) +
	    (outbox_backoff_ms(it->attempts, randombytes_random()) + 999) /
	        1000;
	free(it->last_error);
	it->last_error = xstrdup(why->message != NULL ? why->message : "");
	if (outbox_update(run->ob, it, &err) != 0)
		sc_error_clear(&err); /* the item is on disk all the same */
}

/* Whether the sender holds mine back (saying why: held_back says it). */
static bool
mine_held(const struct run *run)
{
	const struct outbox_item *it;
	size_t i;

	for (i = 0; (it = sender_held_back_item(run->s, i, NULL)) != NULL; i++)
		if (strcmp(it->id, run->mine) == 0)
			return true;
	return false;
}

/*
 * Once the service said who is signed in: sends mine, after what is due
 * before it in its conversation or task, unless it is held back.
 */
static void
submit_send(struct run *run)
{
	mine_claim(run);
	if (run_start(run) != 0)
		return;
	say_held_back(run);
	print_refused(run);
	if (mine_held(run))
		return;
	sender_flush(run->s, false); /* we are online: earlier ones now */
	if (loop_run_until(run->loop, submit_done, run,
	                   loop_now_ms() + SUBMIT_TIMEOUT_MS) < 0)
		fputs("sitecare: the event loop failed\n", stderr);
}

/*
 * reply and comment: queue (on disk first), ask who is signed in, then
 * send everything of theirs due, this item in its conversation's or
 * task's order.
 */
static int
submit(struct cmd_ctx *ctx, enum outbox_kind kind, long long target,
       bool internal, const char *text)
{
	struct sc_error err = { 0 };
	struct run run;
	int rc;

	if (run_open(&run, ctx) != 0) {
		run_close(&run);
		return CMD_USAGE;
	}
	if (queue_mine(&run, kind, target, internal, text) != 0) {
		run_close(&run);
		return CMD_FAILED;
	}
	run.rc = CMD_FAILED;
	if (run_whoami(&run, false, 0, &err) == 0)
		submit_send(&run);
	else if (sender_error_is_transient(&err))
		mine_count_attempt(&run, &err);
	sc_error_clear(&err);
	if (run.rc != CMD_OK)
		fprintf(stderr,
		        "sitecare: the %s is kept in the outbox (%s); it will "
		        "be sent later: run `sitecare outbox flush`\n",
		        kind == OUTBOX_COMMENT ? "comment" : "message",
		        run.mine);
	rc = run.rc;
	run_close(&run);
	return rc;
}

/* The text argument: argv[i], or stdin for "-" or none. */
static char *
take_text(int argc, char **argv, int i)
{
	char *text;

	if (i < argc && strcmp(argv[i], "-") != 0)
		return xstrdup(argv[i]);
	text = read_stdin_text();
	if (text == NULL)
		fputs("sitecare: the text on stdin is too large\n", stderr);
	return text;
}

/* Runs reply or comment once the arguments are read. */
static int
submit_args(struct cmd_ctx *ctx, enum outbox_kind kind, const char *id_arg,
            bool internal, int argc, char **argv, int text_at,
            const char *usage)
{
	long long target = id_arg != NULL ? cmd_parse_id(id_arg) : -1;
	char *text;
	int rc;

	if (target < 0 || text_at + 1 < argc) {
		fputs(usage, stderr);
		return CMD_USAGE;
	}
	if (refuse_readonly(ctx, kind == OUTBOX_COMMENT ? "comment" : "reply"))
		return CMD_USAGE;
	text = take_text(argc, argv, text_at);
	if (text == NULL)
		return CMD_USAGE;
	if (text[0] == '\0') {
		fputs("sitecare: nothing to send: the text is empty\n", stderr);
		free(text);
		return CMD_USAGE;
	}
	rc = submit(ctx, kind, target, internal, text);
	free(text);
	return rc;
}

int
cmd_reply(struct cmd_ctx *ctx, int argc, char **argv)
{
	return submit_args(ctx, OUTBOX_MESSAGE, argc > 1 ? argv[1] : NULL,
	                   false, argc, argv, 2, CMD_REPLY_USAGE);
}

int
cmd_comment(struct cmd_ctx *ctx, int argc, char **argv)
{
	char *args[4] = { NULL };
	bool internal = false;
	int i, n = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--internal") == 0)
			internal = true;
		else if (n < 3)
			args[n++] = argv[i];
		else
			n = 4;
	}
	if (n < 1 || n > 2) {
		fputs(CMD_COMMENT_USAGE, stderr);
		return CMD_USAGE;
	}
	/* args: TASK_ID [TEXT]; the text, if any, is at index 1 */
	return submit_args(ctx, OUTBOX_COMMENT, args[0], internal, n, args, 1,
	                   CMD_COMMENT_USAGE);
}

/* ---- outbox list / flush / discard -------------------------------------- */

/* True when flush has nothing more to do now. */
static bool
flush_done(void *ud)
{
	const struct run *run = ud;

	return (sender_pending(run->s) == 0 || sender_paused(run->s)) &&
	       sender_in_flight(run->s) == 0;
}

/*
 * Says what flush leaves: items of this owner not sent, and items held
 * back (another member's here, or in other services' outboxes).
 * Returns flush's status: 0 when none of this owner's is left.
 */
static int
flush_summary(struct run *run)
{
	/* A file held for not being private waits for its owner to fix it. */
	size_t left =
	    sender_pending(run->s) + sender_failed(run->s) + print_refused(run);
	size_t held = sender_held_back(run->s);

	say_held_back(run);
	held += cmd_outbox_list_held_elsewhere(&run->me, outbox_dir(run->ob));
	if (held > 0)
		fprintf(stderr,
		        "sitecare: %zu item%s held back, not sent: queued for "
		        "another service or as another staff member than %s "
		        "on %s (`sitecare outbox discard ID` drops one)\n",
		        held, held == 1 ? "" : "s",
		        run->me.email != NULL ? run->me.email : "you",
		        run->me.service);
	if (left == 0) {
		fprintf(stderr, "sitecare: %s (%d sent)\n",
		        held > 0 ? "nothing of yours left to send here"
		                 : "outbox empty",
		        run->sent);
		return CMD_OK;
	}
	fprintf(stderr,
	        "sitecare: %zu item%s still in the outbox (%d sent); see "
	        "`sitecare outbox list`\n",
	        left, left == 1 ? "" : "s", run->sent);
	return CMD_FAILED;
}

/*
 * outbox flush: asks who is signed in, then sends all of their items
 * now, retried until none is left or the deadline.
 */
static int
do_flush(struct run *run, long timeout_s)
{
	long long deadline = loop_now_ms() + timeout_s * 1000LL;
	struct sc_error err = { 0 };
	int rc = 0;

	run->verbose = true;
	if (run_whoami(run, true, deadline, &err) != 0 || run_start(run) != 0)
		rc = -1;
	sc_error_clear(&err);
	if (rc != 0) {
		fputs("sitecare: nothing was sent; the outbox is kept\n",
		      stderr);
		return CMD_FAILED;
	}
	sender_flush(run->s, true);
	if (loop_run_until(run->loop, flush_done, run, deadline) < 0)
		fputs("sitecare: the event loop failed\n", stderr);
	return flush_summary(run);
}

/* flush's options: [--timeout S]; -1 on a usage error. */
static long
flush_timeout(int argc, char **argv)
{
	char *end;
	long v;

	if (argc == 2)
		return FLUSH_TIMEOUT_S;
	if (argc != 4 || strcmp(argv[2], "--timeout") != 0)
		return -1;
	errno = 0;
	v = strtol(argv[3], &end, 10);
	if (errno != 0 || *end != '\0' || v < 1 || v > 86400)
		return -1;
	return v;
}

int
cmd_outbox(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *verb = argc > 1 ? argv[1] : "list";
	bool json = argc == 3 && strcmp(argv[2], "--json") == 0;
	bool flush = strcmp(verb, "flush") == 0;
	long timeout = flush ? flush_timeout(argc, argv) : 0;
	struct run run;
	int rc;

	if ((strcmp(verb, "list") == 0 && argc > 2 && !json) ||
	    (flush && timeout < 0) ||
	    (strcmp(verb, "discard") == 0 && argc != 3)) {
		fputs(CMD_OUTBOX_USAGE, stderr);
		return CMD_USAGE;
	}
	if (strcmp(verb, "list") != 0 && refuse_readonly(ctx, "outbox"))
		return CMD_USAGE;
	if (strcmp(verb, "list") == 0)
		return cmd_outbox_list_print(ctx, json);
	if (strcmp(verb, "discard") == 0)
		return cmd_outbox_list_discard(argv[2]);
	if (!flush) {
		fputs(CMD_OUTBOX_USAGE, stderr);
		return CMD_USAGE;
	}
	if (run_open(&run, ctx) != 0) {
		run_close(&run);
		return CMD_USAGE;
	}
	rc = do_flush(&run, timeout);
	run_close(&run);
	return rc;
}
