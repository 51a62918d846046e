/* Runs $EDITOR on a private draft and strips what comes back; see editor.h. */
#include "tui/editor.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net/base/paths.h"
#include "net/base/utf8.h"
#include "net/base/loop.h"
#include "net/base/xmalloc.h"
#include "tui/job.h"

/* The draft's name, shown in the editor's title or status line. */
#define DRAFT_NAME "sitecare-draft.txt"

/* Files bigger than this are not read at all, whatever max_len says. */
#define DRAFT_READ_MAX (16 * 1024 * 1024)

/* How long editor_free() lets a SIGTERM'd editor tidy up before SIGKILL. */
#define EDITOR_GRACE_MS 1000

/*
 * A running or finished editor. dir is a directory of its own, made by
 * mkdtemp() (0700), holding the draft at path; editor_free() empties and
 * removes it. original is the draft as written, to tell "saved unchanged"
 * from an edit; it is wiped before it is freed.
 */
struct editor {
	struct job *job; /* the editor, in the foreground; NULL: none */
	char *cmd;
	char *dir;
	char *path;
	char *original;
	size_t original_len;
};

/* The full path of the executable name in $PATH, or NULL; malloc'd. */
static char *
path_lookup(const char *name)
{
	const char *path = getenv("PATH");
	const char *p, *end;

	if (path == NULL)
		path = "/usr/bin:/bin";
	for (p = path; *p != '\0'; p = *end != '\0' ? end + 1 : end) {
		char *full;

		end = strchr(p, ':');
		if (end == NULL)
			end = p + strlen(p);
		if (end == p) /* an empty entry would mean ".": not for this */
			continue;
		full = xasprintf("%.*s/%s", (int)(end - p), p, name);
		if (access(full, X_OK) == 0)
			return full;
		free(full);
	}
	return NULL;
}

/* s quoted for sh when it holds anything beyond a plain path's bytes. */
static char *
shell_quote(char *s)
{
	size_t i, n = 2;
	char *q, *o;

	if (strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	              "0123456789/._+-") == strlen(s))
		return s;
	for (i = 0; s[i] != '\0'; i++)
		n += s[i] == '\'' ? 4 : 1;
	q = o = xmalloc(n + 1);
	*o++ = '\'';
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == '\'') {
			memcpy(o, "'\\''", 4);
			o += 4;
		} else {
			*o++ = s[i];
		}
	}
	*o++ = '\'';
	*o = '\0';
	free(s);
	return q;
}

char *
editor_command(void)
{
	static const char *const fallbacks[] = { "sensible-editor", "editor",
		                                 "nano", "vi" };
	const char *v = getenv("VISUAL");
	size_t i;

	if (v == NULL || v[0] == '\0')
		v = getenv("EDITOR");
	if (v != NULL && v[0] != '\0')
		return xstrdup(v);
	for (i = 0; i < sizeof fallbacks / sizeof fallbacks[0]; i++) {
		char *full = path_lookup(fallbacks[i]);

		if (full != NULL)
			return shell_quote(full);
	}
	return NULL;
}

