/* `sitecare whoami`: who the stored session belongs to. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/client/model.h"
#include "tui/cmd/cmd.h"
#include "tui/cmd/runloop.h"
#include "tui/sanitize.h"

/* Prints name, email, role and permissions, one per line. */
static void
print_me(const struct me *me, const char *url)
{
	char *name = sanitize_str(me->name, 0);
	char *email = sanitize_str(me->email, 0);
	unsigned bit;
	const char *sep = "";

	printf("%s <%s>\n", name, email);
	printf("role: %s\n", staff_role_name(me->role));
	printf("permissions:");
	for (bit = 1; bit != 0 && bit < (1u << PERMISSION_COUNT); bit <<= 1)
		if (me->permissions & bit) {
			printf("%s %s", sep, permission_name(bit));
			sep = ",";
		}
	printf("\nservice: %s\n", url);
	free(name);
	free(email);
}

int
cmd_whoami(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cmd_me_answer res = { 0 };
	struct api *a;
	int rc = CMD_OK;

	if (cmd_no_arguments(argc, argv) != CMD_OK)
		return CMD_USAGE;
	a = cmd_api_new(ctx);
	if (a == NULL)
		return CMD_USAGE;
	api_me(a, cmd_on_me, &res);
	if (runloop_run(a) != 0)
		sc_error_set(&res.err, SC_ERR_LOCAL, "the event loop failed");
	if (res.err.kind != SC_OK) {
		cmd_print_error(&res.err);
		rc = CMD_FAILED;
	} else
		print_me(&res.me, api_url(a));
	me_free(&res.me);
	sc_error_clear(&res.err);
	api_free(a);
	return rc;
}
