/*
 * funcs.c - the function entries of the harness and which ones the corpus
 * covers, for libFuzzer's NEW_FUNC lines (see funcs.h). libFuzzer marks a
 * function observed when an input added to the corpus covers its entry
 * (its TracePC::UpdateObservedPCs) and prints, for the functions observed
 * first, the address of the entry block and its description.
 *
 * The table is built once from the runtime's pc-tables: the entries'
 * counter indexes, sorted, and their addresses; a byte per edge says
 * "no entry", "entry not covered" or "covered". Marking an input costs a
 * load per counter it hit; describing a function (srcpos.h) costs a round
 * trip to the symbolizer, once per function per process.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "funcs.h"
#include "rt.h"
#include "srcpos.h"
#include "banned.h"

enum { NO_ENTRY, UNCOVERED, COVERED };

static struct {
	int ready;
	size_t edge_bytes, n;
	uint32_t *idx;  /* the entries' counter indexes, sorted */
	uintptr_t *pcs; /* their addresses, as loaded */
	uint8_t *state; /* per counter below edge_bytes */
	uint32_t *fresh;
} F;

static int cmp_entry(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

size_t funcs_init(size_t edge_bytes)
{
	if (F.ready)
		return F.n;
	F.ready = 1;
	uint32_t n = ferret__func_entries(NULL, NULL, 0);
	if (!n || !edge_bytes)
		return 0;
	uint32_t *idx = malloc(n * sizeof(*idx));
	uintptr_t *pcs = malloc(n * sizeof(*pcs));
	uint8_t *state = calloc(edge_bytes, 1);
	uint32_t *fresh = malloc(n * sizeof(*fresh));
	struct pair {
		uint32_t idx;
		uintptr_t pc;
	} *p = malloc(n * sizeof(*p));
	if (!idx || !pcs || !state || !fresh || !p) {
		free(idx), free(pcs), free(state), free(fresh), free(p);
		return 0;
	}
	/* it returns how many there are now, which a module loaded in
	 * between (its pc-table registered) makes more than were written */
	uint32_t now = ferret__func_entries(idx, pcs, n);
	n = now < n ? now : n;
	size_t k = 0;
	for (uint32_t i = 0; i < n; i++)
		if (idx[i] < edge_bytes)
			p[k++] = (struct pair){idx[i], pcs[i]};
	qsort(p, k, sizeof(*p), cmp_entry); /* idx comes first in a pair */
	for (size_t i = 0; i < k; i++) {
		idx[i] = p[i].idx;
		pcs[i] = p[i].pc;
		state[p[i].idx] = UNCOVERED;
	}
	free(p);
	F.edge_bytes = edge_bytes;
	F.n = k;
	F.idx = idx;
	F.pcs = pcs;
	F.state = state;
	F.fresh = fresh;
	return k;
}

size_t funcs_cover(const uint32_t *hit, size_t n, const uint32_t **fresh)
{
	size_t k = 0;
	*fresh = F.fresh;
	if (!F.n)
		return 0;
	for (size_t j = 0; j < n; j++) {
		uint32_t i = hit[j];
		if (i < F.edge_bytes && F.state[i] == UNCOVERED) {
			F.state[i] = COVERED;
			F.fresh[k++] = i;
		}
	}
	qsort(F.fresh, k, sizeof(*F.fresh), cmp_entry);
	return k;
}

static uintptr_t pc_of(uint32_t i)
{
	size_t lo = 0, hi = F.n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (F.idx[mid] < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < F.n && F.idx[lo] == i ? F.pcs[lo] : 0;
}

void funcs_print(int fd, const uint32_t *fresh, size_t n, long max, int fork_style)
{
	for (size_t i = 0; i < n && (fork_style || (long)i < max); i++) {
		uintptr_t pc = pc_of(fresh[i]);
		char desc[4096], line[4200];
		int len;
		if (srcpos_describe(pc, desc, sizeof(desc)))
			*desc = 0;
		if (fork_style && !*desc)
			continue; /* libFuzzer's fallback there is nothing */
		if (fork_style)
			len = snprintf(line, sizeof(line), "  NEW_FUNC: %#lx %s\n",
				       (unsigned long)pc, desc);
		else
			len = snprintf(line, sizeof(line), "\tNEW_FUNC[%zu/%zu]: %#lx%s%s\n", i + 1,
				       n, (unsigned long)pc, *desc ? " " : "", desc);
		if (len > (int)sizeof(line) - 1)
			len = (int)sizeof(line) - 1;
		(void)!write(fd, line, (size_t)len);
	}
}
