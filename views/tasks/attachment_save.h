/* Saving a task's attachment to a file, with a progress bar. */
#ifndef SITECARE_VIEWS_ATTACHMENT_SAVE_H
#define SITECARE_VIEWS_ATTACHMENT_SAVE_H

#include <stddef.h>
#include <stdint.h>

#include "net/client/model.h"

struct app;
struct attachment_save;

/*
 * One save at a time: which attachment (a number, or a picker when the
 * task has several), where (the line, prefilled with the default
 * download directory and the server's name made safe: never a path),
 * then the download itself (net/client/download.h) with its progress in the
 * status line. An existing file is never replaced silently: the staff
 * member chooses to overwrite, keep both (a new name) or cancel.
 */
struct attachment_save *attachment_save_new(struct app *app);
/* Cancels a download in flight (its partial file is removed). */
void attachment_save_free(struct attachment_save *as);

/*
 * Starts saving one of task_id's attachments (atts, n; copied as
 * needed). args: NULL, or "N [PATH]" from `:save-attachment`.
 */
void attachment_save_start(struct attachment_save *as, int64_t task_id,
                           const struct attachment *atts, size_t n,
                           const char *args);

#endif
