/* A question over the pane with a few lettered answers: "overwrite?". */
#ifndef SITECARE_TUI_ASK_H
#define SITECARE_TUI_ASK_H

#include <stddef.h>

#include "keymaps/key.h"
#include "tui/view.h"

/* The most answers a question offers. */
#define ASK_MAX_CHOICES 4

/* One answer: the key that gives it and what it does ("drop my change"). */
struct ask_choice {
	key_code key; /* 'r'; a letter also answers in the other case */
	const char *label;
};

/* Called once with the answer's key; may free the ask. */
typedef void (*ask_done_fn)(void *ud, key_code choice);

/*
 * What ask_new() copies: the title, the body lines (server text welcome:
 * each is sanitised, and may hold newlines), 1 to ASK_MAX_CHOICES
 * choices, and which choice Enter and Escape give (0: that key does
 * nothing, so the user must answer with a letter). enter and escape must
 * be 0 or one of the choices' keys, and the keys distinct; anything else
 * is a programming error and aborts.
 */
struct ask_spec {
	const char *title;
	const char *const *body; /* nbody lines */
	size_t nbody;
	const struct ask_choice *choices;
	size_t nchoices;
	key_code enter;  /* the default, marked in the box */
	key_code escape; /* the cancel choice */
	ask_done_fn on_done;
	void *ud;
};

/*
 * A question is answered once: the choice's key, Enter or Escape calls
 * on_done(ud, key) and then ask_key() returns ASK_DONE (the view's action
 * VIEW_REDRAW) without touching the ask again, so on_done may free it
 * (close the overlay). Freeing an ask never calls on_done. Only draw()
 * needs curses.
 */
struct ask;

enum ask_result {
	ASK_NONE,   /* not an answer or a scroll key: ignored */
	ASK_REDRAW, /* the body scrolled */
	ASK_DONE,   /* answered: on_done was called */
};

struct ask *ask_new(const struct ask_spec *spec);

/*
 * The common question: title, one body line, y (labelled yes) and n
 * (labelled no), Escape giving n and Enter giving enter ('y', 'n', or 0
 * for nothing). Copied as ask_new() copies.
 */
struct ask *ask_yes_no(const char *title, const char *line, const char *yes,
                       const char *no, key_code enter, ask_done_fn on_done,
                       void *ud);
void ask_free(struct ask *a);

/* Feeds one raw key: a choice's key, Enter, Escape, or arrows to scroll. */
enum ask_result ask_key(struct ask *a, key_code key);

/* The key of the answer given, or KEYC_NONE while unanswered. */
key_code ask_answer(const struct ask *a);

/*
 * Wraps the body to width display columns at spaces (a word longer than
 * the width is cut) and returns the number of lines; draw() does the
 * same at the box's width.
 */
size_t ask_wrap(struct ask *a, int width);

/* Wrapped line i (sanitised), or NULL past the end. */
const char *ask_line(const struct ask *a, size_t i);

/*
 * The overlay's operations (state: a struct ask). key() takes every key
 * first (ask_key()); other text, Tab and Meta keys are swallowed so a
 * stray `h` or `1` cannot close the question unanswered; control and
 * function keys go on to the bindings of context detail. Actions: the
 * movement ones scroll a long body, submit and open give the Enter
 * choice, back and quit the Escape one (nothing when there is none); a
 * click on a choice gives it.
 */
extern const struct view_ops ask_ops;

#endif
