/*
 * inproc.h - the contract between the two processes of the libFuzzer
 * driver (DESIGN.md, mode 1): the supervisor (supervisor.c, merge.c),
 * which owns everything durable, and the worker it forks (worker.c), which
 * runs the harness in-process. They share one anonymous MAP_SHARED mapping,
 * struct lf_shared, created by the supervisor and inherited across fork;
 * nothing else passes between them but the worker's exit status. Each field
 * says who writes it; the other side only reads it.
 *
 * The worker is the target's own process, so the supervisor trusts nothing
 * in here beyond its bounds: lengths are clamped to the buffers before use,
 * and no field ever names a process (the watcher, src/exec/child.c, knows
 * the pid from fork). Changing the layout needs no version: both sides are
 * the same binary.
 */
#ifndef FERRET_INPROC_H
#define FERRET_INPROC_H

#include <stddef.h>
#include <stdint.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "config.h"
#include "mutate.h"

/* Bytes of the ring of new entries the worker hands the supervisor. A
 * record is a u32 length and the bytes; with LF_RING_REMOVE set in the
 * length, the bytes are the sha1 (40 hex digits) of an entry passive
 * minimization dropped. */
#define LF_RING_BYTES (8u << 20)
#define LF_RING_REMOVE 0x80000000u

/* In lf_shared.funcs: a function entry the job's seeds covered. */
#define LF_FUNC_SEED 0x80000000u

/* Bytes of the log of values a FERRET_TEST consumed in the run in flight. */
#define LF_SLOG_BYTES (1u << 20)

struct lf_shared {
	/* Set to 0 by the supervisor before each fork; then the worker's. */
	volatile uint64_t execs;    /* worker: executions finished so far */
	volatile uint64_t exec_seq; /* worker: bumped as each input starts (the watcher reads it) */
	volatile uint32_t running;  /* worker: 1 while inside the target */
	volatile uint32_t in_len;   /* worker: length of the input in flight, in input[] */
	volatile uint32_t died;     /* worker: a sanitizer's death callback ran */
	volatile uint32_t done;     /* worker: finished its budget normally */
	volatile uint32_t no_coverage; /* worker: the seeds showed no feature at all */
	volatile uint32_t
		found; /* worker: -exit_on_src_pos or -exit_on_item matched (done is set too) */
	volatile uint32_t stop; /* supervisor: SIGUSR1/SIGUSR2 asked to stop after this input */
	/* supervisor, before each fork (-fork): XXH3 hashes of the inputs that
	 * killed a worker; a worker skips them. Rewritten from the
	 * supervisor's own list each time, so a worker that scribbles here
	 * misleads only itself. */
	uint32_t n_known;
	uint64_t known_lens; /* bit (len % 64) set for the length of each */
	uint64_t known[CFG_LF_KNOWN_DEATHS];
	uint32_t known_len[CFG_LF_KNOWN_DEATHS]; /* the length of each */
	/* The ring: the worker writes records at ring_head and then advances
	 * it (release); the supervisor copies them out up to ring_head and
	 * advances ring_tail (release), which the worker waits on when full. */
	volatile uint64_t ring_head, ring_tail;
	volatile uint64_t new_units;       /* worker: entries it added (for -print_final_stats) */
	volatile uint32_t leak;            /* worker: LeakSanitizer found a leak (leaks.h) */
	volatile uint32_t overwrote;       /* worker: the harness wrote to its const input */
	volatile uint32_t malloc_oom;      /* worker: an allocation broke -malloc_limit_mb */
	volatile uint64_t malloc_oom_size; /* worker: that allocation's size */
	volatile uint32_t quiet_exit;      /* worker: the harness took the crash state and exited */
	volatile uint32_t cov, ft;         /* worker: the counts of its last status line (-fork) */
	/* worker (-fork): the function entries (counter indexes) its corpus
	 * covered first, those of its seeds flagged LF_FUNC_SEED, for the
	 * NEW_FUNC lines after the job's line; n may exceed the array, whose
	 * entries are then the first ones. Its size is a whole number of
	 * pages, so that the fields after it, the input among them, keep
	 * their place within a page: a harness that compares pointers into
	 * its input gets value-profile features from their low bits. */
	struct {
		volatile uint32_t n;
		uint32_t idx[CFG_LF_FORK_FUNCS - 1];
	} funcs;
	/* What the report after a death says about the input in flight: all
	 * the worker's, read by the supervisor once the worker is dead. */
	volatile uint32_t from_i2s;  /* it came from input-to-state */
	volatile uint32_t slog_len;  /* FERRET_TEST: bytes of slog written (by the runtime) */
	char base_sha[41];           /* sha1 of the entry it was mutated from */
	uint8_t slog[LF_SLOG_BYTES]; /* FERRET_TEST: the values consumed so far */
	struct mutate_trace trace;   /* the mutations that made it */
	uint8_t ring[LF_RING_BYTES];
	uint8_t input[]; /* worker: the input in flight (max_len bytes, sized by the supervisor) */
};

_Static_assert(sizeof(((struct lf_shared *)0)->funcs) % 4096 == 0,
	       "lf_shared.funcs is a whole number of pages");

/* The hash by which -fork remembers an input that killed a worker
 * (lf_shared.known): the supervisor's and the workers' alike. */
static inline uint64_t lf_input_hash(const uint8_t *d, size_t len)
{
	return XXH3_64bits(d, len);
}

/* Whether s is 40 lowercase hex digits and a NUL (a removal record's name). */
static inline int lf_is_sha1_hex(const char *s)
{
	for (int i = 0; i < 40; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[40] == 0;
}

/*
 * The reader's side of the ring, shared by the supervisor and by a worker
 * whose supervisor died. The record at offset t: returns its tag (see
 * LF_RING_BYTES), or 0xffffffff when no whole record lies between t and
 * head (the end, or a corrupt ring: the worker is the harness's process).
 * Its bytes start at t + 4; lf_ring_copy copies them out.
 */
static inline uint32_t lf_ring_tag(const struct lf_shared *sh, uint64_t t, uint64_t head)
{
	if (t >= head || head - t < 4 || head - t > LF_RING_BYTES)
		return 0xffffffffu;
	uint32_t tag = 0;
	for (uint64_t i = 0; i < 4; i++)
		tag |= (uint32_t)sh->ring[(t + i) % LF_RING_BYTES] << (8 * i);
	return head - t - 4 < (uint64_t)(tag & ~LF_RING_REMOVE) ? 0xffffffffu : tag;
}

static inline void lf_ring_copy(const struct lf_shared *sh, uint64_t from, uint8_t *dst, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		dst[i] = sh->ring[(from + i) % LF_RING_BYTES];
}

struct lf_opts;

/*
 * The worker's side of the contract: what the supervisor calls in the
 * forked child. o is what this worker may spend (-runs, -max_total_time,
 * -seed already adjusted by the supervisor), sh the shared area with
 * max_len bytes of input, seeds the corpus read by the supervisor before
 * the fork (the worker may keep pointers into it). Never returns: the
 * worker leaves with _exit, after setting done when its budget is spent.
 */
typedef void lf_worker_fn(const struct lf_opts *o, struct lf_shared *sh, size_t max_len,
			  uint8_t **seeds, size_t *seed_lens, size_t n_seeds);

#endif