/* Makes d a directory only we can enter, or says it cannot be. */
static bool
private_dir(const char *d)
{
	struct stat st;

	if (mkdir(d, 0700) != 0 && errno != EEXIST)
		return false;
	if (lstat(d, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != getuid())
		return false;
	return (st.st_mode & 077) == 0 || chmod(d, 0700) == 0;
}

/* A new empty directory for one draft; malloc'd, or NULL with err. */
static char *
draft_dir(struct sc_error *err)
{
	const char *rt = getenv("XDG_RUNTIME_DIR");
	char *base = NULL, *dir;

	if (rt != NULL && rt[0] == '/') {
		base = xasprintf("%s/sitecare", rt);
		if (!private_dir(base)) {
			free(base);
			base = NULL;
		}
	}
	if (base == NULL)
		base = paths_dir(PATHS_STATE, "drafts", err);
	if (base == NULL)
		return NULL;
	dir = xasprintf("%s/edit-XXXXXX", base);
	free(base);
	if (mkdtemp(dir) == NULL) {
		sc_error_set(err, SC_ERR_LOCAL, "cannot make a draft in %s: %s",
		             dir, strerror(errno));
		free(dir);
		return NULL;
	}
	return dir;
}

/* Appends n bytes of s to the growing buffer *buf of length *len. */
static void
append(char **buf, size_t *len, const char *s, size_t n)
{
	*buf = xrealloc(*buf, *len + n + 1);
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
}

/*
 * git commit --cleanup=scissors: the line that ends the message. A task
 * reference at the start of a line ("#12 is fixed") is text, so '#'
 * lines above it stay; only when the staff member removed it do '#'
 * lines count as comments again.
 */
static const char scissors[] =
    "# ------------------------ >8 ------------------------";

/* The draft: initial text, a blank line, the scissors, then help as
 * "# " lines. */
static char *
draft_text(const char *initial, const char *help, size_t *len)
{
	char *buf = xstrdup("");
	const char *p, *nl;

	*len = 0;
	if (initial != NULL && initial[0] != '\0') {
		append(&buf, len, initial, strlen(initial));
		if (initial[strlen(initial) - 1] != '\n')
			append(&buf, len, "\n", 1);
	}
	append(&buf, len, "\n", 1);
	append(&buf, len, scissors, strlen(scissors));
	append(&buf, len, "\n# Everything below the line above is ignored.\n",
	       strlen("\n# Everything below the line above is ignored.\n"));
	for (p = help; p != NULL && *p != '\0'; p = nl != NULL ? nl + 1 : "") {
		size_t n;

		nl = strchr(p, '\n');
		n = nl != NULL ? (size_t)(nl - p) : strlen(p);
		append(&buf, len, n > 0 ? "# " : "#", n > 0 ? 2 : 1);
		append(&buf, len, p, n);
		append(&buf, len, "\n", 1);
	}
	return buf;
}

/* Creates path (0600, must not exist) holding len bytes of data. */
static int
write_draft(const char *path, const char *data, size_t len,
            struct sc_error *err)
{
	int fd = open(
	    path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	size_t off = 0;

	if (fd < 0)
		goto fail;
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int saved = errno;

			close(fd);
			errno = saved;
			goto fail;
		}
		off += (size_t)n;
	}
	if (close(fd) == 0)
		return 0;
fail:
	sc_error_set(err, SC_ERR_LOCAL, "cannot write the draft %s: %s", path,
	             strerror(errno));
	return -1;
}

/* Starts sh -c '<cmd> "$@"' <cmd> <path> on the terminal, signals at
 * their defaults. */
static int
spawn(struct editor *e, struct sc_error *err)
{
	char *script = xasprintf("%s \"$@\"", e->cmd);
	const char *argv[] = { "/bin/sh", "-c", script, e->cmd, e->path, NULL };
	struct job_spec spec = { .argv = argv, .mode = JOB_FOREGROUND };
	struct sc_error why = { 0 };

	e->job = job_start(NULL, &spec, &why);
	free(script);
	if (e->job == NULL)
		sc_error_set(err, SC_ERR_LOCAL, "cannot start the editor (%s)",
		             why.message);
	sc_error_clear(&why);
	return e->job != NULL ? 0 : -1;
}

struct editor *
editor_start(const char *initial, const char *help, struct sc_error *err)
{
	struct editor *e;
	char *cmd = editor_command();

	if (cmd == NULL) {
		sc_error_set(err, SC_ERR_LOCAL,
		             "no editor found: set $VISUAL or $EDITOR");
		return NULL;
	}
	e = xcalloc(1, sizeof *e);
	e->cmd = cmd;
	e->dir = draft_dir(err);
	if (e->dir == NULL)
		goto fail;
	e->path = xasprintf("%s/%s", e->dir, DRAFT_NAME);
	e->original = draft_text(initial, help, &e->original_len);
	if (write_draft(e->path, e->original, e->original_len, err) != 0 ||
	    spawn(e, err) != 0)
		goto fail;
	return e;
fail:
	editor_free(e);
	return NULL;
}

pid_t
editor_pid(const struct editor *e)
{
	return job_pid(e->job);
}

bool
editor_done(struct editor *e)
{
	return e->job == NULL || job_poll(e->job);
}

