/*
 * valstream_test.c - unit tests of src/core/valstream.c, the value-stream
 * codec. Random streams of every record kind (INT, BYTES, FRESH, NAME),
 * drawn from a seeded rng, must survive encode then decode unchanged; the
 * encoder must write exactly vs_encoded_len() bytes. Every truncation of a
 * valid encoding is decoded from an exact-size malloc'd copy (so ASan sees
 * any read past the end) and must give the records that fit whole, in
 * order, and FERRET_EPARSE unless the cut falls on a record boundary. Bad
 * magic and unknown kinds give FERRET_EPARSE with the records before them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "rng.h"
#include "valstream.h"

#define MAX_RECS 40
#define POOL_BYTES 4096

/* A random stream: its records, their byte payloads in pool, and the
 * offset where each record ends in the encoding. */
struct sample {
	struct vs_stream s;
	uint8_t pool[POOL_BYTES];
	size_t end[MAX_RECS + 1];
};

static void sample_make(struct sample *x, struct rng *g)
{
	size_t used = 0, n = rng_below(g, MAX_RECS + 1);

	vs_release(&x->s); /* x is static: zeroed, or holding an earlier sample */
	x->s.seed = rng_below(g, 4) ? rng_next(g) : 0;
	size_t at = FERRET_VS_HEADER_BYTES;
	x->end[0] = at;
	for (size_t i = 0; i < n; i++) {
		struct vs_record r = {0};
		r.uid = rng_below(g, 3) ? (uint32_t)rng_below(g, 6) : (uint32_t)rng_next(g);
		r.kind = (uint8_t)(1 + rng_below(g, 4));
		if (r.kind == FERRET_VS_INT) {
			r.value = rng_below(g, 2) ? rng_next(g) : rng_below(g, 300);
			at += 13;
		} else if (r.kind == FERRET_VS_BYTES || r.kind == FERRET_VS_NAME) {
			r.len = rng_below(g, 8) ? (uint32_t)rng_below(g, 70) : 0;
			for (uint32_t k = 0; k < r.len; k++)
				x->pool[used + k] =
					(uint8_t)(r.kind == FERRET_VS_NAME ? 'a' + rng_below(g, 26)
									   : rng_next(g));
			r.bytes = x->pool + used;
			used += r.len;
			at += 9 + r.len;
		} else {
			at += 5;
		}
		assert_int_equal(vs_push(&x->s, &r), 0);
		x->end[i + 1] = at;
	}
	assert_int_equal(x->s.n, n);
}

static void assert_record_equal(const struct vs_record *a, const struct vs_record *b)
{
	assert_int_equal(a->uid, b->uid);
	assert_int_equal(a->kind, b->kind);
	if (a->kind == FERRET_VS_INT)
		assert_int_equal(a->value, b->value);
	if (a->kind == FERRET_VS_BYTES || a->kind == FERRET_VS_NAME) {
		assert_int_equal(a->len, b->len);
		if (a->len)
			assert_memory_equal(a->bytes, b->bytes, a->len);
	}
}

/* Encodes s into an exact-size buffer (caller frees). */
static uint8_t *encode(const struct vs_stream *s, size_t *len)
{
	size_t need = vs_encoded_len(s);
	uint8_t *buf = malloc(need);

	assert_non_null(buf);
	assert_int_equal(vs_encode(s, buf), need);
	*len = need;
	return buf;
}

static void test_round_trip(void **state)
{
	(void)state;
	for (uint64_t seed = 0; seed < 2000; seed++) {
		static struct sample x;
		struct rng g;
		struct vs_stream d = {0};
		size_t len;

		rng_seed(&g, seed);
		sample_make(&x, &g);
		uint8_t *buf = encode(&x.s, &len);
		assert_int_equal(len, x.end[x.s.n]);
		assert_memory_equal(buf, FERRET_VS_MAGIC, 4);
		assert_int_equal(vs_decode(&d, buf, len), 0);
		assert_int_equal(d.seed, x.s.seed);
		assert_int_equal(d.n, x.s.n);
		for (size_t i = 0; i < d.n; i++) {
			assert_record_equal(&d.rec[i], &x.s.rec[i]);
			if (d.rec[i].kind == FERRET_VS_BYTES || d.rec[i].kind == FERRET_VS_NAME)
				assert_true(d.rec[i].bytes >= buf &&
					    d.rec[i].bytes + d.rec[i].len <= buf + len);
		}
		/* The encoding of the decoded stream is the same bytes. */
		size_t len2;
		uint8_t *buf2 = encode(&d, &len2);
		assert_int_equal(len2, len);
		assert_memory_equal(buf2, buf, len);
		free(buf2);
		vs_release(&d);
		vs_release(&x.s);
		free(buf);
	}
}

