/* Checked access to JSON documents: every failure names its field. */
#include "net/client/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/base/xmalloc.h"

/* Appends the text of path into buf at *pos, outermost node first. */
static void
path_put(const struct json_path *path, char *buf, size_t size, size_t *pos)
{
	int n;

	if (path == NULL)
		return;
	path_put(path->up, buf, size, pos);
	if (*pos >= size)
		return;
	if (path->key != NULL)
		n = snprintf(buf + *pos, size - *pos, "%s%s",
		             *pos > 0 ? "." : "", path->key);
	else
		n = snprintf(buf + *pos, size - *pos, "[%zu]", path->index);
	if (n > 0)
		*pos += (size_t)n;
}

void
json_path_format(const struct json_path *path, const char *key, char *buf,
                 size_t size)
{
	struct json_path last = JSON_KEY(path, key);
	size_t pos = 0;

	if (size == 0)
		return;
	buf[0] = '\0';
	path_put(key != NULL ? &last : path, buf, size, &pos);
	if (buf[0] == '\0')
		snprintf(buf, size, "response");
}

void
json_fail(struct sc_error *err, const struct json_path *path, const char *key,
          const char *what)
{
	char where[256];

	json_path_format(path, key, where, sizeof where);
	sc_error_set(err, SC_ERR_MALFORMED, "%s: %s", where, what);
}

/* Makes the "0000" at s + at, in *copy (made on first use), "fffd". */
static void
replace_nul(const char *s, size_t len, size_t at, char **copy)
{
	if (*copy == NULL)
		*copy = memcpy(xmalloc(len), s, len);
	memcpy(*copy + at, "fffd", 4);
}

/*
 * Refuses, before cJSON runs, what cJSON would accept but we must not:
 * nesting deeper than JSON_MAX_DEPTH (cJSON allows 1000 and recurses),
 * and raw NUL bytes (JSON allows none). An escaped NUL, \u0000, is
 * legal JSON that a client can put in a message; it would silently cut
 * a C string, and refusing the whole answer would let one message hide
 * a conversation list. So the first one makes *copy, a copy of s in
 * which each becomes the replacement character (\ufffd, as long), for
 * cJSON to parse instead; *copy stays NULL when there is none.
 */
static int
prescan(const char *s, size_t len, char **copy, struct sc_error *err)
{
	size_t i;
	int depth = 0;
	bool in_string = false;

	*copy = NULL;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '\0')
			goto nul;
		if (in_string) {
			if (c == '"') {
				in_string = false;
			} else if (c == '\\' && i + 1 < len) {
				i++;
				if (s[i] == '\0')
					goto nul;
				if (s[i] == 'u' && i + 4 < len &&
				    memcmp(s + i + 1, "0000", 4) == 0)
					replace_nul(s, len, i + 1, copy);
			}
		} else if (c == '"') {
			in_string = true;
		} else if (c == '[' || c == '{') {
			if (++depth > JSON_MAX_DEPTH) {
				json_fail(err, NULL, NULL, "nested too deeply");
				goto fail;
			}
		} else if (c == ']' || c == '}') {
			depth--;
		}
	}
	return 0;
nul:
	json_fail(err, NULL, NULL, "contains a NUL character");
fail:
	free(*copy);
	*copy = NULL;
	return -1;
}

cJSON *
json_parse(const char *body, size_t len, struct sc_error *err)
{
	const char *end = NULL;
	char *copy;
	cJSON *root;

	if (body == NULL || len == 0) {
		json_fail(err, NULL, NULL, "empty body");
		return NULL;
	}
	if (prescan(body, len, &copy, err) < 0)
		return NULL;
	if (copy != NULL)
		body = copy;
	root = cJSON_ParseWithLengthOpts(body, len, &end, false);
	if (root == NULL) {
		free(copy);
		json_fail(err, NULL, NULL, "not valid JSON");
		return NULL;
	}
	while (end != NULL && end < body + len && strchr(" \t\r\n", *end))
		end++;
	if (end == NULL || end != body + len) {
		cJSON_Delete(root);
		free(copy);
		json_fail(err, NULL, NULL, "text after the JSON value");
		return NULL;
	}
	free(copy);
	return root;
}

int
json_expect_object(const cJSON *v, const struct json_path *path,
                   struct sc_error *err)
{
	if (cJSON_IsObject(v))
		return 0;
	json_fail(err, path, NULL, "expected an object");
	return -1;
}

const cJSON *
json_member(const cJSON *obj, const char *key, const struct json_path *path,
            bool nullable, bool *is_null, struct sc_error *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (is_null != NULL)
		*is_null = false;
	if (v == NULL) {
		json_fail(err, path, key, "missing");
		return NULL;
	}
	if (cJSON_IsNull(v)) {
		if (!nullable) {
			json_fail(err, path, key, "must not be null");
			return NULL;
		}
		if (is_null != NULL)
			*is_null = true;
	}
	return v;
}

