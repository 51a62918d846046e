/* Saving an open task's attachment, as a person does it through the
 * pane harness: the picker, `:save-attachment N [PATH]`, the path line,
 * a folder that cannot take the file and a file that appears meanwhile. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "net/base/xmalloc.h"
#include "tests/unit/views/harness.h"

/* One task with two attachments, the second a name to be made safe. */
static const char page_json[] =
    "{\"results\": [{\"id\": 1, \"version\": 1, \"title\": \"task 1\","
    " \"description\": \"\", \"status\": \"new\", \"priority\": \"normal\","
    " \"client\": {\"id\": 1, \"name\": \"Acme\", \"company\": \"Acme\"},"
    " \"assignee\": null, \"created_at\": \"2026-12-01T10:00:00Z\","
    " \"updated_at\": \"2026-12-01T10:00:00Z\", \"due_at\": null,"
    " \"comment_count\": 0, \"attachment_count\": 2}], \"next\": null}";

static const char detail_json[] =
    "{\"id\": 1, \"version\": 1, \"title\": \"task 1\","
    " \"description\": \"\", \"status\": \"new\", \"priority\": \"normal\","
    " \"client\": {\"id\": 1, \"name\": \"Acme\", \"company\": \"Acme\"},"
    " \"assignee\": null, \"created_at\": \"2026-12-01T10:00:00Z\","
    " \"updated_at\": \"2026-12-01T10:00:00Z\", \"due_at\": null,"
    " \"comment_count\": 0, \"attachment_count\": 2, \"comments\": [],"
    " \"attachments\": ["
    "{\"id\": 31, \"filename\": \"invoice.pdf\", \"size\": 2048,"
    " \"content_type\": \"application/pdf\","
    " \"created_at\": \"2026-12-01T10:00:00Z\"},"
    "{\"id\": 32, \"filename\": \"../../etc/passwd\", \"size\": 10,"
    " \"content_type\": \"text/plain\","
    " \"created_at\": \"2026-12-01T10:00:00Z\"}]}";

/* The queue with task 1 open and its two attachments known. */
static struct harness *
task_open(void)
{
	struct harness *h = harness_queue_with(page_json);
	struct harness_request *r;

	harness_action(h, ACTION_OPEN, NULL);
	r = harness_request(h, "GET", "/tasks/1");
	assert_non_null(r);
	harness_reply(h, r, 200, detail_json);
	return h;
}

/* The HOME the harness made (a fresh folder, removed with it). */
static const char *
home(void)
{
	const char *dir = getenv("HOME");

	assert_non_null(dir);
	return dir;
}

/* True when something is at path. */
static bool
exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* Writes an empty file at path. */
static void
touch(const char *path)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fclose(f);
}

/* w on a task with two attachments lists both in a picker; Esc saves
 * nothing and asks nothing of the service. */
static void
attachment_save__picker__esc_saves_nothing(void **state)
{
	struct harness *h = task_open();

	(void)state;
	harness_action(h, ACTION_SAVE_ATTACHMENT, NULL);
	harness_see(h, "Save which attachment of #1");
	harness_see(h, "invoice.pdf");
	harness_see(h, "2.0 KB");
	harness_key(h, KEYC_ESCAPE);
	harness_not_see(h, "Save which attachment");
	assert_string_equal(harness_notice(h), "not saved");
	assert_null(harness_request(h, "GET", "/tasks/1/attachments"));
	harness_free(h);
}

/* Enter in the picker offers a path on the line; `~/` there is the
 * home folder, and the service is asked for that attachment. */
static void
attachment_save__picker__path_with_tilde_is_home(void **state)
{
	struct harness *h = task_open();
	struct harness_request *r;
	char *want;

	(void)state;
	harness_action(h, ACTION_SAVE_ATTACHMENT, NULL);
	harness_key(h, KEYC_ENTER);
	assert_non_null(harness_line(h));
	assert_non_null(strstr(harness_line(h), "invoice.pdf"));
	harness_line_submit(h, "~/got.pdf");
	r = harness_request(h, "GET", "/tasks/1/attachments/31");
	assert_non_null(r);
	want = xasprintf("saving to %s/got.pdf...", home());
	assert_string_equal(harness_notice(h), want);
	free(want);
	harness_reply(h, r, 200, "");
	want = xasprintf("%s/got.pdf", home());
	assert_true(exists(want));
	free(want);
	harness_free(h);
}

