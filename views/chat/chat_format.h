/* How the chat pane words times and previews: pure functions, tested. */
#ifndef SITECARE_VIEWS_CHAT_FORMAT_H
#define SITECARE_VIEWS_CHAT_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "net/client/model.h"
#include "tui/columns.h"

/* The conversation list's columns, left to right. */
enum chat_col {
	CHAT_COL_UNREAD, /* the unread count, blank when none */
	CHAT_COL_CLIENT,
	CHAT_COL_COMPANY,
	CHAT_COL_PREVIEW, /* the last message */
	CHAT_COL_WHEN,
	CHAT_COL_COUNT,
};

/*
 * The conversation list's columns for width (indexed by enum chat_col):
 * below 70 columns the company goes and the client narrows, more below
 * 40; the preview takes what is left.
 */
void chat_format_layout(int width, struct column_layout *out);

/* True when a and b fall on the same local calendar day. */
bool chat_format_same_day(time_t a, time_t b);

/*
 * The day separator's words for t seen at now: "Today", "Yesterday",
 * the weekday within the last week ("Monday"), else "Mon 23 Nov 2026".
 * Local time.
 */
void chat_format_day(time_t now, time_t t, char *buf, size_t len);

/* The local clock time of t, "14:05". */
void chat_format_clock(time_t t, char *buf, size_t len);

/*
 * The last activity for the conversation list: "14:05" today,
 * "yesterday", "Mon" within a week, else "23 Nov" (this year) or
 * "2025-11-23".
 */
void chat_format_when(time_t now, time_t t, char *buf, size_t len);

/*
 * A message body as a one-line preview: sanitised with flags, newlines
 * and tabs become single spaces, runs of blanks collapse, ends trimmed.
 * The caller frees it.
 */
char *chat_format_preview(const char *body, unsigned flags);

/*
 * The conversation list's order: unread first, then newest activity,
 * then the higher id; a conversation without messages last. qsort-style.
 */
int chat_format_compare(const struct conversation *a,
                        const struct conversation *b);

/* True when the client's name or company contains needle (any case). */
bool chat_format_matches(const struct conversation *c, const char *needle);

#endif
