/* `sitecare outbox list` and `discard` over every folder: see the header. */
#include "tui/cmd/cmd_outbox_list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cJSON.h>

#include "net/client/http.h"
#include "net/store/sender.h"
#include "net/base/xmalloc.h"
#include "tui/sanitize.h"

/* What to do with each item of a walk; ud is the walk's caller's. */
typedef void (*item_fn)(const struct outbox_item *it, const char *dir,
                        void *ud);
/* And with each item file the folder refused (not private); may be NULL. */
typedef void (*refused_fn)(const struct outbox_refusal *r, const char *dir,
                           void *ud);

/* Calls rfn for each file ob's last outbox_list refused. */
static void
walk_refused(const struct outbox *ob, refused_fn rfn, const char *dir, void *ud)
{
	size_t n, i;
	const struct outbox_refusal *r = outbox_refused(ob, &n);

	for (i = 0; rfn != NULL && i < n; i++)
		rfn(&r[i], dir, ud);
}

/*
 * Calls fn for every item of every outbox folder, oldest first within
 * each, and rfn for every item file refused as not private, saying on
 * stderr where files were set aside as corrupt. Returns 0, or -1 with
 * err set when the outbox cannot be read at all.
 */
static int
walk(item_fn fn, refused_fn rfn, void *ud, struct sc_error *err)
{
	size_t nd, d, n, i;
	char **dirs = outbox_folders(NULL, &nd, err);
	struct outbox_item *items;
	struct outbox *ob;

	if (dirs == NULL)
		return -1;
	for (d = 0; d < nd; d++) {
		ob = outbox_open(dirs[d], err);
		if (ob != NULL && outbox_list(ob, &items, &n, err) == 0) {
			for (i = 0; i < n; i++)
				fn(&items[i], dirs[d], ud);
			outbox_items_free(items, n);
			walk_refused(ob, rfn, dirs[d], ud);
		}
		if (ob != NULL && outbox_corrupt_count(ob) > 0)
			fprintf(
			    stderr,
			    "sitecare: %zu unreadable outbox files were set "
			    "aside as *.corrupt in %s\n",
			    outbox_corrupt_count(ob), outbox_dir(ob));
		sc_error_clear(err); /* one bad folder hides no other */
		outbox_free(ob);
		free(dirs[d]);
	}
	free(dirs);
	return 0;
}

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

/* An item's state word: held back, failed for good, or pending. */
static const char *
state_word(const struct outbox_item *it, const char *held)
{
	if (held != NULL)
		return "held";
	return it->next_attempt_at >= SENDER_HELD ? "failed" : "pending";
}

/* s as a JSON string, or null for NULL. */
static cJSON *
str_or_null(const char *s)
{
	return s != NULL ? cJSON_CreateString(s) : cJSON_CreateNull();
}

/* One item as a JSON line (--json); held is why it is held back. */
static void
print_item_json(const struct outbox_item *it, const char *held)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "id", it->id);
	cJSON_AddStringToObject(
	    o, "kind", it->kind == OUTBOX_COMMENT ? "comment" : "message");
	cJSON_AddNumberToObject(o, "target_id", (double)it->target_id);
	cJSON_AddBoolToObject(o, "internal", it->internal);
	cJSON_AddNumberToObject(o, "attempts", it->attempts);
	cJSON_AddStringToObject(o, "state", state_word(it, held));
	cJSON_AddItemToObject(o, "last_error", str_or_null(it->last_error));
	cJSON_AddStringToObject(o, "body", it->body);
	outbox_owner_to_json(o, &it->owner);
	cJSON_AddItemToObject(o, "held", str_or_null(held));
	cJSON_AddNumberToObject(o, "created_at", (double)it->created_at);
	cmd_print_json_line(o);
}

/* s sanitised for one tab-separated field, "-" for NULL. */
static char *
field(const char *s)
{
	return sanitize_str(s != NULL ? s : "-", SANITIZE_TABS_AS_SPACE);
}

/* One item as a tab-separated line. */
static void
print_item(const struct outbox_item *it, const char *held)
{
	char *why = field(held != NULL ? held : it->last_error);
	char *service = field(it->owner.service);
	char *staff = field(it->owner.email);
	char *line = first_line(it->body);

	printf("%s\t%s\t%lld\t%d\t%s\t%s\t%s\t%s\t%s\n", it->id,
	       it->kind == OUTBOX_COMMENT
	           ? (it->internal ? "internal-comment" : "comment")
	           : "message",
	       it->target_id, it->attempts, state_word(it, held), service,
	       staff, why, line);
	free(why);
	free(service);
	free(staff);
	free(line);
}

/* What list compares the items with, and how it prints them. */
struct list_walk {
	struct outbox_owner now;
	bool json;
};

