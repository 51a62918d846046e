/* Revealing one credential: see credentials_reveal.h. */
#include "views/credentials/credentials_reveal.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "net/client/api.h"
#include "net/base/secret.h"
#include "net/client/staffkey.h"
#include "net/base/utf8.h"
#include "net/base/xmalloc.h"
#include "net/store/me_store.h"
#include "net/store/store.h"
#include "tui/app.h"
#include "tui/ask.h"
#include "tui/clipboard.h"
#include "tui/config.h"
#include "tui/keycheck.h"
#include "net/base/loop.h"
#include "tui/pass_strength.h"
#include "tui/passphrase.h"
#include "tui/sanitize.h"
#include "tui/term.h"
#include "tui/theme.h"
#include "tui/worker.h"

/* How often the countdown and the idle check run. */
#define TICK_MS       1000
#define IDLE_CHECK_MS 15000
/* A copied password is cleared (or overwritten) after this, unless the
 * config's clipboard-seconds says otherwise. */
#define CLIP_SECONDS 30

/* What the passphrase overlay is asked for: the key's passphrase, or
 * (PP_PASSWORD) the account password that registering a key needs. */
enum pp_purpose { PP_UNLOCK, PP_NEW, PP_AGAIN, PP_PASSWORD };

struct credentials_reveal {
	struct app *app;
	struct clipboard *clip;
	struct staffkey key; /* key.sk NULL while locked */
	unsigned idle_timer;

	/* The reveal asked for. */
	int64_t want;
	char *label, *client, *purpose;
	struct api_req *req;

	/* What is shown: two secrets, until hide_at. */
	struct secret *user, *pass;
	int64_t shown;
	long long hide_at;
	unsigned tick;

	struct passphrase *pp;
	enum pp_purpose pp_for;
	struct secret *first; /* keygen: the passphrase typed first */
	struct api_req *put_req;
	char *reg_b64;       /* the public key being registered */
	bool reg_made;       /* ...made just now by :keygen */
	struct worker *kdf;  /* Argon2id off the loop thread, or NULL */
	struct kdf_job *job; /* what kdf works on */

	enum reveal_refusal refusal;
	char *refusal_text;
};

/* What a job on the worker thread does with its passphrase. */
enum kdf_kind {
	KDF_UNLOCK, /* open the staff key (Argon2id) */
	KDF_MAKE,   /* make it (Argon2id) */
	KDF_CHECK,  /* judge a new passphrase (pwquality, in a child) */
};

/*
 * Unlocking or making the staff key, or checking a new passphrase's
 * strength, on the worker thread (tui/worker.h): the thread touches only
 * this, and the loop thread leaves it alone until kdf_done. The job owns
 * pass (until a checked one is taken) and, until adopted, key.sk.
 */
struct kdf_job {
	struct credentials_reveal *r;
	enum kdf_kind kind;
	char *path;
	struct secret *pass;
	struct staffkey key;
	struct sc_error err;
	struct pass_strength *check; /* KDF_CHECK: the child asked */
	char *why; /* KDF_CHECK: why the passphrase will not do */
	int rc;
};

static void send_reveal(struct credentials_reveal *r);

/* ---- refusals ------------------------------------------------------------ */

static void
refuse(struct credentials_reveal *r, enum reveal_refusal why, const char *text)
{
	r->refusal = why;
	free(r->refusal_text);
	r->refusal_text = sanitize_str(text, SANITIZE_TABS_AS_SPACE);
	app_notice(r->app, why != REVEAL_OK, "%s", r->refusal_text);
	app_redraw(r->app);
}

enum reveal_refusal
credentials_reveal_refusal(const struct credentials_reveal *r)
{
	return r->refusal;
}

const char *
credentials_reveal_refusal_text(const struct credentials_reveal *r)
{
	return r->refusal_text != NULL ? r->refusal_text : "";
}

void
credentials_reveal_clear_refusal(struct credentials_reveal *r)
{
	r->refusal = REVEAL_OK;
	free(r->refusal_text);
	r->refusal_text = NULL;
}

/* ---- showing and hiding -------------------------------------------------- */

