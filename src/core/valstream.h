/*
 * valstream.h - the value stream: the input of a FERRET_TEST. It is the list
 * of values the test asked for, in request order, each tagged with the uid
 * of the call site that asked; per uid, the values in that uid's request
 * order follow from it. Replaying serves each uid its own values in order,
 * so changing one uid's values never shifts another's.
 *
 * Encoding (version 1, little endian):
 *   "FVS" 0x01 | u64 seed | records...
 *   record: u32 uid | u8 kind | payload
 *     FERRET_VS_INT:   u64 value
 *     FERRET_VS_BYTES: u32 length | bytes
 *     FERRET_VS_FRESH: nothing (a placeholder: draw a fresh value here)
 *     FERRET_VS_NAME:  u32 length | text (names the uid: "file.c:12" or a
 *                      label; the runtime writes one before a uid's first
 *                      value in each run, replay ignores them)
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

#define FERRET_VS_MAGIC "FVS\x01"
#define FERRET_VS_HEADER_BYTES 12

enum ferret_vs_kind {
	FERRET_VS_INT = 1,
	FERRET_VS_BYTES = 2,
	FERRET_VS_FRESH = 3,
	FERRET_VS_NAME = 4,
};

struct vs_record {
	uint32_t uid;
	uint8_t kind;
	uint64_t value;       /* INT */
	uint32_t len;         /* BYTES */
	const uint8_t *bytes; /* BYTES: points into the decoded buffer */
};

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
