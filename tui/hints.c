/* The hint bar's text, built from the live bindings. See hints.h. */
#include "tui/hints.h"

#include <stdio.h>
#include <string.h>

#include "tui/app.h"
#include "tui/frame.h"

/* A list's keys: what a new staff member needs first. */
static const struct hint list_hints[] = {
	{ ACTION_DOWN, ACTION_UP, "move" },
	{ ACTION_OPEN, ACTION_NONE, "open" },
	{ ACTION_SEARCH, ACTION_NONE, "search" },
	{ ACTION_FILTER, ACTION_NONE, "filter" },
	{ ACTION_SORT, ACTION_NONE, "sort" },
	{ ACTION_HELP, ACTION_NONE, "help" },
	{ ACTION_NONE, ACTION_NONE, NULL },
};

/* An opened item. */
static const struct hint detail_hints[] = {
	{ ACTION_DOWN, ACTION_UP, "scroll" },
	{ ACTION_BACK, ACTION_NONE, "back" },
	{ ACTION_HELP, ACTION_NONE, "help" },
	{ ACTION_NONE, ACTION_NONE, NULL },
};

/* A text line (readline edits it). */
static const struct hint input_hints[] = {
	{ ACTION_SUBMIT, ACTION_NONE, "send" },
	{ ACTION_BACK, ACTION_NONE, "cancel" },
	{ ACTION_NONE, ACTION_NONE, NULL },
};

/* A form: the sign-in form, where going back quits. */
static const struct hint form_hints[] = {
	{ ACTION_NEXT_FIELD, ACTION_PREV_FIELD, "next/previous field" },
	{ ACTION_SUBMIT, ACTION_NONE, "submit" },
	{ ACTION_BACK, ACTION_NONE, "quit" },
	{ ACTION_NONE, ACTION_NONE, NULL },
};

/* The help page. */
static const struct hint pager_hints[] = {
	{ ACTION_DOWN, ACTION_UP, "scroll" },
	{ ACTION_PAGE_DOWN, ACTION_PAGE_UP, "page" },
	{ ACTION_SEARCH, ACTION_NONE, "search" },
	{ ACTION_SEARCH_NEXT, ACTION_SEARCH_PREV, "next/prev" },
	{ ACTION_BACK, ACTION_NONE, "close" },
	{ ACTION_NONE, ACTION_NONE, NULL },
};

/* Anything else: the way out and the way to learn more. */
static const struct hint global_hints[] = {
	{ ACTION_HELP, ACTION_NONE, "help" },
	{ ACTION_COMMAND_LINE, ACTION_NONE, "command" },
	{ ACTION_QUIT, ACTION_NONE, "quit" },
	{ ACTION_NONE, ACTION_NONE, NULL },
};

const struct hint *
hints_for_context(enum key_context ctx)
{
	switch (ctx) {
	case KEYCTX_LIST:
		return list_hints;
	case KEYCTX_DETAIL:
		return detail_hints;
	case KEYCTX_INPUT:
		return input_hints;
	case KEYCTX_FORM:
		return form_hints;
	case KEYCTX_PAGER:
		return pager_hints;
	default:
		return global_hints;
	}
}

/* The key for action a in ctx as text; false when nothing binds it. */
static bool
hint_key(const struct bindings *b, enum key_context ctx, enum action a,
         char *buf, size_t len)
{
	key_code key = bindings_key_for(b, ctx, a);

	if (key == KEYC_NONE)
		return false;
	key_to_string(key, buf, len);
	return true;
}

/* One entry, "j/k move"; false when its keys are not all bound. */
static bool
hint_entry(const struct bindings *b, enum key_context ctx, const struct hint *h,
           char *buf, size_t len)
{
	char k1[32], k2[32];

	if (h->a == ACTION_NONE) { /* words with no key of their own */
		snprintf(buf, len, "%s", h->label);
		return true;
	}
	if (!hint_key(b, ctx, h->a, k1, sizeof k1))
		return false;
	if (h->b == ACTION_NONE) {
		snprintf(buf, len, "%s %s", k1, h->label);
		return true;
	}
	if (!hint_key(b, ctx, h->b, k2, sizeof k2))
		return false;
	snprintf(buf, len, "%s/%s %s", k1, k2, h->label);
	return true;
}

void
hints_format(const struct bindings *b, enum key_context ctx,
             const struct hint *h, int width, char *buf, size_t len)
{
	char entry[96];
	size_t used = 0, need;

	buf[0] = '\0';
	for (; h->label != NULL; h++) {
		if (!hint_entry(b, ctx, h, entry, sizeof entry))
			continue;
		need = strlen(entry) + (used > 0 ? 2 : 0);
		if (width < 0 || used + need > (size_t)width ||
		    used + need >= len)
			break; /* a whole entry or nothing */
		snprintf(buf + used, len - used, "%s%s", used > 0 ? "  " : "",
		         entry);
		used += need;
	}
}

bool
hints_shown(const struct app *app)
{
	return !app->hints_off && app->rows >= HINTS_MIN_ROWS;
}

bool
hints_set(struct app *app, const char *args)
{
	if (args == NULL)
		app->hints_off = !app->hints_off;
	else if (strcmp(args, "on") == 0)
		app->hints_off = false;
	else if (strcmp(args, "off") == 0)
		app->hints_off = true;
	else {
		app_notice(app, true, "hints takes on or off, not %s", args);
		return false;
	}
	frame_layout(app);
	return true;
}
