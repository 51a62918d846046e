/* The credentials pane: a client's site credentials, revealed briefly. */
#ifndef SITECARE_VIEWS_CREDENTIALS_H
#define SITECARE_VIEWS_CREDENTIALS_H

#include "tui/view.h"

/*
 * The Credentials tab (PANE_CREDENTIALS, shown with credentials.reveal).
 * First the clients (GET /clients, fetched when the tab is first shown
 * or K jumps here, not at sign-in), those assigned to the signed-in
 * member first and marked; Enter shows a client's credentials (label,
 * site, last update; the password masked); Enter on one reveals it
 * (views/credentials_reveal.c) for a few seconds with a countdown; y
 * copies the password; Escape goes back. K on a task jumps here with the
 * task's client selected and the task as the purpose. A refusal
 * (not assigned, no public key, no key on this machine) is shown as the
 * pane's locked state with what to do.
 */
extern const struct view_ops credentials_view;

#endif
