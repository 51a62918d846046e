/* The typed models of the staff API: C structs and their parsers. */
#ifndef SITECARE_NET_MODEL_H
#define SITECARE_NET_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "net/base/error.h"

/*
 * Every object of /work/shared/API.md becomes one of the structs below.
 * A parser takes the raw response body, parses it with cJSON, checks it
 * field by field, copies what it needs into the struct and frees the
 * cJSON tree before returning. The struct then owns all its strings and
 * arrays; the matching _free releases them and zeroes the struct, so a
 * freed struct can be freed again or reused.
 *
 * Parsers return 0, or -1 with err set to SC_ERR_MALFORMED and a message
 * naming the field path ("results[3].client.name: expected a string").
 * On failure *out is left zeroed: there is nothing to free.
 *
 * Nullable fields: a string that may be null is NULL; a time or object
 * that may be null comes with a has_* flag.
 */

/* ------------------------------------------------------------------ */
/* Enumerations: each has a _name() for the UI and request bodies and a
 * _from_name() returning 0, or -1 for an unknown name. */

enum task_status {
	TASK_NEW,
	TASK_IN_PROGRESS,
	TASK_WAITING_ON_CLIENT,
	TASK_DONE,
	TASK_CANCELLED,
};
#define TASK_STATUS_COUNT 5

enum task_priority {
	PRIORITY_LOW,
	PRIORITY_NORMAL,
	PRIORITY_HIGH,
	PRIORITY_URGENT,
};
#define TASK_PRIORITY_COUNT 4

enum staff_role {
	ROLE_SUPPORT,
	ROLE_TECHNICIAN,
	ROLE_MANAGER,
	ROLE_ADMIN,
};
#define STAFF_ROLE_COUNT 4

enum author_kind {
	AUTHOR_STAFF,
	AUTHOR_CLIENT,
};
#define AUTHOR_KIND_COUNT 2

enum subscription_status {
	SUB_ACTIVE,
	SUB_TRIALING,
	SUB_PAST_DUE,
	SUB_CANCELED,
};
#define SUBSCRIPTION_STATUS_COUNT 4

enum plan {
	PLAN_BASIC,
	PLAN_PRO,
	PLAN_AGENCY,
};
#define PLAN_COUNT 3

enum billing_interval {
	INTERVAL_MONTH,
	INTERVAL_YEAR,
};
#define BILLING_INTERVAL_COUNT 2

enum invoice_status {
	INVOICE_PAID,
	INVOICE_OPEN,
	INVOICE_FAILED,
	INVOICE_REFUNDED,
};
#define INVOICE_STATUS_COUNT 4

const char *task_status_name(enum task_status s);
int task_status_from_name(const char *name, enum task_status *out);
const char *task_priority_name(enum task_priority p);
int task_priority_from_name(const char *name, enum task_priority *out);
const char *staff_role_name(enum staff_role r);
int staff_role_from_name(const char *name, enum staff_role *out);
const char *author_kind_name(enum author_kind k);
int author_kind_from_name(const char *name, enum author_kind *out);
const char *subscription_status_name(enum subscription_status s);
int subscription_status_from_name(const char *name,
                                  enum subscription_status *out);
const char *plan_name(enum plan p);
int plan_from_name(const char *name, enum plan *out);
const char *billing_interval_name(enum billing_interval i);
int billing_interval_from_name(const char *name, enum billing_interval *out);
const char *invoice_status_name(enum invoice_status s);
int invoice_status_from_name(const char *name, enum invoice_status *out);

/*
 * Permissions, as bits of me.permissions. Names the client does not know
 * are ignored when parsing, so a newer server can add permissions.
 */
enum permission {
	PERM_TASKS_READ = 1u << 0,
	PERM_TASKS_UPDATE = 1u << 1,
	PERM_TASKS_COMMENT = 1u << 2,
	PERM_TASKS_ASSIGN_ANY = 1u << 3,
	PERM_CHAT_READ = 1u << 4,
	PERM_CHAT_REPLY = 1u << 5,
	PERM_CREDENTIALS_REVEAL = 1u << 6,
	PERM_BILLING_SUMMARY = 1u << 7,
	PERM_BILLING_READ = 1u << 8,
};
#define PERMISSION_COUNT 9

