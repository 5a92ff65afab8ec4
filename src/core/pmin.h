/*
 * pmin.h - passive minimization of a value-stream corpus (Zig's fuzzer):
 * for every edge, the corpus keeps the entry that reaches it with the least
 * total coverage and the one with the most, each time preferring the one
 * that needs the fewest values (then bytes). An input is worth keeping when
 * it reaches a new edge or beats a kept best for an edge it reaches; an
 * entry that is no longer best for any edge leaves the corpus. No separate
 * minimization pass is ever needed.
 */
#ifndef FERRET_PMIN_H
#define FERRET_PMIN_H

#include <stddef.h>
#include <stdint.h>

#include "corpus.h"
#include "cov.h"

struct pmin_quality {
	uint32_t cov;    /* edges the input reaches */
	uint32_t values; /* values it consumed */
	uint32_t bytes;  /* size of its stream */
};

struct pmin_slot {
	struct entry *min, *max;
	struct pmin_quality qmin, qmax;
};

struct pmin {
	size_t edges;
	struct pmin_slot *slot; /* one per counter */
};

/* 0 or FERRET_ENOMEM. */
int pmin_init(struct pmin *p, size_t edges);
void pmin_release(struct pmin *p);

/* Whether an input with this (raw or classified) trace and quality should
 * be kept. Reads only; O(edges hit): the counters touch lists (cov.h), or
 * a word scan of the trace when touch is NULL or unusable. */
int pmin_wants(const struct pmin *p, const uint8_t *trace, const struct cov_touch *touch,
	       const struct pmin_quality *q);

/* Called for each entry that stopped being best for any edge. */
typedef void (*pmin_drop_fn)(void *ctx, struct entry *e);

/*
 * Makes e the best where it wins (uses e->pmin_refs to count its slots).
 * Entries that lose their last slot are passed to drop. Returns the number
 * of slots e took (0: it was not worth keeping after all).
 */
size_t pmin_install(struct pmin *p, struct entry *e, const uint8_t *trace,
		    const struct pmin_quality *q, pmin_drop_fn drop, void *ctx);

#endif
