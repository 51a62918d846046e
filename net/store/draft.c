/* Unsent reply drafts on disk: see draft.h. */
#include "net/store/draft.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "net/base/paths.h"
#include "net/client/service_key.h"
#include "net/base/xmalloc.h"

/* The largest draft read back; a bigger file is not one we wrote. */
#define DRAFT_MAX_SIZE (1024 * 1024)
/* The file naming a service's store's service (not <digits>.txt). */
#define DRAFT_SERVICE_FILE "service"

/* The store is only its directory: every call works on the files. */
struct draft_store {
	char *dir;
};

/* Makes dir (mode 0700) unless it exists; an existing one must be a dir. */
static int
make_dir(const char *dir, struct sc_error *err)
{
	struct stat st;

	if (mkdir(dir, 0700) == 0)
		return 0;
	if (errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	if (errno == EEXIST)
		errno = ENOTDIR;
	sc_error_set(err, SC_ERR_LOCAL, "cannot open the drafts: %s: %s", dir,
	             strerror(errno));
	return -1;
}

struct draft_store *
draft_store_open(const char *dir, struct sc_error *err)
{
	struct draft_store *ds;
	char *path;

	if (dir == NULL)
		path = paths_dir(PATHS_STATE, "drafts", err);
	else
		path = make_dir(dir, err) == 0 ? xstrdup(dir) : NULL;
	if (path == NULL)
		return NULL;
	ds = xcalloc(1, sizeof *ds);
	ds->dir = path;
	return ds;
}

void
draft_store_free(struct draft_store *ds)
{
	if (ds == NULL)
		return;
	free(ds->dir);
	free(ds);
}

/* The file of conversation id (malloc'd), or NULL with err for a bad id. */
static char *
draft_path(const struct draft_store *ds, long long id, const char *what,
           struct sc_error *err)
{
	if (id <= 0) {
		sc_error_set(
		    err, SC_ERR_LOCAL,
		    "cannot %s the draft: invalid conversation id %lld", what,
		    id);
		return NULL;
	}
	return xasprintf("%s/%lld.txt", ds->dir, id);
}

/* Rewrites paths_write_atomic's "cannot write P: why" as a draft error. */
static void
reword_save_error(struct sc_error *err, const char *path)
{
	static const char prefix[] = "cannot write ";
	const char *why = err->message != NULL ? err->message : "";
	char *msg;

	if (strncmp(why, prefix, sizeof prefix - 1) == 0)
		why += sizeof prefix - 1;
	else if (why[0] == '\0')
		why = path;
	/* A full disk in plain words first: the status line is narrow. */
	if (strstr(why, strerror(ENOSPC)) != NULL ||
	    strstr(why, strerror(EDQUOT)) != NULL)
		msg = xstrdup("cannot save the draft: no space left on the "
		              "disk");
	else
		msg = xasprintf("cannot save the draft: %s", why);
	sc_error_set(err, SC_ERR_LOCAL, "%s", msg);
	free(msg);
}

int
draft_save(struct draft_store *ds, long long id, const char *text,
           struct sc_error *err)
{
	char *path;
	int rc;

	if (text == NULL || text[0] == '\0')
		return draft_remove(ds, id, err);
	path = draft_path(ds, id, "save", err);
	if (path == NULL)
		return -1;
	rc = paths_write_atomic(path, text, strlen(text), 0600, err);
	if (rc != 0)
		reword_save_error(err, path);
	free(path);
	return rc;
}

/* Reads all of the regular file open on fd, at most DRAFT_MAX_SIZE bytes. */
static char *
read_fd(int fd, const char *path, struct sc_error *err)
{
	struct stat st;
	size_t got = 0, size;
	char *buf;

	if (fstat(fd, &st) != 0) {
		sc_error_set(err, SC_ERR_LOCAL, "cannot read the draft: %s: %s",
		             path, strerror(errno));
		return NULL;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > DRAFT_MAX_SIZE) {
		sc_error_set(err, SC_ERR_LOCAL, "cannot read the draft: %s: %s",
		             path,
		             S_ISREG(st.st_mode) ? "larger than 1 MiB"
		                                 : "not a regular file");
		return NULL;
	}
	size = (size_t)st.st_size;
	buf = xmalloc(size + 1);
	while (got < size) {
		ssize_t r = read(fd, buf + got, size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			sc_error_set(err, SC_ERR_LOCAL,
			             "cannot read the draft: %s: %s", path,
			             strerror(errno));
			free(buf);
			return NULL;
		}
		if (r == 0)
			break; /* shrank under us: what is there is the draft */
		got += (size_t)r;
	}
	buf[got] = '\0';
	return buf;
}

/* Puts "cannot read the draft: " before paths_open_private's reason. */
static void
reword_load_error(struct sc_error *err)
{
	char *msg = xasprintf("cannot read the draft: %s", err->message);

	sc_error_set(err, SC_ERR_LOCAL, "%s", msg);
	free(msg);
}

char *
draft_load(struct draft_store *ds, long long id, struct sc_error *err)
{
	char *path = draft_path(ds, id, "load", err), *text;
	int fd;

	if (path == NULL)
		return NULL;
	/* Ours and private, or refused: a draft is sent as us. */
	switch (paths_open_private(path, &fd, err)) {
	case PATHS_PRIVATE_OK:
		break;
	case PATHS_PRIVATE_MISSING:
		sc_error_clear(err); /* no draft: not an error */
		free(path);
		return NULL;
	default:
		reword_load_error(err);
		free(path);
		return NULL;
	}
	text = read_fd(fd, path, err);
	close(fd);
	free(path);
	return text;
}

int
draft_remove(struct draft_store *ds, long long id, struct sc_error *err)
{
	char *path = draft_path(ds, id, "remove", err);

	if (path == NULL)
		return -1;
	if (unlink(path) != 0 && errno != ENOENT) {
		sc_error_set(err, SC_ERR_LOCAL,
		             "cannot remove the draft: %s: %s", path,
		             strerror(errno));
		free(path);
		return -1;
	}
	free(path);
	return 0;
}

/* The id of a "<digits>.txt" name (no sign, no leading zero), or 0. */
static long long
name_id(const char *name)
{
	const char *p = name;
	long long id = 0;

	if (*p < '1' || *p > '9')
		return 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (id > (LLONG_MAX - (*p - '0')) / 10)
			return 0;
		id = id * 10 + (*p - '0');
	}
	return strcmp(p, ".txt") == 0 ? id : 0;
}

