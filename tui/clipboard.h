/* The clipboard for revealed secrets: OSC 52 or a local tool, and an end. */
#ifndef SITECARE_TUI_CLIPBOARD_H
#define SITECARE_TUI_CLIPBOARD_H

#include <stdbool.h>
#include <stddef.h>

#include "net/base/error.h"

struct loop;

/*
 * A copy of a password has a lifetime. Over SSH (or without a desktop
 * tool) it goes by OSC 52 to the staff member's own terminal, which
 * cannot be read back: when the time is up a placeholder overwrites it
 * (tmux ignores an empty OSC 52, so a single space). On a local desktop
 * it goes to wl-copy, xclip or xsel; when the time is up the clipboard is
 * read back and cleared only if it still holds the password (compared by
 * keyed BLAKE2b hash, so the password itself is not kept). The bytes'
 * base64 and what is read back live only in sodium memory. Children are
 * never waited for in the loop: pipes are read from it, exits reaped by
 * a 100 ms timer (waitpid WNOHANG), every tool has a deadline.
 *
 * Inside tmux, set-clipboard decides (clipboard_plan): on, tmux takes a
 * plain OSC 52, passes it to the terminal and keeps it as a paste buffer,
 * which the end deletes (tui/tmux_buffer.h); external or off, tmux drops
 * a plain OSC 52 and only its DCS passthrough reaches the terminal, if
 * allow-passthrough is on; else a copy is refused, since it would reach
 * nothing. tmux is asked at start and again by clipboard_ask, without
 * waiting; until it answers (or when it cannot) both forms are sent.
 *
 * The route is chosen once, by clipboard_new: a local tool when not over
 * SSH (SSH_TTY, SSH_CONNECTION unset) and WAYLAND_DISPLAY with wl-copy,
 * or DISPLAY with xclip or xsel, is there; OSC 52 otherwise.
 */
struct clipboard;

/* What a copy did, for the status line. */
enum clipboard_route {
	CLIPBOARD_OSC52, /* terminal escape: works over SSH */
	CLIPBOARD_LOCAL, /* wl-copy / xclip / xsel */
};

/* What a copy would do, from the route and what tmux said. */
enum clipboard_plan {
	CLIPBOARD_PLAN_LOCAL,       /* wl-copy / xclip / xsel */
	CLIPBOARD_PLAN_TERMINAL,    /* OSC 52 to the terminal (no tmux) */
	CLIPBOARD_PLAN_TMUX_BUFFER, /* set-clipboard on: a tmux paste
	                               buffer, passed on to the terminal */
	CLIPBOARD_PLAN_PASSTHROUGH, /* tmux's DCS passthrough */
	CLIPBOARD_PLAN_UNKNOWN,     /* tmux has not said: both forms */
	CLIPBOARD_PLAN_BLOCKED,     /* tmux would drop it: refused */
};

/* How a copy's lifetime ended. */
enum clipboard_end {
	CLIPBOARD_CLEARED,     /* the local clipboard still held it: emptied */
	CLIPBOARD_OVERWRITTEN, /* OSC 52: the placeholder was sent; or the
	                          copy was replaced by a newer one */
	CLIPBOARD_LEFT,        /* the local clipboard holds something else */
	CLIPBOARD_FAILED,      /* detail says why */
};

/*
 * Told once per copy, from the loop (or from within clipboard_copy or
 * clipboard_end_now, see there). detail is a short text for the status
 * line, never the secret, valid during the call only; it may be NULL.
 * It may copy again, but must not free the clipboard.
 */
typedef void (*clipboard_end_cb)(enum clipboard_end how, const char *detail,
                                 void *ud);

/* Reads the environment now and, inside tmux, starts asking it; loop
 * (not NULL) must outlive the clipboard. */
struct clipboard *clipboard_new(struct loop *loop);

/*
 * Ends a live copy (OSC 52: the placeholder is sent; local: read back and
 * cleared if still the secret, waiting at most half a second, since the
 * loop is no longer there to wait in), reaps the children, frees. The
 * copy's end_cb is NOT called: its owner is going away. NULL is fine.
 */
void clipboard_free(struct clipboard *c);

/* True when a copy would stay in tmux's paste buffers: inside tmux with
 * set-clipboard on, or not known (yet). */
bool clipboard_tmux_keeps_copies(const struct clipboard *c);

/* What a copy made now would do (see enum clipboard_plan). */
enum clipboard_plan clipboard_plan(const struct clipboard *c);

/*
 * Asks tmux its settings again (they may have changed since start, on
 * the advice of a refusal) and calls cb once, from the loop, when it has
 * answered or given up (CLIPBOARD_TMUX_MS); outside tmux cb is called
 * before this returns. A second ask replaces the first's cb.
 */
void clipboard_ask(struct clipboard *c, void (*cb)(void *ud), void *ud);

/*
 * Copies n bytes (the caller's sodium memory, read during this call only:
 * the local tool gets them in one non-blocking write to its stdin pipe,
 * which takes up to 4096 bytes whole) and ends the copy after clear_ms,
 * telling end_cb from the loop. Returns the route, or -1 with err (empty,
 * too long, no secure memory, the tool cannot be started or refused the
 * bytes, or tmux would drop it: CLIPBOARD_PLAN_BLOCKED, with the fix);
 * a failed copy leaves any previous copy live. A copy that
 * succeeds replaces the previous one, whose end_cb is told OVERWRITTEN
 * ("replaced by a new copy") before this returns.
 */
int clipboard_copy(struct clipboard *c, const unsigned char *bytes, size_t n,
                   int clear_ms, clipboard_end_cb end_cb, void *ud,
                   struct sc_error *err);

/*
 * Ends the live copy now, as its timer would: OSC 52 sends the
 * placeholder and calls end_cb before returning, unless tmux may hold
 * copies in paste buffers: then they are deleted first and end_cb comes
 * later, from the loop, as it does for a local copy, whose clipboard is
 * read back first. Nothing live (or an end already under way): nothing
 * happens.
 */
void clipboard_end_now(struct clipboard *c);

/* True when an executable called name is on $PATH (wl-copy, xclip...). */
bool clipboard_on_path(const char *name);

/* For tests: where terminal bytes go (default: write(2) to standard
 * output, all of it, retrying EINTR and, briefly, EAGAIN). The commands
 * run are found on PATH, so tests put fakes there. */
void clipboard_set_writer(struct clipboard *c,
                          void (*writer)(const char *buf, size_t len, void *ud),
                          void *ud);

#endif