/* A stream decoded into a used vs_stream replaces what it held. */
static void test_decode_reuse(void **state)
{
	static struct sample a, b;
	struct rng g;
	struct vs_stream d = {0};
	size_t la, lb;

	(void)state;
	rng_seed(&g, 99);
	do
		sample_make(&a, &g);
	while (a.s.n < 10);
	do
		sample_make(&b, &g);
	while (b.s.n < 2 || b.s.n >= a.s.n);
	uint8_t *ba = encode(&a.s, &la), *bb = encode(&b.s, &lb);
	assert_int_equal(vs_decode(&d, ba, la), 0);
	assert_int_equal(d.n, a.s.n);
	assert_int_equal(vs_decode(&d, bb, lb), 0);
	assert_int_equal(d.n, b.s.n);
	assert_int_equal(d.seed, b.s.seed);
	for (size_t i = 0; i < d.n; i++)
		assert_record_equal(&d.rec[i], &b.s.rec[i]);
	vs_release(&d);
	assert_null(d.rec);
	assert_int_equal(d.n, 0);
	vs_release(&a.s);
	vs_release(&b.s);
	free(ba);
	free(bb);
}

static void test_header(void **state)
{
	uint8_t out[FERRET_VS_HEADER_BYTES];
	struct vs_stream d = {0};

	(void)state;
	vs_header(out, 0x0102030405060708ull);
	assert_memory_equal(out, "FVS\x01\x08\x07\x06\x05\x04\x03\x02\x01", 12);
	assert_int_equal(vs_decode(&d, out, sizeof(out)), 0);
	assert_int_equal(d.seed, 0x0102030405060708ull);
	assert_int_equal(d.n, 0);
	vs_release(&d);
}

/*
 * Every cut of a valid encoding, from an exact-size heap copy: the records
 * whose end is within the cut come back unchanged, nothing else does, and
 * the result is 0 exactly when the cut falls on a record boundary (a cut
 * inside the header is FERRET_EPARSE with no records and seed 0; the empty
 * buffer is the empty stream).
 */
static void test_truncation(void **state)
{
	(void)state;
	for (uint64_t seed = 0; seed < 300; seed++) {
		static struct sample x;
		struct rng g;
		size_t len;

		rng_seed(&g, 1000 + seed);
		sample_make(&x, &g);
		uint8_t *full = encode(&x.s, &len);
		for (size_t cut = 0; cut < len; cut++) {
			struct vs_stream d = {0};
			uint8_t *buf = malloc(cut ? cut : 1);
			assert_non_null(buf);
			memcpy(buf, full, cut);
			int rc = vs_decode(&d, buf, cut);

			if (cut == 0) {
				assert_int_equal(rc, 0);
				assert_int_equal(d.n, 0);
				assert_int_equal(d.seed, 0);
			} else if (cut < FERRET_VS_HEADER_BYTES) {
				assert_int_equal(rc, FERRET_EPARSE);
				assert_int_equal(d.n, 0);
				assert_int_equal(d.seed, 0);
			} else {
				size_t whole = 0;
				while (whole < x.s.n && x.end[whole + 1] <= cut)
					whole++;
				assert_int_equal(d.n, whole);
				assert_int_equal(d.seed, x.s.seed);
				for (size_t i = 0; i < d.n; i++)
					assert_record_equal(&d.rec[i], &x.s.rec[i]);
				assert_int_equal(rc, x.end[whole] == cut ? 0 : FERRET_EPARSE);
			}
			vs_release(&d);
			free(buf);
		}
		free(full);
		vs_release(&x.s);
	}
}

