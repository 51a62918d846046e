/* Refusing weak staff-key passphrases, with the reason (libpwquality). */
#ifndef SITECARE_TUI_PASS_STRENGTH_H
#define SITECARE_TUI_PASS_STRENGTH_H

struct secret;

/* The shortest new passphrase, in characters. */
#define PASS_STRENGTH_MIN_CHARS 8

/*
 * Checks a new staff-key passphrase (a NUL-terminated secret) the way
 * passwd does, with libpwquality: at least PASS_STRENGTH_MIN_CHARS
 * characters, then pwquality's checks under its defaults and the
 * system's /etc/security/pwquality.conf (dictionary words, sequences,
 * "password", "12345678"...). Returns 0 when it will do; else -1 and
 * *reason, a malloc'd sentence the caller frees ("too short: ...",
 * "too weak: ..."), which never quotes the passphrase.
 *
 * The passphrase is handed to pwquality where it lies (no copy of ours),
 * in a child process: pwquality and cracklib make working copies of
 * their own in ordinary memory, which die with the child. The check
 * takes a few milliseconds (a fork and a dictionary lookup).
 */
int pass_strength_check(struct secret *pass, char **reason);

/*
 * The same check in two halves, for the interface: start, on the loop
 * thread, checks the length and forks the child (a fork does not wait
 * for anything; the passphrase is read here and nowhere later); finish,
 * on a worker thread, waits for the child's verdict and returns as
 * pass_strength_check does, freeing ps.
 */
struct pass_strength;
struct pass_strength *pass_strength_start(struct secret *pass);
int pass_strength_finish(struct pass_strength *ps, char **reason);

#endif
