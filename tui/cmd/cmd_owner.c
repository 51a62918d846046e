/* Who the subcommands queue and send outbox items as: see cmd_owner.h. */
#include "tui/cmd/cmd_owner.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "net/store/sender.h"

/* The answer of one GET /me. */
struct me_answer {
	struct sc_error err;
	struct me me;
	bool transient; /* worth asking again */
};

static void
on_me(struct me *me, const struct sc_error *err, void *ud)
{
	struct me_answer *ans = ud;

	ans->me = *me; /* takes the contents */
	if (err->kind == SC_OK)
		return;
	ans->transient = sender_error_is_transient(err);
	sc_error_set(&ans->err, err->kind, "%s", err->message);
	ans->err.http_status = err->http_status;
	ans->err.retry_after = err->retry_after;
}

/* One GET /me into ans, run on l; 0 on success. */
static int
ask_once(struct loop *l, struct api *a, struct me_answer *ans)
{
	memset(ans, 0, sizeof *ans);
	api_me(a, on_me, ans);
	if (loop_run_until(l, api_idle, a, -1) != 0 && ans->err.kind == SC_OK)
		sc_error_set(&ans->err, SC_ERR_LOCAL, "the event loop failed");
	return ans->err.kind == SC_OK ? 0 : -1;
}

/* A pause is a run of the loop with nothing to finish but the time. */
static bool
never(void *ud)
{
	return false;
}

int
cmd_owner_fetch(struct loop *l, struct api *a, struct outbox *ob, bool retry,
                long long deadline_ms, struct outbox_owner *out,
                struct sc_error *err)
{
	struct me_answer ans;
	struct sc_error werr = { 0 };
	long long wait;
	int tries = 0;

	memset(out, 0, sizeof *out);
	while (ask_once(l, a, &ans) != 0) {
		wait = outbox_backoff_ms(++tries, randombytes_random());
		if (!retry || !ans.transient ||
		    loop_now_ms() + wait >= deadline_ms) {
			sc_error_move(err, &ans.err);
			me_free(&ans.me);
			return -1;
		}
		sc_error_clear(&ans.err);
		me_free(&ans.me);
		if (loop_run_until(l, never, NULL, loop_now_ms() + wait) < 0)
			break; /* nothing else is in flight: ask again now */
	}
	outbox_owner_init(out, api_url(a), ans.me.id, ans.me.email);
	if (outbox_remember_owner(ob, out, &werr) != 0)
		sc_error_clear(&werr); /* only offline queueing needs it */
	me_free(&ans.me);
	return 0;
}

void
cmd_owner_remember(struct api *a, const struct me *me)
{
	struct sc_error err = { 0 };
	struct outbox_owner owner;
	struct outbox *ob = outbox_open_service(NULL, api_url(a), &err);

	outbox_owner_init(&owner, api_url(a), me->id, me->email);
	if (ob == NULL || outbox_remember_owner(ob, &owner, &err) != 0)
		fprintf(stderr,
		        "sitecare: warning: who signed in is not remembered "
		        "for the outbox: %s\n",
		        err.message);
	sc_error_clear(&err);
	outbox_owner_clear(&owner);
	outbox_free(ob);
}
