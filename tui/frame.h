/* The screen's frame: tab bar, the current pane, the status line. */
#ifndef SITECARE_TUI_FRAME_H
#define SITECARE_TUI_FRAME_H

#include "tui/app.h"

/* Below this the frame shows only "terminal too small". */
#define FRAME_MIN_COLS 40
#define FRAME_MIN_ROWS 10

/* (Re)creates the windows for the terminal's current size. */
void frame_layout(struct app *app);

/* Frees the windows. */
void frame_free(struct app *app);

/* The current pane's window (made when first asked), also set as
 * app->panewin; NULL below the minimum size. */
void *frame_pane_window(struct app *app);
/* The current pane, being left, drawn into its own window only. */
void frame_draw_left(struct app *app);

/* Draws everything that is dirty and updates the screen once. */
void frame_draw(struct app *app);

/* The pane under a mouse click on the tab bar at column x, or -1. */
int frame_tab_at(const struct app *app, int x);

/* The tab after (dir 1) or before (-1) the current one among those
 * shown, wrapping round; the current pane when no other is shown. */
enum pane_id frame_tab_next(const struct app *app, int dir);

/* The pane window's height: the rows less the tab bar, the status line
 * and the hint bar when it shows. */
int frame_pane_rows(const struct app *app);

/* Draws the hint bar (if shown) with h's keys in ctx; for screens the
 * frame does not draw itself, such as the sign-in form. */
struct hint;
void frame_draw_hints(struct app *app, enum key_context ctx,
                      const struct hint *h);

/* True when the terminal is below the minimum size. */
bool frame_too_small(const struct app *app);

#endif
