/* Safe local names for server-supplied file names, and where they go. */
#include "net/base/filename.h"

#include <pwd.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "net/base/utf8.h"
#include "net/base/xmalloc.h"

/* A kept extension is at most this long, dot included. */
#define FILENAME_EXT_MAX 16
/* filename_unique gives up after this many numbered tries. */
#define FILENAME_UNIQUE_TRIES 9999

/* True for code points a file name must not carry. */
static bool
unwanted(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C ||
	       cp == 0x200E || cp == 0x200F || cp == 0x2028 || cp == 0x2029 ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* What follows the last '/' or '\\' of s. */
static const char *
last_component(const char *s)
{
	const char *base = s;

	for (; *s != '\0'; s++)
		if (*s == '/' || *s == '\\')
			base = s + 1;
	return base;
}

/* A copy of s without unwanted characters and invalid UTF-8. */
static char *
filtered(const char *s)
{
	size_t n = strlen(s), i = 0, o = 0, len;
	char *out = xmalloc(n + 1);
	uint32_t cp;

	for (; i < n; i += len) {
		len = utf8_decode(s + i, n - i, &cp);
		/* Broken UTF-8 is dropped whole, like an unwanted character. */
		if (cp != UTF8_INVALID && !unwanted(cp)) {
			memcpy(out + o, s + i, len);
			o += len;
		}
	}
	out[o] = '\0';
	return out;
}

/* True for what may neither start nor end a name. */
static bool
trimmed_char(char c)
{
	return c == '.' || c == ' ';
}

/* Removes leading and trailing dots and spaces in place. */
static void
trim(char *s)
{
	size_t start = 0, end = strlen(s);

	while (start < end && trimmed_char(s[start]))
		start++;
	while (end > start && trimmed_char(s[end - 1]))
		end--;
	memmove(s, s + start, end - start);
	s[end - start] = '\0';
}

/* The length of s's extension (".pdf") when short enough to keep, else 0. */
static size_t
short_extension(const char *s)
{
	const char *dot = strrchr(s, '.');
	size_t len;

	if (dot == NULL || dot == s)
		return 0;
	len = strlen(dot);
	return len <= FILENAME_EXT_MAX ? len : 0;
}

/* Cuts s to FILENAME_MAX_BYTES on a character boundary, keeping its
 * extension when short. */
static void
cap(char *s)
{
	size_t len = strlen(s), ext = short_extension(s);
	size_t keep = FILENAME_MAX_BYTES - ext;

	if (len <= FILENAME_MAX_BYTES)
		return;
	while (keep > 0 && ((unsigned char)s[keep] & 0xC0) == 0x80)
		keep--; /* never split a character */
	while (keep > 0 && trimmed_char(s[keep - 1]))
		keep--;
	memmove(s + keep, s + len - ext, ext + 1);
}

char *
filename_safe(const char *server_name)
{
	char *name =
	    filtered(last_component(server_name != NULL ? server_name : ""));

	trim(name);
	cap(name);
	if (name[0] == '\0') {
		free(name);
		return xstrdup("attachment");
	}
	return name;
}

/* $HOME, or the password database's home; NULL when neither is usable. */
static const char *
home_dir(void)
{
	const char *home = getenv("HOME");
	struct passwd *pw;

	if (home != NULL && home[0] == '/')
		return home;
	pw = getpwuid(getuid());
	if (pw != NULL && pw->pw_dir != NULL && pw->pw_dir[0] == '/')
		return pw->pw_dir;
	return NULL;
}

/* path without trailing slashes (but "/" stays "/"); takes path. */
static char *
strip_slashes(char *path)
{
	size_t n = strlen(path);

	while (n > 1 && path[n - 1] == '/')
		path[--n] = '\0';
	return path;
}

/*
 * The directory one user-dirs.dirs line sets XDG_DOWNLOAD_DIR to, or
 * NULL: the value is "$HOME/..." or an absolute path, in double quotes
 * with backslash escapes (the file is shell syntax).
 */
static char *
user_dirs_value(const char *line, const char *home)
{
	static const char key[] = "XDG_DOWNLOAD_DIR=\"";
	size_t n = 0, len = strlen(line);
	char *val = xmalloc(len + 1), *out;

	line += strspn(line, " \t");
	if (strncmp(line, key, sizeof key - 1) != 0)
		goto none;
	for (line += sizeof key - 1; *line != '"'; line++) {
		if (*line == '\\' && line[1] != '\0')
			line++;
		if (*line == '\0' || *line == '\n')
			goto none; /* no closing quote */
		val[n++] = *line;
	}
	val[n] = '\0';
	if (strncmp(val, "$HOME", 5) == 0 && (val[5] == '/' || val[5] == '\0'))
		out = xasprintf("%s%s", home, val + 5);
	else if (val[0] == '/')
		out = xstrdup(val);
	else
		goto none;
	free(val);
	return strip_slashes(out);
none:
	free(val);
	return NULL;
}

/* XDG_DOWNLOAD_DIR from the user-dirs.dirs file, or NULL. */
static char *
user_dirs_download(const char *home)
{
	const char *cfg = getenv("XDG_CONFIG_HOME");
	char *path, *line = NULL, *found = NULL, *v;
	size_t cap_ = 0;
	FILE *f;

	if (cfg != NULL && cfg[0] == '/')
		path = xasprintf("%s/user-dirs.dirs", cfg);
	else
		path = xasprintf("%s/.config/user-dirs.dirs", home);
	f = fopen(path, "r");
	free(path);
	if (f == NULL)
		return NULL;
	while (getline(&line, &cap_, f) > 0)
		if ((v = user_dirs_value(line, home)) != NULL) {
			free(found); /* the last assignment wins, as in sh */
			found = v;
		}
	free(line);
	fclose(f);
	return found;
}

char *
filename_default_dir(void)
{
	const char *env = getenv("XDG_DOWNLOAD_DIR");
	const char *home;
	char *dir;

	if (env != NULL && env[0] == '/')
		return strip_slashes(xstrdup(env));
	home = home_dir();
	if (home == NULL)
		return NULL;
	dir = user_dirs_download(home);
	if (dir != NULL)
		return dir;
	return strip_slashes(xasprintf("%s/Downloads", home));
}

/* True when something (even a dangling symlink) is at path. */
static bool
taken(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

char *
filename_unique(const char *dir, const char *name)
{
	const char *dot = strrchr(name, '.');
	int stem = (int)(dot != NULL && dot != name ? (size_t)(dot - name)
	                                            : strlen(name));
	size_t dlen = strlen(dir);
	const char *sep = dlen == 0 || dir[dlen - 1] == '/' ? "" : "/";
	char *path = xasprintf("%s%s%s", dir, sep, name);
	int i;

	for (i = 1; taken(path); i++) {
		free(path);
		if (i > FILENAME_UNIQUE_TRIES)
			return NULL;
		path = xasprintf("%s%s%.*s (%d)%s", dir, sep, stem, name, i,
		                 name + stem);
	}
	return path;
}
