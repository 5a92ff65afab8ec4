/*
 * clock.h - the one monotonic clock of engine and driver. Time decides when
 * a run stops, when a status line is due and when a child is overdue; it
 * never decides what the fuzzing loop does (DESIGN.md, determinism), so
 * nothing in src/core/ includes this file.
 */
#ifndef FERRET_CLOCK_H
#define FERRET_CLOCK_H

#include <stdint.h>
#include <time.h>

/* Nanoseconds since an arbitrary fixed point (CLOCK_MONOTONIC). */
static inline uint64_t clock_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Milliseconds on the same clock. */
static inline uint64_t clock_ms(void)
{
	return clock_ns() / 1000000ull;
}

#endif
