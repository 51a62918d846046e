/* The config file: one table of keys, `key = value` lines, kept errors. */
#ifndef SITECARE_TUI_CONFIG_H
#define SITECARE_TUI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "net/base/error.h"

enum config_notifications {
	CONFIG_NOTIFY_OFF,
	CONFIG_NOTIFY_BELL,
	CONFIG_NOTIFY_TERMINAL,
	CONFIG_NOTIFY_DESKTOP,
};

/* The pane shown after sign-in: auto is by role (support: Chat). The
 * others follow enum pane_id's order, one up. */
enum config_start_pane {
	CONFIG_START_AUTO,
	CONFIG_START_TASKS,
	CONFIG_START_CHAT,
	CONFIG_START_CREDENTIALS,
	CONFIG_START_BILLING,
};

/* A problem in the file, kept to be shown; never fatal. */
struct config_error {
	char *file;
	int line; /* 0 when it concerns the whole file */
	char *message;
};

/*
 * Every setting with its value: the default until the file says
 * otherwise. Strings are malloc'd or NULL; config_free releases them and
 * the errors.
 */
struct config {
	char *url;
	char *ca_file;
	char *pin;
	char *email;
	bool readonly;
	char *theme;
	enum config_notifications notifications;
	bool notification_text; /* show the message text in notifications */
	enum config_start_pane start_pane;
	bool hints;       /* the hint bar shows (F2 turns it off) */
	long long *muted; /* conversation ids never notified */
	size_t nmuted;
	int connect_timeout;   /* seconds */
	int idle_lock_minutes; /* 0: never lock */
	int key_idle_minutes;  /* the unlocked staff key locks after this */
	int reveal_seconds;    /* a revealed credential hides after this */
	int clipboard_seconds; /* a copied password is overwritten after */
	struct config_error *errors;
	size_t nerrors;
};

/* The path of the config file: override, or $XDG_CONFIG_HOME/sitecare/
 * config (the directory is made). NULL with err set. */
char *config_path(const char *override, struct sc_error *err);

/* The name of the i-th key of the table, or NULL past its end (so a
 * test that models each key can tell when one was added). */
const char *config_key_name(size_t i);

/* Fills c with every key's default. */
void config_init(struct config *c);

/*
 * Reads path over c's current values. A missing file is not an error;
 * every bad line is collected in c->errors with its file and line, and
 * the rest of the file still applies. Returns the number of errors.
 */
size_t config_load(struct config *c, const char *path);

/* Parses text as if read from file `name` (for tests and config_load). */
size_t config_load_text(struct config *c, const char *name, const char *text);

/* Sets key to value as the file would; -1 with msg when refused. */
int config_set(struct config *c, const char *key, const char *value, char *msg,
               size_t msglen);

/*
 * Rewrites key's line in the file at path (adding it when missing, after
 * checking value), keeping every other line and comment, atomically and
 * with mode 0600. Returns 0, or -1 with err.
 */
int config_update(const char *path, const char *key, const char *value,
                  struct sc_error *err);

/* The text that config_update would write over the file's text `old`;
 * NULL with msg when value is refused. The caller frees it. */
char *config_update_text(const char *old, const char *key, const char *value,
                         char *msg, size_t msglen);

/* Frees what c owns and resets it to the defaults' zero state. */
void config_free(struct config *c);

#endif
