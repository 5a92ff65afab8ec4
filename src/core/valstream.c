/*
 * valstream.c - the value-stream codec for whole streams (see valstream.h).
 * The bytes of the header and of one record come from common/vstream.h,
 * shared with the runtime; this file only loops over them and keeps the
 * records in a growable array.
 */
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "valstream.h"
#include "banned.h"

void vs_header(uint8_t *out, uint64_t seed)
{
	vstream_put_header(out, seed);
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
	if (!vstream_get_header(buf, len, &s->seed))
		return len ? FERRET_EPARSE : 0;
	for (size_t p = FERRET_VS_HEADER_BYTES; p < len;) {
		struct vs_record r;
		size_t n = vstream_rec_decode(buf + p, len - p, &r);
		if (!n)
			return FERRET_EPARSE;
		if (vs_push(s, &r))
			return FERRET_ENOMEM;
		p += n;
	}
	return 0;
}

size_t vs_encoded_len(const struct vs_stream *s)
{
	size_t n = FERRET_VS_HEADER_BYTES;
	for (size_t i = 0; i < s->n; i++)
		n += vstream_rec_len(&s->rec[i]);
	return n;
}

size_t vs_encode(const struct vs_stream *s, uint8_t *out)
{
	size_t p = FERRET_VS_HEADER_BYTES;
	vstream_put_header(out, s->seed);
	for (size_t i = 0; i < s->n; i++)
		p += vstream_rec_encode(out + p, &s->rec[i]);
	return p;
}
