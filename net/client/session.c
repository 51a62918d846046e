/* Django session cookies on disk, and the CSRF headers they imply. */
#include "net/client/session.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "net/base/paths.h"
#include "net/client/service_key.h"
#include "net/base/xmalloc.h"

#define SESSION_COOKIE "sessionid"
#define CSRF_COOKIE    "csrftoken"
/* A jar larger than this is not ours: it is ignored. */
#define JAR_MAX (256 * 1024)

/*
 * saved is the jar's text as last read or written, so that session_save
 * writes only when a cookie really changed; it holds cookie values and
 * is wiped before it is freed.
 */
struct session {
	struct http *h;
	char *jar;
	char *saved;
	char
	    *sid; /* the session cookie when the jar was last read or written */
};

/* Wipes and frees a string that may hold cookie values. */
static void
free_secret_text(char *s)
{
	if (s == NULL)
		return;
	sodium_memzero(s, strlen(s));
	free(s);
}

/* The jar's file name for a service URL: cookies-<16 hex digits>. */
static char *
jar_name(const char *base_url)
{
	char *key = service_key(base_url);
	char *name = xasprintf("cookies-%s", key);

	free(key);
	return name;
}

/* The directory for the jar, made (0700) when missing. */
static char *
jar_dir(const char *state_dir, struct sc_error *err)
{
	if (state_dir == NULL)
		return paths_dir(PATHS_STATE, NULL, err);
	if (mkdir(state_dir, 0700) != 0 && errno != EEXIST) {
		sc_error_set(err, SC_ERR_LOCAL, "cannot create %s: %s",
		             state_dir, strerror(errno));
		return NULL;
	}
	return xstrdup(state_dir);
}

/*
 * Reads the whole jar, or NULL when it is missing, unreadable or not
 * private (a FIFO, a link, another user's or a file others may read:
 * not a session of ours). Then the member signs in again, and the new
 * jar replaces that file rather than writing through it.
 */
static char *
read_jar(const char *path)
{
	struct sc_error why = { 0 };
	int fd;
	char *buf;
	ssize_t n;
	size_t len = 0;

	if (paths_open_private(path, &fd, &why) != PATHS_PRIVATE_OK) {
		sc_error_clear(&why);
		return NULL;
	}
	buf = xmalloc(JAR_MAX + 1);
	while (len < JAR_MAX && (n = read(fd, buf + len, JAR_MAX - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	if (len >= JAR_MAX) {
		free_secret_text(buf);
		return NULL;
	}
	return buf;
}

struct session *
session_new(struct http *h, const char *state_dir, struct sc_error *err)
{
	char *dir = jar_dir(state_dir, err);
	char *name;
	struct session *s;

	if (dir == NULL)
		return NULL;
	s = xcalloc(1, sizeof *s);
	s->h = h;
	name = jar_name(http_base_url(h));
	s->jar = xasprintf("%s/%s", dir, name);
	free(name);
	free(dir);
	s->saved = read_jar(s->jar);
	if (s->saved != NULL)
		http_cookies_import(h, s->saved);
	s->sid = http_cookie_value(h, SESSION_COOKIE);
	return s;
}

void
session_free(struct session *s)
{
	if (s == NULL)
		return;
	free_secret_text(s->saved);
	free_secret_text(s->sid);
	free(s->jar);
	free(s);
}

const char *
session_jar_path(const struct session *s)
{
	return s->jar;
}

/* True when the cookie name is held. */
static bool
has_cookie(const struct session *s, const char *name)
{
	char *v = http_cookie_value(s->h, name);
	bool yes = v != NULL && v[0] != '\0';

	free_secret_text(v);
	return yes;
}

bool
session_has_cookie(const struct session *s)
{
	return has_cookie(s, SESSION_COOKIE);
}

bool
session_has_csrf(const struct session *s)
{
	return has_cookie(s, CSRF_COOKIE);
}

bool
session_method_unsafe(const char *method)
{
	return strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0 ||
	       strcmp(method, "PATCH") == 0 || strcmp(method, "DELETE") == 0;
}

void
session_prepare(struct session *s, struct http_request *r, const char *method)
{
	char *token;

	if (!session_method_unsafe(method))
		return;
	token = http_cookie_value(s->h, CSRF_COOKIE);
	if (token != NULL)
		http_request_header(r, "X-CSRFToken", token);
	free_secret_text(token);
	http_request_header(r, "Referer", http_origin(s->h));
}

/* True when the jar on disk is no longer what this process last read or
 * wrote: another process (`sitecare login`, a second client) wrote it. */
static bool
jar_replaced(const struct session *s)
{
	char *disk = read_jar(s->jar);
	bool same = disk == NULL
	                ? s->saved == NULL
	                : s->saved != NULL && strcmp(disk, s->saved) == 0;

	free_secret_text(disk);
	return !same;
}

/* True when sid is a session cookie other than the one last read or
 * written (none is never new). */
static bool
new_session(const struct session *s, const char *sid)
{
	if (sid == NULL || sid[0] == '\0')
		return false;
	return s->sid == NULL || strcmp(sid, s->sid) != 0;
}

int
session_save(struct session *s, struct sc_error *err)
{
	char *text = http_cookies_export(s->h);
	char *sid = http_cookie_value(s->h, SESSION_COOKIE);

	if (s->saved != NULL ? strcmp(text, s->saved) == 0 : text[0] == '\0') {
		free_secret_text(sid);
		free_secret_text(text);
		return 0;
	}
	/*
	 * Another process (`sitecare login`, a second client) wrote the jar
	 * since we read or wrote it: unless we hold a new session of our own
	 * (a sign-in through the form), ours is the stale one, and writing
	 * it (its cookies refreshed, or the session cookie deleted by the
	 * service) would sign the newer one out.
	 */
	if (!new_session(s, sid) && jar_replaced(s)) {
		free_secret_text(sid);
		free_secret_text(text);
		return 0;
	}
	if (paths_write_atomic(s->jar, text, strlen(text), 0600, err) != 0) {
		free_secret_text(sid);
		free_secret_text(text);
		return -1;
	}
	free_secret_text(s->saved);
	s->saved = text;
	free_secret_text(s->sid);
	s->sid = sid;
	return 0;
}

int
session_forget(struct session *s, struct sc_error *err)
{
	http_cookies_clear(s->h);
	free_secret_text(s->saved);
	s->saved = NULL;
	free_secret_text(s->sid);
	s->sid = NULL;
	if (unlink(s->jar) != 0 && errno != ENOENT) {
		sc_error_set(err, SC_ERR_LOCAL, "cannot remove %s: %s", s->jar,
		             strerror(errno));
		return -1;
	}
	return 0;
}