void
credentials_reveal_hide(struct credentials_reveal *r, const char *why)
{
	bool was = r->shown != 0;

	secret_free(r->user); /* sodium_free wipes */
	secret_free(r->pass);
	r->user = r->pass = NULL;
	r->shown = 0;
	if (r->tick != 0)
		loop_timer_cancel(r->app->loop, r->tick);
	r->tick = 0;
	if (was && why != NULL)
		app_notice(r->app, false, "%s", why);
	/* The frame draws masks over the cells at once. */
	app_redraw(r->app);
}

/* Once a second while shown: the countdown, then the hide. */
static void
on_tick(void *ud)
{
	struct credentials_reveal *r = ud;

	r->tick = 0;
	if (r->shown == 0)
		return;
	if (loop_now_ms() >= r->hide_at) {
		credentials_reveal_hide(
		    r, "credential hidden (wiped from memory)");
		return;
	}
	r->tick = loop_timer_add(r->app->loop, TICK_MS, on_tick, r);
	app_redraw(r->app);
}

int64_t
credentials_reveal_shown(const struct credentials_reveal *r)
{
	return r->shown;
}

int64_t
credentials_reveal_pending(const struct credentials_reveal *r)
{
	return r->want;
}

int
credentials_reveal_seconds_left(const struct credentials_reveal *r)
{
	long long left = r->hide_at - loop_now_ms();

	return r->shown == 0 || left <= 0 ? 0 : (int)((left + 999) / 1000);
}

/*
 * The next character of the secret at p (left bytes): its length, and in
 * *cw its columns, or 1 when it is to be drawn as '?' (*keep false).
 */
static size_t
shown_char(const char *p, size_t left, unsigned flags, int *cw, bool *keep)
{
	uint32_t cp;
	size_t n = utf8_decode(p, left, &cp);

	*keep = sanitize_keeps(cp, flags, cw);
	if (!*keep)
		*cw = 1;
	return n;
}

/* The columns the whole secret at p takes. */
static int
shown_cols(const char *p, unsigned flags)
{
	size_t left = strlen(p), n;
	int cols = 0, cw;
	bool keep;

	for (; left > 0; p += n, left -= n, cols += cw)
		n = shown_char(p, left, flags, &cw, &keep);
	return cols;
}

void
credentials_reveal_draw(struct credentials_reveal *r, void *win, int y, int x,
                        int width, int which)
{
	struct secret *s = which == 0 ? r->user : r->pass;
	unsigned flags = term_utf8() ? 0 : SANITIZE_ASCII;
	const char *p;
	size_t left, n;
	WINDOW *w = win;
	int col = 0, cw, room;
	bool keep, cut;

	if (s == NULL || width <= 0)
		return;
	wmove(w, y, x);
	p = (const char *)secret_open_read(s);
	/* A secret shown in part must say so: the last column says "more". */
	cut = shown_cols(p, flags) > width;
	room = cut ? width - 1 : width;
	/* The sanitiser's rules, one character at a time, in place. */
	for (left = strlen(p); left > 0; p += n, left -= n, col += cw) {
		n = shown_char(p, left, flags, &cw, &keep);
		if (col + cw > room)
			break;
		if (keep)
			waddnstr(w, p, (int)n);
		else
			waddch(w, '?');
	}
	if (cut)
		waddstr(w, flags & SANITIZE_ASCII ? ">" : "\u2026");
	secret_close(s);
}

/* ---- the staff key ------------------------------------------------------- */

bool
credentials_reveal_unlocked(const struct credentials_reveal *r)
{
	return r->key.sk != NULL;
}

void
credentials_reveal_lock(struct credentials_reveal *r, const char *why)
{
	if (r->key.sk == NULL)
		return;
	staffkey_lock(&r->key);
	if (why != NULL)
		app_notice(r->app, false, "%s", why);
}

/* Every 15 s while unlocked: lock after key-idle-minutes without keys. */
static void
on_idle_check(void *ud)
{
	struct credentials_reveal *r = ud;
	const struct config *cfg = r->app->cfg;
	int minutes = cfg != NULL && cfg->key_idle_minutes > 0
	                  ? cfg->key_idle_minutes
	                  : 10;

	r->idle_timer = 0;
	if (r->key.sk == NULL)
		return;
	if (loop_now_ms() - r->app->last_input_ms >= minutes * 60000LL) {
		credentials_reveal_hide(r, NULL);
		credentials_reveal_lock(r, "staff key locked after being idle");
		return;
	}
	r->idle_timer =
	    loop_timer_add(r->app->loop, IDLE_CHECK_MS, on_idle_check, r);
}

