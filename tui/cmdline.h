/* The one-line editor at the bottom: GNU readline, fed keys, drawn in curses.
 */
#ifndef SITECARE_TUI_CMDLINE_H
#define SITECARE_TUI_CMDLINE_H

#include <stdbool.h>

#include "keymaps/key.h"
#include "net/base/error.h"

/*
 * What a line is for. Each kind has its own history; only COMMAND and
 * SEARCH histories may be saved to disk, since replies and comments are
 * client correspondence and stay in memory.
 */
enum cmdline_kind {
	CMDLINE_COMMAND, /* `:` commands */
	CMDLINE_SEARCH,  /* `/` searches */
	CMDLINE_REPLY,   /* a chat reply */
	CMDLINE_COMMENT, /* a task comment */
	CMDLINE_PATH,    /* where to save a file */
	CMDLINE_KIND_COUNT
};

enum cmdline_result {
	CMDLINE_EDITING,   /* still typing (also: the key was ignored) */
	CMDLINE_SUBMITTED, /* Enter: cmdline_take() has the line */
	CMDLINE_CANCELLED, /* Escape, C-g, C-c, C-d on an empty line; or
	                      no line is open */
	CMDLINE_TO_EDITOR, /* C-x C-e (as in bash): the line closed and
	                      cmdline_take() has its text, to finish in
	                      $EDITOR */
};

/*
 * Candidates for completing line[start..end] (byte offsets; the word
 * breaks at blanks, '=' and ','), as a NULL-terminated malloc'd array of
 * malloc'd strings that the cmdline frees, or NULL for none. A unique
 * candidate ending in '=' or ',' is inserted without the trailing space.
 * command_complete() fits this with a small wrapper.
 */
typedef char **(*cmdline_complete_fn)(void *ud, const char *line, int start,
                                      int end);

/*
 * GNU readline keeps its state in globals, so there is one line editor
 * per process: cmdline_new() aborts if another is alive, and at most one
 * line is open at a time (opening a line replaces the open one). Call
 * setlocale() before cmdline_new(): readline reads the locale then, and
 * UTF-8 input needs a UTF-8 LC_CTYPE. Readline never touches the
 * terminal: keys come in through cmdline_feed(), the text goes out
 * through cmdline_draw(), and its own output goes to /dev/null. The
 * user's ~/.inputrc (or $INPUTRC) is read, under the name "sitecare", by
 * cmdline_new(); readline reports errors in it on stderr, so create the
 * editor before curses starts.
 */
struct cmdline;

struct cmdline *cmdline_new(void);
/* Closes any open line and frees every history. */
void cmdline_free(struct cmdline *cl);

/*
 * Opens a line of kind with prompt (drawn as given, sanitised) and
 * initial text (may be NULL) with the cursor at its end. An open line is
 * cancelled first and its text dropped.
 */
void cmdline_open(struct cmdline *cl, enum cmdline_kind kind,
                  const char *prompt, const char *initial);

/*
 * Draws the open line's prompt in the alert colour (a reply the client
 * will read, say), until the next cmdline_open.
 */
void cmdline_alert(struct cmdline *cl, bool alert);

/* Inserts text (a paste: newlines kept) at the cursor of the open line. */
void cmdline_insert(struct cmdline *cl, const char *text);

/* Cancels the open line, if any (e.g. when its pane goes away). */
void cmdline_close(struct cmdline *cl);

/*
 * Feeds one key to the open line. Emacs editing, history (Up/Down, C-p,
 * C-n, C-r) and Tab completion are readline's; Escape, C-g and C-c cancel
 * (Escape and C-g end a C-r search first, as in bash). A non-empty
 * submitted line joins its kind's history (bounded, no adjacent
 * duplicates).
 */
enum cmdline_result cmdline_feed(struct cmdline *cl, key_code key);

/* The submitted line (caller frees), or NULL; hands it over once. */
char *cmdline_take(struct cmdline *cl);

bool cmdline_active(const struct cmdline *cl);
/* The kind of the open (or last) line. */
enum cmdline_kind cmdline_kind(const struct cmdline *cl);
/* The text typed so far ("" when no line is open), e.g. to ask on quit. */
const char *cmdline_text(const struct cmdline *cl);
/* The byte offset of the cursor in cmdline_text(). */
int cmdline_cursor(const struct cmdline *cl);
/* The candidates readline listed after a second Tab, or NULL. */
const char *cmdline_hint(const struct cmdline *cl);
/* True when the line changed since the last cmdline_draw(). */
bool cmdline_dirty(const struct cmdline *cl);
/* The frame under a closed line was drawn: nothing of the line is owed. */
void cmdline_drawn(struct cmdline *cl);

/*
 * Draws the prompt and the line into row 0 of the curses WINDOW win,
 * width columns wide, scrolled sideways so the cursor stays visible, and
 * leaves win's cursor on it (refresh this window last, with the cursor
 * shown, for the terminal cursor to land there). Control characters
 * show as escapes (^A). Listed completions follow the line, dimmed, when
 * they fit. Draws an empty row when no line is open.
 */
void cmdline_draw(struct cmdline *cl, void *win, int width);

/* Sets the completer of kind's lines (fn NULL: no completion). */
void cmdline_set_completer(struct cmdline *cl, enum cmdline_kind kind,
                           cmdline_complete_fn fn, void *ud);

/*
 * Replaces kind's history with path's lines (oldest first, one entry a
 * line, the last CMDLINE_HISTORY_MAX kept). A missing file is an empty
 * history. REPLY and COMMENT refuse (-1 with err): they never touch disk.
 */
int cmdline_history_load(struct cmdline *cl, enum cmdline_kind kind,
                         const char *path, struct sc_error *err);

/*
 * Writes kind's history to path atomically with mode 0600. REPLY and
 * COMMENT refuse (-1 with err) and write nothing.
 */
int cmdline_history_save(struct cmdline *cl, enum cmdline_kind kind,
                         const char *path, struct sc_error *err);

#define CMDLINE_HISTORY_MAX 1000

#endif