/* "tasks.read" for PERM_TASKS_READ; NULL for anything not one bit. */
const char *permission_name(unsigned perm);
/* The bit for a name, or 0 when the name is unknown. */
unsigned permission_from_name(const char *name);

/* ------------------------------------------------------------------ */
/* Small embedded references. */

/* {"id", "name"}: a staff member as other objects mention them. */
struct staff_ref {
	int64_t id;
	char *name;
};

/* {"id", "name", "company"}: a client as other objects mention them. */
struct client_ref {
	int64_t id;
	char *name;
	char *company;
};

/*
 * {"kind", "id", "name"}: who wrote a comment or message. A deleted
 * author has a null id (0 here) and a placeholder name.
 */
struct author {
	enum author_kind kind;
	int64_t id;
	char *name;
};

/* ------------------------------------------------------------------ */
/* Staff and clients. */

/* GET /me, POST /auth/login, PUT /me/public-key. */
struct me {
	int64_t id;
	char *name;
	char *email;
	enum staff_role role;
	char *public_key; /* base64, or NULL when none is registered */
	/* When public_key was registered; has_ false when null or not sent
	 * (a service from before the contract had it). */
	bool has_public_key_registered_at;
	time_t public_key_registered_at;
	unsigned permissions; /* enum permission bits */
};

/* One entry of GET /staff. */
struct staff {
	int64_t id;
	char *name;
	enum staff_role role;
};

struct staff_page {
	struct staff *items;
	size_t n;
	char *next; /* the cursor of the next page, or NULL */
};

/* One entry of GET /clients. */
struct client {
	int64_t id;
	char *name;
	char *company;
	char *email;
	char *phone; /* NULL when the contract's null */
	char *site_url;
	struct staff_ref *assigned_staff;
	size_t nassigned_staff;
};

struct client_page {
	struct client *items;
	size_t n;
	char *next;
};

/* ------------------------------------------------------------------ */
/* Tasks. */

/*
 * A task as lists, PATCH answers and task events carry it. The members
 * are ordered so the struct packs into 88 bytes (the task store holds
 * one per row); the counts, which the contract does not bound, are held
 * saturated at UINT32_MAX.
 *
 * Its client and assignee are shared refs, not copies: a queue of
 * 100,000 tasks names a few thousand clients and staff. A shared ref is
 * counted and read-only; every struct task holds one count on each of
 * its refs. task_free drops them (the last drop frees the ref),
 * task_copy takes one more of each (no string copied), and a parsed
 * task has refs of its own (refs=1), so a task outside any store (a
 * detail, an event, a view's copy) owns what it points at like any
 * other member. The task store swaps a held task's refs for those of
 * its pool (net/store/ref_pool.h), so its rows share one per client.
 * To give a task another client or assignee, task_set_client and
 * task_set_assignee drop the old ref and make a new one.
 */
struct task {
	int64_t id;
	int64_t version; /* for If-Match */
	char *title;
	char *description; /* NULL in the task store until a detail is put */
	const struct client_ref *client;  /* shared; NULL only when zeroed */
	const struct staff_ref *assignee; /* shared; NULL when !has_assignee */
	time_t created_at;
	time_t updated_at;
	time_t due_at;
	uint32_t comment_count;
	uint32_t attachment_count;
	uint8_t status;   /* enum task_status: a byte, not an int, a row */
	uint8_t priority; /* enum task_priority */
	bool has_assignee;
	bool has_due_at;
	/* The task store's: a held row's cell of the queue's order
	 * (net/store/id_order.h), in the room the struct has spare; 0 in
	 * every other task. */
	uint32_t order_cell;
};

struct task_page {
	struct task *items;
	size_t n;
	char *next;
};

/* A task's comment; client_msg_id is NULL when absent or null. */
struct comment {
	int64_t id;
	struct author author;
	char *body;
	bool internal;
	time_t created_at;
	char *client_msg_id;
};

struct attachment {
	int64_t id;
	char *filename;
	int64_t size;
	char *content_type;
	time_t created_at;
};

/* GET /tasks/{id}: the task plus its comments and attachments. */
struct task_detail {
	struct task task;
	struct comment *comments;
	size_t ncomments;
	struct attachment *attachments;
	size_t nattachments;
};

