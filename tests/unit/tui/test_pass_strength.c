/* Unit tests for tui/pass_strength.c: weak staff-key passphrases are
 * refused with a reason that never quotes them. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "net/base/secret.h"
#include "tui/pass_strength.h"

#include "fds_full.h"

/* The reason text is refused for, or NULL when it is accepted; text
 * goes into sodium memory first, as typed passphrases do. */
static char *
reason_for(const char *text)
{
	struct sc_error err = { 0 };
	struct secret *s = secret_new(strlen(text) + 1, &err);
	char *why = NULL;
	int rc;

	assert_non_null(s);
	strcpy((char *)secret_open_write(s), text);
	secret_close(s);
	rc = pass_strength_check(s, &why);
	secret_free(s);
	assert_int_equal(rc, why != NULL ? -1 : 0);
	return why;
}

static void
pass_strength__check__weak_refused_with_reason(void **state)
{
	static const struct {
		const char *pass, *why;
	} weak[] = {
		{ "password", "too weak: it fails the dictionary check" },
		{ "12345678", "too simplistic" },
		{ "dragonfly", "based on a dictionary word" },
		{ "abcdefgh", "too weak" },
	};
	size_t i;

	for (i = 0; i < sizeof weak / sizeof weak[0]; i++) {
		char *why = reason_for(weak[i].pass);

		if (why == NULL)
			fail_msg("%s was accepted", weak[i].pass);
		if (strstr(why, weak[i].why) == NULL)
			fail_msg("%s: %s", weak[i].pass, why);
		assert_null(strstr(why, weak[i].pass));
		free(why);
	}
}

static void
pass_strength__check__too_short_in_characters(void **state)
{
	char *why = reason_for("short");

	assert_string_equal(why, "too short: at least 8 characters");
	free(why);
	/* Seven characters of two bytes each: still too short. */
	why = reason_for("\xc3\xa9\xc3\xa0\xc3\xbc\xc3\xb6\xc3\xa7\xc3\xb1"
	                 "\xc3\xb8");
	assert_string_equal(why, "too short: at least 8 characters");
	free(why);
}

static void
pass_strength__check__good_passphrases_pass(void **state)
{
	static const char *const good[] = {
		"tech passphrase 1",
		"correct horse 42",
		"another one 2",
		"Tr0ub4dor&3 plus",
	};
	size_t i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		char *why = reason_for(good[i]);

		if (why != NULL)
			fail_msg("%s refused: %s", good[i], why);
	}
}

/* True when [start, end) of this process holds the reverse of rev: read
 * through /proc/self/mem (no sanitizer sees freed memory read), and the
 * needle kept reversed so that it is not itself in memory. */
static bool
region_has_reversed(int mem, unsigned long start, unsigned long end,
                    const char *rev)
{
	size_t n = strlen(rev), i, k;
	static unsigned char buf[1 << 16];
	ssize_t got;

	for (; start < end; start += sizeof buf - n) {
		got = pread(mem, buf, sizeof buf, (off_t)start);
		if (got < (ssize_t)n)
			return false;
		for (i = 0; i + n <= (size_t)got; i++) {
			for (k = 0; k < n &&
			            buf[i + k] == (unsigned char)rev[n - 1 - k];
			     k++)
				;
			if (k == n)
				return true;
		}
	}
	return false;
}

/* True when any writable mapping of this process (heap, stacks, the
 * libraries' data) of at most 64 MiB holds the reverse of rev. */
static bool
memory_has_reversed(const char *rev)
{
	FILE *maps = fopen("/proc/self/maps", "r");
	int mem = open("/proc/self/mem", O_RDONLY);
	char line[512], perm[5];
	unsigned long a, b;
	bool found = false;

	assert_non_null(maps);
	assert_true(mem >= 0);
	while (!found && fgets(line, sizeof line, maps) != NULL)
		if (sscanf(line, "%lx-%lx %4s", &a, &b, perm) == 3 &&
		    perm[0] == 'r' && perm[1] == 'w' && b - a <= (64ul << 20))
			found = region_has_reversed(mem, a, b, rev);
	fclose(maps);
	close(mem);
	return found;
}

static void
pass_strength__check__no_copy_left_in_this_process(void **state)
{
	/* pwquality lowercases the passphrase, and cracklib keeps such a
	 * copy in its static buffers: checked in a child, none stays here.
	 * The needle is the lowercased tail, kept reversed. */
	char *why = reason_for("QJVUKMLPHZXNBYTRWQ-MIXED-CASE-Secret-42");

	assert_null(why);
	assert_false(memory_has_reversed("24-terces-esac-dexim-"));
}

/* The reason text is refused for while no child can be made. */
static char *
reason_without_child(const char *text)
{
	struct sc_error err = { 0 };
	struct secret *s = secret_new(strlen(text) + 1, &err);
	struct fds_full f;
	char *why = NULL;
	int rc;

	assert_non_null(s);
	strcpy((char *)secret_open_write(s), text);
	secret_close(s);
	fds_fill(&f);
	rc = pass_strength_check(s, &why);
	fds_unfill(&f);
	secret_free(s);
	assert_int_equal(rc, why != NULL ? -1 : 0);
	return why;
}

/* With no descriptor left no child can be made: the check runs in this
 * process. The length still decides first; cracklib, unable to open
 * its dictionary either, refuses: a passphrase is never accepted
 * unchecked, and the reason says why. */
static void
pass_strength__check__no_child_checks_here_and_fails_closed(void **state)
{
	static const char *const strong[] = { "tech passphrase 1", "password" };
	char *why = reason_without_child("short");
	size_t i;

	assert_string_equal(why, "too short: at least 8 characters");
	free(why);
	for (i = 0; i < sizeof strong / sizeof strong[0]; i++) {
		why = reason_without_child(strong[i]);
		assert_non_null(why);
		assert_string_equal(why, "too weak: it fails the dictionary "
		                         "check - error loading dictionary");
		free(why);
	}
	/* Descriptors back: the same passphrase passes, in a child. */
	assert_null(reason_for("tech passphrase 1"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    pass_strength__check__weak_refused_with_reason),
		cmocka_unit_test(pass_strength__check__too_short_in_characters),
		cmocka_unit_test(pass_strength__check__good_passphrases_pass),
		cmocka_unit_test(
		    pass_strength__check__no_copy_left_in_this_process),
		cmocka_unit_test(
		    pass_strength__check__no_child_checks_here_and_fails_closed),
	};

	return cmocka_run_group_tests_name("tui/pass_strength", tests, NULL,
	                                   NULL);
}
