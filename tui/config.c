/* Reads and rewrites the config file through one table of keys. */
#include "tui/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/client/http.h"
#include "net/base/paths.h"
#include "net/base/xmalloc.h"

/* The longest config file read; the rest is reported and ignored. */
#define CONFIG_MAX_SIZE (1024 * 1024)

enum key_type {
	KEY_STRING,
	KEY_BOOL,
	KEY_INT,
	KEY_ENUM,
	KEY_IDS,
};

/*
 * The table every key goes through: reading the file, config_set and
 * config_update all parse with the key's parse function (which checks
 * the bounds or choices) and write with its serialise function, so the
 * file, the defaults and the checks are described once. off is where the
 * value sits in struct config; check is an extra test for strings.
 */
struct config_key {
	const char *name;
	enum key_type type;
	const char *def;
	int min;
	int max;
	const char *const *choices;
	const char *help;
	size_t off;
	int (*check)(const char *v, char *msg, size_t len);
	int (*parse)(const struct config_key *k, struct config *c,
	             const char *v, char *msg, size_t len);
	char *(*serialise)(const struct config_key *k, const struct config *c);
};

static int parse_string(const struct config_key *k, struct config *c,
                        const char *v, char *msg, size_t len);
static int parse_bool(const struct config_key *k, struct config *c,
                      const char *v, char *msg, size_t len);
static int parse_int(const struct config_key *k, struct config *c,
                     const char *v, char *msg, size_t len);
static int parse_enum(const struct config_key *k, struct config *c,
                      const char *v, char *msg, size_t len);
static char *serialise_string(const struct config_key *k,
                              const struct config *c);
static char *serialise_bool(const struct config_key *k, const struct config *c);
static char *serialise_int(const struct config_key *k, const struct config *c);
static char *serialise_enum(const struct config_key *k, const struct config *c);
static int parse_ids(const struct config_key *k, struct config *c,
                     const char *v, char *msg, size_t len);
static char *serialise_ids(const struct config_key *k, const struct config *c);
static int check_url(const char *v, char *msg, size_t len);
static int check_pin(const char *v, char *msg, size_t len);
static int check_email(const char *v, char *msg, size_t len);

static const char *const notification_names[] = { "off", "bell", "terminal",
	                                          "desktop", NULL };
static const char *const start_pane_names[] = { "auto",    "tasks",
	                                        "chat",    "credentials",
	                                        "billing", NULL };

#define STRING_KEY(n, member, chk, h)                                          \
	{                                                                      \
		.name = n, .type = KEY_STRING,                                 \
		.off = offsetof(struct config, member), .check = chk,          \
		.help = h, .parse = parse_string,                              \
		.serialise = serialise_string                                  \
	}

