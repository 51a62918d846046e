/* The task queue's pickers: see triage_pick.h. */
#include "views/tasks/triage_pick.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/client/api.h"
#include "net/base/xmalloc.h"
#include "net/store/me_store.h"
#include "net/store/store.h"
#include "tui/app.h"
#include "tui/ask.h"
#include "tui/picker.h"
#include "views/tasks/triage.h"

/* Staff per GET /staff page: the contract's most. */
#define STAFF_LIMIT 500
/* The picker's "nobody" row. */
#define PICK_NOBODY 0

enum pick_kind {
	PICK_ASSIGNEE,
	PICK_STATUS,
	PICK_PRIORITY,
};

/*
 * The staff list arrives page by page and is kept for the session (it
 * changes rarely; a new sign-in fetches it again). A picker opened
 * before it is complete shows what has arrived and says it is loading;
 * a `:assign NAME` typed before then waits for it in want_name.
 */
struct triage_pick {
	struct triage *tr;
	struct staff *staff;
	size_t nstaff;
	bool staff_done;
	struct api_req *staff_req;

	struct picker *picker; /* open now, or NULL */
	enum pick_kind kind;
	int64_t *ids; /* the tasks the picker or the waiting name is for */
	size_t n;
	struct task *seen; /* ...as they were when the picker opened */
	size_t nseen;
	char *want_name;
	struct ask *asking; /* the take question, while open */

	triage_pick_sent_fn sent;
	void *sent_ud;
};

static void fetch_staff(struct triage_pick *tp, const char *cursor);

static void
seen_clear(struct triage_pick *tp)
{
	size_t i;

	for (i = 0; i < tp->nseen; i++)
		task_free(&tp->seen[i]);
	free(tp->seen);
	tp->seen = NULL;
	tp->nseen = 0;
}

/* Copies the tasks as shown now: the versions the choice will be
 * sent with, whatever happens while the picker is open. */
static void
seen_take(struct triage_pick *tp)
{
	size_t i;

	seen_clear(tp);
	tp->seen = xcalloc(tp->n + 1, sizeof *tp->seen);
	for (i = 0; i < tp->n; i++) {
		const struct task *t = triage_find(tp->tr, tp->ids[i]);

		if (t != NULL)
			task_copy(&tp->seen[tp->nseen++], t);
	}
}

/* Keeps the tasks a choice will apply to. */
static void
set_targets(struct triage_pick *tp, const int64_t *ids, size_t n)
{
	free(tp->ids);
	tp->ids = xcalloc(n > 0 ? n : 1, sizeof *tp->ids);
	memcpy(tp->ids, ids, n * sizeof *ids);
	tp->n = n;
}

/* The name of staff member id, or NULL when not known (yet). */
static const char *
staff_name(const struct triage_pick *tp, int64_t id)
{
	size_t i;

	for (i = 0; i < tp->nstaff; i++)
		if (tp->staff[i].id == id)
			return tp->staff[i].name;
	return NULL;
}

/* Tells the listener that a change for ids went out, if one did (the
 * triage has more in flight than before). */
static void
tell_sent(struct triage_pick *tp, size_t pending_before, const int64_t *ids,
          size_t n)
{
	if (tp->sent != NULL && triage_pending(tp->tr) > pending_before)
		tp->sent(tp->sent_ud, ids, n);
}

/* Applies c to the targets: as seen when the picker opened, or (a `:`
 * command) as shown now. */
static void
apply(struct triage_pick *tp, const struct triage_change *c, bool seen)
{
	size_t before = triage_pending(tp->tr);

	if (seen)
		triage_apply_seen(tp->tr, tp->seen, tp->nseen, c);
	else
		triage_apply(tp->tr, tp->ids, tp->n, c);
	tell_sent(tp, before, tp->ids, tp->n);
}

/* Applies c to ids as shown now (the `:status` and `:priority` forms). */
static void
apply_to(struct triage_pick *tp, const int64_t *ids, size_t n,
         const struct triage_change *c)
{
	size_t before = triage_pending(tp->tr);

	triage_apply(tp->tr, ids, n, c);
	tell_sent(tp, before, ids, n);
}

/* Applies "assign to id" (0: nobody) to the targets. */
static void
assign_to(struct triage_pick *tp, int64_t id, const char *name, bool seen)
{
	struct triage_change c = { .patch = { .set_assignee = true,
		                              .assignee_id = id },
		                   .assignee_name = name };

	apply(tp, &c, seen);
}

/* ---- the staff list ---------------------------------------------------- */

