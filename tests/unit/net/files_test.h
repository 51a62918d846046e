/* Helpers shared by the unit tests of the on-disk stores (outbox, drafts):
 * writing a file by hand and counting what a directory holds. Include after
 * <cmocka.h>. */
#ifndef SITECARE_TESTS_FILES_TEST_H
#define SITECARE_TESTS_FILES_TEST_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

/* Writes len bytes of text to dir/name as a plain file, mode 0600 as the
 * stores write theirs (a more open one is refused when read). */
static inline void
put_file(const char *dir, const char *name, const char *text, size_t len)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, len, fp), len);
	assert_int_equal(fchmod(fileno(fp), 0600), 0);
	assert_int_equal(fclose(fp), 0);
}

/* The whole content of path (at most size - 1 bytes), NUL-terminated. */
static inline void
read_back(const char *path, char *buf, size_t size)
{
	FILE *fp = fopen(path, "rb");
	size_t n;

	assert_non_null(fp);
	n = fread(buf, 1, size - 1, fp);
	buf[n] = '\0';
	fclose(fp);
}

/* The mode bits of path (not following a link). */
static inline unsigned
mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	return st.st_mode & 07777;
}

/* How many names dir holds besides . and .. */
static inline int
count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		n += strcmp(de->d_name, ".") != 0 &&
		     strcmp(de->d_name, "..") != 0;
	closedir(d);
	return n;
}

/*
 * A real full disk: mounts a 16 KiB tmpfs on dir and fills it with
 * dir/filler (written to fill, which unlink(fill) frees). False when
 * mounting is not allowed (the caller skips); the caller unmounts with
 * umount2(dir, MNT_DETACH).
 */
static inline bool
fill_tmpfs(const char *dir, char *fill, size_t len)
{
	char block[4096] = { 0 };
	int fd;

	if (mount("tmpfs", dir, "tmpfs", 0, "size=16k,mode=0700") != 0)
		return false;
	snprintf(fill, len, "%s/filler", dir);
	fd = open(fill, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	while (write(fd, block, sizeof block) > 0)
		;
	assert_int_equal(errno, ENOSPC);
	close(fd);
	return true;
}

#endif
