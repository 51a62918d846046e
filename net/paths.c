/* XDG directories and atomic file writes. */
#include "net/paths.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "net/xmalloc.h"

/* The base directory for kind, from XDG or its documented default. */
static char *
base_dir(enum paths_kind kind)
{
	static const struct {
		const char *env, *fallback;
	} table[] = {
		[PATHS_CONFIG] = { "XDG_CONFIG_HOME", ".config" },
		[PATHS_STATE] = { "XDG_STATE_HOME", ".local/state" },
		[PATHS_DATA] = { "XDG_DATA_HOME", ".local/share" },
	};
	const char *v = getenv(table[kind].env);
	const char *home = getenv("HOME");

	/* XDG says relative values are invalid and must be ignored. */
	if (v != NULL && v[0] == '/')
		return xstrdup(v);
	return xasprintf("%s/%s", home != NULL ? home : ".",
	                 table[kind].fallback);
}

/* mkdir -p with mode for every component that does not exist. */
static int
mkdir_p(char *path, mode_t mode)
{
	char *p;

	for (p = path + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, mode) != 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	if (mkdir(path, mode) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

char *
paths_dir(enum paths_kind kind, const char *sub, struct sc_error *err)
{
	char *base = base_dir(kind);
	char *dir;

	if (sub != NULL)
		dir = xasprintf("%s/sitecare/%s", base, sub);
	else
		dir = xasprintf("%s/sitecare", base);
	free(base);
	if (mkdir_p(dir, 0700) != 0) {
		sc_error_set(err, SC_ERR_LOCAL, "cannot create %s: %s", dir,
		             strerror(errno));
		free(dir);
		return NULL;
	}
	return dir;
}

/* Writes all of data to fd, retrying short writes. */
static int
write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* fsyncs the directory holding path, so a rename survives a crash. */
static void
sync_parent(const char *path)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	int fd;

	if (slash != NULL)
		*slash = '\0';
	fd = open(slash != NULL ? dir : ".", O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

int
paths_write_atomic(const char *path, const void *data, size_t len,
                   unsigned mode, struct sc_error *err)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

	if (fd < 0)
		goto fail;
	/* The umask may have narrowed mode; make it exactly what was asked. */
	if (fchmod(fd, mode) != 0 || write_all(fd, data, len) != 0 ||
	    fsync(fd) != 0) {
		close(fd);
		goto fail;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0)
		goto fail;
	sync_parent(path);
	free(tmp);
	return 0;
fail:
	sc_error_set(err, SC_ERR_LOCAL, "cannot write %s: %s", path,
	             strerror(errno));
	unlink(tmp);
	free(tmp);
	return -1;
}
