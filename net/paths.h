/* Where sitecare keeps its files, following the XDG base directories. */
#ifndef SITECARE_NET_PATHS_H
#define SITECARE_NET_PATHS_H

#include "net/error.h"

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
 * Writes len bytes to path atomically: a temporary file in the same
 * directory with the given mode, fsync, rename, then fsync of the
 * directory. Returns 0, or -1 with err set.
 */
int paths_write_atomic(const char *path, const void *data, size_t len,
                       unsigned mode, struct sc_error *err);

#endif
