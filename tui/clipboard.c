/* The clipboard for revealed secrets; see clipboard.h. */
#include "tui/clipboard.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "net/base/loop.h"
#include "net/base/xmalloc.h"
#include "tui/job.h"
#include "tui/tmux_buffer.h"
#include "tui/tmux_option.h"

/* The longest secret copied: a pipe takes this much in one write. */
#define CLIPBOARD_MAX_BYTES 4096
/* How long tmux has to say what it does with OSC 52. */
#define CLIPBOARD_TMUX_MS 1500
/* How long reading the clipboard back and clearing it may take. */
#define CLIPBOARD_TOOL_MS 3000
/* What clipboard_free may spend ending a local copy and reaping. */
#define CLIPBOARD_FREE_MS 500

/* The two forms of an OSC 52 sequence. */
#define CLIPBOARD_PLAIN 1 /* ESC ] 52 ; c ; <base64> BEL */
#define CLIPBOARD_DCS   2 /* the same inside tmux's passthrough */

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
	struct clipboard *c;
	struct job *job;
	enum clipboard_kid_kind kind;
	unsigned gen;
	bool ended; /* while freeing: reaped, its result still to read */
	struct clipboard_kid *next;
};

/* One `tmux show -gv OPTION`, asked through the loop. */
struct clipboard_probe {
	struct clipboard *c;
	struct tmux_option *q; /* NULL once settled */
	char out[32];
	bool settled; /* out is the answer ("" when tmux gave none) */
};

/*
 * The copy's lifetime: IDLE, LIVE until its timer, then for OSC 52 the
 * placeholder and IDLE again (SWEEPING first while tmux's paste buffers
 * of it are deleted); for a local tool READING (the paste tool's
 * output comes into back, sodium memory of n + 1 bytes: one more than
 * the secret is answer enough) and, if it was still the secret,
 * CLEARING until the clear command exits.
 */
enum clipboard_state {
	STATE_IDLE,
	STATE_LIVE,
	STATE_READING,
	STATE_CLEARING,
	STATE_SWEEPING,
};

/*
 * The clipboard. The live copy keeps, for a local tool, only a keyed
 * BLAKE2b hash of the secret (key and hash in one sodium allocation).
 * gen numbers copy attempts, so that a child of an earlier copy, reaped
 * late, cannot end a later one. Children are jobs (tui/job.h) on the
 * loop, listed in kids until they are reaped. marks are the copies tmux
 * may hold as paste buffers, kept until a sweep has deleted them.
 */
struct clipboard {
	struct loop *loop;
	bool in_tmux;
	bool over_ssh;
	enum clipboard_tool tool;         /* TOOL_NONE: OSC 52 */
	struct clipboard_probe probes[2]; /* set-clipboard, passthrough */
	struct clipboard_kid *kids;
	void (*asked)(void *ud); /* clipboard_ask's cb, while asking */
	void *asked_ud;
	struct tmux_buffer_mark marks[TMUX_BUFFER_MARKS];
	size_t nmarks;
	struct tmux_buffer_sweep *sweep; /* SWEEPING */
	bool freeing;                    /* no timers, no callbacks */
	bool sodium_ok;                  /* sodium_init worked */
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
	unsigned char *back; /* the paste tool's output, n + 1 bytes */
};

static void clipboard_kid_done(struct clipboard *c,
                               const struct clipboard_kid *k,
                               const struct job_result *r);

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

/* ---- children ------------------------------------------------------------ */

/* Takes k out of the list of children. */
static void
clipboard_kid_unlink(struct clipboard *c, struct clipboard_kid *k)
{
	struct clipboard_kid **pp = &c->kids;

	while (*pp != k)
		pp = &(*pp)->next;
	*pp = k->next;
}

/* A child has been reaped: what it means for the copy, then it goes.
 * While freeing, only marked: clipboard_free reads and frees it. */
static void
clipboard_on_kid(const struct job_result *r, void *ud)
{
	struct clipboard_kid *k = ud;
	struct clipboard *c = k->c;

	if (c->freeing) {
		k->ended = true;
		return;
	}
	clipboard_kid_unlink(c, k);
	clipboard_kid_done(c, k, r);
	job_free(k->job);
	free(k);
}

