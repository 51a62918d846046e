/* Saving one task attachment to disk, without blocking the loop. */
#ifndef SITECARE_NET_DOWNLOAD_H
#define SITECARE_NET_DOWNLOAD_H

#include <stdint.h>

#include "net/client/api.h"
#include "net/base/error.h"

/* The most bytes a download accepts unless download_set_max says less. */
#define DOWNLOAD_MAX_BYTES ((int64_t)1 << 30)

/* Flags of download_start. */
enum {
	/* The user confirmed replacing an existing file at the path. */
	DOWNLOAD_OVERWRITE = 1u << 0,
};

/*
 * One download streams GET /tasks/{id}/attachments/{aid} (HTTP_STREAM
 * through api_send) into a temporary file next to the destination,
 * ".NAME.part-XXXXXX", created with mode 0600 when the download starts.
 * When the body is complete the file is synced, made 0644 and published
 * under the destination path: without DOWNLOAD_OVERWRITE by link() and
 * unlink(), so a file that appeared there meanwhile is never replaced;
 * with it by rename(). Whatever ends it otherwise (an error, a cancel,
 * download_free) removes the temporary file.
 *
 * The done callback runs exactly once, from inside api_dispatch, unless
 * the download is cancelled first (then never, as with api_cancel). It
 * gets the published path or the error; it may call download_free(d),
 * but not api_free. Disk errors name the path; answers other than 2xx
 * come as net/base/error.h maps them (404 not_found, 403 forbidden, ...).
 */
struct download;

typedef void (*download_cb)(struct download *d, const char *path,
                            const struct sc_error *err, void *ud);
/* Bytes arrived: received so far of total (-1 when not announced). */
typedef void (*download_progress_cb)(struct download *d, int64_t received,
                                     int64_t total, void *ud);

/*
 * Starts saving attachment_id of task_id to dest_path (the file path, not
 * a directory; its directory must exist). Returns NULL with err set when
 * it cannot start: the ids are not positive, dest_path exists and flags
 * lack DOWNLOAD_OVERWRITE (SC_ERR_CONFLICT, code "file_exists"), or the
 * temporary file cannot be created (SC_ERR_LOCAL).
 */
struct download *download_start(struct api *a, int64_t task_id,
                                int64_t attachment_id, const char *dest_path,
                                unsigned flags, download_cb cb, void *ud,
                                struct sc_error *err);

/* Calls cb (with the done callback's ud) as bytes arrive; NULL stops it. */
void download_on_progress(struct download *d, download_progress_cb cb);

/*
 * Refuses bodies over max bytes (SC_ERR_TOO_LARGE), e.g. the announced
 * size plus some slack; capped at DOWNLOAD_MAX_BYTES.
 */
void download_set_max(struct download *d, int64_t max);

/* Bytes received so far, and the announced total (-1 when unknown). */
void download_progress(const struct download *d, int64_t *received,
                       int64_t *total);

/* The destination path as given to download_start. */
const char *download_path(const struct download *d);

/* True once the done callback has run or the download was cancelled. */
bool download_finished(const struct download *d);

/*
 * The stall watch. A stream has no stall timeout of its own (the event
 * stream may idle for good reasons), so the owner calls this now and
 * then with a monotonic now_ms: when no byte has arrived for
 * HTTP_STALL_SECONDS since the download started or last progressed, the
 * download ends with an SC_ERR_NETWORK error through the done callback
 * (its temporary file removed) and this returns true. d may be freed by
 * that callback, so the caller must not touch d after a true.
 */
bool download_check_stall(struct download *d, long long now_ms);

/* Stops the download and removes its temporary file; cb never runs. */
void download_cancel(struct download *d);

/* Cancels d if still running, then frees it. NULL is fine. */
void download_free(struct download *d);

#endif
