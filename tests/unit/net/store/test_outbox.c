/* Unit tests for net/store/outbox.c: the durable queue of outgoing messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <cJSON.h>

#include "net/store/outbox.h"
#include "tests/unit/net/files_test.h"

#define ID_A "0b8e6c1e-2f4a-4c1d-9e3b-5a6f7d8c9e0f"
#define ID_B "1c9f7d2f-3a5b-4d2e-8f4c-6b7a8e9d0f1a"

/* A fresh directory and an outbox open on it. */
struct fixture {
	char dir[64];
	struct outbox *ob;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct sc_error err = { 0 };

	if (f == NULL)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/sc_outbox_XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	f->ob = outbox_open(f->dir, &err);
	if (f->ob == NULL)
		return -1;
	*state = f;
	return 0;
}

/* Removes every entry of dir (flat), then dir. */
static void
remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[512];

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		if (unlink(path) != 0)
			rmdir(path); /* a folder a test put in the way */
	}
	closedir(d);
	rmdir(dir);
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	outbox_free(f->ob);
	/* A test that mounted a tmpfs there and failed midway. */
	(void)umount2(f->dir, MNT_DETACH);
	remove_dir(f->dir);
	free(f);
	return 0;
}

static bool
exists(const char *dir, const char *name)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return lstat(path, &st) == 0;
}

/* Lists the outbox, expecting success. */
static struct outbox_item *
list(struct outbox *ob, size_t *n)
{
	struct outbox_item *items;
	struct sc_error err = { 0 };

	assert_int_equal(outbox_list(ob, &items, n, &err), 0);
	assert_int_equal(err.kind, SC_OK);
	return items;
}

/* A valid item file's text for id, with created_at and a body. */
static char *
item_json(const char *id, long long created_at, const char *body)
{
	char *s = malloc(512);

	assert_non_null(s);
	snprintf(s, 512,
	         "{\"version\":1,\"id\":\"%s\",\"kind\":\"message\","
	         "\"target_id\":7,\"internal\":false,\"body\":\"%s\","
	         "\"created_at\":%lld,\"seq\":0,\"attempts\":0,\"next_attempt_"
	         "at\":0,"
	         "\"last_error\":null}",
	         id, body, created_at);
	return s;
}

static void
outbox__add__writes_0600_file_that_round_trips(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	struct outbox_item *it, *items;
	const char *body = "Hello \"Ann\",\nthe caf\xc3\xa9 site is \\ back "
	                   "\xe2\x9c\x93\ttab";
	char path[512], *text;
	struct stat st;
	size_t n, len;
	FILE *fp;
	cJSON *o;

	assert_int_equal(
	    outbox_add(f->ob, OUTBOX_COMMENT, 42, true, body, &it, &err), 0);
	assert_non_null(it);
	assert_true(uuid_valid(it->id));
	assert_int_equal(it->id[14], '4');
	snprintf(path, sizeof path, "%s/%s.json", f->dir, it->id);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0600);
	/* The file is JSON with a format version. */
	fp = fopen(path, "rb");
	assert_non_null(fp);
	text = calloc(1, 4096);
	len = fread(text, 1, 4095, fp);
	fclose(fp);
	o = cJSON_ParseWithLength(text, len);
	assert_non_null(o);
	assert_int_equal(cJSON_GetObjectItem(o, "version")->valueint, 1);
	assert_string_equal(cJSON_GetObjectItem(o, "id")->valuestring, it->id);
	assert_string_equal(cJSON_GetObjectItem(o, "kind")->valuestring,
	                    "comment");
	cJSON_Delete(o);
	free(text);
	/* Everything comes back. */
	items = list(f->ob, &n);
	assert_int_equal(n, 1);
	assert_string_equal(items[0].id, it->id);
	assert_int_equal(items[0].kind, OUTBOX_COMMENT);
	assert_int_equal(items[0].target_id, 42);
	assert_true(items[0].internal);
	assert_string_equal(items[0].body, body);
	assert_int_equal(items[0].created_at, it->created_at);
	assert_true(it->created_at > 1600000000LL);
	assert_int_equal(items[0].attempts, 0);
	assert_int_equal(items[0].next_attempt_at, 0);
	assert_null(items[0].last_error);
	assert_int_equal(outbox_corrupt_count(f->ob), 0);
	outbox_items_free(items, n);
	outbox_item_free(it);
}

static void
outbox__add__message_without_out(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	struct outbox_item *items;
	size_t n;

	assert_int_equal(
	    outbox_add(f->ob, OUTBOX_MESSAGE, 7, false, "hi", NULL, &err), 0);
	items = list(f->ob, &n);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].kind, OUTBOX_MESSAGE);
	assert_false(items[0].internal);
	assert_string_equal(items[0].body, "hi");
	outbox_items_free(items, n);
}

static void
outbox__add__rejects_nothing_to_queue(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	struct outbox_item *it = (void *)1;

	assert_int_equal(
	    outbox_add(f->ob, OUTBOX_MESSAGE, 7, false, NULL, &it, &err), -1);
	assert_null(it);
	assert_int_equal(err.kind, SC_ERR_INVALID);
	sc_error_clear(&err);
	assert_int_equal(
	    outbox_add(f->ob, OUTBOX_MESSAGE, 0, false, "x", NULL, &err), -1);
	sc_error_clear(&err);
	assert_int_equal(count_entries(f->dir), 0);
}