/* ------------------------------------------------------------------ */
/* Chat. */

struct message {
	int64_t id;
	int64_t conversation_id;
	struct author author;
	char *body;
	time_t created_at;
	char *client_msg_id; /* NULL when null */
};

/*
 * One entry of GET /conversations. last_message_at is tolerated as null
 * (has_last_message_at false) for a conversation with no messages yet.
 */
struct conversation {
	int64_t id;
	struct client_ref client;
	bool has_last_message_at;
	time_t last_message_at;
	int64_t unread_count;
	bool has_last_message;
	struct message last_message; /* body cut to 200 chars by the server */
};

struct conversation_page {
	struct conversation *items;
	size_t n;
	char *next;
};

/* GET /conversations/{id}/messages: oldest first. */
struct message_page {
	struct message *items;
	size_t n;
	bool has_more;
};

/* ------------------------------------------------------------------ */
/* Credentials. */

/* One entry of GET /clients/{id}/credentials (no secret in it). */
struct credential {
	int64_t id;
	char *label;
	char *site_url;
	time_t updated_at;
	bool can_reveal;
};

struct credential_page {
	struct credential *items;
	size_t n;
	char *next;
};

/*
 * POST /credentials/{id}/reveal: the base64 of a crypto_box_seal to the
 * staff member's key. Sealed, so ordinary heap is fine; the opened
 * plaintext is the vault's business and never passes through here.
 */
struct reveal {
	int64_t credential_id;
	char *sealed;
};

/* One entry of GET /credentials/{id}/audit. */
struct audit_entry {
	struct staff_ref staff;
	char *purpose;
	time_t at;
};

struct audit_page {
	struct audit_entry *items;
	size_t n;
	char *next;
};

/* ------------------------------------------------------------------ */
/* Billing. Money is integer cents plus a 3-letter currency ("usd"). */

struct revenue_month {
	int year;
	int month; /* 1..12 */
	int64_t cents;
};

/* GET /billing/summary. */
struct billing_summary {
	char currency[4];
	int64_t mrr_cents;
	int64_t active;
	int64_t trialing;
	int64_t past_due;
	int64_t canceled;
	int64_t failed_payments_30d;
	int64_t refunds_30d_cents;
	struct revenue_month *revenue_by_month;
	size_t nrevenue_by_month;
};

struct card {
	char *brand; /* NULL when the server has none */
	char last4[5];
	int exp_month; /* 1..12 */
	int exp_year;
};

/*
 * One entry of GET /billing/subscriptions. The amount, currency, interval
 * and card come only with billing.read: has_amounts says they did.
 */
struct subscription {
	int64_t id;
	struct client_ref client;
	enum plan plan;
	enum subscription_status status;
	time_t current_period_end;
	bool cancel_at_period_end;
	bool has_amounts;
	int64_t amount_cents;
	char currency[4];
	enum billing_interval interval;
	bool has_card; /* false also when the card is null */
	struct card card;
};

struct subscription_page {
	struct subscription *items;
	size_t n;
	char *next;
};

struct invoice {
	int64_t id;
	char *number;
	struct client_ref client;
	int64_t amount_cents;
	char currency[4];
	enum invoice_status status;
	time_t created_at;
	bool has_paid_at;
	time_t paid_at;
	char *stripe_ref;
	char *failure_reason; /* NULL when null */
};

struct invoice_page {
	struct invoice *items;
	size_t n;
	char *next;
};

/* ------------------------------------------------------------------ */
/* Events (the data: line of a Server-Sent Event). */

enum event_type {
	EVENT_UNKNOWN, /* a type this client does not know: ignored */
	EVENT_MESSAGE_CREATED,
	EVENT_CONVERSATION_READ,
	EVENT_TASK_CREATED,
	EVENT_TASK_UPDATED,
	EVENT_COMMENT_CREATED,
	EVENT_INVOICE_FAILED,
	EVENT_RESYNC,
	EVENT_STAFF_KEY_CHANGED,
};

/* staff.key_changed: the signed-in member's newly registered key. */
struct key_change {
	char *public_key; /* base64 */
	time_t registered_at;
};

