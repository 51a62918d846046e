/* Naming a service's files after its URL: see service_key.h. */
#include "net/client/service_key.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "net/base/paths.h"
#include "net/base/xmalloc.h"

char *
service_key(const char *base_url)
{
	unsigned char hash[SERVICE_KEY_LEN / 2];
	char hex[SERVICE_KEY_LEN + 1];

	crypto_generichash(hash, sizeof hash, (const unsigned char *)base_url,
	                   strlen(base_url), NULL, 0);
	sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
	return xstrdup(hex);
}

char *
service_key_dir(const char *root, const char *sub, const char *base_url,
                struct sc_error *err)
{
	char *key = service_key(base_url), *dir = NULL, *top;

	if (root == NULL) {
		top = xasprintf("%s/%s", sub, key);
		dir = paths_dir(PATHS_STATE, top, err);
		free(top);
	} else if (mkdir(root, 0700) != 0 && errno != EEXIST) {
		sc_error_set(err, SC_ERR_LOCAL, "cannot create %s: %s", root,
		             strerror(errno));
	} else {
		dir = xasprintf("%s/%s", root, key);
	}
	free(key);
	return dir;
}
