/* Refusing weak staff-key passphrases: see pass_strength.h. */
#include "tui/pass_strength.h"

#include <stdlib.h>
#include <string.h>

#include <pwquality.h>

#include "net/secret.h"
#include "net/xmalloc.h"

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

/* pwquality's words for rv, about "it" rather than "The password". */
static char *
weak_reason(int rv, void *aux)
{
	static const char lead[] = "The password ";
	char buf[PWQ_MAX_ERROR_MESSAGE_LEN];
	const char *msg = pwquality_strerror(buf, sizeof buf, rv, aux);

	if (msg == NULL)
		msg = "it is too easy to guess";
	else if (strncmp(msg, lead, sizeof lead - 1) == 0)
		return xasprintf("too weak: it %s", msg + sizeof lead - 1);
	return xasprintf("too weak: %s", msg);
}

int
pass_strength_check(struct secret *pass, char **reason)
{
	const char *p = (const char *)secret_open_read(pass);
	pwquality_settings_t *s;
	void *aux = NULL;
	int rv;

	*reason = NULL;
	if (chars_of((const unsigned char *)p) < PASS_STRENGTH_MIN_CHARS) {
		secret_close(pass);
		*reason = xasprintf("too short: at least %d characters",
		                    PASS_STRENGTH_MIN_CHARS);
		return -1;
	}
	s = settings_new();
	rv = pwquality_check(s, p, NULL, NULL, &aux);
	secret_close(pass);
	if (rv < 0)
		*reason = weak_reason(rv, aux);
	pwquality_free_settings(s);
	return rv < 0 ? -1 : 0;
}
