/*
 * corpus.h - the in-memory queue and its scheduling: entries, AFL's
 * "top rated" culling into a favoured set, the cycle through the queue with
 * AFL's skip probabilities, and the power schedule that turns an entry into
 * a number of havoc candidates. Pure: the store writes files, the fuzz loop
 * runs inputs; this only decides. Entries are owned by the corpus.
 */
#ifndef FERRET_CORPUS_H
#define FERRET_CORPUS_H

#include <stddef.h>
#include <stdint.h>

#include "cov.h"

#include "records.h"
#include "rng.h"

enum corpus_schedule {
	SCHED_EXPLORE, /* AFL's classic score: speed, coverage, depth */
	SCHED_FAST,    /* AFLFast: plus a boost for rarely exercised paths */
};

struct i2s_structure;
struct vs_hint;

struct entry {
	uint32_t id;
	uint8_t *data; /* owned */
	uint32_t len;
	uint64_t cost;      /* what one run costs, from its counters (cov_cost); no clock */
	uint32_t edges;     /* edges hit (AFL's bitmap_size) */
	uint32_t depth;     /* 0 for seeds, parent's + 1 */
	int32_t parent;     /* id of the entry it was mutated from, -1 for seeds */
	uint16_t op;        /* what made it (caller's numbering: mutator or stage) */
	uint16_t rep;       /* havoc stack depth */
	uint64_t path_hash; /* hash of the classified trace */
	uint32_t *hit;      /* the `edges` counters it hit, by index; owned */
	uint32_t top_refs;  /* number of edges for which this entry is the best */
	uint32_t pmin_refs; /* passive-minimization slots held (value streams) */
	uint32_t feat_refs; /* features it is the shortest entry for (LOOP_FEATURES) */
	uint32_t *feats;    /* the features it took when kept (LOOP_FEATURES), owned */
	uint32_t n_feats;
	uint64_t fuzz_level;
	unsigned favored : 1, was_fuzzed : 1, new_cov : 1, variable : 1, disabled : 1, trimmed : 1,
		cmp_done : 1;
	char *name; /* file name in queue/, owned (set by the caller) */
	/* Lengths and checksums its compare stage found (i2s.h), owned; NULL
	 * when none */
	struct i2s_structure *structure;
	struct rec_fmt rec; /* the chain of records it is, found when kept (records.h) */
	/* Value streams: compare operands its values met (vmutate.h), found
	 * by its compare stage, owned; NULL when none */
	struct vs_hint *hints;
	uint32_t n_hints;
};

struct corpus {
	struct entry **v;
	size_t n, cap;
	size_t map_bytes;
	struct entry **top; /* per edge: the fastest-and-smallest entry hitting it */
	uint32_t *n_fuzz;   /* path frequency table for SCHED_FAST */
	size_t n_fuzz_slots;
	size_t cur; /* next position of the queue cycle */
	uint64_t cycles;
	uint32_t n_favored, pending_favored;
	uint64_t sum_cost, sum_edges;
	int dirty; /* top changed since the last cull */
};

/* Prepares an empty corpus for a map of map_bytes counters; allocates the
 * per-edge table and n_fuzz_slots frequency slots (0: none). Returns 0 or
 * FERRET_ENOMEM. */
int corpus_init(struct corpus *c, size_t map_bytes, size_t n_fuzz_slots);

/* Frees every entry and the tables. */
void corpus_release(struct corpus *c);

/* A new entry with a copy of data; NULL when out of memory. */
struct entry *entry_new(const uint8_t *data, size_t len);
void entry_free(struct entry *e);

/*
 * Adds e (ownership passes to the corpus) with its classified trace: records
 * the counters it hit and competes for each one's top slot (AFL's
 * update_bitmap_score: smaller cost * len wins). e->id is set to its
 * position. Reads the counters touch lists (cov.h; NULL: the whole map), so
 * an entry costs what it hit, in time and memory, not the size of the map.
 * Returns 0 or FERRET_ENOMEM.
 */
int corpus_add(struct corpus *c, struct entry *e, const uint8_t *trace,
	       const struct cov_touch *touch);

/* Recomputes the favoured set if the top table changed (AFL's cull_queue):
 * walk edges, take each uncovered edge's top entry, mark its edges covered. */
void corpus_cull(struct corpus *c);

/*
 * The next entry to fuzz: cycles through the queue, skipping non-favoured
 * entries with AFL's probabilities (99% while favoured ones are pending,
 * else 95%, or 75% for never-fuzzed ones after the first cycle). Culls at
 * the start of each cycle. NULL when the corpus is empty or every entry is
 * disabled.
 */
struct entry *corpus_next(struct corpus *c, struct rng *r);

/* Counts one execution of a path (SCHED_FAST bookkeeping). */
void corpus_note_path(struct corpus *c, uint64_t path_hash);

/*
 * Havoc candidates to spend on e (AFL's calculate_score): 100 scaled by
 * speed and coverage relative to the queue average, by depth, and for
 * SCHED_FAST by how rarely the entry's path was exercised; capped at
 * max_mult * 100, then times base_cycles / 100. 0 means skip it this time.
 */
uint32_t corpus_energy(const struct corpus *c, const struct entry *e, enum corpus_schedule s,
		       uint32_t base_cycles, uint32_t max_mult);

/* Marks e as fuzzed once more (updates pending counts). */
void corpus_mark_fuzzed(struct corpus *c, struct entry *e);

#endif