/*
 * One event's payload. Only the members of its type are filled:
 * message.created: conversation_id, message; conversation.read:
 * conversation_id, unread_count; task.created/updated: task;
 * comment.created: task_id, comment; invoice.failed: invoice;
 * staff.key_changed: key; resync: nothing. event_payload_free frees
 * whichever were filled.
 */
struct event_payload {
	enum event_type type;
	int64_t conversation_id;
	int64_t unread_count;
	int64_t task_id;
	struct message message;
	struct task task;
	struct comment comment;
	struct invoice invoice;
	struct key_change key;
};

/* event_payload_parse's answer for an event type it does not know. */
#define EVENT_IGNORED 1

/* "message.created" for EVENT_MESSAGE_CREATED; "unknown" otherwise. */
const char *event_type_name(enum event_type t);
/* The type for a name, EVENT_UNKNOWN when the name is not known. */
enum event_type event_type_from_name(const char *name);

/* ------------------------------------------------------------------ */
/* Parsers of whole response bodies: 0, or -1 with err (see above). */

int me_parse(const char *body, size_t len, struct me *out,
             struct sc_error *err);
int staff_page_parse(const char *body, size_t len, struct staff_page *out,
                     struct sc_error *err);
int client_page_parse(const char *body, size_t len, struct client_page *out,
                      struct sc_error *err);
int task_parse(const char *body, size_t len, struct task *out,
               struct sc_error *err);
int task_page_parse(const char *body, size_t len, struct task_page *out,
                    struct sc_error *err);
int task_detail_parse(const char *body, size_t len, struct task_detail *out,
                      struct sc_error *err);
/* The "current" task of a 412 version_conflict error body. */
int task_conflict_parse(const char *body, size_t len, struct task *out,
                        struct sc_error *err);
int comment_parse(const char *body, size_t len, struct comment *out,
                  struct sc_error *err);
int conversation_page_parse(const char *body, size_t len,
                            struct conversation_page *out,
                            struct sc_error *err);
/* GET /client/conversation: a single conversation object. */
int conversation_parse(const char *body, size_t len, struct conversation *out,
                       struct sc_error *err);
int message_parse(const char *body, size_t len, struct message *out,
                  struct sc_error *err);
int message_page_parse(const char *body, size_t len, struct message_page *out,
                       struct sc_error *err);
int credential_page_parse(const char *body, size_t len,
                          struct credential_page *out, struct sc_error *err);
int reveal_parse(const char *body, size_t len, struct reveal *out,
                 struct sc_error *err);
int audit_page_parse(const char *body, size_t len, struct audit_page *out,
                     struct sc_error *err);
int billing_summary_parse(const char *body, size_t len,
                          struct billing_summary *out, struct sc_error *err);
int subscription_page_parse(const char *body, size_t len,
                            struct subscription_page *out,
                            struct sc_error *err);
int invoice_page_parse(const char *body, size_t len, struct invoice_page *out,
                       struct sc_error *err);
/* GET /auth/csrf: {"csrf_token"}; *out is malloc'd, the caller frees. */
int csrf_token_parse(const char *body, size_t len, char **out,
                     struct sc_error *err);

/*
 * One event's data for the SSE event type `type`: 0 when parsed,
 * EVENT_IGNORED (out->type EVENT_UNKNOWN, nothing to free) for a type
 * this client does not know, -1 with err when the data is malformed.
 */
int event_payload_parse(const char *type, const char *data, size_t len,
                        struct event_payload *out, struct sc_error *err);

/* ------------------------------------------------------------------ */
/* Freeing: each releases what the struct owns and zeroes it. */

void staff_ref_free(struct staff_ref *r);
void client_ref_free(struct client_ref *r);
void author_free(struct author *a);
void me_free(struct me *m);
void staff_free(struct staff *s);
void staff_page_free(struct staff_page *p);
void client_free(struct client *c);
void client_page_free(struct client_page *p);
void task_free(struct task *t);
void task_page_free(struct task_page *p);
void comment_free(struct comment *c);
void attachment_free(struct attachment *a);
void task_detail_free(struct task_detail *d);
void message_free(struct message *m);
void message_page_free(struct message_page *p);
void conversation_free(struct conversation *c);
void conversation_page_free(struct conversation_page *p);
void credential_free(struct credential *c);
void credential_page_free(struct credential_page *p);
void reveal_free(struct reveal *r);
void audit_entry_free(struct audit_entry *a);
void audit_page_free(struct audit_page *p);
void billing_summary_free(struct billing_summary *s);
void subscription_free(struct subscription *s);
void subscription_page_free(struct subscription_page *p);
void invoice_free(struct invoice *i);
void invoice_page_free(struct invoice_page *p);
void event_payload_free(struct event_payload *e);

