/*
 * smith_props.c - FERRET_TESTs that assert the Smith's promises from inside
 * a test (include/ferret.h), for t6005: whatever the stream holds, and
 * whatever the fuzzer makes of it, a value is never outside its call's
 * weights or range, and a loop on ferret_eos ends within 4096 iterations.
 *   values_in_range  ferret_weighted {10..20 w1, 100 w5}, ferret_range 3..9,
 *                    ferret_range_i64 -5..5, ferret_pick 3, ferret_slice 16,
 *                    with branches on the values so the fuzzer has paths
 *   eos_ends         a `while (!ferret_eos_l(s, "eos-loop"))` loop
 *   eos_cap          an eos that is never true by its odds still ends the
 *                    loop at the 4096-value cap (even on the empty stream)
 *   eos_loop_short   fails when the eos-loop ran to the cap (a marker)
 */
#include <ferret.h>

static const struct ferret_weight weights[] = {{10, 20, 1}, {100, 100, 5}};

static volatile unsigned sink;

FERRET_TEST(values_in_range, s)
{
	unsigned iters = 0, paths = 0;
	while (!ferret_eos(s)) {
		FERRET_ASSERT(++iters <= 4096);
		uint64_t w = ferret_weighted(s, weights, 2);
		FERRET_ASSERT((w >= 10 && w <= 20) || w == 100);
		uint64_t r = ferret_range(s, 3, 9);
		FERRET_ASSERT(r >= 3 && r <= 9);
		int64_t i = ferret_range_i64(s, -5, 5);
		FERRET_ASSERT(i >= -5 && i <= 5);
		size_t p = ferret_pick(s, 3);
		FERRET_ASSERT(p < 3);
		unsigned char buf[16];
		size_t n = ferret_slice(s, buf, sizeof(buf));
		FERRET_ASSERT(n <= sizeof(buf));
		/* paths for the fuzzer to find */
		if (w == 100)
			paths += 1;
		else if (w == 10 || w == 20)
			paths += 2;
		if (r == 9 && i == -5)
			paths += 3;
		if (p == 0 && n > 3 && buf[0] == 'F')
			paths += 4;
		else if (p == 1 && i < 0)
			paths += 5;
	}
	sink = paths;
}

FERRET_TEST(eos_ends, s)
{
	unsigned iters = 0;
	while (!ferret_eos_l(s, "eos-loop"))
		FERRET_ASSERT(++iters <= 4096);
}

FERRET_TEST(eos_cap, s)
{
	unsigned iters = 0;
	while (!ferret_eos_weighted(s, 1, 0))
		FERRET_ASSERT(++iters <= 4096);
}

/* Fails when the eos-loop ran to the cap: t6005 uses it to show that its
 * hand-made stream (every eos-loop value false) reaches the cap. */
FERRET_TEST(eos_loop_short, s)
{
	unsigned iters = 0;
	while (!ferret_eos_l(s, "eos-loop"))
		iters++;
	FERRET_ASSERT(iters < 4096);
}
