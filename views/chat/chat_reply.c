/* Writing a chat reply: see chat_reply.h. */
#include "views/chat/chat_reply.h"

#include <stdlib.h>
#include <string.h>

#include "net/client/api.h"
#include "net/store/draft.h"
#include "net/store/sender.h"
#include "net/base/xmalloc.h"
#include "tui/app.h"
#include "tui/sanitize.h"

/*
 * The drafts: on disk through the store when it opened, else (and for
 * a draft the disk refused) in memory for this session. ids caches which
 * conversations have one, for the list's marks.
 */
struct chat_reply {
	struct app *app;
	struct draft_store *store;
	char *mem_text; /* a draft the disk refused */
	int64_t mem_id;
	long long *ids;
	size_t nids;
	int64_t writing; /* the conversation the open line replies to */
};

/* Refreshes the cache of conversations with a draft. */
static void
drafts_scan(struct chat_reply *r)
{
	struct sc_error err = { 0 };

	free(r->ids);
	r->ids = NULL;
	r->nids = 0;
	if (r->store != NULL)
		r->ids = draft_list(r->store, &r->nids, &err);
	sc_error_clear(&err);
}

struct chat_reply *
chat_reply_new(struct app *app)
{
	struct chat_reply *r = xcalloc(1, sizeof *r);
	struct sc_error err = { 0 };

	r->app = app;
	/* The service's own drafts: ids mean nothing on another service. */
	r->store = draft_store_open_service(NULL, api_url(app->api), &err);
	if (r->store == NULL) {
		app_notice(app, true, "drafts kept in memory only: %s",
		           err.message);
		sc_error_clear(&err);
	}
	drafts_scan(r);
	return r;
}

void
chat_reply_free(struct chat_reply *r)
{
	if (r == NULL)
		return;
	draft_store_free(r->store);
	free(r->mem_text);
	free(r->ids);
	free(r);
}

bool
chat_reply_has_draft(const struct chat_reply *r, int64_t id)
{
	size_t i;

	if (r->mem_text != NULL && r->mem_id == id)
		return true;
	for (i = 0; i < r->nids; i++)
		if (r->ids[i] == id)
			return true;
	return false;
}

/* The draft of id (malloc'd), or NULL. */
static char *
draft_get(struct chat_reply *r, int64_t id)
{
	struct sc_error err = { 0 };
	char *text;

	if (r->mem_text != NULL && r->mem_id == id)
		return xstrdup(r->mem_text);
	if (r->store == NULL)
		return NULL;
	text = draft_load(r->store, id, &err);
	if (err.kind != SC_OK)
		app_notice(r->app, true, "draft: %s", err.message);
	sc_error_clear(&err);
	return text;
}

/* Keeps text (NULL or "": none) as id's draft, on disk if it can. */
static void
draft_put(struct chat_reply *r, int64_t id, const char *text)
{
	struct sc_error err = { 0 };
	bool empty = text == NULL || text[0] == '\0';

	if (r->mem_id == id) {
		free(r->mem_text);
		r->mem_text = NULL;
	}
	if (r->store != NULL &&
	    draft_save(r->store, id, empty ? "" : text, &err) == 0) {
		drafts_scan(r);
		return;
	}
	if (!empty) {
		free(r->mem_text);
		r->mem_text = xstrdup(text);
		r->mem_id = id;
		app_notice(r->app, true,
		           "draft kept in memory only (r brings it back): %s",
		           err.message ? err.message : "no drafts directory");
	}
	sc_error_clear(&err);
	drafts_scan(r);
}

/* Queues the reply; on failure it stays as the draft. */
static void
submit(struct chat_reply *r, int64_t id, const char *raw)
{
	char *text =
	    sanitize_str(raw, SANITIZE_KEEP_NEWLINES | SANITIZE_TABS_AS_SPACE);
	struct sc_error err = { 0 };

	if (text[strspn(text, " \n")] == '\0') {
		app_notice(r->app, false, "reply cancelled: it was empty");
		draft_put(r, id, NULL);
	} else if (r->app->sender == NULL) {
		draft_put(r, id, text);
		app_notice(r->app, true,
		           "reply not sent: the outbox is not available; it "
		           "is kept as the draft (r brings it back)");
	} else if (sender_submit(r->app->sender, OUTBOX_MESSAGE, id, false,
	                         text, NULL, &err) != 0) {
		draft_put(r, id, text);
		app_notice(r->app, true,
		           "reply not queued: %s; it is kept as the draft (r "
		           "brings it back)",
		           err.message);
		sc_error_clear(&err);
	} else {
		draft_put(r, id, NULL);
		app_notice(r->app, false, "reply queued: pending");
	}
	free(text);
}

/* The line's or the editor's answer. */
static void
on_text(void *ud, char *text, bool submitted)
{
	struct chat_reply *r = ud;

	if (submitted)
		submit(r, r->writing, text);
	else {
		draft_put(r, r->writing, text);
		app_notice(r->app, false, "nothing sent%s",
		           text != NULL ? " (kept as the draft: r brings it "
		                          "back)"
		                        : "");
	}
	free(text);
	app_redraw(r->app);
}

void
chat_reply_start(struct chat_reply *r, int64_t id,
                 const struct client_ref *client, bool editor, const char *text)
{
	char *name, *prompt, *help, *draft;

	if (!(r->app->permissions & PERM_CHAT_REPLY)) {
		app_notice(r->app, true, "replying needs chat.reply");
		return;
	}
	r->writing = id;
	if (text != NULL && text[0] != '\0') {
		submit(r, id, text);
		return;
	}
	name = sanitize_str(client->name, SANITIZE_TABS_AS_SPACE);
	prompt = xasprintf("reply to %s: ", name);
	help = xasprintf("Reply to %s (conversation %lld): the client sees "
	                 "this.",
	                 name, (long long)id);
	draft = draft_get(r, id);
	if (editor)
		app_text_editor(r->app, draft, help, on_text, r);
	else
		app_text_line(r->app, CMDLINE_REPLY, prompt, false, draft, help,
		              on_text, r);
	free(draft);
	free(help);
	free(prompt);
	free(name);
}
