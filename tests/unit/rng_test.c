/*
 * rng_test.c - unit tests of src/core/rng.h, the engine's only source of
 * randomness. Reproducible runs rest on it, so beyond range and coverage of
 * rng_below() these tests pin the exact sequence of a seed: a change to the
 * generator or its seeding breaks every recorded seed and must be deliberate.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "rng.h"

#define DRAWS 10000

static void test_same_seed_same_sequence(void **state)
{
	(void)state;
	for (uint64_t seed = 0; seed < 100; seed++) {
		struct rng a, b;

		rng_seed(&a, seed);
		rng_seed(&b, seed);
		for (int i = 0; i < 1000; i++)
			assert_int_equal(rng_next(&a), rng_next(&b));
		for (int i = 0; i < 1000; i++)
			assert_int_equal(rng_below(&a, 1000 + i), rng_below(&b, 1000 + i));
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Neighbouring seeds (the common case: 0, 1, 2...) give unrelated streams. */
static void test_different_seeds_differ(void **state)
{
	enum { N = 1000 };
	static uint64_t first[N];

	(void)state;
	for (uint64_t seed = 0; seed < N; seed++) {
		struct rng r;

		rng_seed(&r, seed);
		first[seed] = rng_next(&r);
	}
	qsort(first, N, sizeof(first[0]), cmp_u64);
	for (int i = 1; i < N; i++)
		assert_int_not_equal(first[i - 1], first[i]);

	struct rng a, b;
	int same = 0;
	rng_seed(&a, 1);
	rng_seed(&b, 2);
	for (int i = 0; i < 1000; i++)
		same += rng_next(&a) == rng_next(&b);
	assert_int_equal(same, 0);
}

/*
 * Known answers. The first splitmix64 output from state 0 is the published
 * test vector 0xe220a8397b1dcdaf; the xoshiro256** outputs pin the sequence
 * so that a seed written in a queue file name replays in later versions.
 */
static void test_known_answers(void **state)
{
	static const uint64_t seed0[] = {
		0x99ec5f36cb75f2b4ull,
		0xbf6e1f784956452aull,
		0x1a5f849d4933e6e0ull,
		0x6aa594f1262d2d2cull,
	};
	uint64_t x = 0;
	struct rng r;

	(void)state;
	assert_int_equal(rng__splitmix(&x), 0xe220a8397b1dcdafull);
	rng_seed(&r, 0);
	assert_int_equal(r.s[0], 0xe220a8397b1dcdafull);
	for (size_t i = 0; i < sizeof(seed0) / sizeof(seed0[0]); i++)
		assert_int_equal(rng_next(&r), seed0[i]);
	rng_seed(&r, 42);
	assert_int_equal(rng_next(&r), 0x15780b2e0c2ec716ull);
	assert_int_equal(rng_next(&r), 0x6104d9866d113a7eull);
}

static void test_below_in_range(void **state)
{
	static const uint64_t ns[] = {
		1,
		2,
		3,
		7,
		10,
		255,
		256,
		1000,
		65537,
		1ull << 32,
		(1ull << 32) + 1,
		UINT64_MAX / 3,
		UINT64_MAX - 1,
		UINT64_MAX,
	};
	struct rng r;

	(void)state;
	rng_seed(&r, 7);
	for (size_t k = 0; k < sizeof(ns) / sizeof(ns[0]); k++)
		for (int i = 0; i < DRAWS; i++)
			assert_true(rng_below(&r, ns[k]) < ns[k]);
}

/*
 * Small n: every value comes up, and roughly as often as the others. With
 * 200 draws expected per value the standard deviation is about 14, so the
 * bounds [100, 300] hold by a wide margin for this fixed seed.
 */
static void test_below_hits_every_value(void **state)
{
	struct rng r;

	(void)state;
	rng_seed(&r, 12345);
	for (uint64_t n = 1; n <= 64; n++) {
		unsigned count[64] = {0};

		for (uint64_t i = 0; i < 200 * n; i++)
			count[rng_below(&r, n)]++;
		for (uint64_t v = 0; v < n; v++)
			assert_in_range(count[v], 100, 300);
	}
}

static void test_below_zero(void **state)
{
	struct rng r;

	(void)state;
	rng_seed(&r, 99);
	for (int i = 0; i < DRAWS; i++)
		assert_int_equal(rng_below(&r, 0), 0);
}

static void test_chance(void **state)
{
	struct rng r;
	unsigned heads = 0;

	(void)state;
	rng_seed(&r, 5);
	for (int i = 0; i < DRAWS; i++) {
		assert_false(rng_chance(&r, 0, 10));
		assert_true(rng_chance(&r, 10, 10));
		heads += (unsigned)rng_chance(&r, 1, 2);
	}
	assert_in_range(heads, DRAWS / 2 - 500, DRAWS / 2 + 500);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_seed_same_sequence),
		cmocka_unit_test(test_different_seeds_differ),
		cmocka_unit_test(test_known_answers),
		cmocka_unit_test(test_below_in_range),
		cmocka_unit_test(test_below_hits_every_value),
		cmocka_unit_test(test_below_zero),
		cmocka_unit_test(test_chance),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
