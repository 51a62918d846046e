/* The clipboard for revealed secrets; see clipboard.h. */
#include "tui/clipboard.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "net/base/loop.h"
#include "net/base/xmalloc.h"

/* The longest secret copied: a pipe takes this much in one write. */
#define CLIPBOARD_MAX_BYTES 4096
/* How long tmux has to say what it does with OSC 52. */
#define CLIPBOARD_TMUX_MS 1500
/* How long reading the clipboard back and clearing it may take. */
#define CLIPBOARD_TOOL_MS 3000
/* How often finished children are looked for. */
#define CLIPBOARD_REAP_MS 100
/* What clipboard_free may spend ending a local copy and reaping. */
#define CLIPBOARD_FREE_MS 500

/* The two forms of an OSC 52 sequence. */
#define CLIPBOARD_PLAIN 1 /* ESC ] 52 ; c ; <base64> BEL */
#define CLIPBOARD_DCS   2 /* the same inside tmux's passthrough */

extern char **environ;

enum clipboard_tool { TOOL_NONE, TOOL_WL, TOOL_XCLIP, TOOL_XSEL };

/* A tool's three commands: copy stdin, print the clipboard, empty it
 * (stdin is /dev/null, so the last two tools copy nothing). */
struct clipboard_cmds {
	const char *copy[4];
	const char *paste[5];
	const char *clear[4];
};

static const struct clipboard_cmds clipboard_tools[] = {
	[TOOL_WL] = { { "wl-copy", NULL },
	              { "wl-paste", "-n", NULL },
	              { "wl-copy", "--clear", NULL } },
	[TOOL_XCLIP] = { { "xclip", "-selection", "clipboard", NULL },
	                 { "xclip", "-selection", "clipboard", "-o", NULL },
	                 { "xclip", "-selection", "clipboard", NULL } },
	[TOOL_XSEL] = { { "xsel", "--clipboard", "--input", NULL },
	                { "xsel", "--clipboard", "--output", NULL },
	                { "xsel", "--clipboard", "--input", NULL } },
};

/* What a child is for, which says what its exit means. */
enum clipboard_kid_kind { KID_PROBE, KID_COPY, KID_BACK, KID_CLEAR };

/* A child not yet reaped; gen is the copy it belongs to (0: none). */
struct clipboard_kid {
	pid_t pid;
	enum clipboard_kid_kind kind;
	unsigned gen;
};

/* One `tmux show -gv OPTION`, read through the loop. */
struct clipboard_probe {
	struct clipboard *c;
	int fd; /* -1 once settled */
	char out[32];
	size_t len;
	bool settled; /* out is the answer ("" when tmux gave none) */
};

/*
 * The copy's lifetime: IDLE, LIVE until its timer, then for OSC 52 the
 * placeholder and IDLE again; for a local tool READING (the paste tool's
 * output comes into back, sodium memory of n + 1 bytes: one more than
 * the secret is answer enough) and, if it was still the secret,
 * CLEARING until the clear command exits.
 */
enum clipboard_state { STATE_IDLE, STATE_LIVE, STATE_READING, STATE_CLEARING };

/*
 * The clipboard. The live copy keeps, for a local tool, only a keyed
 * BLAKE2b hash of the secret (key and hash in one sodium allocation).
 * gen numbers copy attempts, so that a child of an earlier copy, reaped
 * late, cannot end a later one. Children go into kids and are reaped by
 * a timer that runs while there are any.
 */
struct clipboard {
	struct loop *loop;
	bool in_tmux;
	bool over_ssh;
	enum clipboard_tool tool;         /* TOOL_NONE: OSC 52 */
	struct clipboard_probe probes[2]; /* set-clipboard, passthrough */
	unsigned probe_timer;
	struct clipboard_kid *kids;
	size_t nkids;
	unsigned reap_timer;
	bool freeing;   /* no timers, no callbacks */
	bool sodium_ok; /* sodium_init worked */
	void (*write)(const char *buf, size_t len, void *ud);
	void *write_ud;

	enum clipboard_state state;
	enum clipboard_route route;
	unsigned gen, last_gen;
	unsigned timer; /* LIVE: the end; READING, CLEARING: the deadline */
	clipboard_end_cb cb;
	void *ud;
	size_t n;
	unsigned char *hash; /* key, then hash */
	unsigned char *back;
	size_t back_len;
	int back_fd;
	int back_errno;
	int back_status;
	bool back_eof, back_exited, back_over;
};

static void clipboard_kid_done(struct clipboard *c,
                               const struct clipboard_kid *k, int status);

/* An environment variable, or NULL when unset or empty. */
static const char *
clipboard_env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

