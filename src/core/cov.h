/*
 * cov.h - coverage feedback on a map of 8-bit hit counters: AFL's hit-count
 * buckets, the "virgin" map of what was ever seen, edge counts and path
 * hashes. Pure functions over caller-owned buffers; map sizes are multiples
 * of 64 bytes (the runtime rounds them) and buffers are 8-byte aligned, so
 * the whole-map functions walk it a 64-bit word at a time and skip zero
 * words.
 *
 * The per-execution functions (cov_sparse_*) read only the counters a run
 * touched, from the list the runtime keeps (struct cov_touch): their cost
 * follows the code that ran, not the size of the binary. Each falls back to
 * the whole map when there is no usable list, and gives the same result
 * either way.
 */
#ifndef FERRET_COV_H
#define FERRET_COV_H

#include <stddef.h>
#include <stdint.h>

enum cov_news {
	COV_NONE = 0,
	COV_NEW_BUCKET = 1, /* a known edge reached a new hit-count bucket */
	COV_NEW_EDGE = 2,   /* an edge never seen before */
};

/*
 * The counters one run touched: the runtime appends a counter's index when
 * the counter leaves zero (proto.h, "touch list"), so idx[0 .. *n) names
 * every non-zero counter once. The list belongs to whoever runs the target
 * (shared memory, or the worker's own): *n is read once per call, a count
 * above cap means the list overflowed or was never kept, and an index past
 * the map is ignored, so a target that writes the list can only lose its
 * own coverage, never make the engine read or write outside the map. A
 * target with threads can list a counter twice or leave one unlisted for a
 * run (see COV_THREADED_FULL_CLEAR): its coverage may then be off by a
 * bucket, as with any racing counter. NULL wherever a cov_touch is asked
 * for, or a NULL n: no list, whole map.
 */
struct cov_touch {
	const volatile uint32_t *idx;
	volatile uint32_t *n;
	uint32_t cap;
};

/* Set in the environment: the engine ignores touch lists and reads, and
 * clears, the whole map on every run, as before there were lists (to check
 * that both give the same run, and to measure what the lists save). */
#define COV_WHOLE_MAP_ENV "FERRET_WHOLE_MAP"

/* The bucket of a raw hit count: 0,1,2,3->4,4-7->8,8-15->16,16-31->32,
 * 32-127->64,128-255->128 (AFL's count_class_lookup8). */
uint8_t cov_bucket(uint8_t hits);

/* libFuzzer's feature of a classified counter: its index x 8 + the bit of
 * its bucket (non-zero). One per counter a run touched; the corpus rule,
 * merges and the distillation all count these. */
static inline uint32_t cov_feature(size_t i, uint8_t bucket)
{
	return (uint32_t)(i * 8 + (size_t)__builtin_ctz(bucket));
}

/*
 * Classifies trace in place (raw counts -> buckets) and compares it with
 * virgin, clearing in virgin the bits trace has. Returns enum cov_news.
 * virgin starts as all 0xff (cov_virgin_init). One pass over the map; this
 * is the per-execution cost of feedback.
 */
int cov_classify_and_update(uint8_t *trace, uint8_t *virgin, size_t bytes);

/* cov_classify_and_update that also returns the classified trace's
 * cov_hash in *hash, at the cost of one multiply per non-zero word. */
int cov_classify_update_hash(uint8_t *trace, uint8_t *virgin, size_t bytes, uint64_t *hash);

/* Classifies in place only (for calibration and replays). */
void cov_classify(uint8_t *trace, size_t bytes);

/* Like the update on a raw trace, but leaves trace and virgin untouched:
 * what would be new. */
int cov_peek_new(const uint8_t *trace, const uint8_t *virgin, size_t bytes);

/* Sets every byte of virgin to 0xff. */
void cov_virgin_init(uint8_t *virgin, size_t bytes);

