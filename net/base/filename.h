/* Names for files the server sends us: never trusted as paths. */
#ifndef SITECARE_NET_FILENAME_H
#define SITECARE_NET_FILENAME_H

/* The longest name filename_safe returns, in bytes. */
#define FILENAME_MAX_BYTES 200

/*
 * A client uploads an attachment and names it; that name reaches a staff
 * member's disk. filename_safe turns it into one plain file name that is
 * safe to create inside a directory the staff member chose:
 *   - only the last path component counts ('/' and '\\' both separate),
 *     so "../../etc/passwd" is "passwd" and "/etc/shadow" is "shadow";
 *   - C0 and C1 controls, DEL, invalid UTF-8 and the bidi marks,
 *     embeddings, overrides and isolates (U+061C, U+200E-200F,
 *     U+202A-202E, U+2066-2069) and the line and paragraph separators
 *     are dropped, so the name can neither drive a terminal nor disguise
 *     its extension;
 *   - leading dots and spaces go (no hidden files, no "." or ".."), and
 *     trailing ones too;
 *   - it is cut to FILENAME_MAX_BYTES on a character boundary, keeping a
 *     short extension;
 *   - when nothing is left it is "attachment".
 * The result is malloc'd (the caller frees it), valid UTF-8, never empty.
 */
char *filename_safe(const char *server_name);

/*
 * Where downloads go by default, as xdg-user-dir answers: an absolute
 * $XDG_DOWNLOAD_DIR, else XDG_DOWNLOAD_DIR from user-dirs.dirs in
 * $XDG_CONFIG_HOME (or ~/.config) with $HOME expanded, else ~/Downloads.
 * Malloc'd; NULL only when no home directory is known. The directory may
 * not exist.
 */
char *filename_default_dir(void);

/*
 * dir/name when nothing is there yet, else the first free of
 * dir/"stem (1).ext", "(2)"... For offering a default that clashes with
 * nothing (a file may still appear before it is used: downloads never
 * overwrite silently anyway). Malloc'd; NULL when 9999 tries are taken.
 */
char *filename_unique(const char *dir, const char *name);

#endif
