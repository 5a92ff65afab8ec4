/*
 * valstream.h - the value stream: the input of a FERRET_TEST. It is the list
 * of values the test asked for, in request order, each tagged with the uid
 * of the call site that asked; per uid, the values in that uid's request
 * order follow from it. Replaying serves each uid its own values in order,
 * so changing one uid's values never shifts another's.
 *
 * The bytes (header, record kinds, field widths, one record's encoder and
 * decoder) are defined once, in common/vstream.h, which the runtime's Smith
 * (runtime/smith.c) uses too; this module owns whole streams: decoding one
 * into records, editing the list, encoding it back.
 * The seed drives the fresh values, so a stream always replays the same.
 * The runtime writes this format directly as the test consumes values, so
 * the log of a run that crashed is itself a valid stream.
 *
 * Decoding never reads past the end: a truncated or corrupt stream yields
 * the whole records before the damage and an error code (the well-defined
 * fallback: the test then draws fresh values for the rest).
 */
#ifndef FERRET_VALSTREAM_H
#define FERRET_VALSTREAM_H

#include <stddef.h>
#include <stdint.h>

#include "vstream.h"

struct vs_stream {
	uint64_t seed;
	struct vs_record *rec; /* owned */
	size_t n, cap;
};

/*
 * Decodes buf into s (which must be zeroed or released). Returns 0, or
 * FERRET_EPARSE after keeping every whole record before the first bad one
 * (a missing header gives no records and seed 0). Byte payloads point into
 * buf, which must outlive s. FERRET_ENOMEM when out of memory.
 */
int vs_decode(struct vs_stream *s, const uint8_t *buf, size_t len);

/* Bytes vs_encode needs for s. */
size_t vs_encoded_len(const struct vs_stream *s);

/* Encodes s into out (room for vs_encoded_len(s)); returns the length. */
size_t vs_encode(const struct vs_stream *s, uint8_t *out);

/* Appends a record (copying nothing: bytes must outlive s). 0 or ENOMEM. */
int vs_push(struct vs_stream *s, const struct vs_record *r);

void vs_release(struct vs_stream *s);

/* Writes the header (magic and seed) into out[0..12). */
void vs_header(uint8_t *out, uint64_t seed);

#endif