bool
clipboard_on_path(const char *name)
{
	const char *env = getenv("PATH");
	char *dirs, *dir, *save = NULL, *file;
	bool found = false;

	if (env == NULL)
		return false;
	dirs = xstrdup(env);
	for (dir = strtok_r(dirs, ":", &save); dir != NULL && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		file = xasprintf("%s/%s", dir, name);
		found = access(file, X_OK) == 0;
		free(file);
	}
	free(dirs);
	return found;
}

/* The local tool to use, or TOOL_NONE (over SSH, or none there). */
static enum clipboard_tool
clipboard_pick_tool(bool over_ssh)
{
	bool x11 = clipboard_env("DISPLAY") != NULL;

	if (over_ssh)
		return TOOL_NONE;
	if (clipboard_env("WAYLAND_DISPLAY") != NULL &&
	    clipboard_on_path("wl-copy"))
		return TOOL_WL;
	if (x11 && clipboard_on_path("xclip"))
		return TOOL_XCLIP;
	if (x11 && clipboard_on_path("xsel"))
		return TOOL_XSEL;
	return TOOL_NONE;
}

/* A pipe whose two ends do not leak into other children; 0 or errno. */
static int
clipboard_pipe(int fds[2])
{
	if (pipe(fds) != 0)
		return errno;
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	return 0;
}

/* Closes fd if open. */
static void
clipboard_close(int fd)
{
	if (fd >= 0)
		close(fd);
}

/* The spawn attributes: every signal at its default and unblocked (the
 * client ignores SIGPIPE), its own process group (out of the terminal's
 * job control, so a suspended client does not stop a clipboard owner). */
static void
clipboard_spawn_attr(posix_spawnattr_t *attr)
{
	sigset_t all, none;

	sigfillset(&all);
	sigdelset(&all, SIGKILL);
	sigdelset(&all, SIGSTOP);
	sigemptyset(&none);
	posix_spawnattr_init(attr);
	posix_spawnattr_setsigdefault(attr, &all);
	posix_spawnattr_setsigmask(attr, &none);
	posix_spawnattr_setpgroup(attr, 0);
	posix_spawnattr_setflags(attr, POSIX_SPAWN_SETSIGDEF |
	                                   POSIX_SPAWN_SETSIGMASK |
	                                   POSIX_SPAWN_SETPGROUP);
}

/*
 * Starts argv (found on PATH) with stderr on /dev/null, stdin from a pipe
 * (whose non-blocking write end comes back in *to_child) or /dev/null
 * when to_child is NULL, stdout into a pipe (*from_child, non-blocking)
 * or /dev/null. Returns 0 or an errno.
 */
static int
clipboard_spawn(const char *const argv[], int *to_child, int *from_child,
                pid_t *pid)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, rc = 0;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;

	if ((to_child != NULL && (rc = clipboard_pipe(in)) != 0) ||
	    (from_child != NULL && (rc = clipboard_pipe(out)) != 0)) {
		clipboard_close(in[0]);
		clipboard_close(in[1]);
		return rc;
	}
	posix_spawn_file_actions_init(&fa);
	if (to_child != NULL)
		posix_spawn_file_actions_adddup2(&fa, in[0], STDIN_FILENO);
	else
		posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null",
		                                 O_RDONLY, 0);
	if (from_child != NULL)
		posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
	else
		posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO,
		                                 "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null",
	                                 O_WRONLY, 0);
	clipboard_spawn_attr(&attr);
	rc = posix_spawnp(pid, argv[0], &fa, &attr, (char *const *)argv,
	                  environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	clipboard_close(in[0]);
	clipboard_close(out[1]);
	if (rc != 0) {
		clipboard_close(in[1]);
		clipboard_close(out[0]);
		return rc;
	}
	if (to_child != NULL)
		fcntl(*to_child = in[1], F_SETFL, O_NONBLOCK);
	if (from_child != NULL)
		fcntl(*from_child = out[0], F_SETFL, O_NONBLOCK);
	return 0;
}

/* How a child ended, in words ("exited with status 1"). */
static void
clipboard_status_words(char *buf, size_t size, int status)
{
	if (status >= 0 && WIFEXITED(status))
		snprintf(buf, size, "exited with status %d",
		         WEXITSTATUS(status));
	else if (status >= 0 && WIFSIGNALED(status))
		snprintf(buf, size, "was killed by signal %d",
		         WTERMSIG(status));
	else
		snprintf(buf, size, "ended (its status was lost)");
}

/* ---- children ------------------------------------------------------------ */

/* Every 100 ms while there are children: reaps those that have exited
 * (status -1 when someone else's waitpid took it) and says so. */
