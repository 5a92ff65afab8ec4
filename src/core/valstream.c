/*
 * valstream.c - the value-stream codec (see valstream.h). Fixed-width
 * fields keep the decoder to bounds checks only; a stream is not meant to
 * be small, it is meant to survive mutation and a crash mid-write.
 */
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "valstream.h"

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static void wr32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void wr64(uint8_t *p, uint64_t v)
{
	wr32(p, (uint32_t)v);
	wr32(p + 4, (uint32_t)(v >> 32));
}

void vs_header(uint8_t *out, uint64_t seed)
{
	memcpy(out, FERRET_VS_MAGIC, 4);
	wr64(out + 4, seed);
}

int vs_push(struct vs_stream *s, const struct vs_record *r)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct vs_record *v = realloc(s->rec, cap * sizeof(*v));
		if (!v)
			return FERRET_ENOMEM;
		s->rec = v;
		s->cap = cap;
	}
	s->rec[s->n++] = *r;
	return 0;
}

void vs_release(struct vs_stream *s)
{
	free(s->rec);
	memset(s, 0, sizeof(*s));
}

int vs_decode(struct vs_stream *s, const uint8_t *buf, size_t len)
{
	s->n = 0;
	s->seed = 0;
	if (len < FERRET_VS_HEADER_BYTES || memcmp(buf, FERRET_VS_MAGIC, 4))
		return len ? FERRET_EPARSE : 0;
	s->seed = rd64(buf + 4);
	size_t p = FERRET_VS_HEADER_BYTES;
	while (p < len) {
		struct vs_record r = {0};
		if (len - p < 5)
			return FERRET_EPARSE;
		r.uid = rd32(buf + p);
		r.kind = buf[p + 4];
		p += 5;
		switch (r.kind) {
		case FERRET_VS_INT:
			if (len - p < 8)
				return FERRET_EPARSE;
			r.value = rd64(buf + p);
			p += 8;
			break;
		case FERRET_VS_BYTES:
		case FERRET_VS_NAME:
			if (len - p < 4)
				return FERRET_EPARSE;
			r.len = rd32(buf + p);
			p += 4;
			if (len - p < r.len)
				return FERRET_EPARSE;
			r.bytes = buf + p;
			p += r.len;
			break;
		case FERRET_VS_FRESH:
			break;
		default:
			return FERRET_EPARSE;
		}
		if (vs_push(s, &r))
			return FERRET_ENOMEM;
	}
	return 0;
}

static size_t rec_len(const struct vs_record *r)
{
	if (r->kind == FERRET_VS_INT)
		return 13;
	if (r->kind == FERRET_VS_BYTES || r->kind == FERRET_VS_NAME)
		return 9 + (size_t)r->len;
	return 5;
}

size_t vs_encoded_len(const struct vs_stream *s)
{
	size_t n = FERRET_VS_HEADER_BYTES;
	for (size_t i = 0; i < s->n; i++)
		n += rec_len(&s->rec[i]);
	return n;
}

size_t vs_encode(const struct vs_stream *s, uint8_t *out)
{
	vs_header(out, s->seed);
	size_t p = FERRET_VS_HEADER_BYTES;
	for (size_t i = 0; i < s->n; i++) {
		const struct vs_record *r = &s->rec[i];
		wr32(out + p, r->uid);
		out[p + 4] = r->kind;
		p += 5;
		if (r->kind == FERRET_VS_INT) {
			wr64(out + p, r->value);
			p += 8;
		} else if (r->kind == FERRET_VS_BYTES || r->kind == FERRET_VS_NAME) {
			wr32(out + p, r->len);
			p += 4;
			if (r->len)
				memcpy(out + p, r->bytes, r->len);
			p += r->len;
		}
	}
	return p;
}
