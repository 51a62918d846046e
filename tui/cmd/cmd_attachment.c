/* `sitecare attachment list|save`: a task's attachments from the shell. */
#include "tui/cmd/cmd_attachment.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "net/client/api.h"
#include "net/base/clock.h"
#include "net/client/download.h"
#include "net/base/filename.h"
#include "net/client/http.h"
#include "net/base/loop.h"
#include "net/base/xmalloc.h"
#include "tui/cmd/cmd.h"
#include "tui/cmd/runloop.h"
#include "tui/sanitize.h"

/* How often the loop wakes to look for a stalled download. */
#define ATT_TICK_MS 1000
/* The least time between two redraws of the progress line. */
#define ATT_DRAW_MS 100
/* Bytes accepted beyond the size the task lists. */
#define ATT_SLACK_BYTES ((int64_t)1 << 20)
/* The width of the progress bar, in cells. */
#define ATT_BAR 30

/* `attachment ...` as the command line gives it. */
struct att_args {
	bool save;
	int64_t task_id;
	int64_t attachment_id;
	const char *path; /* NULL: the default download folder */
	bool force;
};

/*
 * One run: the client, the download once started, the progress line's
 * state and the exit status.
 */
struct att_run {
	struct api *a;
	const struct att_args *args;
	struct download *d;
	struct loop *loop; /* while saving */
	bool stopped;      /* interrupted, or the download stalled */
	bool tty;          /* stderr is a terminal: draw progress */
	bool drawn;        /* a progress line is on screen */
	long long last_draw;
	int64_t received, total; /* as last told, for the closing redraw */
	int rc;
};

/* Reads a positive id; -1 when s is not one. */
static int
parse_id(const char *s, int64_t *out)
{
	long long v = cmd_parse_id(s);

	if (v < 0)
		return -1;
	*out = (int64_t)v;
	return 0;
}

/* Takes the positional argument number pos (0: list or save). */
static int
take_positional(struct att_args *args, int pos, const char *s)
{
	switch (pos) {
	case 0:
		if (strcmp(s, "save") == 0)
			args->save = true;
		else if (strcmp(s, "list") != 0)
			return -1;
		return 0;
	case 1:
		return parse_id(s, &args->task_id);
	case 2:
		return args->save ? parse_id(s, &args->attachment_id) : -1;
	case 3:
		args->path = args->save ? s : NULL;
		return args->save ? 0 : -1;
	default:
		return -1;
	}
}

/* Parses `attachment list TASK_ID` or `attachment save T A [PATH]`. */
static int
parse_args(struct att_args *args, int argc, char **argv)
{
	int i, pos = 0;
	bool dashdash = false;

	memset(args, 0, sizeof *args);
	for (i = 1; i < argc; i++) {
		if (!dashdash && strcmp(argv[i], "--") == 0)
			dashdash = true;
		else if (!dashdash && (strcmp(argv[i], "--force") == 0 ||
		                       strcmp(argv[i], "-f") == 0))
			args->force = true;
		else if ((!dashdash && argv[i][0] == '-' &&
		          argv[i][1] != '\0') ||
		         take_positional(args, pos++, argv[i]) != 0)
			goto bad;
	}
	if (pos < (args->save ? 3 : 2) || (args->force && !args->save))
		goto bad;
	return 0;
bad:
	fputs(CMD_ATTACHMENT_USAGE, stderr);
	return -1;
}

/* ---- list ---------------------------------------------------------- */

/* Prints one line per attachment; server text is escaped first. */
static void
on_list(struct task_detail *det, const struct sc_error *err, void *ud)
{
	struct att_run *run = ud;
	size_t i;

	run->rc = err->kind == SC_OK ? CMD_OK : CMD_FAILED;
	if (err->kind != SC_OK)
		cmd_print_error(err);
	for (i = 0; i < det->nattachments; i++) {
		const struct attachment *at = &det->attachments[i];
		char *type = sanitize_str(at->content_type, 0);
		char *name = sanitize_str(at->filename, 0);

		printf("%" PRId64 "\t%" PRId64 "\t%s\t%s\n", at->id, at->size,
		       type[0] != '\0' ? type : "-", name);
		free(type);
		free(name);
	}
	fflush(stdout);
	task_detail_free(det);
}

