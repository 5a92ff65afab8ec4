/*
 * cover.h - a greedy set cover of inputs by their coverage features: which
 * inputs to keep so that every feature any of them has is still had by a
 * kept one. Two users: -set_cover_merge=1 (driver/merge.c, libFuzzer's
 * rule: the input adding the most features first) and the distillation of
 * a libFuzzer-mode corpus when a run ends (loop_distill: the fewest bytes,
 * so the input adding the most features per byte first, then every kept
 * input whose features the others all have is dropped again).
 *
 * A feature is a number below the caller's `space` (for coverage, a
 * counter's index x 8 + its bucket bit). Sets marked `fixed` are kept
 * whatever they add (OUT's inputs in a merge, the seeds of a run): their
 * features count as covered from the start.
 *
 * Lazy greedy: a set's count of new features only falls as others are
 * picked, so a heap of counts known to be at least the real ones gives
 * the same picks as rescanning every set per pick, at a cost near the sum
 * of the sets' sizes.
 */
#ifndef FERRET_COVER_H
#define FERRET_COVER_H

#include <stddef.h>
#include <stdint.h>

struct cover_set {
	const uint32_t *feats; /* its features, each below space and listed once */
	size_t n_feats;
	size_t len; /* its size in bytes: ties, or the cost under COVER_PER_BYTE */
	int fixed;  /* kept anyway; its features are covered first */
};

enum cover_rule {
	/* the most new features first; of as many, the smaller; of one
	 * size, the earlier (libFuzzer's -set_cover_merge=1) */
	COVER_MOST_NEW,
	/* the most new features per byte first (then as COVER_MOST_NEW);
	 * then, largest first, a picked set whose every feature another
	 * kept set has is dropped */
	COVER_PER_BYTE,
};

/*
 * Picks sets of s[0..n) (never a fixed one) until none adds a feature.
 * order[] (n entries) receives the picked indexes in pick order and adds[]
 * (n entries, may be NULL) how many features each added when picked.
 * Returns how many were picked, or -1 when out of memory.
 */
long cover_pick(const struct cover_set *s, size_t n, size_t space, enum cover_rule rule,
		size_t *order, size_t *adds);

#endif