/* Reads the whole draft into a malloc'd buffer, or NULL with err. */
static char *
read_draft(const char *path, size_t *len, struct sc_error *err)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	size_t cap = 4096;
	char *buf;
	ssize_t n;

	if (fd < 0) {
		sc_error_set(err, SC_ERR_LOCAL, "cannot read the draft: %s",
		             strerror(errno));
		return NULL;
	}
	buf = xmalloc(cap + 1);
	*len = 0;
	for (;;) {
		if (*len == cap) {
			cap *= 2;
			buf = xrealloc(buf, cap + 1);
		}
		n = read(fd, buf + *len, cap - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || *len + (size_t)n > DRAFT_READ_MAX)
			break;
		*len += (size_t)n;
	}
	close(fd);
	if (n == 0) {
		buf[*len] = '\0';
		return buf;
	}
	if (n < 0)
		sc_error_set(err, SC_ERR_LOCAL, "cannot read the draft: %s",
		             strerror(errno));
	else
		sc_error_set(err, SC_ERR_TOO_LARGE,
		             "the draft is over %d MiB; not read",
		             DRAFT_READ_MAX / (1024 * 1024));
	explicit_bzero(buf, *len);
	free(buf);
	return NULL;
}

/* Whitespace git strips from line ends; CR makes CRLF files work. */
static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/*
 * Git's stripspace: writes into out (at least len + 1 bytes) the lines
 * of in above the scissors line (or, without one, minus '#' lines) less
 * trailing whitespace, with
 * runs of blank lines made one and none at either end. Returns the length.
 */
/* Where the scissors line starts in in, or NULL. */
static const char *
find_scissors(const char *in, size_t len)
{
	size_t n = strlen(scissors);
	const char *p = in, *end = in + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl != NULL ? nl : end;
		const char *q = eol;

		while (q > p && is_space(q[-1]))
			q--;
		if ((size_t)(q - p) == n && memcmp(p, scissors, n) == 0)
			return p;
		p = nl != NULL ? nl + 1 : end;
	}
	return NULL;
}

static size_t
strip(const char *in, size_t len, char *out)
{
	const char *cut = find_scissors(in, len);
	const char *p = in, *end = cut != NULL ? cut : in + len;
	size_t o = 0, blanks = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl != NULL ? nl : end;
		const char *q = eol;

		if (cut != NULL || *p != '#') {
			while (q > p && is_space(q[-1]))
				q--;
			if (q == p) {
				blanks++;
			} else {
				if (o > 0)
					out[o++] = '\n';
				if (o > 0 && blanks > 0)
					out[o++] = '\n';
				memcpy(out + o, p, (size_t)(q - p));
				o += (size_t)(q - p);
				blanks = 0;
			}
		}
		p = nl != NULL ? nl + 1 : end;
	}
	out[o] = '\0';
	return o;
}

/* Offset of the first byte of s that is not strict UTF-8, or len. */
static size_t
utf8_invalid_at(const char *s, size_t len)
{
	size_t i, n;
	uint32_t cp;

	for (i = 0; i < len; i += n) {
		n = utf8_decode(s + i, len - i, &cp);
		if (cp == UTF8_INVALID)
			return i;
	}
	return len;
}

/* Line number (from 1) of offset off in s. */
static size_t
line_of(const char *s, size_t off)
{
	size_t i, line = 1;

	for (i = 0; i < off; i++)
		line += s[i] == '\n';
	return line;
}

/* What the editor's exit says, before the draft is looked at. */
static enum editor_outcome
judge_exit(const struct editor *e, struct sc_error *err)
{
	int status = job_result(e->job)->status, code;

	if (status < 0) {
		sc_error_set(err, SC_ERR_LOCAL,
		             "the editor's exit status was lost");
		return EDITOR_FAILED;
	}
	if (WIFSIGNALED(status)) {
		sc_error_set(err, SC_ERR_LOCAL, "the editor was killed by %s",
		             strsignal(WTERMSIG(status)));
		return EDITOR_FAILED;
	}
	code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	if (code == 126 || code == 127) {
		sc_error_set(err, SC_ERR_LOCAL,
		             "could not run the editor \"%s\" (exit status %d)",
		             e->cmd, code);
		return EDITOR_FAILED;
	}
	if (code > 128 && code < 128 + NSIG) { /* sh reports a signal so */
		sc_error_set(err, SC_ERR_LOCAL, "the editor was killed by %s",
		             strsignal(code - 128));
		return EDITOR_FAILED;
	}
	if (code != 0) {
		sc_error_set(err, SC_ERR_LOCAL,
		             "cancelled: the editor exited with status %d",
		             code);
		return EDITOR_CANCELLED;
	}
	return EDITOR_TEXT;
}

