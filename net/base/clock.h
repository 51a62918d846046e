/* Default clocks and jitter for net/ modules that take injectable ones. */
#ifndef SITECARE_NET_CLOCK_H
#define SITECARE_NET_CLOCK_H

#include <stdint.h>

/*
 * The signatures match the now_ms/random members of the events and
 * sender configs, so tests can inject fakes and real use gets these.
 * ud is unused.
 */
long long clock_mono_ms(void *ud); /* CLOCK_MONOTONIC: intervals */
long long clock_real_ms(void *ud); /* CLOCK_REALTIME: times kept on disk */
uint32_t clock_random(void *ud);   /* libsodium's generator */

#endif
