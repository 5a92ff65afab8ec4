/*
 * vmutate.h - mutation of value streams (valstream.h), the Smith's input
 * model: operations act on the values of one uid (or on a run of
 * consecutive requests), never on bytes of the encoding, so every other
 * uid keeps its values. Modelled on Zig's smith-based fuzzer.
 *
 * Also owns compare feedback at the level of values (vs_cmp_hints): a
 * compare whose operand is a value the test drew names that value (its
 * uid and its place among the uid's values) and what it was compared
 * with; VMUT_CMP and the compare stage (loop.c) write the operand there.
 */
#ifndef FERRET_VMUTATE_H
#define FERRET_VMUTATE_H

#include <stddef.h>
#include <stdint.h>

#include "proto.h"
#include "rng.h"
#include "valstream.h"

enum vmut_op {
	VMUT_REPLACE,     /* one value of a uid: fresh, derived or copied */
	VMUT_REPLACE_RUN, /* several consecutive values of a uid */
	VMUT_INSERT,      /* a new value (fresh or copied) into a uid */
	VMUT_DELETE,      /* a run of a uid's values */
	VMUT_SPLICE,      /* a uid's values from another stream */
	VMUT_ORDERED,     /* consecutive requests across uids made fresh */
	VMUT_DUP_RUN,     /* consecutive requests across uids repeated once more */
	VMUT_REPEAT,      /* a block (one or two loop iterations) repeated 1..16 more times */
	VMUT_DEL_BLOCK,   /* a block deleted */
	VMUT_COPY_BLOCK,  /* a block (of this stream or the other) inserted at a request of its uid
			   */
	VMUT_CMP,         /* a value set to a compare operand it met (hints), or the operand +-1 */
	VMUT__COUNT
};

/*
 * A compare operand for one drawn value: the nth value (from 0) of uid
 * met `value` (INT: in its low `width` bytes) or, for a BYTES value,
 * bytes[0..len) compared at offset off. Made by vs_cmp_hints from the
 * compare log of one run of the stream; the uid and nth name the value
 * whatever other uids do, so a hint stays good across other edits.
 */
#define VS_HINT_BYTES FERRET_CMP_BYTES
struct vs_hint {
	uint32_t uid, nth;
	uint8_t kind;  /* FERRET_VS_INT or FERRET_VS_BYTES */
	uint8_t width; /* INT: 1, 2, 4 or 8 */
	uint8_t len;   /* BYTES: operand bytes */
	uint16_t off;  /* BYTES: where in the value they go */
	/* how unlikely the match is by chance: the bytes of the drawn value
	 * that matched, up to its highest non-zero one (INT), or the bytes
	 * compared (BYTES); a match of 0 or 1 is 0 or 1 */
	uint8_t strength;
	uint64_t value;
	uint8_t bytes[VS_HINT_BYTES];
};

/* Name of an op for logs ("replace", ...). */
const char *vmut_name(unsigned op);

/*
 * Mutates in (a decoded stream; NAME records are dropped) into out: 1 to 4
 * ops (one most of the time), on uids picked with weight 1 + log2(count) so
 * long streams do not dominate. other may be NULL (no splice). Bytes that
 * new records need live in arena (room for arena_cap bytes). The new stream
 * gets a fresh seed (so the values drawn fresh change too). Returns the
 * number of ops applied, recorded in ops[] (room for 4); 0 when in has no
 * value record, and out is then empty with a new seed. out must be zeroed
 * or hold a stream from an earlier call (its array is reused).
 */
unsigned vmutate(struct rng *r, const struct vs_stream *in, const struct vs_stream *other,
		 struct vs_stream *out, uint8_t *arena, size_t arena_cap, uint8_t ops[4]);

/*
 * vmutate with compare hints for in (from vs_cmp_hints, may be NULL when
 * n_hints is 0): VMUT_CMP is one op among the others when there are
 * hints, and becomes VMUT_REPLACE when there are none.
 */
unsigned vmutate_hinted(struct rng *r, const struct vs_stream *in, const struct vs_stream *other,
			const struct vs_hint *hints, size_t n_hints, struct vs_stream *out,
			uint8_t *arena, size_t arena_cap, uint8_t ops[4]);

/*
 * Compare feedback on values: reads the compare log of one run of s (the
 * stream that run consumed) and lists, into out (room for cap), a hint for
 * every compare operand equal to a value of s (an INT value or its low
 * width bytes; a BYTES value holding the compared bytes at offset 0 or
 * anywhere whole), with the other operand. Constant operands (const
 * compares, switch cases) are never taken for drawn values. Hints are
 * distinct, the strongest first (strength above), then the widest
 * compares; at most 4 values per operand. Returns the number written.
 * Costs one pass over s per logged compare: run once per corpus entry.
 */
size_t vs_cmp_hints(const struct vs_stream *s, const struct ferret_cmp_site *log, size_t n_sites,
		    struct vs_hint *out, size_t cap);

/*
 * Copies the value records of in (NAME records dropped) into out with the
 * value h names set to its operand plus delta (INT, wrapping within the
 * width; the bytes above the width kept) or its bytes written at h->off
 * (BYTES, the value lengthened when needed; delta ignored), new bytes in
 * arena. Returns 1, or 0 when in has no such value or the arena is full
 * (out is then a plain copy). out's seed is in's.
 */
int vs_hint_apply(const struct vs_stream *in, const struct vs_hint *h, int64_t delta,
		  struct vs_stream *out, uint8_t *arena, size_t arena_cap);

/* Number of value records (not NAME ones) in s. */
size_t vs_values(const struct vs_stream *s);

#endif
