/* The task queue's filter, sort and search state: see task_query.h. */
#include "views/tasks/task_query.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/base/xmalloc.h"

#define BLANKS " \t"

/* The :sort names, indexed by enum task_query_sort. */
static const char *const sort_fields[] = {
	[TASK_SORT_DEFAULT] = "default",
	[TASK_SORT_PRIORITY] = "priority",
	[TASK_SORT_CREATED_AT] = "created_at",
	[TASK_SORT_UPDATED_AT] = "updated_at",
	[TASK_SORT_DUE_AT] = "due_at",
};
#define NSORT_FIELDS (sizeof sort_fields / sizeof sort_fields[0])

/* The descending spellings, for task_query_sort_name. */
static const char *const sort_fields_desc[] = {
	[TASK_SORT_DEFAULT] = "default",
	[TASK_SORT_PRIORITY] = "-priority",
	[TASK_SORT_CREATED_AT] = "-created_at",
	[TASK_SORT_UPDATED_AT] = "-updated_at",
	[TASK_SORT_DUE_AT] = "-due_at",
};

void
task_query_init(struct task_query *q)
{
	*q = (struct task_query){ .statuses = TASK_QUERY_OPEN_STATUSES };
}

void
task_query_free(struct task_query *q)
{
	free(q->search);
	q->search = NULL;
}

/* A growable string for building query strings and descriptions. */
struct buf {
	char *s;
	size_t len, cap;
};

static void
buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

char *
task_query_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf b = { NULL, 0, 0 };
	const unsigned char *p;
	char enc[3];

	buf_add(&b, "", 0);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL) {
			buf_add(&b, (const char *)p, 1);
			continue;
		}
		enc[0] = '%';
		enc[1] = hex[*p >> 4];
		enc[2] = hex[*p & 0xF];
		buf_add(&b, enc, 3);
	}
	return b.s;
}

/* Parses a positive decimal id; false for anything else. */
static bool
parse_id(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v <= 0)
		return false;
	*out = v;
	return true;
}

/*
 * Parses a comma list of enum names into a bit set with from_name (a
 * *_from_name of net/client/model.h); "any" gives the empty set.
 */
static int
parse_set(const char *key, const char *value,
          int (*from_name)(const char *, int *), unsigned *out, char *err,
          size_t errlen)
{
	char *copy, *word, *save = NULL;
	unsigned set = 0;
	int v;

	if (strcmp(value, "any") == 0) {
		*out = 0;
		return 0;
	}
	copy = xstrdup(value);
	for (word = strtok_r(copy, ",", &save); word != NULL;
	     word = strtok_r(NULL, ",", &save)) {
		if (from_name(word, &v) != 0) {
			snprintf(err, errlen, "filter: unknown %s: %s", key,
			         word);
			free(copy);
			return -1;
		}
		set |= 1u << v;
	}
	free(copy);
	if (set == 0) {
		snprintf(err, errlen, "filter: %s needs a value", key);
		return -1;
	}
	*out = set;
	return 0;
}

/* task_status_from_name with an int out, for parse_set. */
static int
status_from_name(const char *name, int *out)
{
	enum task_status s;

	if (task_status_from_name(name, &s) != 0)
		return -1;
	*out = (int)s;
	return 0;
}

/* task_priority_from_name with an int out, for parse_set. */
static int
priority_from_name(const char *name, int *out)
{
	enum task_priority p;

	if (task_priority_from_name(name, &p) != 0)
		return -1;
	*out = (int)p;
	return 0;
}

/* Applies assignee=VALUE. */
static int
filter_assignee(struct task_query *q, const char *value, char *err,
                size_t errlen)
{
	if (strcmp(value, "me") == 0)
		q->assignee = TASK_QUERY_ME;
	else if (strcmp(value, "none") == 0)
		q->assignee = TASK_QUERY_NONE;
	else if (strcmp(value, "anyone") == 0 || strcmp(value, "any") == 0)
		q->assignee = TASK_QUERY_ANYONE;
	else if (parse_id(value, &q->assignee_id))
		q->assignee = TASK_QUERY_STAFF;
	else {
		snprintf(err, errlen,
		         "filter: assignee must be me, none, anyone or a "
		         "staff id, not %s",
		         value);
		return -1;
	}
	return 0;
}

