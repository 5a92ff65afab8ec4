/*
 * cov_guard.c - edge coverage for clang's -fsanitize-coverage=trace-pc-guard.
 *
 * Every edge has its own guard; at start-up each guard gets the next index,
 * so the map is exactly as large as the program (no fixed 64 KiB, no
 * collisions) and index 0 is never used. Guard init may run once per module
 * and more than once for the same module; a guard already numbered is kept.
 * The per-edge callback is one indexed counter bump (ferret__hit).
 *
 * With -fsanitize-coverage=pc-table (ferret-cc adds it) each module also
 * has a table of its blocks' addresses, in the order of its guards, handed
 * over by __sanitizer_cov_pcs_init right after the module's guard init.
 * The runtime keeps where each table is and which index its first guard
 * got, and writes the edges' addresses into the engine's region once,
 * before the fork server's HELLO (ferret__edge_pcs): nothing per execution.
 */
#include "rt.h"

#define MAX_PC_TABLES 64
static struct pc_table {
	const uintptr_t *pcs; /* pairs {address, flags}, one per guard */
	uint32_t first, n;    /* index of its first guard, guards */
} tables[MAX_PC_TABLES];
static unsigned n_tables;
static uint32_t last_first, last_n; /* the module whose guards were numbered last */
static struct ferret_guard_module modules[MAX_PC_TABLES];
static unsigned n_modules;

FERRET_EXPORT void __sanitizer_cov_trace_pc_guard_init(uint32_t *start, uint32_t *stop)
{
	if (start == stop)
		return;
	last_n = (uint32_t)(stop - start);
	if (*start) { /* numbered already: the same module again */
		last_first = *start;
		return;
	}
	last_first = ferret__edges + 1;
	for (uint32_t *g = start; g < stop; g++)
		*g = ++ferret__edges;
	if (n_modules < MAX_PC_TABLES)
		modules[n_modules++] = (struct ferret_guard_module){start, stop};
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

/* The module's table of block addresses, right after its guard init (the
 * same constructor calls both). A table whose length is not the guards'
 * is not trusted; one seen already is not added twice. */
FERRET_EXPORT void __sanitizer_cov_pcs_init(const uintptr_t *beg, const uintptr_t *end)
{
	uint32_t n = (uint32_t)((end - beg) / 2);
	if (!n || n != last_n || n_tables == MAX_PC_TABLES)
		return;
	for (unsigned i = 0; i < n_tables; i++)
		if (tables[i].pcs == beg)
			return;
	tables[n_tables++] = (struct pc_table){beg, last_first, n};
}

uint32_t ferret__edge_pcs(uint64_t *pcs, uint32_t cap)
{
	uint32_t used = 0;
	for (unsigned t = 0; t < n_tables; t++)
		for (uint32_t i = 0; i < tables[t].n; i++) {
			uint32_t idx = tables[t].first + i;
			if (idx >= cap)
				break;
			pcs[idx] = ferret__rel_pc(tables[t].pcs[2 * i]);
			used = idx + 1 > used ? idx + 1 : used;
		}
	return used;
}

unsigned ferret__guard_modules(const struct ferret_guard_module **mods)
{
	*mods = modules;
	return n_modules;
}

unsigned ferret__pc_tables(const uintptr_t **beg, const uintptr_t **end, unsigned cap)
{
	unsigned n = n_tables < cap ? n_tables : cap;
	for (unsigned t = 0; t < n; t++) {
		beg[t] = tables[t].pcs;
		end[t] = tables[t].pcs + 2 * tables[t].n;
	}
	return n_tables;
}

/* Flag bit 0 of a pc-table entry: the block is its function's entry. */
uint32_t ferret__func_entries(uint32_t *idx, uintptr_t *pcs, uint32_t cap)
{
	uint32_t n = 0;
	for (unsigned t = 0; t < n_tables; t++)
		for (uint32_t i = 0; i < tables[t].n; i++) {
			if (!(tables[t].pcs[2 * i + 1] & 1))
				continue;
			if (n < cap) {
				idx[n] = tables[t].first + i;
				pcs[n] = tables[t].pcs[2 * i];
			}
			n++;
		}
	return n;
}
