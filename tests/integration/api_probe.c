/*
 * Drives the typed calls of net/client/api.h against a running service and
 * prints one line per call, for test_cli_typed.py to check:
 *
 *   api_probe URL CA STATE_DIR login EMAIL   (password on stdin)
 *   api_probe URL CA STATE_DIR typed         (every typed call)
 *   api_probe URL CA STATE_DIR expired       (GET /me after expiry)
 *   api_probe URL CA STATE_DIR cancel        (cancelled calls never call back)
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "net/client/api.h"
#include "tui/cmd/runloop.h"

static struct api *a;
static int expired_events;
static int64_t first_task_id, first_task_version, first_conversation_id;
static int64_t first_client_id, last_message_id;
static char msg_id[] = "6f1d8a52-3c1b-4f7e-9a55-0c2b7e6d9a10";
static int64_t comment_id;

/* "name ok ..." or "name KIND message". */
static int
report(const char *name, const struct sc_error *err)
{
	if (err->kind == SC_OK)
		return 1;
	printf("%s %s %d %s\n", name, sc_error_kind_name(err->kind),
	       err->http_status, err->message);
	return 0;
}

static void
on_me(struct me *me, const struct sc_error *err, void *ud)
{
	if (report(ud, err))
		printf("%s ok %s %s %u\n", (char *)ud, me->email,
		       staff_role_name(me->role), me->permissions);
	me_free(me);
}

static void
on_tasks(struct task_page *p, const struct sc_error *err, void *ud)
{
	if (report("tasks", err)) {
		printf("tasks ok n=%zu next=%d\n", p->n, p->next != NULL);
		first_task_id = p->items[0].id;
		first_task_version = p->items[0].version;
	}
	task_page_free(p);
}

static void
on_task(struct task_detail *d, const struct sc_error *err, void *ud)
{
	if (report("task", err))
		printf("task ok id=%" PRId64 " same=%d\n", d->task.id,
		       d->task.id == first_task_id);
	task_detail_free(d);
}

static void
on_patch(struct task *t, const struct sc_error *err, void *ud)
{
	if (err->kind == SC_ERR_CONFLICT)
		printf("%s conflict current=%" PRId64 " version=%" PRId64 "\n",
		       (char *)ud, t->id, t->version);
	else if (report(ud, err))
		printf("%s ok version=%" PRId64 "\n", (char *)ud, t->version);
	task_free(t);
}

static void
on_comment(struct comment *c, const struct sc_error *err, void *ud)
{
	if (report(ud, err)) {
		printf("%s ok same=%d\n", (char *)ud,
		       comment_id == 0 || comment_id == c->id);
		comment_id = c->id;
	}
	comment_free(c);
}

static void
on_conversations(struct conversation_page *p, const struct sc_error *err,
                 void *ud)
{
	if (report("conversations", err)) {
		printf("conversations ok n=%d\n", p->n > 0);
		first_conversation_id = p->items[0].id;
	}
	conversation_page_free(p);
}

static void
on_messages(struct message_page *p, const struct sc_error *err, void *ud)
{
	if (report("messages", err)) {
		printf("messages ok n=%d\n", p->n > 0);
		last_message_id = p->items[p->n - 1].id;
	}
	message_page_free(p);
}

static void
on_message(struct message *m, const struct sc_error *err, void *ud)
{
	if (report(ud, err))
		printf("%s ok body=%s\n", (char *)ud, m->body);
	message_free(m);
}

static void
on_done(const struct sc_error *err, void *ud)
{
	if (report(ud, err))
		printf("%s ok\n", (char *)ud);
}

static void
on_staff(struct staff_page *p, const struct sc_error *err, void *ud)
{
	if (report("staff", err))
		printf("staff ok n=%zu\n", p->n);
	staff_page_free(p);
}

static void
on_clients(struct client_page *p, const struct sc_error *err, void *ud)
{
	if (report("clients", err)) {
		printf("clients ok n=%zu\n", p->n);
		first_client_id = p->items[0].id;
	}
	client_page_free(p);
}

static void
on_credentials(struct credential_page *p, const struct sc_error *err, void *ud)
{
	if (report("credentials", err))
		printf("credentials ok n=%d\n", p->n > 0);
	credential_page_free(p);
}

