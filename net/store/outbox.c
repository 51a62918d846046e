/*
 * The outbox: one JSON file per queued message or comment, so that each
 * write is a whole-file atomic replace and one bad file never hides the
 * others. A file is
 *
 *   {"version": 1, "id": "<uuid>", "kind": "message"|"comment",
 *    "target_id": 7, "internal": false, "body": "...", "created_at": ...,
 *    "seq": ..., "attempts": 0, "next_attempt_at": 0, "last_error": null,
 *    "service": "https://...", "staff_id": 3, "staff_email": "..."}
 *
 * and is named after its id, which is checked to be a uuid before it is
 * ever put in a path. Items of earlier versions (one folder for every
 * service) lack the last three: such an item has no known owner. The
 * format version stays 1: the fields are additions an earlier version
 * ignores.
 *
 * Next to the items, OUTBOX_OWNER_FILE remembers who was last seen
 * signed in on the folder's service, as {"service", "staff_id",
 * "staff_email"}.
 */
#include "net/store/outbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cJSON.h>

#include "net/base/paths.h"
#include "net/client/service_key.h"
#include "net/base/xmalloc.h"

#define OUTBOX_VERSION 1
/* Item files larger than this are not ours: bodies are 10,000 chars. */
#define OUTBOX_MAX_FILE ((off_t)1024 * 1024)
/* Integers above this do not survive a trip through a JSON double. */
#define OUTBOX_MAX_INT 9007199254740992.0
#define OUTBOX_SUFFIX  ".json"
/* load_item's answer for a file that is an item's but not private. */
#define LOAD_REFUSED (-2)
/* Not <uuid>.json, so never taken for an item. */
#define OUTBOX_OWNER_FILE "signed-in"

struct outbox {
	char *dir;
	size_t corrupt; /* files set aside by the last outbox_list */
	struct outbox_refusal *refused; /* files it left alone, unsent */
	size_t nrefused;
	struct outbox_owner owner; /* recorded in the items added */
};

static const char *const kind_names[] = {
	[OUTBOX_MESSAGE] = "message",
	[OUTBOX_COMMENT] = "comment",
};

/* Makes dir if missing and checks that it is a directory. */
static int
ensure_dir(const char *dir, struct sc_error *err)
{
	struct stat st;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		sc_error_set(err, SC_ERR_LOCAL, "cannot create %s: %s", dir,
		             strerror(errno));
		return -1;
	}
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		sc_error_set(err, SC_ERR_LOCAL, "%s is not a directory", dir);
		return -1;
	}
	return 0;
}

struct outbox *
outbox_open(const char *dir, struct sc_error *err)
{
	struct outbox *ob;
	char *path;

	if (dir == NULL) {
		path = paths_dir(PATHS_STATE, "outbox", err);
		if (path == NULL)
			return NULL;
	} else {
		if (ensure_dir(dir, err) != 0)
			return NULL;
		path = xstrdup(dir);
	}
	ob = xcalloc(1, sizeof *ob);
	ob->dir = path;
	return ob;
}

struct outbox *
outbox_open_service(const char *root, const char *service, struct sc_error *err)
{
	char *dir = service_key_dir(root, "outbox", service, err);
	struct outbox *ob = dir != NULL ? outbox_open(dir, err) : NULL;

	free(dir);
	return ob;
}

/* Empties the list of refused files. */
static void
forget_refused(struct outbox *ob)
{
	size_t i;

	for (i = 0; i < ob->nrefused; i++)
		free(ob->refused[i].why);
	free(ob->refused);
	ob->refused = NULL;
	ob->nrefused = 0;
}

void
outbox_free(struct outbox *ob)
{
	if (ob == NULL)
		return;
	forget_refused(ob);
	outbox_owner_clear(&ob->owner);
	free(ob->dir);
	free(ob);
}

void
outbox_set_owner(struct outbox *ob, const struct outbox_owner *owner)
{
	outbox_owner_clear(&ob->owner);
	outbox_owner_copy(&ob->owner, owner);
}

