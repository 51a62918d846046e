/* Whose an outbox item is: the service and the staff member it was for. */
#ifndef SITECARE_NET_OUTBOX_OWNER_H
#define SITECARE_NET_OUTBOX_OWNER_H

#include <stdbool.h>

#include <cJSON.h>

/*
 * Every item records the service it was queued against (its base URL,
 * as http_base_url gives it) and the staff member who queued it (id
 * and email). The sender sends an item only when both match the
 * service it talks to and the member signed in there, so a reply
 * written against staging never reaches production's conversation with
 * the same id, nor goes out under another member's name. An item of an
 * earlier version recorded neither: its owner is empty, and it is never
 * sent by itself.
 */
struct outbox_owner {
	char *service;      /* base URL; NULL: unknown (an earlier version) */
	long long staff_id; /* 0: unknown */
	char *email;        /* NULL: unknown */
};

/* Fills out (which holds nothing to free) with copies of the strings. */
void outbox_owner_init(struct outbox_owner *out, const char *service,
                       long long staff_id, const char *email);
/* A copy of o's strings into out (which holds nothing to free). */
void outbox_owner_copy(struct outbox_owner *out, const struct outbox_owner *o);
/* Frees o's strings and empties it. */
void outbox_owner_clear(struct outbox_owner *o);

/*
 * Why an item queued by queued may not be sent by now (the service in
 * use and the member signed in there), in words: "queued for URL as
 * EMAIL, not this service (URL)"; NULL when it may. malloc'd.
 */
char *outbox_owner_refusal(const struct outbox_owner *queued,
                           const struct outbox_owner *now);

/* Adds o's fields to the JSON object obj ("service", "staff_id",
 * "staff_email"; null when unknown). */
void outbox_owner_to_json(cJSON *obj, const struct outbox_owner *o);
/*
 * Reads those fields of obj into out; missing ones (an item of an
 * earlier version) leave it unknown. Returns 0, or -1 (out empty) when
 * one is present with the wrong type.
 */
int outbox_owner_from_json(const cJSON *obj, struct outbox_owner *out);

#endif