/* The key is unlocked: watch for idleness. */
static void
unlocked(struct credentials_reveal *r)
{
	if (r->idle_timer == 0)
		r->idle_timer = loop_timer_add(r->app->loop, IDLE_CHECK_MS,
		                               on_idle_check, r);
}

/* Opens the passphrase box for what. */
static void on_passphrase(void *ud, struct secret *pass);

static void
ask_passphrase(struct credentials_reveal *r, enum pp_purpose what)
{
	static const char *const titles[] = {
		[PP_UNLOCK] = "Unlock your staff key",
		[PP_NEW] = "New staff key: choose a passphrase",
		[PP_AGAIN] = "New staff key: the same passphrase again",
		[PP_PASSWORD] =
		    "Register your staff key: your account password",
	};
	char *prompt =
	    what == PP_UNLOCK
	        ? xasprintf("to reveal %s of %s", r->label, r->client)
	    : what == PP_PASSWORD
	        ? xstrdup("the one you sign in with: the service asks it "
	                  "for every key")
	        : xasprintf("at least %d characters; it seals "
	                    "the key on this machine",
	                    PASS_STRENGTH_MIN_CHARS);

	r->pp_for = what;
	r->pp = passphrase_new(titles[what], prompt, on_passphrase, r);
	if (what == PP_PASSWORD)
		passphrase_ask_for(r->pp, "password",
		                   "Enter registers  Esc cancels  C-u clears");
	app_overlay_open(r->app, &passphrase_ops, r->pp);
	free(prompt);
}

/*
 * The passphrase box, if it is still the overlay: a tab switch by mouse
 * closes (and frees) an overlay behind the pane's back.
 */
static struct passphrase *
open_passphrase_box(struct credentials_reveal *r)
{
	if (r->pp != NULL && (r->app->overlay.ops != &passphrase_ops ||
	                      r->app->overlay.state != r->pp))
		r->pp = NULL;
	return r->pp;
}

/* Closes the passphrase box. */
static void
close_passphrase(struct credentials_reveal *r)
{
	if (r->pp != NULL)
		app_overlay_close(r->app, r->pp);
	r->pp = NULL;
}

/* ---- the key derivation, off the loop thread ----------------------------- */

static void
kdf_work(void *ud)
{
	struct kdf_job *j = ud;

	if (j->kind == KDF_CHECK) {
		/* The wait for pwquality's child, off the loop. */
		j->rc = pass_strength_finish(j->check, &j->why);
		return;
	}
	if (j->path == NULL)
		return; /* rc and err already say why */
	j->rc =
	    j->kind == KDF_MAKE
	        ? staffkey_generate(j->path, j->pass, false, &j->key, &j->err)
	        : staffkey_unlock(j->path, j->pass, &j->key, &j->err);
}

/* Frees a job whose thread has returned; a key not adopted is wiped. */
static void
kdf_job_free(struct kdf_job *j)
{
	if (j == NULL)
		return;
	staffkey_lock(&j->key);
	secret_free(j->pass);
	sc_error_clear(&j->err);
	free(j->why);
	free(j->path);
	free(j);
}

static void kdf_done(void *ud);

/* Starts unlocking or making the key with pass, or checking pass. */
static void
kdf_start(struct credentials_reveal *r, struct secret *pass, enum kdf_kind kind)
{
	struct kdf_job *j = xcalloc(1, sizeof *j);

	j->r = r;
	j->kind = kind;
	j->pass = pass;
	if (kind == KDF_CHECK)
		j->check = pass_strength_start(pass); /* forks, waits not */
	else
		j->path = staffkey_path(&j->err);
	if (kind != KDF_CHECK && j->path == NULL)
		j->rc = -1; /* kdf_work does nothing; kdf_done reports it */
	r->job = j;
	r->kdf = worker_start(r->app->loop, kdf_work, kdf_done, j);
}