const char *
outbox_dir(const struct outbox *ob)
{
	return ob->dir;
}

size_t
outbox_corrupt_count(const struct outbox *ob)
{
	return ob->corrupt;
}

const struct outbox_refusal *
outbox_refused(const struct outbox *ob, size_t *n)
{
	*n = ob->nrefused;
	return ob->refused;
}

/* The file of item id; id must already be a valid uuid. */
static char *
item_path(const struct outbox *ob, const char *id)
{
	return xasprintf("%s/%s" OUTBOX_SUFFIX, ob->dir, id);
}

/* The item as the JSON text of its file; the caller frees it. */
static char *
item_to_json(const struct outbox_item *item)
{
	cJSON *o = cJSON_CreateObject();
	char *text;

	if (o == NULL)
		abort();
	cJSON_AddNumberToObject(o, "version", OUTBOX_VERSION);
	cJSON_AddStringToObject(o, "id", item->id);
	cJSON_AddStringToObject(o, "kind", kind_names[item->kind]);
	cJSON_AddNumberToObject(o, "target_id", (double)item->target_id);
	cJSON_AddBoolToObject(o, "internal", item->internal);
	cJSON_AddStringToObject(o, "body", item->body);
	cJSON_AddNumberToObject(o, "created_at", (double)item->created_at);
	cJSON_AddNumberToObject(o, "seq", (double)item->seq);
	cJSON_AddNumberToObject(o, "attempts", item->attempts);
	cJSON_AddNumberToObject(o, "next_attempt_at",
	                        (double)item->next_attempt_at);
	if (item->last_error != NULL)
		cJSON_AddStringToObject(o, "last_error", item->last_error);
	else
		cJSON_AddNullToObject(o, "last_error");
	outbox_owner_to_json(o, &item->owner);
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (text == NULL)
		abort(); /* cJSON fails only when out of memory */
	return text;
}

/* Whether item can be written: a uuid id, a known kind, a body. */
static int
check_item(const struct outbox_item *item, struct sc_error *err)
{
	if (!uuid_valid(item->id)) {
		sc_error_set(err, SC_ERR_INVALID,
		             "outbox item id is not a uuid");
		return -1;
	}
	if ((item->kind != OUTBOX_MESSAGE && item->kind != OUTBOX_COMMENT) ||
	    item->body == NULL) {
		sc_error_set(err, SC_ERR_INVALID, "outbox item %s is invalid",
		             item->id);
		return -1;
	}
	return 0;
}

/*
 * Says why an item could not be written with the reason first: the
 * status line that shows it is narrower than the item's path, which
 * paths_write_atomic puts first ("cannot write PATH: why"). A full disk
 * is said in plain words alone, since the staff member can act on it
 * and what the caller adds after it (that the text is kept) matters.
 */
static void
reword_write_error(const struct outbox *ob, struct sc_error *err)
{
	const char *msg = err->message != NULL ? err->message : "";
	const char *why = strrchr(msg, ':');
	char *text;

	if (strstr(msg, strerror(ENOSPC)) != NULL ||
	    strstr(msg, strerror(EDQUOT)) != NULL)
		text = xstrdup("no space left on the disk for the outbox");
	else
		text = xasprintf("cannot write to the outbox: %s (%s)",
		                 why != NULL && why[1] == ' ' ? why + 2 : msg,
		                 ob->dir);
	sc_error_set(err, SC_ERR_LOCAL, "%s", text);
	free(text);
}

/* Writes item's file atomically, mode 0600. */
static int
write_item(struct outbox *ob, const struct outbox_item *item,
           struct sc_error *err)
{
	char *path, *text;
	int rc;

	if (check_item(item, err) != 0)
		return -1;
	path = item_path(ob, item->id);
	text = item_to_json(item);
	rc = paths_write_atomic(path, text, strlen(text), 0600, err);
	if (rc != 0)
		reword_write_error(ob, err);
	free(text);
	free(path);
	return rc;
}

