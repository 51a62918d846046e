/* Unsent reply drafts on disk: see draft.h. */
#include "net/draft.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "net/paths.h"
#include "net/xmalloc.h"

/* The largest draft read back; a bigger file is not one we wrote. */
#define DRAFT_MAX_SIZE (1024 * 1024)

struct draft_store {
	char *dir;
};

struct draft_store *
draft_store_open(const char *dir, struct sc_error *err)
{
	struct draft_store *ds;
	char *path;

	if (dir == NULL)
		path = paths_dir(PATHS_STATE, "drafts", err);
	else if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		sc_error_set(err, SC_ERR_LOCAL, "cannot make %s: %s", dir,
		             strerror(errno));
		path = NULL;
	} else
		path = xstrdup(dir);
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

/* The file of conversation id, or NULL with err for a bad id. */
static char *
draft_path(const struct draft_store *ds, long long id, struct sc_error *err)
{
	if (id <= 0) {
		sc_error_set(err, SC_ERR_LOCAL, "no conversation %lld", id);
		return NULL;
	}
	return xasprintf("%s/%lld.txt", ds->dir, id);
}

int
draft_save(struct draft_store *ds, long long id, const char *text,
           struct sc_error *err)
{
	char *path;
	int rc;

	if (text == NULL || text[0] == '\0')
		return draft_remove(ds, id, err);
	path = draft_path(ds, id, err);
	if (path == NULL)
		return -1;
	rc = paths_write_atomic(path, text, strlen(text), 0600, err);
	if (rc != 0 && err->message != NULL) {
		char *why =
		    xasprintf("cannot save the draft: %s", err->message);

		sc_error_clear(err);
		sc_error_set(err, SC_ERR_LOCAL, "%s", why);
		free(why);
	}
	free(path);
	return rc;
}

/* Reads the regular file open on fd (at most DRAFT_MAX_SIZE bytes). */
static char *
read_fd(int fd, const char *path, struct sc_error *err)
{
	struct stat st;
	char *buf;
	size_t got = 0;

	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > DRAFT_MAX_SIZE) {
		sc_error_set(err, SC_ERR_LOCAL,
		             "%s: not a draft (not a regular file, or over "
		             "1 MiB)",
		             path);
		return NULL;
	}
	buf = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	buf[got] = '\0';
	return buf;
}

char *
draft_load(struct draft_store *ds, long long id, struct sc_error *err)
{
	char *path = draft_path(ds, id, err), *text;
	int fd;

	if (path == NULL)
		return NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		if (errno != ENOENT)
			sc_error_set(err, SC_ERR_LOCAL,
			             "cannot read the draft %s: %s", path,
			             strerror(errno));
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
	char *path = draft_path(ds, id, err);

	if (path == NULL)
		return -1;
	if (unlink(path) != 0 && errno != ENOENT) {
		sc_error_set(err, SC_ERR_LOCAL,
		             "cannot remove the draft %s: %s", path,
		             strerror(errno));
		free(path);
		return -1;
	}
	free(path);
	return 0;
}

/* The id of a "<digits>.txt" name, or 0. */
static long long
name_id(const char *name)
{
	char *end;
	long long id;

	if (name[0] < '1' || name[0] > '9')
		return 0;
	errno = 0;
	id = strtoll(name, &end, 10);
	return errno == 0 && strcmp(end, ".txt") == 0 ? id : 0;
}

static int
compare_ids(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

long long *
draft_list(struct draft_store *ds, size_t *n, struct sc_error *err)
{
	DIR *d = opendir(ds->dir);
	struct dirent *e;
	long long *ids = NULL, id;

	*n = 0;
	if (d == NULL) {
		sc_error_set(err, SC_ERR_LOCAL, "cannot list %s: %s", ds->dir,
		             strerror(errno));
		return NULL;
	}
	while ((e = readdir(d)) != NULL) {
		if ((id = name_id(e->d_name)) <= 0)
			continue;
		ids = xreallocarray(ids, *n + 1, sizeof *ids);
		ids[(*n)++] = id;
	}
	closedir(d);
	if (*n > 0)
		qsort(ids, *n, sizeof *ids, compare_ids);
	return ids;
}