static void
clipboard_on_reap(void *ud)
{
	struct clipboard *c = ud;
	struct clipboard_kid k;
	size_t i = 0;
	int status = 0;
	pid_t r;

	c->reap_timer = 0;
	while (i < c->nkids) {
		k = c->kids[i];
		r = waitpid(k.pid, &status, WNOHANG);
		if (r == 0 || (r < 0 && errno == EINTR)) {
			i++;
			continue;
		}
		c->kids[i] = c->kids[--c->nkids];
		clipboard_kid_done(c, &k, r == k.pid ? status : -1);
	}
	if (c->nkids > 0 && c->reap_timer == 0)
		c->reap_timer = loop_timer_add(c->loop, CLIPBOARD_REAP_MS,
		                               clipboard_on_reap, c);
}

/* Keeps pid to be reaped, and the reaping timer running. */
static void
clipboard_kid_add(struct clipboard *c, pid_t pid, enum clipboard_kid_kind kind,
                  unsigned gen)
{
	c->kids = xreallocarray(c->kids, c->nkids + 1, sizeof *c->kids);
	c->kids[c->nkids++] = (struct clipboard_kid){ pid, kind, gen };
	if (c->reap_timer == 0 && !c->freeing)
		c->reap_timer = loop_timer_add(c->loop, CLIPBOARD_REAP_MS,
		                               clipboard_on_reap, c);
}

/* SIGKILLs the unreaped children of a kind (of copy gen; 0: any). */
static void
clipboard_kill(struct clipboard *c, enum clipboard_kid_kind kind, unsigned gen)
{
	size_t i;

	for (i = 0; i < c->nkids; i++)
		if (c->kids[i].kind == kind &&
		    (gen == 0 || c->kids[i].gen == gen))
			kill(c->kids[i].pid, SIGKILL);
}

