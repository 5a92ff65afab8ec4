/*
 * loop.h - the fuzzing loop, written once for every mode: `ferret fuzz`
 * (fork server or persistent target), the in-process worker of
 * libFuzzer-style harnesses, and FERRET_TEST property tests.
 *
 * It owns the per-entry algorithm: choose the entry (corpus.h), run the
 * compare stage once per entry (input-to-state and automatic tokens, i2s.h),
 * run the custom mutators' stage (AFL++'s ABI, struct loop_mutators), spend
 * the entry's energy on candidates (splice, havoc with the dictionary, the
 * harness's custom mutator, or value-level mutation of a value stream),
 * judge each run's coverage against the virgin map and keep what is new. It
 * owns the corpus, the virgin map, the dictionary and the one rng.
 *
 * It does not own processes, files, clocks or output. Each candidate goes
 * through an executor (struct loop_exec: fork server, persistent child or a
 * direct call) that returns a verdict for exactly that input with the run's
 * counters in the map; what the loop finds goes to a sink (struct
 * loop_sink) that writes queue files, crash files or the ring to the
 * supervisor. The shells (src/fuzz.c, driver/worker.c) add only what is
 * theirs: calibration, trimming, sync and stats; the ring and the budget.
 *
 * Determinism: every choice draws on the rng seeded in loop_init, and the
 * cost the schedule weighs is measured from the counters (cov_cost), never
 * with a clock. The sink's tick may stop the loop when time is up; nothing
 * else the shell reports changes what the loop does. So the same binary,
 * seed, starting corpus and budget in executions give the same corpus and
 * findings.
 */
#ifndef FERRET_LOOP_H
#define FERRET_LOOP_H

#include <stddef.h>
#include <stdint.h>

#include "corpus.h"
#include "dict.h"
#include "mutate.h"
#include "pmin.h"
#include "proto.h"
#include "rng.h"
#include "valstream.h"

/* What made a candidate, for file names, status lines and entries. */
enum loop_op {
	LOOP_OP_SEED,      /* an initial input */
	LOOP_OP_HAVOC,     /* a havoc stack on an entry */
	LOOP_OP_SPLICE,    /* two entries spliced, then havoc */
	LOOP_OP_I2S,       /* input-to-state from the compare log */
	LOOP_OP_CUSTOM,    /* the harness's custom mutator */
	LOOP_OP_CROSSOVER, /* the harness's custom crossover */
	LOOP_OP_VALUES,    /* value-level mutation of a value stream */
	LOOP_OP_SYNC,      /* imported from another instance */
	LOOP_OP_TRIM,      /* a trimming run, or bytes trimmed off an entry */
	LOOP_OP_REDUCE,    /* a shorter input took an entry's path: its bytes replace the entry's */
	LOOP_OP_RECORDS,   /* whole records inserted, deleted, repeated or moved (records.h) */
	LOOP_OP__COUNT
};

/* The op's name ("havoc", "splice", "i2s", ...), static storage. */
const char *loop_op_name(enum loop_op op);

struct loop_origin {
	enum loop_op op;
	int32_t src, src2;                /* parent entry ids (src2: splice partner); -1 none */
	const struct mutate_trace *trace; /* byte mutators applied, or NULL */
	uint32_t mutator;                 /* LOOP_OP_CUSTOM from struct loop_mutators: which one */
};

enum loop_verdict_kind {
	LOOP_OK,     /* ran to the end; the map holds its raw counters */
	LOOP_CRASH,  /* signal, sanitizer report or crash exit code */
	LOOP_HANG,   /* past the timeout, killed */
	LOOP_REJECT, /* the harness asked not to keep it (returned -1) */
};

struct loop_verdict {
	enum loop_verdict_kind kind;
	int signal; /* LOOP_CRASH: the signal, 0 for an exit-code crash */
	int exit_code;
	uint64_t exec_ns; /* for stats only: the loop never reads it */
	/* Cost beyond the counters, measured without a clock: the in-process
	 * executor counts the bytes the run allocated (under a sanitizer),
	 * CFG_ALLOC_BYTES_PER_COST to a unit. 0 when unknown. */
	uint64_t extra_cost;
	/* Value streams: what the run consumed, kept instead of the input
	 * (NULL: keep the input), and how many values that was. */
	const uint8_t *keep;
	size_t keep_len;
	uint32_t values;
};

/* Flags of one run. */
enum loop_run_flags {
	LOOP_RUN_CMP = 1u << 0, /* log compares into the compare log */
	LOOP_RUN_KEEP =
		1u << 1, /* loop_run_one: keep it without new coverage (not the executor's) */
};

