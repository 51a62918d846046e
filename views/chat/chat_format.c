/* Times, previews and order for the chat pane. */
#include "views/chat/chat_format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/base/xmalloc.h"
#include "net/store/chat_store.h"
#include "tui/sanitize.h"
#include "views/shared/task_format.h"

/* Days since the epoch of t's local calendar day (for day distances). */
static long
local_day(time_t t)
{
	struct tm tm;

	localtime_r(&t, &tm);
	/* Days from a fixed date by the civil calendar, so DST does not
	 * move the boundary. */
	{
		long y = tm.tm_year + 1900L, m = tm.tm_mon + 1L;
		long a = (14 - m) / 12, yy = y + 4800 - a, mm = m + 12 * a - 3;

		return tm.tm_mday + (153 * mm + 2) / 5 + 365 * yy + yy / 4 -
		       yy / 100 + yy / 400 - 32045;
	}
}

bool
chat_format_same_day(time_t a, time_t b)
{
	return local_day(a) == local_day(b);
}

void
chat_format_day(time_t now, time_t t, char *buf, size_t len)
{
	long d = local_day(now) - local_day(t);
	struct tm tm;

	localtime_r(&t, &tm);
	if (d == 0)
		snprintf(buf, len, "Today");
	else if (d == 1)
		snprintf(buf, len, "Yesterday");
	else if (d > 1 && d < 7)
		strftime(buf, len, "%A", &tm);
	else
		strftime(buf, len, "%a %d %b %Y", &tm);
}

void
chat_format_clock(time_t t, char *buf, size_t len)
{
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, len, "%H:%M", &tm);
}

void
chat_format_when(time_t now, time_t t, char *buf, size_t len)
{
	long d = local_day(now) - local_day(t);
	struct tm tm, tn;

	localtime_r(&t, &tm);
	localtime_r(&now, &tn);
	if (d == 0)
		strftime(buf, len, "%H:%M", &tm);
	else if (d == 1)
		snprintf(buf, len, "yesterday");
	else if (d > 1 && d < 7)
		strftime(buf, len, "%a", &tm);
	else if (tm.tm_year == tn.tm_year)
		strftime(buf, len, "%d %b", &tm);
	else
		strftime(buf, len, "%Y-%m-%d", &tm);
}

char *
chat_format_preview(const char *body, unsigned flags)
{
	char *clean = sanitize_str(body, flags | SANITIZE_KEEP_NEWLINES |
	                                     SANITIZE_TABS_AS_SPACE);
	char *out = xmalloc(strlen(clean) + 1);
	size_t n = 0;
	const char *p;

	for (p = clean; *p != '\0'; p++) {
		bool blank = *p == ' ' || *p == '\n';

		if (blank && (n == 0 || out[n - 1] == ' '))
			continue;
		out[n++] = blank ? ' ' : *p;
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	free(clean);
	return out;
}

int
chat_format_compare(const struct conversation *a, const struct conversation *b)
{
	return chat_store_compare(a, b);
}

/* True when hay contains needle, in any case (as the search does). */
static bool
contains(const char *hay, const char *needle)
{
	size_t off;

	return hay != NULL && task_format_find(hay, needle, 0, &off);
}

bool
chat_format_matches(const struct conversation *c, const char *needle)
{
	if (needle == NULL || needle[0] == '\0')
		return true;
	return contains(c->client.name, needle) ||
	       contains(c->client.company, needle);
}

/* The conversation list's table: widths by terminal width 70, 40, less. */
static const struct column cols[CHAT_COL_COUNT] = {
	[CHAT_COL_UNREAD] = { "unread", "NEW", COLUMN_RIGHT, 0, { 4, 4, 4 } },
	[CHAT_COL_CLIENT] = { "client",
	                      "CLIENT",
	                      COLUMN_LEFT,
	                      0,
	                      { 22, 18, 12 } },
	[CHAT_COL_COMPANY] = { "company",
	                       "COMPANY",
	                       COLUMN_LEFT,
	                       0,
	                       { 18, 0, 0 } },
	[CHAT_COL_PREVIEW] = { "preview",
	                       "LAST MESSAGE",
	                       COLUMN_LEFT,
	                       0,
	                       { COLUMN_FLEX, COLUMN_FLEX, COLUMN_FLEX } },
	[CHAT_COL_WHEN] = { "when", "WHEN", COLUMN_LEFT, 0, { 10, 10, 10 } },
};

static const struct column_table table = {
	.cols = cols,
	.n = CHAT_COL_COUNT,
	.tiers = { 70, 40, 0 },
};

void
chat_format_layout(int width, struct column_layout *out)
{
	columns_layout(&table, width, 0, 0, out);
}
