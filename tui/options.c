/* Parses sitecare's global flags: before the verb (as git), or after it
 * (as gh and kubectl). */
#include "tui/options.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: sitecare [FLAGS] [COMMAND [ARGS]] [FLAGS]\n"
    "\n"
    "The staff terminal client for SiteCarePlusPro. With no COMMAND it\n"
    "opens the terminal interface.\n"
    "\n"
    "Flags (before or after COMMAND; given twice, the later wins):\n"
    "  --url URL         the service's base URL, https only\n"
    "                    (default: $SITECARE_URL, then the config file)\n"
    "  --ca-file PATH    trust the CA certificates in PATH\n"
    "                    (default: the system's CA store)\n"
    "  --pin sha256//B64 also require this server public-key pin\n"
    "  --config PATH     read this config file instead of\n"
    "                    $XDG_CONFIG_HOME/sitecare/config\n"
    "  --readonly        turn off every action that changes anything\n"
    "  -h, --help        show this help and exit\n"
    "  -V, --version     show the version and exit\n"
    "\n"
    "Commands:\n"
    "  (none)            open the terminal interface\n"
    "  login [--email E] [--password-stdin]\n"
    "                    sign in (the password is read without echo)\n"
    "  logout            sign out and forget the session\n"
    "  whoami            show who is signed in\n"
    "  api METHOD PATH [--data JSON|-] [-H 'Name: value']...\n"
    "                    one raw API call; prints the answer's body\n"
    "  events [--since ID] [--count N]\n"
    "                    print live events as JSON lines\n"
    "  reply CONVERSATION_ID [TEXT|-]\n"
    "                    send a chat reply through the outbox\n"
    "  comment TASK_ID [--internal] [TEXT|-]\n"
    "                    send a task comment through the outbox\n"
    "  outbox [list|flush|discard ID]\n"
    "                    show, send now, or drop queued items\n"
    "  attachment list TASK_ID | save TASK_ID ATTACHMENT_ID [PATH] [--force]\n"
    "                    list a task's attachments, or save one to disk\n"
    "  keygen [--force|--register-only] [--passphrase-stdin] "
    "[--password-stdin]\n"
    "                    make your staff key; register it (asks your "
    "password)\n"
    "\n"
    "Exit status: 0 success; 1 the request or the service failed;\n"
    "2 a usage or settings error.\n"
    "\n"
    "Files: $XDG_CONFIG_HOME/sitecare/config, $XDG_STATE_HOME/sitecare/.\n"
    "See sitecare(1).\n";

/* Every global flag; what each sets is a member of struct options. */
static const struct options_flag flags[] = {
	{ "--url", NULL, true, true, offsetof(struct options, url) },
	{ "--ca-file", NULL, true, true, offsetof(struct options, ca_file) },
	{ "--pin", NULL, true, true, offsetof(struct options, pin) },
	{ "--config", NULL, true, true, offsetof(struct options, config_path) },
	{ "--readonly", NULL, false, true, offsetof(struct options, readonly) },
	{ "--help", "-h", false, false, offsetof(struct options, help) },
	{ "--version", "-V", false, false, offsetof(struct options, version) },
};

const char *
options_usage(void)
{
	return usage;
}

const struct options_flag *
options_flags(size_t *n)
{
	*n = sizeof flags / sizeof flags[0];
	return flags;
}

/* The value of a flag given as "--flag VALUE" or "--flag=VALUE". */
static int
take_value(const char *flag, int argc, char **argv, int *i, const char **out,
           char *err, size_t errlen)
{
	const char *arg = argv[*i];
	size_t n = strlen(flag);

	if (arg[n] == '=') {
		*out = arg + n + 1;
		return 0;
	}
	if (*i + 1 >= argc) {
		snprintf(err, errlen, "%s needs a value", flag);
		return -1;
	}
	*out = argv[++*i];
	return 0;
}

/* True when arg is flag itself or "flag=..." */
static int
is_flag(const char *arg, const char *flag)
{
	size_t n = strlen(flag);

	return strncmp(arg, flag, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

/* The table's flag that arg names: a switch by its name or alias, a
 * flag with a value also as "flag=VALUE"; NULL when none. */
static const struct options_flag *
find_flag(const char *arg)
{
	const struct options_flag *f;
	size_t i;

	for (i = 0; i < sizeof flags / sizeof flags[0]; i++) {
		f = &flags[i];
		if (f->takes_value
		        ? is_flag(arg, f->name)
		        : strcmp(arg, f->name) == 0 ||
		              (f->alias != NULL && strcmp(arg, f->alias) == 0))
			return f;
	}
	return NULL;
}

/* Handles one global flag at argv[*i]; -1 with err set when unknown. */
static int
parse_flag(struct options *o, int argc, char **argv, int *i, char *err,
           size_t errlen)
{
	const struct options_flag *f = find_flag(argv[*i]);
	char *member;

	if (f == NULL) {
		snprintf(err, errlen, "unknown flag: %s (try --help)",
		         argv[*i]);
		return -1;
	}
	member = (char *)o + f->field;
	if (!f->takes_value) {
		*(bool *)member = true;
		return 0;
	}
	return take_value(f->name, argc, argv, i, (const char **)member, err,
	                  errlen);
}

/* True for a global flag that may also follow the subcommand. */
static bool
is_global_after_verb(const char *a)
{
	const struct options_flag *f = find_flag(a);

	return f != NULL && f->after_verb;
}

/*
 * Takes the global flags out of the subcommand's arguments (argv from
 * first on), as gh and kubectl accept them there; a flag given before the
 * subcommand too is overridden, as the later one wins. The rest keep their
 * order, closed up in place; a "--" ends the flags and stays for the
 * subcommand. Returns the count left, or -1 with err.
 */
static int
take_global_flags(struct options *o, int argc, char **argv, int first,
                  char *err, size_t errlen)
{
	int i, kept = first;

	for (i = first; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < argc)
				argv[kept++] = argv[i++];
			break;
		}
		if (i > first && is_global_after_verb(argv[i])) {
			if (parse_flag(o, argc, argv, &i, err, errlen) != 0)
				return -1;
			continue;
		}
		argv[kept++] = argv[i];
	}
	return kept - first;
}

int
options_parse(struct options *o, int argc, char **argv, char *err,
              size_t errlen)
{
	int i, n;

	memset(o, 0, sizeof *o);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (argv[i][0] != '-' || argv[i][1] == '\0')
			break;
		if (parse_flag(o, argc, argv, &i, err, errlen) != 0)
			return -1;
	}
	n = take_global_flags(o, argc, argv, i, err, errlen);
	if (n < 0)
		return -1;
	o->cmd_argc = n;
	o->cmd_argv = argv + i;
	if (o->url == NULL)
		o->url = getenv("SITECARE_URL");
	if (o->url != NULL && o->url[0] == '\0')
		o->url = NULL;
	return 0;
}
