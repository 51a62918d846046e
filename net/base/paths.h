/* Where sitecare keeps its files, following the XDG base directories. */
#ifndef SITECARE_NET_PATHS_H
#define SITECARE_NET_PATHS_H

#include <stdbool.h>
#include <stddef.h>

#include "net/base/error.h"

enum paths_kind {
	PATHS_CONFIG, /* $XDG_CONFIG_HOME/sitecare, ~/.config/sitecare */
	PATHS_STATE,  /* $XDG_STATE_HOME/sitecare, ~/.local/state/sitecare */
	PATHS_DATA,   /* $XDG_DATA_HOME/sitecare, ~/.local/share/sitecare */
};

/*
 * The directory for kind, joined with sub (which may be NULL), created
 * with mode 0700 when missing. Returns a malloc'd path the caller frees,
 * or NULL with err set.
 */
char *paths_dir(enum paths_kind kind, const char *sub, struct sc_error *err);

/*
 * Writes len bytes to path atomically: a new temporary file in the same
 * directory, .<name>.tmp.<pid>.<12 random letters>, created with
 * O_CREAT|O_EXCL|O_NOFOLLOW (so nothing planted at that name, not even a
 * dangling symbolic link, is ever followed or truncated), given mode
 * with fchmod, written, fsynced and renamed onto path, then the
 * directory fsynced. A symbolic link at path itself is replaced, not
 * written through. Returns 0, or -1 with err set ("cannot write PATH:
 * why") and the temporary file removed.
 */
int paths_write_atomic(const char *path, const void *data, size_t len,
                       unsigned mode, struct sc_error *err);

/*
 * Whether name (a directory entry, no slash) is a temporary file of
 * paths_write_atomic, or of earlier versions (<name>.tmp.<pid>); *pid is
 * the process that writes it, so a cleaner can leave the writes of a
 * running process alone.
 */
bool paths_is_temp_name(const char *name, long *pid);

/* What paths_open_private found at a path. */
enum paths_private {
	PATHS_PRIVATE_OK,
	PATHS_PRIVATE_MISSING,     /* nothing there (ENOENT) */
	PATHS_PRIVATE_UNREADABLE,  /* open or fstat failed otherwise */
	PATHS_PRIVATE_NOT_REGULAR, /* a symbolic link, FIFO, directory... */
	PATHS_PRIVATE_NOT_PRIVATE, /* another uid's, or group/other bits */
};

/*
 * The one rule for files only we may have written (the key file,
 * outbox items, drafts): opens path without following a symbolic link,
 * without blocking on a FIFO and without taking a terminal, then
 * refuses anything but a regular file that the effective uid owns and
 * nobody else may read or write. On PATHS_PRIVATE_OK *fd is open for
 * reading (the caller closes it); otherwise err names the file, the
 * reason and the fix ("PATH is readable by others (mode 0644): chmod
 * 600 PATH").
 */
enum paths_private paths_open_private(const char *path, int *fd,
                                      struct sc_error *err);

#endif
