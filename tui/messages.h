/* The session's message log (vim's :messages) and the page that shows it. */
#ifndef SITECARE_TUI_MESSAGES_H
#define SITECARE_TUI_MESSAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "tui/overlay.h"
#include "tui/view.h"

/* How many messages a session keeps: the oldest go first. */
#define MESSAGES_MAX 500

/*
 * Every notice, error and sign-in form error of the session, in the order
 * they came, each with the wall-clock time it came at. The status line
 * shows one message for a few seconds and only as much as fits; the log
 * keeps the full, sanitised text to read again. A ring of at most cap
 * entries: adding to a full log drops the oldest.
 */
struct messages_entry {
	time_t at;
	bool error;
	char *text; /* sanitised, one line */
};

struct messages;

struct messages *messages_new(size_t cap);
void messages_free(struct messages *m);

/* Keeps text (copied, sanitised) as a message of time at. */
void messages_add(struct messages *m, time_t at, bool error, const char *text);

/* How many messages are kept now, and how many were ever added. */
size_t messages_count(const struct messages *m);
size_t messages_total(const struct messages *m);

/* The i-th kept message, 0 the oldest; NULL past the end. */
const struct messages_entry *messages_at(const struct messages *m, size_t i);

/*
 * Fills o with the log's page for a width of cols: one entry per
 * message, oldest first, "HH:MM:SS  text" wrapped at blanks over as many
 * lines as it needs, continuation lines indented under the text. Needs
 * no terminal.
 */
void messages_build(struct overlay_text *o, const struct messages *m, int cols);

/* The overlay's state for app's log (app->messages), scrolled to the
 * newest message. */
void *messages_page_new(struct app *app);

/* The overlay's operations (state from messages_page_new). */
extern const struct view_ops messages_ops;

#endif
