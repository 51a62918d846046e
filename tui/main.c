/* sitecare's entry point: parses flags and hands over to a command. */
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "tui/cmd/cmd.h"
#include "tui/options.h"
#include "tui/tui.h"

/* No command: the terminal interface, with the same settings. */
static int
open_tui(const struct options *o)
{
	struct cmd_ctx ctx;
	int rc = cmd_ctx_init(&ctx, o);

	if (rc == CMD_OK)
		rc = tui_run(&ctx);
	cmd_ctx_free(&ctx);
	return rc;
}

int
main(int argc, char **argv)
{
	struct options o;
	char err[256];

	setlocale(LC_CTYPE, "");
	/* A peer or a pipe that went away is an error to report, not death. */
	signal(SIGPIPE, SIG_IGN);
	if (options_parse(&o, argc, argv, err, sizeof err) != 0) {
		fprintf(stderr, "sitecare: %s\n", err);
		return 2;
	}
	if (o.help) {
		fputs(options_usage(), stdout);
		return 0;
	}
	if (o.version) {
		printf("sitecare %s\n", SITECARE_VERSION);
		return 0;
	}
	if (o.cmd_argc > 0)
		return cmd_run(&o, o.cmd_argc, o.cmd_argv);
	return open_tui(&o);
}
