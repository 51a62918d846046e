/* The contract's enumerations and permission names, both ways. */
#include "net/client/model.h"

#include <string.h>

#include "net/client/json.h"

/* Name tables, indexed by the enum values of net/client/model.h. */
static const char *const task_statuses[TASK_STATUS_COUNT] = {
	"new", "in_progress", "waiting_on_client", "done", "cancelled",
};
static const char *const task_priorities[TASK_PRIORITY_COUNT] = {
	"low",
	"normal",
	"high",
	"urgent",
};
static const char *const staff_roles[STAFF_ROLE_COUNT] = {
	"support",
	"technician",
	"manager",
	"admin",
};
static const char *const author_kinds[AUTHOR_KIND_COUNT] = {
	"staff",
	"client",
};
static const char *const subscription_statuses[SUBSCRIPTION_STATUS_COUNT] = {
	"active",
	"trialing",
	"past_due",
	"canceled",
};
static const char *const plans[PLAN_COUNT] = {
	"basic",
	"pro",
	"agency",
};
static const char *const billing_intervals[BILLING_INTERVAL_COUNT] = {
	"month",
	"year",
};
static const char *const invoice_statuses[INVOICE_STATUS_COUNT] = {
	"paid",
	"open",
	"failed",
	"refunded",
};
/* Bit i of enum permission is permissions[i]. */
static const char *const permissions[PERMISSION_COUNT] = {
	"tasks.read",         "tasks.update",    "tasks.comment",
	"tasks.assign_any",   "chat.read",       "chat.reply",
	"credentials.reveal", "billing.summary", "billing.read",
};

/* names[v], or "unknown" when v is out of the table. */
static const char *
name_of(const char *const *names, size_t count, unsigned v)
{
	return v < count ? names[v] : "unknown";
}

/* The index of name in names, or -1. */
static int
index_of(const char *const *names, size_t count, const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < count; i++)
		if (strcmp(names[i], name) == 0)
			return (int)i;
	return -1;
}

/* Defines X_name(), X_from_name() and X_from_json() over one table. */
#define ENUM_NAMES(prefix, type, table, count)                                 \
	const char *prefix##_name(type v)                                      \
	{                                                                      \
		return name_of(table, count, (unsigned)v);                     \
	}                                                                      \
	int prefix##_from_name(const char *name, type *out)                    \
	{                                                                      \
		int i = index_of(table, count, name);                          \
		if (i < 0)                                                     \
			return -1;                                             \
		*out = (type)i;                                                \
		return 0;                                                      \
	}                                                                      \
	int prefix##_from_json(const cJSON *obj, const char *key,              \
	                       const struct json_path *path, type *out,        \
	                       struct sc_error *err)                           \
	{                                                                      \
		int i;                                                         \
		if (json_enum(obj, key, path, table, count, &i, err) < 0)      \
			return -1;                                             \
		*out = (type)i;                                                \
		return 0;                                                      \
	}

ENUM_NAMES(task_status, enum task_status, task_statuses, TASK_STATUS_COUNT)
ENUM_NAMES(task_priority, enum task_priority, task_priorities,
           TASK_PRIORITY_COUNT)
ENUM_NAMES(staff_role, enum staff_role, staff_roles, STAFF_ROLE_COUNT)
ENUM_NAMES(author_kind, enum author_kind, author_kinds, AUTHOR_KIND_COUNT)
ENUM_NAMES(subscription_status, enum subscription_status, subscription_statuses,
           SUBSCRIPTION_STATUS_COUNT)
ENUM_NAMES(plan, enum plan, plans, PLAN_COUNT)
ENUM_NAMES(billing_interval, enum billing_interval, billing_intervals,
           BILLING_INTERVAL_COUNT)
ENUM_NAMES(invoice_status, enum invoice_status, invoice_statuses,
           INVOICE_STATUS_COUNT)

const char *
permission_name(unsigned perm)
{
	unsigned i;

	for (i = 0; i < PERMISSION_COUNT; i++)
		if (perm == 1u << i)
			return permissions[i];
	return NULL;
}

unsigned
permission_from_name(const char *name)
{
	int i = index_of(permissions, PERMISSION_COUNT, name);

	return i < 0 ? 0 : 1u << i;
}
