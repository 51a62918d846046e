/* Streams an attachment into a temporary file, then publishes it. */
#include "net/client/download.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "net/base/clock.h"
#include "net/base/filename.h"
#include "net/client/http.h"
#include "net/base/xmalloc.h"

/*
 * One download. From download_start until it ends it owns fd and the
 * temporary file at tmp; tmp is NULL once the file is published or
 * removed. req is the call in flight, NULL once it ended or was
 * cancelled. finished is set before the done callback runs, so that the
 * callback may free the download. watch_received and watch_since are
 * the stall watch's: the byte count last seen and since when.
 */
struct download {
	struct api *a;
	struct api_req *req;
	char *dest;
	char *tmp;
	int fd;
	unsigned flags;
	int64_t received;
	int64_t total; /* Content-Length, -1 when not sent */
	int64_t max;
	download_cb cb;
	download_progress_cb progress;
	void *ud;
	bool finished;
	int64_t watch_received;
	long long watch_since;
};

/* Sets err to kind with a message of any length (it may hold a path). */
static void
set_error(struct sc_error *err, enum sc_error_kind kind, char *message)
{
	sc_error_clear(err);
	err->kind = kind;
	err->message = message;
}

/* Why a disk operation failed, in words a user acts on. */
static const char *
disk_reason(int errnum)
{
	switch (errnum) {
	case ENOENT:
	case ENOTDIR:
		return "the folder does not exist";
	case ENOSPC:
	case EDQUOT:
		return "no space left on the device";
	case EACCES:
	case EPERM:
		return "permission denied";
	case EROFS:
		return "the file system is read-only";
	default:
		return strerror(errnum);
	}
}

/* Sets err to a disk error about path. */
static void
disk_error(struct sc_error *err, int errnum, const char *path)
{
	set_error(err, SC_ERR_LOCAL,
	          xasprintf("cannot save %s: %s", path, disk_reason(errnum)));
}

/* The error for a destination that is already taken. */
static void
exists_error(struct sc_error *err, const char *path)
{
	set_error(err, SC_ERR_CONFLICT,
	          xasprintf("%s exists; choose another name or confirm "
	                    "overwrite",
	                    path));
	err->code = xstrdup("file_exists");
}

/* The directory part of path ("." when there is none). */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/* The length of base's prefix of at most max bytes ending on a character. */
static int
prefix_len(const char *base, size_t max)
{
	size_t n = strlen(base);

	if (n <= max)
		return (int)n;
	n = max;
	while (n > 0 && ((unsigned char)base[n] & 0xC0) == 0x80)
		n--;
	return (int)n;
}

/* Creates the temporary file ".NAME.part-XXXXXX" next to d->dest. */
static int
make_temp(struct download *d, struct sc_error *err)
{
	char *dir = dir_of(d->dest);
	const char *base = strrchr(d->dest, '/');

	base = base != NULL ? base + 1 : d->dest;
	d->tmp = xasprintf("%s/.%.*s.part-XXXXXX", dir,
	                   prefix_len(base, FILENAME_MAX_BYTES), base);
	d->fd = mkstemp(d->tmp); /* mode 0600 */
	if (d->fd < 0) {
		disk_error(err, errno, d->dest);
		free(d->tmp);
		d->tmp = NULL;
		free(dir);
		return -1;
	}
	fcntl(d->fd, F_SETFD, FD_CLOEXEC);
	free(dir);
	return 0;
}

/* Closes and removes the temporary file, if any. */
static void
discard(struct download *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
	if (d->tmp != NULL)
		unlink(d->tmp);
	free(d->tmp);
	d->tmp = NULL;
}

/* Ends d: the temporary file goes unless published, then the callback
 * runs. The caller must not touch d afterwards. */
static void
finish(struct download *d, const char *path, const struct sc_error *err)
{
	discard(d);
	d->finished = true;
	d->cb(d, path, err, d->ud);
}