/* ---- save: progress ---------------------------------------------- */

/* Redraws "[#####     ]  50%  123 of 246 bytes" on stderr. */
static void
progress_draw(int64_t received, int64_t total)
{
	char bar[ATT_BAR + 1];
	int filled;

	if (total <= 0) {
		fprintf(stderr, "\r%" PRId64 " bytes", received);
		return;
	}
	if (received > total)
		received = total;
	filled = (int)(received * ATT_BAR / total);
	memset(bar, '#', (size_t)filled);
	memset(bar + filled, ' ', (size_t)(ATT_BAR - filled));
	bar[ATT_BAR] = '\0';
	fprintf(stderr, "\r[%s] %3d%%  %" PRId64 " of %" PRId64 " bytes", bar,
	        (int)(received * 100 / total), received, total);
}

/* Ends the progress line, if one is drawn; a finished download shows its
 * last count (without a length, no redraw marks the end, so the line drawn
 * last could be short of what was saved). */
static void
progress_end(struct att_run *run, bool finished)
{
	if (run->drawn && finished)
		progress_draw(run->received, run->total);
	if (run->drawn)
		fputc('\n', stderr);
	run->drawn = false;
}

/* Bytes arrived: redraw at most every ATT_DRAW_MS, and at the end. */
static void
on_progress(struct download *d, int64_t received, int64_t total, void *ud)
{
	struct att_run *run = ud;
	long long now = clock_mono_ms(NULL);

	(void)d;
	run->received = received;
	run->total = total;
	if (!run->tty ||
	    (now - run->last_draw < ATT_DRAW_MS && received != total))
		return;
	progress_draw(received, total);
	fflush(stderr);
	run->drawn = true;
	run->last_draw = now;
}

/* ---- save: the download ------------------------------------------ */

/* Prints why a save failed; an existing file gets the --force hint. */
static void
report(const struct sc_error *err, const char *dest)
{
	char *shown;

	if (err->kind != SC_ERR_CONFLICT || err->code == NULL ||
	    strcmp(err->code, "file_exists") != 0) {
		cmd_print_error(err);
		return;
	}
	shown = sanitize_str(dest, 0);
	fprintf(stderr,
	        "sitecare: %s exists; choose another name or use --force to "
	        "replace it\n",
	        shown);
	free(shown);
}

/* The download ended: print the saved path, or the error. */
static void
on_saved(struct download *d, const char *path, const struct sc_error *err,
         void *ud)
{
	struct att_run *run = ud;

	progress_end(run, err->kind == SC_OK);
	if (err->kind != SC_OK) {
		report(err, download_path(d));
		run->rc = CMD_FAILED;
		return;
	}
	printf("%s\n", path);
	fflush(stdout);
	run->rc = CMD_OK;
}

/* dir/name without a doubled slash. */
static char *
join(const char *dir, const char *name)
{
	size_t n = strlen(dir);

	return xasprintf("%s%s%s", dir, n > 0 && dir[n - 1] == '/' ? "" : "/",
	                 name);
}

/*
 * Where to save: PATH itself, or inside the folder PATH names (or the
 * default download folder, created when missing) under the server's
 * name made safe. NULL (message printed) when no folder is known.
 */
static char *
destination(const struct att_args *args, const char *server_name)
{
	struct stat st;
	char *safe, *dir, *dest;

	if (args->path != NULL &&
	    (stat(args->path, &st) != 0 || !S_ISDIR(st.st_mode)))
		return xstrdup(args->path);
	if (args->path != NULL) {
		dir = xstrdup(args->path);
	} else {
		dir = filename_default_dir();
		if (dir == NULL) {
			fprintf(stderr,
			        "sitecare: no download folder is "
			        "known (no home directory): give PATH\n");
			return NULL;
		}
		if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
			/* download_start names the problem */
		}
	}
	safe = filename_safe(server_name);
	dest = join(dir, safe);
	free(safe);
	free(dir);
	return dest;
}

