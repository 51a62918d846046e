/* Tasks as text: see task_format.h. */
#include "views/shared/task_format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/base/xmalloc.h"
#include "tui/columns.h"
#include "tui/sanitize.h"

/*
 * The queue's columns, widths by terminal width, widest first: 120, 100,
 * 80, 60, 40 and below. 0 drops a column. The order of dropping (assignee
 * and age, then client and due, then all but the title) keeps what
 * triage needs most: priority, title, status. The id is as wide as the
 * widest id loaded; the title takes the rest.
 */
#define A COLUMN_AUTO
#define F COLUMN_FLEX
static const struct column cols[TASK_COL_COUNT] = {
	[TASK_COL_MARK] = { "mark", "", COLUMN_LEFT, 0, { 1, 1, 1, 1, 1, 1 } },
	[TASK_COL_PRIORITY] = { "priority",
	                        "PRIO",
	                        COLUMN_LEFT,
	                        0,
	                        { 6, 6, 4, 4, 4, 1 } },
	[TASK_COL_ID] = { "id", "ID", COLUMN_RIGHT, 0, { A, A, A, A, A, 0 } },
	[TASK_COL_CLIENT] = { "client",
	                      "CLIENT",
	                      COLUMN_LEFT,
	                      0,
	                      { 18, 16, 12, 10, 0, 0 } },
	[TASK_COL_TITLE] = { "title",
	                     "TITLE",
	                     COLUMN_LEFT,
	                     0,
	                     { F, F, F, F, F, F } },
	[TASK_COL_STATUS] = { "status",
	                      "STATUS",
	                      COLUMN_LEFT,
	                      0,
	                      { 11, 7, 7, 7, 7, 0 } },
	[TASK_COL_ASSIGNEE] = { "assignee",
	                        "WHO",
	                        COLUMN_LEFT,
	                        0,
	                        { 14, 12, 10, 0, 0, 0 } },
	[TASK_COL_AGE] = { "age", "AGE", COLUMN_LEFT, 0, { 4, 3, 3, 0, 0, 0 } },
	[TASK_COL_DUE] = { "due",
	                   "DUE",
	                   COLUMN_LEFT,
	                   0,
	                   { 11, 11, 5, 5, 0, 0 } },
};
#undef A
#undef F

static const struct column_table table = {
	.cols = cols,
	.n = TASK_COL_COUNT,
	.tiers = { 120, 100, 80, 60, 40, 0 },
};

void
task_format_layout(int width, int id_width, struct column_layout *out)
{
	columns_layout(&table, width, 0, id_width, out);
}

const char *
task_format_priority(enum task_priority p, int width)
{
	static const char *const full[] = { "low", "normal", "high", "urgent" };
	static const char *const mid[] = { "low", "norm", "high", "URG!" };
	static const char *const one[] = { "L", "N", "H", "U" };

	if ((unsigned)p >= TASK_PRIORITY_COUNT)
		return "?";
	if (width >= 6)
		return full[p];
	return width >= 4 ? mid[p] : one[p];
}

const char *
task_format_status(enum task_status s, int width)
{
	static const char *const full[] = { "new", "in_progress", "waiting",
		                            "done", "cancelled" };
	static const char *const mid[] = { "new", "in prog", "waiting", "done",
		                           "cancel" };

	if ((unsigned)s >= TASK_STATUS_COUNT)
		return "?";
	return width >= 11 ? full[s] : mid[s];
}

/* A span of seconds in its largest unit: "3m", "5h", "2d", "3w", "2y". */
static void
span(long long secs, char *buf, size_t len)
{
	if (secs < 3600)
		snprintf(buf, len, "%lldm", secs / 60 > 0 ? secs / 60 : 1);
	else if (secs < 86400)
		snprintf(buf, len, "%lldh", secs / 3600);
	else if (secs < 7 * 86400)
		snprintf(buf, len, "%lldd", secs / 86400);
	else if (secs < 365 * 86400)
		snprintf(buf, len, "%lldw", secs / (7 * 86400));
	else
		snprintf(buf, len, "%lldy", secs / (365 * 86400));
}

void
task_format_age(time_t now, time_t then, char *buf, size_t len)
{
	long long d = (long long)now - (long long)then;

	/* A clock a little behind the server's is not the future. */
	if (d < 60)
		snprintf(buf, len, "now");
	else
		span(d, buf, len);
}

