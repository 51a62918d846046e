/* Refusing weak staff-key passphrases: see pass_strength.h. */
#include "tui/pass_strength.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pwquality.h>

#include "net/base/secret.h"
#include "net/base/xmalloc.h"
#include "tui/job.h"

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

/*
 * A check under way: the child that asks pwquality (a job, NULL when
 * none could be made); or the verdict already, when the length decided
 * or no child could be made.
 */
struct pass_strength {
	struct job *job;
	bool decided;
	struct verdict v;
	char *reason; /* a refusal before pwquality (length, or no verdict) */
};

/* In the child: asks pwquality about the passphrase ud, writes the
 * verdict to stdout (the job's pipe). */
static void
child_main(void *ud)
{
	struct verdict v;

	verdict_of(ud, &v);
	(void)!write(STDOUT_FILENO, &v, sizeof v);
}

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
	struct job_spec spec = { .fn = child_main,
		                 .fn_ud = (void *)p,
		                 .out_max = sizeof ps->v };
	struct sc_error err = { 0 };

	ps->job = job_start(NULL, &spec, &err);
	sc_error_clear(&err);
	if (ps->job != NULL)
		return;
	verdict_of(p, &ps->v);
	ps->decided = true;
}

/* The child's verdict, and its end. A child that said nothing (it
 * crashed, or was killed) leaves a reason instead. */
static void
child_verdict(struct pass_strength *ps)
{
	const struct job_result *r;

	job_wait(ps->job, -1);
	r = job_result(ps->job);
	if (r->out_len == sizeof ps->v)
		memcpy(&ps->v, r->out, sizeof ps->v);
	else
		ps->reason = xstrdup("not checked: the strength check "
		                     "stopped; try again");
	job_free(ps->job);
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
