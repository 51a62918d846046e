/* `:checkhealth`: what the client found about its surroundings. */
#ifndef SITECARE_TUI_HEALTH_H
#define SITECARE_TUI_HEALTH_H

#include "keymaps/key.h"
#include "tui/view.h"

struct cmd_ctx;

/*
 * The report overlay, in the manner of neovim's :checkhealth: one line
 * per finding, OK / WARN / ERROR, and for the last two what to do. It
 * checks the terminal, tmux, D-Bus, the clipboard route, the service
 * (GET /me, answered asynchronously: the page redraws when it comes),
 * the session and the config files. The tmux settings are read once on
 * opening, with a hard 200 ms deadline. ctx must outlive the overlay.
 */
void *health_new(struct app *app, const struct cmd_ctx *ctx);

/*
 * A key no binding took: `c` sends a test OSC 52 copy of a constant
 * text, `n` a test terminal notification (OSC 777, OSC 9, a bell).
 */
enum view_result health_key(void *state, key_code key);

/* The overlay's operations (state from health_new). */
extern const struct view_ops health_ops;

#endif