/* `:save-attachment N` with N out of range says which exist; an empty
 * path line saves nothing. */
static void
attachment_save__args__bad_number_and_empty_path(void **state)
{
	struct harness *h = task_open();

	(void)state;
	harness_action(h, ACTION_SAVE_ATTACHMENT, "3");
	assert_string_equal(harness_notice(h), "no attachment 3: 1 to 2");
	harness_action(h, ACTION_SAVE_ATTACHMENT, "x");
	assert_string_equal(harness_notice(h), "no attachment x: 1 to 2");
	harness_action(h, ACTION_SAVE_ATTACHMENT, "1");
	assert_non_null(harness_line(h));
	harness_line_submit(h, "");
	assert_string_equal(harness_notice(h), "not saved");
	assert_int_equal(harness_nrequests(h), 0);
	harness_free(h);
}

/* A folder given as the path gets the attachment's safe name inside
 * it: no "../" from the service's file name climbs out. */
static void
attachment_save__args__folder_gets_the_safe_name(void **state)
{
	struct harness *h = task_open();
	struct harness_request *r;
	char *args, *want;

	(void)state;
	args = xasprintf("2 %s", home());
	harness_action(h, ACTION_SAVE_ATTACHMENT, args);
	free(args);
	r = harness_request(h, "GET", "/tasks/1/attachments/32");
	assert_non_null(r);
	assert_non_null(strstr(harness_notice(h), home()));
	assert_null(strstr(harness_notice(h), "/.."));
	assert_null(strstr(harness_notice(h), "/etc/"));
	harness_reply(h, r, 200, "");
	assert_non_null(strstr(harness_notice(h), "saved "));
	want = xasprintf("%s/etc", home());
	assert_false(exists(want)); /* nothing made outside the name */
	free(want);
	harness_free(h);
}

/* A path under a regular file cannot be saved to: said, nothing asked
 * of the service. */
static void
attachment_save__args__path_under_a_file_is_refused(void **state)
{
	struct harness *h = task_open();
	char *file, *args;

	(void)state;
	file = xasprintf("%s/plain", home());
	touch(file);
	args = xasprintf("1 %s/invoice.pdf", file);
	harness_action(h, ACTION_SAVE_ATTACHMENT, args);
	assert_non_null(strstr(harness_notice(h), "not saved: cannot save"));
	assert_null(harness_request(h, "GET", "/tasks/1/attachments"));
	free(args);
	free(file);
	harness_free(h);
}

/* The file appears while the download runs: the answer asks overwrite,
 * keep both or cancel; keep both saves under a new name beside it and
 * leaves the other file alone. */
static void
attachment_save__done__file_appeared_keep_both(void **state)
{
	struct harness *h = task_open();
	struct harness_request *r;
	char *dest, *args;

	(void)state;
	dest = xasprintf("%s/a.pdf", home());
	args = xasprintf("1 %s", dest);
	harness_action(h, ACTION_SAVE_ATTACHMENT, args);
	r = harness_request(h, "GET", "/tasks/1/attachments/31");
	assert_non_null(r);
	touch(dest); /* someone else's file, made meanwhile */
	harness_reply(h, r, 200, "");
	harness_see(h, "already exists.");
	harness_see(h, "keep both");
	harness_key(h, 'k');
	r = harness_request(h, "GET", "/tasks/1/attachments/31");
	assert_non_null(r);
	harness_reply(h, r, 200, "");
	assert_memory_equal(harness_notice(h), "saved ", 6);
	assert_string_not_equal(harness_notice(h) + 6, dest);
	/* beside it, in the same folder */
	assert_memory_equal(harness_notice(h) + 6, home(), strlen(home()));
	assert_null(strchr(harness_notice(h) + 7 + strlen(home()), '/'));
	assert_true(exists(harness_notice(h) + 6));
	assert_true(exists(dest));
	free(args);
	free(dest);
	harness_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(attachment_save__picker__esc_saves_nothing),
		cmocka_unit_test(
		    attachment_save__picker__path_with_tilde_is_home),
		cmocka_unit_test(
		    attachment_save__args__bad_number_and_empty_path),
		cmocka_unit_test(
		    attachment_save__args__folder_gets_the_safe_name),
		cmocka_unit_test(
		    attachment_save__args__path_under_a_file_is_refused),
		cmocka_unit_test(
		    attachment_save__done__file_appeared_keep_both),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
