/* How the frame speaks of an action: as the staff member asked for it. */
#ifndef SITECARE_TUI_ACTION_WORDS_H
#define SITECARE_TUI_ACTION_WORDS_H

#include <stdbool.h>
#include <stddef.h>

#include "keymaps/action.h"
#include "keymaps/key.h"

/*
 * The action in plain words: its help up to the first ':', ';', ',' or
 * " (", its first letter lowered ("clear every mark" for unmark-all).
 */
void action_words(enum action a, char *buf, size_t len);

/*
 * What the staff member did, in their terms: the key in its printed form
 * and the plain words ("U (clear every mark)") when key is not KEYC_NONE;
 * the command as typed (":unmark-all") when typed; else the plain words.
 */
void action_words_said(enum action a, key_code key, bool typed, char *buf,
                       size_t len);

#endif
