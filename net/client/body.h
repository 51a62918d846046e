/* Request bodies of the staff API, built with cJSON, never by pasting. */
#ifndef SITECARE_NET_BODY_H
#define SITECARE_NET_BODY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/client/model.h"

/*
 * Each builder returns a malloc'd, NUL-terminated compact JSON text that
 * the caller frees with free(). Strings are escaped by cJSON, so any
 * text (quotes, newlines, non-ASCII) is safe. Running out of memory
 * aborts, as everywhere (net/base/xmalloc.h).
 */

/*
 * PATCH /tasks/{id}: only the members whose set_* flag is true. An
 * assignee_id of 0 sends "assignee_id": null, which unassigns.
 */
struct task_patch {
	bool set_status;
	enum task_status status;
	bool set_priority;
	enum task_priority priority;
	bool set_assignee;
	int64_t assignee_id;
};
char *body_task_patch(const struct task_patch *patch);

/*
 * POST /tasks/{id}/comments: {"body", "internal", "client_msg_id"}; a
 * NULL client_msg_id leaves the member out.
 */
char *body_comment(const char *text, bool internal, const char *client_msg_id);

/* POST /conversations/{id}/messages: {"body", "client_msg_id"}. */
char *body_message(const char *text, const char *client_msg_id);

/* POST /conversations/{id}/read: {"last_read_message_id"}. */
char *body_read(int64_t last_read_message_id);

/* POST /credentials/{id}/reveal: {"purpose"}. */
char *body_reveal(const char *purpose);

/*
 * POST /auth/login: {"email", "password"}. The password must not reach
 * ordinary heap, so this one writes into a buffer the caller provides,
 * typically sodium_malloc'd, and must sodium_memzero after use: the
 * password is referenced, not copied, while cJSON prints, and printing
 * into a preallocated buffer allocates nothing. body_login_size gives a
 * size that always suffices (every byte escaped as \u00XX). Returns 0, or
 * -1 when size is too small (buf then holds nothing useful but should
 * be wiped all the same).
 */
size_t body_login_size(const char *email, const char *password);
int body_login(const char *email, const char *password, char *buf, size_t size);

/*
 * PUT /me/public-key: {"public_key", "password"}, the account password
 * re-authenticating the registration. Built as body_login is, for the
 * same reason: into the caller's (sodium) buffer, the password never
 * copied; body_public_key_size always suffices.
 */
size_t body_public_key_size(const char *public_key, const char *password);
int body_public_key(const char *public_key, const char *password, char *buf,
                    size_t size);

#endif