/* Sleeps a few milliseconds (only clipboard_free waits like this). */
static void
clipboard_nap(void)
{
	struct timespec ts = { 0, 5 * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

/* clipboard_free only: waits for pid until deadline; its status, -1 if
 * lost, or -2 when it is still running at the deadline. */
static int
clipboard_wait(struct clipboard *c, pid_t pid, long long deadline)
{
	int status = 0;
	size_t i;
	pid_t r;

	for (;;) {
		r = waitpid(pid, &status, WNOHANG);
		if (r != 0 && !(r < 0 && errno == EINTR))
			break;
		if (loop_now_ms() >= deadline)
			return -2;
		clipboard_nap();
	}
	for (i = 0; i < c->nkids; i++)
		if (c->kids[i].pid == pid)
			c->kids[i] = c->kids[--c->nkids];
	return r == pid ? status : -1;
}

/* clipboard_free only: lets the children finish until deadline, then
 * kills what is left; none is left unreaped. */
static void
clipboard_reap_all(struct clipboard *c, long long deadline)
{
	clipboard_kill(c, KID_PROBE, 0);
	clipboard_kill(c, KID_BACK, 0);
	while (c->nkids > 0) {
		struct clipboard_kid k = c->kids[0];

		if (clipboard_wait(c, k.pid, deadline) == -2) {
			kill(k.pid, SIGKILL);
			while (waitpid(k.pid, NULL, 0) < 0 && errno == EINTR)
				;
			c->kids[0] = c->kids[--c->nkids];
		}
	}
}

/* ---- asking tmux --------------------------------------------------------- */

/* Stops reading a probe; what it printed (first line) is its answer. */
static void
clipboard_probe_settle(struct clipboard_probe *p)
{
	if (p->fd >= 0) {
		loop_remove_fd(p->c->loop, p->fd);
		close(p->fd);
		p->fd = -1;
	}
	p->out[p->len] = '\0';
	p->out[strcspn(p->out, "\r\n")] = '\0';
	p->settled = true;
}

/* A probe's pipe is readable: take the output; at the end, settle. */
static void
clipboard_on_probe(int fd, short revents, void *ud)
{
	struct clipboard_probe *p = ud;
	struct clipboard *c = p->c;
	ssize_t r;

	if (p->fd != fd)
		return;
	r = read(fd, p->out + p->len, sizeof p->out - 1 - p->len);
	if (r > 0)
		p->len += (size_t)r;
	if (r > 0 && p->len < sizeof p->out - 1)
		return;
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	clipboard_probe_settle(p);
	if (c->probes[0].settled && c->probes[1].settled &&
	    c->probe_timer != 0) {
		loop_timer_cancel(c->loop, c->probe_timer);
		c->probe_timer = 0;
	}
}

/* tmux did not answer in time: what is missing stays unknown. */
static void
clipboard_on_probe_deadline(void *ud)
{
	struct clipboard *c = ud;
	int i;

	c->probe_timer = 0;
	clipboard_kill(c, KID_PROBE, 0);
	for (i = 0; i < 2; i++)
		if (!c->probes[i].settled)
			clipboard_probe_settle(&c->probes[i]);
}

/* Asks tmux for set-clipboard and allow-passthrough, without waiting. */
static void
clipboard_probe_start(struct clipboard *c)
{
	static const char *const options[] = { "set-clipboard",
		                               "allow-passthrough" };
	int i;
	pid_t pid;

	for (i = 0; i < 2; i++) {
		struct clipboard_probe *p = &c->probes[i];
		const char *argv[] = { "tmux", "show", "-gv", options[i],
			               NULL };

		if (clipboard_spawn(argv, NULL, &p->fd, &pid) != 0) {
			p->fd = -1;
			p->settled = true;
			continue;
		}
		clipboard_kid_add(c, pid, KID_PROBE, 0);
		loop_add_fd(c->loop, p->fd, POLLIN, clipboard_on_probe, p);
	}
	if (!c->probes[0].settled || !c->probes[1].settled)
		c->probe_timer = loop_timer_add(c->loop, CLIPBOARD_TMUX_MS,
		                                clipboard_on_probe_deadline, c);
}

/* tmux's set-clipboard: "on", "external", "off", or NULL when not known
 * (still asking, no answer, or not inside tmux). */
static const char *
clipboard_set_clipboard(const struct clipboard *c)
{
	const struct clipboard_probe *p = &c->probes[0];

	return c->in_tmux && p->settled && p->out[0] != '\0' ? p->out : NULL;
}

bool
clipboard_tmux_keeps_copies(const struct clipboard *c)
{
	const char *v = clipboard_set_clipboard(c);

	if (!c->in_tmux)
		return false;
	return v == NULL ||
	       (strcmp(v, "external") != 0 && strcmp(v, "off") != 0);
}

/* Which OSC 52 forms reach the terminal (see clipboard.h). */
static int
clipboard_forms(const struct clipboard *c)
{
	const char *v = clipboard_set_clipboard(c);

	if (!c->in_tmux)
		return CLIPBOARD_PLAIN;
	if (v != NULL && (strcmp(v, "on") == 0 || strcmp(v, "external") == 0))
		return CLIPBOARD_PLAIN;
	if (v != NULL && strcmp(v, "off") == 0)
		return CLIPBOARD_DCS;
	return CLIPBOARD_PLAIN | CLIPBOARD_DCS;
}

/* ---- OSC 52 -------------------------------------------------------------- */

/* Writes all of buf to the terminal, between curses' refreshes; a full
 * non-blocking terminal gets a few short waits, then is given up. */
static void
clipboard_write_stdout(const char *buf, size_t len, void *ud)
{
	int waits = 0;
	ssize_t r;

	while (len > 0) {
		r = write(STDOUT_FILENO, buf, len);
		if (r > 0) {
			buf += r;
			len -= (size_t)r;
		} else if (r < 0 && errno == EINTR) {
			continue;
		} else if (r < 0 && errno == EAGAIN && waits++ < 5) {
			loop_wait_fd(STDOUT_FILENO, POLLOUT, 20);
		} else {
			return;
		}
	}
}

/* The DCS passthrough form of seq (every ESC doubled) at out; its length. */
static size_t
clipboard_wrap(char *out, const char *seq, size_t len)
{
	size_t i, o = 7;

	memcpy(out, "\033Ptmux;", 7);
	for (i = 0; i < len; i++) {
		if (seq[i] == '\033')
			out[o++] = '\033';
		out[o++] = seq[i];
	}
	memcpy(out + o, "\033\\", 2);
	return o + 2;
}

/*
 * Sends bytes by OSC 52 in the forms tmux needs. The sequences (the
 * base64 is as secret as the bytes) are built in sodium memory, handed
 * to the writer in one call, then wiped.
 */
static int
clipboard_osc52(struct clipboard *c, const unsigned char *bytes, size_t n,
                struct sc_error *err)
{
	size_t b64 =
	    sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
	size_t plain = 7 + (b64 - 1) + 1, cap = plain + 7 + plain + 1 + 2;
	int forms = clipboard_forms(c);
	char *buf = sodium_malloc(cap), *out;
	size_t len;

	if (buf == NULL) {
		sc_error_set(err, SC_ERR_LOCAL,
		             "no secure memory for the copy: %s",
		             strerror(errno));
		return -1;
	}
	memcpy(buf, "\033]52;c;", 7);
	sodium_bin2base64(buf + 7, b64, bytes, n,
	                  sodium_base64_VARIANT_ORIGINAL);
	buf[plain - 1] = '\a';
	out = forms & CLIPBOARD_PLAIN ? buf : buf + plain;
	len = forms & CLIPBOARD_PLAIN ? plain : 0;
	if (forms & CLIPBOARD_DCS)
		len += clipboard_wrap(buf + plain, buf, plain);
	c->write(out, len, c->write_ud);
	sodium_memzero(buf, cap);
	sodium_free(buf);
	return 0;
}

/* ---- the local tool ------------------------------------------------------ */

/*
 * Writes bytes into the tool's stdin pipe in one non-blocking write (at
 * most PIPE_BUF, so all or nothing). A tool that has gone gives EPIPE:
 * SIGPIPE is blocked meanwhile and, if it came, taken back. 0 or errno.
 */
static int
clipboard_pipe_write(int fd, const unsigned char *bytes, size_t n)
{
	struct timespec zero = { 0, 0 };
	sigset_t pipe_set, old, pending;
	bool was_pending;
	ssize_t r;
	int e = 0;

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe_set, &old);
	sigpending(&pending);
	was_pending = sigismember(&pending, SIGPIPE) == 1;
	do
		r = write(fd, bytes, n);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		e = errno;
	else if ((size_t)r < n)
		e = EAGAIN;
	if (e == EPIPE && !was_pending)
		sigtimedwait(&pipe_set, NULL, &zero);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return e;
}

/* Starts the copy tool and gives it the bytes; 0, or -1 with err. */
static int
clipboard_local_copy(struct clipboard *c, const unsigned char *bytes, size_t n,
                     unsigned gen, struct sc_error *err)
{
	const char *const *argv = clipboard_tools[c->tool].copy;
	int fd = -1, rc;
	pid_t pid;

	rc = clipboard_spawn(argv, &fd, NULL, &pid);
	if (rc != 0) {
		sc_error_set(err, SC_ERR_LOCAL, "cannot run %s: %s", argv[0],
		             strerror(rc));
		return -1;
	}
	rc = clipboard_pipe_write(fd, bytes, n);
	close(fd);
	clipboard_kid_add(c, pid, KID_COPY, gen);
	if (rc == 0)
		return 0;
	kill(pid, SIGKILL);
	sc_error_set(err, SC_ERR_LOCAL, "%s did not take the copy: %s", argv[0],
	             strerror(rc));
	return -1;
}

/* A random key and the keyed BLAKE2b hash of bytes under it, in sodium
 * memory; NULL with err. */
static unsigned char *
clipboard_hash_new(const unsigned char *bytes, size_t n, struct sc_error *err)
{
	unsigned char *h = sodium_malloc(crypto_generichash_KEYBYTES +
	                                 crypto_generichash_BYTES);

	if (h == NULL) {
		sc_error_set(err, SC_ERR_LOCAL,
		             "no secure memory for the copy: %s",
		             strerror(errno));
		return NULL;
	}
	randombytes_buf(h, crypto_generichash_KEYBYTES);
	crypto_generichash(h + crypto_generichash_KEYBYTES,
	                   crypto_generichash_BYTES, bytes, n, h,
	                   crypto_generichash_KEYBYTES);
	return h;
}

/* True when what was read back is the secret (by its keyed hash). */
static bool
clipboard_back_matches(const struct clipboard *c)
{
	unsigned char mine[crypto_generichash_BYTES];
	bool same;

	crypto_generichash(mine, sizeof mine, c->back, c->back_len, c->hash,
	                   crypto_generichash_KEYBYTES);
	same = sodium_memcmp(mine, c->hash + crypto_generichash_KEYBYTES,
	                     sizeof mine) == 0;
	sodium_memzero(mine, sizeof mine);
	return same;
}

/* Stops reading back: the pipe, the paste tool if it runs on, and the
 * bytes read (wiped). */
static void
clipboard_back_close(struct clipboard *c)
{
	if (c->back_fd >= 0) {
		if (!c->freeing)
			loop_remove_fd(c->loop, c->back_fd);
		close(c->back_fd);
		c->back_fd = -1;
	}
	if (!c->back_exited)
		clipboard_kill(c, KID_BACK, c->gen);
	if (c->back != NULL) {
		sodium_memzero(c->back, c->n + 1);
		sodium_free(c->back);
		c->back = NULL;
	}
	c->back_len = 0;
	c->back_errno = c->back_status = 0;
	c->back_eof = c->back_exited = c->back_over = false;
}

/*
 * Reads what the paste tool prints; true at the end: end of file, an
 * error (back_errno), or more bytes than the secret has (back_over: it
 * differs, the rest does not matter and the tool is killed).
 */
static bool
clipboard_back_read(struct clipboard *c)
{
	ssize_t r;

	for (;;) {
		r = read(c->back_fd, c->back + c->back_len,
		         c->n + 1 - c->back_len);
		if (r > 0) {
			c->back_len += (size_t)r;
			if (c->back_len <= c->n)
				continue;
			c->back_over = true;
			clipboard_kill(c, KID_BACK, c->gen);
			return true;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EAGAIN)
			return false;
		c->back_errno = r < 0 ? errno : 0;
		return true;
	}
}

/* ---- the copy's end ------------------------------------------------------ */

/* Lets go of the live copy: timer, reading back, hash. Now IDLE. */
static void
clipboard_release(struct clipboard *c)
{
	if (c->timer != 0 && !c->freeing)
		loop_timer_cancel(c->loop, c->timer);
	c->timer = 0;
	clipboard_back_close(c);
	if (c->hash != NULL) {
		sodium_memzero(c->hash, crypto_generichash_KEYBYTES +
		                            crypto_generichash_BYTES);
		sodium_free(c->hash);
		c->hash = NULL;
	}
	c->state = STATE_IDLE;
	c->cb = NULL;
	c->ud = NULL;
}

/* Ends the live copy and tells its owner how (detail: printf format,
 * or NULL). */
static void clipboard_finish(struct clipboard *c, enum clipboard_end how,
                             const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
clipboard_finish(struct clipboard *c, enum clipboard_end how, const char *fmt,
                 ...)
{
	clipboard_end_cb cb = c->cb;
	void *ud = c->ud;
	char detail[256];
	va_list ap;

	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(detail, sizeof detail, fmt, ap);
		va_end(ap);
	}
	clipboard_release(c);
	if (cb != NULL && !c->freeing)
		cb(how, fmt != NULL ? detail : NULL, ud);
}

/* OSC 52's end: the placeholder, a single space. */
static void
clipboard_end_osc52(struct clipboard *c)
{
	struct sc_error err = { 0 };

	if (clipboard_osc52(c, (const unsigned char *)" ", 1, &err) != 0)
		clipboard_finish(c, CLIPBOARD_FAILED,
		                 "the placeholder was not sent: %s",
		                 err.message);
	else if (clipboard_tmux_keeps_copies(c))
		clipboard_finish(c, CLIPBOARD_OVERWRITTEN,
		                 "placeholder sent; tmux may still hold the "
		                 "copy as a paste buffer");
	else
		clipboard_finish(c, CLIPBOARD_OVERWRITTEN, "placeholder sent");
	sc_error_clear(&err);
}

/* The secret is still there: runs the clear command (CLEARING). */
static void
clipboard_clear_start(struct clipboard *c)
{
	const char *const *argv = clipboard_tools[c->tool].clear;
	pid_t pid;
	int rc;

	rc = clipboard_spawn(argv, NULL, NULL, &pid);
	if (rc != 0) {
		clipboard_finish(c, CLIPBOARD_FAILED,
		                 "cannot run %s to clear the clipboard: %s",
		                 argv[0], strerror(rc));
		return;
	}
	clipboard_kid_add(c, pid, KID_CLEAR, c->gen);
	c->state = STATE_CLEARING;
}

/* Reading back is over (output ended, tool exited): decides. */
static void
clipboard_back_settle(struct clipboard *c)
{
	const char *tool = clipboard_tools[c->tool].paste[0];
	char words[64];

	if (!c->back_eof || !c->back_exited)
		return;
	clipboard_status_words(words, sizeof words, c->back_status);
	if (c->back_over)
		clipboard_finish(c, CLIPBOARD_LEFT,
		                 "the clipboard holds something else");
	else if (c->back_errno != 0)
		clipboard_finish(c, CLIPBOARD_FAILED,
		                 "cannot read the clipboard back: %s",
		                 strerror(c->back_errno));
	else if (c->back_status > 0)
		clipboard_finish(c, CLIPBOARD_FAILED,
		                 "%s %s (an empty clipboard does that): "
		                 "check the clipboard yourself",
		                 tool, words);
	else if (!clipboard_back_matches(c))
		clipboard_finish(c, CLIPBOARD_LEFT,
		                 "the clipboard holds something else");
	else {
		clipboard_back_close(c);
		clipboard_clear_start(c);
	}
}

/* The paste tool's output is readable. */
static void
clipboard_on_back(int fd, short revents, void *ud)
{
	struct clipboard *c = ud;

	if (c->back_fd != fd || !clipboard_back_read(c))
		return;
	loop_remove_fd(c->loop, fd);
	close(fd);
	c->back_fd = -1;
	c->back_eof = true;
	clipboard_back_settle(c);
}

/* Reading back or clearing took too long. */
static void
clipboard_on_deadline(void *ud)
{
	struct clipboard *c = ud;
	const struct clipboard_cmds *t = &clipboard_tools[c->tool];

	c->timer = 0;
	clipboard_kill(c, KID_CLEAR, c->gen);
	clipboard_finish(c, CLIPBOARD_FAILED, "%s did not answer within %d s",
	                 c->state == STATE_READING ? t->paste[0] : t->clear[0],
	                 CLIPBOARD_TOOL_MS / 1000);
}

/* A local copy's end: starts reading the clipboard back (READING). */
static void
clipboard_read_start(struct clipboard *c)
{
	const char *const *argv = clipboard_tools[c->tool].paste;
	pid_t pid;
	int rc;

	c->back = sodium_malloc(c->n + 1);
	if (c->back == NULL) {
		clipboard_finish(c, CLIPBOARD_FAILED,
		                 "no secure memory to read the clipboard back");
		return;
	}
	rc = clipboard_spawn(argv, NULL, &c->back_fd, &pid);
	if (rc != 0) {
		c->back_fd = -1;
		clipboard_finish(c, CLIPBOARD_FAILED, "cannot run %s: %s",
		                 argv[0], strerror(rc));
		return;
	}
	clipboard_kid_add(c, pid, KID_BACK, c->gen);
	loop_add_fd(c->loop, c->back_fd, POLLIN, clipboard_on_back, c);
	c->state = STATE_READING;
	c->timer = loop_timer_add(c->loop, CLIPBOARD_TOOL_MS,
	                          clipboard_on_deadline, c);
}

/* A child has exited (status -1: lost): what it means for the copy. */
static void
clipboard_kid_done(struct clipboard *c, const struct clipboard_kid *k,
                   int status)
{
	const struct clipboard_cmds *t = &clipboard_tools[c->tool];
	char words[64];

	if (k->kind == KID_PROBE || k->gen != c->gen)
		return;
	clipboard_status_words(words, sizeof words, status);
	if (k->kind == KID_COPY && c->state == STATE_LIVE && status > 0) {
		clipboard_finish(c, CLIPBOARD_FAILED, "%s %s: nothing copied",
		                 t->copy[0], words);
	} else if (k->kind == KID_BACK && c->state == STATE_READING) {
		c->back_exited = true;
		c->back_status = status;
		clipboard_back_settle(c);
	} else if (k->kind == KID_CLEAR && c->state == STATE_CLEARING) {
		if (status > 0)
			clipboard_finish(c, CLIPBOARD_FAILED,
			                 "clearing with %s failed: it %s",
			                 t->clear[0], words);
		else
			clipboard_finish(c, CLIPBOARD_CLEARED, NULL);
	}
}

/* The copy's time is up. */
static void
clipboard_on_end(void *ud)
{
	struct clipboard *c = ud;

	c->timer = 0;
	clipboard_end_now(c);
}

void
clipboard_end_now(struct clipboard *c)
{
	if (c == NULL || c->state != STATE_LIVE)
		return;
	if (c->timer != 0)
		loop_timer_cancel(c->loop, c->timer);
	c->timer = 0;
	if (c->route == CLIPBOARD_OSC52)
		clipboard_end_osc52(c);
	else
		clipboard_read_start(c);
}

/* ---- the API ------------------------------------------------------------- */

struct clipboard *
clipboard_new(struct loop *loop)
{
	struct clipboard *c = xcalloc(1, sizeof *c);
	int i;

	c->sodium_ok = sodium_init() >= 0;
	c->loop = loop;
	c->write = clipboard_write_stdout;
	c->back_fd = -1;
	c->in_tmux = clipboard_env("TMUX") != NULL;
	c->over_ssh = clipboard_env("SSH_TTY") != NULL ||
	              clipboard_env("SSH_CONNECTION") != NULL;
	c->tool = clipboard_pick_tool(c->over_ssh);
	for (i = 0; i < 2; i++) {
		c->probes[i].c = c;
		c->probes[i].fd = -1;
	}
	if (c->in_tmux)
		clipboard_probe_start(c);
	return c;
}

/* Checks what clipboard_copy is given; 0, or -1 with err. */
static int
clipboard_check(const unsigned char *bytes, size_t n, struct sc_error *err)
{
	if (bytes == NULL || n == 0) {
		sc_error_set(err, SC_ERR_INVALID, "nothing to copy");
		return -1;
	}
	if (n > CLIPBOARD_MAX_BYTES) {
		sc_error_set(err, SC_ERR_TOO_LARGE,
		             "too long to copy (over %d bytes)",
		             CLIPBOARD_MAX_BYTES);
		return -1;
	}
	return 0;
}

int
clipboard_copy(struct clipboard *c, const unsigned char *bytes, size_t n,
               int clear_ms, clipboard_end_cb end_cb, void *ud,
               struct sc_error *err)
{
	enum clipboard_route route =
	    c->tool != TOOL_NONE ? CLIPBOARD_LOCAL : CLIPBOARD_OSC52;
	unsigned gen = ++c->last_gen;
	unsigned char *hash = NULL;
	clipboard_end_cb prev_cb = c->cb;
	void *prev_ud = c->ud;
	bool had_prev = c->state != STATE_IDLE;

	if (clipboard_check(bytes, n, err) != 0)
		return -1;
	if (!c->sodium_ok) {
		sc_error_set(err, SC_ERR_LOCAL, "libsodium did not start");
		return -1;
	}
	if (route == CLIPBOARD_LOCAL) {
		hash = clipboard_hash_new(bytes, n, err);
		if (hash == NULL)
			return -1;
		if (clipboard_local_copy(c, bytes, n, gen, err) != 0) {
			sodium_free(hash);
			return -1;
		}
	} else if (clipboard_osc52(c, bytes, n, err) != 0) {
		return -1;
	}
	clipboard_release(c);
	c->gen = gen;
	c->state = STATE_LIVE;
	c->route = route;
	c->n = n;
	c->hash = hash;
	c->cb = end_cb;
	c->ud = ud;
	c->timer = loop_timer_add(c->loop, clear_ms > 0 ? clear_ms : 0,
	                          clipboard_on_end, c);
	if (had_prev && prev_cb != NULL)
		prev_cb(CLIPBOARD_OVERWRITTEN, "replaced by a new copy",
		        prev_ud);
	return (int)route;
}

/*
 * clipboard_free only, for a live local copy: the same end as from the
 * loop, done here with waits on the pipe until deadline. A clear
 * command started is waited for by clipboard_reap_all.
 */
static void
clipboard_free_local(struct clipboard *c, long long deadline)
{
	const char *const *argv = clipboard_tools[c->tool].paste;
	bool done = false;
	long long left;
	pid_t pid;

	clipboard_back_close(c);
	c->back = sodium_malloc(c->n + 1);
	if (c->back == NULL ||
	    clipboard_spawn(argv, NULL, &c->back_fd, &pid) != 0) {
		c->back_fd = -1;
		return;
	}
	clipboard_kid_add(c, pid, KID_BACK, c->gen);
	while (!done && (left = deadline - loop_now_ms()) > 0) {
		if (loop_wait_fd(c->back_fd, POLLIN, (int)left) > 0)
			done = clipboard_back_read(c);
	}
	c->back_status = done ? clipboard_wait(c, pid, deadline) : -2;
	c->back_exited = c->back_status != -2;
	if (done && c->back_exited && !c->back_over && c->back_errno == 0 &&
	    c->back_status <= 0 && clipboard_back_matches(c))
		clipboard_clear_start(c);
}

void
clipboard_free(struct clipboard *c)
{
	long long deadline = loop_now_ms() + CLIPBOARD_FREE_MS;
	int i;

	if (c == NULL)
		return;
	if (c->probe_timer != 0)
		loop_timer_cancel(c->loop, c->probe_timer);
	if (c->reap_timer != 0)
		loop_timer_cancel(c->loop, c->reap_timer);
	if (c->timer != 0)
		loop_timer_cancel(c->loop, c->timer);
	c->probe_timer = c->reap_timer = c->timer = 0;
	for (i = 0; i < 2; i++)
		if (c->probes[i].fd >= 0)
			clipboard_probe_settle(&c->probes[i]);
	if (c->back_fd >= 0)
		loop_remove_fd(c->loop, c->back_fd);
	c->freeing = true;
	if (c->state == STATE_LIVE && c->route == CLIPBOARD_OSC52)
		clipboard_end_osc52(c);
	else if (c->state == STATE_LIVE || c->state == STATE_READING)
		clipboard_free_local(c, deadline);
	clipboard_release(c);
	clipboard_reap_all(c, deadline);
	free(c->kids);
	free(c);
}

void
clipboard_set_writer(struct clipboard *c,
                     void (*writer)(const char *buf, size_t len, void *ud),
                     void *ud)
{
	c->write = writer != NULL ? writer : clipboard_write_stdout;
	c->write_ud = writer != NULL ? ud : NULL;
}
