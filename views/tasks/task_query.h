/* The task queue's filter, sort and search, and GET /tasks query strings. */
#ifndef SITECARE_VIEWS_TASK_QUERY_H
#define SITECARE_VIEWS_TASK_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "net/client/model.h"

/* Who a task is assigned to, as the queue filters it. */
enum task_query_assignee {
	TASK_QUERY_ANYONE, /* no assignee filter */
	TASK_QUERY_ME,
	TASK_QUERY_NONE,  /* unassigned tasks */
	TASK_QUERY_STAFF, /* a staff id, in assignee_id */
};

/* The server's sort orders; TASK_SORT_DEFAULT sends no sort= at all. */
enum task_query_sort {
	TASK_SORT_DEFAULT, /* the server's: -priority, then created_at */
	TASK_SORT_PRIORITY,
	TASK_SORT_CREATED_AT,
	TASK_SORT_UPDATED_AT,
	TASK_SORT_DUE_AT,
};

/*
 * What the queue shows, as the staff member set it with :filter, :sort
 * and /. The status and priority filters are bit sets over enum
 * task_status and enum task_priority (bit 1 << value); an empty set means
 * "any". The struct owns search; task_query_free releases it.
 *
 * :filter changes only the keys it names, so filters can be refined one
 * key at a time; `any` clears one key and `clear` clears them all (and
 * the search: the frame never sends an empty search).
 */
struct task_query {
	unsigned statuses;
	unsigned priorities;
	enum task_query_assignee assignee;
	int64_t assignee_id; /* for TASK_QUERY_STAFF */
	int64_t client_id;   /* 0: any client */
	/* client=NAME: the name typed until the pane has found its client
	 * (client_id still 0), then that client's name, for describing. */
	char client_name[64];
	bool overdue; /* only open tasks whose due date is past */
	enum task_query_sort sort;
	bool descending;
	char *search; /* the q= text, or NULL */
};

/* Open work: new, in progress, waiting on the client. */
#define TASK_QUERY_OPEN_STATUSES                                               \
	((1u << TASK_NEW) | (1u << TASK_IN_PROGRESS) |                         \
	 (1u << TASK_WAITING_ON_CLIENT))

/* The queue's first view: open tasks, anyone's, the server's order. */
void task_query_init(struct task_query *q);
void task_query_free(struct task_query *q);

/*
 * Applies `:filter` arguments: blank-separated key=value words with keys
 * status, priority (comma lists), assignee (me, none, anyone or a staff
 * id) and client (an id, a name, or any: a name is left for the pane
 * to find, see task_query_client_pending); `KEY=any` clears a key, the word
 * `clear` clears every filter and the search, `default` brings back the
 * first view's (task_query_init) and clears the search. Returns 0, or -1
 * with a message in err and q unchanged.
 */
int task_query_filter(struct task_query *q, const char *args, char *err,
                      size_t errlen);

/*
 * The word `overdue` keeps the open tasks (not done, not cancelled)
 * whose due date is past. The contract has no such filter: the service
 * is asked for the open tasks in due_at order (the sort set by :sort
 * waits meanwhile), whose overdue ones come first, and
 * task_query_page_overdue drops the rest. `overdue=any`, `clear` or
 * `default` end it.
 */
bool task_query_is_overdue(const struct task *t, time_t now);

/*
 * With the overdue filter, drops from page p the tasks that are not
 * overdue at now; true when it dropped any: the tasks after them in
 * due_at order are not overdue either (no later page is needed).
 * Without it, changes nothing and returns false.
 */
bool task_query_page_overdue(const struct task_query *q, struct task_page *p,
                             time_t now);

/* True when client=NAME waits for its client to be found: the query
 * is not to be sent until client_id is set. */
bool task_query_client_pending(const struct task_query *q);

/*
 * Applies a `:sort` value: priority, created_at, updated_at or due_at,
 * with a leading '-' for descending, or `default`. Returns 0, or -1 with
 * a message in err and q unchanged.
 */
int task_query_sort(struct task_query *q, const char *value, char *err,
                    size_t errlen);

/* Sets the search text (blank or NULL clears it). */
void task_query_search(struct task_query *q, const char *text);

/*
 * The GET /tasks query string (without '?') for q: status=, assignee=,
 * priority=, client=, q=, sort=, limit= and, when cursor is not NULL,
 * cursor=, each value percent-encoded. The caller frees it.
 */
char *task_query_string(const struct task_query *q, const char *cursor,
                        int limit);

/*
 * The same for the reversed query, whose first page is the queue's last
 * tasks, last first: the service makes each `-` sort the exact reverse
 * of its plain form (ties included), and the default (-priority) is
 * reversed by sort=priority. NULL when q cannot be reversed: the overdue
 * filter is the client's, and its end is not the service's.
 */
char *task_query_string_reversed(const struct task_query *q, const char *cursor,
                                 int limit);

/*
 * What the filter is in words, for the empty-state and footer lines:
 * "status=done, assignee=me, q=invoice"; "all tasks" when nothing
 * filters. The caller frees it (it may quote the search text: sanitise
 * before drawing).
 */
char *task_query_describe(const struct task_query *q);

/* The sort as :sort spells it ("-priority"), "default" for the server's;
 * "due_at" while the overdue filter orders the list. */
const char *task_query_sort_name(const struct task_query *q);

/*
 * True when t passes q's filters, as the server would judge it, for live
 * events. me_id is the signed-in staff member (0 when not known yet:
 * assignee=me then matches nothing). The search is matched, as the
 * server does, case-insensitively (ASCII) in the title or description;
 * overdue against the clock now.
 */
bool task_query_matches(const struct task_query *q, const struct task *t,
                        int64_t me_id);

/*
 * Orders two tasks as the server's sort does (every order ends with the
 * id; tasks without a due date come last either way): <0, 0, >0.
 */
int task_query_compare(const struct task_query *q, const struct task *a,
                       const struct task *b);

/* Percent-encodes s for a query string (RFC 3986 unreserved kept). */
char *task_query_escape(const char *s);

#endif
