/*
 * smith_gen.c - FERRET_TESTs for the examples plain ./tests generates
 * (t6008). small_bytes has a shallow property bug: it asks how many bytes
 * (a range, named by file:line), then that many bytes under the label
 * "byte", and fails when one is over 200; built with -DFIXED the bound
 * is 255 and it passes. sum_fits never fails: a sum of u16 values kept in
 * 64 bits always fits.
 */
#include <ferret.h>

#ifdef FIXED
#define BOUND 255
#else
#define BOUND 200
#endif

FERRET_TEST(small_bytes, s)
{
	unsigned n = (unsigned)ferret_range(s, 0, 6);
	for (unsigned i = 0; i < n; i++) {
		uint8_t v = ferret_u8_l(s, "byte");
		FERRET_ASSERT(v <= BOUND);
	}
}

FERRET_TEST(sum_fits, s)
{
	uint64_t sum = 0;
	unsigned n = 0;
	while (!ferret_eos(s)) {
		sum += ferret_u16(s);
		n++;
	}
	FERRET_ASSERT(sum <= (uint64_t)n * UINT16_MAX);
}