static const struct config_key keys[] = {
	STRING_KEY("url", url, check_url, "the service's base URL (https)"),
	STRING_KEY("ca-file", ca_file, NULL,
	           "a CA file to trust instead of the system's store"),
	STRING_KEY("pin", pin, check_pin,
	           "the server's public-key pin, sha256//BASE64"),
	STRING_KEY("email", email, check_email,
	           "the email the sign-in starts with"),
	{ .name = "readonly",
	  .type = KEY_BOOL,
	  .def = "false",
	  .off = offsetof(struct config, readonly),
	  .help = "turn off every action that changes anything",
	  .parse = parse_bool,
	  .serialise = serialise_bool },
	{ .name = "theme",
	  .type = KEY_STRING,
	  .def = "default",
	  .off = offsetof(struct config, theme),
	  .help = "the colour theme",
	  .parse = parse_string,
	  .serialise = serialise_string },
	{ .name = "notifications",
	  .type = KEY_ENUM,
	  .def = "bell",
	  .choices = notification_names,
	  .off = offsetof(struct config, notifications),
	  .help = "how new messages are announced: off, bell, terminal, "
	          "desktop",
	  .parse = parse_enum,
	  .serialise = serialise_enum },
	{ .name = "notification-text",
	  .type = KEY_BOOL,
	  .def = "true",
	  .off = offsetof(struct config, notification_text),
	  .help = "show the message's first words in a notification "
	          "(false: only who wrote)",
	  .parse = parse_bool,
	  .serialise = serialise_bool },
	{ .name = "start-pane",
	  .type = KEY_ENUM,
	  .def = "auto",
	  .choices = start_pane_names,
	  .off = offsetof(struct config, start_pane),
	  .help = "the pane shown after sign-in: auto (support: chat, "
	          "others: tasks), tasks, chat, credentials, billing",
	  .parse = parse_enum,
	  .serialise = serialise_enum },
	{ .name = "hints",
	  .type = KEY_BOOL,
	  .def = "on",
	  .off = offsetof(struct config, hints),
	  .help = "show the hint bar of keys above the status line",
	  .parse = parse_bool,
	  .serialise = serialise_bool },
	{ .name = "muted",
	  .type = KEY_IDS,
	  .def = "",
	  .off = offsetof(struct config, muted),
	  .help = "conversation ids never notified, comma-separated",
	  .parse = parse_ids,
	  .serialise = serialise_ids },
	{ .name = "connect-timeout",
	  .type = KEY_INT,
	  .def = "10",
	  .min = 1,
	  .max = 300,
	  .off = offsetof(struct config, connect_timeout),
	  .help = "seconds to wait for a connection",
	  .parse = parse_int,
	  .serialise = serialise_int },
	{ .name = "key-idle-minutes",
	  .type = KEY_INT,
	  .def = "10",
	  .min = 1,
	  .max = 1440,
	  .off = offsetof(struct config, key_idle_minutes),
	  .help = "lock the unlocked staff key after this many idle minutes",
	  .parse = parse_int,
	  .serialise = serialise_int },
	{ .name = "reveal-seconds",
	  .type = KEY_INT,
	  .def = "15",
	  .min = 3,
	  .max = 120,
	  .off = offsetof(struct config, reveal_seconds),
	  .help = "seconds a revealed credential stays shown",
	  .parse = parse_int,
	  .serialise = serialise_int },
	{ .name = "clipboard-seconds",
	  .type = KEY_INT,
	  .def = "30",
	  .min = 5,
	  .max = 600,
	  .off = offsetof(struct config, clipboard_seconds),
	  .help = "seconds before a copied password is cleared or "
	          "overwritten",
	  .parse = parse_int,
	  .serialise = serialise_int },
	{ .name = "idle-lock-minutes",
	  .type = KEY_INT,
	  .def = "0",
	  .min = 0,
	  .max = 1440,
	  .off = offsetof(struct config, idle_lock_minutes),
	  .help = "lock the screen after this many idle minutes (0: never)",
	  .parse = parse_int,
	  .serialise = serialise_int },
};

#define NKEYS (sizeof keys / sizeof keys[0])

/* The member of c that k describes. */
static void *
slot(const struct config_key *k, const struct config *c)
{
	return (char *)c + k->off;
}

/* ---- per-type parsing and writing --------------------------------- */

static int
parse_string(const struct config_key *k, struct config *c, const char *v,
             char *msg, size_t len)
{
	char **s = slot(k, c);

	if (k->check != NULL && v[0] != '\0' && k->check(v, msg, len) != 0)
		return -1;
	free(*s);
	*s = v[0] != '\0' ? xstrdup(v) : NULL;
	return 0;
}

static int
parse_bool(const struct config_key *k, struct config *c, const char *v,
           char *msg, size_t len)
{
	bool *b = slot(k, c);

	if (strcmp(v, "true") == 0 || strcmp(v, "yes") == 0 ||
	    strcmp(v, "on") == 0 || strcmp(v, "1") == 0)
		*b = true;
	else if (strcmp(v, "false") == 0 || strcmp(v, "no") == 0 ||
	         strcmp(v, "off") == 0 || strcmp(v, "0") == 0)
		*b = false;
	else {
		snprintf(msg, len, "%s: expected true or false, not \"%s\"",
		         k->name, v);
		return -1;
	}
	return 0;
}

static int
parse_int(const struct config_key *k, struct config *c, const char *v,
          char *msg, size_t len)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || n < k->min ||
	    n > k->max) {
		snprintf(msg, len,
		         "%s: expected a number from %d to %d, not "
		         "\"%s\"",
		         k->name, k->min, k->max, v);
		return -1;
	}
	*(int *)slot(k, c) = (int)n;
	return 0;
}