/* A deep copy of item. */
static struct outbox_item *
item_dup(const struct outbox_item *item)
{
	struct outbox_item *c = xmalloc(sizeof *c);

	*c = *item;
	c->body = xstrdup(item->body);
	c->last_error = item->last_error ? xstrdup(item->last_error) : NULL;
	outbox_owner_copy(&c->owner, &item->owner);
	return c;
}

/*
 * The clock in microseconds, made to rise on every call, so that items
 * added within one second list in the order they were added.
 */
static long long
next_seq(void)
{
	static long long last;
	struct timespec ts;
	long long now;

	clock_gettime(CLOCK_REALTIME, &ts);
	now = (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	last = now > last ? now : last + 1;
	return last;
}

int
outbox_add(struct outbox *ob, enum outbox_kind kind, long long target_id,
           bool internal, const char *body, struct outbox_item **out,
           struct sc_error *err)
{
	struct outbox_item item = { 0 };

	if (out != NULL)
		*out = NULL;
	if (body == NULL || target_id <= 0 ||
	    (double)target_id > OUTBOX_MAX_INT) {
		sc_error_set(err, SC_ERR_INVALID, "nothing to queue");
		return -1;
	}
	uuid_v4(item.id);
	item.kind = kind;
	item.target_id = target_id;
	item.internal = internal;
	item.body = (char *)body; /* only read while writing */
	item.created_at = (long long)time(NULL);
	item.seq = next_seq();
	item.owner = ob->owner; /* only read while writing */
	if (write_item(ob, &item, err) != 0)
		return -1;
	if (out != NULL)
		*out = item_dup(&item);
	return 0;
}

int
outbox_update(struct outbox *ob, const struct outbox_item *item,
              struct sc_error *err)
{
	struct stat st;
	char *path;

	if (check_item(item, err) != 0)
		return -1;
	path = item_path(ob, item->id);
	if (stat(path, &st) != 0 && errno == ENOENT) {
		sc_error_set(err, SC_ERR_NOT_FOUND,
		             "outbox item %s is no longer queued", item->id);
		free(path);
		return -1;
	}
	free(path);
	return write_item(ob, item, err);
}

/* fsyncs the outbox directory so that a deletion survives a crash. */
static void
sync_dir(const struct outbox *ob)
{
	int fd = open(ob->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

int
outbox_remove(struct outbox *ob, const char *id, struct sc_error *err)
{
	char *path;

	if (!uuid_valid(id)) {
		sc_error_set(err, SC_ERR_INVALID,
		             "outbox item id is not a uuid");
		return -1;
	}
	path = item_path(ob, id);
	if (unlink(path) != 0 && errno != ENOENT) {
		sc_error_set(err, SC_ERR_LOCAL, "cannot remove %s: %s", path,
		             strerror(errno));
		free(path);
		return -1;
	}
	free(path);
	sync_dir(ob);
	return 0;
}

void
outbox_item_free(struct outbox_item *item)
{
	if (item == NULL)
		return;
	free(item->body);
	free(item->last_error);
	outbox_owner_clear(&item->owner);
	free(item);
}

void
outbox_items_free(struct outbox_item *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(items[i].body);
		free(items[i].last_error);
		outbox_owner_clear(&items[i].owner);
	}
	free(items);
}

/*
 * Reads a whole private file (paths_open_private) of at most
 * OUTBOX_MAX_FILE bytes; *why says what refused it (err with it).
 */
static char *
read_small_file(const char *path, size_t *len, enum paths_private *why,
                struct sc_error *err)
{
	struct stat st;
	char *buf = NULL;
	size_t got = 0;
	int fd;

	*why = paths_open_private(path, &fd, err);
	if (*why != PATHS_PRIVATE_OK)
		return NULL;
	if (fstat(fd, &st) != 0 || st.st_size > OUTBOX_MAX_FILE)
		goto fail;
	buf = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			goto fail;
		got += (size_t)r;
	}
	close(fd);
	buf[got] = '\0';
	*len = got;
	return buf;
fail:
	free(buf);
	close(fd);
	return NULL;
}

/* Reads o[key] as an integer in [min, OUTBOX_MAX_INT]. */
static int
json_int(const cJSON *o, const char *key, double min, long long *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) ||
	    v->valuedouble != floor(v->valuedouble) || v->valuedouble < min ||
	    v->valuedouble > OUTBOX_MAX_INT)
		return -1;
	*out = (long long)v->valuedouble;
	return 0;
}