/*
 * Starts argv as a child of a kind for copy gen, on the loop (without
 * one while freeing): stdin the n bytes (none: /dev/null), stdout into
 * back (n bytes at most, the tool killed at more) when back is given,
 * else /dev/null. The child, or NULL with err.
 */
static struct clipboard_kid *
clipboard_kid_start(struct clipboard *c, const char *const *argv,
                    enum clipboard_kid_kind kind, const unsigned char *in,
                    size_t n, unsigned char *back, struct sc_error *err)
{
	struct clipboard_kid *k = xcalloc(1, sizeof *k);
	struct job_spec spec = { .argv = argv,
		                 .in = in,
		                 .in_len = in != NULL ? n : 0,
		                 .out_buf = back,
		                 .out_max = back != NULL ? n : 0,
		                 .kill_on_over = true,
		                 .done = clipboard_on_kid,
		                 .ud = k };

	*k = (struct clipboard_kid){ .c = c, .kind = kind, .gen = c->gen };
	k->job = job_start(c->freeing ? NULL : c->loop, &spec, err);
	if (k->job == NULL) {
		free(k);
		return NULL;
	}
	k->next = c->kids;
	c->kids = k;
	return k;
}

/* SIGKILLs the unreaped children of a kind (of copy gen; 0: any). */
static void
clipboard_kill(struct clipboard *c, enum clipboard_kid_kind kind, unsigned gen)
{
	struct clipboard_kid *k;

	for (k = c->kids; k != NULL; k = k->next)
		if (k->kind == kind && (gen == 0 || k->gen == gen))
			job_signal(k->job, SIGKILL);
}

/* clipboard_free only: lets the children finish until deadline; what
 * is left is killed and reaped by job_free. */
static void
clipboard_reap_all(struct clipboard *c, long long deadline)
{
	struct clipboard_kid *k;

	clipboard_kill(c, KID_PROBE, 0);
	clipboard_kill(c, KID_BACK, 0);
	while ((k = c->kids) != NULL) {
		c->kids = k->next;
		if (!k->ended)
			job_wait(k->job, deadline);
		job_free(k->job);
		free(k);
	}
}

/* ---- asking tmux --------------------------------------------------------- */

/* Settles a probe with tmux's answer (NULL: none). */
static void
clipboard_probe_settle(struct clipboard_probe *p, const char *value)
{
	snprintf(p->out, sizeof p->out, "%s", value != NULL ? value : "");
	p->settled = true;
}

/* Both probes settled: tells clipboard_ask's caller, once. */
static void
clipboard_asked(struct clipboard *c)
{
	void (*cb)(void *ud) = c->asked;

	if (cb == NULL || !c->probes[0].settled || !c->probes[1].settled)
		return;
	c->asked = NULL;
	cb(c->asked_ud);
}

/* tmux has answered a probe (or not, in time). */
static void
clipboard_on_probe(const char *value, void *ud)
{
	struct clipboard_probe *p = ud;

	clipboard_probe_settle(p, value);
	tmux_option_free(p->q);
	p->q = NULL;
	clipboard_asked(p->c);
}

/* Asks tmux for set-clipboard and allow-passthrough, without waiting. */
static void
clipboard_probe_start(struct clipboard *c)
{
	static const char *const options[] = { "set-clipboard",
		                               "allow-passthrough" };
	int i;

	for (i = 0; i < 2; i++) {
		struct clipboard_probe *p = &c->probes[i];

		p->q = tmux_option_ask(c->loop, options[i], CLIPBOARD_TMUX_MS,
		                       clipboard_on_probe, p);
		if (p->q == NULL)
			clipboard_probe_settle(p, NULL);
	}
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
	enum clipboard_plan plan = clipboard_plan(c);

	return c->in_tmux && (plan == CLIPBOARD_PLAN_TMUX_BUFFER ||
	                      plan == CLIPBOARD_PLAN_UNKNOWN);
}