static void
outbox__list__orders_by_created_at_then_id(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	struct outbox_item *it[4], *items;
	static const long long when[4] = { 300, 100, 200, 100 };
	size_t n, i;

	for (i = 0; i < 4; i++) {
		char body[8];

		snprintf(body, sizeof body, "%zu", i);
		assert_int_equal(outbox_add(f->ob, OUTBOX_MESSAGE, 1, false,
		                            body, &it[i], &err),
		                 0);
		it[i]->created_at = when[i];
		it[i]->seq = 0; /* equal: the id decides ties */
		assert_int_equal(outbox_update(f->ob, it[i], &err), 0);
	}
	items = list(f->ob, &n);
	assert_int_equal(n, 4);
	/* 100 (two, by id), 200, 300. */
	assert_int_equal(items[0].created_at, 100);
	assert_int_equal(items[1].created_at, 100);
	assert_true(strcmp(items[0].id, items[1].id) < 0);
	assert_string_equal(items[2].body, "2");
	assert_string_equal(items[3].body, "0");
	outbox_items_free(items, n);
	for (i = 0; i < 4; i++)
		outbox_item_free(it[i]);
}

static void
outbox__list__keeps_typing_order_within_a_second(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	struct outbox_item *items;
	char body[24];
	size_t n, i;

	for (i = 0; i < 8; i++) {
		snprintf(body, sizeof body, "%zu", i);
		assert_int_equal(outbox_add(f->ob, OUTBOX_MESSAGE, 1, false,
		                            body, NULL, &err),
		                 0);
	}
	items = list(f->ob, &n);
	assert_int_equal(n, 8);
	for (i = 0; i < n; i++) {
		snprintf(body, sizeof body, "%zu", i);
		assert_string_equal(items[i].body, body);
		assert_true(i == 0 || items[i].seq > items[i - 1].seq);
	}
	outbox_items_free(items, n);
}

static void
outbox__update__rewrites_retry_state(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	struct outbox_item *it, *items;
	char path[512];
	struct stat st;
	size_t n;

	assert_int_equal(
	    outbox_add(f->ob, OUTBOX_MESSAGE, 9, false, "b", &it, &err), 0);
	it->attempts = 3;
	it->next_attempt_at = 1700000123;
	it->last_error = strdup("network: could not connect");
	assert_int_equal(outbox_update(f->ob, it, &err), 0);
	items = list(f->ob, &n);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].attempts, 3);
	assert_int_equal(items[0].next_attempt_at, 1700000123);
	assert_string_equal(items[0].last_error, "network: could not connect");
	assert_string_equal(items[0].body, "b");
	outbox_items_free(items, n);
	snprintf(path, sizeof path, "%s/%s.json", f->dir, it->id);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* Back to no error. */
	free(it->last_error);
	it->last_error = NULL;
	assert_int_equal(outbox_update(f->ob, it, &err), 0);
	items = list(f->ob, &n);
	assert_null(items[0].last_error);
	outbox_items_free(items, n);
	assert_int_equal(count_entries(f->dir), 1); /* no temp file left */
	outbox_item_free(it);
}

static void
outbox__update__never_brings_back_a_removed_item(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	struct outbox_item *it;

	assert_int_equal(
	    outbox_add(f->ob, OUTBOX_MESSAGE, 9, false, "b", &it, &err), 0);
	assert_int_equal(outbox_remove(f->ob, it->id, &err), 0);
	it->attempts = 1;
	assert_int_equal(outbox_update(f->ob, it, &err), -1);
	assert_int_equal(err.kind, SC_ERR_NOT_FOUND);
	sc_error_clear(&err);
	assert_int_equal(count_entries(f->dir), 0);
	/* A bad id is refused before it reaches a path. */
	snprintf(it->id, sizeof it->id, "../../../../../../../tmp/x");
	assert_int_equal(outbox_update(f->ob, it, &err), -1);
	assert_int_equal(err.kind, SC_ERR_INVALID);
	sc_error_clear(&err);
	outbox_item_free(it);
}

static void
outbox__remove__deletes_the_file(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	struct outbox_item *a, *b, *items;
	char name[64];
	size_t n;

	assert_int_equal(
	    outbox_add(f->ob, OUTBOX_MESSAGE, 1, false, "a", &a, &err), 0);
	assert_int_equal(
	    outbox_add(f->ob, OUTBOX_MESSAGE, 1, false, "b", &b, &err), 0);
	assert_int_equal(outbox_remove(f->ob, a->id, &err), 0);
	snprintf(name, sizeof name, "%s.json", a->id);
	assert_false(exists(f->dir, name));
	items = list(f->ob, &n);
	assert_int_equal(n, 1);
	assert_string_equal(items[0].id, b->id);
	outbox_items_free(items, n);
	/* Removing again is fine; a path-like id is not. */
	assert_int_equal(outbox_remove(f->ob, a->id, &err), 0);
	assert_int_equal(outbox_remove(f->ob, "../outbox", &err), -1);
	assert_int_equal(err.kind, SC_ERR_INVALID);
	sc_error_clear(&err);
	assert_int_equal(count_entries(f->dir), 1);
	outbox_item_free(a);
	outbox_item_free(b);
}

