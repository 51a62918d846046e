/* The scriptable subcommands: login, logout, whoami, api. */
#ifndef SITECARE_TUI_CMD_H
#define SITECARE_TUI_CMD_H

#include "net/client/api.h"
#include "net/base/error.h"
#include "tui/config.h"
#include "tui/options.h"

/* Exit statuses shared by every subcommand (documented in --help). */
enum {
	CMD_OK = 0,
	CMD_FAILED = 1, /* the request or the API said no */
	CMD_USAGE = 2,  /* the command line or settings are wrong */
};

/*
 * What a subcommand runs with: the options, the config file read, and
 * the settings that won (flag > SITECARE_URL > config file). The strings
 * point into o or cfg.
 */
struct cmd_ctx {
	const struct options *o;
	char *config_path;
	struct config cfg;
	const char *url;
	const char *ca_file;
	const char *pin;
};

/*
 * Reads the config (its errors go to stderr as warnings) and settles the
 * URL, CA file and pin. Returns CMD_OK, or CMD_USAGE (message printed)
 * when there is no URL or the CA file cannot be read.
 */
int cmd_ctx_init(struct cmd_ctx *ctx, const struct options *o);
void cmd_ctx_free(struct cmd_ctx *ctx);

/*
 * After a sign-in on url (the command line's or the interface's form):
 * saves url, ctx's CA file (made absolute; none clears it) and email in
 * the config file, so that the next command needs no flags. Returns 0, or
 * -1 with err set (the caller tells it as a warning).
 */
int cmd_remember_settings(const struct cmd_ctx *ctx, const char *url,
                          const char *email, struct sc_error *err);

/* A client for ctx's service, or NULL (message printed). */
struct api *cmd_api_new(const struct cmd_ctx *ctx);

/* Prints "sitecare: KIND: message" (sanitised) and field errors. */
void cmd_print_error(const struct sc_error *err);

/*
 * Prints o as one JSON line on stdout, flushed, and frees it. Returns 0,
 * or -1 when stdout fails (nobody reads any more).
 */
struct cJSON;
int cmd_print_json_line(struct cJSON *o);

/* The answer of a call that returns the signed-in member (GET /me, the
 * login, the key's registration), filled by cmd_on_me. */
struct cmd_me_answer {
	struct sc_error err;
	struct me me;
};

/* The callback for those calls: takes the member's contents and a copy
 * of the error (with its retry_after) into ud, a cmd_me_answer. */
void cmd_on_me(struct me *me, const struct sc_error *err, void *ud);

/* CMD_OK when the subcommand argv[0] was given nothing more, else
 * CMD_USAGE with the first unexpected argument named. */
int cmd_no_arguments(int argc, char **argv);

/* A positive id from the command line, or -1 when s is not one. */
long long cmd_parse_id(const char *s);

/* All of stdin, NUL-terminated (malloc'd), or NULL when it holds more than
 * max bytes (nothing printed: the caller says which input was too large). */
char *cmd_read_stdin(size_t max);

/*
 * The account password into sodium memory (the caller sodium_free's
 * it): one line of stdin when from_stdin, else asked on the terminal
 * after prompt, without echo. NULL, with a message printed, when none
 * could be read.
 */
char *cmd_read_password(const char *prompt, bool from_stdin);

/* The subcommands; argv[0] is the command's name. */
int cmd_login(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_logout(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_whoami(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_api(struct cmd_ctx *ctx, int argc, char **argv);

/* Runs the subcommand named by argv[0]; CMD_USAGE when unknown. */
int cmd_run(const struct options *o, int argc, char **argv);

#endif
