/* Long text composed in the user's $EDITOR, as `git commit` does. */
#ifndef SITECARE_TUI_EDITOR_H
#define SITECARE_TUI_EDITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "net/base/error.h"

/*
 * One editing session. editor_start() writes a draft file in a private
 * directory of its own (mode 0700, under $XDG_RUNTIME_DIR/sitecare or else
 * the state dir's "drafts"), starts the editor on it and returns at once:
 * the loop keeps running the network while the editor owns the terminal.
 * On SIGCHLD the caller asks editor_done(), which never blocks; once it is
 * true, editor_result() reads and strips the file. editor_free() wipes
 * and removes the draft, and anything the editor left beside it (swap and
 * backup files), because the text may be a private note.
 *
 * The caller owns the terminal around this: it stops reading stdin and
 * calls endwin() before editor_start(), and redraws after editor_done().
 * The editor runs in the caller's process group, so a SIGTSTP or SIGCONT
 * the caller sees while editor_pid() is alive belongs to the editor: the
 * caller must not redraw then.
 */
struct editor;

enum editor_outcome {
	EDITOR_TEXT,      /* *text holds the stripped message */
	EDITOR_CANCELLED, /* empty, unchanged, or the editor exited non-zero */
	EDITOR_FAILED,    /* could not run the editor or read the result */
};

/* The cap editor_result() applies when given 0: enough for a comment. */
#define EDITOR_DEFAULT_MAX (64 * 1024)

/*
 * Writes the draft (mode 0600): initial (may be NULL or empty), a blank
 * line, then help with each line prefixed "# " (help may be NULL), and
 * runs `/bin/sh -c '<editor_command()> "$@"' <cmd> FILE` with the
 * terminal as stdin, stdout and stderr and every signal at its default.
 * Returns NULL with err set when no editor is found, the draft cannot be
 * written or the editor cannot be started.
 */
struct editor *editor_start(const char *initial, const char *help,
                            struct sc_error *err);

/* The editor's process id, for the caller's SIGCHLD bookkeeping. */
pid_t editor_pid(const struct editor *e);

/*
 * Reaps the editor without blocking (waitpid WNOHANG): true once it has
 * exited. Safe to call at any time and any number of times.
 */
bool editor_done(struct editor *e);

/*
 * The outcome once editor_done() is true. Strips like git: lines starting
 * with '#' go, trailing whitespace (CR included) goes from every line,
 * leading and trailing blank lines go and runs of blank lines become one;
 * the text ends without a newline. max_len caps the stripped text in bytes
 * (0: EDITOR_DEFAULT_MAX).
 *   EDITOR_TEXT: *text is the malloc'd message, the caller frees it.
 *   EDITOR_CANCELLED: err says why ("cancelled: the message was empty").
 *   EDITOR_FAILED: err says why. When the message was read but is too
 *     long (SC_ERR_TOO_LARGE) or not valid UTF-8 (SC_ERR_INVALID), *text
 *     still holds it so the caller can reopen the editor on it rather
 *     than lose the work.
 * *text is NULL in every other case; free(*text) is always safe.
 */
enum editor_outcome editor_result(struct editor *e, size_t max_len, char **text,
                                  struct sc_error *err);

/*
 * Ends the session: a running editor gets SIGTERM (SIGKILL if it lingers)
 * and is reaped, then the draft directory is wiped with zeros, emptied
 * and removed. NULL is allowed.
 */
void editor_free(struct editor *e);

/*
 * The command that would run: $VISUAL, else $EDITOR, else the first of
 * sensible-editor, editor, nano, vi found on $PATH (as its full path).
 * Malloc'd; NULL when there is none.
 */
char *editor_command(void);

#endif
