/* Default clocks and jitter source. */
#include "net/base/clock.h"

#include <sodium.h>
#include <time.h>

/* Milliseconds of the given clock. */
static long long
clock_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

long long
clock_mono_ms(void *ud)
{
	(void)ud;
	return clock_ms(CLOCK_MONOTONIC);
}

long long
clock_real_ms(void *ud)
{
	(void)ud;
	return clock_ms(CLOCK_REALTIME);
}

uint32_t
clock_random(void *ud)
{
	(void)ud;
	return randombytes_random();
}
