/*
 * libFuzzer harness for tui/config.c. The first byte chooses a key; the
 * rest is a config file, then (after a NUL, if any) a value. Reading the
 * file must keep every value within its key's rules and report each bad
 * line once, with a line number inside the file. Writing back what was
 * read and reading it again gives the same settings. config_update_text
 * refuses the values config_set refuses, and values with a line break;
 * otherwise reading its text gives that key the value config_set gives,
 * and every other key the value it had.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tui/config.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The keys of tui/config.c's table, by name and by number. */
enum key {
	K_URL,
	K_CA_FILE,
	K_PIN,
	K_EMAIL,
	K_READONLY,
	K_THEME,
	K_NOTIFICATIONS,
	K_NOTIFICATION_TEXT,
	K_START_PANE,
	K_HINTS,
	K_MUTED,
	K_CONNECT_TIMEOUT,
	K_KEY_IDLE_MINUTES,
	K_REVEAL_SECONDS,
	K_CLIPBOARD_SECONDS,
	K_IDLE_LOCK_MINUTES,
};

static const char *const key_names[] = {
	[K_URL] = "url",
	[K_CA_FILE] = "ca-file",
	[K_PIN] = "pin",
	[K_EMAIL] = "email",
	[K_READONLY] = "readonly",
	[K_THEME] = "theme",
	[K_NOTIFICATIONS] = "notifications",
	[K_NOTIFICATION_TEXT] = "notification-text",
	[K_START_PANE] = "start-pane",
	[K_HINTS] = "hints",
	[K_MUTED] = "muted",
	[K_CONNECT_TIMEOUT] = "connect-timeout",
	[K_KEY_IDLE_MINUTES] = "key-idle-minutes",
	[K_REVEAL_SECONDS] = "reveal-seconds",
	[K_CLIPBOARD_SECONDS] = "clipboard-seconds",
	[K_IDLE_LOCK_MINUTES] = "idle-lock-minutes",
};

#define NKEYS (sizeof key_names / sizeof key_names[0])

static const char *const notify_names[] = { "off", "bell", "terminal",
	                                    "desktop" };
static const char *const start_pane_names[] = { "auto", "tasks", "chat",
	                                        "credentials", "billing" };

/* Whether two optional strings are equal. */
static bool
same_str(const char *a, const char *b)
{
	return (a == NULL) == (b == NULL) && (a == NULL || strcmp(a, b) == 0);
}

/* The muted ids as the file spells them; the caller frees it. */
static char *
ids_text(const struct config *c)
{
	size_t i, len = 0, cap = c->nmuted * 21 + 1;
	char *out = malloc(cap);

	if (out == NULL)
		abort();
	out[0] = '\0';
	for (i = 0; i < c->nmuted; i++)
		len += (size_t)snprintf(out + len, cap - len, "%s%lld",
		                        i ? "," : "", c->muted[i]);
	return out;
}

/* The string member of c that key i sets, or NULL for other keys. */
static char *const *
string_of(const struct config *c, size_t i)
{
	switch (i) {
	case K_URL:
		return &c->url;
	case K_CA_FILE:
		return &c->ca_file;
	case K_PIN:
		return &c->pin;
	case K_EMAIL:
		return &c->email;
	case K_THEME:
		return &c->theme;
	}
	return NULL;
}

/* The number member of c that key i sets, or NULL for other keys. */
static const int *
number_of(const struct config *c, size_t i)
{
	switch (i) {
	case K_CONNECT_TIMEOUT:
		return &c->connect_timeout;
	case K_KEY_IDLE_MINUTES:
		return &c->key_idle_minutes;
	case K_REVEAL_SECONDS:
		return &c->reveal_seconds;
	case K_CLIPBOARD_SECONDS:
		return &c->clipboard_seconds;
	case K_IDLE_LOCK_MINUTES:
		return &c->idle_lock_minutes;
	}
	return NULL;
}

/* Key i of c as the file would spell it; the caller frees it. */
static char *
value_text(const struct config *c, size_t i)
{
	char *const *s = string_of(c, i);
	const int *n = number_of(c, i);
	const char *v;
	char num[16];
	char *out;

	if (i == K_MUTED)
		return ids_text(c);
	if (s != NULL)
		v = *s != NULL ? *s : "";
	else if (n != NULL) {
		snprintf(num, sizeof num, "%d", *n);
		v = num;
	} else if (i == K_READONLY)
		v = c->readonly ? "true" : "false";
	else if (i == K_NOTIFICATION_TEXT)
		v = c->notification_text ? "true" : "false";
	else if (i == K_HINTS)
		v = c->hints ? "true" : "false";
	else if (i == K_START_PANE)
		v = start_pane_names[c->start_pane];
	else
		v = notify_names[c->notifications];
	if ((out = strdup(v)) == NULL)
		abort();
	return out;
}

/* Whether key i has the same value in a and b (for a string, also both
 * set or both unset). */
static bool
same_key(const struct config *a, const struct config *b, size_t i)
{
	char *x = value_text(a, i), *y = value_text(b, i);
	bool same = strcmp(x, y) == 0;

	free(x);
	free(y);
	return same && (string_of(a, i) == NULL ||
	                same_str(*string_of(a, i), *string_of(b, i)));
}

