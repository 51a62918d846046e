/*
 * Unit tests for net/client/download.c. The api layer is stubbed at link time
 * (api_send, api_cancel below): a test plays the transport by calling
 * the stream and done callbacks download_start handed over.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "net/client/api.h"
#include "net/base/clock.h"
#include "net/client/download.h"
#include "net/client/http.h"
#include "net/base/xmalloc.h"

/* What the stubbed api saw, and the callbacks to play it back with. */
static struct {
	int sends;
	int cancels;
	char method[8];
	char path[128];
	char header[64];
	http_open_cb on_open;
	http_data_cb on_data;
	api_raw_cb done;
	void *ud;
	struct api_req *req;
} api;

/* A distinct non-NULL handle for the stub's one call. */
static char req_token;

struct api_req *
api_send(struct api *a, const char *method, const char *path,
         const char *json_body, const struct api_opts *opts, api_raw_cb cb,
         void *ud)
{
	(void)a;
	assert_null(json_body);
	api.sends++;
	snprintf(api.method, sizeof api.method, "%s", method);
	snprintf(api.path, sizeof api.path, "%s", path);
	snprintf(api.header, sizeof api.header, "%s",
	         opts->headers != NULL && opts->headers[0] != NULL
	             ? opts->headers[0]
	             : "");
	api.on_open = opts->on_open;
	api.on_data = opts->on_data;
	api.done = cb;
	api.ud = ud;
	api.req = (struct api_req *)&req_token;
	return api.req;
}

void
api_cancel(struct api *a, struct api_req *r)
{
	(void)a;
	if (r == NULL)
		return;
	assert_ptr_equal(r, api.req);
	api.cancels++;
	api.req = NULL;
}

/* What the owner's callbacks saw. */
struct seen {
	int done;
	char path[512];
	enum sc_error_kind kind;
	char message[512];
	char code[32];
	int progress;
	int64_t received;
	int64_t total;
	bool free_in_done;
	bool free_in_progress;
};

static void
on_done(struct download *d, const char *path, const struct sc_error *err,
        void *ud)
{
	struct seen *s = ud;

	s->done++;
	snprintf(s->path, sizeof s->path, "%s", path != NULL ? path : "");
	s->kind = err->kind;
	snprintf(s->message, sizeof s->message, "%s",
	         err->message != NULL ? err->message : "");
	snprintf(s->code, sizeof s->code, "%s",
	         err->code != NULL ? err->code : "");
	assert_true(download_finished(d));
	if (s->free_in_done)
		download_free(d);
}

static void
on_progress(struct download *d, int64_t received, int64_t total, void *ud)
{
	struct seen *s = ud;

	s->progress++;
	s->received = received;
	s->total = total;
	if (s->free_in_progress)
		download_free(d);
}

/* A fresh test directory, and the stub reset. */
static int
setup(void **state)
{
	char *dir = xstrdup("/tmp/sitecare-test-download-XXXXXX");

	assert_non_null(mkdtemp(dir));
	memset(&api, 0, sizeof api);
	*state = dir;
	return 0;
}

/* Removes every file in the test directory, then the directory. */
static int
teardown(void **state)
{
	char *dir = *state;
	DIR *dh = opendir(dir);
	struct dirent *e;

	while (dh != NULL && (e = readdir(dh)) != NULL) {
		char *p;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		if (unlink(p) != 0)
			rmdir(p); /* a folder a test put in the way */
		free(p);
	}
	if (dh != NULL)
		closedir(dh);
	chmod(dir, 0700);
	rmdir(dir);
	free(dir);
	return 0;
}

/* How many names in dir start with prefix. */
static int
count_prefixed(const char *dir, const char *prefix)
{
	DIR *dh = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(dh);
	while ((e = readdir(dh)) != NULL)
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
			n++;
	closedir(dh);
	return n;
}

/* Writes text to path. */
static void
put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Asserts that path holds exactly want. */
static void
assert_file(const char *path, const char *want)
{
	char buf[256];
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	assert_string_equal(buf, want);
}

/* Plays a 200 answer's headers with the given Content-Length. */
static void
play_open(long long content_length)
{
	struct http_response resp = { .status = 200,
		                      .content_length = content_length };

	api.on_open(&resp, api.ud);
}

