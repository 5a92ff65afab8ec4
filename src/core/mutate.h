/*
 * mutate.h - byte-level mutation: the mutators listed in mutators.def, AFL's
 * havoc (a random stack of them) and AFL's splicing of two corpus entries.
 * This module owns what a mutation does to a buffer and the record of which
 * mutators ran. It does not own the buffer (the caller passes it with its
 * capacity), nor the choice of entry or splice partner (scheduler, corpus),
 * nor dictionary parsing (dict). It sits between scheduler and executor.
 *
 * Pure core code: no I/O, no allocation, no globals but const tables.
 * Determinism contract: every function draws randomness only from the
 * struct rng passed in, so the same rng state, input bytes, len, cap and env
 * always give the same output bytes, length and trace.
 */
#ifndef FERRET_MUTATE_H
#define FERRET_MUTATE_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "rng.h"

/* Havoc stacks between 1 and 1 << MUTATE_STACK_POW2 (128) mutators at most
 * (common/config.h, CFG_HAVOC_STACK_POW2). */
#define MUTATE_STACK_POW2 CFG_HAVOC_STACK_POW2

/* A dictionary token; the bytes belong to the dictionary, not to us. */
struct mutate_token {
	const uint8_t *data;
	uint32_t len;
};

/*
 * What a mutator may draw on besides the input. All pointers are borrowed
 * and read only; none of them may overlap the buffer being mutated.
 */
struct mutate_env {
	const uint8_t *splice; /* another corpus entry, or NULL/0 */
	size_t splice_len;
	const struct mutate_token *tokens; /* dictionary, may be 0 */
	size_t n_tokens;
	int only_ascii; /* reserved for later; no mutator reads it yet */
};

/*
 * The one signature of every mutator. buf holds len bytes of input and has
 * room for cap bytes (cap >= 1, len <= cap; len may be 0). A mutator edits
 * buf in place, never writes at or beyond buf[cap], and returns the new
 * length in [1, cap], or 0 when it does not apply to this input (empty input
 * for a flip, no room to insert, no tokens, no splice source), in which case
 * buf is unchanged. Randomness comes from r only.
 */
typedef size_t (*mutator_fn)(struct rng *r, uint8_t *buf, size_t len, size_t cap,
			     const struct mutate_env *env);

enum mutator_id {
#define MUTATOR(id, name, fn) MUT_##id,
#include "mutators.def"
#undef MUTATOR
	MUT__COUNT
};

struct mutator {
	const char *name; /* op name for file names and stats, see mutators.def */
	mutator_fn fn;
};

/* The dispatch table, indexed by enum mutator_id. */
extern const struct mutator mutators[MUT__COUNT];

/*
 * The mutators havoc applied, in order. n counts all of them (1..128);
 * ops[] holds the ids of the first 64.
 */
struct mutate_trace {
	uint8_t ops[64];
	unsigned n;
};

/*
 * Applies mutator id to buf (len bytes, room for cap). env may be NULL,
 * meaning no dictionary and no splice source. Returns the new length in
 * [1, cap], or 0 when the mutator does not apply, id is out of range, cap is
 * 0 or len > cap; buf is unchanged whenever 0 is returned.
 */
size_t mutate_one(enum mutator_id id, struct rng *r, uint8_t *buf, size_t len, size_t cap,
		  const struct mutate_env *env);

/*
 * AFL's havoc: applies a stack of 1 + rng_below(1 << rng_below(8)) mutators
 * (1..128, a quarter of the time just one) to buf in place, each drawn uniformly among all ids and
 * redrawn until one applies, so ops that lack tokens or a splice source are skipped. env may be
 * NULL. len may be 0: the first op is then an insertion. Returns the new length in [1, cap];
 * returns 0 only when cap is 0 or len > cap (buf untouched). If trace is non-NULL it is reset and
 * records the ops applied.
 */
size_t mutate_havoc(struct rng *r, uint8_t *buf, size_t len, size_t cap,
		    const struct mutate_env *env, struct mutate_trace *trace);

/*
 * mutate_havoc with a smaller ceiling: depth 1 + rng_below(1 << k), k in
 * 0..max_pow (at most MUTATE_STACK_POW2). The in-process loop uses 3 (1..8
 * mutations, libFuzzer's depth is 1..5): there a run costs little more than
 * the mutations, so deep stacks would spend most of the time mutating.
 */
size_t mutate_havoc_depth(struct rng *r, uint8_t *buf, size_t len, size_t cap,
			  const struct mutate_env *env, struct mutate_trace *trace,
			  unsigned max_pow);

/*
 * AFL's splice stage. Let f and l be the first and last positions where buf
 * and env->splice differ within their common length. When f < l, draws one
 * split point s = f + 1 + rng_below(r, l - f), so s is in (f, l] and the
 * result differs from both parents; builds buf[0, s) + splice[s, splice_len)
 * truncated to cap; then runs mutate_havoc() on it with the same r and trace.
 * Returns the new length in [1, cap], or 0 (buf untouched, no draw made) when
 * env or env->splice is NULL, len or splice_len is 0, len > cap, or the two
 * inputs differ in fewer than two places of their common length.
 */
size_t mutate_splice(struct rng *r, uint8_t *buf, size_t len, size_t cap,
		     const struct mutate_env *env, struct mutate_trace *trace);

/* mutate_splice whose havoc stack has the ceiling 1 << max_pow, as
 * mutate_havoc_depth. */
size_t mutate_splice_depth(struct rng *r, uint8_t *buf, size_t len, size_t cap,
			   const struct mutate_env *env, struct mutate_trace *trace,
			   unsigned max_pow);

/* The op name of mutator id (static storage), or "?" if id is out of range. */
const char *mutate_name(unsigned id);

#endif
