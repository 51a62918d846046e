/* The pane test harness: a pane, its app and a screen, with no terminal
 * and no network (issue #15). */
#ifndef SITECARE_TESTS_UNIT_VIEWS_HARNESS_H
#define SITECARE_TESTS_UNIT_VIEWS_HARNESS_H

#include <stdbool.h>
#include <stddef.h>

#include "keymaps/action.h"
#include "keymaps/key.h"
#include "net/base/error.h"
#include "tui/app.h"
#include "tui/view.h"

/*
 * Every test under tests/unit/views/ is linked with this library (the
 * Makefile's rule for that folder), so a pane test reads:
 *
 *	struct harness *h = harness_new(24, 100);
 *	harness_sign_in(h, 7, "technician", PERM_CREDENTIALS_REVEAL);
 *	harness_open(h, PANE_CREDENTIALS);
 *	harness_event_kind(h, APP_EV_SIGNED_IN, 0);
 *	req = harness_request(h, "GET", "/clients");    (the pane asked)
 *	harness_reply(h, req, 200, "{\"results\": [...]}");
 *	harness_draw(h);
 *	assert_true(harness_find(h, "Acme", NULL, NULL));
 *	harness_key(h, KEYC_ENTER);
 *	harness_free(h);
 *
 * What it sets up, as tui/tui.c's tui_setup does, minus the terminal and
 * the network:
 *   - struct app with a loop (net/base/loop.h), a store
 *     (net/store/store.h), the default key bindings, a command line
 *     (readline, reading INPUTRC=/dev/null) and an api
 *     (net/client/api.h) for https://127.0.0.1:1, a closed port. Every
 *     pane slot gets its ops from tui/panes.h; harness_open opens one.
 *   - HOME and the XDG directories in a fresh temporary folder (the
 *     api's cookie jar, the staff key, drafts), removed by harness_free.
 *     The jar holds a session and a CSRF cookie, so the app is signed in
 *     as far as the api can tell and no request waits for /auth/csrf.
 *   - a curses screen on /dev/null (newterm, TERM xterm-256color,
 *     LC_CTYPE C.UTF-8), laid out by the real frame (tui/frame.h): row 0
 *     the tab bar, rows 1..rows-2 the pane (and any overlay over it),
 *     the last row the status line or the open command line.
 *
 * No request ever leaves the process: the test binaries are linked with
 * -Wl,--wrap for http_request_new, http_request_body(_take),
 * http_request_send and http_cancel, so every request the api makes is
 * recorded here (method, path with its query, JSON body) and stays
 * queued until the test answers it with harness_reply / harness_fail,
 * which runs the api's real parsing and error mapping and then the
 * pane's callback. The api's loop source is never added, so libcurl is
 * never driven; the closed port is a second fence.
 *
 * A request answered 401 (the session gone) sends every pane
 * APP_EV_SESSION_EXPIRED and leaves the app signed out, as the frame
 * does before it shows the sign-in form (not drawn here).
 *
 * Not set up: app->sender (the outbox), app->notify, app->cfg (NULL: the
 * panes' defaults, e.g. 15 s reveals) and the live event stream; a test
 * sends server events itself (harness_event with APP_EV_SERVER).
 *
 * Time: loop_now_ms is wrapped too, for every caller in the binary (the
 * panes', the store's), and the loop's clock set with loop_set_clock,
 * both reading the harness's fake clock; it moves only with
 * harness_advance, which runs the timers that come due on the way.
 * time(NULL) is not faked (relative ages drawn use it). Work on a real
 * thread (tui/worker.h: Argon2id, pwquality) finishes with harness_wait.
 *
 * One harness at a time per process (the wrapped functions reach it
 * through one pointer): harness_new frees one a failed test left behind.
 * Everything is freed by harness_free, under ASan and LSan too.
 */
struct harness;

/* One request the api made, oldest first. */
struct harness_request {
	char *method; /* "GET", "POST"... */
	char *path;   /* under /api/v1, with its query: "/clients?limit=100" */
	char *body;   /* the JSON sent, NULL for none, "(secret)" for one
	                 held in sodium memory (a password) */
	bool sent;    /* handed to the transport (false: still being built) */
	struct harness_request *next;
	void *priv; /* the harness's own */
};

/* A harness with a screen of rows x cols (at least 10 x 40). */
struct harness *harness_new(int rows, int cols);
void harness_free(struct harness *h);

struct app *harness_app(struct harness *h);

/*
 * The signed-in member, as after GET /me: id, role name, permissions
 * (PERM_*), a public key registered; the tabs shown follow.
 */
void harness_sign_in(struct harness *h, long long me_id, const char *role,
                     unsigned long permissions);

/* Opens pane (its state is returned), sized and focused as the current
 * one. APP_EV_SIGNED_IN is not sent: harness_event_kind does that. */