static int
parse_enum(const struct config_key *k, struct config *c, const char *v,
           char *msg, size_t len)
{
	int i;

	for (i = 0; k->choices[i] != NULL; i++)
		if (strcmp(v, k->choices[i]) == 0) {
			*(int *)slot(k, c) = i;
			return 0;
		}
	snprintf(msg, len, "%s: \"%s\" is not one of", k->name, v);
	for (i = 0; k->choices[i] != NULL; i++) {
		size_t used = strlen(msg);

		snprintf(msg + used, len - used, "%s %s", i ? "," : "",
		         k->choices[i]);
	}
	return -1;
}

static char *
serialise_string(const struct config_key *k, const struct config *c)
{
	char *const *s = slot(k, c);

	return xstrdup(*s != NULL ? *s : "");
}

static char *
serialise_bool(const struct config_key *k, const struct config *c)
{
	return xstrdup(*(bool *)slot(k, c) ? "true" : "false");
}

static char *
serialise_int(const struct config_key *k, const struct config *c)
{
	return xasprintf("%d", *(int *)slot(k, c));
}

static char *
serialise_enum(const struct config_key *k, const struct config *c)
{
	return xstrdup(k->choices[*(int *)slot(k, c)]);
}

/*
 * A list of positive ids separated by commas or spaces; the count sits
 * in the size_t right after the pointer (struct config keeps them
 * together as muted, nmuted).
 */
_Static_assert(offsetof(struct config, nmuted) ==
                   offsetof(struct config, muted) + sizeof(long long *),
               "parse_ids expects the count right after the ids");

static int
parse_ids(const struct config_key *k, struct config *c, const char *v,
          char *msg, size_t len)
{
	long long **ids = slot(k, c);
	size_t *n = (size_t *)((char *)slot(k, c) + sizeof(long long *));
	long long *out = NULL;
	size_t count = 0;
	const char *p = v;

	while (*p != '\0') {
		char *end;
		long long id;

		if (*p == ',' || isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		errno = 0;
		id = strtoll(p, &end, 10);
		if (errno != 0 || end == p || id <= 0 ||
		    (*end != '\0' && *end != ',' &&
		     !isspace((unsigned char)*end))) {
			snprintf(msg, len,
			         "%s: expected ids separated by commas, not "
			         "\"%s\"",
			         k->name, v);
			free(out);
			return -1;
		}
		out = xgrowarray(out, count, sizeof *out);
		out[count++] = id;
		p = end;
	}
	free(*ids);
	*ids = out;
	*n = count;
	return 0;
}

static char *
serialise_ids(const struct config_key *k, const struct config *c)
{
	long long *const *ids = slot(k, c);
	size_t n =
	    *(const size_t *)((const char *)slot(k, c) + sizeof(long long *));
	char *out = xstrdup("");
	size_t i;

	for (i = 0; i < n; i++) {
		char *next =
		    xasprintf("%s%s%lld", out, i ? "," : "", (*ids)[i]);

		free(out);
		out = next;
	}
	return out;
}

static int
check_url(const char *v, char *msg, size_t len)
{
	struct sc_error err = { 0 };
	int rc = http_url_check(v, NULL, NULL, &err);

	if (rc != 0)
		snprintf(msg, len, "url: %s", err.message);
	sc_error_clear(&err);
	return rc;
}

static int
check_pin(const char *v, char *msg, size_t len)
{
	if (strncmp(v, "sha256//", 8) == 0 && v[8] != '\0')
		return 0;
	snprintf(msg, len, "pin: expected sha256//BASE64");
	return -1;
}

static int
check_email(const char *v, char *msg, size_t len)
{
	if (strchr(v, '@') != NULL && strpbrk(v, " \t") == NULL)
		return 0;
	snprintf(msg, len, "email: \"%s\" is not an email address", v);
	return -1;
}

/* ---- the table ---------------------------------------------------- */

/* The key called name, or NULL. */
static const struct config_key *
find_key(const char *name)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

const char *
config_key_name(size_t i)
{
	return i < NKEYS ? keys[i].name : NULL;
}

void
config_init(struct config *c)
{
	char msg[256];
	size_t i;

	memset(c, 0, sizeof *c);
	for (i = 0; i < NKEYS; i++)
		if (keys[i].def != NULL)
			keys[i].parse(&keys[i], c, keys[i].def, msg,
			              sizeof msg);
}

void
config_free(struct config *c)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (keys[i].type == KEY_STRING) {
			char **s = slot(&keys[i], c);

			free(*s);
		}
	free(c->muted);
	for (i = 0; i < c->nerrors; i++) {
		free(c->errors[i].file);
		free(c->errors[i].message);
	}
	free(c->errors);
	memset(c, 0, sizeof *c);
}

