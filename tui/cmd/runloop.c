/* Runs one api's calls to the end on the one loop: see runloop.h. */
#include "tui/cmd/runloop.h"

#include "net/client/api.h"
#include "net/base/loop.h"

int
runloop_run(struct api *a)
{
	struct loop *l = loop_new();
	struct loop_source src = api_source(a);
	int rc;

	loop_add_source(l, &src);
	rc = loop_run_until(l, api_idle, a, -1);
	loop_free(l);
	return rc == 0 ? 0 : -1;
}