/* Adds page p's staff to the picker, if one is open for assignees. */
static void
picker_take_staff(struct triage_pick *tp, const struct staff *s, size_t n)
{
	size_t i;

	if (tp->picker == NULL || tp->kind != PICK_ASSIGNEE)
		return;
	for (i = 0; i < n; i++)
		picker_add(tp->picker, s[i].id, s[i].name,
		           staff_role_name(s[i].role));
}

/* Resolves a `:assign NAME` that waited for the list. */
static void resolve_name(struct triage_pick *tp);

/* GET /staff answered: keep the page, fetch the next. */
static void
on_staff(struct staff_page *p, const struct sc_error *err, void *ud)
{
	struct triage_pick *tp = ud;
	struct app *app = triage_app(tp->tr);

	tp->staff_req = NULL;
	if (err->kind != SC_OK) {
		if (tp->picker != NULL && tp->kind == PICK_ASSIGNEE)
			picker_set_error(tp->picker, err->message);
		app_notice(app, true, "staff list: %s", err->message);
		staff_page_free(p);
		app_redraw(app);
		return;
	}
	tp->staff =
	    xreallocarray(tp->staff, tp->nstaff + p->n + 1, sizeof *tp->staff);
	memcpy(tp->staff + tp->nstaff, p->items, p->n * sizeof *p->items);
	picker_take_staff(tp, tp->staff + tp->nstaff, p->n);
	tp->nstaff += p->n;
	free(p->items); /* the members are tp->staff's now */
	if (p->next != NULL)
		fetch_staff(tp, p->next);
	else {
		tp->staff_done = true;
		if (tp->picker != NULL && tp->kind == PICK_ASSIGNEE)
			picker_done_loading(tp->picker);
		resolve_name(tp);
	}
	free(p->next);
	app_redraw(app);
}

static void
fetch_staff(struct triage_pick *tp, const char *cursor)
{
	struct app *app = triage_app(tp->tr);
	char *esc = cursor != NULL ? api_escape(cursor) : NULL;
	char *qs = esc != NULL
	               ? xasprintf("limit=%d&cursor=%s", STAFF_LIMIT, esc)
	               : xasprintf("limit=%d", STAFF_LIMIT);

	tp->staff_req = api_staff(app->api, qs, on_staff, tp);
	free(qs);
	free(esc);
}

/* Starts fetching the staff list unless it is here or on its way. */
static void
want_staff(struct triage_pick *tp)
{
	if (!tp->staff_done && tp->staff_req == NULL &&
	    triage_app(tp->tr)->api != NULL)
		fetch_staff(tp, NULL);
}

/* ---- the picker -------------------------------------------------------- */

/* The picker's answer: apply it, or say nothing changed. */
static void
on_picked(void *ud, bool chosen, long long id)
{
	struct triage_pick *tp = ud;
	struct app *app = triage_app(tp->tr);
	struct triage_change c = { 0 };

	app_overlay_close(app, tp->picker);
	tp->picker = NULL;
	if (!chosen) {
		app_notice(app, false, "nothing changed");
		return;
	}
	switch (tp->kind) {
	case PICK_ASSIGNEE:
		assign_to(tp, id, staff_name(tp, id), true);
		return;
	case PICK_STATUS:
		c.patch.set_status = true;
		c.patch.status = (enum task_status)id;
		break;
	case PICK_PRIORITY:
		c.patch.set_priority = true;
		c.patch.priority = (enum task_priority)id;
		break;
	}
	apply(tp, &c, true);
}

/* The picker's title: "Assign #12 to", "Status of 3 tasks". */
static char *
pick_title(const char *verb, const char *tail, const int64_t *ids, size_t n)
{
	if (n == 1)
		return xasprintf("%s #%lld%s", verb, (long long)ids[0], tail);
	return xasprintf("%s %zu marked tasks%s", verb, n, tail);
}

/* Opens a picker of kind for ids, with the given title. */
static struct picker *
pick_open(struct triage_pick *tp, enum pick_kind kind, char *title_taken,
          const int64_t *ids, size_t n)
{
	struct app *app = triage_app(tp->tr);

	set_targets(tp, ids, n);
	seen_take(tp);
	tp->kind = kind;
	tp->picker = picker_new(title_taken, on_picked, tp);
	free(title_taken);
	app_overlay_open(app, &picker_ops, tp->picker);
	return tp->picker;
}

/* True when something can be changed: signed in and tasks chosen. */
static bool
can_change(struct triage_pick *tp, size_t n)
{
	struct app *app = triage_app(tp->tr);

	if (n == 0) {
		app_notice(app, true, "no task selected");
		return false;
	}
	if (!(app->permissions & PERM_TASKS_UPDATE)) {
		app_notice(app, true, "changing tasks needs tasks.update");
		return false;
	}
	return true;
}