/* Stops a transfer from inside one of its stream callbacks. */
static void
fail(struct download *d, const struct sc_error *err)
{
	api_cancel(d->a, d->req);
	d->req = NULL;
	finish(d, NULL, err);
}

/* Writes all of data to fd; 0, or -1 with errno set. */
static int
write_all(int fd, const char *data, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The error of a body larger than d accepts. */
static void
too_large(struct download *d, struct sc_error *err)
{
	sc_error_set(err, SC_ERR_TOO_LARGE,
	             "the attachment is larger than the %" PRId64
	             " bytes allowed",
	             d->max);
}

/* The headers of a 2xx answer: learn the size, refuse a huge one. */
static void
on_open(const struct http_response *resp, void *ud)
{
	struct download *d = ud;
	struct sc_error err = { 0 };

	d->total = resp->content_length >= 0 ? resp->content_length : -1;
	if (d->total > d->max) {
		too_large(d, &err);
		fail(d, &err);
		sc_error_clear(&err);
	}
}

/* Body bytes: onto the disk, then the progress callback (last, since it
 * may free d). */
static void
on_data(const char *data, size_t len, void *ud)
{
	struct download *d = ud;
	struct sc_error err = { 0 };

	if ((uint64_t)len > (uint64_t)(d->max - d->received))
		too_large(d, &err);
	else if (write_all(d->fd, data, len) != 0)
		disk_error(&err, errno, d->dest);
	if (err.kind != SC_OK) {
		fail(d, &err);
		sc_error_clear(&err);
		return;
	}
	d->received += (int64_t)len;
	if (d->progress != NULL)
		d->progress(d, d->received, d->total, d->ud);
}

/* Syncs the directory holding path, so a rename survives a crash. */
static void
sync_dir(const char *path)
{
	char *dir = dir_of(path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd); /* best effort: the data itself is synced */
		close(fd);
	}
	free(dir);
}

/*
 * Puts tmp at dest without replacing anything. link() fails with EEXIST
 * when dest appeared meanwhile; on a file system without hard links the
 * name is reserved with O_EXCL and then renamed over.
 */
static int
publish_new(struct download *d, struct sc_error *err)
{
	int fd;

	if (link(d->tmp, d->dest) == 0) {
		unlink(d->tmp);
		return 0;
	}
	if (errno == EEXIST) {
		exists_error(err, d->dest);
		return -1;
	}
	if (errno != EPERM && errno != ENOTSUP && errno != EOPNOTSUPP &&
	    errno != EMLINK) {
		disk_error(err, errno, d->dest);
		return -1;
	}
	fd = open(d->dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		if (errno == EEXIST)
			exists_error(err, d->dest);
		else
			disk_error(err, errno, d->dest);
		return -1;
	}
	close(fd);
	if (rename(d->tmp, d->dest) != 0) {
		disk_error(err, errno, d->dest);
		unlink(d->dest);
		return -1;
	}
	return 0;
}

/* Syncs and closes the temporary file, then gives it its final name. */
static int
publish(struct download *d, struct sc_error *err)
{
	int fd = d->fd;

	d->fd = -1;
	if (fsync(fd) != 0 || fchmod(fd, 0644) != 0) {
		disk_error(err, errno, d->dest);
		close(fd);
		return -1;
	}
	if (close(fd) != 0) {
		disk_error(err, errno, d->dest);
		return -1;
	}
	if (d->flags & DOWNLOAD_OVERWRITE) {
		if (rename(d->tmp, d->dest) != 0) {
			disk_error(err, errno, d->dest);
			return -1;
		}
	} else if (publish_new(d, err) != 0) {
		return -1;
	}
	free(d->tmp);
	d->tmp = NULL; /* published: nothing left to remove */
	sync_dir(d->dest);
	return 0;
}

/* The call ended: publish the file or pass the error on. */
static void
on_done(struct http_response *resp, const struct sc_error *err, void *ud)
{
	struct download *d = ud;
	struct sc_error e = { 0 };

	(void)resp;
	d->req = NULL;
	if (err->kind != SC_OK) {
		finish(d, NULL, err);
		return;
	}
	if (publish(d, &e) != 0) {
		finish(d, NULL, &e);
		sc_error_clear(&e);
		return;
	}
	finish(d, d->dest, &e);
}