/* Copies the string v, refusing other types and absurd lengths. */
static int
copy_string(const cJSON *v, const char *key, const struct json_path *path,
            char **out, struct sc_error *err)
{
	size_t n;

	if (!cJSON_IsString(v) || v->valuestring == NULL) {
		json_fail(err, path, key, "expected a string");
		return -1;
	}
	n = strnlen(v->valuestring, JSON_MAX_STRING + 1);
	if (n > JSON_MAX_STRING) {
		json_fail(err, path, key, "string too long");
		return -1;
	}
	*out = xstrndup(v->valuestring, n);
	return 0;
}

int
json_string(const cJSON *obj, const char *key, const struct json_path *path,
            char **out, struct sc_error *err)
{
	const cJSON *v = json_member(obj, key, path, false, NULL, err);

	*out = NULL;
	return v == NULL ? -1 : copy_string(v, key, path, out, err);
}

int
json_string_null(const cJSON *obj, const char *key,
                 const struct json_path *path, char **out, struct sc_error *err)
{
	bool is_null;
	const cJSON *v = json_member(obj, key, path, true, &is_null, err);

	*out = NULL;
	if (v == NULL)
		return -1;
	return is_null ? 0 : copy_string(v, key, path, out, err);
}

/* Checks v is an integer within [min, max] and stores it. */
static int
int_value(const cJSON *v, const char *key, const struct json_path *path,
          int64_t min, int64_t max, int64_t *out, struct sc_error *err)
{
	double d;

	if (!cJSON_IsNumber(v)) {
		json_fail(err, path, key, "expected an integer");
		return -1;
	}
	d = v->valuedouble;
	/* The range test also refuses NaN and infinities ("1e999"). */
	if (!(d >= (double)min && d <= (double)max)) {
		json_fail(err, path, key, "out of range");
		return -1;
	}
	if ((double)(int64_t)d != d) {
		json_fail(err, path, key, "expected an integer");
		return -1;
	}
	*out = (int64_t)d;
	return 0;
}

int
json_int(const cJSON *obj, const char *key, const struct json_path *path,
         int64_t min, int64_t max, int64_t *out, struct sc_error *err)
{
	const cJSON *v = json_member(obj, key, path, false, NULL, err);

	return v == NULL ? -1 : int_value(v, key, path, min, max, out, err);
}

int
json_int_null(const cJSON *obj, const char *key, const struct json_path *path,
              int64_t min, int64_t max, bool *present, int64_t *out,
              struct sc_error *err)
{
	bool is_null;
	const cJSON *v = json_member(obj, key, path, true, &is_null, err);

	*present = false;
	*out = 0;
	if (v == NULL)
		return -1;
	if (is_null)
		return 0;
	if (int_value(v, key, path, min, max, out, err) < 0)
		return -1;
	*present = true;
	return 0;
}

int
json_bool(const cJSON *obj, const char *key, const struct json_path *path,
          bool *out, struct sc_error *err)
{
	const cJSON *v = json_member(obj, key, path, false, NULL, err);

	if (v == NULL)
		return -1;
	if (!cJSON_IsBool(v)) {
		json_fail(err, path, key, "expected true or false");
		return -1;
	}
	*out = cJSON_IsTrue(v);
	return 0;
}

/* Checks v is a valid time string and converts it. */
static int
time_value(const cJSON *v, const char *key, const struct json_path *path,
           time_t *out, struct sc_error *err)
{
	if (!cJSON_IsString(v) || v->valuestring == NULL) {
		json_fail(err, path, key, "expected a time string");
		return -1;
	}
	if (json_time_parse(v->valuestring, out) < 0) {
		json_fail(err, path, key, "expected an RFC 3339 UTC time");
		return -1;
	}
	return 0;
}

int
json_time(const cJSON *obj, const char *key, const struct json_path *path,
          time_t *out, struct sc_error *err)
{
	const cJSON *v = json_member(obj, key, path, false, NULL, err);

	return v == NULL ? -1 : time_value(v, key, path, out, err);
}

int
json_time_null(const cJSON *obj, const char *key, const struct json_path *path,
               bool *present, time_t *out, struct sc_error *err)
{
	bool is_null;
	const cJSON *v = json_member(obj, key, path, true, &is_null, err);

	*present = false;
	*out = 0;
	if (v == NULL)
		return -1;
	if (is_null)
		return 0;
	if (time_value(v, key, path, out, err) < 0)
		return -1;
	*present = true;
	return 0;
}