void
triage_pick_assignee(struct triage_pick *tp, const int64_t *ids, size_t n)
{
	struct app *app = triage_app(tp->tr);
	const char *role = me_store_role(app->store->me);
	struct picker *p;

	if (!can_change(tp, n))
		return;
	if (!(app->permissions & PERM_TASKS_ASSIGN_ANY)) {
		app_notice(app, true,
		           "assigning someone else needs tasks.assign_any, "
		           "which %s does not have: t takes the task",
		           role != NULL ? role : "your role");
		return;
	}
	p = pick_open(tp, PICK_ASSIGNEE, pick_title("Assign", " to", ids, n),
	              ids, n);
	picker_add(p, PICK_NOBODY, "nobody", "unassign");
	picker_take_staff(tp, tp->staff, tp->nstaff);
	if (!tp->staff_done) {
		picker_set_loading(p, true);
		want_staff(tp);
	}
	if (n == 1 && me_store_id(app->store->me) > 0)
		picker_select_id(p, me_store_id(app->store->me));
}

void
triage_pick_status(struct triage_pick *tp, const int64_t *ids, size_t n)
{
	struct picker *p;
	int s;

	if (!can_change(tp, n))
		return;
	p = pick_open(tp, PICK_STATUS, pick_title("Status of", "", ids, n), ids,
	              n);
	for (s = 0; s < TASK_STATUS_COUNT; s++)
		picker_add(p, s, task_status_name((enum task_status)s), NULL);
}

void
triage_pick_priority(struct triage_pick *tp, const int64_t *ids, size_t n)
{
	struct picker *p;
	int s;

	if (!can_change(tp, n))
		return;
	p = pick_open(tp, PICK_PRIORITY, pick_title("Priority of", "", ids, n),
	              ids, n);
	for (s = TASK_PRIORITY_COUNT - 1; s >= 0; s--)
		picker_add(p, s, task_priority_name((enum task_priority)s),
		           NULL);
}

/* ---- the `:` forms ----------------------------------------------------- */

/* arg without surrounding blanks; malloc'd. */
static char *
trimmed(const char *arg)
{
	size_t len;

	arg += strspn(arg, " \t");
	len = strlen(arg);
	while (len > 0 && isspace((unsigned char)arg[len - 1]))
		len--;
	return xstrndup(arg, len);
}

/* True when hay contains needle, ASCII letters in any case. */
static bool
contains_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return n == 0;
}

/* The staff members whose name contains name (any case): the only one's
 * index, -1 for none, -2 for several. */
static long
find_staff(const struct triage_pick *tp, const char *name)
{
	long found = -1;
	size_t i;

	for (i = 0; i < tp->nstaff; i++) {
		if (strcasecmp(tp->staff[i].name, name) == 0)
			return (long)i;
		if (!contains_nocase(tp->staff[i].name, name))
			continue;
		found = found == -1 ? (long)i : -2;
	}
	return found;
}

static void
resolve_name(struct triage_pick *tp)
{
	struct app *app = triage_app(tp->tr);
	char *name = tp->want_name;
	long i;

	if (name == NULL)
		return;
	tp->want_name = NULL;
	i = find_staff(tp, name);
	if (i == -1)
		app_notice(app, true, "no staff member is called \"%s\"", name);
	else if (i == -2)
		app_notice(app, true,
		           "several staff match \"%s\": A picks from a list",
		           name);
	else
		assign_to(tp, tp->staff[i].id, tp->staff[i].name, false);
	free(name);
}

/* `:assign ID|NAME`: someone else, by id or name. */
static bool
assign_other(struct triage_pick *tp, const char *arg)
{
	char *end;
	long long id = strtoll(arg, &end, 10);

	if (*end == '\0' && id > 0) {
		assign_to(tp, id, staff_name(tp, id), false);
		return true;
	}
	free(tp->want_name);
	tp->want_name = xstrdup(arg);
	if (tp->staff_done)
		resolve_name(tp);
	else
		want_staff(tp);
	return true;
}

bool
triage_pick_assign_arg(struct triage_pick *tp, const int64_t *ids, size_t n,
                       const char *arg)
{
	struct app *app = triage_app(tp->tr);
	char *a = trimmed(arg);
	bool ok = true;

	if (!can_change(tp, n)) {
		free(a);
		return false;
	}
	set_targets(tp, ids, n);
	if (strcmp(a, "me") == 0)
		assign_to(tp, me_store_id(app->store->me),
		          me_store_name(app->store->me), false);
	else if (strcmp(a, "none") == 0 || strcmp(a, "nobody") == 0)
		assign_to(tp, 0, NULL, false);
	else if (!(app->permissions & PERM_TASKS_ASSIGN_ANY)) {
		app_notice(app, true,
		           "assigning someone else needs tasks.assign_any");
		ok = false;
	} else if (a[0] == '\0') {
		app_notice(app, true, "assign whom? me, none, an id or a name");
		ok = false;
	} else
		ok = assign_other(tp, a);
	free(a);
	return ok;
}