/* Applies client=VALUE: an id, any, or a name (found by the pane). */
static int
filter_client(struct task_query *q, const char *value, char *err, size_t errlen)
{
	q->client_id = 0;
	q->client_name[0] = '\0';
	if (strcmp(value, "any") == 0 || parse_id(value, &q->client_id))
		return 0;
	/* A number that is no id is a mistake, not a name. */
	if (strchr("-+0123456789", value[0]) != NULL ||
	    strlen(value) >= sizeof q->client_name) {
		snprintf(err, errlen,
		         "filter: client must be a client id, a name or any, "
		         "not %s",
		         value);
		return -1;
	}
	snprintf(q->client_name, sizeof q->client_name, "%s", value);
	return 0;
}

bool
task_query_client_pending(const struct task_query *q)
{
	return q->client_id == 0 && q->client_name[0] != '\0';
}

/* Applies one key=value word of :filter. */
static int
filter_word(struct task_query *q, char *word, char *err, size_t errlen)
{
	char *value = strchr(word, '=');

	/* The search goes too, once the whole line has parsed. */
	if (strcmp(word, "clear") == 0 || strcmp(word, "default") == 0) {
		q->statuses =
		    strcmp(word, "clear") == 0 ? 0 : TASK_QUERY_OPEN_STATUSES;
		q->priorities = 0;
		q->assignee = TASK_QUERY_ANYONE;
		q->client_id = 0;
		q->client_name[0] = '\0';
		q->overdue = false;
		return 0;
	}
	if (strcmp(word, "overdue") == 0) {
		q->overdue = true;
		return 0;
	}
	if (value == NULL) {
		snprintf(err, errlen,
		         "filter: expected key=value, not %s (keys: status, "
		         "priority, assignee, client; words: overdue, clear, "
		         "default)",
		         word);
		return -1;
	}
	*value++ = '\0';
	if (*value == '\0') {
		snprintf(err, errlen, "filter: %s needs a value", word);
		return -1;
	}
	if (strcmp(word, "status") == 0)
		return parse_set("status", value, status_from_name,
		                 &q->statuses, err, errlen);
	if (strcmp(word, "priority") == 0)
		return parse_set("priority", value, priority_from_name,
		                 &q->priorities, err, errlen);
	if (strcmp(word, "assignee") == 0)
		return filter_assignee(q, value, err, errlen);
	if (strcmp(word, "client") == 0)
		return filter_client(q, value, err, errlen);
	if (strcmp(word, "overdue") == 0 && strcmp(value, "any") == 0) {
		q->overdue = false;
		return 0;
	}
	snprintf(err, errlen,
	         "filter: unknown key %s (keys: status, priority, assignee, "
	         "client; words: overdue, clear, default)",
	         word);
	return -1;
}

int
task_query_filter(struct task_query *q, const char *args, char *err,
                  size_t errlen)
{
	struct task_query next = *q;
	char *copy, *word, *save = NULL;
	bool clear = false;
	int rc = 0;

	if (args == NULL || args[strspn(args, BLANKS)] == '\0') {
		snprintf(err, errlen,
		         "filter: give key=value words (status, priority, "
		         "assignee, client), overdue, clear or default");
		return -1;
	}
	copy = xstrdup(args);
	for (word = strtok_r(copy, BLANKS, &save); word != NULL && rc == 0;
	     word = strtok_r(NULL, BLANKS, &save)) {
		clear |=
		    strcmp(word, "clear") == 0 || strcmp(word, "default") == 0;
		rc = filter_word(&next, word, err, errlen);
	}
	free(copy);
	if (rc != 0)
		return rc;
	*q = next; /* search is shared, not copied: nothing to free */
	if (clear)
		task_query_search(q, NULL);
	return 0;
}

int
task_query_sort(struct task_query *q, const char *value, char *err,
                size_t errlen)
{
	size_t i, n;
	const char *name;
	bool desc;

	if (value == NULL)
		value = "";
	value += strspn(value, BLANKS);
	n = strcspn(value, BLANKS);
	if (value[n + strspn(value + n, BLANKS)] != '\0') {
		snprintf(err, errlen, "sort: give one field, not %s", value);
		return -1;
	}
	desc = value[0] == '-';
	name = desc ? value + 1 : value;
	n -= desc ? 1 : 0;
	for (i = 0; i < NSORT_FIELDS; i++) {
		if (strlen(sort_fields[i]) != n ||
		    strncmp(sort_fields[i], name, n) != 0)
			continue;
		if (i == TASK_SORT_DEFAULT && desc)
			break;
		q->sort = (enum task_query_sort)i;
		q->descending = desc;
		return 0;
	}
	snprintf(err, errlen,
	         "sort: unknown order %.*s (priority, created_at, updated_at, "
	         "due_at, with - for descending, or default)",
	         (int)(n + (desc ? 1 : 0)), value);
	return -1;
}