/* The key is ours: the thread made or opened it. */
static void
adopt_key(struct credentials_reveal *r, struct kdf_job *j)
{
	staffkey_lock(&r->key);
	r->key = j->key;
	j->key.sk = NULL;
	unlocked(r);
}

static void keygen_done(struct credentials_reveal *r, struct kdf_job *j);
static void checked(struct credentials_reveal *r, struct kdf_job *j);

/* The passphrase for unlocking: right, or asked again. */
static void
unlock_done(struct credentials_reveal *r, struct kdf_job *j)
{
	if (j->rc != 0) {
		if (open_passphrase_box(r) != NULL) {
			passphrase_retry(r->pp, j->err.message);
			return;
		}
		app_notice(r->app, true, "not unlocked: %s", j->err.message);
		r->want = 0;
		return;
	}
	adopt_key(r, j);
	/* The box gone meanwhile (a tab switch): the reveal is off too. */
	if (open_passphrase_box(r) == NULL) {
		r->want = 0;
		app_notice(r->app, false, "staff key unlocked");
		return;
	}
	close_passphrase(r);
	send_reveal(r);
}

/* On the loop thread, once the derivation has returned. */
static void
kdf_done(void *ud)
{
	struct kdf_job *j = ud;
	struct credentials_reveal *r = j->r;

	worker_free(r->kdf);
	r->kdf = NULL;
	r->job = NULL;
	if (j->kind == KDF_MAKE)
		keygen_done(r, j);
	else if (j->kind == KDF_CHECK)
		checked(r, j);
	else
		unlock_done(r, j);
	kdf_job_free(j);
	app_redraw(r->app);
}

/* The passphrase for unlocking: checked off the loop thread. */
static void
unlock_with(struct credentials_reveal *r, struct secret *pass)
{
	passphrase_busy(r->pp, "checking the passphrase...");
	kdf_start(r, pass, KDF_UNLOCK);
}

/* ---- keygen inside the interface ----------------------------------------- */

/*
 * The service's answer to a registration. A refused password (or too
 * many of them) is said in the box, which stays open for another try;
 * other failures close it. Registered: the answer's key is what the
 * service holds now, which is this machine's, so no warning remains.
 */
static void
on_put_key(struct me *me, const struct sc_error *err, void *ud)
{
	struct credentials_reveal *r = ud;

	r->put_req = NULL;
	if ((err->kind == SC_ERR_REAUTH_REQUIRED ||
	     err->kind == SC_ERR_RATE_LIMITED) &&
	    open_passphrase_box(r) != NULL) {
		passphrase_retry(r->pp, err->message);
		me_free(me);
		app_redraw(r->app);
		return;
	}
	close_passphrase(r);
	if (err->kind != SC_OK)
		app_notice(r->app, true,
		           "the key is not registered: %s (:register-key "
		           "tries again)",
		           err->message);
	else {
		keycheck_registered(r->app, me->public_key,
		                    me->has_public_key_registered_at,
		                    me->public_key_registered_at);
		credentials_reveal_clear_refusal(r);
		app_notice(r->app, false, "staff key %s: reveal with Enter",
		           r->reg_made ? "made and registered"
		                       : "registered again");
	}
	me_free(me);
	app_redraw(r->app);
}

/* Asks the account password, then registers b64 (copied) with it. */
static void
register_ask(struct credentials_reveal *r, const char *b64, bool made)
{
	free(r->reg_b64);
	r->reg_b64 = xstrdup(b64);
	r->reg_made = made;
	ask_passphrase(r, PP_PASSWORD);
}

/* The password typed: PUT /me/public-key; api wipes it once sent. */
static void
register_with(struct credentials_reveal *r, struct secret *password)
{
	if (r->app->api == NULL || r->reg_b64 == NULL) {
		secret_free(password);
		close_passphrase(r);
		return;
	}
	passphrase_busy(r->pp, "checking the password...");
	api_cancel(r->app->api, r->put_req);
	r->put_req = api_put_public_key(r->app->api, r->reg_b64,
	                                (char *)secret_open_write(password),
	                                on_put_key, r);
	secret_close(password);
	secret_free(password);
}

