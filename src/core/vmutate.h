/*
 * vmutate.h - mutation of value streams (valstream.h), the Smith's input
 * model: operations act on the values of one uid (or on a run of
 * consecutive requests), never on bytes of the encoding, so every other
 * uid keeps its values. Modelled on Zig's smith-based fuzzer.
 */
#ifndef FERRET_VMUTATE_H
#define FERRET_VMUTATE_H

#include <stddef.h>
#include <stdint.h>

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
	VMUT__COUNT
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

/* Number of value records (not NAME ones) in s. */
size_t vs_values(const struct vs_stream *s);

#endif