/* Reads o[key] as a string, or NULL when null_ok and it is null. */
static int
json_str(const cJSON *o, const char *key, bool null_ok, char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (null_ok && cJSON_IsNull(v)) {
		*out = NULL;
		return 0;
	}
	if (!cJSON_IsString(v) || v->valuestring == NULL)
		return -1;
	*out = xstrdup(v->valuestring);
	return 0;
}

/* The version, id, kind, internal flag and owner of a file's object. */
static int
item_head(const cJSON *o, const char *want_id, struct outbox_item *item)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "id");
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(o, "kind");
	const cJSON *internal = cJSON_GetObjectItemCaseSensitive(o, "internal");
	long long version;

	if (json_int(o, "version", 0, &version) != 0 ||
	    version != OUTBOX_VERSION || !cJSON_IsString(id) ||
	    !uuid_valid(id->valuestring) ||
	    strcmp(id->valuestring, want_id) != 0 || !cJSON_IsString(kind) ||
	    !cJSON_IsBool(internal))
		return -1;
	memcpy(item->id, id->valuestring, sizeof item->id);
	if (strcmp(kind->valuestring, kind_names[OUTBOX_MESSAGE]) == 0)
		item->kind = OUTBOX_MESSAGE;
	else if (strcmp(kind->valuestring, kind_names[OUTBOX_COMMENT]) == 0)
		item->kind = OUTBOX_COMMENT;
	else
		return -1;
	item->internal = cJSON_IsTrue(internal);
	/* An earlier version's item has no owner, so is never sent by itself.
	 */
	return outbox_owner_from_json(o, &item->owner);
}

/*
 * Parses a file's text into item, which must match the file's name
 * (want_id). Returns 0, or -1 with item holding nothing to free.
 */
static int
item_from_json(const char *text, size_t len, const char *want_id,
               struct outbox_item *item)
{
	cJSON *o = cJSON_ParseWithLength(text, len);
	long long attempts;
	int rc = -1;

	memset(item, 0, sizeof *item);
	if (!cJSON_IsObject(o) || item_head(o, want_id, item) != 0 ||
	    json_int(o, "target_id", 1, &item->target_id) != 0 ||
	    json_int(o, "created_at", 0, &item->created_at) != 0 ||
	    json_int(o, "seq", 0, &item->seq) != 0 ||
	    json_int(o, "attempts", 0, &attempts) != 0 ||
	    attempts > INT32_MAX ||
	    json_int(o, "next_attempt_at", 0, &item->next_attempt_at) != 0 ||
	    json_str(o, "body", false, &item->body) != 0 ||
	    json_str(o, "last_error", true, &item->last_error) != 0)
		goto out;
	item->attempts = (int)attempts;
	rc = 0;
out:
	if (rc != 0) {
		free(item->body);
		free(item->last_error);
		outbox_owner_clear(&item->owner);
		memset(item, 0, sizeof *item);
	}
	cJSON_Delete(o);
	return rc;
}

/*
 * Loads the item file name (in the outbox directory) into item. Returns
 * 0, LOAD_REFUSED with err when the file is ours to fix (not private),
 * or -1 when it is not an item at all.
 */
static int
load_item(const struct outbox *ob, const char *name, struct outbox_item *item,
          struct sc_error *err)
{
	size_t nlen = strlen(name), len;
	char id[UUID_STRLEN + 1];
	enum paths_private why;
	char *path, *text;
	int rc;

