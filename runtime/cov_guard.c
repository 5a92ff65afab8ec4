/*
 * cov_guard.c - edge coverage for clang's -fsanitize-coverage=trace-pc-guard.
 *
 * Every edge has its own guard; at start-up each guard gets the next index,
 * so the map is exactly as large as the program (no fixed 64 KiB, no
 * collisions) and index 0 is never used. Guard init may run once per module
 * and more than once for the same module; a guard already numbered is kept.
 * The per-edge callback is one indexed counter bump (ferret__hit).
 */
#include "rt.h"

FERRET_EXPORT void __sanitizer_cov_trace_pc_guard_init(uint32_t *start, uint32_t *stop)
{
	if (start == stop || *start)
		return;
	for (uint32_t *g = start; g < stop; g++)
		*g = ++ferret__edges;
	ferret__map_reserve((size_t)ferret__edges + 1);
	/* A module loaded after the fork server started (dlopen in the child)
	 * cannot grow a map that is shared already, and its edges lie past
	 * what the engine reads (not counted); those past the map's end share
	 * index 0, which the engine never reads, rather than write past it. */
	size_t cap = ferret__map_cap();
	for (uint32_t *g = start; g < stop; g++)
		if (*g >= cap)
			*g = 0;
	ferret__rt_flags |= FERRET_RT_GUARDS;
}

FERRET_EXPORT void __sanitizer_cov_trace_pc_guard(uint32_t *guard)
{
	ferret__hit(ferret__map + *guard);
}
