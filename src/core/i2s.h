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
};

/*
 * i2s_run with flags, and a candidate to follow. A string compared a byte
 * at a time in a loop that stops at the first byte that differs (a
 * keyword checked with `for (...) if (b[i] != kw[i]) return;`) shows one
 * byte per run, and the candidate that gets it right adds no coverage: the
 * loop only goes one byte further. So the first such candidate (or one
 * that adds a byte where the loop ran out of input) is copied into follow
 * (cap bytes; it may be in, which is read no more by then) and its length
 * into *follow_len, 0 when there is none. Run again with the compare log
 * on and given to i2s_run_ex with I2S_STRINGS, it gets the next byte, one
 * or two runs a byte. follow and follow_len may be NULL.
 */
size_t i2s_run_ex(const uint8_t *in, size_t len, const struct ferret_cmp_site *log, size_t n_sites,
		  uint8_t *scratch, size_t cap, size_t max_candidates, unsigned flags,
		  i2s_emit_fn emit, void *ctx, uint8_t *follow, size_t *follow_len);

/* Receives one dictionary token. */
typedef void (*i2s_token_fn)(void *ctx, const uint8_t *data, size_t len);

/*
 * Offers the log's likely constants as dictionary tokens: the constant side
 * of routine compares (2 bytes or more) and integer constants of 4 or 8
 * bytes that are not small numbers, little endian.
 */
void i2s_tokens(const struct ferret_cmp_site *log, size_t n_sites, i2s_token_fn fn, void *ctx);

#endif
