/* Changing tasks: see triage.h. */
#include "views/tasks/triage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/client/api.h"
#include "net/base/xmalloc.h"
#include "tui/app.h"
#include "net/base/loop.h"
#include "net/store/task_store.h"
#include "views/tasks/triage_ask.h"

/* What became of one task of a change. */
enum item_state {
	ITEM_SENDING,
	ITEM_DONE,
	ITEM_FAILED,
	ITEM_CONFLICT,
};

struct batch;

/*
 * One task of a change: the PATCH sent for it, the task as shown when it
 * was asked (for rolling back and for telling what changed under it),
 * and the server's answer: the new version, or the current one of a 412.
 */
struct item {
	struct batch *b;
	int64_t id;
	int64_t version; /* sent as If-Match */
	struct task_patch patch;
	char *assignee_name;
	struct task before;
	struct task server;
	struct api_req *req;
	enum item_state st;
	char *error; /* why it failed: "forbidden: ..." */
};

/* One change asked for, to one task or to several marked ones. */
struct batch {
	struct triage *tr;
	char *what; /* "priority high", for the status line */
	bool is_undo;
	struct item *items;
	size_t n, left;
};

/* A change that went through, kept for TRIAGE_UNDO_MS to undo. */
struct undo_entry {
	int64_t id, version;
	struct task after; /* as the server answered: for a row filtered out
	                      by the change itself (status done, say) */
	struct task_patch patch;
	char *assignee_name;
};

struct triage {
	struct app *app;
	struct task_store *ts;          /* the app's: the tasks changed */
	struct triage_ask_answer asked; /* the conflict question's answer */
	struct batch **live;            /* changes waiting for the server */
	size_t nlive;
	struct batch *asking; /* conflicts shown in the question */

	struct undo_entry *undo;
	size_t nundo;
	char *undo_what;
	long long undo_until;
	unsigned undo_timer;
};

static void batch_send(struct batch *b);

/* ---- a task with a change applied -------------------------------------- */

/* Applies p to t in place, as the server will. */
static void
patch_task(struct task *t, const struct task_patch *p, const char *name)
{
	if (p->set_status)
		t->status = p->status;
	if (p->set_priority)
		t->priority = p->priority;
	if (!p->set_assignee)
		return;
	task_set_assignee(t, p->assignee_id, name != NULL ? name : "...");
}

/* The patch that puts back what p changed on t. */
static struct task_patch
reverse_patch(const struct task *t, const struct task_patch *p)
{
	struct task_patch r = { 0 };

	r.set_status = p->set_status;
	r.status = t->status;
	r.set_priority = p->set_priority;
	r.priority = t->priority;
	r.set_assignee = p->set_assignee;
	r.assignee_id = t->has_assignee ? t->assignee->id : 0;
	return r;
}

char *
triage_describe(const struct triage_change *c)
{
	const struct task_patch *p = &c->patch;
	char *s = xstrdup(""), *next;

	if (p->set_assignee) {
		next = p->assignee_id == 0 ? xasprintf("%sunassigned", s)
		                           : xasprintf("%sassigned to %s", s,
		                                       c->assignee_name != NULL
		                                           ? c->assignee_name
		                                           : "staff");
		free(s);
		s = next;
	}
	if (p->set_status) {
		next = xasprintf("%s%sstatus %s", s, s[0] ? ", " : "",
		                 task_status_name(p->status));
		free(s);
		s = next;
	}
	if (p->set_priority) {
		next = xasprintf("%s%spriority %s", s, s[0] ? ", " : "",
		                 task_priority_name(p->priority));
		free(s);
		s = next;
	}
	return s;
}

/* Who a task is assigned to, for the undo's description. */
static const char *
assignee_of(const struct task *t)
{
	return t->has_assignee && t->assignee->name != NULL ? t->assignee->name
	                                                    : "nobody";
}

/* ---- batches ----------------------------------------------------------- */

static void
item_free(struct item *it)
{
	if (it->req != NULL && it->b->tr->app->api != NULL)
		api_cancel(it->b->tr->app->api, it->req);
	free(it->assignee_name);
	free(it->error);
	task_free(&it->before);
	task_free(&it->server);
}

static void
batch_free(struct batch *b)
{
	size_t i;

	if (b == NULL)
		return;
	for (i = 0; i < b->n; i++)
		item_free(&b->items[i]);
	free(b->items);
	free(b->what);
	free(b);
}