/* Number of non-zero counters (edges hit) in trace. */
uint32_t cov_count_edges(const uint8_t *trace, size_t bytes);

/*
 * What a run cost, measured without a clock: the sum of its classified
 * counters. A bucket is within a factor of two of the edge's hit count, so
 * this tracks the edge executions the run made (capped at 128 per edge),
 * which is what the schedule needs to prefer cheap inputs; the same input
 * always costs the same, so a seed replays a run whatever the machine did.
 */
uint64_t cov_cost(const uint8_t *trace, size_t bytes);

/* Number of edges ever seen according to a virgin map. */
uint32_t cov_count_seen(const uint8_t *virgin, size_t bytes);

/* 64-bit hash of a classified trace (the path's identity): a sum over its
 * non-zero counters of a mix of index and bucket, so that a list of touched
 * counters in any order gives the same hash as the map (cov_sparse_hash). */
uint64_t cov_hash(const uint8_t *trace, size_t bytes);

/* Hash of which edges were hit, ignoring counts: the crash signature. */
uint64_t cov_hash_edges(const uint8_t *trace, size_t bytes);

/*
 * Crash/hang novelty, AFL's notion made stricter: true when trace hits an
 * edge that no earlier input of this kind hit. seen is a byte per edge,
 * zero-initialised by the caller; it is updated.
 */
int cov_new_edges_vs(const uint8_t *trace, uint8_t *seen, size_t bytes);

/* ---- per execution: only the touched counters (whole map without a list) ---- */

/* The k-th listed index (k below cov_touch_len), read once, since the
 * target may rewrite its list at any moment, and checked against the map:
 * the index, or `bytes` when it is not below it (the caller skips it).
 * Every reader of a list goes through here. */
static inline size_t cov_touch_at(const struct cov_touch *t, long k, size_t bytes)
{
	size_t i = t->idx[k];
	return i < bytes ? i : bytes;
}

/* The list's length when it can be read, else -1 (no list, or it
 * overflowed: the caller reads the whole map). Its indexes are still to be
 * checked against the map's size. */
long cov_touch_len(const struct cov_touch *t);

/* cov_classify_update_hash over the touched counters. */
int cov_sparse_classify_update(uint8_t *trace, uint8_t *virgin, size_t bytes,
			       const struct cov_touch *t, uint64_t *hash);

/* cov_classify over the touched counters. */
void cov_sparse_classify(uint8_t *trace, size_t bytes, const struct cov_touch *t);

/* cov_cost, cov_hash of a classified trace, and the number of non-zero
 * counters below `below` (cov_count_edges(trace, below)). */
uint64_t cov_sparse_cost(const uint8_t *trace, size_t bytes, const struct cov_touch *t);
uint64_t cov_sparse_hash(const uint8_t *trace, size_t bytes, const struct cov_touch *t);
uint32_t cov_sparse_count(const uint8_t *trace, size_t bytes, size_t below,
			  const struct cov_touch *t);

/* Zeroes the counters of a run and empties the list: the listed counters
 * when the list is usable, the whole map otherwise. */
void cov_sparse_clear(uint8_t *trace, size_t bytes, struct cov_touch *t);

/* Runs between two whole-map clears of a threaded target: a thread that
 * lists a counter while the engine empties the list, or whose index is
 * not yet stored when the engine reads it, can leave a counter non-zero
 * and unlisted (never cleared, never seen again); the whole-map clear
 * heals it. A cost of map / COV_THREADED_FULL_CLEAR bytes per execution,
 * for threaded targets only. */
#define COV_THREADED_FULL_CLEAR 256

/* Zeroes the whole map and empties the list (start-up, a new child). */
void cov_full_clear(uint8_t *trace, size_t bytes, struct cov_touch *t);

/* Packs "edge hit" into a bitset of bytes/8 bytes (an entry's footprint). */
void cov_to_bits(const uint8_t *trace, uint8_t *bits, size_t bytes);

#endif