struct loop_exec {
	/*
	 * Runs buf[0..len) once and fills *v. The executor clears the
	 * counters before the run; after LOOP_OK they hold the run's raw hit
	 * counts in the map given to loop_init. Returns 0, or a negative
	 * ferret_err when the target cannot be run at all (the loop stops and
	 * returns it).
	 */
	int (*run)(void *ctx, const uint8_t *buf, size_t len, unsigned flags,
		   const struct loop_origin *o, struct loop_verdict *v);
	void *ctx;
};

struct loop_sink {
	/* A new corpus entry (e->data is what was kept). May be NULL. */
	void (*new_entry)(void *ctx, struct entry *e, const struct loop_origin *o);
	/* A crash or hang: buf is the input that caused it, map its counters. */
	void (*crash)(void *ctx, const uint8_t *buf, size_t len, const struct loop_verdict *v,
		      const struct loop_origin *o);
	void (*hang)(void *ctx, const uint8_t *buf, size_t len, const struct loop_verdict *v,
		     const struct loop_origin *o);
	/* Passive minimization retired e (value streams only). */
	void (*drop)(void *ctx, struct entry *e);
	/* e's bytes were replaced by shorter ones with the same path (why:
	 * LOOP_OP_TRIM or LOOP_OP_REDUCE); old[0..old_len) were its bytes, valid
	 * during the call only. */
	void (*replace)(void *ctx, struct entry *e, const uint8_t *old, size_t old_len,
			enum loop_op why);
	/* Before the candidates of a scheduled entry (trim, status). */
	void (*begin_entry)(void *ctx, struct entry *e);
	/* Every tick_execs executions: nonzero stops the loop. The only
	 * place where the shell's clock may act, and only to stop. */
	int (*tick)(void *ctx);
	void *ctx;
};

/* A harness's own mutators (LLVMFuzzerCustomMutator/CrossOver), or none. */
struct loop_custom {
	size_t (*mutate)(void *ctx, uint8_t *buf, size_t len, size_t cap, unsigned seed);
	size_t (*crossover)(void *ctx, const uint8_t *a, size_t a_len, const uint8_t *b,
			    size_t b_len, uint8_t *out, size_t cap, unsigned seed);
	void *ctx;
};

/*
 * AFL++-style custom mutators (src/custom.c loads them; the ABI is in
 * docs/custom_mutators.md), in the loop's terms: n mutators numbered
 * 0..n-1, each with a fuzz stage. A hook no mutator has is NULL. With n
 * == 0 the loop never looks at the rest: the per-execution path then
 * costs two tests of NULL pointers (post, send/post_run).
 */
struct loop_mutators {
	unsigned n;      /* mutators, each with a fuzz stage; 0: none */
	unsigned n_trim; /* how many have a trim (all three hooks) */
	int only;        /* AFL_CUSTOM_MUTATOR_ONLY: no built-in mutation, no compare stage */
	/* queue_get: 0 skips e this time round. NULL: every entry. */
	int (*want)(void *ctx, const struct entry *e);
	/* fuzz_count of mutator k for e: candidates of its stage (energy, the
	 * havoc candidates e gets, when it has no fuzz_count). */
	uint32_t (*count)(void *ctx, unsigned k, const struct entry *e, uint32_t energy);
	/* Whether mutator k takes a second input (no splice_optout). */
	int (*splice)(void *ctx, unsigned k);
	/* One candidate of mutator k from buf[0..len) (a copy it may change),
	 * add[0..add_len) (another entry's copy, or NULL), at most max bytes:
	 * returns its length and sets *out (the mutator's memory or buf), 0
	 * to skip it. */
	size_t (*fuzz)(void *ctx, unsigned k, uint8_t *buf, size_t len, uint8_t *add,
		       size_t add_len, size_t max, const uint8_t **out);
	/* Custom trim of mutator k: init_trim (steps; negative: k has none or
	 * failed), trim (one candidate in *out), post_trim (the next step;
	 * negative: stop). */
	int32_t (*trim_init)(void *ctx, unsigned k, uint8_t *buf, size_t len);
	size_t (*trim)(void *ctx, unsigned k, const uint8_t **out);
	int32_t (*trim_post)(void *ctx, unsigned k, int success);
	/* After a built-in havoc or splice candidate: the havoc_mutation
	 * hooks, each with its probability (drawn on r). Returns the new
	 * length, at most cap. */
	size_t (*havoc)(void *ctx, struct rng *r, uint8_t *buf, size_t len, size_t cap);
	/* Before every run: the post_process chain. Returns the bytes to run
	 * (its own memory, valid until the next call) and their length, or
	 * NULL: the input is not run (a LOOP_REJECT verdict). */
	const uint8_t *(*post)(void *ctx, const uint8_t *buf, size_t len, size_t *out_len);
	/* fuzz_send: nonzero when the mutators delivered buf themselves (the
	 * executor then runs the target with no input). */
	int (*send)(void *ctx, const uint8_t *buf, size_t len);
	/* After every run. */
	void (*post_run)(void *ctx);
	void *ctx;
};