/* Checks the stripped message; *msg passes to *text either way. */
static enum editor_outcome
judge_text(char *msg, size_t len, size_t max_len, char **text,
           struct sc_error *err)
{
	size_t bad = utf8_invalid_at(msg, len);
	const char *nul = memchr(msg, '\0', len);

	*text = msg;
	if (len == 0) {
		*text = NULL;
		free(msg);
		sc_error_set(err, SC_ERR_LOCAL,
		             "cancelled: the message was empty");
		return EDITOR_CANCELLED;
	}
	if (nul != NULL || bad < len) {
		size_t at = nul != NULL ? (size_t)(nul - msg) : bad;

		sc_error_set(err, SC_ERR_INVALID,
		             "line %zu of the message is not valid UTF-8 text",
		             line_of(msg, at));
		return EDITOR_FAILED;
	}
	if (len > max_len) {
		sc_error_set(
		    err, SC_ERR_TOO_LARGE,
		    "the message is %zu bytes; at most %zu are allowed", len,
		    max_len);
		return EDITOR_FAILED;
	}
	return EDITOR_TEXT;
}

enum editor_outcome
editor_result(struct editor *e, size_t max_len, char **text,
              struct sc_error *err)
{
	enum editor_outcome out;
	char *raw, *msg;
	size_t len, mlen;

	*text = NULL;
	if (!editor_done(e)) {
		sc_error_set(err, SC_ERR_LOCAL, "the editor is still running");
		return EDITOR_FAILED;
	}
	out = judge_exit(e, err);
	if (out != EDITOR_TEXT)
		return out;
	raw = read_draft(e->path, &len, err);
	if (raw == NULL)
		return EDITOR_FAILED;
	if (len == e->original_len && memcmp(raw, e->original, len) == 0) {
		explicit_bzero(raw, len);
		free(raw);
		sc_error_set(err, SC_ERR_LOCAL,
		             "cancelled: the message was not changed");
		return EDITOR_CANCELLED;
	}
	msg = xmalloc(len + 1);
	mlen = strip(raw, len, msg);
	explicit_bzero(raw, len);
	free(raw);
	return judge_text(
	    msg, mlen, max_len != 0 ? max_len : EDITOR_DEFAULT_MAX, text, err);
}

/* Overwrites the regular file name in dir fd dfd with zeros. */
static void
wipe_file(int dfd, const char *name)
{
	static const char zeros[4096];
	struct stat st;
	off_t left;
	int fd;

	fd = openat(dfd, name, O_WRONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		for (left = st.st_size; left > 0;) {
			size_t n = left < (off_t)sizeof zeros ? (size_t)left
			                                      : sizeof zeros;
			ssize_t w = write(fd, zeros, n);

			if (w <= 0)
				break;
			left -= w;
		}
		fsync(fd);
	}
	close(fd);
}

/* Wipes and removes every file in dir (the draft and the editor's
 * swap or backup files), then dir itself. */
static void
remove_draft_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		struct stat st;

		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) !=
		    0)
			continue;
		if (S_ISREG(st.st_mode))
			wipe_file(dirfd(d), de->d_name);
		unlinkat(dirfd(d), de->d_name,
		         S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0);
	}
	closedir(d);
	rmdir(dir);
}

/* Ends a still running editor: SIGTERM, a grace period, then SIGKILL
 * (by job_free). */
static void
stop_editor(struct editor *e)
{
	job_signal(e->job, SIGTERM);
	job_signal(e->job, SIGCONT); /* a suspended editor must wake to die */
	job_wait(e->job, loop_now_ms() + EDITOR_GRACE_MS);
}

void
editor_free(struct editor *e)
{
	if (e == NULL)
		return;
	if (!editor_done(e))
		stop_editor(e);
	job_free(e->job);
	if (e->dir != NULL)
		remove_draft_dir(e->dir);
	if (e->original != NULL)
		explicit_bzero(e->original, e->original_len);
	free(e->original);
	free(e->path);
	free(e->dir);
	free(e->cmd);
	free(e);
}
