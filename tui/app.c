/* Application-wide behaviour: notices, attention, key dispatch. */
#include "tui/app.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/xmalloc.h"
#include "tui/loop.h"
#include "tui/sanitize.h"

void
app_redraw(struct app *app)
{
	app->dirty = true;
}

/* A notice stays on the status line this long unless replaced. */
#define APP_NOTICE_MS 8000

/* Clears the notice once it has been shown long enough. */
static void
notice_expire(void *ud)
{
	struct app *app = ud;

	if (app->message == NULL ||
	    loop_now_ms() - app->message_at < APP_NOTICE_MS)
		return; /* replaced meanwhile: its own timer clears it */
	free(app->message);
	app->message = NULL;
	app->dirty = true;
}

void
app_notice(struct app *app, bool error, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	free(app->message);
	/* Notices often quote server text: it goes through the sanitiser. */
	app->message = sanitize_str(buf, SANITIZE_TABS_AS_SPACE);
	app->message_is_error = error;
	app->message_at = loop_now_ms();
	app->dirty = true;
	if (app->loop != NULL)
		loop_timer_add(app->loop, APP_NOTICE_MS, notice_expire, app);
}

/* Frees the items of one pane, compacting the array. */
static void
attention_drop(struct app *app, enum pane_id pane)
{
	size_t i = 0;

	while (i < app->nattention) {
		if (app->attention[i].pane != pane) {
			i++;
			continue;
		}
		free(app->attention[i].label);
		memmove(&app->attention[i], &app->attention[i + 1],
		        (app->nattention - i - 1) * sizeof *app->attention);
		app->nattention--;
	}
}

void
app_attention_set(struct app *app, enum pane_id pane,
                  const struct attention_item *items, size_t n)
{
	size_t i;

	attention_drop(app, pane);
	app->attention = xreallocarray(app->attention, app->nattention + n,
	                               sizeof *app->attention);
	for (i = 0; i < n; i++) {
		struct attention_item *a = &app->attention[app->nattention++];

		a->pane = pane;
		a->id = items[i].id;
		a->label = sanitize_str(items[i].label, SANITIZE_TABS_AS_SPACE);
	}
	app->dirty = true;
}

/*
 * Jumps to the first attention item in a pane after the current one
 * (wrapping), as weechat's Alt+a does: panes in tab order, items in the
 * order each pane gave them, skipping panes whose tab is hidden.
 */
bool
app_attention_next(struct app *app)
{
	struct app_event ev = { .kind = APP_EV_ATTENTION };
	int step, p;
	size_t i;

	for (step = 1; step <= PANE_COUNT; step++) {
		p = ((int)app->current + step) % PANE_COUNT;
		if (!app->panes[p].visible)
			continue;
		for (i = 0; i < app->nattention; i++) {
			if ((int)app->attention[i].pane != p)
				continue;
			app->current = (enum pane_id)p;
			ev.id = app->attention[i].id;
			if (app->panes[p].ops->event != NULL)
				app->panes[p].ops->event(app->panes[p].state,
				                         &ev);
			app_notice(app, false, "attention: %s",
			           app->attention[i].label);
			return true;
		}
	}
	return false;
}
