/* The `sitecare keygen` subcommand: make and register the staff key. */
#ifndef SITECARE_TUI_CMD_KEYGEN_H
#define SITECARE_TUI_CMD_KEYGEN_H

#include "tui/cmd/cmd.h"

/* `sitecare keygen [--force] [--passphrase-stdin] [--password-stdin]`,
 * `sitecare keygen --register-only [--password-stdin]`. */
int cmd_keygen(struct cmd_ctx *ctx, int argc, char **argv);

/* Its --help text, for the command table (tui/cmd/cmd.c). */
#define CMD_KEYGEN_USAGE                                                       \
	"usage: sitecare keygen [--force] [--passphrase-stdin] "               \
	"[--password-stdin]\n"                                                 \
	"       sitecare keygen --register-only [--password-stdin]\n"          \
	"Makes your X25519 key pair for revealing site credentials, keeps "    \
	"the\nprivate key in $XDG_DATA_HOME/sitecare/staff.key (mode 0600) "   \
	"sealed\nunder a passphrase (Argon2id, XChaCha20-Poly1305), and "      \
	"registers the\npublic key with the service (PUT /me/public-key; "     \
	"sign in first).\nThe passphrase (at least 8 characters, not weak: "   \
	"libpwquality's checks,\nas passwd's) is asked twice on the "          \
	"terminal without echo, or read\nas one line of stdin with "           \
	"--passphrase-stdin.\nRegistering needs your account password every "  \
	"time: asked on the terminal\nwithout echo, or read as a line of "     \
	"stdin with --password-stdin (the\nsecond line when "                  \
	"--passphrase-stdin is given too). Not signed in, it is\nnot asked "   \
	"and the key is made but not registered.\n"                            \
	"An existing key is never replaced unless --force is given "           \
	"(credentials\nsealed to the old key can then no longer be opened).\n" \
	"--register-only registers the existing key's public half again.\n"    \
	"Prints the key file's path and the public key (base64).\n"            \
	"Exit status 0 when made and registered; 1 when something failed (a "  \
	"key\nthat was made but not registered, e.g. for a wrong password, "   \
	"stays: run\n--register-only); 2 on usage errors, a weak passphrase, " \
	"no password, and\nin read-only mode.\n"

#endif
