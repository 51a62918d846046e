/* How tasks look as text: columns for a width, ages, dues, wrapping. */
#ifndef SITECARE_VIEWS_TASK_FORMAT_H
#define SITECARE_VIEWS_TASK_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "net/client/model.h"
#include "tui/columns.h"
#include "tui/theme.h"

/* The queue's columns, left to right. */
enum task_col {
	TASK_COL_MARK, /* '*' for a task not seen yet, '+' for a marked one */
	TASK_COL_PRIORITY,
	TASK_COL_ID,
	TASK_COL_CLIENT,
	TASK_COL_TITLE,
	TASK_COL_STATUS,
	TASK_COL_ASSIGNEE,
	TASK_COL_AGE,
	TASK_COL_DUE,
	TASK_COL_COUNT,
};

/*
 * The columns for width (tui/columns.h, indexed by enum task_col). Wide
 * terminals get every column at full width; below 120, 100, 80, 60 and
 * 40 columns the status and due shorten and the assignee, age, client
 * and due are dropped in turn, so the title keeps about twenty columns
 * down to 40. id_width is the widest id to show (ids are never cut).
 */
void task_format_layout(int width, int id_width, struct column_layout *out);

/* The priority in width columns: "urgent" (6+), "URG!" (4+), "U" (1+). */
const char *task_format_priority(enum task_priority p, int width);

/* The status in width columns: "in_progress" (11+), "in prog" (7+). */
const char *task_format_status(enum task_status s, int width);

/* How long ago then was: "now", "3m", "5h", "2d", "3w", "2y". */
void task_format_age(time_t now, time_t then, char *buf, size_t len);

/*
 * When due is, relative to now, in at most width columns: "overdue 2d",
 * "in 3d"; when that does not fit, "-2d" (overdue) or "+3d".
 */
void task_format_due(time_t now, time_t due, int width, char *buf, size_t len);

/* A size for people: "512 B", "12.3 KB", "4.0 MB", "1.2 GB". */
void task_format_size(int64_t bytes, char *buf, size_t len);

/*
 * Finds needle in hay from byte from on, ignoring ASCII case (as the
 * server's search does): true with the match's byte offset in *off.
 */
bool task_format_find(const char *hay, const char *needle, size_t from,
                      size_t *off);

/*
 * Splits sanitised text into lines of at most width display columns,
 * breaking at blanks where it can and inside a word only when a word is
 * wider than a line; newlines end lines (an empty line stays). Returns
 * the lines (malloc'd strings) and their number in *n; free with
 * task_format_wrap_free. Text that is empty gives no lines.
 */
char **task_format_wrap(const char *s, int width, size_t *n);
void task_format_wrap_free(char **lines, size_t n);

/* The theme item (colour by meaning) of a priority and of a status. */
enum theme_item task_format_priority_theme(enum task_priority p);
enum theme_item task_format_status_theme(enum task_status s);

#endif