void *harness_open(struct harness *h, enum pane_id pane);
/*
 * Signing in as the interface does it (tui/tui.c): every pane the member
 * may see is opened unfocused, all of them get APP_EV_SIGNED_IN, then
 * the current pane (app->current, PANE_TASKS unless set) is focused.
 * A pane that loads when first looked at fetches nothing before a
 * tab-* action or harness_open shows it.
 */
void harness_open_all(struct harness *h);
/* The open pane's state, or NULL. */
void *harness_pane(struct harness *h, enum pane_id pane);

/* ---- the screen ------------------------------------------------------ */

/* Draws the whole frame as the loop does and reads it back. */
void harness_draw(struct harness *h);
/* Reads the windows back as they are: for a test that drew into the
 * pane's window (harness_app(h)->panewin, rows-2 x cols) itself. */
void harness_read(struct harness *h);
/* Row y of the last draw in UTF-8, trailing blanks cut ("" off-screen):
 * a wide character once, line drawing as box characters (U+2500...). */
const char *harness_row(struct harness *h, int y);
/* The last draw, rows joined by newlines (for failure messages). */
const char *harness_screen(struct harness *h);
/* Where text first appears in the last draw (row, byte offset); the out
 * pointers may be NULL. */
bool harness_find(struct harness *h, const char *text, int *y, int *x);
/* The attributes (less the colour) and colour pair of the cell at screen
 * row y, column x, as the windows hold it now; false off-screen. */
bool harness_cell(struct harness *h, int y, int x, unsigned long *attrs,
                  short *pair);
/* Prints the last draw to stderr (when a test needs looking at). */
void harness_dump(struct harness *h);
/* A technician (tasks read and update) signed in, 24x100, the queue
 * open and its first GET /tasks answered with page (a JSON page). */
struct harness *harness_queue_with(const char *page);
/* Draws, then fails the test (the screen printed) unless text is on
 * the screen; harness_not_see: unless it is not. */
void harness_see(struct harness *h, const char *text);
void harness_not_see(struct harness *h, const char *text);
/* The status line's notice (app->message), or "". */
const char *harness_notice(struct harness *h);

/* ---- input ----------------------------------------------------------- */

/*
 * A key, routed as tui/tui.c routes it: the open command line, else the
 * overlay's key handler, else the bindings of the pane's (or overlay's)
 * context, whose action goes through harness_action.
 */
void harness_key(struct harness *h, key_code key);
/* Each character of text (UTF-8) as a key. */
void harness_type(struct harness *h, const char *text);
/*
 * An action with args (may be NULL), as a binding or `:` command runs
 * it: the read-only gate, then the overlay, the frame's own (`:` opens
 * the command line, tab-* switch panes), search, filter and sort without
 * args open the line for them, then the current pane. tab-next and
 * tab-prev go round the tabs shown (tui/frame.h's frame_tab_next). A pane that
 * says VIEW_UNHANDLED gets the frame's "does nothing here" notice.
 */
enum view_result harness_action(struct harness *h, enum action a,
                                const char *args);
/* An event for every open pane, as tui/tui.c broadcasts them. */
void harness_event(struct harness *h, const struct app_event *ev);
void harness_event_kind(struct harness *h, int kind, long long id);

/* The open command line's text and prompt kind; NULL when none. */
const char *harness_line(struct harness *h);
/* Submits the open command line with text in place of what it holds. */
void harness_line_submit(struct harness *h, const char *text);

/* ---- time ------------------------------------------------------------ */

/* The fake clock, in loop_now_ms milliseconds. */
long long harness_now(struct harness *h);
/* Moves the clock on by ms, running the timers due on the way. */
void harness_advance(struct harness *h, long long ms);
/* Runs the loop (real time) until done(ud) or ms pass; true if done. */
bool harness_wait(struct harness *h, bool (*done)(void *ud), void *ud, int ms);

/* ---- requests -------------------------------------------------------- */

/* The requests made and not answered yet, oldest first. */
struct harness_request *harness_requests(struct harness *h);
size_t harness_nrequests(struct harness *h);
/* The oldest unanswered request for method whose path starts with path,
 * or NULL. */
struct harness_request *harness_request(struct harness *h, const char *method,
                                        const char *path);
/*
 * Answers r with an HTTP status and body (JSON text, or NULL), as the
 * transport would: non-2xx statuses become errors the way the real one
 * maps them (the contract's {"error": {"code", "message"}}). r is freed.
 */
void harness_reply(struct harness *h, struct harness_request *r, int status,
                   const char *body);
/* Ends r with a transport failure (no HTTP answer) of kind. r is freed. */
void harness_fail(struct harness *h, struct harness_request *r,
                  enum sc_error_kind kind, const char *message);

#endif