static void
list_one(const struct outbox_item *it, const char *dir, void *ud)
{
	struct list_walk *w = ud;
	char *held = outbox_owner_refusal(&it->owner, &w->now);

	if (w->json)
		print_item_json(it, held);
	else
		print_item(it, held);
	free(held);
}

static void
list_refused(const struct outbox_refusal *r, const char *dir, void *ud)
{
	cmd_outbox_list_say_refused(r);
}

void
cmd_outbox_list_say_refused(const struct outbox_refusal *r)
{
	fprintf(stderr,
	        "sitecare: outbox item %s is held, not sent: %s; or "
	        "`sitecare outbox discard %s`\n",
	        r->id, r->why, r->id);
}

/*
 * The service ctx points at and the member last signed in there, as
 * far as is known without asking the service (now stays empty else).
 */
static void
known_owner(const struct cmd_ctx *ctx, struct outbox_owner *now)
{
	struct sc_error err = { 0 };
	struct outbox *ob = NULL;
	char *base = NULL;

	memset(now, 0, sizeof *now);
	if (ctx->url != NULL &&
	    http_url_check(ctx->url, &base, NULL, &err) == 0)
		ob = outbox_open_service(NULL, base, &err);
	if (ob != NULL && outbox_last_owner(ob, now) != 0)
		outbox_owner_init(now, base, 0, NULL);
	sc_error_clear(&err);
	outbox_free(ob);
	free(base);
}

int
cmd_outbox_list_print(const struct cmd_ctx *ctx, bool json)
{
	struct list_walk w = { .json = json };
	struct sc_error err = { 0 };
	int rc = CMD_OK;

	known_owner(ctx, &w.now);
	if (walk(list_one, list_refused, &w, &err) != 0) {
		cmd_print_error(&err);
		sc_error_clear(&err);
		rc = CMD_FAILED;
	}
	fflush(stdout);
	outbox_owner_clear(&w.now);
	return rc;
}

/* The folder that holds item id, once found. */
struct find_walk {
	const char *id;
	char *dir;
};

static void
find_one(const struct outbox_item *it, const char *dir, void *ud)
{
	struct find_walk *w = ud;

	if (w->dir == NULL && strcmp(it->id, w->id) == 0)
		w->dir = xstrdup(dir);
}

/* A refused file is an item too: discard removes it. */
static void
find_refused(const struct outbox_refusal *r, const char *dir, void *ud)
{
	struct find_walk *w = ud;

	if (w->dir == NULL && strcmp(r->id, w->id) == 0)
		w->dir = xstrdup(dir);
}

int
cmd_outbox_list_discard(const char *id)
{
	struct find_walk w = { .id = id };
	struct sc_error err = { 0 };
	struct outbox *ob = NULL;
	int rc = CMD_FAILED;

	if (!uuid_valid(id) || walk(find_one, find_refused, &w, &err) != 0 ||
	    w.dir == NULL)
		fprintf(stderr, "sitecare: no outbox item %s\n", id);
	else if ((ob = outbox_open(w.dir, &err)) == NULL ||
	         outbox_remove(ob, id, &err) != 0)
		cmd_print_error(&err);
	else {
		fprintf(stderr, "sitecare: discarded %s\n", id);
		rc = CMD_OK;
	}
	sc_error_clear(&err);
	outbox_free(ob);
	free(w.dir);
	return rc;
}

void
cmd_outbox_list_say_held(const struct outbox_item *it, const char *why)
{
	char when[32] = "?";
	char *words = first_line(it->body);
	char *reason = field(why);
	time_t t = (time_t)it->created_at;
	struct tm tm;

	if (gmtime_r(&t, &tm) != NULL)
		strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
	fprintf(stderr,
	        "sitecare: held back, not sent: %s to %s %lld (\"%s\", queued "
	        "%s, %s): %s\n",
	        it->kind == OUTBOX_COMMENT ? "comment" : "message",
	        it->kind == OUTBOX_COMMENT ? "task" : "conversation",
	        it->target_id, words, when, it->id, reason);
	free(words);
	free(reason);
}

/* Held elsewhere: what to skip and compare with, and how many. */
struct held_walk {
	const struct outbox_owner *now;
	const char *own_dir;
	size_t n;
};

static void
held_one(const struct outbox_item *it, const char *dir, void *ud)
{
	struct held_walk *w = ud;
	char *why;

	if (strcmp(dir, w->own_dir) == 0)
		return;
	why = outbox_owner_refusal(&it->owner, w->now);
	if (why == NULL) /* ours, in a folder not ours: still not sent */
		why = xstrdup("in another service's outbox folder");
	cmd_outbox_list_say_held(it, why);
	free(why);
	w->n++;
}

size_t
cmd_outbox_list_held_elsewhere(const struct outbox_owner *now,
                               const char *own_dir)
{
	struct held_walk w = { .now = now, .own_dir = own_dir };
	struct sc_error err = { 0 };

	walk(held_one, NULL, &w, &err);
	sc_error_clear(&err);
	return w.n;
}
