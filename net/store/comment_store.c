/* The comments and attachments of tasks' details: see comment_store.h. */
#include "net/store/comment_store.h"

#include <stdlib.h>
#include <string.h>

#include "net/base/xmalloc.h"
#include "net/store/listeners.h"
#include "net/store/idmap.h"
#include "net/store/task_store.h"

/* One task's detail: its comments in order (owned), its attachments. */
struct detail {
	int64_t task_id;
	struct comment **comments;
	size_t n, cap;
	struct attachment *atts;
	size_t natts;
	bool loaded;
	unsigned holds;               /* panes showing it: not a cache entry */
	struct detail *newer, *older; /* the recency list */
};

struct comment_store {
	struct idmap *details;  /* task id -> struct detail */
	struct idmap *comments; /* comment id -> struct comment (in a detail) */
	struct detail *newest, *oldest;
	size_t cached; /* details with no holds */
	struct listeners ls;
};

struct comment_store *
comment_store_new(void)
{
	struct comment_store *cs = xcalloc(1, sizeof *cs);

	cs->details = idmap_new();
	cs->comments = idmap_new();
	return cs;
}

/* Frees the attachments d holds. */
static void
atts_free(struct detail *d)
{
	size_t i;

	for (i = 0; i < d->natts; i++)
		attachment_free(&d->atts[i]);
	free(d->atts);
	d->atts = NULL;
	d->natts = 0;
}

/* Empties d: its comments (out of the id map first), its attachments. */
static void
detail_clear(struct comment_store *cs, struct detail *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		idmap_remove(cs->comments, d->comments[i]->id);
		comment_free(d->comments[i]);
		free(d->comments[i]);
	}
	free(d->comments);
	d->comments = NULL;
	d->n = d->cap = 0;
	atts_free(d);
	d->loaded = false;
}

static void
detail_free(struct comment_store *cs, struct detail *d)
{
	detail_clear(cs, d);
	free(d);
}

void
comment_store_free(struct comment_store *cs)
{
	struct detail *d, *next;

	if (cs == NULL)
		return;
	for (d = cs->newest; d != NULL; d = next) {
		next = d->older;
		detail_free(cs, d);
	}
	idmap_free(cs->details);
	idmap_free(cs->comments);
	listeners_clear(&cs->ls);
	free(cs);
}

void
comment_store_listen(struct comment_store *cs, comment_store_cb cb, void *ud)
{
	listeners_add(&cs->ls, (listener_fn)cb, ud);
}

void
comment_store_unlisten(struct comment_store *cs, comment_store_cb cb, void *ud)
{
	listeners_remove(&cs->ls, (listener_fn)cb, ud);
}

/* Tells every listener that task_id's detail changed. */
static void
tell(struct comment_store *cs, int64_t task_id)
{
	size_t i;

	for (i = 0; i < cs->ls.n; i++)
		((comment_store_cb)cs->ls.v[i].fn)(cs->ls.v[i].ud, task_id);
}

/* ---- the recency list and the cache's bound ----------------------------- */

static void
unlink_detail(struct comment_store *cs, struct detail *d)
{
	if (d->newer != NULL)
		d->newer->older = d->older;
	else
		cs->newest = d->older;
	if (d->older != NULL)
		d->older->newer = d->newer;
	else
		cs->oldest = d->newer;
	d->newer = d->older = NULL;
}

static void
link_newest(struct comment_store *cs, struct detail *d)
{
	d->older = cs->newest;
	if (cs->newest != NULL)
		cs->newest->newer = d;
	cs->newest = d;
	if (cs->oldest == NULL)
		cs->oldest = d;
}

/* Removes d from the store and frees it. */
static void
drop(struct comment_store *cs, struct detail *d)
{
	int64_t task_id = d->task_id;

	if (d->holds == 0)
		cs->cached--;
	unlink_detail(cs, d);
	idmap_remove(cs->details, task_id);
	detail_free(cs, d);
	tell(cs, task_id);
}

/* Forgets the least recently used details nobody holds, past the bound. */
static void
trim(struct comment_store *cs)
{
	struct detail *d = cs->oldest, *newer;

	while (cs->cached > COMMENT_STORE_CACHED && d != NULL) {
		newer = d->newer;
		if (d->holds == 0)
			drop(cs, d);
		d = newer;
	}
}

/* task_id's detail, made (empty, not loaded) when absent; now the most
 * recently used. The caller trims once it is done with it. */