/* Checks what download_start is given, before touching anything. */
static int
check_start(int64_t task_id, int64_t attachment_id, const char *dest,
            unsigned flags, struct sc_error *err)
{
	struct stat st;

	if (task_id <= 0 || attachment_id <= 0) {
		sc_error_set(err, SC_ERR_INVALID,
		             "task and attachment ids must be positive");
		return -1;
	}
	if (dest == NULL || dest[0] == '\0') {
		sc_error_set(err, SC_ERR_INVALID, "no file name to save to");
		return -1;
	}
	if (lstat(dest, &st) != 0)
		return 0; /* missing: fine; other trouble shows in make_temp */
	if (S_ISDIR(st.st_mode)) {
		set_error(err, SC_ERR_LOCAL,
		          xasprintf("cannot save %s: it is a folder", dest));
		return -1;
	}
	if (!(flags & DOWNLOAD_OVERWRITE)) {
		exists_error(err, dest);
		return -1;
	}
	return 0;
}

struct download *
download_start(struct api *a, int64_t task_id, int64_t attachment_id,
               const char *dest_path, unsigned flags, download_cb cb, void *ud,
               struct sc_error *err)
{
	static const char *const headers[] = { "Accept-Encoding: identity",
		                               NULL };
	struct api_opts opts = { .headers = headers,
		                 .on_open = on_open,
		                 .on_data = on_data };
	struct download *d;
	char *path;

	if (check_start(task_id, attachment_id, dest_path, flags, err) != 0)
		return NULL;
	d = xcalloc(1, sizeof *d);
	d->a = a;
	d->dest = xstrdup(dest_path);
	d->flags = flags;
	d->total = -1;
	d->max = DOWNLOAD_MAX_BYTES;
	d->cb = cb;
	d->ud = ud;
	d->watch_since = clock_mono_ms(NULL);
	if (make_temp(d, err) != 0) {
		free(d->dest);
		free(d);
		return NULL;
	}
	path = xasprintf("/tasks/%" PRId64 "/attachments/%" PRId64, task_id,
	                 attachment_id);
	d->req = api_send(a, "GET", path, NULL, &opts, on_done, d);
	free(path);
	return d;
}

void
download_on_progress(struct download *d, download_progress_cb cb)
{
	d->progress = cb;
}

void
download_set_max(struct download *d, int64_t max)
{
	d->max = max > 0 && max < DOWNLOAD_MAX_BYTES ? max : DOWNLOAD_MAX_BYTES;
}

void
download_progress(const struct download *d, int64_t *received, int64_t *total)
{
	if (received != NULL)
		*received = d->received;
	if (total != NULL)
		*total = d->total;
}

const char *
download_path(const struct download *d)
{
	return d->dest;
}

bool
download_finished(const struct download *d)
{
	return d->finished;
}

bool
download_check_stall(struct download *d, long long now_ms)
{
	struct sc_error err = { 0 };

	if (d->finished)
		return false;
	if (d->received != d->watch_received) {
		d->watch_received = d->received;
		d->watch_since = now_ms;
		return false;
	}
	if (now_ms - d->watch_since < HTTP_STALL_SECONDS * 1000L)
		return false;
	sc_error_set(&err, SC_ERR_NETWORK,
	             "nothing arrived for %ld s; the download was stopped and "
	             "nothing was saved",
	             (long)HTTP_STALL_SECONDS);
	fail(d, &err);
	sc_error_clear(&err);
	return true;
}

void
download_cancel(struct download *d)
{
	if (d->finished)
		return;
	api_cancel(d->a, d->req);
	d->req = NULL;
	discard(d);
	d->finished = true;
}

void
download_free(struct download *d)
{
	if (d == NULL)
		return;
	download_cancel(d);
	free(d->dest);
	free(d);
}