/* Aborts unless every value of c keeps its key's rules. */
static void
check_values(const struct config *c)
{
	size_t i;

	if ((c->url != NULL && strncasecmp(c->url, "https://", 8) != 0) ||
	    (c->pin != NULL && strncmp(c->pin, "sha256//", 8) != 0) ||
	    (c->email != NULL && strchr(c->email, '@') == NULL))
		abort();
	if ((c->url != NULL && c->url[0] == '\0') ||
	    (c->ca_file != NULL && c->ca_file[0] == '\0') ||
	    (c->theme != NULL && c->theme[0] == '\0'))
		abort(); /* an empty value unsets a string */
	if ((unsigned)c->notifications > CONFIG_NOTIFY_DESKTOP ||
	    (unsigned)c->start_pane > CONFIG_START_BILLING ||
	    c->connect_timeout < 1 || c->connect_timeout > 300 ||
	    c->key_idle_minutes < 1 || c->key_idle_minutes > 1440 ||
	    c->reveal_seconds < 3 || c->reveal_seconds > 120 ||
	    c->clipboard_seconds < 5 || c->clipboard_seconds > 600 ||
	    c->idle_lock_minutes < 0 || c->idle_lock_minutes > 1440)
		abort();
	if ((c->nmuted == 0) != (c->muted == NULL))
		abort();
	for (i = 0; i < c->nmuted; i++)
		if (c->muted[i] <= 0)
			abort();
}

/* Aborts unless c's errors are the `got` new ones, one per bad line. */
static void
check_errors(const struct config *c, size_t got, const char *text)
{
	int lines = 1, last = 0;
	const char *p;
	size_t i;

	for (p = text; *p != '\0'; p++)
		lines += *p == '\n';
	if (got != c->nerrors)
		abort();
	for (i = 0; i < c->nerrors; i++) {
		if (strcmp(c->errors[i].file, "fuzz") != 0 ||
		    c->errors[i].line <= last || c->errors[i].line > lines ||
		    c->errors[i].message[0] == '\0')
			abort();
		last = c->errors[i].line;
	}
}

/* Reads text into a fresh config, checking what config_load_text says. */
static void
load(struct config *c, const char *text)
{
	size_t got;

	config_init(c);
	got = config_load_text(c, "fuzz", text);
	check_errors(c, got, text);
	check_values(c);
}

/* Writing every value of c into a file and reading it gives c again. */
static void
check_written_back(const struct config *c)
{
	char *text = strdup(""), *value, *next, msg[512];
	struct config again;
	size_t i;

	if (text == NULL)
		abort();
	for (i = 0; i < NKEYS; i++) {
		value = value_text(c, i);
		next = config_update_text(text, key_names[i], value, msg,
		                          sizeof msg);
		if (next == NULL)
			abort(); /* a value read from a file is refused */
		free(value);
		free(text);
		text = next;
	}
	load(&again, text);
	if (again.nerrors != 0)
		abort();
	for (i = 0; i < NKEYS; i++)
		if (!same_key(c, &again, i))
			abort();
	config_free(&again);
	free(text);
}

/* config_update_text(old, key, value) against config_set(key, value). */
static void
check_update(const struct config *before, const char *old, size_t key,
             const char *value)
{
	struct config want, after;
	char msg[512], msg2[512];
	char *text, *written;
	int rc;
	size_t i;

	config_init(&want);
	rc = config_set(&want, key_names[key], value, msg, sizeof msg);
	text =
	    config_update_text(old, key_names[key], value, msg2, sizeof msg2);
	/* What config_set takes can be written, unless it spans lines. */
	written = value_text(&want, key);
	if ((rc == 0 && strchr(written, '\n') == NULL) != (text != NULL))
		abort();
	free(written);
	if (text != NULL) {
		load(&after, text);
		if (after.nerrors > before->nerrors)
			abort();
		for (i = 0; i < NKEYS; i++)
			if (!same_key(i == key ? &want : before, &after, i))
				abort();
		config_free(&after);
	}
	free(text);
	config_free(&want);
}

/* This harness models each key of tui/config.c's table; a key added there
 * and not here would go unchecked, so any difference stops the run. */
static void
same_keys(void)
{
	size_t i;

	for (i = 0; i <= NKEYS; i++) {
		const char *name = config_key_name(i);

		if (i == NKEYS ? name != NULL : !same_str(name, key_names[i])) {
			fprintf(stderr,
			        "fuzz_config: key %zu is %s in the table, "
			        "%s here\n",
			        i, name ? name : "(none)",
			        i < NKEYS ? key_names[i] : "(none)");
			abort();
		}
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	same_keys(); /* once: the table does not change while running */
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config c;
	char *old, *value;
	size_t key, n;

	if (size < 1)
		return 0;
	key = data[0] % NKEYS;
	old = strndup((const char *)data + 1, size - 1);
	if (old == NULL)
		abort();
	n = strlen(old);
	value = strndup(n + 1 < size - 1 ? (const char *)data + 2 + n : "",
	                n + 1 < size - 1 ? size - 2 - n : 0);
	if (value == NULL)
		abort();

	load(&c, old);
	check_written_back(&c);
	check_update(&c, old, key, value);
	config_free(&c);
	free(old);
	free(value);
	return 0;
}