/* A well-formed item file but for its kind. */
static const char fax[] =
    "{\"version\":1,\"id\":\"5a3db06d-7e9f-4b6c-8d8a-afbec1d14e5f\","
    "\"kind\":\"fax\",\"target_id\":1,\"internal\":false,\"body\":\"x\","
    "\"created_at\":1,\"seq\":0,\"attempts\":0,\"next_attempt_at\":0,"
    "\"last_error\":null}";

static void
outbox__list__sets_aside_corrupt_and_truncated(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	struct outbox_item *items;
	char *good = item_json(ID_A, 5, "valid");
	char *other = item_json(ID_B, 6, "kept");
	size_t n;

	put_file(f->dir, ID_A ".json", good, strlen(good));
	put_file(f->dir, "2d0a8e3a-4b6c-4e3f-9a5d-7c8b9fae1b2c.json",
	         "{not json", 9);
	/* Truncated half way through. */
	put_file(f->dir, "3e1b9f4b-5c7d-4f4a-8b6e-8d9cafbf2c3d.json", other,
	         strlen(other) / 2);
	put_file(f->dir, "4f2caf5c-6d8e-4a5b-9c7f-9eadb0c03d4e.json", "", 0);
	/* Well-formed JSON that is not an item: an unknown kind. */
	put_file(f->dir, "5a3db06d-7e9f-4b6c-8d8a-afbec1d14e5f.json", fax,
	         sizeof fax - 1);
	put_file(f->dir, ID_B ".json", other, strlen(other));
	assert_int_equal(
	    outbox_add(f->ob, OUTBOX_MESSAGE, 3, false, "new", NULL, &err), 0);

	items = list(f->ob, &n);
	assert_int_equal(n, 3);
	assert_string_equal(items[0].body, "valid");
	assert_string_equal(items[1].body, "kept");
	assert_string_equal(items[2].body, "new");
	assert_int_equal(outbox_corrupt_count(f->ob), 4);
	outbox_items_free(items, n);
	/* Set aside, not deleted. */
	assert_true(exists(f->dir, "2d0a8e3a-4b6c-4e3f-9a5d-7c8b9fae1b2c"
	                           ".json.corrupt"));
	assert_false(
	    exists(f->dir, "2d0a8e3a-4b6c-4e3f-9a5d-7c8b9fae1b2c.json"));
	assert_true(exists(f->dir, "3e1b9f4b-5c7d-4f4a-8b6e-8d9cafbf2c3d"
	                           ".json.corrupt"));
	/* A second listing finds the same valid items and nothing new. */
	items = list(f->ob, &n);
	assert_int_equal(n, 3);
	assert_int_equal(outbox_corrupt_count(f->ob), 0);
	outbox_items_free(items, n);
	free(good);
	free(other);
}

static void
outbox__list__rejects_path_like_ids(void **state)
{
	struct fixture *f = *state;
	struct outbox_item *items;
	char *evil = item_json("../../../../etc/passwd", 1, "x");
	char *mismatch = item_json(ID_B, 1, "x");
	char *named = item_json("evil", 1, "x");
	char link[512];
	size_t n;

	/* The id inside must be a uuid and the file's own name. */
	put_file(f->dir, ID_A ".json", evil, strlen(evil));
	put_file(f->dir, "6b4ec17e-8fa0-4c7d-9e9b-b0cfd2e25f60.json", mismatch,
	         strlen(mismatch));
	put_file(f->dir, "evil.json", named, strlen(named));
	/* A symbolic link is not followed. */
	snprintf(link, sizeof link, "%s/%s.json", f->dir,
	         "7c5fd28f-9ab1-4d8e-8fac-c1d0e3f36a71");
	assert_int_equal(symlink("/etc/passwd", link), 0);

	items = list(f->ob, &n);
	assert_int_equal(n, 0);
	assert_null(items);
	assert_int_equal(outbox_corrupt_count(f->ob), 4);
	assert_true(exists(f->dir, "evil.json.corrupt"));
	free(evil);
	free(mismatch);
	free(named);
}

static void
outbox__list__many_items(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	struct outbox_item *items;
	size_t n, i;
	enum { MANY = 300 };

	for (i = 0; i < MANY; i++) {
		char body[32];

		snprintf(body, sizeof body, "message %zu", i);
		assert_int_equal(outbox_add(f->ob, OUTBOX_MESSAGE,
		                            (long long)i + 1, false, body, NULL,
		                            &err),
		                 0);
	}
	items = list(f->ob, &n);
	assert_int_equal(n, MANY);
	assert_int_equal(outbox_corrupt_count(f->ob), 0);
	/* Added in one process: in the order they were added. */
	for (i = 1; i < n; i++) {
		assert_true(items[i - 1].created_at <= items[i].created_at);
		assert_true(items[i - 1].seq < items[i].seq);
	}
	outbox_items_free(items, n);
}