void
task_query_search(struct task_query *q, const char *text)
{
	size_t len;

	free(q->search);
	q->search = NULL;
	if (text == NULL)
		return;
	text += strspn(text, BLANKS);
	len = strlen(text);
	while (len > 0 && strchr(BLANKS, text[len - 1]) != NULL)
		len--;
	if (len > 0)
		q->search = xstrndup(text, len);
}

const char *
task_query_sort_name(const struct task_query *q)
{
	if (q->overdue)
		return sort_fields[TASK_SORT_DUE_AT];
	return q->descending ? sort_fields_desc[q->sort] : sort_fields[q->sort];
}

/* The statuses asked for: with overdue, only the open ones of them. */
static unsigned
statuses_asked(const struct task_query *q)
{
	unsigned open = TASK_QUERY_OPEN_STATUSES;

	if (!q->overdue)
		return q->statuses;
	/* Only closed ones chosen: ask for them; none will be overdue. */
	if (q->statuses != 0 && (q->statuses & open) == 0)
		return q->statuses;
	return q->statuses != 0 ? q->statuses & open : open;
}

bool
task_query_is_overdue(const struct task *t, time_t now)
{
	return t->status != TASK_DONE && t->status != TASK_CANCELLED &&
	       t->has_due_at && t->due_at < now;
}

bool
task_query_page_overdue(const struct task_query *q, struct task_page *p,
                        time_t now)
{
	size_t i, kept = 0;

	if (!q->overdue)
		return false;
	for (i = 0; i < p->n; i++) {
		if (task_query_is_overdue(&p->items[i], now))
			p->items[kept++] = p->items[i];
		else
			task_free(&p->items[i]);
	}
	if (kept == p->n)
		return false;
	p->n = kept;
	return true;
}

/* Appends "name1,name2" for the bits of set, in enum order. */
static void
add_set(struct buf *b, unsigned set, int count, const char *(*name)(int))
{
	bool first = true;
	int i;

	for (i = 0; i < count; i++) {
		if (!(set & (1u << i)))
			continue;
		if (!first)
			buf_str(b, ",");
		buf_str(b, name(i));
		first = false;
	}
}

static const char *
status_name(int i)
{
	return task_status_name((enum task_status)i);
}

static const char *
priority_name(int i)
{
	return task_priority_name((enum task_priority)i);
}

/* Appends "&key=" (or "key=" first) to a query string. */
static void
add_key(struct buf *b, const char *key)
{
	if (b->len > 0)
		buf_str(b, "&");
	buf_str(b, key);
	buf_str(b, "=");
}

/* Appends &key=escaped(value). */
static void
add_escaped(struct buf *b, const char *key, const char *value)
{
	char *e = task_query_escape(value);

	add_key(b, key);
	buf_str(b, e);
	free(e);
}

/* The assignee filter as the server spells it, in buf; NULL for anyone. */
static const char *
assignee_value(const struct task_query *q, char *buf, size_t len)
{
	switch (q->assignee) {
	case TASK_QUERY_ME:
		return "me";
	case TASK_QUERY_NONE:
		return "none";
	case TASK_QUERY_STAFF:
		snprintf(buf, len, "%lld", (long long)q->assignee_id);
		return buf;
	default:
		return NULL;
	}
}

char *
task_query_string(const struct task_query *q, const char *cursor, int limit)
{
	struct buf b = { NULL, 0, 0 };
	char num[32];
	const char *who;

	buf_add(&b, "", 0);
	if (statuses_asked(q) != 0) {
		add_key(&b, "status");
		add_set(&b, statuses_asked(q), TASK_STATUS_COUNT, status_name);
	}
	if ((who = assignee_value(q, num, sizeof num)) != NULL)
		add_escaped(&b, "assignee", who);
	if (q->priorities != 0) {
		add_key(&b, "priority");
		add_set(&b, q->priorities, TASK_PRIORITY_COUNT, priority_name);
	}
	if (q->client_id > 0) {
		snprintf(num, sizeof num, "%lld", (long long)q->client_id);
		add_escaped(&b, "client", num);
	}
	if (q->search != NULL)
		add_escaped(&b, "q", q->search);
	if (q->sort != TASK_SORT_DEFAULT || q->overdue)
		add_escaped(&b, "sort", task_query_sort_name(q));
	if (limit > 0) {
		snprintf(num, sizeof num, "%d", limit);
		add_escaped(&b, "limit", num);
	}
	if (cursor != NULL)
		add_escaped(&b, "cursor", cursor);
	return b.s;
}