static struct detail *
touch(struct comment_store *cs, int64_t task_id)
{
	struct detail *d = idmap_get(cs->details, task_id);

	if (d == NULL) {
		d = xcalloc(1, sizeof *d);
		d->task_id = task_id;
		idmap_put(cs->details, task_id, d);
		cs->cached++;
	} else {
		unlink_detail(cs, d);
	}
	link_newest(cs, d);
	return d;
}

/* ---- comments ------------------------------------------------------------ */

/* True when a comes before b in the server's order. */
static bool
before(const struct comment *a, const struct comment *b)
{
	if (a->created_at != b->created_at)
		return a->created_at < b->created_at;
	return a->id < b->id;
}

/* Holds c (its struct allocated and owned by d from now on) at its place:
 * a binary search, as a late event belongs before later ones. */
static void
insert(struct comment_store *cs, struct detail *d, struct comment *c)
{
	size_t lo = 0, hi = d->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (before(d->comments[mid], c))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		d->comments =
		    xreallocarray(d->comments, d->cap, sizeof *d->comments);
	}
	memmove(&d->comments[lo + 1], &d->comments[lo],
	        (d->n - lo) * sizeof *d->comments);
	d->comments[lo] = c;
	d->n++;
	idmap_put(cs->comments, c->id, c);
}

bool
comment_store_comment(struct comment_store *cs, int64_t task_id,
                      const struct comment *c)
{
	struct comment *held;

	if (idmap_get(cs->comments, c->id) != NULL)
		return false;
	held = xcalloc(1, sizeof *held);
	comment_copy(held, c);
	insert(cs, touch(cs, task_id), held);
	trim(cs);
	tell(cs, task_id);
	return true;
}

/* Moves the answer's comments in; the ones held already are freed. */
static void
take_comments(struct comment_store *cs, struct detail *d,
              struct task_detail *td)
{
	struct comment *c;
	size_t i;

	for (i = 0; i < td->ncomments; i++) {
		if (idmap_get(cs->comments, td->comments[i].id) != NULL) {
			comment_free(&td->comments[i]);
			continue;
		}
		c = xmalloc(sizeof *c);
		*c = td->comments[i]; /* moved */
		insert(cs, d, c);
	}
	free(td->comments);
	td->comments = NULL;
	td->ncomments = 0;
}

void
comment_store_detail(struct comment_store *cs, struct task_store *ts,
                     struct task_detail *td)
{
	struct detail *d = touch(cs, td->task.id);

	task_store_put_detail(ts, &td->task);
	memset(&td->task, 0, sizeof td->task); /* the task store's now */
	take_comments(cs, d, td);
	atts_free(d);
	d->atts = td->attachments;
	d->natts = td->nattachments;
	td->attachments = NULL;
	td->nattachments = 0;
	d->loaded = true;
	trim(cs);
	tell(cs, d->task_id);
}

/* ---- reading ------------------------------------------------------------- */

const struct comment *const *
comment_store_comments(const struct comment_store *cs, int64_t task_id,
                       size_t *n)
{
	const struct detail *d = idmap_get(cs->details, task_id);

	*n = d != NULL ? d->n : 0;
	return d != NULL ? (const struct comment *const *)d->comments : NULL;
}

const struct comment *
comment_store_find(const struct comment_store *cs, int64_t id)
{
	return idmap_get(cs->comments, id);
}

const struct attachment *
comment_store_attachments(const struct comment_store *cs, int64_t task_id,
                          size_t *n)
{
	const struct detail *d = idmap_get(cs->details, task_id);

	*n = d != NULL ? d->natts : 0;
	return d != NULL ? d->atts : NULL;
}

bool
comment_store_loaded(const struct comment_store *cs, int64_t task_id)
{
	const struct detail *d = idmap_get(cs->details, task_id);

	return d != NULL && d->loaded;
}

size_t
comment_store_count(const struct comment_store *cs)
{
	return idmap_count(cs->details);
}

/* ---- holding and forgetting ---------------------------------------------- */

void
comment_store_hold(struct comment_store *cs, int64_t task_id)
{
	struct detail *d = touch(cs, task_id);

	if (d->holds++ == 0)
		cs->cached--;
}

void
comment_store_release(struct comment_store *cs, int64_t task_id)
{
	struct detail *d = idmap_get(cs->details, task_id);

	if (d == NULL || d->holds == 0)
		return;
	if (--d->holds == 0) {
		cs->cached++;
		trim(cs);
	}
}

void
comment_store_forget(struct comment_store *cs, int64_t task_id)
{
	struct detail *d = idmap_get(cs->details, task_id);

	if (d == NULL)
		return;
	if (d->holds == 0) {
		drop(cs, d);
		return;
	}
	detail_clear(cs, d); /* its holds stay: a pane still shows it */
	tell(cs, task_id);
}
