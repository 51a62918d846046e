/* `sitecare reply`, `comment` and `outbox`: sending through the outbox. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cJSON.h>

#include "net/api.h"
#include "net/http.h"
#include "net/outbox.h"
#include "net/sender.h"
#include "net/xmalloc.h"
#include "tui/cmd_stream.h"
#include "tui/sanitize.h"

/* More sockets than one command ever opens. */
#define OUTBOX_MAX_FDS 64
/* How long reply and comment keep trying before leaving it queued. */
#define SUBMIT_TIMEOUT_MS 60000LL
/* flush's default bound. */
#define FLUSH_TIMEOUT_S 60L

/*
 * One command's run: the client, the outbox and the sender over them.
 * `mine` is the item reply/comment queued; `resolved` is set when it was
 * sent or could not be sent now.
 */
struct run {
	struct api *a;
	struct outbox *ob;
	struct sender *s;
	char mine[UUID_STRLEN + 1];
	enum outbox_kind mine_kind;
	long long mine_target;
	bool resolved;
	bool verbose; /* flush: report every item's retries too */
	int sent;
	int rc;
};

/* CLOCK_MONOTONIC in milliseconds: the commands' deadlines. */
static long long
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Prints the server's copy of a sent item as one JSON line on stdout. */
static void
print_sent(const struct sender_report *r)
{
	cJSON *o = cJSON_CreateObject();
	char *text;

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
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (text == NULL)
		abort();
	puts(text);
	fflush(stdout);
	free(text);
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

/* Opens the outbox and a sender over the api; prints why not. */
static int
run_open(struct run *run, struct cmd_ctx *ctx, bool need_api)
{
	struct sc_error err = { 0 };
	struct sender_config cfg = { 0 };

	memset(run, 0, sizeof *run);
	run->ob = outbox_open(NULL, &err);
	if (run->ob == NULL) {
		cmd_print_error(&err);
		sc_error_clear(&err);
		return -1;
	}
	if (!need_api)
		return 0;
	run->a = cmd_api_new(ctx);
	if (run->a == NULL)
		return -1;
	cfg.transport = sender_api_transport();
	cfg.transport_ud = run->a;
	cfg.report = on_report;
	cfg.report_ud = run;
	run->s = sender_new(run->ob, &cfg);
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
		fprintf(stderr,
		        "sitecare: outbox item %s is held, not sent: %s; or "
		        "`sitecare outbox discard %s`\n",
		        r[i].id, r[i].why, r[i].id);
	return n;
}

/* Frees what run_open made (any of it may be missing). */
static void
run_close(struct run *run)
{
	sender_free(run->s);
	api_free(run->a);
	outbox_free(run->ob);
}

/*
 * Drives the api and the sender until done(run) or the deadline (on the
 * monotonic clock). Returns 0, or -1 when poll fails.
 */
static int
run_until(struct run *run, bool (*done)(const struct run *run),
          long long deadline)
{
	struct pollfd fds[OUTBOX_MAX_FDS];
	int n, timeout, st;
	long long left;

	while (!done(run) && (left = deadline - mono_ms()) > 0) {
		n = api_pollfds(run->a, fds, OUTBOX_MAX_FDS);
		timeout = api_timeout_ms(run->a);
		st = sender_timeout_ms(run->s);
		if (st >= 0 && (timeout < 0 || st < timeout))
			timeout = st;
		if (timeout < 0 || timeout > left)
			timeout = (int)left;
		if (poll(fds, (nfds_t)n, timeout) < 0 && errno != EINTR)
			return -1;
		api_dispatch(run->a, fds, n);
		sender_tick(run->s);
	}
	return 0;
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
	size_t len = 0, cap = 4096, n;
	char *buf = xmalloc(cap);

	while ((n = fread(buf + len, 1, cap - len - 1, stdin)) > 0) {
		len += n;
		if (len + 1 == cap) {
			if (cap > HTTP_MAX_BODY) {
				free(buf);
				return NULL;
			}
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
	}
	buf[len] = '\0';
	if (len > 0 && buf[len - 1] == '\n')
		buf[--len] = '\0';
	return buf;
}

/* A positive id from the command line, or -1. */
static long long
parse_id(const char *s)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 1)
		return -1;
	return v;
}

