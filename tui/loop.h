/* The event loop moved to net/loop.h, so that net/ can hand out sources. */
#ifndef SITECARE_TUI_LOOP_H
#define SITECARE_TUI_LOOP_H

/* Kept until views/ and tui/worker.c include net/loop.h themselves. */
#include "net/loop.h"

#endif
