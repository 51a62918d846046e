/* Runs one api's calls to the end, for the scriptable subcommands. */
#ifndef SITECARE_TUI_RUNLOOP_H
#define SITECARE_TUI_RUNLOOP_H

struct api;

/*
 * The common case of the one loop (net/base/loop.h): a fresh loop lent only
 * the api's source, run until no call is pending. Returns 0, or -1 when
 * a pass fails or nothing could ever wake the loop.
 */
int runloop_run(struct api *a);

#endif