/* A pid that belonged to a process that is gone now. */
static pid_t
dead_pid(void)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0)
		_exit(0);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	return pid;
}

static void
outbox__list__ignores_and_cleans_leftover_temp_files(void **state)
{
	struct fixture *f = *state;
	struct outbox_item *items;
	char *old = item_json(ID_A, 1, "before");
	char *new = item_json(ID_A, 1, "after");
	char *lost = item_json(ID_B, 1, "never renamed");
	char dead[128], live[128];
	size_t n;

	/* A crash between the temp write and the rename of an update... */
	put_file(f->dir, ID_A ".json", old, strlen(old));
	snprintf(dead, sizeof dead, ID_A ".json.tmp.%ld", (long)dead_pid());
	put_file(f->dir, dead, new, strlen(new));
	/* ...of an add (never acknowledged to its caller)... */
	snprintf(live, sizeof live, ID_B ".json.tmp.%ld", (long)getpid());
	put_file(f->dir, live, lost, strlen(lost));
	items = list(f->ob, &n);
	assert_int_equal(n, 1);
	assert_string_equal(items[0].body, "before");
	assert_int_equal(outbox_corrupt_count(f->ob), 0);
	outbox_items_free(items, n);
	assert_false(exists(f->dir, dead));
	assert_false(exists(f->dir, live));
	/* ...but a write another running process has in flight stays. */
	snprintf(live, sizeof live, ID_B ".json.tmp.%ld", (long)getppid());
	put_file(f->dir, live, lost, strlen(lost));
	items = list(f->ob, &n);
	assert_int_equal(n, 1);
	outbox_items_free(items, n);
	assert_true(exists(f->dir, live));
	free(old);
	free(new);
	free(lost);
}

static void
outbox__list__cleans_leftover_hidden_temp_files(void **state)
{
	struct fixture *f = *state;
	struct outbox_item *items;
	char dead[128], live[128];
	size_t n;

	/* paths_write_atomic's names now: .<name>.tmp.<pid>.<random>. */
	snprintf(dead, sizeof dead, "." ID_A ".json.tmp.%ld.abcdefghijkl",
	         (long)dead_pid());
	put_file(f->dir, dead, "{", 1);
	snprintf(live, sizeof live, "." ID_B ".json.tmp.%ld.abcdefghijkl",
	         (long)getppid());
	put_file(f->dir, live, "{", 1);
	put_file(f->dir, ".notes.json", "{", 1); /* not ours: left alone */
	items = list(f->ob, &n);
	assert_int_equal(n, 0);
	assert_null(items);
	assert_int_equal(outbox_corrupt_count(f->ob), 0);
	assert_false(exists(f->dir, dead));
	assert_true(exists(f->dir, live));
	assert_true(exists(f->dir, ".notes.json"));
}

/* Lists the outbox expecting no item and one refusal of ID_A, why. */
static void
expect_refused(struct fixture *f, const char *why)
{
	const struct outbox_refusal *r;
	struct outbox_item *items;
	size_t n;

	items = list(f->ob, &n);
	assert_int_equal(n, 0);
	assert_null(items);
	assert_int_equal(outbox_corrupt_count(f->ob), 0);
	assert_true(exists(f->dir, ID_A ".json")); /* kept where it was */
	r = outbox_refused(f->ob, &n);
	assert_int_equal(n, 1);
	assert_string_equal(r[0].id, ID_A);
	assert_string_equal(r[0].why, why);
}

static void
outbox__list__refuses_an_item_open_to_others(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	struct outbox_item *items;
	char *text = item_json(ID_A, 1, "restored from a backup");
	char path[512], want[1200];
	size_t n;

	put_file(f->dir, ID_A ".json", text, strlen(text));
	snprintf(path, sizeof path, "%s/%s.json", f->dir, ID_A);
	assert_int_equal(chmod(path, 0644), 0);
	snprintf(want, sizeof want,
	         "%s is readable by others (mode 0644): chmod 600 %s", path,
	         path);
	expect_refused(f, want);
	/* The fix the message gives makes it an item again... */
	assert_int_equal(chmod(path, 0600), 0);
	items = list(f->ob, &n);
	assert_int_equal(n, 1);
	assert_string_equal(items[0].body, "restored from a backup");
	outbox_items_free(items, n);
	assert_null(outbox_refused(f->ob, &n));
	assert_int_equal(n, 0);
	/* ...and a refused one can be discarded. */
	assert_int_equal(chmod(path, 0640), 0);
	items = list(f->ob, &n);
	assert_int_equal(n, 0);
	assert_int_equal(outbox_remove(f->ob, ID_A, &err), 0);
	assert_false(exists(f->dir, ID_A ".json"));
	free(text);
}

static void
outbox__list__refuses_another_users_item(void **state)
{
	struct fixture *f = *state;
	char *text = item_json(ID_A, 1, "sent as you?");
	char path[512], want[1024];

	if (geteuid() != 0) {
		skip(); /* giving a file away takes root */
		return;
	}
	put_file(f->dir, ID_A ".json", text, strlen(text));
	snprintf(path, sizeof path, "%s/%s.json", f->dir, ID_A);
	assert_int_equal(chown(path, 4321, 4321), 0);
	snprintf(want, sizeof want, "%s is owned by uid 4321, not you (uid 0)",
	         path);
	expect_refused(f, want);
	free(text);
}

