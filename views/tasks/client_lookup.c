/* The task queue's client=NAME: see client_lookup.h. */
#include "views/tasks/client_lookup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/base/xmalloc.h"
#include "net/client/api.h"
#include "views/shared/task_format.h"

/* Clients named in a "several match" message at most. */
#define NAMED_MAX 4

struct client_lookup {
	struct app *app;
	struct api_req *req;
	char *name;
	client_lookup_cb cb;
	void *ud;
};

/* True when client c's name is name (exact) or has it (!exact). */
static bool
named(const struct client *c, const char *name, bool exact)
{
	size_t off;

	if (c->name == NULL)
		return false;
	if (exact)
		return strcasecmp(c->name, name) == 0;
	return task_format_find(c->name, name, 0, &off);
}

/* "NAME matches 5 clients: A (#1), B (#2), ...: give the id". */
static void
say_several(const struct client *c, size_t n, const char *name, bool exact,
            size_t count, char *err, size_t errlen)
{
	size_t i, used, shown = 0;

	snprintf(err, errlen, "filter: client=%s matches %zu clients:", name,
	         count);
	for (i = 0; i < n && shown < NAMED_MAX; i++) {
		if (!named(&c[i], name, exact))
			continue;
		used = strlen(err);
		snprintf(err + used, errlen - used, "%s %s (%lld)",
		         shown > 0 ? "," : "", c[i].name, (long long)c[i].id);
		shown++;
	}
	used = strlen(err);
	snprintf(err + used, errlen - used, "%s; give client=ID",
	         count > shown ? ", ..." : "");
}

long
client_lookup_match(const struct client *c, size_t n, const char *name,
                    char *err, size_t errlen)
{
	size_t i, count;
	long found;
	int pass;

	/* The exact name first, so "Ann" is not lost among "Anna"s. */
	for (pass = 0; pass < 2; pass++) {
		count = 0;
		found = -1;
		for (i = 0; i < n; i++)
			if (named(&c[i], name, pass == 0)) {
				count++;
				found = (long)i;
			}
		if (count == 1)
			return found;
		if (count > 1) {
			say_several(c, n, name, pass == 0, count, err, errlen);
			return -1;
		}
	}
	snprintf(err, errlen, "filter: no client is named %s", name);
	return -1;
}

/* GET /clients answered: one client, or why not. */
static void
on_clients(struct client_page *p, const struct sc_error *e, void *ud)
{
	struct client_lookup *cl = ud;
	char err[512];
	long i = -1;

	cl->req = NULL;
	if (e->kind != SC_OK)
		snprintf(err, sizeof err, "filter: clients: %s", e->message);
	else
		i = client_lookup_match(p->items, p->n, cl->name, err,
		                        sizeof err);
	if (i >= 0)
		cl->cb(cl->ud, p->items[i].id, p->items[i].name, NULL);
	else
		cl->cb(cl->ud, 0, NULL, err);
	client_page_free(p);
}

struct client_lookup *
client_lookup_start(struct app *app, const char *name, client_lookup_cb cb,
                    void *ud)
{
	struct client_lookup *cl;
	char *esc, *q;

	if (app->api == NULL || !app->signed_in)
		return NULL;
	cl = xcalloc(1, sizeof *cl);
	cl->app = app;
	cl->name = xstrdup(name);
	cl->cb = cb;
	cl->ud = ud;
	esc = api_escape(name);
	q = xasprintf("q=%s&limit=100", esc);
	cl->req = api_clients(app->api, q, on_clients, cl);
	free(q);
	free(esc);
	return cl;
}

void
client_lookup_free(struct client_lookup *cl)
{
	if (cl == NULL)
		return;
	if (cl->req != NULL && cl->app->api != NULL)
		api_cancel(cl->app->api, cl->req);
	free(cl->name);
	free(cl);
}