int
json_currency(const cJSON *obj, const char *key, const struct json_path *path,
              char out[4], struct sc_error *err)
{
	const cJSON *v = json_member(obj, key, path, false, NULL, err);
	const char *s;
	int i;

	memset(out, 0, 4);
	if (v == NULL)
		return -1;
	s = cJSON_IsString(v) ? v->valuestring : NULL;
	for (i = 0; s != NULL && i < 3; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z')))
			s = NULL;
	if (s == NULL || s[3] != '\0') {
		json_fail(err, path, key, "expected a 3-letter currency code");
		return -1;
	}
	memcpy(out, s, 4);
	return 0;
}

/* True when s is short printable ASCII, safe to quote in a message. */
static bool
quotable(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (i >= 32 || s[i] < 0x20 || s[i] > 0x7e || s[i] == '"')
			return false;
	return true;
}

int
json_enum(const cJSON *obj, const char *key, const struct json_path *path,
          const char *const *names, size_t count, int *out,
          struct sc_error *err)
{
	const cJSON *v = json_member(obj, key, path, false, NULL, err);
	char what[64];
	size_t i;

	if (v == NULL)
		return -1;
	if (!cJSON_IsString(v) || v->valuestring == NULL) {
		json_fail(err, path, key, "expected a string");
		return -1;
	}
	for (i = 0; i < count; i++) {
		if (strcmp(v->valuestring, names[i]) == 0) {
			*out = (int)i;
			return 0;
		}
	}
	if (quotable(v->valuestring))
		snprintf(what, sizeof what, "unknown value \"%s\"",
		         v->valuestring);
	else
		snprintf(what, sizeof what, "unknown value");
	json_fail(err, path, key, what);
	return -1;
}

int
json_child(const cJSON *obj, const char *key, const struct json_path *path,
           bool *present, json_item_fn parse, void *out, size_t size,
           struct sc_error *err)
{
	struct json_path here = JSON_KEY(path, key);
	bool is_null;
	const cJSON *v =
	    json_member(obj, key, path, present != NULL, &is_null, err);

	memset(out, 0, size);
	if (present != NULL)
		*present = false;
	if (v == NULL)
		return -1;
	if (is_null)
		return 0;
	if (parse(v, &here, out, err) < 0)
		return -1;
	if (present != NULL)
		*present = true;
	return 0;
}

void
json_array_free(void *items, size_t n, size_t size, json_free_fn free_item)
{
	size_t i;

	for (i = 0; items != NULL && i < n; i++)
		free_item((char *)items + i * size);
	free(items);
}

int
json_array(const cJSON *obj, const char *key, const struct json_path *path,
           size_t size, json_item_fn parse, json_free_fn free_item,
           void **items, size_t *n, struct sc_error *err)
{
	struct json_path here = JSON_KEY(path, key);
	const cJSON *v = json_member(obj, key, path, false, NULL, err);
	const cJSON *e;
	size_t count, i = 0;
	char *arr;

	*items = NULL;
	*n = 0;
	if (v == NULL)
		return -1;
	if (!cJSON_IsArray(v)) {
		json_fail(err, path, key, "expected an array");
		return -1;
	}
	count = (size_t)cJSON_GetArraySize(v);
	if (count == 0)
		return 0;
	arr = xcalloc(count, size);
	cJSON_ArrayForEach(e, v)
	{
		struct json_path at = JSON_INDEX(&here, i);

		if (parse(e, &at, arr + i * size, err) < 0) {
			json_array_free(arr, i, size, free_item);
			return -1;
		}
		i++;
	}
	*items = arr;
	*n = i;
	return 0;
}

int
json_document(const char *body, size_t len, json_item_fn parse, void *out,
              struct sc_error *err)
{
	cJSON *root = json_parse(body, len, err);
	int rc;

	if (root == NULL)
		return -1;
	rc = parse(root, NULL, out, err);
	cJSON_Delete(root);
	return rc;
}

int
json_page(const cJSON *root, size_t size, json_item_fn parse,
          json_free_fn free_item, void **items, size_t *n, char **next,
          struct sc_error *err)
{
	*items = NULL;
	*n = 0;
	*next = NULL;
	if (json_expect_object(root, NULL, err) < 0 ||
	    json_string_null(root, "next", NULL, next, err) < 0)
		return -1;
	if (json_array(root, "results", NULL, size, parse, free_item, items, n,
	               err) < 0) {
		free(*next);
		*next = NULL;
		return -1;
	}
	return 0;
}

/* Reads exactly n digits at *s into *out, advancing *s. */
static bool
digits(const char **s, int n, int *out)
{
	int v = 0;

	for (; n > 0; n--, (*s)++) {
		if (**s < '0' || **s > '9')
			return false;
		v = v * 10 + (**s - '0');
	}
	*out = v;
	return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The number of days in month m of year y. */
static int
month_days(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30,
		                    31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

int
json_time_parse(const char *s, time_t *out)
{
	int y, mo, d, h, mi, sec;

	if (!digits(&s, 4, &y) || *s++ != '-' || !digits(&s, 2, &mo) ||
	    *s++ != '-' || !digits(&s, 2, &d) || *s++ != 'T' ||
	    !digits(&s, 2, &h) || *s++ != ':' || !digits(&s, 2, &mi) ||
	    *s++ != ':' || !digits(&s, 2, &sec))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo) || h > 23 ||
	    mi > 59 || sec > 60)
		return -1;
	if (*s == '.') {
		s++;
		if (*s < '0' || *s > '9')
			return -1;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (strcmp(s, "Z") != 0 && strcmp(s, "+00:00") != 0)
		return -1;
	*out = (time_t)(days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
	                sec);
	return 0;
}
