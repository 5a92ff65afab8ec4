/*
 * smith_shrink.c - FERRET_TESTs with one bug each whose minimal failing
 * example is known, for t6009 (shrinking reaches it on every seed):
 *   list_large  a list of values 0..1000000 fails when an element is
 *               >= 1000, checked once the whole list is read: minimal is
 *               the list [1000] (eos false, 1000, eos true)
 *   rle_codec   a run-length codec storing each run's length in two bits,
 *               so a run of 4 or more does not round-trip; the list's
 *               values are 0..7: minimal is four zeros
 *   two_sites   one value 0..1000000 and two assertions: 10..499 fail the
 *               first, 700 and up the second; a failure of the second
 *               shrinks to 700, never slipping to the first's 10
 */
#include <ferret.h>
#include <string.h>

FERRET_TEST(list_large, s)
{
	uint32_t v[64];
	size_t n = 0;
	while (n < 64 && !ferret_eos(s))
		v[n++] = (uint32_t)ferret_range(s, 0, 1000000);
	for (size_t i = 0; i < n; i++)
		FERRET_ASSERT(v[i] < 1000);
}

/* Each run becomes one byte: value << 2 | length, the length in two bits
 * (the bug: a run of 4 or more wraps). */
static size_t rle_encode(const uint8_t *in, size_t n, uint8_t *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		size_t run = 1;
		while (i + run < n && in[i + run] == in[i])
			run++;
		out[k++] = (uint8_t)(in[i] << 2 | (run & 3));
		i += run;
	}
	return k;
}

static size_t rle_decode(const uint8_t *in, size_t n, uint8_t *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		for (unsigned r = in[i] & 3; r; r--)
			out[k++] = in[i] >> 2;
	return k;
}

FERRET_TEST(rle_codec, s)
{
	uint8_t in[64], enc[64], dec[64 * 3];
	size_t n = 0;
	while (n < sizeof(in) && !ferret_eos(s))
		in[n++] = (uint8_t)ferret_range(s, 0, 7);
	size_t e = rle_encode(in, n, enc);
	size_t d = rle_decode(enc, e, dec);
	FERRET_ASSERT(d == n && !memcmp(in, dec, n));
}

FERRET_TEST(two_sites, s)
{
	uint64_t v = ferret_range(s, 0, 1000000);
	FERRET_ASSERT(v < 10 || v >= 500);
	FERRET_ASSERT(v < 700);
}