static void
outbox__list__fifo_set_aside_without_blocking(void **state)
{
	struct fixture *f = *state;
	struct outbox_item *items;
	char path[512];
	size_t n;

	snprintf(path, sizeof path, "%s/%s.json", f->dir, ID_B);
	assert_int_equal(mkfifo(path, 0600), 0);
	alarm(5); /* a blocking open ends the test (SIGALRM) instead */
	items = list(f->ob, &n);
	alarm(0);
	assert_int_equal(n, 0);
	assert_null(items);
	assert_int_equal(outbox_corrupt_count(f->ob), 1);
	assert_true(exists(f->dir, ID_B ".json.corrupt"));
}

static void
outbox__open__default_dir_under_xdg_state(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	char want[256], sub[128];
	struct outbox *ob;
	struct stat st;

	setenv("XDG_STATE_HOME", f->dir, 1);
	ob = outbox_open(NULL, &err);
	assert_non_null(ob);
	snprintf(want, sizeof want, "%s/sitecare/outbox", f->dir);
	assert_string_equal(outbox_dir(ob), want);
	assert_int_equal(stat(want, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0700);
	outbox_free(ob);
	rmdir(want);
	snprintf(sub, sizeof sub, "%s/sitecare", f->dir);
	rmdir(sub);
	/* A file where the directory should be is an error, not a crash. */
	put_file(f->dir, "file", "x", 1);
	snprintf(want, sizeof want, "%s/file", f->dir);
	assert_null(outbox_open(want, &err));
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	sc_error_clear(&err);
}

static void
outbox__backoff__doubles_caps_and_jitters(void **state)
{
	static const long long base[] = { 0,     1000,  2000,  4000,  8000,
		                          16000, 32000, 60000, 60000, 60000 };
	long long lo = 1LL << 62, hi = 0, ms;
	unsigned seed;
	int a;

	assert_int_equal(outbox_backoff_ms(0, 123), 0);
	assert_int_equal(outbox_backoff_ms(-5, 123), 0);
	for (a = 1; a < 10; a++)
		for (seed = 0; seed < 1000; seed++) {
			ms = outbox_backoff_ms(a, seed);
			assert_true(ms * 10 >= base[a] * 8);
			assert_true(ms * 10 <= base[a] * 12);
			assert_int_equal(ms, outbox_backoff_ms(a, seed));
		}
	assert_true(outbox_backoff_ms(1000000, 7) <= 72000);
	assert_true(outbox_backoff_ms(2147483647, 7) <= 72000);
	/* The jitter really spreads the delays. */
	for (seed = 0; seed < 1000; seed++) {
		ms = outbox_backoff_ms(3, seed * 2654435761u);
		lo = ms < lo ? ms : lo;
		hi = ms > hi ? ms : hi;
	}
	assert_true(lo < 3400);
	assert_true(hi > 4600);
}

static void
outbox__add__write_failure_says_why_first_and_queues_nothing(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	struct outbox_item *it = (struct outbox_item *)1;
	struct rlimit old, tiny = { 16, 0 };
	char want[256];
	void (*was)(int);

	/* A real write failure without privileges: files may not grow past
	 * 16 bytes, so write(2) fails with EFBIG (SIGXFSZ ignored). */
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	tiny.rlim_max = old.rlim_max;
	was = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &tiny), 0);
	assert_int_equal(outbox_add(f->ob, OUTBOX_COMMENT, 3, true,
	                            "longer than sixteen bytes", &it, &err),
	                 -1);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, was);
	assert_null(it);
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	snprintf(want, sizeof want, "cannot write to the outbox: %s (%s)",
	         strerror(EFBIG), f->dir);
	assert_string_equal(err.message, want);
	sc_error_clear(&err);
	assert_int_equal(count_entries(f->dir), 0); /* no temporary file left */
}

static void
outbox__add__full_disk_said_in_plain_words(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	char fill[128];

	/* A real ENOSPC: a filled 16 KiB tmpfs on the outbox's directory.
	 * Needs the right to mount (root in the test container). */
	if (!fill_tmpfs(f->dir, fill, sizeof fill)) {
		skip();
		return;
	}
	assert_int_equal(outbox_add(f->ob, OUTBOX_MESSAGE, 7, false,
	                            "a reply on a full disk", NULL, &err),
	                 -1);
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	assert_string_equal(err.message,
	                    "no space left on the disk for the outbox");
	sc_error_clear(&err);
	assert_int_equal(count_entries(f->dir), 1); /* only the filler */
	/* Space again: the same add succeeds. */
	unlink(fill);
	assert_int_equal(outbox_add(f->ob, OUTBOX_MESSAGE, 7, false,
	                            "a reply on a full disk", NULL, &err),
	                 0);
	assert_int_equal(count_entries(f->dir), 1);
	assert_int_equal(umount2(f->dir, MNT_DETACH), 0);
}