/* True once reply/comment's item is settled and nothing is in flight. */
static bool
submit_done(const struct run *run)
{
	return run->resolved && sender_in_flight(run->s) == 0;
}

/*
 * reply and comment: queue (on disk first), then send everything due,
 * this item in its conversation's or task's order.
 */
static int
submit(struct cmd_ctx *ctx, enum outbox_kind kind, long long target,
       bool internal, const char *text)
{
	struct run run;
	struct sc_error err = { 0 };
	int rc;

	if (run_open(&run, ctx, true) != 0) {
		run_close(&run);
		return CMD_USAGE;
	}
	run.rc = CMD_FAILED;
	run.mine_kind = kind;
	run.mine_target = target;
	if (sender_start(run.s, &err) != 0 ||
	    sender_submit(run.s, kind, target, internal, text, run.mine,
	                  &err) != 0) {
		cmd_print_error(&err);
		sc_error_clear(&err);
		run_close(&run);
		return CMD_FAILED;
	}
	print_refused(&run);
	sender_flush(run.s, false); /* we are online: earlier ones now */
	if (run_until(&run, submit_done, mono_ms() + SUBMIT_TIMEOUT_MS) != 0)
		fputs("sitecare: the event loop failed\n", stderr);
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
	long long target = id_arg != NULL ? parse_id(id_arg) : -1;
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

/* The first line of body, sanitised and cut to 60 columns' worth. */
static char *
first_line(const char *body)
{
	size_t n = strcspn(body, "\r\n");
	char *line = sanitize(body, n, SANITIZE_TABS_AS_SPACE);

	if (strlen(line) > 60) {
		size_t cut = 60;

		while (cut > 0 && ((unsigned char)line[cut] & 0xc0) == 0x80)
			cut--; /* not inside a UTF-8 sequence */
		memcpy(line + cut, "...", 4);
	}
	return line;
}

/* One item as a JSON line (--json). */
static void
print_item_json(const struct outbox_item *it)
{
	cJSON *o = cJSON_CreateObject();
	char *text;

	cJSON_AddStringToObject(o, "id", it->id);
	cJSON_AddStringToObject(
	    o, "kind", it->kind == OUTBOX_COMMENT ? "comment" : "message");
	cJSON_AddNumberToObject(o, "target_id", (double)it->target_id);
	cJSON_AddBoolToObject(o, "internal", it->internal);
	cJSON_AddNumberToObject(o, "attempts", it->attempts);
	cJSON_AddStringToObject(o, "state",
	                        it->next_attempt_at >= SENDER_HELD ? "failed"
	                                                           : "pending");
	if (it->last_error != NULL)
		cJSON_AddStringToObject(o, "last_error", it->last_error);
	else
		cJSON_AddNullToObject(o, "last_error");
	cJSON_AddStringToObject(o, "body", it->body);
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (text == NULL)
		abort();
	puts(text);
	free(text);
}

/* One item as a tab-separated line. */
static void
print_item(const struct outbox_item *it)
{
	char *err = sanitize_str(it->last_error != NULL ? it->last_error : "-",
	                         SANITIZE_TABS_AS_SPACE);
	char *line = first_line(it->body);

	printf("%s\t%s\t%lld\t%d\t%s\t%s\t%s\n", it->id,
	       it->kind == OUTBOX_COMMENT
	           ? (it->internal ? "internal-comment" : "comment")
	           : "message",
	       it->target_id, it->attempts,
	       it->next_attempt_at >= SENDER_HELD ? "failed" : "pending", err,
	       line);
	free(err);
	free(line);
}

/* outbox list: one line per item, oldest first. */
static int
do_list(struct run *run, bool json)
{
	struct outbox_item *items;
	size_t n, i;
	struct sc_error err = { 0 };

	if (outbox_list(run->ob, &items, &n, &err) != 0) {
		cmd_print_error(&err);
		sc_error_clear(&err);
		return CMD_FAILED;
	}
	for (i = 0; i < n; i++)
		if (json)
			print_item_json(&items[i]);
		else
			print_item(&items[i]);
	fflush(stdout);
	if (outbox_corrupt_count(run->ob) > 0)
		fprintf(stderr,
		        "sitecare: %zu unreadable outbox files were set aside "
		        "as *.corrupt in %s\n",
		        outbox_corrupt_count(run->ob), outbox_dir(run->ob));
	print_refused(run);
	outbox_items_free(items, n);
	return CMD_OK;
}

/* True when flush has nothing more to do now. */
static bool
flush_done(const struct run *run)
{
	return (sender_pending(run->s) == 0 || sender_paused(run->s)) &&
	       sender_in_flight(run->s) == 0;
}

/* outbox flush: everything now, retried until empty or the deadline. */
static int
do_flush(struct run *run, long timeout_s)
{
	struct sc_error err = { 0 };
	size_t left;

	run->verbose = true;
	if (sender_start(run->s, &err) != 0) {
		cmd_print_error(&err);
		sc_error_clear(&err);
		return CMD_FAILED;
	}
	sender_flush(run->s, true);
	if (run_until(run, flush_done, mono_ms() + timeout_s * 1000LL) != 0)
		fputs("sitecare: the event loop failed\n", stderr);
	left =
	    sender_pending(run->s) + sender_failed(run->s) + print_refused(run);
	if (left == 0) {
		fprintf(stderr, "sitecare: outbox empty (%d sent)\n",
		        run->sent);
		return CMD_OK;
	}
	fprintf(stderr,
	        "sitecare: %zu item%s still in the outbox (%d sent); see "
	        "`sitecare outbox list`\n",
	        left, left == 1 ? "" : "s", run->sent);
	return CMD_FAILED;
}

/* outbox discard ID: drops one item unsent. */
static int
do_discard(struct run *run, const char *id)
{
	struct outbox_item *items;
	const struct outbox_refusal *refused;
	size_t n, i;
	bool found = false;
	struct sc_error err = { 0 };

	if (!uuid_valid(id) || outbox_list(run->ob, &items, &n, &err) != 0) {
		sc_error_clear(&err);
		fprintf(stderr, "sitecare: no outbox item %s\n", id);
		return CMD_FAILED;
	}
	for (i = 0; i < n; i++)
		found = found || strcmp(items[i].id, id) == 0;
	outbox_items_free(items, n);
	refused = outbox_refused(run->ob, &n); /* held files go too */
	for (i = 0; i < n; i++)
		found = found || strcmp(refused[i].id, id) == 0;
	if (!found) {
		fprintf(stderr, "sitecare: no outbox item %s\n", id);
		return CMD_FAILED;
	}
	if (outbox_remove(run->ob, id, &err) != 0) {
		cmd_print_error(&err);
		sc_error_clear(&err);
		return CMD_FAILED;
	}
	fprintf(stderr, "sitecare: discarded %s\n", id);
	return CMD_OK;
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
	int rc = CMD_USAGE;

	if ((strcmp(verb, "list") == 0 && argc > 2 && !json) ||
	    (flush && timeout < 0) ||
	    (strcmp(verb, "discard") == 0 && argc != 3)) {
		fputs(CMD_OUTBOX_USAGE, stderr);
		return CMD_USAGE;
	}
	if (strcmp(verb, "list") != 0 && refuse_readonly(ctx, "outbox"))
		return CMD_USAGE;
	if (run_open(&run, ctx, flush) != 0) {
		run_close(&run);
		return flush ? CMD_USAGE : CMD_FAILED;
	}
	if (strcmp(verb, "list") == 0)
		rc = do_list(&run, json);
	else if (flush)
		rc = do_flush(&run, timeout);
	else if (strcmp(verb, "discard") == 0)
		rc = do_discard(&run, argv[2]);
	else
		fputs(CMD_OUTBOX_USAGE, stderr);
	run_close(&run);
	return rc;
}