/* A new batch of n items for tr; the caller fills the items. */
static struct batch *
batch_new(struct triage *tr, size_t n, const char *what, bool is_undo)
{
	struct batch *b = xcalloc(1, sizeof *b);

	b->tr = tr;
	b->what = xstrdup(what);
	b->is_undo = is_undo;
	b->items = xcalloc(n, sizeof *b->items);
	return b;
}

/* Adds task t with patch p to b; false when t is NULL (not loaded). */
static bool
batch_add(struct batch *b, const struct task *t, int64_t version,
          const struct task_patch *p, const char *name)
{
	struct item *it;

	if (t == NULL)
		return false;
	it = &b->items[b->n++];
	it->b = b;
	it->id = t->id;
	it->version = version;
	it->patch = *p;
	it->assignee_name = name != NULL ? xstrdup(name) : NULL;
	task_copy(&it->before, t);
	return true;
}

static void
live_remove(struct triage *tr, struct batch *b)
{
	size_t i;

	for (i = 0; i < tr->nlive; i++)
		if (tr->live[i] == b) {
			tr->live[i] = tr->live[--tr->nlive];
			return;
		}
}

/* The server's version, unless the store has a newer one (an event). */
static void
show_if_newer(struct triage *tr, const struct task *t)
{
	task_store_put_copy(tr->ts, t);
}

/* The word for why a change failed. */
static const char *
reason(const struct sc_error *err)
{
	switch (err->kind) {
	case SC_ERR_NETWORK:
	case SC_ERR_TLS:
		return "offline";
	case SC_ERR_SESSION_EXPIRED:
	case SC_ERR_NOT_SIGNED_IN:
		return "signed out";
	default:
		return sc_error_kind_name(err->kind);
	}
}

/* ---- undo -------------------------------------------------------------- */

static void
undo_clear(struct triage *tr)
{
	size_t i;

	for (i = 0; i < tr->nundo; i++) {
		free(tr->undo[i].assignee_name);
		task_free(&tr->undo[i].after);
	}
	free(tr->undo);
	tr->undo = NULL;
	tr->nundo = 0;
	free(tr->undo_what);
	tr->undo_what = NULL;
	if (tr->undo_timer != 0)
		loop_timer_cancel(tr->app->loop, tr->undo_timer);
	tr->undo_timer = 0;
}

static void
undo_expire(void *ud)
{
	struct triage *tr = ud;

	tr->undo_timer = 0;
	undo_clear(tr);
	app_redraw(tr->app);
}

/* Remembers the done items of b, so u puts them back. */
static void
undo_record(struct triage *tr, const struct batch *b)
{
	size_t i;

	undo_clear(tr);
	tr->undo = xcalloc(b->n, sizeof *tr->undo);
	for (i = 0; i < b->n; i++) {
		const struct item *it = &b->items[i];
		struct undo_entry *u;

		if (it->st != ITEM_DONE)
			continue;
		u = &tr->undo[tr->nundo++];
		u->id = it->id;
		u->version = it->server.version;
		task_copy(&u->after, &it->server);
		u->patch = reverse_patch(&it->before, &it->patch);
		if (it->before.has_assignee)
			u->assignee_name = xstrdup(assignee_of(&it->before));
	}
	tr->undo_what = xstrdup(b->what);
	tr->undo_until = loop_now_ms() + TRIAGE_UNDO_MS;
	tr->undo_timer =
	    loop_timer_add(tr->app->loop, TRIAGE_UNDO_MS, undo_expire, tr);
}

void
triage_undo(struct triage *tr)
{
	struct batch *b;
	char *what;
	size_t i;

	if (tr->nundo == 0 || loop_now_ms() > tr->undo_until) {
		app_notice(tr->app, false, "nothing to undo");
		return;
	}
	what = xasprintf("undone (%s)", tr->undo_what);
	b = batch_new(tr, tr->nundo, what, true);
	free(what);
	for (i = 0; i < tr->nundo; i++) {
		const struct undo_entry *u = &tr->undo[i];
		const struct task *t = task_store_get(tr->ts, u->id);

		batch_add(b, t != NULL ? t : &u->after, u->version, &u->patch,
		          u->assignee_name);
	}
	undo_clear(tr);
	batch_send(b);
}

/* ---- the end of a change ----------------------------------------------- */

/* Counts b's items in state st. */
static size_t
count(const struct batch *b, enum item_state st)
{
	size_t i, k = 0;

	for (i = 0; i < b->n; i++)
		k += b->items[i].st == st;
	return k;
}

