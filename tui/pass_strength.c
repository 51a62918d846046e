/* Refusing weak staff-key passphrases: see pass_strength.h. */
#include "tui/pass_strength.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pwquality.h>

#include "net/base/secret.h"
#include "net/base/xmalloc.h"

/* The passphrase's length in characters (UTF-8 lead bytes). */
static size_t
chars_of(const unsigned char *p)
{
	size_t i, n = 0;

	for (i = 0; p[i] != '\0'; i++)
		n += (p[i] & 0xc0) != 0x80;
	return n;
}

/* pwquality's settings: its defaults, our minimum, the system's file. */
static pwquality_settings_t *
settings_new(void)
{
	pwquality_settings_t *s = pwquality_default_settings();
	void *aux = NULL;

	if (s == NULL)
		abort(); /* out of memory */
	pwquality_set_int_value(s, PWQ_SETTING_MIN_LENGTH,
	                        PASS_STRENGTH_MIN_CHARS);
	/* No file, or one it cannot parse: the defaults stand. */
	(void)pwquality_read_config(s, NULL, &aux);
	return s;
}

/* pwquality's answer: its code (< 0: refused) and its words. */
struct verdict {
	int rv;
	char msg[PWQ_MAX_ERROR_MESSAGE_LEN];
};

/* Asks pwquality about p, in this process. */
static void
verdict_of(const char *p, struct verdict *v)
{
	pwquality_settings_t *s = settings_new();
	void *aux = NULL;
	const char *msg;

	memset(v, 0, sizeof *v);
	v->rv = pwquality_check(s, p, NULL, NULL, &aux);
	if (v->rv < 0) {
		msg = pwquality_strerror(v->msg, sizeof v->msg, v->rv, aux);
		if (msg != v->msg)
			snprintf(v->msg, sizeof v->msg, "%s",
			         msg != NULL ? msg : "");
	}
	pwquality_free_settings(s);
}

/* Reads exactly len bytes of fd; 0, or -1. */
static int
read_all(int fd, void *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = read(fd, (char *)buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

/*
 * A check under way: the child that asks pwquality (pid, -1 when none
 * could be made) and the pipe its verdict comes through; or the verdict
 * already, when the length decided or no child could be made.
 */
struct pass_strength {
	pid_t pid;
	int fd;
	bool decided;
	struct verdict v;
	char *reason; /* a refusal before pwquality (length, or no verdict) */
};

/*
 * Asks pwquality in a child process. pwquality and cracklib copy the
 * passphrase (lowercased, reversed, mangled) into ordinary heap and
 * stack, and Debian's build leaves most of those copies unwiped; here
 * they die with the child, which hands back only the verdict. When no
 * child can be made, the same check runs in this process, now.
 */
static void
ask_child(struct pass_strength *ps, const char *p)
{
	int fds[2];

	ps->pid = -1;
	if (pipe(fds) != 0) {
		verdict_of(p, &ps->v);
		ps->decided = true;
		return;
	}
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	ps->pid = fork();
	if (ps->pid == 0) {
		close(fds[0]);
		verdict_of(p, &ps->v);
		(void)!write(fds[1], &ps->v, sizeof ps->v);
		_exit(0); /* no atexit handlers, no stdio flush */
	}
	close(fds[1]);
	ps->fd = fds[0];
	if (ps->pid < 0) {
		close(ps->fd);
		verdict_of(p, &ps->v);
		ps->decided = true;
	}
}

/* The child's verdict, and its end. A child that said nothing (it
 * died) refuses: the passphrase is not at hand to check it here. */
static void
child_verdict(struct pass_strength *ps)
{
	bool ok = read_all(ps->fd, &ps->v, sizeof ps->v) == 0;

	close(ps->fd);
	while (waitpid(ps->pid, NULL, 0) < 0 && errno == EINTR)
		;
	if (!ok)
		ps->reason = xstrdup("not checked: the strength check "
		                     "stopped; try again");
	ps->v.msg[sizeof ps->v.msg - 1] = '\0';
}
/* pwquality's words, about "it" rather than "The password". */
static char *
weak_reason(const struct verdict *v)
{
	static const char lead[] = "The password ";

	if (v->msg[0] == '\0')
		return xstrdup("too weak: it is too easy to guess");
	if (strncmp(v->msg, lead, sizeof lead - 1) == 0)
		return xasprintf("too weak: it %s", v->msg + sizeof lead - 1);
	return xasprintf("too weak: %s", v->msg);
}

struct pass_strength *
pass_strength_start(struct secret *pass)
{
	struct pass_strength *ps = xcalloc(1, sizeof *ps);
	const char *p = (const char *)secret_open_read(pass);

	if (chars_of((const unsigned char *)p) < PASS_STRENGTH_MIN_CHARS) {
		ps->reason = xasprintf("too short: at least %d characters",
		                       PASS_STRENGTH_MIN_CHARS);
		ps->decided = true;
	} else
		ask_child(ps, p);
	secret_close(pass);
	return ps;
}

int
pass_strength_finish(struct pass_strength *ps, char **reason)
{
	int rc;

	if (!ps->decided)
		child_verdict(ps);
	*reason = ps->reason;
	rc = ps->reason != NULL || ps->v.rv < 0 ? -1 : 0;
	if (ps->reason == NULL && rc != 0)
		*reason = weak_reason(&ps->v);
	free(ps);
	return rc;
}

int
pass_strength_check(struct secret *pass, char **reason)
{
	return pass_strength_finish(pass_strength_start(pass), reason);
}