	/* The name must be exactly <uuid>.json before it is opened. */
	if (nlen != UUID_STRLEN + strlen(OUTBOX_SUFFIX))
		return -1;
	memcpy(id, name, UUID_STRLEN);
	id[UUID_STRLEN] = '\0';
	if (!uuid_valid(id))
		return -1;
	path = xasprintf("%s/%s", ob->dir, name);
	text = read_small_file(path, &len, &why, err);
	free(path);
	if (why == PATHS_PRIVATE_NOT_PRIVATE)
		return LOAD_REFUSED;
	if (text == NULL)
		return -1;
	rc = item_from_json(text, len, id, item);
	free(text);
	return rc;
}

/* Moves an unreadable file aside as <name>.corrupt, keeping it to look at. */
static void
set_aside(struct outbox *ob, const char *name)
{
	char *from = xasprintf("%s/%s", ob->dir, name);
	char *to = xasprintf("%s.corrupt", from);

	rename(from, to);
	free(to);
	free(from);
	ob->corrupt++;
}

/*
 * Deletes name, a temporary file of paths_write_atomic written by pid,
 * unless that process may still be running: another sitecare sharing
 * the directory. Our own writes are never in flight here.
 */
static void
clean_tmp(const struct outbox *ob, const char *name, long pid)
{
	char *path;

	if (pid != (long)getpid() &&
	    (kill((pid_t)pid, 0) == 0 || errno == EPERM))
		return;
	path = xasprintf("%s/%s", ob->dir, name);
	unlink(path);
	free(path);
}

/* Whether name ends with suffix. */
static bool
ends_with(const char *name, const char *suffix)
{
	size_t n = strlen(name), s = strlen(suffix);

	return n >= s && strcmp(name + n - s, suffix) == 0;
}

/* Orders items oldest first, ties broken by id. */
static int
item_cmp(const void *a, const void *b)
{
	const struct outbox_item *x = a, *y = b;

	if (x->created_at != y->created_at)
		return x->created_at < y->created_at ? -1 : 1;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return strcmp(x->id, y->id);
}

/*
 * Keeps the file of item name in place, unsent, with why it was refused:
 * it may be a real item whose mode changed (a backup restored), which
 * chmod puts right, so it is neither set aside nor deleted.
 */
static void
refuse(struct outbox *ob, const char *name, struct sc_error *err)
{
	struct outbox_refusal *r;

	ob->refused =
	    xreallocarray(ob->refused, ob->nrefused + 1, sizeof *ob->refused);
	r = &ob->refused[ob->nrefused++];
	memcpy(r->id, name, UUID_STRLEN);
	r->id[UUID_STRLEN] = '\0';
	r->why = xstrdup(err->message);
	sc_error_clear(err);
}

/* Handles one directory entry, appending a valid item to the array. */
static void
list_entry(struct outbox *ob, const char *name, struct outbox_item **items,
           size_t *n, size_t *cap)
{
	struct sc_error err = { 0 };
	long pid;
	int rc;

	if (paths_is_temp_name(name, &pid)) {
		clean_tmp(ob, name, pid);
		return;
	}
	if (name[0] == '.' || !ends_with(name, OUTBOX_SUFFIX))
		return; /* .corrupt files and anything else not ours */
	if (*n == *cap) {
		*cap = *cap != 0 ? *cap * 2 : 16;
		*items = xreallocarray(*items, *cap, sizeof **items);
	}
	rc = load_item(ob, name, &(*items)[*n], &err);
	if (rc == 0)
		(*n)++;
	else if (rc == LOAD_REFUSED)
		refuse(ob, name, &err);
	else
		set_aside(ob, name);
	sc_error_clear(&err);
}

int
outbox_list(struct outbox *ob, struct outbox_item **items, size_t *n,
            struct sc_error *err)
{
	DIR *d = opendir(ob->dir);
	struct dirent *de;
	size_t cap = 0;

