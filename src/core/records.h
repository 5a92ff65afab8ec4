/*
 * records.h - inputs that are a chain of length-prefixed records (a
 * session's messages, PNG's chunks, TLV fields): finding the chain's format
 * in an input, and mutations that move whole records. A byte mutation
 * inserts or deletes a record only by luck, and a splice cuts through one;
 * here a record of another entry goes in between two records, or one
 * record is deleted, repeated or moved, so every candidate still parses.
 *
 * A record is [head bytes][length field][length bytes][tail bytes]: a
 * type before the length, a CRC after the data. The format is found from
 * the bytes alone, once per corpus entry.
 *
 * Pure core code: no I/O, no allocation; randomness only from the struct
 * rng passed in.
 */
#ifndef FERRET_RECORDS_H
#define FERRET_RECORDS_H

#include <stddef.h>
#include <stdint.h>

#include "rng.h"

/* Records an input is split into, at most. */
#define RECORDS_MAX 64

struct rec_fmt {
	uint8_t valid;
	uint8_t head;   /* bytes before the length field: 0, 1, 2 or 4 */
	uint8_t width;  /* the length field: 1, 2 or 4 bytes */
	uint8_t big;    /* its byte order */
	uint8_t tail;   /* bytes after the data the length does not count: 0, 4 or 8 */
	uint16_t start; /* where the first record starts (after a file header) */
};

/*
 * Finds a format under which in[0..len) is, from some start in its first
 * 16 bytes, a chain of at least 3 records, 2 of them with data, that ends
 * exactly at its end. Of all that fit, the one with the most records with
 * data (the least likely by chance: zero bytes chain as empty records),
 * then the widest length field (a 4-byte length that chains is rarely
 * chance), then the earliest start and the fewest head bytes. Returns 1
 * and fills *f, or 0 (f->valid = 0). About 1000 walks of the chain, most
 * of which stop at its first record.
 */
int records_find(const uint8_t *in, size_t len, struct rec_fmt *f);

/*
 * records_find for an input whose chain may stop before its end, where a
 * record would run past it (a target that stops reading there takes such
 * inputs): the chain must cover at least half of the input; of the formats
 * that fit, the one with the most records with data, then the longest
 * chain. *end is where the chain stops. For trim, whose every candidate is
 * checked by running it; mutations keep to records_find.
 */
int records_find_prefix(const uint8_t *in, size_t len, struct rec_fmt *f, size_t *end);

/*
 * Splits in[0..len) by f: record i is [off[i], off[i + 1]); off[0] is
 * f->start. Returns the number of records (at most max, with off holding
 * max + 1 offsets), 0 when in is not such a chain to its end.
 */
size_t records_split(const struct rec_fmt *f, const uint8_t *in, size_t len, uint32_t *off,
		     size_t max);

/*
 * Writes to out (room for len bytes) the chain in[0..len), split by f into
 * off (records_split), with the data of record i cut to its first keep
 * bytes and its length field rewritten to match: trim's step on a chain.
 * Returns the new length; 0 when record i has no more than keep bytes of
 * data, or has tail bytes (a checksum over the data would no longer hold).
 */
size_t records_cut(const struct rec_fmt *f, const uint8_t *in, size_t len, const uint32_t *off,
		   size_t i, size_t keep, uint8_t *out);

/*
 * One record-level mutation of buf[0..len) (room for cap bytes), a chain
 * of format f: a record of other (other_len bytes, split by f; or of buf
 * itself when other does not split) inserted at a record boundary, or put
 * in place of one of buf's records; one of buf's records deleted,
 * repeated, or moved to another boundary. Returns the new length, 0 when
 * buf does not split by f or nothing fits (buf is then unchanged). other
 * must not overlap buf.
 */
size_t records_mutate(struct rng *r, const struct rec_fmt *f, uint8_t *buf, size_t len, size_t cap,
		      const uint8_t *other, size_t other_len);

#endif