#define STAGING "https://staging.example"
#define PROD    "https://prod.example"
/* hashlib.blake2b(URL.encode(), digest_size=8).hexdigest(), as the jar's */
#define STAGING_KEY "860723ea1ff0a878"
#define PROD_KEY    "f5f791fe06933b24"

static void
outbox__service__one_folder_per_service_keyed_like_the_jar(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	struct outbox *staging, *prod, *again;
	char want[256];
	struct stat st;

	staging = outbox_open_service(f->dir, STAGING, &err);
	prod = outbox_open_service(f->dir, PROD, &err);
	again = outbox_open_service(f->dir, STAGING, &err);
	assert_non_null(staging);
	assert_non_null(prod);
	assert_non_null(again);
	snprintf(want, sizeof want, "%s/" STAGING_KEY, f->dir);
	assert_string_equal(outbox_dir(staging), want);
	assert_string_equal(outbox_dir(again), want);
	assert_int_equal(stat(want, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	snprintf(want, sizeof want, "%s/" PROD_KEY, f->dir);
	assert_string_equal(outbox_dir(prod), want);
	/* What is queued for staging is not in production's outbox. */
	assert_int_equal(
	    outbox_add(staging, OUTBOX_MESSAGE, 5, false, "s", NULL, &err), 0);
	assert_int_equal(count_entries(outbox_dir(staging)), 1);
	assert_int_equal(count_entries(outbox_dir(prod)), 0);
	outbox_free(again);
	outbox_free(prod);
	outbox_free(staging);
	remove_dir(want);
	snprintf(want, sizeof want, "%s/" STAGING_KEY, f->dir);
	remove_dir(want);
}

static void
outbox__owner__recorded_in_the_item_and_round_trips(void **state)
{
	struct fixture *f = *state;
	struct outbox_owner ann = { .service = STAGING,
		                    .staff_id = 3,
		                    .email = "ann@example.com" };
	struct sc_error err = { 0 };
	struct outbox_item *it, *items;
	char path[512], *text;
	size_t n, len;
	FILE *fp;
	cJSON *o;

	outbox_set_owner(f->ob, &ann);
	assert_int_equal(
	    outbox_add(f->ob, OUTBOX_MESSAGE, 5, false, "hi", &it, &err), 0);
	assert_string_equal(it->owner.service, STAGING);
	assert_int_equal(it->owner.staff_id, 3);
	assert_string_equal(it->owner.email, "ann@example.com");
	/* In the file, in so many words. */
	snprintf(path, sizeof path, "%s/%s.json", f->dir, it->id);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	text = calloc(1, 4096);
	len = fread(text, 1, 4095, fp);
	fclose(fp);
	o = cJSON_ParseWithLength(text, len);
	assert_non_null(o);
	assert_string_equal(cJSON_GetObjectItem(o, "service")->valuestring,
	                    STAGING);
	assert_int_equal(cJSON_GetObjectItem(o, "staff_id")->valueint, 3);
	assert_string_equal(cJSON_GetObjectItem(o, "staff_email")->valuestring,
	                    "ann@example.com");
	cJSON_Delete(o);
	free(text);
	/* Read back, and kept by an update. */
	it->attempts = 2;
	assert_int_equal(outbox_update(f->ob, it, &err), 0);
	items = list(f->ob, &n);
	assert_int_equal(n, 1);
	assert_string_equal(items[0].owner.service, STAGING);
	assert_int_equal(items[0].owner.staff_id, 3);
	assert_string_equal(items[0].owner.email, "ann@example.com");
	assert_int_equal(items[0].attempts, 2);
	outbox_items_free(items, n);
	outbox_item_free(it);
}

static void
outbox__owner__earlier_versions_item_has_none(void **state)
{
	static const char bad[] =
	    "{\"version\":1,\"id\":\"" ID_B "\",\"kind\":\"message\","
	    "\"target_id\":7,\"internal\":false,\"body\":\"x\","
	    "\"created_at\":1,\"seq\":0,\"attempts\":0,\"next_attempt_at\":0,"
	    "\"last_error\":null,\"service\":7}";
	struct fixture *f = *state;
	char *text = item_json(ID_A, 1700000000, "old");
	struct outbox_item *items;
	size_t n;

	put_file(f->dir, ID_A ".json", text, strlen(text));
	items = list(f->ob, &n);
	assert_int_equal(n, 1);
	assert_null(items[0].owner.service);
	assert_int_equal(items[0].owner.staff_id, 0);
	assert_null(items[0].owner.email);
	outbox_items_free(items, n);
	free(text);
	/* An owner field of the wrong type is not an item of ours. */
	put_file(f->dir, ID_B ".json", bad, strlen(bad));
	items = list(f->ob, &n);
	assert_int_equal(n, 1);
	assert_int_equal(outbox_corrupt_count(f->ob), 1);
	outbox_items_free(items, n);
}

static void
outbox__owner__last_member_remembered_and_never_an_item(void **state)
{
	struct fixture *f = *state;
	struct outbox_owner ann = { .service = STAGING,
		                    .staff_id = 3,
		                    .email = "ann@example.com" };
	struct outbox_owner back;
	struct sc_error err = { 0 };
	struct outbox_item *items;
	size_t n;

	assert_int_equal(outbox_last_owner(f->ob, &back), -1);
	assert_null(back.service);
	assert_int_equal(outbox_remember_owner(f->ob, &ann, &err), 0);
	assert_int_equal(outbox_last_owner(f->ob, &back), 0);
	assert_string_equal(back.service, STAGING);
	assert_int_equal(back.staff_id, 3);
	assert_string_equal(back.email, "ann@example.com");
	outbox_owner_clear(&back);
	assert_null(back.service);
	/* The file is not taken for an item, nor set aside. */
	items = list(f->ob, &n);
	assert_int_equal(n, 0);
	assert_int_equal(outbox_corrupt_count(f->ob), 0);
	assert_int_equal(count_entries(f->dir), 1);
	outbox_items_free(items, n);
}

static void
outbox__folders__the_old_shared_one_then_each_service(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	struct outbox *prod = outbox_open_service(f->dir, PROD, &err);
	char **dirs, want[256];
	size_t n, i;

	assert_non_null(prod);
	put_file(f->dir, "0123456789abcdeX", "x", 1); /* not a key */
	dirs = outbox_folders(f->dir, &n, &err);
	assert_non_null(dirs);
	assert_int_equal(n, 2);
	assert_string_equal(dirs[0], f->dir);
	snprintf(want, sizeof want, "%s/" PROD_KEY, f->dir);
	assert_string_equal(dirs[1], want);
	for (i = 0; i < n; i++)
		free(dirs[i]);
	free(dirs);
	outbox_free(prod);
	remove_dir(want);
	snprintf(want, sizeof want, "%s/nowhere", f->dir);
	assert_null(outbox_folders(want, &n, &err));
	assert_int_equal(n, 0);
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	sc_error_clear(&err);
}

/* Writes dir/name: an item of the id name starts with, with the raw JSON
 * values of its target_id, body and attempts. */
static void
put_item_with(const char *dir, const char *name, const char *target,
              const char *body, const char *attempts)
{
	char text[512];

	snprintf(text, sizeof text,
	         "{\"version\":1,\"id\":\"%.36s\",\"kind\":\"message\","
	         "\"target_id\":%s,\"internal\":false,\"body\":%s,"
	         "\"created_at\":1,\"seq\":0,\"attempts\":%s,"
	         "\"next_attempt_at\":0,\"last_error\":null}",
	         name, target, body, attempts);
	put_file(dir, name, text, strlen(text));
}

static void
outbox__open__under_a_regular_file_is_an_error(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	char path[256], want[512];
	size_t n = 7;

	put_file(f->dir, "file", "x", 1);
	snprintf(path, sizeof path, "%s/file/outbox", f->dir);
	assert_null(outbox_open(path, &err));
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	assert_non_null(strstr(err.message, "cannot create"));
	assert_non_null(strstr(err.message, strerror(ENOTDIR)));
	sc_error_clear(&err);
	/* A service's folder under it, and the default folder. */
	assert_null(outbox_open_service(path, PROD, &err));
	snprintf(want, sizeof want, "cannot create %s: %s", path,
	         strerror(ENOTDIR));
	assert_string_equal(err.message, want); /* the root, not its key */
	sc_error_clear(&err);
	snprintf(path, sizeof path, "%s/file", f->dir);
	assert_null(outbox_open_service(path, PROD, &err));
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	sc_error_clear(&err);
	setenv("XDG_STATE_HOME", path, 1);
	assert_null(outbox_open(NULL, &err));
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	sc_error_clear(&err);
	assert_null(outbox_folders(NULL, &n, &err));
	assert_int_equal(n, 0);
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	sc_error_clear(&err);
	unsetenv("XDG_STATE_HOME");
}

static void
outbox__add__unknown_kind_or_bad_id_writes_nothing(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	struct outbox_item item = { .id = "not-a-uuid",
		                    .kind = OUTBOX_MESSAGE,
		                    .target_id = 7,
		                    .body = "x" };
	struct outbox_item *out = (void *)1;

	assert_int_equal(
	    outbox_add(f->ob, (enum outbox_kind)7, 3, false, "x", &out, &err),
	    -1);
	assert_null(out);
	assert_int_equal(err.kind, SC_ERR_INVALID);
	assert_non_null(strstr(err.message, "is invalid"));
	sc_error_clear(&err);
	assert_int_equal(outbox_update(f->ob, &item, &err), -1);
	assert_string_equal(err.message, "outbox item id is not a uuid");
	sc_error_clear(&err);
	assert_int_equal(outbox_remove(f->ob, "../x", &err), -1);
	assert_int_equal(err.kind, SC_ERR_INVALID);
	sc_error_clear(&err);
	assert_int_equal(count_entries(f->dir), 0);
}

static void
outbox__remove__a_folder_in_the_way_is_an_error(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	char path[256];

	snprintf(path, sizeof path, "%s/" ID_A ".json", f->dir);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(outbox_remove(f->ob, ID_A, &err), -1);
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	assert_non_null(strstr(err.message, "cannot remove"));
	sc_error_clear(&err);
	assert_true(exists(f->dir, ID_A ".json"));
	rmdir(path);
}

static void
outbox__list__sets_aside_oversized_and_mistyped_items(void **state)
{
	struct fixture *f = *state;
	char path[256];
	struct outbox_item *items;
	size_t n;

	/* Over 1 MiB: never read into memory. */
	put_item_with(f->dir, ID_A ".json", "7", "\"x\"", "0");
	snprintf(path, sizeof path, "%s/" ID_A ".json", f->dir);
	assert_int_equal(truncate(path, 1024 * 1024 + 1), 0);
	put_item_with(f->dir, "2d0a8e3a-4b6c-4e3f-9a5d-7c8b9fae1b2c.json",
	              "\"7\"", "\"x\"", "0");
	put_item_with(f->dir, "3e1b9f4b-5c7d-4f4a-8b6e-8d9cafbf2c3d.json", "7",
	              "12", "0");
	put_item_with(f->dir, "4f2caf5c-6d8e-4a5b-9c7f-9eadb0c03d4e.json", "7",
	              "\"x\"", "4294967296");
	/* Named like an item, but not a uuid. */
	put_item_with(f->dir, "zzzzzzzz-zzzz-4zzz-8zzz-zzzzzzzzzzzz.json", "7",
	              "\"x\"", "0");
	put_item_with(f->dir, ID_B ".json", "7", "\"x\"", "0");
	items = list(f->ob, &n);
	assert_int_equal(n, 1);
	assert_string_equal(items[0].id, ID_B);
	assert_int_equal(outbox_corrupt_count(f->ob), 5);
	assert_true(exists(f->dir, ID_A ".json.corrupt"));
	assert_true(exists(f->dir, "zzzzzzzz-zzzz-4zzz-8zzz-zzzzzzzzzzzz"
	                           ".json.corrupt"));
	outbox_items_free(items, n);
}

static void
outbox__list__a_vanished_folder_is_an_error(void **state)
{
	struct fixture *f = *state;
	struct sc_error err = { 0 };
	struct outbox_item *items = (void *)1;
	size_t n = 7;

	assert_int_equal(rmdir(f->dir), 0);
	assert_int_equal(outbox_list(f->ob, &items, &n, &err), -1);
	assert_null(items);
	assert_int_equal(n, 0);
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	assert_non_null(strstr(err.message, "cannot read"));
	sc_error_clear(&err);
}

static void
outbox__owner__nobody_remembered_without_service_or_id(void **state)
{
	struct fixture *f = *state;
	struct outbox_owner nobody = { .service = STAGING, .staff_id = 0 };
	struct outbox_owner back;
	struct sc_error err = { 0 };

	assert_int_equal(outbox_remember_owner(f->ob, &nobody, &err), 0);
	assert_int_equal(outbox_last_owner(f->ob, &back), -1);
	assert_null(back.service);
	assert_null(back.email);
	nobody.service = NULL;
	nobody.staff_id = 3;
	assert_int_equal(outbox_remember_owner(f->ob, &nobody, &err), 0);
	assert_int_equal(outbox_last_owner(f->ob, &back), -1);
	assert_int_equal(back.staff_id, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(outbox__add__writes_0600_file_that_round_trips),
		T(outbox__add__message_without_out),
		T(outbox__add__rejects_nothing_to_queue),
		T(outbox__add__write_failure_says_why_first_and_queues_nothing),
		T(outbox__add__full_disk_said_in_plain_words),
		T(outbox__list__orders_by_created_at_then_id),
		T(outbox__list__keeps_typing_order_within_a_second),
		T(outbox__update__rewrites_retry_state),
		T(outbox__update__never_brings_back_a_removed_item),
		T(outbox__remove__deletes_the_file),
		T(outbox__list__sets_aside_corrupt_and_truncated),
		T(outbox__list__rejects_path_like_ids),
		T(outbox__list__many_items),
		T(outbox__list__ignores_and_cleans_leftover_temp_files),
		T(outbox__list__cleans_leftover_hidden_temp_files),
		T(outbox__list__refuses_an_item_open_to_others),
		T(outbox__list__refuses_another_users_item),
		T(outbox__list__fifo_set_aside_without_blocking),
		T(outbox__open__default_dir_under_xdg_state),
		T(outbox__backoff__doubles_caps_and_jitters),
		T(outbox__service__one_folder_per_service_keyed_like_the_jar),
		T(outbox__owner__recorded_in_the_item_and_round_trips),
		T(outbox__owner__earlier_versions_item_has_none),
		T(outbox__owner__last_member_remembered_and_never_an_item),
		T(outbox__folders__the_old_shared_one_then_each_service),
		T(outbox__open__under_a_regular_file_is_an_error),
		T(outbox__add__unknown_kind_or_bad_id_writes_nothing),
		T(outbox__remove__a_folder_in_the_way_is_an_error),
		T(outbox__list__sets_aside_oversized_and_mistyped_items),
		T(outbox__list__a_vanished_folder_is_an_error),
		T(outbox__owner__nobody_remembered_without_service_or_id),
#undef T
	};

	return cmocka_run_group_tests_name("net/outbox", tests, NULL, NULL);
}
