/* Unit tests for triage_ask_diff (views/tasks/triage_ask.c): what the
 * conflict box says changed between the version a staff member saw and
 * the service's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "views/tasks/triage_ask.h"

/* Two staff members, as plain refs the diff only reads. */
static const struct staff_ref bob = { .id = 8, .name = "Bob" };
static const struct staff_ref unnamed = { .id = 9, .name = NULL };

/* A task at version, new, normal, titled title, nobody's, no due date. */
static struct task
task_at(int64_t version, const char *title)
{
	struct task t;

	memset(&t, 0, sizeof t);
	t.id = 1;
	t.version = version;
	t.status = TASK_NEW;
	t.priority = PRIORITY_NORMAL;
	t.title = (char *)title;
	return t;
}

/* Checks the diff of was and now is want (NULL-ended). */
static void
assert_diff(const struct task *was, const struct task *now,
            const char *const *want)
{
	size_t i, n;
	char **lines = triage_ask_diff(was, now, &n);

	for (i = 0; i < n; i++) {
		assert_non_null(want[i]);
		assert_string_equal(lines[i], want[i]);
		free(lines[i]);
	}
	assert_null(want[n]);
	free(lines);
}

/* Every field shown that differs gets its line, in a fixed order; a
 * due date set or cleared says so without a date. */
static void
triage_ask__diff__one_line_a_changed_field(void **state)
{
	static const char *const want[] = {
		"status: new -> done",
		"priority: normal -> high",
		"assignee: Bob -> nobody",
		"title: Disk full -> Disk full on web1",
		"due: set -> none",
		NULL,
	};
	struct task was = task_at(3, "Disk full");
	struct task now = task_at(4, "Disk full on web1");
	(void)state;
	was.has_assignee = true;
	was.assignee = (struct staff_ref *)&bob;
	was.has_due_at = true;
	was.due_at = 1796554800;
	now.status = TASK_DONE;
	now.priority = PRIORITY_HIGH;
	assert_diff(&was, &now, want);
}

/* Only the version moved (a field not shown changed): that is said,
 * and an assignee without a name counts as nobody. */
static void
triage_ask__diff__only_the_version_moved(void **state)
{
	static const char *const want[] = { "version: 3 -> 5", NULL };
	struct task was = task_at(3, "same");
	struct task now = task_at(5, "same");
	(void)state;
	now.has_assignee = true;
	now.assignee = (struct staff_ref *)&unnamed;
	assert_diff(&was, &now, want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(triage_ask__diff__one_line_a_changed_field),
		cmocka_unit_test(triage_ask__diff__only_the_version_moved),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
