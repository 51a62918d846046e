/* Saving a task's attachment: see attachment_save.h. */
#include "views/tasks/attachment_save.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "net/client/download.h"
#include "net/base/filename.h"
#include "net/base/xmalloc.h"
#include "tui/app.h"
#include "tui/ask.h"
#include "net/base/loop.h"
#include "tui/picker.h"
#include "views/shared/task_format.h"

/* Cells of the progress bar in the status line. */
#define BAR_CELLS 20
/* How often a running download is checked for a stall (net/client/download.h).
 */
#define STALL_CHECK_MS 5000

struct attachment_save {
	struct app *app;
	int64_t task_id;
	struct attachment *atts; /* copies of the task's, for the picker */
	size_t n;
	size_t which;        /* the one being saved */
	char *path;          /* where it goes */
	struct download *dl; /* in flight, or NULL */
	struct picker *picker;
	int64_t last_percent; /* of the last progress notice */
	unsigned stall_timer; /* the stall watch while dl runs, or 0 */
};

static void ask_path(struct attachment_save *as);
static void start_download(struct attachment_save *as, unsigned flags);

/* Drops the copied attachments. */
static void
atts_clear(struct attachment_save *as)
{
	size_t i;

	for (i = 0; i < as->n; i++)
		attachment_free(&as->atts[i]);
	free(as->atts);
	as->atts = NULL;
	as->n = 0;
}

/* Stops the stall watch, if it runs. */
static void
stall_watch_stop(struct attachment_save *as)
{
	if (as->stall_timer != 0)
		loop_timer_cancel(as->app->loop, as->stall_timer);
	as->stall_timer = 0;
}

/* Every few seconds while the download runs: a stall ends it, and
 * on_done says so. */
static void
on_stall_check(void *ud)
{
	struct attachment_save *as = ud;

	as->stall_timer = 0;
	if (as->dl == NULL || download_finished(as->dl) ||
	    download_check_stall(as->dl, loop_now_ms()))
		return;
	as->stall_timer =
	    loop_timer_add(as->app->loop, STALL_CHECK_MS, on_stall_check, as);
}