enum loop_flags {
	LOOP_CMP = 1u << 0,        /* compare stage on each new entry */
	LOOP_VALUES = 1u << 1,     /* inputs are value streams: vmutate + passive minimization */
	LOOP_ONLY_ASCII = 1u << 2, /* candidates are made printable (-only_ascii) */
	LOOP_TRIM = 1u << 3,       /* AFL's trim before an entry's first fuzzing */
	LOOP_REDUCE = 1u << 4,     /* libFuzzer's reduce_inputs: shorter, same path, replaces */
	LOOP_FEATURES = 1u << 5,   /* libFuzzer's corpus: an entry no feature keeps is retired */
};

/* The numbers of the loop. The two sets in use, loop_outside and
 * loop_inproc, are filled from common/config.h; nothing else types them. */
struct loop_params {
	uint32_t havoc_cycles;  /* candidates per scheduled entry at perf score 100 */
	uint32_t max_mult;      /* perf score ceiling, in multiples of 100 */
	uint32_t min_energy;    /* floor on candidates per scheduled entry */
	unsigned stack_pow2;    /* havoc stacks 1 .. 1 << stack_pow2 mutators */
	uint32_t splice_one_in; /* one candidate in this many is a splice/crossover; 0: never */
	uint32_t i2s_max;       /* input-to-state candidates per entry */
	uint32_t tick_execs;    /* executions between sink.tick calls */
	uint32_t len_control;   /* libFuzzer's -len_control; 0: inputs may grow to cap at once */
	uint64_t stall_execs;   /* executions without a find that make a stall (0: never) */
	uint32_t stall_sample;  /* stalled: one mutant in this many gets input-to-state */
	uint32_t stall_i2s_max; /* ... with at most this many candidates */
	unsigned stall_pow2;    /* stalled: havoc stacks 1 .. 1 << stall_pow2 */
	enum corpus_schedule schedule;
	unsigned flags; /* enum loop_flags */
};

/* `ferret fuzz`: a run costs a fork or a round trip. */
extern const struct loop_params loop_outside;
/* The in-process worker: a run costs little more than the harness. */
extern const struct loop_params loop_inproc;

struct loop {
	struct loop_params p;
	struct corpus c;
	struct dict dict;   /* tokens: the user's first, then automatic ones */
	size_t user_tokens; /* how many of dict came from the user */
	struct rng rng;
	struct pmin pmin; /* LOOP_VALUES only */
	/* LOOP_FEATURES: per feature (a counter's bucket: edge x 8 + bucket
	 * bit), the id + 1 of the shortest entry that has it; 0: none */
	uint32_t *owner;

	uint8_t *map;                    /* the executor's counters (borrowed) */
	const struct cov_touch *touch;   /* the counters its run touched (borrowed); NULL: all */
	size_t map_bytes;                /* counters judged, value profile included */
	size_t edge_bytes;               /* counters that are edges */
	uint8_t *virgin;                 /* owned */
	struct ferret_cmp_site *cmp_log; /* borrowed; NULL: no compare stage */
	uint8_t *buf;                    /* candidate buffer of cap bytes (borrowed) */
	size_t cap;
	uint8_t *scratch; /* input-to-state candidates, cap bytes, owned */
	uint8_t *stash;   /* a mutant kept for its input-to-state, cap bytes, owned */
	uint8_t *origin;  /* the entry's bytes the compare stage works from, owned */
	size_t origin_cap;
	struct mutate_trace *trace; /* where mutations are recorded */
	int owns_trace;             /* trace was allocated here */

	struct loop_exec exec;
	struct loop_sink sink;
	struct loop_custom custom;
	struct loop_mutators mut;
	uint8_t *add; /* mut.n: the custom stage's second input, cap bytes, owned */

	uint64_t execs;     /* executions so far, every stage */
	uint64_t max_execs; /* stop after this many (0: no limit) */
	uint64_t next_tick;
	uint64_t last_find_execs; /* execs at the last new entry (len_control) */
	size_t len_cap;           /* mutations make inputs at most this long (len_control) */
	size_t active;            /* entries not retired by passive minimization */
	int stop;
	int err; /* the executor's error that stopped the loop */

	/* value streams */
	struct vs_stream vs_in, vs_other, vs_out;
	uint8_t *arena;
};

/* What loop_init needs from the shell. All pointers are borrowed. */
struct loop_setup {
	const struct loop_params *params;
	uint64_t seed;
	uint8_t *map;
	size_t map_bytes, edge_bytes;
	const struct cov_touch *touch;   /* the touch list of map (cov.h); NULL: none */
	struct ferret_cmp_site *cmp_log; /* NULL: no compare stage */
	uint8_t *buf;                    /* candidate buffer */
	size_t cap;                      /* its capacity: the longest input */
	struct mutate_trace *trace;      /* NULL: the loop's own */
	struct loop_exec exec;
	struct loop_sink sink;
	struct loop_custom custom;
	struct loop_mutators mut; /* AFL++ custom mutators; all zero: none */
	uint64_t max_execs;       /* 0: no limit */
};