int
config_set(struct config *c, const char *key, const char *value, char *msg,
           size_t msglen)
{
	const struct config_key *k = find_key(key);

	if (k == NULL) {
		snprintf(msg, msglen, "unknown key \"%s\"", key);
		return -1;
	}
	return k->parse(k, c, value, msg, msglen);
}

/* ---- reading ------------------------------------------------------ */

/* Keeps one error for the caller to show. */
static void
add_error(struct config *c, const char *file, int line, const char *msg)
{
	c->errors = xreallocarray(c->errors, c->nerrors + 1, sizeof *c->errors);
	c->errors[c->nerrors].file = xstrdup(file);
	c->errors[c->nerrors].line = line;
	c->errors[c->nerrors].message = xstrdup(msg);
	c->nerrors++;
}

/* Trims spaces at both ends of s, in place; returns the new start. */
static char *
trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/*
 * Where a comment starts in value v: a '#' at the start or after a blank,
 * looking from `from` on. NULL when there is none.
 */
static const char *
comment_in(const char *v, const char *from)
{
	const char *p;

	for (p = from; *p != '\0'; p++)
		if (*p == '#' && (p == v || isspace((unsigned char)p[-1])))
			return p;
	return NULL;
}

/*
 * Cuts a " # comment" off a value and strips surrounding quotes. In a
 * value that starts with a quote, only a '#' after the last quote starts
 * a comment, so "a # b" keeps its '#'.
 */
static char *
clean_value(char *v)
{
	const char *hash;
	size_t n;

	v = trim(v);
	hash = comment_in(v, v[0] == '"' ? strrchr(v, '"') : v);
	if (hash != NULL)
		v[hash - v] = '\0';
	v = trim(v);
	n = strlen(v);
	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		v[n - 1] = '\0';
		v++;
	}
	return v;
}

/* Whether value v must be quoted for clean_value to give it back. */
static bool
needs_quotes(const char *v)
{
	size_t n = strlen(v);

	return n > 0 && (isspace((unsigned char)v[0]) ||
	                 isspace((unsigned char)v[n - 1]) || v[0] == '"' ||
	                 comment_in(v, v) != NULL);
}

/*
 * Cuts line, in place, into its trimmed key and the raw value after the
 * first '='. Returns 0, 1 for a blank or comment line, or -1 when there
 * is no '='. Reading and rewriting the file both see lines through this.
 */
static int
split_line(char *line, char **key, char **value)
{
	char *eq;

	line = trim(line);
	if (line[0] == '\0' || line[0] == '#')
		return 1;
	eq = strchr(line, '=');
	if (eq == NULL)
		return -1;
	*eq = '\0';
	*key = trim(line);
	*value = eq + 1;
	return 0;
}

/* Applies one line of the file; an error message in msg when bad. */
static int
apply_line(struct config *c, char *line, char *msg, size_t len)
{
	char *key, *value;
	int rc = split_line(line, &key, &value);

	if (rc < 0) {
		snprintf(msg, len, "expected key = value");
		return -1;
	}
	if (rc > 0)
		return 0;
	return config_set(c, key, clean_value(value), msg, len);
}

size_t
config_load_text(struct config *c, const char *name, const char *text)
{
	size_t before = c->nerrors;
	const char *p = text;
	int lineno = 0;
	char msg[512];

	while (*p != '\0') {
		const char *end = strchr(p, '\n');
		size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
		char *line = xstrndup(p, n);

		lineno++;
		msg[0] = '\0';
		if (apply_line(c, line, msg, sizeof msg) != 0)
			add_error(c, name, lineno, msg);
		free(line);
		p += n + (end != NULL);
	}
	return c->nerrors - before;
}

/* The whole file, or NULL (errno ENOENT when it is missing). */
static char *
read_file(const char *path, char *msg, size_t len)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;

	if (f == NULL) {
		int e = errno;

		snprintf(msg, len, "cannot read: %s", strerror(e));
		errno = e;
		return NULL;
	}
	buf = xmalloc(CONFIG_MAX_SIZE + 1);
	n = fread(buf, 1, CONFIG_MAX_SIZE, f);
	buf[n] = '\0';
	/* fopen() opens a directory; only the read fails (EISDIR). */
	if (ferror(f)) {
		int e = errno;

		snprintf(msg, len, "cannot read: %s", strerror(e));
		fclose(f);
		free(buf);
		errno = e;
		return NULL;
	}
	if (n == CONFIG_MAX_SIZE)
		snprintf(msg, len, "longer than %d bytes: the rest is ignored",
		         CONFIG_MAX_SIZE);
	fclose(f);
	errno = 0;
	return buf;
}

