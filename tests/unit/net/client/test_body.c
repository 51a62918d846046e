/* Unit tests for net/client/body.c: request bodies, parsed back and compared.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cJSON.h>

#include "net/client/body.h"

/* Text with every awkward character: quotes, escapes, controls, UTF-8. */
#define AWKWARD "say \"hi\"\\ \n\tnew line \x01 caf\xc3\xa9 \xe2\x9c\x93 </x>"

/* Parses text, checks it is an object of exactly n members. */
static cJSON *
object_of(const char *text, int n)
{
	cJSON *root = cJSON_Parse(text);

	assert_non_null(root);
	assert_true(cJSON_IsObject(root));
	assert_int_equal(cJSON_GetArraySize(root), n);
	return root;
}

/* The string member key of obj. */
static const char *
str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	assert_true(cJSON_IsString(v));
	return v->valuestring;
}

static void
body__public_key__exact(void **state)
{
	const char *pk = "q83vEjRWeJA+/w==", *pw = "sitecare-demo";
	size_t size = body_public_key_size(pk, pw);
	char *b = malloc(size);

	/* The contract now asks the account password with the key. */
	assert_int_equal(body_public_key(pk, pw, b, size), 0);
	assert_string_equal(b, "{\"public_key\":\"q83vEjRWeJA+/w==\","
	                       "\"password\":\"sitecare-demo\"}");
	free(b);
}

static void
body__public_key__password_escaped_in_place(void **state)
{
	const char *pw = "p\"a\\ss\nw\xc3\xb6rd\x02";
	size_t size = body_public_key_size("AAAA", pw);
	char *b = malloc(size);
	cJSON *root;

	assert_true(size > strlen(pw) + 30);
	assert_int_equal(body_public_key("AAAA", pw, b, size), 0);
	root = object_of(b, 2);
	assert_string_equal(str(root, "public_key"), "AAAA");
	assert_string_equal(str(root, "password"), pw);
	cJSON_Delete(root);
	free(b);
}

static void
body__public_key__too_small(void **state)
{
	char buf[24];

	assert_int_equal(
	    body_public_key("q83vEjRWeJA+/w==", "secret", buf, sizeof buf), -1);
}

static void
body__comment__escapes_round_trip(void **state)
{
	char *b = body_comment(AWKWARD, true, "3b0e4b2a-0000-4000-8000-0000");
	cJSON *root = object_of(b, 3);

	assert_string_equal(str(root, "body"), AWKWARD);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(root, "internal")));
	assert_string_equal(str(root, "client_msg_id"),
	                    "3b0e4b2a-0000-4000-8000-0000");
	/* no raw newline or control byte survives into the text */
	assert_null(strchr(b, '\n'));
	assert_null(strchr(b, '\x01'));
	cJSON_Delete(root);
	free(b);
}

static void
body__comment__public_without_id(void **state)
{
	char *b = body_comment("ok", false, NULL);

	assert_string_equal(b, "{\"body\":\"ok\",\"internal\":false}");
	free(b);
}

static void
body__message__round_trip(void **state)
{
	char *b = body_message(AWKWARD, "u-1");
	cJSON *root = object_of(b, 2);

	assert_string_equal(str(root, "body"), AWKWARD);
	assert_string_equal(str(root, "client_msg_id"), "u-1");
	cJSON_Delete(root);
	free(b);
	b = body_message("a", "u-2");
	assert_string_equal(b, "{\"body\":\"a\",\"client_msg_id\":\"u-2\"}");
	free(b);
}

static void
body__read__exact_integer(void **state)
{
	char *b = body_read(42);

	assert_string_equal(b, "{\"last_read_message_id\":42}");
	free(b);
	b = body_read(9007199254740993LL); /* not a double: must stay exact */
	assert_string_equal(b, "{\"last_read_message_id\":9007199254740993}");
	free(b);
}

static void
body__reveal__purpose(void **state)
{
	char *b = body_reveal("task #123 \"urgent\"");

	assert_string_equal(b, "{\"purpose\":\"task #123 \\\"urgent\\\"\"}");
	free(b);
}

static void
body__task_patch__subsets(void **state)
{
	struct task_patch none = { 0 };
	struct task_patch status = { .set_status = true,
		                     .status = TASK_WAITING_ON_CLIENT };
	struct task_patch all = { .set_status = true,
		                  .status = TASK_DONE,
		                  .set_priority = true,
		                  .priority = PRIORITY_URGENT,
		                  .set_assignee = true,
		                  .assignee_id = 17 };
	struct task_patch unassign = { .set_assignee = true, .assignee_id = 0 };
	char *b;

	b = body_task_patch(&none);
	assert_string_equal(b, "{}");
	free(b);
	b = body_task_patch(&status);
	assert_string_equal(b, "{\"status\":\"waiting_on_client\"}");
	free(b);
	b = body_task_patch(&all);
	assert_string_equal(b, "{\"status\":\"done\",\"priority\":\"urgent\","
	                       "\"assignee_id\":17}");
	free(b);
	b = body_task_patch(&unassign);
	assert_string_equal(b, "{\"assignee_id\":null}");
	free(b);
}

static void
body__login__into_caller_buffer(void **state)
{
	const char *email = "ana@example.com";
	const char *password = "p\"a\\ss\nw\xc3\xb6rd\x7f\x02";
	size_t size = body_login_size(email, password);
	char *buf = malloc(size);
	cJSON *root;

	assert_true(size > strlen(email) + strlen(password) + 20);
	assert_int_equal(body_login(email, password, buf, size), 0);
	root = object_of(buf, 2);
	assert_string_equal(str(root, "email"), email);
	assert_string_equal(str(root, "password"), password);
	cJSON_Delete(root);
	assert_string_equal(buf, "{\"email\":\"ana@example.com\",\"password\":"
	                         "\"p\\\"a\\\\ss\\nw\xc3\xb6rd\x7f\\u0002\"}");
	free(buf);
}

static void
body__login__worst_case_fits(void **state)
{
	char password[64];
	size_t size;
	char *buf;

	/* control bytes each print as six characters (\u00XX) */
	memset(password, 0x01, sizeof password - 1);
	password[sizeof password - 1] = '\0';
	size = body_login_size("\x02\x03", password);
	buf = malloc(size);
	assert_int_equal(body_login("\x02\x03", password, buf, size), 0);
	assert_int_equal(strlen(buf), 6 * 65 + strlen("{\"email\":\"\","
	                                              "\"password\":\"\"}"));
	free(buf);
}

static void
body__login__too_small(void **state)
{
	char buf[16];

	assert_int_equal(
	    body_login("ana@example.com", "secret", buf, sizeof buf), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(body__public_key__exact),
		cmocka_unit_test(body__public_key__password_escaped_in_place),
		cmocka_unit_test(body__public_key__too_small),
		cmocka_unit_test(body__comment__escapes_round_trip),
		cmocka_unit_test(body__comment__public_without_id),
		cmocka_unit_test(body__message__round_trip),
		cmocka_unit_test(body__read__exact_integer),
		cmocka_unit_test(body__reveal__purpose),
		cmocka_unit_test(body__task_patch__subsets),
		cmocka_unit_test(body__login__into_caller_buffer),
		cmocka_unit_test(body__login__worst_case_fits),
		cmocka_unit_test(body__login__too_small),
	};

	return cmocka_run_group_tests_name("net/body", tests, NULL, NULL);
}
