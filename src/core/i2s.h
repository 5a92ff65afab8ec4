/*
 * i2s.h - input-to-state (RedQueen, AFL++'s cmplog): turns the compare log
 * of one run into candidate inputs. For each logged operand pair, wherever
 * one operand's bytes appear in the input (each width, both byte orders,
 * also as ASCII decimal and hex), a candidate puts the other operand there,
 * also plus and minus one, and inserts it there. Routine compares (memcmp,
 * strcmp, ...) replace byte strings, in place, with a length change, and
 * by insertion. A value found nowhere in the input is appended (the program
 * read past the end), and when it is the sum or difference of two fields
 * of the input, those fields are set instead. Byte compares made one after
 * the other, or by one loop, are read as one string. Every candidate keeps
 * the structure found in the input: length fields are recounted and
 * checksums (CRC-32, CRC-32C, Adler-32, byte sums) recomputed. Pure:
 * candidates go to a callback that runs them; nothing here knows about
 * targets.
 */
#ifndef FERRET_I2S_H
#define FERRET_I2S_H

#include <stddef.h>
#include <stdint.h>

#include "proto.h"

/* Runs one candidate; returns nonzero to stop generating. */
typedef int (*i2s_emit_fn)(void *ctx, const uint8_t *buf, size_t len);

/*
 * Emits the candidates for input in[0..len) from the log (n_sites sites as
 * the runtime wrote them). scratch has room for cap bytes (the longest
 * input); candidates longer than cap are skipped. in must stay unchanged
 * until the call returns (emit may not write it). Duplicates within one
 * call are emitted once. Stops after max_candidates, or when emit returns
 * nonzero. Returns the number emitted; 0 also when its state (about
 * 70 KiB, freed before returning) cannot be allocated.
 */
size_t i2s_run(const uint8_t *in, size_t len, const struct ferret_cmp_site *log, size_t n_sites,
	       uint8_t *scratch, size_t cap, size_t max_candidates, i2s_emit_fn emit, void *ctx);

enum i2s_flags {
	I2S_STRINGS = 1u << 0, /* only the candidates of strings of byte compares */
	/* the input is a mutant of one whose structure is out->parent (NULL:
	 * none): the checksums stored in it are looked for only where the
	 * parent's are (i2s_keep's places), not searched for everywhere */
	I2S_PARENT = 1u << 1,
	/* only the structure (out->structure), for a trim that keeps it true
	 * over its cuts: no candidates, emit is not called and max_candidates
	 * is not read. It also has length fields that skip a 4-byte field
	 * after them ([length][CRC][data]), which the loop's structure leaves
	 * out: a wrong field there would rewrite half of an entry's mutants
	 * (i2s_keep in havoc), where a trim loses one run to it */
	I2S_STRUCTURE = 1u << 2,
};

/* A field of the input i2s keeps true (a length or checksum): at [at, at +
 * width) the length of, or the checksum fn of, the bytes [from, to),
 * encoded as enc; a length up to a delimiter has it in delim (-1: to the
 * end). kind, enc and fn are i2s.c's. */
struct i2s_field {
	uint8_t kind, width, enc, fn;
	int delim;
	size_t at, from, to;
};

#define I2S_MAX_FIELDS 16

/* The fields found in an input of len bytes, innermost range first. */
struct i2s_structure {
	size_t len, n;
	struct i2s_field f[I2S_MAX_FIELDS];
};

/* What i2s_run_ex hands back besides its candidates; each part optional. */
struct i2s_out {
	/*
	 * A candidate to follow. A string compared a byte at a time in a loop
	 * that stops at the first byte that differs (a keyword checked with
	 * `for (...) if (b[i] != kw[i]) return;`) shows one byte per run, and
	 * the candidate that gets it right adds no coverage: the loop only
	 * goes one byte further. So the first such candidate (or one that
	 * adds a byte where the loop ran out of input) is copied into follow
	 * (cap bytes, or NULL: not wanted; it may be in, which is read no
	 * more by then) and its length into follow_len, 0 when there is none.
	 * Run again with the compare log on and given to i2s_run_ex with
	 * I2S_STRINGS, it gets the next byte, one or two runs a byte.
	 */
	uint8_t *follow;
	size_t follow_len;
	/* The structure found, when want_structure and there is any
	 * (malloc'd; the caller frees it), else NULL. */
	int want_structure;
	struct i2s_structure *structure;
	/* In, with I2S_PARENT: the structure of the input's parent. */
	const struct i2s_structure *parent;
};

/* i2s_run with flags and what it found besides candidates (out may be
 * NULL). */
size_t i2s_run_ex(const uint8_t *in, size_t len, const struct ferret_cmp_site *log, size_t n_sites,
		  uint8_t *scratch, size_t cap, size_t max_candidates, unsigned flags,
		  i2s_emit_fn emit, void *ctx, struct i2s_out *out);

/*
 * Makes the fields of st true in buf[0..len), a mutant of the input st was
 * found in (st->len bytes) made some other way (havoc, splice): so that a
 * mutation behind a length or a checksum reaches the code behind it. The
 * mutant's edits are unknown, so positions are kept from the start, except
 * that a range to the end ends at the new end and a field that ended the
 * input ends it again (a trailing checksum). Fields or ranges no longer in
 * buf are left alone. O(the ranges' bytes). Returns how many fields it
 * rewrote (0: buf had them all true).
 */
int i2s_keep(const struct i2s_structure *st, uint8_t *buf, size_t len);

/*
 * Makes st the structure of its input with the bytes [pos, pos + cut)
 * removed: a range loses the bytes of it that were cut and moves with the
 * bytes before it, as does a field; a field the cut takes bytes of is no
 * longer kept. Then i2s_keep(st, ...) on the cut input makes its lengths
 * and checksums true again: a trim that cuts a length's or a checksum's
 * range need not lose the path behind it.
 */
void i2s_cut(struct i2s_structure *st, size_t pos, size_t cut);

/* Receives one dictionary token. */
typedef void (*i2s_token_fn)(void *ctx, const uint8_t *data, size_t len);

/*
 * Offers the log's likely constants as dictionary tokens: the constant side
 * of routine compares (2 bytes or more) and integer constants of 4 or 8
 * bytes that are not small numbers, little endian.
 */
void i2s_tokens(const struct ferret_cmp_site *log, size_t n_sites, i2s_token_fn fn, void *ctx);

#endif
