/*
 * cov_pc.c - edge coverage for gcc's -fsanitize-coverage=trace-pc, which
 * reports only the address of each block. As in AFL's classic callback the
 * edge id is hash(cur) ^ (prev >> 1) in a 64 KiB map, with prev kept per
 * thread so threads do not scramble each other's edges. Addresses are taken
 * relative to their module (modules.c) so ids survive ASLR across processes.
 * Hashed ids can collide; the engine is told so through FERRET_RT_PC_HASH.
 */
#include "rt.h"

static __thread uint32_t prev;

static void reset_prev(void)
{
	prev = 0;
}

__attribute__((constructor(101))) static void cov_pc_init(void)
{
	ferret__modules_scan();
	ferret__map_reserve(FERRET_PC_MAP_BYTES);
	if (ferret__edges < FERRET_PC_MAP_BYTES)
		ferret__edges = FERRET_PC_MAP_BYTES;
	ferret__iter_hook = reset_prev;
	ferret__rt_flags |= FERRET_RT_PC_HASH;
}

FERRET_EXPORT void __sanitizer_cov_trace_pc(void)
{
	uintptr_t pc = ferret__rel_pc((uintptr_t)__builtin_return_address(0));
	uint32_t cur = (uint32_t)((pc * 0x9e3779b97f4a7c15ull) >> 48);
	ferret__hit(ferret__map + (cur ^ prev));
	prev = cur >> 1;
}

/* A hashed edge joins two blocks: it has no one address (proto.h). */
uint32_t ferret__edge_pcs(uint64_t *pcs, uint32_t cap)
{
	(void)pcs;
	(void)cap;
	return 0;
}

/* No guards, no pc-tables: libFuzzer's "Loaded N modules" has nothing. */
unsigned ferret__guard_modules(const struct ferret_guard_module **mods)
{
	*mods = NULL;
	return 0;
}

unsigned ferret__pc_tables(const uintptr_t **beg, const uintptr_t **end, unsigned cap)
{
	(void)beg, (void)end, (void)cap;
	return 0;
}

uint32_t ferret__func_entries(uint32_t *idx, uintptr_t *pcs, uint32_t cap)
{
	(void)idx, (void)pcs, (void)cap;
	return 0;
}