/* The status line after a change: what went through, what did not. */
static void
batch_notice(struct batch *b)
{
	size_t ok = count(b, ITEM_DONE), bad = b->n - ok;
	struct app *app = b->tr->app;
	const struct item *first = NULL;
	size_t i;

	for (i = 0; i < b->n && first == NULL; i++)
		if (b->items[i].st == ITEM_FAILED)
			first = &b->items[i];
	if (bad == 0 && b->n == 1)
		app_notice(app, false, "#%lld %s%s", (long long)b->items[0].id,
		           b->what, b->is_undo ? "" : " (u undoes)");
	else if (bad == 0)
		app_notice(app, false, "%s: all %zu tasks%s", b->what, b->n,
		           b->is_undo ? "" : " (u undoes)");
	else if (b->n == 1 && first != NULL)
		app_notice(app, true, "#%lld %s failed: %s",
		           (long long)first->id, b->what, first->error);
	else
		app_notice(app, true, "%s: %zu done, %zu failed", b->what, ok,
		           bad);
}

static void ask(struct triage *tr, const struct batch *b, bool conflict);

/* Every item of b has its answer. */
static void
batch_finish(struct batch *b)
{
	struct triage *tr = b->tr;
	size_t conflicts = count(b, ITEM_CONFLICT);

	live_remove(tr, b);
	batch_notice(b);
	if (!b->is_undo && count(b, ITEM_DONE) > 0)
		undo_record(tr, b);
	if (conflicts > 0) {
		batch_free(tr->asking);
		tr->asking = b;
		ask(tr, b, true);
		return;
	}
	if (b->n > 1 && count(b, ITEM_FAILED) > 0)
		ask(tr, b, false);
	batch_free(b);
}

/* PATCH answered for one item. */
static void
on_patched(struct task *t, const struct sc_error *err, void *ud)
{
	struct item *it = ud;
	struct batch *b = it->b;
	struct triage *tr = b->tr;

	it->req = NULL;
	if (err->kind == SC_OK) {
		it->st = ITEM_DONE;
		it->server = *t;
		show_if_newer(tr, &it->server);
	} else if (err->kind == SC_ERR_CONFLICT && t->id != 0) {
		it->st = ITEM_CONFLICT;
		it->server = *t;
		it->error = xstrdup("changed by someone else");
		show_if_newer(tr, &it->server);
	} else {
		task_free(t);
		it->st = ITEM_FAILED;
		it->error = xasprintf("%s: %s", reason(err), err->message);
		/* Roll back, unless a live event brought something newer
		 * (which settled the change already). */
		task_store_rollback(tr->ts, it->id);
	}
	app_redraw(tr->app);
	if (--b->left == 0)
		batch_finish(b);
}

/* Shows b's change on its rows at once, then sends one PATCH a task. */
static void
batch_send(struct batch *b)
{
	struct triage *tr = b->tr;
	size_t i;

	if (b->n == 0) {
		app_notice(tr->app, true, "%s: no loaded task to change",
		           b->what);
		batch_free(b);
		return;
	}
	tr->live = xreallocarray(tr->live, tr->nlive + 1, sizeof *tr->live);
	tr->live[tr->nlive++] = b;
	b->left = b->n;
	for (i = 0; i < b->n; i++) {
		struct item *it = &b->items[i];
		const struct task *cur = task_store_get(tr->ts, it->id);
		struct task shown;

		task_copy(&shown, cur != NULL ? cur : &it->before);
		patch_task(&shown, &it->patch, it->assignee_name);
		task_store_change(tr->ts, &shown);
		task_free(&shown);
	}
	if (b->n == 1)
		app_notice(tr->app, false, "#%lld %s...",
		           (long long)b->items[0].id, b->what);
	else
		app_notice(tr->app, false, "%s on %zu tasks...", b->what, b->n);
	for (i = 0; i < b->n; i++) {
		struct item *it = &b->items[i];

		it->req = api_task_patch(tr->app->api, it->id, it->version,
		                         &it->patch, on_patched, it);
	}
}

void
triage_apply(struct triage *tr, const int64_t *ids, size_t n,
             const struct triage_change *c)
{
	char *what = triage_describe(c);
	struct batch *b = batch_new(tr, n, what, false);
	size_t i;

	free(what);
	if (tr->app->api == NULL || !tr->app->signed_in) {
		app_notice(tr->app, true, "not signed in");
		batch_free(b);
		return;
	}
	for (i = 0; i < n; i++) {
		const struct task *t = task_store_get(tr->ts, ids[i]);

		if (t != NULL)
			batch_add(b, t, t->version, &c->patch,
			          c->assignee_name);
	}
	batch_send(b);
}

