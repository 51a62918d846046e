/* For unit tests: every descriptor taken, so that no pipe, file or child
 * can be made, then given back. Include after <cmocka.h>. */
#ifndef SITECARE_TESTS_UNIT_TUI_FDS_FULL_H
#define SITECARE_TESTS_UNIT_TUI_FDS_FULL_H

#include <errno.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

/* The descriptors held open, and the limit to put back. */
struct fds_full {
	struct rlimit old;
	int fd[64];
	int n;
};

/* Lowers the limit to 64 descriptors and opens them all. */
__attribute__((unused)) static void
fds_fill(struct fds_full *f)
{
	struct rlimit low;
	int fd;

	assert_int_equal(getrlimit(RLIMIT_NOFILE, &f->old), 0);
	low = f->old;
	low.rlim_cur = 64;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	for (f->n = 0; f->n < 64 && (fd = open("/dev/null", O_RDONLY)) >= 0;)
		f->fd[f->n++] = fd;
	assert_int_equal(errno, EMFILE);
}

/* Closes them and puts the limit back. */
__attribute__((unused)) static void
fds_unfill(struct fds_full *f)
{
	while (f->n > 0)
		close(f->fd[--f->n]);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &f->old), 0);
}

#endif
