/* A type-to-filter picker over the pane: "Assign #12 to", set status. */
#ifndef SITECARE_TUI_PICKER_H
#define SITECARE_TUI_PICKER_H

#include <stdbool.h>
#include <stddef.h>

#include "keymaps/key.h"
#include "tui/view.h"

/*
 * A picker is a title, items {id, label, detail} and a filter the user
 * types. Every key goes to picker_key() first while a picker is open, so
 * letters filter instead of running bindings (j, k, q...). Items may
 * arrive after opening (the staff list comes from GET /staff): show
 * "loading..." with picker_set_loading(), add with picker_add(), end with
 * picker_done_loading() or picker_set_error().
 *
 * The result: on Enter (over a matching item) or Escape the picker calls
 * on_done(ud, chosen, id) and then returns PICKER_CHOSEN or
 * PICKER_CANCELLED from picker_key() (VIEW_REDRAW from the view's action
 * and click) without touching itself again, so on_done may free it (close
 * the overlay). Otherwise the owner frees it after seeing the result.
 * Freeing a picker never calls on_done. Only draw() needs curses.
 */
struct picker;

enum picker_result {
	PICKER_NONE,      /* nothing happened (not a picker key, Enter with
	                   * no match, a move at the end) */
	PICKER_REDRAW,    /* the filter or the selection changed */
	PICKER_CHOSEN,    /* on_done(ud, true, id) was called */
	PICKER_CANCELLED, /* on_done(ud, false, -1) was called */
};

/* Called once, on Enter or Escape; may free the picker. */
typedef void (*picker_done_fn)(void *ud, bool chosen, long long id);

/* An empty picker titled title (sanitised); on_done may be NULL. */
struct picker *picker_new(const char *title, picker_done_fn on_done, void *ud);
void picker_free(struct picker *p);

/* Appends an item; label and detail (NULL: none) are copied, sanitised. */
void picker_add(struct picker *p, long long id, const char *label,
                const char *detail);

/* Shows "loading..." while items are still coming. */
void picker_set_loading(struct picker *p, bool loading);

/* The items are all there: same as picker_set_loading(p, false). */
void picker_done_loading(struct picker *p);

/* Shows an error line (sanitised) and ends loading; NULL clears it. */
void picker_set_error(struct picker *p, const char *message);

/*
 * Selects the item with id (the current assignee, status...). If it has
 * not arrived yet it is selected when it does, unless the user has moved.
 */
void picker_select_id(struct picker *p, long long id);

/* Feeds one raw key: text edits the filter, arrows move, Enter, Escape. */
enum picker_result picker_key(struct picker *p, key_code key);

/* The id chosen with Enter, or -1 (not chosen yet, or cancelled). */
long long picker_chosen_id(const struct picker *p);

/* The selected item's id, or -1 when nothing matches. */
long long picker_selected_id(const struct picker *p);

/* The filter as typed (UTF-8). */
const char *picker_filter(const struct picker *p);

/* How many items match the filter, and how many there are. */
size_t picker_matches(const struct picker *p);
size_t picker_total(const struct picker *p);

/* The i-th matching item's sanitised label, detail ("" if none), id. */
const char *picker_match_label(const struct picker *p, size_t i);
const char *picker_match_detail(const struct picker *p, size_t i);
long long picker_match_id(const struct picker *p, size_t i);

bool picker_loading(const struct picker *p);

/* The sanitised error line, or NULL. */
const char *picker_error(const struct picker *p);

/*
 * The overlay's operations (state: a struct picker). key() takes every
 * key first (picker_key()); text, Tab and Meta keys stay the picker's even
 * when they change nothing (so `q` or `1` cannot quit or switch panes
 * and close it unanswered); control and function keys (C-l, C-z) go on
 * to the bindings of context input. Actions: the movement ones move,
 * submit and open choose, back and quit cancel; a click selects a row,
 * a second click on it chooses.
 */
extern const struct view_ops picker_ops;

#endif