/*
 * Shared refs (see struct task): _share moves r's strings into a new
 * ref counted once (r is zeroed); _hold counts one more holder and
 * returns r; _drop gives one back, freeing the ref with the last;
 * _holders says how many there are. NULL is held and dropped as nothing.
 */
const struct client_ref *client_ref_share(struct client_ref *r);
const struct client_ref *client_ref_hold(const struct client_ref *r);
void client_ref_drop(const struct client_ref *r);
size_t client_ref_holders(const struct client_ref *r);
const struct staff_ref *staff_ref_share(struct staff_ref *r);
const struct staff_ref *staff_ref_hold(const struct staff_ref *r);
void staff_ref_drop(const struct staff_ref *r);
size_t staff_ref_holders(const struct staff_ref *r);

/* Gives t a new client ref with copies of name and company. */
void task_set_client(struct task *t, int64_t id, const char *name,
                     const char *company);
/* Gives t a new assignee ref (a copy of name), or none when id is 0. */
void task_set_assignee(struct task *t, int64_t id, const char *name);

/* Deep copies, for views that keep an object past its page's life (a
 * task's shared refs are held once more, not copied). */
void task_copy(struct task *dst, const struct task *src);
void message_copy(struct message *dst, const struct message *src);
void invoice_copy(struct invoice *dst, const struct invoice *src);
void comment_copy(struct comment *dst, const struct comment *src);

/* ------------------------------------------------------------------ */
/*
 * Object-level parsers over an already parsed cJSON value, shared by the
 * model_*.c files (a task inside an event, a message inside a
 * conversation). Same contract as above; path names where v sits.
 */
struct cJSON;
struct json_path;

int staff_ref_from_json(const struct cJSON *v, const struct json_path *path,
                        struct staff_ref *out, struct sc_error *err);
int client_ref_from_json(const struct cJSON *v, const struct json_path *path,
                         struct client_ref *out, struct sc_error *err);
int author_from_json(const struct cJSON *v, const struct json_path *path,
                     struct author *out, struct sc_error *err);
int task_from_json(const struct cJSON *v, const struct json_path *path,
                   struct task *out, struct sc_error *err);
int comment_from_json(const struct cJSON *v, const struct json_path *path,
                      struct comment *out, struct sc_error *err);
int message_from_json(const struct cJSON *v, const struct json_path *path,
                      struct message *out, struct sc_error *err);
int invoice_from_json(const struct cJSON *v, const struct json_path *path,
                      struct invoice *out, struct sc_error *err);

/* Enum members: obj[key] must be one of the enum's names. */
int task_status_from_json(const struct cJSON *obj, const char *key,
                          const struct json_path *path, enum task_status *out,
                          struct sc_error *err);
int task_priority_from_json(const struct cJSON *obj, const char *key,
                            const struct json_path *path,
                            enum task_priority *out, struct sc_error *err);
int staff_role_from_json(const struct cJSON *obj, const char *key,
                         const struct json_path *path, enum staff_role *out,
                         struct sc_error *err);
int author_kind_from_json(const struct cJSON *obj, const char *key,
                          const struct json_path *path, enum author_kind *out,
                          struct sc_error *err);
int subscription_status_from_json(const struct cJSON *obj, const char *key,
                                  const struct json_path *path,
                                  enum subscription_status *out,
                                  struct sc_error *err);
int plan_from_json(const struct cJSON *obj, const char *key,
                   const struct json_path *path, enum plan *out,
                   struct sc_error *err);
int billing_interval_from_json(const struct cJSON *obj, const char *key,
                               const struct json_path *path,
                               enum billing_interval *out,
                               struct sc_error *err);
int invoice_status_from_json(const struct cJSON *obj, const char *key,
                             const struct json_path *path,
                             enum invoice_status *out, struct sc_error *err);

#endif
