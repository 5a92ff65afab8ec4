/*
 * cover_test.c - unit tests of src/core/cover.c: libFuzzer's set cover rule
 * (most new features, then the smaller, then the earlier), fixed sets
 * covered first, the per-byte rule with its second pass, and on random
 * instances: the lazy heap picks exactly what a full rescan per pick
 * picks, and the per-byte cover keeps every feature with no kept set
 * another could stand for.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "cover.h"
#include "rng.h"

#define SET(l, ...)                                                                                \
	{                                                                                          \
		(const uint32_t[]){__VA_ARGS__}, sizeof((uint32_t[]){__VA_ARGS__}) / 4, l, 0       \
	}

static void test_most_new(void **state)
{
	(void)state;
	struct cover_set s[] = {
		SET(10, 1, 2, 3), /* 0: three new */
		SET(1, 1, 2),     /* 1 */
		SET(5, 3, 4),     /* 2: one new after 0, as 3, but larger */
		SET(1, 4),        /* 3 */
		SET(1, 4),        /* 4: as 3, later */
	};
	size_t order[5], adds[5];
	assert_int_equal(cover_pick(s, 5, 8, COVER_MOST_NEW, order, adds), 2);
	assert_int_equal(order[0], 0);
	assert_int_equal(adds[0], 3);
	assert_int_equal(order[1], 3);
	assert_int_equal(adds[1], 1);
}

static void test_fixed_first(void **state)
{
	(void)state;
	struct cover_set s[] = {
		SET(100, 1, 2, 3, 4),
		SET(1, 4),
		SET(3, 1, 2, 3),
	};
	s[2].fixed = 1;
	size_t order[3];
	/* 1, 2, 3 are had already: the two others add 4 alone, the
	 * smaller wins; the fixed set is never in order[] */
	assert_int_equal(cover_pick(s, 3, 8, COVER_MOST_NEW, order, NULL), 1);
	assert_int_equal(order[0], 1);
}