/* Both passphrases typed: the same? then make the key off the loop. */
static void
keygen_with(struct credentials_reveal *r, struct secret *again)
{
	bool same =
	    sodium_memcmp(secret_open_read(r->first), secret_open_read(again),
	                  secret_len(again)) == 0;

	secret_close(r->first);
	secret_close(again);
	secret_free(r->first);
	r->first = NULL;
	close_passphrase(r);
	if (!same) {
		secret_free(again);
		app_notice(r->app, true, "the passphrases differ: no key made");
		return;
	}
	app_notice(r->app, false, "making the staff key...");
	kdf_start(r, again, KDF_MAKE);
}

/* The key made (or not): register its public half. */
static void
keygen_done(struct credentials_reveal *r, struct kdf_job *j)
{
	char *b64;

	if (j->rc != 0) {
		app_notice(r->app, true, "no key made: %s",
		           j->err.message != NULL ? j->err.message : "");
		return;
	}
	adopt_key(r, j);
	b64 = staffkey_public_b64(&r->key);
	register_ask(r, b64, true);
	free(b64);
	app_notice(r->app, false, "staff key made: your password registers it");
}

/* The first new passphrase: checked for strength off the loop (a child
 * process and the wait for it), the box saying so meanwhile. */
static void
keygen_first(struct credentials_reveal *r, struct secret *pass)
{
	passphrase_busy(r->pp, "checking the passphrase...");
	kdf_start(r, pass, KDF_CHECK);
}

/* The check's verdict: too weak (asked again), or strong enough (asked
 * once more, to compare). The box gone meanwhile: nothing is made. */
static void
checked(struct credentials_reveal *r, struct kdf_job *j)
{
	if (open_passphrase_box(r) == NULL)
		return;
	if (j->rc != 0) {
		passphrase_retry(r->pp, j->why);
		return;
	}
	secret_free(r->first);
	r->first = j->pass;
	j->pass = NULL;
	close_passphrase(r);
	ask_passphrase(r, PP_AGAIN);
}

static void
on_passphrase(void *ud, struct secret *pass)
{
	struct credentials_reveal *r = ud;

	if (pass == NULL) {
		close_passphrase(r);
		secret_free(r->first);
		r->first = NULL;
		r->want = 0;
		app_notice(r->app, r->pp_for == PP_PASSWORD, "%s",
		           r->pp_for == PP_PASSWORD
		               ? "cancelled: the key is not registered "
		                 "(:register-key registers it)"
		               : "cancelled");
		return;
	}
	if (r->pp_for == PP_UNLOCK)
		unlock_with(r, pass);
	else if (r->pp_for == PP_NEW)
		keygen_first(r, pass);
	else if (r->pp_for == PP_AGAIN)
		keygen_with(r, pass);
	else
		register_with(r, pass);
}

void
credentials_reveal_keygen(struct credentials_reveal *r)
{
	struct sc_error err = { 0 };
	char *path;

	if (worker_running(r->kdf)) {
		app_notice(r->app, false, "the staff key is busy: a moment");
		return;
	}
	path = staffkey_path(&err);
	if (path == NULL) {
		app_notice(r->app, true, "keygen: %s", err.message);
	} else if (staffkey_exists(path)) {
		app_notice(r->app, true,
		           "a staff key exists (%s): sitecare keygen "
		           "--register-only registers it, --force replaces it",
		           path);
	} else
		ask_passphrase(r, PP_NEW);
	sc_error_clear(&err);
	free(path);
}

void
credentials_reveal_register(struct credentials_reveal *r)
{
	struct sc_error err = { 0 };
	struct staffkey k = { .sk = NULL };
	char *path, *b64;

	if (worker_running(r->kdf) || r->put_req != NULL) {
		app_notice(r->app, false, "the staff key is busy: a moment");
		return;
	}
	path = staffkey_path(&err);
	if (path == NULL || !staffkey_exists(path))
		app_notice(r->app, true,
		           "No staff key on this machine: :keygen makes one "
		           "and registers it");
	else if (staffkey_read_public(path, k.pk, &err) != 0)
		app_notice(r->app, true, "register-key: %s", err.message);
	else {
		b64 = staffkey_public_b64(&k);
		register_ask(r, b64, false);
		free(b64);
	}
	sc_error_clear(&err);
	free(path);
}

