/*
 * valstream_fuzz.c - fuzzes the value-stream codec (src/core/valstream.c).
 * Takes each test case (a FERRET_LOOP: persistent under ferret fuzz, stdin
 * when run alone), up to 1 MiB, into a buffer of exactly its size (so a
 * sanitizer sees any read past len), decodes it, encodes the result into
 * a buffer of exactly vs_encoded_len() bytes, decodes that again, and
 * calls abort() when an invariant breaks:
 *   - decoding returns 0 or FERRET_EPARSE; without a whole header and the
 *     magic it keeps no record and seed 0 (0 only for the empty input);
 *   - with a header, the encoding of what was kept is a prefix of the
 *     input (the format has one encoding per stream), the whole input
 *     exactly when decoding returned 0;
 *   - the re-encoding decodes with 0 to the same seed and records, and
 *     encodes to the same bytes again.
 * Built by the e2e tests with ferret-cc together with valstream.c and
 * errors.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ferret.h>

#include "errors.h"
#include "valstream.h"

#define MAX_INPUT (1024 * 1024)

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "valstream_fuzz: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static int same_record(const struct vs_record *a, const struct vs_record *b)
{
	if (a->uid != b->uid || a->kind != b->kind)
		return 0;
	if (a->kind == FERRET_VS_INT)
		return a->value == b->value;
	if (a->kind == FERRET_VS_BYTES || a->kind == FERRET_VS_NAME)
		return a->len == b->len && (!a->len || !memcmp(a->bytes, b->bytes, a->len));
	return a->kind == FERRET_VS_FRESH;
}

/* Encodes s into a malloc'd buffer of exactly its size. */
static uint8_t *encode(const struct vs_stream *s, size_t *len)
{
	size_t need = vs_encoded_len(s);
	uint8_t *out = malloc(need);
	CHECK(out);
	CHECK(vs_encode(s, out) == need);
	*len = need;
	return out;
}

static void check_stream(const uint8_t *tc, size_t len)
{
	uint8_t *in = malloc(len ? len : 1);
	CHECK(in);
	memcpy(in, tc, len);

	struct vs_stream a = {0}, b = {0};
	int rc = vs_decode(&a, in, len);
	CHECK(rc == 0 || rc == FERRET_EPARSE);
	int header = len >= FERRET_VS_HEADER_BYTES && !memcmp(in, FERRET_VS_MAGIC, 4);
	if (!header) {
		CHECK(a.n == 0 && a.seed == 0);
		CHECK(rc == (len ? FERRET_EPARSE : 0));
	}
	for (size_t i = 0; i < a.n; i++) {
		CHECK(a.rec[i].kind >= FERRET_VS_INT && a.rec[i].kind <= FERRET_VS_NAME);
		if (a.rec[i].kind == FERRET_VS_BYTES || a.rec[i].kind == FERRET_VS_NAME)
			CHECK(a.rec[i].bytes >= in && a.rec[i].bytes + a.rec[i].len <= in + len);
	}

	size_t elen;
	uint8_t *enc = encode(&a, &elen);
	if (header) {
		CHECK(elen <= len);
		CHECK(!memcmp(enc, in, elen));
		CHECK((rc == 0) == (elen == len));
	}

	CHECK(vs_decode(&b, enc, elen) == 0);
	CHECK(b.seed == a.seed);
	CHECK(b.n == a.n);
	for (size_t i = 0; i < a.n; i++)
		CHECK(same_record(&a.rec[i], &b.rec[i]));
	size_t elen2;
	uint8_t *enc2 = encode(&b, &elen2);
	CHECK(elen2 == elen && !memcmp(enc2, enc, elen));

	free(enc2);
	free(enc);
	vs_release(&a);
	vs_release(&b);
	free(in);
}

int main(void)
{
	while (FERRET_LOOP(10000)) {
		size_t len = FERRET_TESTCASE_LEN;
		check_stream(FERRET_TESTCASE_BUF, len < MAX_INPUT ? len : MAX_INPUT);
	}
	return 0;
}
