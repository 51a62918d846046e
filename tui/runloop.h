/* A blocking loop for the scriptable subcommands: runs until done. */
#ifndef SITECARE_TUI_RUNLOOP_H
#define SITECARE_TUI_RUNLOOP_H

struct api;

/*
 * Polls the api's sockets and timers until no call is pending. The
 * terminal interface has its own loop (tui/loop.h) over the same
 * api_pollfds / api_timeout_ms / api_dispatch trio; this one exists for
 * commands that do one thing and exit. Returns 0, or -1 when poll fails
 * or the layer would wait forever with nothing to wait on.
 */
int runloop_run(struct api *a);

#endif
