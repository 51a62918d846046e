/* Command-line options: global flags, then an optional subcommand. */
#ifndef SITECARE_TUI_OPTIONS_H
#define SITECARE_TUI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * What the command line asked for. Strings point into argv or the
 * environment, so the struct owns nothing and needs no free.
 * Flags given on the command line win over SITECARE_URL, which wins over
 * the config file (applied later, by whoever reads the config).
 */
struct options {
	const char *url;
	const char *ca_file;
	const char *pin;
	const char *config_path;
	bool readonly;
	bool help;
	bool version;
	/* The subcommand and its arguments, without the global flags given
	 * after it (argv's tail, closed up in place); cmd_argc is 0 for the
	 * TUI. */
	int cmd_argc;
	char **cmd_argv;
};

/*
 * Fills o from argv and env; global flags may come before or after the
 * subcommand, and the later of two wins. On error returns -1 and a
 * message in err.
 */
int options_parse(struct options *o, int argc, char **argv, char *err,
                  size_t errlen);

/* The --help text, listing every flag and subcommand. */
const char *options_usage(void);

/*
 * One global flag as the parser knows it: the parser reads nothing but
 * this table, so a test can check that the usage lists each of them.
 */
struct options_flag {
	const char *name;  /* "--url" */
	const char *alias; /* a short form ("-h"), or NULL */
	bool takes_value;  /* "--url URL" or "--url=URL"; else a switch */
	bool after_verb;   /* may follow the subcommand too */
	size_t field;      /* offsetof(struct options, ...) of what it sets */
};

/* The parser's table of global flags; *n is its length. */
const struct options_flag *options_flags(size_t *n);

#endif