static void test_bad_magic(void **state)
{
	static const char *const bad[] = {
		"FVS\x02", /* another version */
		"FVS\x00", "XVS\x01", "fvs\x01", "\x01SVF",
	};
	static struct sample x;
	struct rng g;
	size_t len;

	(void)state;
	rng_seed(&g, 7);
	do
		sample_make(&x, &g);
	while (x.s.n < 5);
	uint8_t *good = encode(&x.s, &len);
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		struct vs_stream d = {0};
		uint8_t *buf = malloc(len);
		assert_non_null(buf);
		memcpy(buf, good, len);
		memcpy(buf, bad[k], 4);
		assert_int_equal(vs_decode(&d, buf, len), FERRET_EPARSE);
		assert_int_equal(d.n, 0);
		assert_int_equal(d.seed, 0);
		/* only the header: still bad */
		assert_int_equal(vs_decode(&d, buf, FERRET_VS_HEADER_BYTES), FERRET_EPARSE);
		assert_int_equal(d.n, 0);
		vs_release(&d);
		free(buf);
	}
	/* Plain text is not a stream. */
	struct vs_stream d = {0};
	const char *text = "hello, this is not a value stream\n";
	assert_int_equal(vs_decode(&d, (const uint8_t *)text, strlen(text)), FERRET_EPARSE);
	assert_int_equal(d.n, 0);
	vs_release(&d);
	free(good);
	vs_release(&x.s);
}

/* An unknown kind stops decoding: the records before it are kept. */
static void test_unknown_kind(void **state)
{
	static const uint8_t kinds[] = {0, 5, 6, 0x7f, 0x80, 0xff};

	(void)state;
	for (uint64_t seed = 0; seed < 50; seed++) {
		static struct sample x;
		struct rng g;
		size_t len;

		rng_seed(&g, 5000 + seed);
		do
			sample_make(&x, &g);
		while (x.s.n < 3);
		uint8_t *good = encode(&x.s, &len);
		size_t at = rng_below(&g, x.s.n); /* the record to corrupt */
		for (size_t k = 0; k < sizeof(kinds); k++) {
			struct vs_stream d = {0};
			uint8_t *buf = malloc(len);
			assert_non_null(buf);
			memcpy(buf, good, len);
			buf[x.end[at] + 4] = kinds[k];
			assert_int_equal(vs_decode(&d, buf, len), FERRET_EPARSE);
			assert_int_equal(d.n, at);
			assert_int_equal(d.seed, x.s.seed);
			for (size_t i = 0; i < d.n; i++)
				assert_record_equal(&d.rec[i], &x.s.rec[i]);
			vs_release(&d);
			free(buf);
		}
		free(good);
		vs_release(&x.s);
	}
}

/* A length field larger than what follows is caught, however large. */
static void test_huge_length(void **state)
{
	static const uint32_t lens[] = {1, 100, 0x7fffffffu, 0xfffffff0u, 0xffffffffu};
	uint8_t buf[FERRET_VS_HEADER_BYTES + 13 + 9 + 3];

	(void)state;
	for (size_t k = 0; k < sizeof(lens) / sizeof(lens[0]); k++) {
		for (uint8_t kind = FERRET_VS_BYTES; kind <= FERRET_VS_NAME; kind += 2) {
			struct vs_stream d = {0};
			size_t p = FERRET_VS_HEADER_BYTES;
			vs_header(buf, 42);
			memcpy(buf + p, "\x01\x00\x00\x00\x01\x07\x00\x00\x00\x00\x00\x00\x00", 13);
			p += 13;
			buf[p++] = 2, buf[p++] = 0, buf[p++] = 0, buf[p++] = 0, buf[p++] = kind;
			for (int i = 0; i < 4; i++)
				buf[p++] = (uint8_t)(lens[k] >> (8 * i));
			buf[p++] = 'a', buf[p++] = 'b', buf[p++] = 'c';
			uint8_t *heap = malloc(p);
			assert_non_null(heap);
			memcpy(heap, buf, p);
			int rc = vs_decode(&d, heap, p);
			assert_int_equal(rc, FERRET_EPARSE);
			/* length 1 takes "a" and leaves "bc", too short for a record */
			assert_int_equal(d.n, lens[k] == 1 ? 2 : 1);
			assert_int_equal(d.rec[0].value, 7);
			vs_release(&d);
			free(heap);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),  cmocka_unit_test(test_decode_reuse),
		cmocka_unit_test(test_header),      cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_bad_magic),   cmocka_unit_test(test_unknown_kind),
		cmocka_unit_test(test_huge_length),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