bool
triage_pick_status_arg(struct triage_pick *tp, const int64_t *ids, size_t n,
                       const char *arg)
{
	struct triage_change c = { .patch = { .set_status = true } };
	char *a = trimmed(arg);
	int r = task_status_from_name(a, &c.patch.status);

	if (r != 0)
		app_notice(triage_app(tp->tr), true,
		           "no status \"%s\": new, in_progress, "
		           "waiting_on_client, done, cancelled",
		           a);
	free(a);
	if (r != 0 || !can_change(tp, n))
		return false;
	apply_to(tp, ids, n, &c);
	return true;
}

bool
triage_pick_priority_arg(struct triage_pick *tp, const int64_t *ids, size_t n,
                         const char *arg)
{
	struct triage_change c = { .patch = { .set_priority = true } };
	char *a = trimmed(arg);
	int r = task_priority_from_name(a, &c.patch.priority);

	if (r != 0)
		app_notice(triage_app(tp->tr), true,
		           "no priority \"%s\": low, normal, high, urgent", a);
	free(a);
	if (r != 0 || !can_change(tp, n))
		return false;
	apply_to(tp, ids, n, &c);
	return true;
}

/* ---- taking ------------------------------------------------------------ */

/* The take question's answer: y takes them as they were when asked. */
static void
on_take_answer(void *ud, key_code k)
{
	struct triage_pick *tp = ud;
	struct app *app = triage_app(tp->tr);

	app_overlay_close(app, tp->asking);
	tp->asking = NULL;
	if (k != 'y') {
		app_notice(app, false, "not taken: nothing changed");
		return;
	}
	assign_to(tp, me_store_id(app->store->me),
	          me_store_name(app->store->me), true);
}

/* Asks whether to take the targets, others of them someone else's;
 * other is the one such task when the question is about one task. */
static void
ask_take(struct triage_pick *tp, const struct task *other, size_t others)
{
	char *line =
	    tp->n == 1 ? xasprintf("#%lld is %s's. Take it?",
	                           (long long)other->id, other->assignee->name)
	    : others == 1
	        ? xasprintf("#%lld, 1 of the %zu marked tasks, is %s's. "
	                    "Take them?",
	                    (long long)other->id, tp->n, other->assignee->name)
	        : xasprintf("%zu of the %zu marked tasks are others'. "
	                    "Take them?",
	                    others, tp->n);

	tp->asking = ask_yes_no(
	    tp->n == 1 ? "Take a colleague's task" : "Take colleagues' tasks",
	    line, "take", "leave as it is", 'n', on_take_answer, tp);
	app_overlay_open(triage_app(tp->tr), &ask_ops, tp->asking);
	free(line);
}

void
triage_pick_take(struct triage_pick *tp, const int64_t *ids, size_t n)
{
	int64_t me = me_store_id(triage_app(tp->tr)->store->me);
	const struct task *other = NULL;
	size_t i, others = 0;

	if (!can_change(tp, n))
		return;
	for (i = 0; i < n; i++) {
		const struct task *t = triage_find(tp->tr, ids[i]);

		if (t != NULL && t->has_assignee && t->assignee->id != me) {
			other = t;
			others++;
		}
	}
	if (others == 0) {
		triage_pick_assign_arg(tp, ids, n, "me");
		return;
	}
	set_targets(tp, ids, n);
	seen_take(tp);
	ask_take(tp, other, others);
}

/* ---- life -------------------------------------------------------------- */

void
triage_pick_on_sent(struct triage_pick *tp, triage_pick_sent_fn fn, void *ud)
{
	tp->sent = fn;
	tp->sent_ud = ud;
}

struct triage_pick *
triage_pick_new(struct triage *tr)
{
	struct triage_pick *tp = xcalloc(1, sizeof *tp);

	tp->tr = tr;
	return tp;
}

void
triage_pick_free(struct triage_pick *tp)
{
	size_t i;

	if (tp == NULL)
		return;
	if (tp->staff_req != NULL)
		api_cancel(triage_app(tp->tr)->api, tp->staff_req);
	app_overlay_close(triage_app(tp->tr), tp->picker);
	if (tp->asking != NULL)
		app_overlay_close(triage_app(tp->tr), tp->asking);
	for (i = 0; i < tp->nstaff; i++)
		staff_free(&tp->staff[i]);
	free(tp->staff);
	free(tp->ids);
	seen_clear(tp);
	free(tp->want_name);
	free(tp);
}