/* Prepares L (allocates the corpus, virgin map, dictionary and scratch).
 * Returns 0 or FERRET_ENOMEM; on error L is released. */
int loop_init(struct loop *L, const struct loop_setup *s);

/* Frees everything loop_init allocated and every entry. */
void loop_release(struct loop *L);

/*
 * Runs one input through the executor and acts on the verdict: crash and
 * hang go to the sink, new coverage becomes an entry (sink.new_entry).
 * Returns enum cov_news (0 when nothing was kept), or a negative
 * ferret_err from the executor. Counts the execution and may tick.
 */
int loop_run_one(struct loop *L, const uint8_t *buf, size_t len, const struct loop_origin *o);

/* loop_run_one, but an input that runs clean is kept even without new
 * coverage (libFuzzer's -keep_seed=1 for the seeds). */
int loop_run_keep(struct loop *L, const uint8_t *buf, size_t len, const struct loop_origin *o);

/*
 * Runs buf once with flags and returns the verdict, counting the
 * execution, but judges nothing: for the shell's calibration and trimming.
 * Returns 0 or a negative ferret_err.
 */
int loop_exec_raw(struct loop *L, const uint8_t *buf, size_t len, unsigned flags,
		  const struct loop_origin *o, struct loop_verdict *v);

/*
 * Makes the run whose classified counters are in the map an entry:
 * data[0..len) (or the verdict's keep stream), its cost from the counters,
 * its parent from o. news is enum cov_news. Returns the entry (owned by
 * the corpus), NULL when passive minimization found it best for nothing
 * (it is then kept disabled), or NULL with L->err = FERRET_ENOMEM.
 */
struct entry *loop_keep(struct loop *L, const uint8_t *data, size_t len, int news,
			const struct loop_verdict *v, const struct loop_origin *o);

/*
 * Fuzzes the next scheduled entry: trim and the compare stage the first
 * time, then the custom mutators' stage (struct loop_mutators), then its
 * energy in candidates. An entry a mutator's queue_get declines is marked
 * fuzzed and left; that costs no execution, only a tick. Returns 0, FERRET_EEMPTY when no entry is
 * left to fuzz, or the executor's error.
 */
int loop_fuzz_one(struct loop *L);

/* Runs loop_fuzz_one until the budget, the sink's tick or loop_stop ends
 * it. Returns 0, FERRET_EEMPTY or the executor's error. */
int loop_fuzz(struct loop *L);

/*
 * The corpus distilled, for when a run ends: every entry is run once more
 * and a cover of all their features by the fewest bytes is taken
 * (cover.h, COVER_PER_BYTE); the entries found in this run that are not
 * in it are retired (disabled, sink.drop: their files go). Then the ones
 * kept are trimmed, the largest first, each to the features no other kept
 * entry has (trim's cuts, judged by those features instead of the path;
 * sink.replace), within trim_runs runs; with a compare log, the lengths
 * and checksums one logged run finds in the entry are kept true over each
 * cut, and an entry the cuts before it left with no feature of its own is
 * retired. Entries without a parent (seeds,
 * imports: their files are not this run's), entries that no longer run
 * cleanly and entries with the very bytes of one that stays (a file is
 * named by its content), and that one, stay as they are. An entry whose
 * re-run misses a feature it still owns (L->owner: a flaky target) counts
 * that feature as its own and is not cut. *runs (may be NULL) gets the
 * executions spent, which L->execs does not count: they fuzz nothing. Not for value streams
 * (passive minimization owns that corpus). For a run's end only: it does
 * not bring the feature owners (L->owner, e->feats), the cut entries'
 * path_hash or the corpus's top slots up to date, so the loop must not
 * fuzz on after it. The loop's stop and max_execs
 * (it has stopped) do not end it; the sink's tick (a deadline, a stop
 * request) does: before the cover is taken nothing is retired, during the
 * cuts those made stay. Returns how many entries were retired, or a
 * negative ferret_err (the executor's, or FERRET_ENOMEM before anything
 * was retired).
 */
long loop_distill(struct loop *L, uint64_t trim_runs, uint64_t *runs);

/* Whether nothing new has appeared for a long stretch (stall_execs
 * executions, and as many as it took to find the last entry): the loop
 * then samples mutants for input-to-state and stacks havoc deeper. */
int loop_stalled(const struct loop *L);

/* Asks the loop to stop after the run in progress. */
static inline void loop_stop(struct loop *L)
{
	L->stop = 1;
}

#endif