char *
task_query_string_reversed(const struct task_query *q, const char *cursor,
                           int limit)
{
	struct task_query r = *q; /* shares search: owns nothing */

	if (q->overdue)
		return NULL;
	if (q->sort == TASK_SORT_DEFAULT) {
		r.sort = TASK_SORT_PRIORITY; /* the default is -priority */
		r.descending = false;
	} else {
		r.descending = !q->descending;
	}
	return task_query_string(&r, cursor, limit);
}

/* Appends ", " between the parts of a description. */
static void
add_part(struct buf *b, const char *key)
{
	if (b->len > 0)
		buf_str(b, ", ");
	buf_str(b, key);
	buf_str(b, "=");
}

char *
task_query_describe(const struct task_query *q)
{
	struct buf b = { NULL, 0, 0 };
	char num[32];
	const char *who;

	buf_add(&b, "", 0);
	if (q->statuses != 0) {
		add_part(&b, "status");
		add_set(&b, q->statuses, TASK_STATUS_COUNT, status_name);
	}
	if ((who = assignee_value(q, num, sizeof num)) != NULL) {
		add_part(&b, "assignee");
		buf_str(&b, who);
	}
	if (q->priorities != 0) {
		add_part(&b, "priority");
		add_set(&b, q->priorities, TASK_PRIORITY_COUNT, priority_name);
	}
	if (q->client_id > 0 || q->client_name[0] != '\0') {
		add_part(&b, "client");
		snprintf(num, sizeof num, "%lld", (long long)q->client_id);
		buf_str(&b, q->client_name[0] != '\0' ? q->client_name : num);
	}
	if (q->search != NULL) {
		add_part(&b, "q");
		buf_str(&b, q->search);
	}
	if (q->overdue)
		buf_str(&b, b.len > 0 ? ", overdue" : "overdue");
	if (b.len == 0)
		buf_str(&b, "all tasks");
	return b.s;
}

/* ASCII case-insensitive substring test (as SQLite's LIKE does). */
static bool
contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	if (hay == NULL)
		return false;
	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return n == 0;
}

/* The assignee part of task_query_matches. */
static bool
assignee_matches(const struct task_query *q, const struct task *t,
                 int64_t me_id)
{
	switch (q->assignee) {
	case TASK_QUERY_ME:
		return t->has_assignee && me_id > 0 && t->assignee->id == me_id;
	case TASK_QUERY_NONE:
		return !t->has_assignee;
	case TASK_QUERY_STAFF:
		return t->has_assignee && t->assignee->id == q->assignee_id;
	default:
		return true;
	}
}

bool
task_query_matches(const struct task_query *q, const struct task *t,
                   int64_t me_id)
{
	if (q->statuses != 0 && !(q->statuses & (1u << t->status)))
		return false;
	if (q->priorities != 0 && !(q->priorities & (1u << t->priority)))
		return false;
	if (q->client_id > 0 && t->client->id != q->client_id)
		return false;
	if (!assignee_matches(q, t, me_id))
		return false;
	if (q->search != NULL && !contains_ci(t->title, q->search) &&
	    !contains_ci(t->description, q->search))
		return false;
	return !q->overdue || task_query_is_overdue(t, time(NULL));
}

/* <0, 0, >0 for two integers. */
static int
cmp_ll(long long a, long long b)
{
	return (a > b) - (a < b);
}

int
task_query_compare(const struct task_query *q, const struct task *a,
                   const struct task *b)
{
	int c, dir = q->descending && !q->overdue ? -1 : 1;

	switch (q->overdue ? TASK_SORT_DUE_AT : q->sort) {
	case TASK_SORT_DEFAULT:
	case TASK_SORT_PRIORITY:
		/* The service's priority order is the exact reverse of its
		 * default (-priority, created_at, id), ties included, so that
		 * G's reversed page joins the head: flip the whole key. */
		c = -cmp_ll(a->priority, b->priority);
		if (c == 0)
			c = cmp_ll(a->created_at, b->created_at);
		if (c == 0)
			c = cmp_ll(a->id, b->id);
		return q->sort == TASK_SORT_PRIORITY && !q->descending ? -c : c;
	case TASK_SORT_CREATED_AT:
		c = cmp_ll(a->created_at, b->created_at);
		break;
	case TASK_SORT_UPDATED_AT:
		c = cmp_ll(a->updated_at, b->updated_at);
		break;
	case TASK_SORT_DUE_AT:
		/* No due date: last ascending, first descending (the exact
		 * reverse, as the service orders it). */
		if (a->has_due_at != b->has_due_at)
			c = a->has_due_at ? -1 : 1;
		else
			c = a->has_due_at ? cmp_ll(a->due_at, b->due_at) : 0;
		break;
	default:
		c = 0;
	}
	return dir * (c != 0 ? c : cmp_ll(a->id, b->id));
}