static void
on_summary(struct billing_summary *s, const struct sc_error *err, void *ud)
{
	if (report("billing_summary", err))
		printf("billing_summary ok months=%zu currency=%s\n",
		       s->nrevenue_by_month, s->currency);
	billing_summary_free(s);
}

static void
on_subscriptions(struct subscription_page *p, const struct sc_error *err,
                 void *ud)
{
	if (report("subscriptions", err))
		printf("subscriptions ok amounts=%d\n",
		       p->n > 0 && p->items[0].has_amounts);
	subscription_page_free(p);
}

static void
on_invoices(struct invoice_page *p, const struct sc_error *err, void *ud)
{
	if (report("invoices", err))
		printf("invoices ok n=%d\n", p->n > 0);
	invoice_page_free(p);
}

static void
on_expired(void *ud)
{
	expired_events++;
}

static void
on_never(struct me *me, const struct sc_error *err, void *ud)
{
	printf("cancelled call came back\n");
	me_free(me);
}

/* Runs the loop until every call is done. */
static void
run(void)
{
	if (runloop_run(a) != 0)
		printf("loop failed\n");
}

static void
typed_reads(void)
{
	struct task_patch patch = { .set_priority = true,
		                    .priority = PRIORITY_HIGH };

	api_tasks(a, "limit=5&sort=created_at", on_tasks, NULL);
	api_conversations(a, NULL, on_conversations, NULL);
	api_staff(a, NULL, on_staff, NULL);
	api_clients(a, "limit=3", on_clients, NULL);
	api_billing_summary(a, on_summary, NULL);
	api_subscriptions(a, "limit=2", on_subscriptions, NULL);
	api_invoices(a, "limit=2", on_invoices, NULL);
	run();
	api_task(a, first_task_id, on_task, NULL);
	api_messages(a, first_conversation_id, "limit=5", on_messages, NULL);
	api_credentials(a, first_client_id, NULL, on_credentials, NULL);
	run();
	api_task_patch(a, first_task_id, first_task_version - 1, &patch,
	               on_patch, "patch_stale");
	run();
	api_task_patch(a, first_task_id, first_task_version, &patch, on_patch,
	               "patch");
	run();
}

static void
typed_writes(void)
{
	api_comment_post(a, first_task_id, "probe comment", true, msg_id,
	                 on_comment, "comment");
	run();
	api_comment_post(a, first_task_id, "probe comment", true, msg_id,
	                 on_comment, "comment_again");
	api_message_post(a, first_conversation_id, "probe \"message\"",
	                 "0b8e4c1e-7d4a-4f59-8f5a-2f0c6a1b3c4d", on_message,
	                 "message");
	api_mark_read(a, first_conversation_id, last_message_id, on_done,
	              "mark_read");
	run();
}

int
main(int argc, char **argv)
{
	struct api_config cfg = { 0 };
	struct sc_error err = { 0 };
	char *pw;

	if (argc < 5)
		return 2;
	cfg.url = argv[1];
	cfg.ca_file = argv[2];
	cfg.state_dir = argv[3];
	a = api_new(&cfg, &err);
	if (a == NULL) {
		printf("api_new %s\n", err.message);
		return 1;
	}
	api_on_session_expired(a, on_expired, NULL);
	if (strcmp(argv[4], "login") == 0 && argc > 5) {
		pw = sodium_malloc(256);
		if (fgets(pw, 256, stdin) == NULL)
			return 2;
		pw[strcspn(pw, "\n")] = '\0';
		api_login(a, argv[5], pw, on_me, "login");
		printf("password wiped=%d\n", pw[0] == '\0');
		run();
		sodium_free(pw);
	} else if (strcmp(argv[4], "typed") == 0) {
		typed_reads();
		typed_writes();
	} else if (strcmp(argv[4], "expired") == 0) {
		api_me(a, on_me, "me");
		run();
		printf("expired events=%d\n", expired_events);
	} else if (strcmp(argv[4], "cancel") == 0) {
		struct api_req *r1 = api_me(a, on_never, NULL);
		struct api_req *r2 = api_me(a, on_never, NULL);

		printf("pending=%zu\n", api_pending(a));
		api_cancel(a, r1);
		api_dispatch(a, NULL, 0); /* r2 starts */
		api_cancel(a, r2);
		printf("pending=%zu\n", api_pending(a));
		api_me(a, on_me, "me");
		run();
	}
	api_free(a);
	return 0;
}
