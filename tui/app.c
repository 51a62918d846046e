/* Application-wide behaviour: notices, attention, key dispatch. */
#include "tui/app.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net/base/error.h"
#include "net/base/xmalloc.h"
#include "net/base/loop.h"
#include "tui/messages.h"
#include "tui/sanitize.h"

void
app_redraw(struct app *app)
{
	app->dirty = true;
}

void
app_set_unread(struct app *app, long long n, bool more)
{
	if (app->unread != (int)n || app->unread_more != more) {
		app->unread = (int)n;
		app->unread_more = more;
		app_redraw(app);
	}
}

void
app_set_marked(struct app *app, size_t n)
{
	if (app->marked != (int)n) {
		app->marked = (int)n;
		app_redraw(app);
	}
}

void
app_overlay_reap(struct app *app)
{
	struct pane *o = &app->overlay_old;

	if (o->state != NULL && o->ops->free != NULL)
		o->ops->free(o->state);
	*o = (struct pane){ 0 };
}

void
app_overlay_close(struct app *app, void *state)
{
	if (app->overlay.state == NULL ||
	    (state != NULL && app->overlay.state != state))
		return;
	app_overlay_reap(app);
	app->overlay_old = app->overlay;
	app->overlay = (struct pane){ 0 };
	app->dirty = true;
}

void
app_overlay_open(struct app *app, const struct view_ops *ops, void *state)
{
	app_overlay_close(app, NULL);
	app->overlay = (struct pane){ ops, state, true };
	app->dirty = true;
}

/* Forgets the text request (without answering it). */
static void
text_reset(struct app *app)
{
	free(app->text.help);
	free(app->text.editor_initial);
	app->text = (struct app_text){ 0 };
}

void
app_text_line(struct app *app, enum cmdline_kind kind, const char *prompt,
              bool alert, const char *initial, const char *help, app_text_cb cb,
              void *ud)
{
	text_reset(app);
	app->text.cb = cb;
	app->text.ud = ud;
	app->text.help = xstrdup(help != NULL ? help : "");
	cmdline_open(app->cmdline, kind, prompt, initial);
	cmdline_alert(app->cmdline, alert);
	app->dirty = true;
}

void
app_text_editor(struct app *app, const char *initial, const char *help,
                app_text_cb cb, void *ud)
{
	text_reset(app);
	app->text.cb = cb;
	app->text.ud = ud;
	app->text.help = xstrdup(help != NULL ? help : "");
	app->text.editor_wanted = true;
	app->text.editor_initial = xstrdup(initial != NULL ? initial : "");
}

void
app_text_done(struct app *app, char *text, bool submitted)
{
	app_text_cb cb = app->text.cb;
	void *ud = app->text.ud;

	text_reset(app);
	if (cb != NULL)
		cb(ud, text, submitted);
	else
		free(text);
}

void
app_goto(struct app *app, enum pane_id pane, long long client_id)
{
	app->go_pane = pane;
	app->go_client = client_id;
	app->dirty = true;
}

void
app_goto_from_task(struct app *app, enum pane_id pane, long long client_id,
                   long long task_id)
{
	app->go_task = task_id;
	app_goto(app, pane, client_id);
}

long long
app_take_go_task(struct app *app)
{
	long long id = app->go_task;

	app->go_task = 0;
	return id;
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
app_log(struct app *app, bool error, const char *text)
{
	if (app->messages != NULL && text != NULL)
		messages_add(app->messages, time(NULL), error, text);
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
	app_log(app, error, app->message);
	if (app->loop != NULL)
		loop_timer_add(app->loop, APP_NOTICE_MS, notice_expire, app);
}

void
app_request_failed(struct app *app, char **error, const char *what,
                   const struct sc_error *err)
{
	free(*error);
	*error = sanitize_str(err->message, SANITIZE_TABS_AS_SPACE);
	app_notice(app, true, "%s: %s", what, err->message);
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

/* The index of the item jumped to last, or -1. */
static long
attention_current(const struct app *app)
{
	size_t i;

	for (i = 0; i < app->nattention; i++)
		if (app->attention[i].pane == app->current &&
		    app->attention[i].id == app->attention_last)
			return (long)i;
	return -1;
}

/*
 * Jumps to the next attention item after the last one jumped to, across
 * panes and wrapping (weechat's Alt+a): items in tab order of their
 * panes, each pane's in the order it gave them; hidden panes skipped.
 */
bool
app_attention_next(struct app *app)
{
	struct app_event ev = { .kind = APP_EV_ATTENTION };
	long start = attention_current(app);
	size_t step, n = app->nattention;
	struct attention_item *a;

	for (step = 1; step <= n; step++) {
		a = &app->attention[(size_t)(start + (long)step) % n];
		if (!app->panes[a->pane].visible)
			continue;
		app->current = a->pane;
		app->attention_last = a->id;
		ev.id = a->id;
		if (app->panes[a->pane].ops->event != NULL)
			app->panes[a->pane].ops->event(
			    app->panes[a->pane].state, &ev);
		app_notice(app, false, "attention: %s", a->label);
		return true;
	}
	return false;
}
