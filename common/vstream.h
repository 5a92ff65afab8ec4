/*
 * vstream.h - the value-stream wire format, the one definition both sides
 * use: runtime/smith.c reads a FERRET_TEST's input and writes the log of
 * what the test consumed in it, and src/core/valstream.c decodes, edits and
 * re-encodes whole streams for the engine. It owns the bytes only: magic,
 * header, record kinds, field widths, and one record's encoder and decoder.
 * What a stream means (per-uid replay, fresh values, the seed) belongs to
 * src/core/valstream.h and docs/smith.md.
 *
 * Version 1, every integer little endian:
 *   header: "FVS" 0x01 | u64 seed                      (12 bytes)
 *   record: u32 uid | u8 kind | payload
 *     FERRET_VS_INT:   u64 value                       (13 bytes in all)
 *     FERRET_VS_BYTES: u32 length | bytes              (9 + length)
 *     FERRET_VS_FRESH: nothing                         (5)
 *     FERRET_VS_NAME:  u32 length | text               (9 + length)
 * The runtime writes a NAME before a uid's first value in each run; replay
 * ignores them.
 * Fixed widths keep the decoder to bounds checks; a stream is meant to
 * survive mutation and a crash mid-write, not to be small. Any change to the
 * bytes bumps the version byte of the magic.
 *
 * libc only and header-only (static inline, no symbols), because the runtime
 * is linked into targets.
 */
#ifndef FERRET_VSTREAM_H
#define FERRET_VSTREAM_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define FERRET_VS_MAGIC "FVS\x01"
#define FERRET_VS_MAGIC_BYTES 4
/* The magic and the u64 seed. */
#define FERRET_VS_HEADER_BYTES 12
/* A record's head: u32 uid, u8 kind. */
#define FERRET_VS_HEAD_BYTES 5
/* The payload of INT. */
#define FERRET_VS_INT_BYTES 8
/* The length field before the payload of BYTES and NAME. */
#define FERRET_VS_LEN_BYTES 4

enum ferret_vs_kind {
	FERRET_VS_INT = 1,   /* a value */
	FERRET_VS_BYTES = 2, /* a byte string */
	FERRET_VS_FRESH = 3, /* a placeholder: draw a fresh value here */
	FERRET_VS_NAME = 4,  /* names the uid: "file.c:12" or a label */
};

/* One decoded record. */
struct vs_record {
	uint32_t uid;
	uint8_t kind;
	uint64_t value;       /* INT */
	uint32_t len;         /* BYTES, NAME */
	const uint8_t *bytes; /* BYTES, NAME: points into the decoded buffer */
};

static inline uint32_t vstream_get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t vstream_get64(const uint8_t *p)
{
	return (uint64_t)vstream_get32(p) | (uint64_t)vstream_get32(p + 4) << 32;
}

static inline void vstream_put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline void vstream_put64(uint8_t *p, uint64_t v)
{
	vstream_put32(p, (uint32_t)v);
	vstream_put32(p + 4, (uint32_t)(v >> 32));
}

/* Writes the header (magic and seed) into out[0..FERRET_VS_HEADER_BYTES). */
static inline void vstream_put_header(uint8_t *out, uint64_t seed)
{
	memcpy(out, FERRET_VS_MAGIC, FERRET_VS_MAGIC_BYTES);
	vstream_put64(out + FERRET_VS_MAGIC_BYTES, seed);
}

/* Reads the header of buf[0..len) into *seed. Returns 1, or 0 with *seed 0
 * when buf does not start with a whole header (such a stream has no
 * records). */
static inline int vstream_get_header(const uint8_t *buf, size_t len, uint64_t *seed)
{
	*seed = 0;
	if (len < FERRET_VS_HEADER_BYTES || memcmp(buf, FERRET_VS_MAGIC, FERRET_VS_MAGIC_BYTES))
		return 0;
	*seed = vstream_get64(buf + FERRET_VS_MAGIC_BYTES);
	return 1;
}

/* Writes a record's head (uid, kind) into out[0..FERRET_VS_HEAD_BYTES). */
static inline void vstream_put_head(uint8_t *out, uint32_t uid, uint8_t kind)
{
	vstream_put32(out, uid);
	out[4] = kind;
}

/* Bytes r takes encoded. */
static inline size_t vstream_rec_len(const struct vs_record *r)
{
	if (r->kind == FERRET_VS_INT)
		return FERRET_VS_HEAD_BYTES + FERRET_VS_INT_BYTES;
	if (r->kind == FERRET_VS_BYTES || r->kind == FERRET_VS_NAME)
		return FERRET_VS_HEAD_BYTES + FERRET_VS_LEN_BYTES + (size_t)r->len;
	return FERRET_VS_HEAD_BYTES;
}

/* Encodes r into out (room for vstream_rec_len(r)); returns the length. An
 * unknown kind is written as its head alone. */
static inline size_t vstream_rec_encode(uint8_t *out, const struct vs_record *r)
{
	size_t p = FERRET_VS_HEAD_BYTES;
	vstream_put_head(out, r->uid, r->kind);
	if (r->kind == FERRET_VS_INT) {
		vstream_put64(out + p, r->value);
		p += FERRET_VS_INT_BYTES;
	} else if (r->kind == FERRET_VS_BYTES || r->kind == FERRET_VS_NAME) {
		vstream_put32(out + p, r->len);
		p += FERRET_VS_LEN_BYTES;
		if (r->len)
			memcpy(out + p, r->bytes, r->len);
		p += r->len;
	}
	return p;
}

/*
 * Decodes the record at p[0..avail) into *r (zeroed first; bytes points
 * into p). Returns its encoded length, or 0 when it is cut short or its kind
 * is unknown: the stream is damaged from here on. Never reads past avail.
 */
static inline size_t vstream_rec_decode(const uint8_t *p, size_t avail, struct vs_record *r)
{
	size_t n = FERRET_VS_HEAD_BYTES;

	*r = (struct vs_record){0};
	if (avail < FERRET_VS_HEAD_BYTES)
		return 0;
	r->uid = vstream_get32(p);
	r->kind = p[4];
	switch (r->kind) {
	case FERRET_VS_INT:
		if (avail - n < FERRET_VS_INT_BYTES)
			return 0;
		r->value = vstream_get64(p + n);
		return n + FERRET_VS_INT_BYTES;
	case FERRET_VS_BYTES:
	case FERRET_VS_NAME:
		if (avail - n < FERRET_VS_LEN_BYTES)
			return 0;
		r->len = vstream_get32(p + n);
		n += FERRET_VS_LEN_BYTES;
		if (avail - n < r->len)
			return 0;
		r->bytes = p + n;
		return n + r->len;
	case FERRET_VS_FRESH:
		return n;
	default:
		return 0;
	}
}

#endif