/* ---- the reveal ---------------------------------------------------------- */

/* A refusal from the server, explained. */
static void
refused(struct credentials_reveal *r, const struct sc_error *err)
{
	char *text;

	switch (err->kind) {
	case SC_ERR_NOT_ASSIGNED:
		text = xasprintf("You are not assigned to %s: credentials are "
		                 "revealed only to staff working on the "
		                 "account (ask a manager to assign you)",
		                 r->client);
		refuse(r, REVEAL_NOT_ASSIGNED, text);
		break;
	case SC_ERR_NO_PUBLIC_KEY:
		me_store_key_gone(r->app->store->me);
		text = xstrdup("No public key is registered for you: :keygen "
		               "makes your staff key and registers it");
		refuse(r, REVEAL_NO_PUBLIC_KEY, text);
		break;
	case SC_ERR_FORBIDDEN:
		text = xasprintf("Your role cannot reveal credentials (%s)",
		                 err->message);
		refuse(r, REVEAL_FORBIDDEN, text);
		break;
	default:
		text = xasprintf("not revealed: %s", err->message);
		refuse(r, REVEAL_FAILED, text);
	}
	free(text);
}

/* Opens the sealed box and takes username and password out of it. */
static int
open_box(struct credentials_reveal *r, const char *sealed, struct sc_error *err)
{
	struct secret *plain = secret_unseal(sealed, r->key.pk, r->key.sk, err);

	if (plain == NULL)
		return -1;
	r->user = secret_json_string(plain, "username", err);
	if (r->user != NULL)
		r->pass = secret_json_string(plain, "password", err);
	secret_free(plain);
	if (r->user == NULL || r->pass == NULL) {
		secret_free(r->user);
		r->user = NULL;
		return -1;
	}
	return 0;
}

static void
on_reveal(struct reveal *rv, const struct sc_error *err, void *ud)
{
	struct credentials_reveal *r = ud;
	struct sc_error e = { 0 };
	const struct config *cfg = r->app->cfg;
	int seconds =
	    cfg != NULL && cfg->reveal_seconds > 0 ? cfg->reveal_seconds : 15;

	r->req = NULL;
	if (err->kind != SC_OK || open_box(r, rv->sealed, &e) != 0) {
		if (err->kind != SC_OK)
			refused(r, err);
		else
			refuse(r, REVEAL_FAILED, e.message);
		sc_error_clear(&e);
		r->want = 0;
		reveal_free(rv);
		return;
	}
	reveal_free(rv); /* only the sealed text: no secret in it */
	r->shown = r->want;
	r->want = 0;
	r->hide_at = loop_now_ms() + seconds * 1000LL;
	r->tick = loop_timer_add(r->app->loop, TICK_MS, on_tick, r);
	credentials_reveal_clear_refusal(r);
	app_notice(r->app, false,
	           "%s revealed: hides in %d s (y copies the "
	           "password)",
	           r->label, seconds);
	app_redraw(r->app);
}

static void
send_reveal(struct credentials_reveal *r)
{
	if (r->app->api == NULL)
		return;
	if (r->req != NULL)
		api_cancel(r->app->api, r->req);
	r->req = api_reveal(r->app->api, r->want, r->purpose, on_reveal, r);
	app_notice(r->app, false, "revealing %s...", r->label);
}

/* The purpose typed: unlock the key if needed, then reveal. */
static void
on_purpose(void *ud, char *text, bool submitted)
{
	struct credentials_reveal *r = ud;
	struct sc_error err = { 0 };
	char *path;

	if (!submitted || text == NULL || text[strspn(text, " ")] == '\0') {
		app_notice(r->app, false, "%s",
		           submitted ? "a purpose is needed: the audit log "
		                       "keeps it"
		                     : "nothing revealed");
		r->want = 0;
		free(text);
		return;
	}
	free(r->purpose);
	r->purpose = text;
	if (r->key.sk != NULL) {
		send_reveal(r);
		return;
	}
	path = staffkey_path(&err);
	if (path == NULL || !staffkey_exists(path)) {
		refuse(r, REVEAL_NO_LOCAL_KEY,
		       "No staff key on this machine: :keygen makes one and "
		       "registers it (or copy your staff.key here)");
		r->want = 0;
	} else
		ask_passphrase(r, PP_UNLOCK);
	sc_error_clear(&err);
	free(path);
}