void
triage_apply_seen(struct triage *tr, const struct task *seen, size_t n,
                  const struct triage_change *c)
{
	char *what = triage_describe(c);
	struct batch *b = batch_new(tr, n, what, false);
	size_t i;

	free(what);
	for (i = 0; i < n; i++) {
		const struct task *cur = task_store_get(tr->ts, seen[i].id);

		/* Shown from the row when it is loaded; sent with the version
		 * the staff member saw, so a change made meanwhile stops it. */
		batch_add(b, cur != NULL ? cur : &seen[i], seen[i].version,
		          &c->patch, c->assignee_name);
		if (cur != NULL && cur->version != seen[i].version) {
			task_free(&b->items[b->n - 1].before);
			task_copy(&b->items[b->n - 1].before, &seen[i]);
		}
	}
	batch_send(b);
}

const struct task *
triage_find(struct triage *tr, int64_t id)
{
	return task_store_get(tr->ts, id);
}

/* The answer to the conflict question: re-apply on the new versions
 * (what the staff member was shown) or drop the change. */
void
triage_conflict_answer(struct triage *tr, bool reapply)
{
	struct batch *old = tr->asking, *b;
	char *what;
	size_t i;

	tr->asking = NULL;
	if (old == NULL)
		return;
	if (!reapply) {
		app_notice(tr->app, false, "dropped: %s", old->what);
		batch_free(old);
		return;
	}
	what = xasprintf("%s (again)", old->what);
	b = batch_new(tr, old->n, what, old->is_undo);
	free(what);
	for (i = 0; i < old->n; i++) {
		const struct item *it = &old->items[i];

		if (it->st == ITEM_CONFLICT)
			batch_add(b, &it->server, it->server.version,
			          &it->patch, it->assignee_name);
	}
	batch_free(old);
	batch_send(b);
}

/* ---- the questions ----------------------------------------------------- */

/* b as the questions show it; the items array is malloc'd, the rest
 * borrowed from b. */
static struct triage_ask_batch
ask_batch(const struct batch *b)
{
	static const char *const names[] = {
		[ITEM_SENDING] = "sending",
		[ITEM_DONE] = "done",
		[ITEM_FAILED] = "failed",
		[ITEM_CONFLICT] = "conflict",
	};
	struct triage_ask_item *items = xcalloc(b->n + 1, sizeof *items);
	size_t i;

	for (i = 0; i < b->n; i++) {
		const struct item *it = &b->items[i];

		items[i] = (struct triage_ask_item){
			.id = it->id,
			.outcome = names[it->st],
			.error = it->error,
			.before = &it->before,
			.now = it->st == ITEM_CONFLICT ? &it->server : NULL,
		};
	}
	return (struct triage_ask_batch){ b->what, items, b->n };
}

/* The conflict question's answer, as triage_ask hands it back. */
static void
on_conflict_answer(void *ud, bool reapply)
{
	triage_conflict_answer(ud, reapply);
}

/* Asks about b: the conflict question, or the bulk summary. */
static void
ask(struct triage *tr, const struct batch *b, bool conflict)
{
	struct triage_ask_batch q = ask_batch(b);

	if (conflict)
		triage_ask_conflict(&q, &tr->asked);
	else
		triage_ask_summary(tr->app, &q);
	free((void *)q.items);
}

/* ---- life -------------------------------------------------------------- */

struct app *
triage_app(struct triage *tr)
{
	return tr->app;
}

size_t
triage_pending(const struct triage *tr)
{
	size_t i, k = 0;

	for (i = 0; i < tr->nlive; i++)
		k += tr->live[i]->left;
	return k;
}

struct triage *
triage_new(struct app *app, struct task_store *ts)
{
	struct triage *tr = xcalloc(1, sizeof *tr);

	tr->app = app;
	tr->ts = ts;
	tr->asked = (struct triage_ask_answer){ app, on_conflict_answer, tr };
	return tr;
}

void
triage_free(struct triage *tr)
{
	size_t i;

	if (tr == NULL)
		return;
	for (i = 0; i < tr->nlive; i++)
		batch_free(tr->live[i]);
	free(tr->live);
	batch_free(tr->asking);
	undo_clear(tr);
	free(tr);
}