	*items = NULL;
	*n = 0;
	ob->corrupt = 0;
	forget_refused(ob);
	if (d == NULL) {
		sc_error_set(err, SC_ERR_LOCAL, "cannot read %s: %s", ob->dir,
		             strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			list_entry(ob, de->d_name, items, n, &cap);
	closedir(d);
	if (*n > 0) {
		qsort(*items, *n, sizeof **items, item_cmp);
	} else {
		free(*items);
		*items = NULL;
	}
	return 0;
}

int
outbox_remember_owner(struct outbox *ob, const struct outbox_owner *owner,
                      struct sc_error *err)
{
	cJSON *o = cJSON_CreateObject();
	char *text, *path;
	int rc;

	if (o == NULL)
		abort();
	outbox_owner_to_json(o, owner);
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (text == NULL)
		abort(); /* cJSON fails only when out of memory */
	path = xasprintf("%s/" OUTBOX_OWNER_FILE, ob->dir);
	rc = paths_write_atomic(path, text, strlen(text), 0600, err);
	free(path);
	free(text);
	return rc;
}

int
outbox_last_owner(struct outbox *ob, struct outbox_owner *out)
{
	char *path = xasprintf("%s/" OUTBOX_OWNER_FILE, ob->dir);
	size_t len = 0;
	enum paths_private why;
	struct sc_error err = { 0 };
	/* Not private or missing: nobody is remembered (only a hint). */
	char *text = read_small_file(path, &len, &why, &err);
	cJSON *o = text != NULL ? cJSON_ParseWithLength(text, len) : NULL;
	int rc = -1;

	sc_error_clear(&err);

	memset(out, 0, sizeof *out);
	if (cJSON_IsObject(o) && outbox_owner_from_json(o, out) == 0) {
		rc = out->service != NULL && out->staff_id > 0 ? 0 : -1;
		if (rc != 0)
			outbox_owner_clear(out);
	}
	cJSON_Delete(o);
	free(text);
	free(path);
	return rc;
}

/* Whether name is a service's folder: exactly SERVICE_KEY_LEN hex digits. */
static bool
is_service_folder(const char *name)
{
	size_t i;

	for (i = 0; i < SERVICE_KEY_LEN; i++)
		if (!((name[i] >= '0' && name[i] <= '9') ||
		      (name[i] >= 'a' && name[i] <= 'f')))
			return false;
	return name[SERVICE_KEY_LEN] == '\0';
}

char **
outbox_folders(const char *root, size_t *n, struct sc_error *err)
{
	char *top = root != NULL ? xstrdup(root)
	                         : paths_dir(PATHS_STATE, "outbox", err);
	DIR *d = top != NULL ? opendir(top) : NULL;
	struct dirent *de;
	char **v;

	*n = 0;
	if (d == NULL) {
		if (top != NULL)
			sc_error_set(err, SC_ERR_LOCAL, "cannot read %s: %s",
			             top, strerror(errno));
		free(top);
		return NULL;
	}
	v = xmalloc(sizeof *v);
	v[(*n)++] = top;
	while ((de = readdir(d)) != NULL) {
		if (!is_service_folder(de->d_name))
			continue;
		v = xreallocarray(v, *n + 1, sizeof *v);
		v[(*n)++] = xasprintf("%s/%s", top, de->d_name);
	}
	closedir(d);
	return v;
}

/* Spreads a seed's bits (a 32-bit finaliser from MurmurHash3). */
static uint32_t
mix32(uint32_t h)
{
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

long long
outbox_backoff_ms(int attempts, unsigned jitter_seed)
{
	long long base = 60000;
	uint32_t h;

	if (attempts <= 0)
		return 0;
	if (attempts <= 6)
		base = 1000LL << (attempts - 1); /* 1, 2, 4, ... 32 s */
	h = mix32((uint32_t)jitter_seed ^ (uint32_t)attempts * 0x9e3779b9u);
	/* A factor from 0.800 to 1.200 in steps of 0.001. */
	return base * (800 + (long long)(h % 401)) / 1000;
}