void
credentials_reveal_start(struct credentials_reveal *r, int64_t id,
                         const char *label, const char *client,
                         const char *purpose)
{
	char *prompt;

	if (worker_running(r->kdf)) {
		app_notice(r->app, false,
		           "the staff key is still being unlocked: a moment");
		return;
	}
	credentials_reveal_hide(r, NULL);
	/* A key registered from elsewhere: nothing sealed to it is asked. */
	if (keycheck_app(r->app)) {
		refuse(r, REVEAL_KEY_REPLACED, r->app->key_warning);
		return;
	}
	r->want = id;
	free(r->label);
	free(r->client);
	r->label = sanitize_str(label, SANITIZE_TABS_AS_SPACE);
	r->client = sanitize_str(client, SANITIZE_TABS_AS_SPACE);
	prompt = xasprintf("purpose of revealing %s (audited): ", r->label);
	app_text_line(r->app, CMDLINE_COMMENT, prompt, false, purpose, NULL,
	              on_purpose, r);
	free(prompt);
}

void
credentials_reveal_not_assigned(struct credentials_reveal *r, const char *label,
                                const char *client)
{
	char *text = xasprintf("%s cannot be revealed: you are not assigned "
	                       "to %s's tasks; ask a manager to assign you",
	                       label, client);

	credentials_reveal_hide(r, NULL);
	refuse(r, REVEAL_NOT_ASSIGNED, text);
	free(text);
}

/* ---- the clipboard ------------------------------------------------------- */

static void
on_clip_end(enum clipboard_end how, const char *detail, void *ud)
{
	struct credentials_reveal *r = ud;

	switch (how) {
	case CLIPBOARD_CLEARED:
		app_notice(r->app, false, "clipboard cleared");
		break;
	case CLIPBOARD_OVERWRITTEN:
		app_notice(r->app, false, "clipboard overwritten%s%s",
		           detail != NULL ? ": " : "",
		           detail != NULL ? detail : "");
		break;
	case CLIPBOARD_LEFT:
		app_notice(r->app, false,
		           "clipboard left alone: it holds something else now");
		break;
	default:
		app_notice(r->app, true, "clipboard: %s",
		           detail != NULL ? detail : "failed");
	}
	app_redraw(r->app);
}

/* What a copy did and what will become of it, by the clipboard's plan:
 * only a local clipboard can be read back and cleared; a terminal's is
 * overwritten. The delay (clipboard-seconds) goes between the halves. */
static const char *const copied_text[][2] = {
	[CLIPBOARD_PLAN_LOCAL] = { "password copied to the local clipboard: "
	                           "in ",
	                           " it is cleared if it still holds it" },
	[CLIPBOARD_PLAN_TERMINAL] = { "password copied to the terminal's "
	                              "clipboard by OSC 52: it will be "
	                              "overwritten in ",
	                              "" },
	[CLIPBOARD_PLAN_TMUX_BUFFER] = { "password copied into tmux's paste "
	                                 "buffer (set-clipboard on), which "
	                                 "tmux passes to the terminal: in ",
	                                 " it is overwritten and the buffer "
	                                 "deleted" },
	[CLIPBOARD_PLAN_PASSTHROUGH] = { "password copied to the terminal's "
	                                 "clipboard by OSC 52 through tmux's "
	                                 "passthrough: it will be "
	                                 "overwritten in ",
	                                 "" },
	[CLIPBOARD_PLAN_UNKNOWN] = { "password sent by OSC 52, though tmux "
	                             "did not say whether it passes it on: "
	                             "in ",
	                             " it is overwritten and any tmux paste "
	                             "buffer of it deleted" },
	[CLIPBOARD_PLAN_BLOCKED] = { "not copied", NULL },
};

/* How long a copy stays: the config's clipboard-seconds, else 30. */
static int
clip_seconds(const struct credentials_reveal *r)
{
	const struct config *cfg = r->app->cfg;

	return cfg != NULL && cfg->clipboard_seconds > 0
	           ? cfg->clipboard_seconds
	           : CLIP_SECONDS;
}