/* The progress bar: "[#####.....] 45% 1.2 MB of 2.6 MB". */
static void
on_progress(struct download *d, int64_t got, int64_t total, void *ud)
{
	struct attachment_save *as = ud;
	char bar[BAR_CELLS + 1], a[32], b[32];
	int64_t pct = total > 0 ? got * 100 / total : -1;
	int i, fill = pct >= 0 ? (int)(pct * BAR_CELLS / 100) : 0;

	(void)d;
	if (pct == as->last_percent)
		return;
	as->last_percent = pct;
	for (i = 0; i < BAR_CELLS; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[BAR_CELLS] = '\0';
	task_format_size(got, a, sizeof a);
	task_format_size(total, b, sizeof b);
	if (pct >= 0)
		app_notice(as->app, false, "saving [%s] %lld%% %s of %s", bar,
		           (long long)pct, a, b);
	else
		app_notice(as->app, false, "saving: %s", a);
}

/* An existing file: overwrite it, keep both, or cancel. */
static void
on_exists_answer(void *ud, key_code k)
{
	struct attachment_save *as = ud;
	char *dir, *slash, *name;

	app_overlay_close(as->app, NULL);
	if (k == 'o') {
		start_download(as, DOWNLOAD_OVERWRITE);
	} else if (k == 'k') {
		slash = strrchr(as->path, '/');
		dir = slash != NULL
		          ? xstrndup(as->path, (size_t)(slash - as->path))
		          : xstrdup(".");
		name = xstrdup(slash != NULL ? slash + 1 : as->path);
		free(as->path);
		as->path = filename_unique(dir[0] ? dir : "/", name);
		free(dir);
		free(name);
		start_download(as, 0);
	} else
		app_notice(as->app, false, "not saved");
}

static void
ask_overwrite(struct attachment_save *as)
{
	static const struct ask_choice choices[] = {
		{ 'o', "overwrite it" },
		{ 'k', "keep both (save under a new name)" },
		{ 'c', "cancel" },
	};
	char *line = xasprintf("%s already exists.", as->path);
	const char *body[] = { line };
	struct ask_spec spec = {
		.title = "The file exists",
		.body = body,
		.nbody = 1,
		.choices = choices,
		.nchoices = 3,
		.enter = 'c',
		.escape = 'c',
		.on_done = on_exists_answer,
		.ud = as,
	};

	app_overlay_open(as->app, &ask_ops, ask_new(&spec));
	free(line);
}

/* The download ended. */
static void
on_done(struct download *d, const char *path, const struct sc_error *err,
        void *ud)
{
	struct attachment_save *as = ud;

	(void)d;
	stall_watch_stop(as);
	if (err->kind == SC_OK)
		app_notice(as->app, false, "saved %s", path);
	else if (err->code != NULL && strcmp(err->code, "file_exists") == 0)
		ask_overwrite(as);
	else
		app_notice(as->app, true, "not saved: %s", err->message);
	app_redraw(as->app);
	/* d is freed on the next start or at the end, not inside its own
	 * callback. */
}

static void
start_download(struct attachment_save *as, unsigned flags)
{
	struct sc_error err = { 0 };
	const struct attachment *a = &as->atts[as->which];

	stall_watch_stop(as);
	download_free(as->dl);
	as->last_percent = -2;
	as->dl = download_start(as->app->api, as->task_id, a->id, as->path,
	                        flags, on_done, as, &err);
	if (as->dl == NULL) {
		if (err.code != NULL && strcmp(err.code, "file_exists") == 0)
			ask_overwrite(as);
		else
			app_notice(as->app, true, "not saved: %s", err.message);
		sc_error_clear(&err);
		return;
	}
	/* The announced size plus slack; a hostile size cannot overflow. */
	download_set_max(as->dl, a->size >= 0 && a->size < DOWNLOAD_MAX_BYTES
	                             ? a->size + 1024
	                             : DOWNLOAD_MAX_BYTES);
	download_on_progress(as->dl, on_progress);
	as->stall_timer =
	    loop_timer_add(as->app->loop, STALL_CHECK_MS, on_stall_check, as);
	app_notice(as->app, false, "saving to %s...", as->path);
}

/* The path line answered: a directory gets the safe name inside it. */
static void
on_path(void *ud, char *text, bool submitted)
{
	struct attachment_save *as = ud;
	struct stat st;
	char *safe;

	if (!submitted || text == NULL || text[0] == '\0') {
		app_notice(as->app, false, "not saved");
		free(text);
		return;
	}
	if (text[0] == '~' && (text[1] == '/' || text[1] == '\0') &&
	    getenv("HOME") != NULL) {
		char *home = xasprintf("%s%s", getenv("HOME"), text + 1);

		free(text);
		text = home;
	}
	free(as->path);
	as->path = text;
	if (stat(text, &st) == 0 && S_ISDIR(st.st_mode)) {
		safe = filename_safe(as->atts[as->which].filename);
		as->path = xasprintf("%s/%s", text, safe);
		free(safe);
		free(text);
	}
	start_download(as, 0);
}

/* Offers the default path on the line, to keep or edit. */
static void
ask_path(struct attachment_save *as)
{
	char *dir = filename_default_dir();
	char *safe = filename_safe(as->atts[as->which].filename);
	char *path = filename_unique(dir, safe);

	app_text_line(as->app, CMDLINE_PATH, "save to: ", false, path, NULL,
	              on_path, as);
	free(path);
	free(safe);
	free(dir);
}

/* The picker's answer: which attachment. */
static void
on_picked(void *ud, bool chosen, long long id)
{
	struct attachment_save *as = ud;

	app_overlay_close(as->app, as->picker);
	as->picker = NULL;
	if (!chosen || id < 0 || (size_t)id >= as->n) {
		app_notice(as->app, false, "not saved");
		return;
	}
	as->which = (size_t)id;
	ask_path(as);
}

/* A picker of the attachments, by safe name and size. */
static void
pick(struct attachment_save *as)
{
	char size[32], *name, *title;
	size_t i;

	title =
	    xasprintf("Save which attachment of #%lld", (long long)as->task_id);
	as->picker = picker_new(title, on_picked, as);
	free(title);
	for (i = 0; i < as->n; i++) {
		name = filename_safe(as->atts[i].filename);
		task_format_size(as->atts[i].size, size, sizeof size);
		picker_add(as->picker, (long long)i, name, size);
		free(name);
	}
	app_overlay_open(as->app, &picker_ops, as->picker);
}

/* `:save-attachment N [PATH]`. */
static void
from_args(struct attachment_save *as, const char *args)
{
	char *end;
	long n = strtol(args, &end, 10);

	if (end == args || n < 1 || (size_t)n > as->n) {
		app_notice(as->app, true, "no attachment %s: 1 to %zu", args,
		           as->n);
		return;
	}
	as->which = (size_t)(n - 1);
	end += strspn(end, " \t");
	if (*end == '\0')
		ask_path(as);
	else
		on_path(as, xstrdup(end), true);
}

void
attachment_save_start(struct attachment_save *as, int64_t task_id,
                      const struct attachment *atts, size_t n, const char *args)
{
	size_t i;

	if (as->dl != NULL && !download_finished(as->dl)) {
		app_notice(as->app, true,
		           "a save is still running: wait for it");
		return;
	}
	if (n == 0) {
		app_notice(as->app, false, "this task has no attachments");
		return;
	}
	atts_clear(as);
	as->task_id = task_id;
	as->atts = xcalloc(n, sizeof *as->atts);
	for (i = 0; i < n; i++) {
		as->atts[i].id = atts[i].id;
		as->atts[i].size = atts[i].size;
		as->atts[i].filename = xstrdup(atts[i].filename);
	}
	as->n = n;
	if (args != NULL)
		from_args(as, args);
	else if (n == 1) {
		as->which = 0;
		ask_path(as);
	} else
		pick(as);
}

struct attachment_save *
attachment_save_new(struct app *app)
{
	struct attachment_save *as = xcalloc(1, sizeof *as);

	as->app = app;
	return as;
}

void
attachment_save_free(struct attachment_save *as)
{
	if (as == NULL)
		return;
	stall_watch_stop(as);
	download_free(as->dl);
	app_overlay_close(as->app, as->picker);
	atts_clear(as);
	free(as->path);
	free(as);
}