size_t
config_load(struct config *c, const char *path)
{
	char msg[256] = "";
	char *text = read_file(path, msg, sizeof msg);
	size_t n = 0;

	if (text == NULL) {
		if (errno == ENOENT)
			return 0;
		add_error(c, path, 0, msg);
		return 1;
	}
	if (msg[0] != '\0') {
		add_error(c, path, 0, msg);
		n++;
	}
	n += config_load_text(c, path, text);
	free(text);
	return n;
}

char *
config_path(const char *override, struct sc_error *err)
{
	char *dir;
	char *path;

	if (override != NULL)
		return xstrdup(override);
	dir = paths_dir(PATHS_CONFIG, NULL, err);
	if (dir == NULL)
		return NULL;
	path = xasprintf("%s/config", dir);
	free(dir);
	return path;
}

/* ---- rewriting one key -------------------------------------------- */

/* True when the n bytes at line set key, as reading the file sees it. */
static bool
line_sets(const char *line, size_t n, const char *key)
{
	char *copy = xstrndup(line, n), *k, *v;
	bool sets = split_line(copy, &k, &v) == 0 && strcmp(k, key) == 0;

	free(copy);
	return sets;
}

/* Appends n bytes of s to the growing buffer *out. */
static void
append(char **out, size_t *len, const char *s, size_t n)
{
	*out = xrealloc(*out, *len + n + 1);
	memcpy(*out + *len, s, n);
	*len += n;
	(*out)[*len] = '\0';
}

/* old with the first line setting key replaced by `new_line`, later ones
 * dropped, or new_line appended when no line set it. */
static char *
replace_line(const char *old, const char *key, const char *new_line)
{
	char *out = xstrdup("");
	size_t len = 0;
	bool done = false;
	const char *p = old;

	while (*p != '\0') {
		const char *end = strchr(p, '\n');
		size_t n = end != NULL ? (size_t)(end - p) : strlen(p);

		if (!line_sets(p, n, key))
			append(&out, &len, p, n);
		else if (!done) {
			append(&out, &len, new_line, strlen(new_line));
			done = true;
		} else {
			p += n + (end != NULL);
			continue;
		}
		append(&out, &len, "\n", 1);
		p += n + (end != NULL);
	}
	if (!done) {
		append(&out, &len, new_line, strlen(new_line));
		append(&out, &len, "\n", 1);
	}
	return out;
}

char *
config_update_text(const char *old, const char *key, const char *value,
                   char *msg, size_t msglen)
{
	const struct config_key *k = find_key(key);
	struct config scratch;
	const char *quote;
	char *text, *line, *out;

	config_init(&scratch);
	if (k == NULL || k->parse(k, &scratch, value, msg, msglen) != 0) {
		if (k == NULL)
			snprintf(msg, msglen, "unknown key \"%s\"", key);
		config_free(&scratch);
		return NULL;
	}
	text = k->serialise(k, &scratch);
	config_free(&scratch);
	if (strchr(text, '\n') != NULL) {
		snprintf(msg, msglen, "%s: a value cannot span lines", key);
		free(text);
		return NULL;
	}
	quote = needs_quotes(text) ? "\"" : "";
	line = xasprintf("%s = %s%s%s", key, quote, text, quote);
	free(text);
	out = replace_line(old, key, line);
	free(line);
	return out;
}

int
config_update(const char *path, const char *key, const char *value,
              struct sc_error *err)
{
	char msg[512] = "";
	char *old = read_file(path, msg, sizeof msg);
	char *text;
	int rc;

	if (old == NULL && errno != ENOENT) {
		sc_error_set(err, SC_ERR_LOCAL, "%s: %s", path, msg);
		return -1;
	}
	text = config_update_text(old != NULL ? old : "", key, value, msg,
	                          sizeof msg);
	free(old);
	if (text == NULL) {
		sc_error_set(err, SC_ERR_LOCAL, "%s", msg);
		return -1;
	}
	rc = paths_write_atomic(path, text, strlen(text), 0600, err);
	free(text);
	return rc;
}