/* Starts saving the attachment at to dest. */
static void
start(struct att_run *run, const struct attachment *at, const char *dest)
{
	const struct att_args *args = run->args;
	struct sc_error err = { 0 };

	run->d = download_start(run->a, args->task_id, args->attachment_id,
	                        dest, args->force ? DOWNLOAD_OVERWRITE : 0,
	                        on_saved, run, &err);
	if (run->d == NULL) {
		report(&err, dest);
		sc_error_clear(&err);
		run->rc = CMD_FAILED;
		return;
	}
	if (at->size >= 0 && at->size < DOWNLOAD_MAX_BYTES)
		download_set_max(run->d, at->size + ATT_SLACK_BYTES);
	download_on_progress(run->d, on_progress);
}

/* The task arrived: find the attachment, settle the path, download. */
static void
on_detail(struct task_detail *det, const struct sc_error *err, void *ud)
{
	struct att_run *run = ud;
	const struct attachment *at = NULL;
	char *dest;
	size_t i;

	run->rc = CMD_FAILED;
	if (err->kind != SC_OK) {
		cmd_print_error(err);
		return;
	}
	if (run->stopped) { /* Ctrl-C came in the same loop pass */
		task_detail_free(det);
		return;
	}
	for (i = 0; i < det->nattachments && at == NULL; i++)
		if (det->attachments[i].id == run->args->attachment_id)
			at = &det->attachments[i];
	if (at == NULL)
		fprintf(stderr,
		        "sitecare: not found: task %" PRId64
		        " has no attachment %" PRId64 "\n",
		        run->args->task_id, run->args->attachment_id);
	else if ((dest = destination(run->args, at->filename)) != NULL) {
		start(run, at, dest);
		free(dest);
	}
	task_detail_free(det);
}

/* ---- save: the loop ---------------------------------------------- */

/* Ctrl-C or SIGTERM: stop, leaving no partial file behind. */
static void
on_interrupt(int signo, void *ud)
{
	struct att_run *run = ud;

	if (run->d != NULL)
		download_cancel(run->d);
	progress_end(run, false);
	fprintf(stderr, "sitecare: interrupted; nothing was saved\n");
	run->rc = CMD_FAILED;
	run->stopped = true;
}

/* Every ATT_TICK_MS: a stalled download ends the run. */
static void
on_tick(void *ud)
{
	struct att_run *run = ud;

	/* on_saved reports a stall; d stays ours (it frees nothing). */
	if (run->d != NULL && download_check_stall(run->d, clock_mono_ms(NULL)))
		run->stopped = true;
	else
		loop_timer_add(run->loop, ATT_TICK_MS, on_tick, run);
}

static bool
save_done(void *ud)
{
	const struct att_run *run = ud;

	return run->stopped || api_pending(run->a) == 0;
}

/* Runs the calls to the end, watching signals and stalls. */
static int
save_loop(struct att_run *run)
{
	struct loop_source api = api_source(run->a);
	int rc;

	run->loop = loop_new();
	loop_add_source(run->loop, &api);
	/* Without the self-pipe Ctrl-C still ends the command, untidily. */
	loop_signal(run->loop, SIGINT, on_interrupt, run);
	loop_signal(run->loop, SIGTERM, on_interrupt, run);
	loop_timer_add(run->loop, ATT_TICK_MS, on_tick, run);
	rc = loop_run_until(run->loop, save_done, run, -1);
	loop_free(run->loop);
	run->loop = NULL;
	return rc == 0 ? 0 : -1;
}

int
cmd_attachment(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct att_args args;
	struct att_run run = { .rc = CMD_FAILED };
	int loop;

	if (parse_args(&args, argc, argv) != 0)
		return CMD_USAGE;
	run.a = cmd_api_new(ctx);
	if (run.a == NULL)
		return CMD_USAGE;
	run.args = &args;
	run.tty = isatty(STDERR_FILENO) == 1;
	if (args.save) {
		api_task(run.a, args.task_id, on_detail, &run);
		loop = save_loop(&run);
	} else {
		api_task(run.a, args.task_id, on_list, &run);
		loop = runloop_run(run.a);
	}
	if (loop != 0) {
		fprintf(stderr, "sitecare: the event loop failed\n");
		run.rc = CMD_FAILED;
	}
	download_free(run.d);
	api_free(run.a);
	return run.rc;
}
