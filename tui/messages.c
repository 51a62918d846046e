/* The session's message log (vim's :messages) and the page that shows it. */
#include "tui/messages.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/base/xmalloc.h"
#include "tui/app.h"
#include "tui/sanitize.h"
#include "views/shared/task_format.h"

/* "HH:MM:SS  ": the time column, and the indent of continuation lines. */
#define MESSAGES_TIME_WIDTH 10

struct messages {
	struct messages_entry *ring; /* cap slots; the oldest at first */
	size_t cap, first, n;
	size_t total; /* ever added, so a page sees that the log grew */
};

struct messages *
messages_new(size_t cap)
{
	struct messages *m = xcalloc(1, sizeof *m);

	m->cap = cap > 0 ? cap : 1;
	m->ring = xcalloc(m->cap, sizeof *m->ring);
	return m;
}

void
messages_free(struct messages *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->cap; i++)
		free(m->ring[i].text);
	free(m->ring);
	free(m);
}

void
messages_add(struct messages *m, time_t at, bool error, const char *text)
{
	struct messages_entry *slot;

	if (m->n == m->cap) { /* full: the oldest makes room */
		slot = &m->ring[m->first];
		m->first = (m->first + 1) % m->cap;
	} else
		slot = &m->ring[(m->first + m->n++) % m->cap];
	free(slot->text);
	slot->at = at;
	slot->error = error;
	slot->text = sanitize_str(text, SANITIZE_TABS_AS_SPACE);
	m->total++;
}

size_t
messages_count(const struct messages *m)
{
	return m->n;
}

size_t
messages_total(const struct messages *m)
{
	return m->total;
}

const struct messages_entry *
messages_at(const struct messages *m, size_t i)
{
	if (i >= m->n)
		return NULL;
	return &m->ring[(m->first + i) % m->cap];
}

/* One message: its time, then its text wrapped at width columns. */
static void
messages_add_entry(struct overlay_text *o, const struct messages_entry *msg,
                   int width)
{
	enum theme_item item = msg->error ? THEME_ERROR : THEME_NORMAL;
	char when[16];
	struct tm tm;
	size_t i, n;
	char **lines = task_format_wrap(msg->text, width, &n);

	localtime_r(&msg->at, &tm);
	strftime(when, sizeof when, "%H:%M:%S", &tm);
	for (i = 0; i < n || i == 0; i++)
		overlay_text_add(o, item, "%-*s%s", MESSAGES_TIME_WIDTH,
		                 i == 0 ? when : "", i < n ? lines[i] : "");
	task_format_wrap_free(lines, n);
}

void
messages_build(struct overlay_text *o, const struct messages *m, int cols)
{
	/* The page draws from column 1 and leaves the last one free. */
	int width = cols - 2 - MESSAGES_TIME_WIDTH;
	size_t i;

	if (width < 8)
		width = 8;
	overlay_text_clear(o);
	overlay_text_title(o, "Messages of this session (%zu, newest last)",
	                   messages_count(m));
	if (messages_count(m) == 0)
		overlay_text_add(o, THEME_DIM, "%s", "No messages yet.");
	for (i = 0; i < messages_count(m); i++)
		messages_add_entry(o, messages_at(m, i), width);
}

/* The page: the built text, and what it was built from. */
struct messages_page {
	struct overlay_text o;
	const struct messages *log;
	int cols;     /* the width it was built for; 0: not yet */
	size_t total; /* messages_total() when built */
};

void *
messages_page_new(struct app *app)
{
	struct messages_page *p = xcalloc(1, sizeof *p);

	p->log = app->messages;
	p->o.top = SIZE_MAX; /* the draw clamps it: the newest in view */
	return p;
}

static void
messages_page_free(void *state)
{
	struct messages_page *p = state;

	overlay_text_free(&p->o);
	free(p);
}

/* Built again when the width changed or messages came meanwhile. */
static void
messages_page_draw(void *state, void *win, int rows, int cols)
{
	struct messages_page *p = state;
	static const struct messages none;
	const struct messages *log = p->log != NULL ? p->log : &none;

	if (p->cols != cols || p->total != messages_total(log)) {
		messages_build(&p->o, log, cols);
		p->cols = cols;
		p->total = messages_total(log);
	}
	overlay_text_draw(&p->o, win, rows, cols);
}

static enum view_result
messages_page_action(void *state, enum action a, const char *args)
{
	struct messages_page *p = state;

	return overlay_text_scroll(&p->o, a);
}

/* The page scrolls with the detail keys. */
static enum key_context
messages_page_context(void *state)
{
	return KEYCTX_DETAIL;
}

const struct view_ops messages_ops = {
	.name = "Messages",
	.title = "Messages",
	.free = messages_page_free,
	.draw = messages_page_draw,
	.action = messages_page_action,
	.context = messages_page_context,
};