/* tmux's allow-passthrough: 1 on (or all), 0 off, -1 not known. */
static int
clipboard_passthrough(const struct clipboard *c)
{
	const struct clipboard_probe *p = &c->probes[1];

	if (!p->settled || p->out[0] == '\0')
		return -1;
	return strcmp(p->out, "on") == 0 || strcmp(p->out, "all") == 0;
}

enum clipboard_plan
clipboard_plan(const struct clipboard *c)
{
	const char *v = clipboard_set_clipboard(c);
	int pass = clipboard_passthrough(c);

	if (c->tool != TOOL_NONE)
		return CLIPBOARD_PLAN_LOCAL;
	if (!c->in_tmux)
		return CLIPBOARD_PLAN_TERMINAL;
	if (v != NULL && strcmp(v, "on") == 0)
		return CLIPBOARD_PLAN_TMUX_BUFFER;
	/* external or off: tmux drops an application's OSC 52. */
	if (v == NULL || pass < 0)
		return CLIPBOARD_PLAN_UNKNOWN;
	return pass ? CLIPBOARD_PLAN_PASSTHROUGH : CLIPBOARD_PLAN_BLOCKED;
}

void
clipboard_ask(struct clipboard *c, void (*cb)(void *ud), void *ud)
{
	int i;

	if (!c->in_tmux) {
		cb(ud);
		return;
	}
	c->asked = cb;
	c->asked_ud = ud;
	for (i = 0; i < 2; i++) {
		tmux_option_free(c->probes[i].q);
		c->probes[i].q = NULL;
		c->probes[i].settled = false;
	}
	clipboard_probe_start(c);
	clipboard_asked(c); /* tmux could not be run at all */
}

/* Which OSC 52 forms reach the terminal (see clipboard.h). */
static int
clipboard_forms(const struct clipboard *c)
{
	switch (clipboard_plan(c)) {
	case CLIPBOARD_PLAN_PASSTHROUGH:
		return CLIPBOARD_DCS;
	case CLIPBOARD_PLAN_UNKNOWN:
		return CLIPBOARD_PLAIN | CLIPBOARD_DCS;
	default:
		return CLIPBOARD_PLAIN;
	}
}

/* A copy tmux would drop: why, and the fix; 0 when it would not. */
static int
clipboard_blocked(const struct clipboard *c, struct sc_error *err)
{
	if (clipboard_plan(c) != CLIPBOARD_PLAN_BLOCKED)
		return 0;
	sc_error_set(err, SC_ERR_LOCAL,
	             "tmux's set-clipboard is %s: the copy would not reach "
	             "your terminal; run `tmux set -g set-clipboard on` or "
	             "copy by hand",
	             clipboard_set_clipboard(c));
	return -1;
}

/* Remembers an OSC 52 copy tmux may keep as a paste buffer (the oldest
 * mark goes when they are all taken). */
