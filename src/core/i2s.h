/*
 * i2s.h - input-to-state (RedQueen, AFL++'s cmplog): turns the compare log
 * of one run into candidate inputs. For each logged operand pair, wherever
 * one operand's bytes appear in the input (each width, both byte orders,
 * also as ASCII decimal and hex), a candidate puts the other operand there,
 * also plus and minus one. Routine compares (memcmp, strcmp, ...) replace
 * byte strings, in place and with a length change. A value found nowhere
 * in the input is appended (the program read past the end). Pure: candidates go to a
 * callback that runs them; nothing here knows about targets.
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
 * input); candidates longer than cap are skipped. Duplicates within one call
 * are emitted once. Stops after max_candidates. Returns the number emitted.
 */
size_t i2s_run(const uint8_t *in, size_t len, const struct ferret_cmp_site *log, size_t n_sites,
	       uint8_t *scratch, size_t cap, size_t max_candidates, i2s_emit_fn emit, void *ctx);

/* Receives one dictionary token. */
typedef void (*i2s_token_fn)(void *ctx, const uint8_t *data, size_t len);

/*
 * Offers the log's likely constants as dictionary tokens: the constant side
 * of routine compares (2 bytes or more) and integer constants of 4 or 8
 * bytes that are not small numbers, little endian.
 */
void i2s_tokens(const struct ferret_cmp_site *log, size_t n_sites, i2s_token_fn fn, void *ctx);

#endif