void
task_format_due(time_t now, time_t due, int width, char *buf, size_t len)
{
	long long d = (long long)due - (long long)now;
	char s[32];

	span(d < 0 ? -d : d, s, sizeof s);
	snprintf(buf, len, d < 0 ? "overdue %s" : "in %s", s);
	if ((int)strlen(buf) > width)
		snprintf(buf, len, "%c%s", d < 0 ? '-' : '+', s);
}

void
task_format_size(int64_t bytes, char *buf, size_t len)
{
	static const char *const units[] = { "KB", "MB", "GB", "TB" };
	double v = (double)bytes;
	size_t u = 0;

	if (bytes < 1024) {
		snprintf(buf, len, "%lld B", (long long)bytes);
		return;
	}
	v /= 1024;
	while (v >= 1024 && u + 1 < sizeof units / sizeof units[0]) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, "%.1f %s", v, units[u]);
}

bool
task_format_find(const char *hay, const char *needle, size_t from, size_t *off)
{
	size_t n = needle != NULL ? strlen(needle) : 0, len = strlen(hay), i;

	if (n == 0 || from > len)
		return false;
	for (i = from; i + n <= len; i++) {
		if (strncasecmp(hay + i, needle, n) == 0) {
			*off = i;
			return true;
		}
	}
	return false;
}

/* Adds one line (n bytes of s) to a growing array. */
static void
add_line(char ***lines, size_t *count, const char *s, size_t n)
{
	*lines = xgrowarray(*lines, *count, sizeof **lines);
	(*lines)[(*count)++] = xstrndup(s, n);
}

/*
 * The byte length of the next line of one paragraph (no newline in it)
 * that fits in width, and in *skip how many bytes to step over after it
 * (the blank it broke at).
 */
static size_t
next_break(const char *s, size_t plen, int width, size_t *skip)
{
	size_t fit = sanitize_prefix(s, width, NULL), i;

	*skip = 0;
	if (fit >= plen)
		return plen;
	if (s[fit] == ' ') {
		*skip = 1;
		return fit;
	}
	for (i = fit; i > 0; i--) {
		if (s[i - 1] == ' ')
			return i - 1 > 0 ? i - 1 : i;
	}
	/* One word wider than the line; never return 0 (a wide char at 1). */
	if (fit == 0)
		fit = 1;
	while (fit < plen && (s[fit] & 0xC0) == 0x80)
		fit++;
	return fit;
}

/* Wraps one paragraph of plen bytes into lines. */
static void
wrap_paragraph(const char *s, size_t plen, int width, char ***lines,
               size_t *count)
{
	size_t n, skip;

	if (plen == 0) {
		add_line(lines, count, "", 0);
		return;
	}
	while (plen > 0) {
		n = next_break(s, plen, width, &skip);
		add_line(lines, count, s, n);
		/* Blanks at a break belong to neither line. */
		n += skip;
		while (n < plen && s[n] == ' ')
			n++;
		s += n;
		plen -= n;
	}
}

char **
task_format_wrap(const char *s, int width, size_t *n)
{
	char **lines = NULL;
	const char *nl;
	size_t plen;

	*n = 0;
	if (s == NULL || *s == '\0')
		return NULL;
	if (width < 1)
		width = 1;
	for (;;) {
		nl = strchr(s, '\n');
		plen = nl != NULL ? (size_t)(nl - s) : strlen(s);
		wrap_paragraph(s, plen, width, &lines, n);
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	return lines;
}

void
task_format_wrap_free(char **lines, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

enum theme_item
task_format_priority_theme(enum task_priority p)
{
	static const enum theme_item items[] = { THEME_PRIO_LOW,
		                                 THEME_PRIO_NORMAL,
		                                 THEME_PRIO_HIGH,
		                                 THEME_PRIO_URGENT };

	return (unsigned)p < TASK_PRIORITY_COUNT ? items[p] : THEME_NORMAL;
}

enum theme_item
task_format_status_theme(enum task_status s)
{
	static const enum theme_item items[] = {
		THEME_STATE_NEW, THEME_STATE_ACTIVE, THEME_STATE_WAITING,
		THEME_STATE_DONE, THEME_STATE_DONE
	};

	return (unsigned)s < TASK_STATUS_COUNT ? items[s] : THEME_NORMAL;
}