static void test_per_byte(void **state)
{
	(void)state;
	struct cover_set s[] = {
		SET(100, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
		SET(5, 1, 2, 3, 4, 5),
		SET(5, 6, 7, 8, 9, 10),
	};
	size_t order[3];
	/* the most new features first takes the 100 bytes alone */
	assert_int_equal(cover_pick(s, 3, 16, COVER_MOST_NEW, order, NULL), 1);
	assert_int_equal(order[0], 0);
	/* per byte: the two halves, 10 bytes */
	assert_int_equal(cover_pick(s, 3, 16, COVER_PER_BYTE, order, NULL), 2);
	assert_int_equal(order[0] + order[1], 3);
}

static void test_second_pass(void **state)
{
	(void)state;
	struct cover_set s[] = {
		SET(1, 1),    /* 1/2 a byte: first picked */
		SET(4, 1, 2), /* 2/5, then 1/5: has 1 too */
	};
	size_t order[3], adds[3];
	assert_int_equal(cover_pick(s, 2, 4, COVER_PER_BYTE, order, adds), 1);
	assert_int_equal(order[0], 1);
	/* without the second pass (the other rule) both stay */
	assert_int_equal(cover_pick(s, 2, 4, COVER_MOST_NEW, order, NULL), 1);
	assert_int_equal(order[0], 1);
	struct cover_set t[] = {
		SET(1, 1),
		SET(2, 2, 3),
		SET(4, 1, 2, 4),
	};
	/* per byte: 1 (2/3), 0 (1/2), 2 (4 alone: 1/5); then 0 goes (2 has
	 * 1), 1 stays (3 is its own) */
	assert_int_equal(cover_pick(t, 3, 8, COVER_PER_BYTE, order, NULL), 2);
	assert_int_equal(order[0], 1);
	assert_int_equal(order[1], 2);
}

enum { N = 40, SPACE = 64, MAXF = 12 };

struct instance {
	uint32_t f[N][MAXF];
	struct cover_set s[N];
};

static void make(struct instance *x, struct rng *r)
{
	for (size_t i = 0; i < N; i++) {
		uint8_t seen[SPACE] = {0};
		size_t k = 0, want = 1 + rng_below(r, MAXF);
		while (k < want) {
			uint32_t f = (uint32_t)rng_below(r, SPACE);
			if (!seen[f]++)
				x->f[i][k++] = f;
		}
		x->s[i] = (struct cover_set){x->f[i], k, 1 + rng_below(r, 6), rng_below(r, 8) == 0};
	}
}

/* The rule by definition: every remaining set counted again per pick. */
static size_t rescan(const struct cover_set *s, size_t *order)
{
	uint8_t cov[SPACE] = {0}, used[N] = {0};
	for (size_t i = 0; i < N; i++)
		for (size_t k = 0; s[i].fixed && k < s[i].n_feats; k++)
			cov[s[i].feats[k]] = 1;
	size_t picked = 0;
	for (;;) {
		size_t best = N, best_adds = 0;
		for (size_t i = 0; i < N; i++) {
			if (s[i].fixed || used[i])
				continue;
			size_t a = 0;
			for (size_t k = 0; k < s[i].n_feats; k++)
				a += !cov[s[i].feats[k]];
			if (a > best_adds || (a && a == best_adds && s[i].len < s[best].len))
				best = i, best_adds = a;
		}
		if (best == N)
			return picked;
		used[best] = 1;
		order[picked++] = best;
		for (size_t k = 0; k < s[best].n_feats; k++)
			cov[s[best].feats[k]] = 1;
	}
}

static void test_lazy_equals_rescan(void **state)
{
	(void)state;
	struct rng r;
	rng_seed(&r, 7);
	static struct instance x;
	for (int round = 0; round < 300; round++) {
		make(&x, &r);
		size_t a[N], b[N];
		long n = cover_pick(x.s, N, SPACE, COVER_MOST_NEW, a, NULL);
		assert_int_equal(n, rescan(x.s, b));
		assert_memory_equal(a, b, (size_t)n * sizeof(*a));
	}
}

static void test_per_byte_keeps_every_feature(void **state)
{
	(void)state;
	struct rng r;
	rng_seed(&r, 11);
	static struct instance x;
	for (int round = 0; round < 300; round++) {
		make(&x, &r);
		size_t order[N];
		long n = cover_pick(x.s, N, SPACE, COVER_PER_BYTE, order, NULL);
		assert_true(n >= 0);
		unsigned all[SPACE] = {0}, kept[SPACE] = {0};
		uint8_t in[N] = {0};
		for (size_t i = 0; i < N; i++) {
			in[i] = x.s[i].fixed;
			for (size_t k = 0; k < x.s[i].n_feats; k++)
				all[x.s[i].feats[k]] = 1;
		}
		for (long j = 0; j < n; j++) {
			assert_false(in[order[j]]); /* no set twice, never a fixed one */
			in[order[j]] = 1;
		}
		for (size_t i = 0; i < N; i++)
			for (size_t k = 0; in[i] && k < x.s[i].n_feats; k++)
				kept[x.s[i].feats[k]]++;
		for (size_t f = 0; f < SPACE; f++)
			assert_int_equal(all[f], kept[f] > 0);
		/* no kept set that the others stand for */
		for (long j = 0; j < n; j++) {
			const struct cover_set *c = &x.s[order[j]];
			size_t own = 0;
			for (size_t k = 0; k < c->n_feats; k++)
				own += kept[c->feats[k]] == 1;
			assert_true(own > 0);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_most_new),
		cmocka_unit_test(test_fixed_first),
		cmocka_unit_test(test_per_byte),
		cmocka_unit_test(test_second_pass),
		cmocka_unit_test(test_lazy_equals_rescan),
		cmocka_unit_test(test_per_byte_keeps_every_feature),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