static void
clipboard_mark(struct clipboard *c, size_t n)
{
	if (!clipboard_tmux_keeps_copies(c))
		return;
	if (c->nmarks == TMUX_BUFFER_MARKS) {
		memmove(c->marks, c->marks + 1,
		        (TMUX_BUFFER_MARKS - 1) * sizeof *c->marks);
		c->nmarks--;
	}
	c->marks[c->nmarks++] = (struct tmux_buffer_mark){ time(NULL), n };
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

/* Starts the copy tool and gives it the bytes; 0, or -1 with err. */
static int
clipboard_local_copy(struct clipboard *c, const unsigned char *bytes, size_t n,
                     unsigned gen, struct sc_error *err)
{
	struct clipboard_kid *k;

	k = clipboard_kid_start(c, clipboard_tools[c->tool].copy, KID_COPY,
	                        bytes, n, NULL, err);
	if (k == NULL)
		return -1;
	k->gen = gen; /* the copy it starts, not the live one */
	return 0;
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

/* True when the len bytes read back are the secret (by its keyed hash). */
static bool
clipboard_back_matches(const struct clipboard *c, size_t len)
{
	unsigned char mine[crypto_generichash_BYTES];
	bool same;

	crypto_generichash(mine, sizeof mine, c->back, len, c->hash,
	                   crypto_generichash_KEYBYTES);
	same = sodium_memcmp(mine, c->hash + crypto_generichash_KEYBYTES,
	                     sizeof mine) == 0;
	sodium_memzero(mine, sizeof mine);
	return same;
}

/* Stops reading back: the paste tool if it runs on, and the bytes read
 * (wiped). */
static void
clipboard_back_close(struct clipboard *c)
{
	clipboard_kill(c, KID_BACK, c->gen);
	if (c->back != NULL) {
		sodium_memzero(c->back, c->n + 1);
		sodium_free(c->back);
		c->back = NULL;
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
	tmux_buffer_sweep_free(c->sweep); /* its marks stay for the next */
	c->sweep = NULL;
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

/* The sweep of tmux's paste buffers has ended: so has the copy. */
static void
clipboard_on_sweep(int deleted, const char *why, void *ud)
{
	struct clipboard *c = ud;

	if (deleted >= 0)
		c->nmarks = 0;
	if (deleted > 0)
		clipboard_finish(c, CLIPBOARD_OVERWRITTEN,
		                 "tmux's paste buffer of the password deleted");
	else if (deleted == 0)
		clipboard_finish(c, CLIPBOARD_OVERWRITTEN,
		                 "tmux kept no paste buffer of the password");
	else
		clipboard_finish(c, CLIPBOARD_OVERWRITTEN,
		                 "but tmux may still hold the password in a "
		                 "paste buffer (%s): see tmux list-buffers",
		                 why != NULL ? why : "tmux failed");
}

/* Deletes tmux's paste buffers of the marked copies (SWEEPING); while
 * freeing, in place. */
static void
clipboard_sweep_start(struct clipboard *c)
{
	struct tmux_buffer_sweep *s;

	c->state = STATE_SWEEPING;
	s = tmux_buffer_sweep(c->freeing ? NULL : c->loop, c->marks, c->nmarks,
	                      c->freeing ? CLIPBOARD_FREE_MS
	                                 : CLIPBOARD_TOOL_MS,
	                      clipboard_on_sweep, c);
	if (s != NULL && c->state == STATE_SWEEPING)
		c->sweep = s;
	else
		tmux_buffer_sweep_free(s);
}

/* OSC 52's end: the placeholder, a single space; then tmux's paste
 * buffers of the copy, if it may keep them. */
static void
clipboard_end_osc52(struct clipboard *c)
{
	struct sc_error err = { 0 };

	if (clipboard_osc52(c, (const unsigned char *)" ", 1, &err) != 0)
		clipboard_finish(c, CLIPBOARD_FAILED,
		                 "the placeholder was not sent: %s",
		                 err.message);
	else if (c->nmarks > 0)
		clipboard_sweep_start(c);
	else
		clipboard_finish(c, CLIPBOARD_OVERWRITTEN,
		                 "a terminal's clipboard cannot be read back "
		                 "to check");
	sc_error_clear(&err);
}

/* The secret is still there: runs the clear command (CLEARING). */
static void
clipboard_clear_start(struct clipboard *c)
{
	const char *const *argv = clipboard_tools[c->tool].clear;
	struct sc_error err = { 0 };

	if (clipboard_kid_start(c, argv, KID_CLEAR, NULL, 0, NULL, &err) ==
	    NULL)
		clipboard_finish(c, CLIPBOARD_FAILED,
		                 "cannot clear the clipboard: %s", err.message);
	else
		c->state = STATE_CLEARING;
	sc_error_clear(&err);
}

/* The paste tool has ended (r): decides. */
static void
clipboard_back_settle(struct clipboard *c, const struct job_result *r)
{
	const char *tool = clipboard_tools[c->tool].paste[0];
	char words[64];

	job_status_words(words, sizeof words, r->status);
	if (r->out_over)
		clipboard_finish(c, CLIPBOARD_LEFT,
		                 "the clipboard holds something else");
	else if (r->status > 0)
		clipboard_finish(c, CLIPBOARD_FAILED,
		                 "%s %s (an empty clipboard does that): "
		                 "check the clipboard yourself",
		                 tool, words);
	else if (!clipboard_back_matches(c, r->out_len))
		clipboard_finish(c, CLIPBOARD_LEFT,
		                 "the clipboard holds something else");
	else {
		clipboard_back_close(c);
		clipboard_clear_start(c);
	}
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
	struct sc_error err = { 0 };

	c->back = sodium_malloc(c->n + 1);
	if (c->back == NULL) {
		clipboard_finish(c, CLIPBOARD_FAILED,
		                 "no secure memory to read the clipboard back");
		return;
	}
	if (clipboard_kid_start(c, argv, KID_BACK, NULL, c->n, c->back, &err) ==
	    NULL) {
		clipboard_finish(c, CLIPBOARD_FAILED, "%s", err.message);
		sc_error_clear(&err);
		return;
	}
	c->state = STATE_READING;
	c->timer = loop_timer_add(c->loop, CLIPBOARD_TOOL_MS,
	                          clipboard_on_deadline, c);
}

/* A child has ended (r): what it means for the copy. */
static void
clipboard_kid_done(struct clipboard *c, const struct clipboard_kid *k,
                   const struct job_result *r)
{
	const struct clipboard_cmds *t = &clipboard_tools[c->tool];
	char words[64];

	if (k->kind == KID_PROBE || k->gen != c->gen)
		return;
	job_status_words(words, sizeof words, r->status);
	if (k->kind == KID_COPY && c->state == STATE_LIVE && r->status > 0) {
		clipboard_finish(c, CLIPBOARD_FAILED, "%s %s: nothing copied",
		                 t->copy[0], words);
	} else if (k->kind == KID_BACK && c->state == STATE_READING) {
		clipboard_back_settle(c, r);
	} else if (k->kind == KID_CLEAR && c->state == STATE_CLEARING) {
		if (r->status > 0)
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
	c->in_tmux = clipboard_env("TMUX") != NULL;
	c->over_ssh = clipboard_env("SSH_TTY") != NULL ||
	              clipboard_env("SSH_CONNECTION") != NULL;
	c->tool = clipboard_pick_tool(c->over_ssh);
	for (i = 0; i < 2; i++)
		c->probes[i].c = c;
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

	if (clipboard_check(bytes, n, err) != 0 ||
	    (route == CLIPBOARD_OSC52 && clipboard_blocked(c, err) != 0))
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
	} else {
		clipboard_mark(c, n);
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
 * loop, done here by waiting for the paste tool until deadline. A clear
 * command started is waited for by clipboard_reap_all.
 */
static void
clipboard_free_local(struct clipboard *c, long long deadline)
{
	const char *const *argv = clipboard_tools[c->tool].paste;
	struct sc_error err = { 0 };
	const struct job_result *r;
	struct clipboard_kid *k;

	clipboard_back_close(c);
	c->back = sodium_malloc(c->n + 1);
	k = c->back == NULL ? NULL
	                    : clipboard_kid_start(c, argv, KID_BACK, NULL, c->n,
	                                          c->back, &err);
	sc_error_clear(&err);
	if (k == NULL || !job_wait(k->job, deadline))
		return;
	r = job_result(k->job);
	if (!r->out_over && r->status <= 0 &&
	    clipboard_back_matches(c, r->out_len))
		clipboard_clear_start(c);
}

void
clipboard_free(struct clipboard *c)
{
	long long deadline = loop_now_ms() + CLIPBOARD_FREE_MS;
	int i;

	if (c == NULL)
		return;
	if (c->timer != 0)
		loop_timer_cancel(c->loop, c->timer);
	c->timer = 0;
	for (i = 0; i < 2; i++)
		tmux_option_free(c->probes[i].q);
	c->freeing = true;
	c->asked = NULL;
	if (c->state == STATE_LIVE && c->route == CLIPBOARD_OSC52) {
		clipboard_end_osc52(c);
	} else if (c->state == STATE_LIVE || c->state == STATE_READING) {
		clipboard_free_local(c, deadline);
	} else if (c->nmarks > 0) { /* a sweep under way, or one failed */
		clipboard_release(c);
		clipboard_sweep_start(c);
	}
	clipboard_release(c);
	clipboard_reap_all(c, deadline);
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
