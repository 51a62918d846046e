/* XDG directories, atomic file writes and the private-file rule. */
#include "net/base/paths.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "net/base/xmalloc.h"

/*
 * Temporary files are .<name>.tmp.<pid>.<TMP_RANDOM letters>: hidden
 * from listings, recognisable to a cleaner (which spares a live pid's),
 * and not guessable, though O_EXCL is what makes a planted name harmless.
 */
#define TMP_MARK     ".tmp."
#define TMP_RANDOM   12
#define TMP_ALPHABET "abcdefghijklmnopqrstuvwxyz234567"
/* A name already taken this often in a row is not chance: give up. */
#define TMP_TRIES 100

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
	fd =
	    open(slash != NULL ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

/* TMP_RANDOM letters from a 32-letter alphabet, so each byte maps evenly. */
static void
random_letters(char out[TMP_RANDOM + 1])
{
	unsigned char b[TMP_RANDOM];
	size_t i;

	/* Idempotent; fails only when the system has no randomness. */
	if (sodium_init() < 0) {
		fputs("sitecare: libsodium cannot initialise\n", stderr);
		abort();
	}
	randombytes_buf(b, sizeof b);
	for (i = 0; i < TMP_RANDOM; i++)
		out[i] = TMP_ALPHABET[b[i] & 31];
	out[TMP_RANDOM] = '\0';
}

/* A fresh temporary name next to path: DIR/.NAME.tmp.PID.RANDOM. */
static char *
temp_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash != NULL ? slash + 1 : path;
	char rnd[TMP_RANDOM + 1];

	random_letters(rnd);
	return xasprintf("%.*s.%s" TMP_MARK "%ld.%s", (int)(base - path), path,
	                 base, (long)getpid(), rnd);
}

/*
 * Creates a temporary file next to path that did not exist before:
 * O_EXCL never opens what is there, not even through a dangling link.
 * Returns its descriptor with *tmp its malloc'd name, or -1 with errno.
 */
static int
open_temp(const char *path, char **tmp)
{
	int i, fd, saved;

	for (i = 0; i < TMP_TRIES; i++) {
		*tmp = temp_name(path);
		fd = open(*tmp,
		          O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		          0600);
		if (fd >= 0)
			return fd;
		saved = errno;
		free(*tmp);
		*tmp = NULL;
		errno = saved;
		if (errno != EEXIST)
			break;
	}
	return -1;
}

/* Says why path was not written (errno) and removes tmp, if any. */
static int
write_failed(const char *path, char *tmp, struct sc_error *err)
{
	sc_error_set(err, SC_ERR_LOCAL, "cannot write %s: %s", path,
	             strerror(errno));
	if (tmp != NULL) {
		unlink(tmp);
		free(tmp);
	}
	return -1;
}

int
paths_write_atomic(const char *path, const void *data, size_t len,
                   unsigned mode, struct sc_error *err)
{
	char *tmp;
	int fd = open_temp(path, &tmp), saved;

	if (fd < 0)
		return write_failed(path, NULL, err);
	/* Created 0600; now exactly what was asked, whatever the umask. */
	if (fchmod(fd, mode) != 0 || write_all(fd, data, len) != 0 ||
	    fsync(fd) != 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return write_failed(path, tmp, err);
	}
	/* rename replaces a symbolic link at path; it never writes through. */
	if (close(fd) != 0 || rename(tmp, path) != 0)
		return write_failed(path, tmp, err);
	sync_parent(path);
	free(tmp);
	return 0;
}

/* Whether s is exactly n letters of TMP_ALPHABET. */
static bool
all_letters(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == '\0' || strchr(TMP_ALPHABET, s[i]) == NULL)
			return false;
	return s[n] == '\0';
}

bool
paths_is_temp_name(const char *name, long *pid)
{
	const char *mark = NULL, *p;
	char *end;

	for (p = strstr(name, TMP_MARK); p != NULL; p = strstr(p + 1, TMP_MARK))
		mark = p;
	if (mark == NULL || mark == name)
		return false;
	p = mark + strlen(TMP_MARK);
	if (*p < '0' || *p > '9')
		return false;
	errno = 0;
	*pid = strtol(p, &end, 10);
	if (errno != 0 || *pid <= 0)
		return false;
	if (*end == '\0')
		return true; /* <name>.tmp.<pid>, before random names */
	return name[0] == '.' && *end == '.' &&
	       all_letters(end + 1, TMP_RANDOM);
}

/* What a file that is not regular is, for the message that refuses it. */
static const char *
type_name(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device";
	return "of an unknown type";
}

/* Who besides us may use a file of mode m, in the refusing message. */
static const char *
open_to(mode_t m)
{
	if ((m & 044) != 0)
		return "readable";
	if ((m & 022) != 0)
		return "writable";
	return "executable";
}

/* Refuses st unless it is a regular file of ours nobody else may use. */
static enum paths_private
check_private(const char *path, const struct stat *st, struct sc_error *err)
{
	if (!S_ISREG(st->st_mode)) {
		sc_error_set(err, SC_ERR_LOCAL, "%s is not a regular file (%s)",
		             path, type_name(st->st_mode));
		return PATHS_PRIVATE_NOT_REGULAR;
	}
	if (st->st_uid != geteuid()) {
		sc_error_set(err, SC_ERR_LOCAL,
		             "%s is owned by uid %lu, not you (uid %lu)", path,
		             (unsigned long)st->st_uid,
		             (unsigned long)geteuid());
		return PATHS_PRIVATE_NOT_PRIVATE;
	}
	if ((st->st_mode & 077) != 0) {
		sc_error_set(err, SC_ERR_LOCAL,
		             "%s is %s by others (mode %04o): chmod 600 %s",
		             path, open_to(st->st_mode),
		             (unsigned)(st->st_mode & 07777), path);
		return PATHS_PRIVATE_NOT_PRIVATE;
	}
	return PATHS_PRIVATE_OK;
}

/* Says why path did not open (errno): O_NOFOLLOW met a link, or other. */
static enum paths_private
open_failed(const char *path, struct sc_error *err)
{
	int e = errno;

	if (e == ELOOP) {
		sc_error_set(err, SC_ERR_LOCAL,
		             "%s is not a regular file (a symbolic link)",
		             path);
		return PATHS_PRIVATE_NOT_REGULAR;
	}
	sc_error_set(err, SC_ERR_LOCAL, "cannot open %s: %s", path,
	             strerror(e));
	return e == ENOENT ? PATHS_PRIVATE_MISSING : PATHS_PRIVATE_UNREADABLE;
}

enum paths_private
paths_open_private(const char *path, int *fd, struct sc_error *err)
{
	struct stat st;
	enum paths_private rc;

	/* O_NONBLOCK: a FIFO opens at once (and is then refused). */
	*fd = open(path,
	           O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (*fd < 0)
		return open_failed(path, err);
	if (fstat(*fd, &st) != 0) {
		sc_error_set(err, SC_ERR_LOCAL, "cannot stat %s: %s", path,
		             strerror(errno));
		rc = PATHS_PRIVATE_UNREADABLE;
	} else {
		rc = check_private(path, &st, err);
	}
	if (rc != PATHS_PRIVATE_OK) {
		close(*fd);
		*fd = -1;
	}
	return rc;
}