/* Says what a copy by plan did and when it ends. */
static void
copied_notice(struct credentials_reveal *r, enum clipboard_plan plan)
{
	const char *const *t = copied_text[plan];

	if (t[1] == NULL)
		app_notice(r->app, false, "%s", t[0]);
	else
		app_notice(r->app, false, "%s%d s%s", t[0], clip_seconds(r),
		           t[1]);
}

/* Copies the shown password, from sodium memory. */
static void
copy_now(struct credentials_reveal *r)
{
	enum clipboard_plan plan = clipboard_plan(r->clip);
	struct sc_error err = { 0 };
	const unsigned char *p;

	if (r->pass == NULL) {
		app_notice(r->app, false,
		           "the credential was hidden: reveal "
		           "it again");
		return;
	}
	p = secret_open_read(r->pass);
	if (clipboard_copy(r->clip, p, strlen((const char *)p),
	                   clip_seconds(r) * 1000, on_clip_end, r, &err) < 0)
		app_notice(r->app, true, "not copied: %s", err.message);
	else
		copied_notice(r, plan);
	secret_close(r->pass);
	sc_error_clear(&err);
}

static void
on_copy_answer(void *ud, key_code k)
{
	struct credentials_reveal *r = ud;

	app_overlay_close(r->app, NULL);
	if (k == 'y')
		copy_now(r);
	else
		app_notice(r->app, false, "not copied");
}

/* tmux has said (or not) what it does with a copy: copies, or asks
 * first when it is not known. */
static void
on_clip_known(void *ud)
{
	struct credentials_reveal *r = ud;
	static const struct ask_choice choices[] = {
		{ 'y', "copy anyway" },
		{ 'n', "do not copy" },
	};
	char *body = xasprintf(
	    "tmux did not say its set-clipboard setting (tmux show -gv "
	    "set-clipboard): the password may not reach your terminal, and "
	    "tmux may keep it in a paste buffer, which sitecare then tries "
	    "to delete after %d s.",
	    clip_seconds(r));
	const char *const lines[] = { body };
	struct ask_spec spec = {
		.title = "Copy the password?",
		.body = lines,
		.nbody = 1,
		.choices = choices,
		.nchoices = 2,
		.enter = 'n',
		.escape = 'n',
		.on_done = on_copy_answer,
		.ud = r,
	};

	if (clipboard_plan(r->clip) == CLIPBOARD_PLAN_UNKNOWN)
		app_overlay_open(r->app, &ask_ops, ask_new(&spec));
	else
		copy_now(r);
	free(body); /* ask_new copied it */
	app_redraw(r->app);
}

void
credentials_reveal_copy(struct credentials_reveal *r)
{
	if (r->shown == 0) {
		app_notice(r->app, false,
		           "nothing revealed: Enter reveals "
		           "the selected credential first");
		return;
	}
	/* Asked again: the setting may have changed since the start. */
	clipboard_ask(r->clip, on_clip_known, r);
}

/* ---- the object ---------------------------------------------------------- */

struct credentials_reveal *
credentials_reveal_new(struct app *app)
{
	struct credentials_reveal *r = xcalloc(1, sizeof *r);

	r->app = app;
	r->clip = clipboard_new(app->loop);
	return r;
}

void
credentials_reveal_free(struct credentials_reveal *r)
{
	if (r == NULL)
		return;
	worker_free(r->kdf); /* waits for a derivation still running */
	kdf_job_free(r->job);
	credentials_reveal_hide(r, NULL);
	staffkey_lock(&r->key);
	if (r->idle_timer != 0)
		loop_timer_cancel(r->app->loop, r->idle_timer);
	if (r->app->api != NULL) {
		api_cancel(r->app->api, r->req);
		api_cancel(r->app->api, r->put_req);
	}
	if (r->pp != NULL)
		app_overlay_close(r->app, r->pp);
	secret_free(r->first);
	free(r->reg_b64);
	clipboard_free(r->clip);
	free(r->label);
	free(r->client);
	free(r->purpose);
	free(r->refusal_text);
	free(r);
}