/* qsort order for ids: ascending. */
static int
compare_ids(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/* Whether dir's entry name is a regular file (not followed if a link). */
static int
is_regular(DIR *d, const char *name)
{
	struct stat st;

	return fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	       S_ISREG(st.st_mode);
}

long long *
draft_list(struct draft_store *ds, size_t *n, struct sc_error *err)
{
	DIR *d = opendir(ds->dir);
	struct dirent *e;
	long long *ids = NULL, id;

	*n = 0;
	if (d == NULL) {
		sc_error_set(err, SC_ERR_LOCAL,
		             "cannot list the drafts: %s: %s", ds->dir,
		             strerror(errno));
		return NULL;
	}
	while ((e = readdir(d)) != NULL) {
		if ((id = name_id(e->d_name)) <= 0 || !is_regular(d, e->d_name))
			continue;
		ids = xgrowarray(ids, *n, sizeof *ids);
		ids[(*n)++] = id;
	}
	closedir(d);
	if (*n > 0)
		qsort(ids, *n, sizeof *ids, compare_ids);
	return ids;
}

/* The text of dir's service file (malloc'd), or NULL when it has none. */
static char *
read_service_file(const char *dir, struct sc_error *err)
{
	char *path = xasprintf("%s/" DRAFT_SERVICE_FILE, dir), *text = NULL;
	struct sc_error why = { 0 };
	int fd;

	/* The file that says whose drafts these are follows the drafts' rule.
	 */
	switch (paths_open_private(path, &fd, &why)) {
	case PATHS_PRIVATE_OK:
		text = read_fd(fd, path, err);
		close(fd);
		break;
	case PATHS_PRIVATE_MISSING:
		break;
	default:
		sc_error_set(err, SC_ERR_LOCAL, "cannot open the drafts: %s",
		             why.message);
	}
	sc_error_clear(&why);
	free(path);
	return text;
}

/*
 * Checks that the store ds is service's: its service file names it, or
 * there is none yet and it is written now.
 */
static int
claim_for_service(struct draft_store *ds, const char *service,
                  struct sc_error *err)
{
	char *text = read_service_file(ds->dir, err), *path;
	int rc = 0;

	if (err->kind != SC_OK)
		return -1;
	if (text != NULL && strcmp(text, service) != 0) {
		sc_error_set(
		    err, SC_ERR_LOCAL,
		    "cannot open the drafts: %s holds the drafts of %s, "
		    "not of %s",
		    ds->dir, text, service);
		rc = -1;
	} else if (text == NULL) {
		/* Not written (a full disk): the folder's name keys it still.
		 */
		path = xasprintf("%s/" DRAFT_SERVICE_FILE, ds->dir);
		if (paths_write_atomic(path, service, strlen(service), 0600,
		                       err) != 0)
			sc_error_clear(err);
		free(path);
	}
	free(text);
	return rc;
}

struct draft_store *
draft_store_open_service(const char *root, const char *service,
                         struct sc_error *err)
{
	char *dir = service_key_dir(root, "drafts", service, err);
	struct draft_store *ds =
	    dir != NULL ? draft_store_open(dir, err) : NULL;

	free(dir);
	if (ds != NULL && claim_for_service(ds, service, err) != 0) {
		draft_store_free(ds);
		ds = NULL;
	}
	return ds;
}