/* Plays the end of the call with err (SC_OK: success). */
static void
play_done(const struct sc_error *err)
{
	struct http_response resp = { .status = err->http_status != 0
		                                    ? err->http_status
		                                    : 200,
		                      .content_length = -1 };

	api.req = NULL;
	api.done(&resp, err, api.ud);
}

static void
download__done__publishes_the_bytes(void **state)
{
	char *dir = *state, *dest = xasprintf("%s/report.pdf", dir);
	struct sc_error err = { 0 }, ok = { 0 };
	struct seen s = { 0 };
	struct download *d;
	struct stat st;

	d = download_start(NULL, 5, 9, dest, 0, on_done, &s, &err);
	assert_non_null(d);
	download_on_progress(d, on_progress);
	assert_int_equal(api.sends, 1);
	assert_string_equal(api.method, "GET");
	assert_string_equal(api.path, "/tasks/5/attachments/9");
	assert_string_equal(api.header, "Accept-Encoding: identity");
	assert_int_equal(count_prefixed(dir, ".report.pdf.part-"), 1);
	play_open(11);
	api.on_data("hello ", 6, api.ud);
	api.on_data("world", 5, api.ud);
	assert_int_equal(s.progress, 2);
	assert_int_equal(s.received, 11);
	assert_int_equal(s.total, 11);
	assert_int_equal(stat(dest, &st), -1); /* nothing until published */
	play_done(&ok);
	assert_int_equal(s.done, 1);
	assert_int_equal(s.kind, SC_OK);
	assert_string_equal(s.path, dest);
	assert_file(dest, "hello world");
	assert_int_equal(stat(dest, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	assert_int_equal(count_prefixed(dir, ".report.pdf.part-"), 0);
	download_free(d);
	assert_int_equal(api.cancels, 0);
	free(dest);
}

static void
download__start__temp_file_is_private(void **state)
{
	char *dir = *state, *dest = xasprintf("%s/a.txt", dir);
	struct sc_error err = { 0 };
	struct seen s = { 0 };
	struct download *d =
	    download_start(NULL, 1, 1, dest, 0, on_done, &s, &err);
	DIR *dh = opendir(dir);
	struct dirent *e;
	int found = 0;

	assert_non_null(d);
	while ((e = readdir(dh)) != NULL) {
		char *p;
		struct stat st;

		if (strncmp(e->d_name, ".a.txt.part-", 12) != 0)
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		assert_int_equal(stat(p, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0600);
		free(p);
		found++;
	}
	closedir(dh);
	assert_int_equal(found, 1);
	download_free(d);
	assert_int_equal(api.cancels, 1);
	assert_int_equal(count_prefixed(dir, ".a.txt.part-"), 0);
	assert_int_equal(s.done, 0);
	free(dest);
}

static void
download__start__existing_file_refused(void **state)
{
	char *dir = *state, *dest = xasprintf("%s/passwd", dir);
	struct sc_error err = { 0 };
	struct seen s = { 0 };

	put_file(dest, "precious");
	assert_null(download_start(NULL, 1, 2, dest, 0, on_done, &s, &err));
	assert_int_equal(err.kind, SC_ERR_CONFLICT);
	assert_string_equal(err.code, "file_exists");
	assert_non_null(strstr(err.message, dest));
	assert_non_null(strstr(err.message, "exists; choose another name or "
	                                    "confirm overwrite"));
	assert_int_equal(api.sends, 0);
	assert_int_equal(count_prefixed(dir, ".passwd"), 0);
	assert_file(dest, "precious");
	sc_error_clear(&err);
	free(dest);
}

static void
download__start__dangling_symlink_counts_as_existing(void **state)
{
	char *dir = *state, *dest = xasprintf("%s/link", dir);
	struct sc_error err = { 0 };
	struct seen s = { 0 };

	assert_int_equal(symlink("/nonexistent/sitecare", dest), 0);
	assert_null(download_start(NULL, 1, 2, dest, 0, on_done, &s, &err));
	assert_int_equal(err.kind, SC_ERR_CONFLICT);
	sc_error_clear(&err);
	free(dest);
}

static void
download__start__missing_folder_named(void **state)
{
	char *dir = *state, *dest = xasprintf("%s/no/such/x.txt", dir);
	struct sc_error err = { 0 };
	struct seen s = { 0 };

	assert_null(download_start(NULL, 1, 2, dest, 0, on_done, &s, &err));
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	assert_non_null(strstr(err.message, dest));
	assert_non_null(strstr(err.message, "the folder does not exist"));
	assert_int_equal(api.sends, 0);
	sc_error_clear(&err);
	free(dest);
}

static void
download__start__folder_as_destination_refused(void **state)
{
	char *dir = *state;
	struct sc_error err = { 0 };
	struct seen s = { 0 };

	assert_null(download_start(NULL, 1, 2, dir, DOWNLOAD_OVERWRITE, on_done,
	                           &s, &err));
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	assert_non_null(strstr(err.message, "it is a folder"));
	sc_error_clear(&err);
}

static void
download__start__bad_ids_refused(void **state)
{
	char *dir = *state, *dest = xasprintf("%s/x", dir);
	struct sc_error err = { 0 };
	struct seen s = { 0 };

	assert_null(download_start(NULL, 0, 2, dest, 0, on_done, &s, &err));
	assert_int_equal(err.kind, SC_ERR_INVALID);
	assert_null(download_start(NULL, 1, -2, dest, 0, on_done, &s, &err));
	assert_int_equal(err.kind, SC_ERR_INVALID);
	assert_null(download_start(NULL, 1, 2, "", 0, on_done, &s, &err));
	assert_int_equal(err.kind, SC_ERR_INVALID);
	assert_int_equal(api.sends, 0);
	sc_error_clear(&err);
	free(dest);
}

/* In a child (as nobody when root, who writes anywhere): 0 when
 * download_start refuses dest with a permission error naming it. */
static int
unwritable_child(const char *dest)
{
	struct sc_error err = { 0 };
	struct seen s = { 0 };

	if (geteuid() == 0 && setuid(65534) != 0)
		return 3;
	if (download_start(NULL, 1, 2, dest, 0, on_done, &s, &err) != NULL)
		return 1;
	return err.kind == SC_ERR_LOCAL && strstr(err.message, dest) != NULL &&
	               strstr(err.message, "permission denied") != NULL
	           ? 0
	           : 2;
}

static void
download__start__unwritable_folder_named(void **state)
{
	char *dir = *state, *dest = xasprintf("%s/x.txt", dir);
	int status = -1;
	pid_t pid;

	assert_int_equal(chmod(dir, 0500), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(unwritable_child(dest));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(api.sends, 0);
	free(dest);
}

static void
download__done__file_that_appeared_meanwhile_kept(void **state)
{
	char *dir = *state, *dest = xasprintf("%s/race.txt", dir);
	struct sc_error err = { 0 }, ok = { 0 };
	struct seen s = { 0 };
	struct download *d;

	d = download_start(NULL, 1, 2, dest, 0, on_done, &s, &err);
	assert_non_null(d);
	play_open(-1);
	api.on_data("server bytes", 12, api.ud);
	put_file(dest, "mine");
	play_done(&ok);
	assert_int_equal(s.done, 1);
	assert_int_equal(s.kind, SC_ERR_CONFLICT);
	assert_string_equal(s.code, "file_exists");
	assert_string_equal(s.path, "");
	assert_file(dest, "mine");
	assert_int_equal(count_prefixed(dir, ".race.txt.part-"), 0);
	download_free(d);
	free(dest);
}

static void
download__done__overwrite_replaces_when_confirmed(void **state)
{
	char *dir = *state, *dest = xasprintf("%s/over.txt", dir);
	struct sc_error err = { 0 }, ok = { 0 };
	struct seen s = { 0 };
	struct download *d;

	put_file(dest, "old contents");
	d = download_start(NULL, 1, 2, dest, DOWNLOAD_OVERWRITE, on_done, &s,
	                   &err);
	assert_non_null(d);
	assert_file(dest, "old contents"); /* untouched while downloading */
	play_open(3);
	api.on_data("new", 3, api.ud);
	play_done(&ok);
	assert_int_equal(s.kind, SC_OK);
	assert_file(dest, "new");
	assert_int_equal(count_prefixed(dir, ".over.txt.part-"), 0);
	download_free(d);
	free(dest);
}

static void
download__done__http_error_passed_on_and_temp_removed(void **state)
{
	char *dir = *state, *dest = xasprintf("%s/gone.txt", dir);
	struct sc_error err = { 0 }, nf = { 0 };
	struct seen s = { 0 };
	struct download *d;
	static const char body[] =
	    "{\"error\": {\"code\": \"not_found\", \"message\": \"No such "
	    "attachment.\"}}";

	d = download_start(NULL, 1, 99, dest, 0, on_done, &s, &err);
	assert_non_null(d);
	sc_error_from_http(&nf, 404, body, strlen(body));
	play_done(&nf);
	assert_int_equal(s.done, 1);
	assert_int_equal(s.kind, SC_ERR_NOT_FOUND);
	assert_string_equal(s.message, "No such attachment.");
	assert_int_equal(count_prefixed(dir, "."), 2); /* "." and ".." */
	assert_int_equal(count_prefixed(dir, "gone"), 0);
	download_free(d);
	sc_error_clear(&nf);
	free(dest);
}

static void
download__data__over_the_cap_stops(void **state)
{
	char *dir = *state, *dest = xasprintf("%s/big.bin", dir);
	struct sc_error err = { 0 };
	struct seen s = { 0 };
	struct download *d;

	d = download_start(NULL, 1, 2, dest, 0, on_done, &s, &err);
	assert_non_null(d);
	download_set_max(d, 10);
	play_open(-1);
	api.on_data("0123456789", 10, api.ud);
	assert_int_equal(s.done, 0);
	api.on_data("x", 1, api.ud);
	assert_int_equal(api.cancels, 1);
	assert_int_equal(s.done, 1);
	assert_int_equal(s.kind, SC_ERR_TOO_LARGE);
	assert_int_equal(count_prefixed(dir, ".big.bin.part-"), 0);
	download_free(d);
	assert_int_equal(api.cancels, 1); /* not twice */
	assert_int_equal(s.done, 1);
	free(dest);
}

static void
download__open__announced_size_over_the_cap_stops(void **state)
{
	char *dir = *state, *dest = xasprintf("%s/huge.bin", dir);
	struct sc_error err = { 0 };
	struct seen s = { 0 };
	struct download *d;

	d = download_start(NULL, 1, 2, dest, 0, on_done, &s, &err);
	assert_non_null(d);
	play_open((long long)DOWNLOAD_MAX_BYTES + 1);
	assert_int_equal(api.cancels, 1);
	assert_int_equal(s.done, 1);
	assert_int_equal(s.kind, SC_ERR_TOO_LARGE);
	assert_int_equal(count_prefixed(dir, ".huge.bin.part-"), 0);
	download_free(d);
	free(dest);
}

static void
download__data__disk_error_names_the_path(void **state)
{
	char *dir = *state, *dest = xasprintf("%s/full.bin", dir);
	struct sc_error err = { 0 };
	struct seen s = { 0 };
	struct download *d;
	struct rlimit old, small;

	d = download_start(NULL, 1, 2, dest, 0, on_done, &s, &err);
	assert_non_null(d);
	play_open(-1);
	/* A file size limit makes write() fail as a full disk would. */
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	small = old;
	small.rlim_cur = 4;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	api.on_data("0123456789", 10, api.ud);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	assert_int_equal(api.cancels, 1);
	assert_int_equal(s.done, 1);
	assert_int_equal(s.kind, SC_ERR_LOCAL);
	assert_non_null(strstr(s.message, dest));
	assert_true(strncmp(s.message, "cannot save ", 12) == 0);
	assert_int_equal(count_prefixed(dir, ".full.bin.part-"), 0);
	download_free(d);
	free(dest);
}

static void
download__cancel__removes_temp_and_never_calls_back(void **state)
{
	char *dir = *state, *dest = xasprintf("%s/c.txt", dir);
	struct sc_error err = { 0 };
	struct seen s = { 0 };
	struct download *d;
	int64_t received = -5, total = -5;

	d = download_start(NULL, 1, 2, dest, 0, on_done, &s, &err);
	assert_non_null(d);
	play_open(100);
	api.on_data("abc", 3, api.ud);
	download_progress(d, &received, &total);
	assert_int_equal(received, 3);
	assert_int_equal(total, 100);
	assert_string_equal(download_path(d), dest);
	assert_false(download_finished(d));
	download_cancel(d);
	assert_true(download_finished(d));
	assert_int_equal(api.cancels, 1);
	assert_int_equal(count_prefixed(dir, ".c.txt.part-"), 0);
	download_cancel(d); /* twice is harmless */
	download_free(d);
	assert_int_equal(api.cancels, 1);
	assert_int_equal(s.done, 0);
	free(dest);
}

static void
download__free__inside_callbacks_is_safe(void **state)
{
	char *dir = *state, *dest = xasprintf("%s/f.txt", dir);
	struct sc_error err = { 0 }, ok = { 0 };
	struct seen s = { .free_in_done = true };
	struct download *d;

	d = download_start(NULL, 1, 2, dest, 0, on_done, &s, &err);
	assert_non_null(d);
	play_open(2);
	api.on_data("ok", 2, api.ud);
	play_done(&ok); /* frees d */
	assert_int_equal(s.done, 1);
	assert_file(dest, "ok");
	unlink(dest);

	memset(&s, 0, sizeof s);
	s.free_in_progress = true;
	d = download_start(NULL, 1, 2, dest, 0, on_done, &s, &err);
	assert_non_null(d);
	download_on_progress(d, on_progress);
	play_open(4);
	api.on_data("ab", 2, api.ud); /* frees d, cancels the call */
	assert_int_equal(s.progress, 1);
	assert_int_equal(api.cancels, 1);
	assert_int_equal(s.done, 0);
	assert_int_equal(count_prefixed(dir, ".f.txt.part-"), 0);
	free(dest);
}

static void
download__start__long_name_temp_fits(void **state)
{
	char *dir = *state, name[256], *dest;
	struct sc_error err = { 0 }, ok = { 0 };
	struct seen s = { 0 };
	struct download *d;

	memset(name, 'n', 250); /* ".NAME.part-XXXXXX" would pass NAME_MAX */
	name[250] = '\0';
	dest = xasprintf("%s/%s", dir, name);
	d = download_start(NULL, 1, 2, dest, 0, on_done, &s, &err);
	assert_non_null(d);
	play_open(1);
	api.on_data("z", 1, api.ud);
	play_done(&ok);
	assert_int_equal(s.kind, SC_OK);
	assert_file(dest, "z");
	download_free(d);
	free(dest);
}

/* The stall watch: 30 s without a byte ends the download, with reason. */
static void
download__stall__no_bytes_for_30s_ends_it(void **state)
{
	char *dir = *state, *dest = xasprintf("%s/big.iso", dir);
	struct sc_error err = { 0 };
	struct seen s = { 0 };
	long long t0 = clock_mono_ms(NULL), stall = HTTP_STALL_SECONDS * 1000L;
	struct download *d;

	d = download_start(NULL, 3, 4, dest, 0, on_done, &s, &err);
	assert_non_null(d);
	play_open(100);
	assert_false(download_check_stall(d, t0 + stall - 1000));
	assert_int_equal(s.done, 0);
	assert_true(download_check_stall(d, t0 + stall + 1000));
	assert_int_equal(s.done, 1);
	assert_int_equal(s.kind, SC_ERR_NETWORK);
	assert_non_null(strstr(s.message, "nothing arrived for 30 s"));
	assert_non_null(strstr(s.message, "nothing was saved"));
	assert_string_equal(s.path, "");
	assert_int_equal(api.cancels, 1);
	assert_int_equal(count_prefixed(dir, ".big.iso.part-"), 0);
	assert_true(download_finished(d));
	/* Once ended, the watch says nothing more. */
	assert_false(download_check_stall(d, t0 + 10 * stall));
	assert_int_equal(s.done, 1);
	download_free(d);
	free(dest);
}

/* Bytes arriving restart the watch; a slow but moving download lives. */
static void
download__stall__progress_restarts_the_watch(void **state)
{
	char *dir = *state, *dest = xasprintf("%s/slow.bin", dir);
	struct sc_error err = { 0 }, ok = { 0 };
	struct seen s = { 0 };
	long long t = clock_mono_ms(NULL), stall = HTTP_STALL_SECONDS * 1000L;
	struct download *d;
	int i;

	d = download_start(NULL, 3, 4, dest, 0, on_done, &s, &err);
	assert_non_null(d);
	play_open(3);
	for (i = 0; i < 3; i++) {
		t += stall - 1000;
		api.on_data("x", 1, api.ud);
		assert_false(download_check_stall(d, t));
	}
	assert_false(download_check_stall(d, t + stall - 1));
	assert_int_equal(s.done, 0);
	play_done(&ok);
	assert_int_equal(s.kind, SC_OK);
	assert_file(dest, "xxx");
	assert_false(download_check_stall(d, t + 10 * stall));
	assert_int_equal(s.done, 1);
	download_free(d);
	free(dest);
}

/* The done callback may free the download when a stall ends it. */
static void
download__stall__free_in_done_is_safe(void **state)
{
	char *dir = *state, *dest = xasprintf("%s/gone.txt", dir);
	struct sc_error err = { 0 };
	struct seen s = { .free_in_done = true };
	struct download *d;

	d = download_start(NULL, 3, 4, dest, 0, on_done, &s, &err);
	assert_non_null(d);
	assert_true(download_check_stall(
	    d, clock_mono_ms(NULL) + HTTP_STALL_SECONDS * 1000L + 1));
	assert_int_equal(s.done, 1);
	assert_int_equal(count_prefixed(dir, ".gone.txt.part-"), 0);
	free(dest);
}

/* Plays a whole successful answer of body. */
static void
play_body(const char *body)
{
	struct sc_error ok = { 0 };

	play_open((long long)strlen(body));
	api.on_data(body, strlen(body), api.ud);
	if (api.req != NULL)
		play_done(&ok);
}

static void
download__done__name_too_long_for_the_disk_said(void **state)
{
	char *dir = *state, name[301], *dest;
	struct sc_error err = { 0 };
	struct seen s = { 0 };
	struct download *d;

	memset(name, 'n', 300); /* the temp name is cut to fit, dest is not */
	name[300] = '\0';
	dest = xasprintf("%s/%s", dir, name);
	d = download_start(NULL, 1, 2, dest, 0, on_done, &s, &err);
	assert_non_null(d);
	play_body("z");
	assert_int_equal(s.done, 1);
	assert_int_equal(s.kind, SC_ERR_LOCAL);
	assert_true(strncmp(s.message, "cannot save ", 12) == 0);
	assert_non_null(strstr(s.message, strerror(ENAMETOOLONG)));
	assert_string_equal(s.path, "");
	assert_int_equal(count_prefixed(dir, ".n"), 0);
	download_free(d);
	free(dest);
}

static void
download__done__overwrite_onto_a_folder_keeps_it(void **state)
{
	char *dir = *state, *dest = xasprintf("%s/over.txt", dir);
	char *inner = xasprintf("%s/inner", dest);
	struct sc_error err = { 0 };
	struct seen s = { 0 };
	struct download *d;
	struct stat st;

	put_file(dest, "old");
	d = download_start(NULL, 1, 2, dest, DOWNLOAD_OVERWRITE, on_done, &s,
	                   &err);
	assert_non_null(d);
	/* The file became a folder with something in it meanwhile. */
	assert_int_equal(unlink(dest), 0);
	assert_int_equal(mkdir(dest, 0700), 0);
	put_file(inner, "kept");
	play_body("new");
	assert_int_equal(s.kind, SC_ERR_LOCAL);
	assert_non_null(strstr(s.message, dest));
	assert_int_equal(stat(dest, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_file(inner, "kept");
	assert_int_equal(count_prefixed(dir, ".over.txt.part-"), 0);
	download_free(d);
	unlink(inner);
	rmdir(dest);
	free(inner);
	free(dest);
}

static void
download__done__plain_name_saves_in_the_current_folder(void **state)
{
	char *dir = *state, *path = xasprintf("%s/plain.txt", dir);
	char here[512];
	struct sc_error err = { 0 };
	struct seen s = { 0 };
	struct download *d;

	assert_non_null(getcwd(here, sizeof here));
	assert_int_equal(chdir(dir), 0);
	d = download_start(NULL, 1, 2, "plain.txt", 0, on_done, &s, &err);
	assert_non_null(d);
	assert_int_equal(count_prefixed(".", ".plain.txt.part-"), 1);
	play_body("here");
	assert_int_equal(chdir(here), 0);
	assert_int_equal(s.kind, SC_OK);
	assert_string_equal(s.path, "plain.txt");
	assert_file(path, "here");
	download_free(d);
	free(path);
}

/* A 4 KiB tmpfs on dir, read-only when ro; false when mounting is not
 * allowed here (the test then skips). */
static bool
small_disk(const char *dir, bool ro)
{
	return mount("tmpfs", dir, "tmpfs", ro ? MS_RDONLY : 0,
	             "size=4k,mode=0700") == 0;
}

static void
download__data__full_disk_said_in_plain_words(void **state)
{
	char *dir = *state, *dest = xasprintf("%s/big.bin", dir);
	static char body[16384];
	struct sc_error err = { 0 };
	struct seen s = { 0 };
	struct download *d;

	if (!small_disk(dir, false)) {
		free(dest);
		skip();
	}
	d = download_start(NULL, 1, 2, dest, 0, on_done, &s, &err);
	assert_non_null(d);
	play_open((long long)sizeof body);
	api.on_data(body, sizeof body, api.ud);
	assert_int_equal(s.done, 1);
	assert_int_equal(api.cancels, 1);
	assert_int_equal(s.kind, SC_ERR_LOCAL);
	assert_non_null(strstr(s.message, "no space left on the device"));
	assert_int_equal(count_prefixed(dir, ".big.bin.part-"), 0);
	download_free(d);
	assert_int_equal(umount2(dir, MNT_DETACH), 0);
	free(dest);
}

static void
download__start__read_only_disk_said_in_plain_words(void **state)
{
	char *dir = *state, *dest = xasprintf("%s/x.txt", dir);
	struct sc_error err = { 0 };
	struct seen s = { 0 };

	if (!small_disk(dir, true)) {
		free(dest);
		skip();
	}
	assert_null(download_start(NULL, 1, 2, dest, 0, on_done, &s, &err));
	assert_int_equal(umount2(dir, MNT_DETACH), 0);
	assert_int_equal(err.kind, SC_ERR_LOCAL);
	assert_non_null(strstr(err.message, dest));
	assert_non_null(strstr(err.message, "the file system is read-only"));
	assert_int_equal(api.sends, 0);
	sc_error_clear(&err);
	free(dest);
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(download__done__publishes_the_bytes),
		T(download__start__temp_file_is_private),
		T(download__start__existing_file_refused),
		T(download__start__dangling_symlink_counts_as_existing),
		T(download__start__missing_folder_named),
		T(download__start__folder_as_destination_refused),
		T(download__start__bad_ids_refused),
		T(download__start__unwritable_folder_named),
		T(download__done__file_that_appeared_meanwhile_kept),
		T(download__done__overwrite_replaces_when_confirmed),
		T(download__done__http_error_passed_on_and_temp_removed),
		T(download__data__over_the_cap_stops),
		T(download__open__announced_size_over_the_cap_stops),
		T(download__data__disk_error_names_the_path),
		T(download__cancel__removes_temp_and_never_calls_back),
		T(download__free__inside_callbacks_is_safe),
		T(download__start__long_name_temp_fits),
		T(download__stall__no_bytes_for_30s_ends_it),
		T(download__stall__progress_restarts_the_watch),
		T(download__stall__free_in_done_is_safe),
		T(download__done__name_too_long_for_the_disk_said),
		T(download__done__overwrite_onto_a_folder_keeps_it),
		T(download__done__plain_name_saves_in_the_current_folder),
		T(download__data__full_disk_said_in_plain_words),
		T(download__start__read_only_disk_said_in_plain_words),
	};
#undef T

	return cmocka_run_group_tests_name("net/download", tests, NULL, NULL);
}
