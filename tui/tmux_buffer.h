/* Deleting the paste buffers tmux made of copied secrets. */
#ifndef SITECARE_TUI_TMUX_BUFFER_H
#define SITECARE_TUI_TMUX_BUFFER_H

#include <stddef.h>
#include <time.h>

struct loop;
struct tmux_buffer_sweep;

/*
 * A secret sent by OSC 52 into a tmux with set-clipboard on, which keeps
 * it as an automatic paste buffer (buffer0, buffer1...). Its buffer is
 * known by its size and its creation time (tmux's #{buffer_created}, in
 * seconds): the client never reads a buffer's contents back.
 */
struct tmux_buffer_mark {
	time_t at; /* when the copy was sent */
	size_t n;  /* its length in bytes */
};

/* The most marks (copies not yet swept) a sweep looks for. */
#define TMUX_BUFFER_MARKS 8

/* The longest buffer name taken (tmux's automatic names are short). */
#define TMUX_BUFFER_NAME 32

/*
 * From `tmux list-buffers -F '#{buffer_name} #{buffer_size}
 * #{buffer_created}'` output (len bytes), the automatic buffers that
 * match one of the marks: size n, made from 1 s before to 5 s after at.
 * Writes up to max names; returns how many.
 */
size_t tmux_buffer_pick(const char *listing, size_t len,
                        const struct tmux_buffer_mark *marks, size_t nmarks,
                        char (*names)[TMUX_BUFFER_NAME], size_t max);

/* The sweep's end: how many buffers were deleted (0: none matched), or
 * -1 with why (valid during the call only). */
typedef void (*tmux_buffer_cb)(int deleted, const char *why, void *ud);

/*
 * Lists tmux's buffers and deletes those made by the marked copies, as
 * jobs on loop: cb is called once, from the loop, within timeout_ms.
 * With loop NULL (for an exit) it waits in place as long instead, and cb
 * is called before this returns (then the result is NULL). NULL when
 * tmux cannot be run: then cb has been called with -1.
 */
struct tmux_buffer_sweep *
tmux_buffer_sweep(struct loop *loop, const struct tmux_buffer_mark *marks,
                  size_t nmarks, int timeout_ms, tmux_buffer_cb cb, void *ud);

/* Stops a sweep (kills and reaps tmux) without calling cb; NULL is
 * fine. */
void tmux_buffer_sweep_free(struct tmux_buffer_sweep *s);

#endif
