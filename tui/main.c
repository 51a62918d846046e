/* sitecare's entry point: parses flags and hands over to a command. */
#include <stdio.h>
#include <string.h>

#include "tui/options.h"

int
main(int argc, char **argv)
{
	struct options o;
	char err[256];

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
	if (o.cmd_argc > 0) {
		fprintf(stderr, "sitecare: unknown command: %s (try --help)\n",
		        o.cmd_argv[0]);
		return 2;
	}
	fprintf(stderr, "sitecare: the terminal interface is not built yet; "
	                "see --help\n");
	return 1;
}
