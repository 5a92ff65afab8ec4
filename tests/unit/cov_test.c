/*
 * cov_test.c - unit tests of src/core/cov.c: AFL's hit-count buckets, the
 * virgin-map comparison (new edge, new bucket, nothing), the read-only peek,
 * edge counts, path and edge-set hashes, crash novelty and the bitset
 * footprint. Hand-built traces pin each verdict; then random sparse traces
 * on maps of 64, 4096 and 65536 bytes are checked against a byte-by-byte
 * reference written here, independently of cov.c's word-at-a-time walk.
 * The per-execution functions that read only a run's touch list must give
 * what the whole-map ones give, whatever the list's order, and fall back
 * to the whole map when the list overflowed or is missing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cov.h"
#include "rng.h"

#define SMALL 64
#define RUNS_PER_SIZE 200

static const size_t map_sizes[] = {64, 4096, 65536};
#define N_SIZES (sizeof(map_sizes) / sizeof(map_sizes[0]))

/* AFL's count_class_lookup8, written out as ranges rather than a table. */
static uint8_t ref_bucket(unsigned hits)
{
	if (hits == 0)
		return 0;
	if (hits == 1)
		return 1;
	if (hits == 2)
		return 2;
	if (hits == 3)
		return 4;
	if (hits <= 7)
		return 8;
	if (hits <= 15)
		return 16;
	if (hits <= 31)
		return 32;
	if (hits <= 127)
		return 64;
	return 128;
}

/* AFL's has_new_bits one byte at a time: classify, compare, clear. */
static int ref_update(uint8_t *trace, uint8_t *virgin, size_t bytes)
{
	int ret = COV_NONE;

	for (size_t i = 0; i < bytes; i++) {
		uint8_t c = ref_bucket(trace[i]);

		trace[i] = c;
		if (c & virgin[i]) {
			int news = virgin[i] == 0xff ? COV_NEW_EDGE : COV_NEW_BUCKET;

			if (news > ret)
				ret = news;
			virgin[i] &= (uint8_t)~c;
		}
	}
	return ret;
}

static uint32_t ref_count_edges(const uint8_t *trace, size_t bytes)
{
	uint32_t n = 0;

	for (size_t i = 0; i < bytes; i++)
		n += trace[i] != 0;
	return n;
}

static uint32_t ref_count_seen(const uint8_t *virgin, size_t bytes)
{
	uint32_t n = 0;

	for (size_t i = 0; i < bytes; i++)
		n += virgin[i] != 0xff;
	return n;
}

/*
 * Maps are 8-byte aligned (cov.h requires it) and zeroed. Each test's maps
 * are freed by its teardown, so a failed assert (a longjmp) leaks nothing
 * and the sanitizer build reports only the failure.
 */
#define MAX_MAPS 16
static uint8_t *maps[MAX_MAPS];
static size_t n_maps;

static uint8_t *map_new(size_t bytes)
{
	/* aligned_alloc wants a size that is a multiple of the alignment. */
	uint8_t *p = aligned_alloc(64, (bytes + 63) / 64 * 64);

	assert_non_null(p);
	assert_true(n_maps < MAX_MAPS);
	maps[n_maps++] = p;
	memset(p, 0, bytes);
	return p;
}

static int free_maps(void **state)
{
	(void)state;
	while (n_maps)
		free(maps[--n_maps]);
	return 0;
}

/*
 * A sparse random trace: a handful of hit edges, clustered around a few hot
 * spots so that some 8-byte words hold several edges and most hold none.
 * Counts are drawn so that every bucket, and bucket edges, occur.
 */
static void random_trace(struct rng *r, uint8_t *trace, size_t bytes)
{
	static const uint8_t counts[] = {1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 127, 128, 255};
	size_t n = 1 + rng_below(r, bytes / 16 + 4);

	memset(trace, 0, bytes);
	for (size_t k = 0; k < n; k++) {
		size_t at = rng_below(r, bytes);
		uint8_t c = rng_chance(r, 1, 2) ? counts[rng_below(r, sizeof(counts))]
						: (uint8_t)(1 + rng_below(r, 255));

		trace[at] = c;
	}
}

static void test_bucket_table(void **state)
{
	(void)state;
	for (unsigned h = 0; h < 256; h++)
		assert_int_equal(cov_bucket((uint8_t)h), ref_bucket(h));
	/* The boundaries, spelled out. */
	assert_int_equal(cov_bucket(0), 0);
	assert_int_equal(cov_bucket(3), 4);
	assert_int_equal(cov_bucket(4), 8);
	assert_int_equal(cov_bucket(7), 8);
	assert_int_equal(cov_bucket(8), 16);
	assert_int_equal(cov_bucket(15), 16);
	assert_int_equal(cov_bucket(16), 32);
	assert_int_equal(cov_bucket(31), 32);
	assert_int_equal(cov_bucket(32), 64);
	assert_int_equal(cov_bucket(127), 64);
	assert_int_equal(cov_bucket(128), 128);
	assert_int_equal(cov_bucket(255), 128);
}

static void test_classify_in_place(void **state)
{
	uint8_t *trace = map_new(SMALL), *want = map_new(SMALL);

	(void)state;
	for (unsigned h = 0; h < 256; h++) {
		memset(trace, 0, SMALL);
		trace[h % SMALL] = (uint8_t)h;
		cov_classify(trace, SMALL);
		memset(want, 0, SMALL);
		want[h % SMALL] = ref_bucket(h);
		assert_memory_equal(trace, want, SMALL);
	}
}

/* Runs one raw trace (copied) through the update; returns its verdict. */
static int run_update(uint8_t *scratch, const uint8_t *raw, uint8_t *virgin, size_t bytes)
{
	memcpy(scratch, raw, bytes);
	return cov_classify_and_update(scratch, virgin, bytes);
}

static void test_update_verdicts(void **state)
{
	uint8_t *virgin = map_new(SMALL), *raw = map_new(SMALL), *t = map_new(SMALL);

	(void)state;
	cov_virgin_init(virgin, SMALL);
	for (size_t i = 0; i < SMALL; i++)
		assert_int_equal(virgin[i], 0xff);

	/* An empty trace is never news. */
	assert_int_equal(run_update(t, raw, virgin, SMALL), COV_NONE);

	/* First hit of edge 10: new edge; the same trace again: nothing. */
	raw[10] = 1;
	assert_int_equal(run_update(t, raw, virgin, SMALL), COV_NEW_EDGE);
	assert_int_equal(virgin[10], 0xfe);
	assert_int_equal(run_update(t, raw, virgin, SMALL), COV_NONE);

	/* 2 hits: a known edge in a new bucket. */
	raw[10] = 2;
	assert_int_equal(run_update(t, raw, virgin, SMALL), COV_NEW_BUCKET);
	assert_int_equal(virgin[10], 0xfc);

	/* 4 then 6: both in bucket 4-7. */
	raw[10] = 4;
	assert_int_equal(run_update(t, raw, virgin, SMALL), COV_NEW_BUCKET);
	raw[10] = 6;
	assert_int_equal(run_update(t, raw, virgin, SMALL), COV_NONE);
	assert_int_equal(virgin[10], (uint8_t) ~(1 | 2 | 8));

	/* A new edge in the same word as a known one: new edge wins. */
	raw[11] = 1;
	raw[10] = 100; /* also a new bucket for edge 10 */
	assert_int_equal(run_update(t, raw, virgin, SMALL), COV_NEW_EDGE);

	/* A new bucket in one word and a new edge in a later word. */
	raw[10] = 200;
	raw[40] = 3;
	assert_int_equal(run_update(t, raw, virgin, SMALL), COV_NEW_EDGE);
	assert_int_equal(virgin[40], (uint8_t)~4);

	/* The trace is classified in place. */
	memset(raw, 0, SMALL);
	raw[0] = 3;
	raw[7] = 9;
	raw[8] = 200;
	raw[63] = 40;
	memcpy(t, raw, SMALL);
	cov_classify_and_update(t, virgin, SMALL);
	assert_int_equal(t[0], 4);
	assert_int_equal(t[7], 16);
	assert_int_equal(t[8], 128);
	assert_int_equal(t[63], 64);
	assert_int_equal(t[1], 0);
}

/* The peek on a raw trace gives the update's verdict, trace and virgin intact. */
static void test_peek_sequence(void **state)
{
	uint8_t *virgin = map_new(SMALL), *before = map_new(SMALL), *t = map_new(SMALL);
	static const uint8_t steps[][2] = {{10, 1}, {10, 1}, {10, 2},   {10, 4}, {10, 6},
					   {11, 3}, {11, 3}, {11, 200}, {0, 0}};

	(void)state;
	cov_virgin_init(virgin, SMALL);
	for (size_t s = 0; s < sizeof(steps) / sizeof(steps[0]); s++) {
		memset(t, 0, SMALL);
		t[steps[s][0]] = steps[s][1];
		memcpy(before, virgin, SMALL);
		int peek = cov_peek_new(t, virgin, SMALL);

		assert_memory_equal(virgin, before, SMALL);
		assert_int_equal(t[steps[s][0]], steps[s][1]); /* trace left raw */
		memset(t, 0, SMALL);
		t[steps[s][0]] = steps[s][1];
		assert_int_equal(peek, cov_classify_and_update(t, virgin, SMALL));
	}
}

/*
 * "Like the update, but leaves virgin untouched": given the same raw trace
 * the update gets, the peek must say what the update would say. A count of
 * 3 is bucket 4; once bucket 4 was seen, raw 3 again is nothing new.
 */
static void test_peek_raw(void **state)
{
	uint8_t *virgin = map_new(SMALL), *raw = map_new(SMALL), *t = map_new(SMALL);

	(void)state;
	cov_virgin_init(virgin, SMALL);
	raw[5] = 3;
	assert_int_equal(cov_peek_new(raw, virgin, SMALL), COV_NEW_EDGE);
	assert_int_equal(run_update(t, raw, virgin, SMALL), COV_NEW_EDGE);
	/* virgin[5] is now ~4; raw 3 classifies to 4 again. */
	assert_int_equal(run_update(t, raw, virgin, SMALL), COV_NONE);
	assert_int_equal(cov_peek_new(raw, virgin, SMALL), COV_NONE);
}

static void test_counts(void **state)
{
	uint8_t *virgin = map_new(SMALL), *t = map_new(SMALL);

	(void)state;
	assert_int_equal(cov_count_edges(t, SMALL), 0);
	t[0] = 1;
	t[1] = 255;
	t[8] = 7;
	t[63] = 2;
	assert_int_equal(cov_count_edges(t, SMALL), 4);

	cov_virgin_init(virgin, SMALL);
	assert_int_equal(cov_count_seen(virgin, SMALL), 0);
	cov_classify_and_update(t, virgin, SMALL);
	assert_int_equal(cov_count_seen(virgin, SMALL), 4);
	/* New buckets of known edges are not new edges. */
	memset(t, 0, SMALL);
	t[0] = 100;
	cov_classify_and_update(t, virgin, SMALL);
	assert_int_equal(cov_count_seen(virgin, SMALL), 4);
}

static void test_hashes(void **state)
{
	uint8_t *a = map_new(SMALL), *b = map_new(SMALL);

	(void)state;
	a[3] = 1;
	a[40] = 8;
	memcpy(b, a, SMALL);
	assert_int_equal(cov_hash(a, SMALL), cov_hash(b, SMALL));
	assert_int_equal(cov_hash_edges(a, SMALL), cov_hash_edges(b, SMALL));

	/* Another count on the same edges: another path, the same edge set. */
	b[40] = 16;
	assert_int_not_equal(cov_hash(a, SMALL), cov_hash(b, SMALL));
	assert_int_equal(cov_hash_edges(a, SMALL), cov_hash_edges(b, SMALL));

	/* Another edge: both differ. */
	memcpy(b, a, SMALL);
	b[41] = 8;
	assert_int_not_equal(cov_hash(a, SMALL), cov_hash(b, SMALL));
	assert_int_not_equal(cov_hash_edges(a, SMALL), cov_hash_edges(b, SMALL));

	/* The same counts moved to another edge. */
	memcpy(b, a, SMALL);
	b[40] = 0;
	b[39] = 8;
	assert_int_not_equal(cov_hash(a, SMALL), cov_hash(b, SMALL));
	assert_int_not_equal(cov_hash_edges(a, SMALL), cov_hash_edges(b, SMALL));
}

static void test_new_edges_vs(void **state)
{
	uint8_t *seen = map_new(SMALL), *t = map_new(SMALL);

	(void)state;
	assert_int_equal(cov_new_edges_vs(t, seen, SMALL), 0);
	t[2] = 1;
	t[50] = 128;
	assert_true(cov_new_edges_vs(t, seen, SMALL));
	assert_int_not_equal(seen[2], 0);
	assert_int_not_equal(seen[50], 0);
	assert_int_equal(seen[3], 0);
	/* The same edges, other counts: not novel. */
	t[2] = 64;
	t[50] = 1;
	assert_false(cov_new_edges_vs(t, seen, SMALL));
	/* A subset: not novel. */
	t[50] = 0;
	assert_false(cov_new_edges_vs(t, seen, SMALL));
	/* One more edge: novel, once. */
	t[51] = 1;
	assert_true(cov_new_edges_vs(t, seen, SMALL));
	assert_false(cov_new_edges_vs(t, seen, SMALL));
}

static void test_to_bits(void **state)
{
	uint8_t *t = map_new(SMALL), bits[SMALL / 8];

	(void)state;
	memset(bits, 0xaa, sizeof(bits)); /* stale bytes must be cleared */
	t[0] = 1;
	t[7] = 200;
	t[9] = 3;
	t[63] = 1;
	cov_to_bits(t, bits, SMALL);
	assert_int_equal(bits[0], 0x81);
	assert_int_equal(bits[1], 0x02);
	for (size_t i = 2; i < 7; i++)
		assert_int_equal(bits[i], 0);
	assert_int_equal(bits[7], 0x80);
}

/* Everything above on random traces, against the byte-by-byte reference. */
static void test_random_vs_reference(void **state)
{
	(void)state;
	for (size_t s = 0; s < N_SIZES; s++) {
		size_t bytes = map_sizes[s];
		uint8_t *vir = map_new(bytes), *ref_vir = map_new(bytes);
		uint8_t *raw = map_new(bytes), *t = map_new(bytes), *ref_t = map_new(bytes);
		uint8_t *seen = map_new(bytes), *ref_seen = map_new(bytes);
		uint8_t *bits = map_new(bytes / 8);
		struct rng r;

		rng_seed(&r, 0xc0feull + bytes);
		cov_virgin_init(vir, bytes);
		memset(ref_vir, 0xff, bytes);
		for (int run = 0; run < RUNS_PER_SIZE; run++) {
			random_trace(&r, raw, bytes);
			assert_int_equal(cov_count_edges(raw, bytes), ref_count_edges(raw, bytes));

			/* Classify matches the reference; peek on the raw trace,
			 * then update the raw one. */
			memcpy(t, raw, bytes);
			cov_classify(t, bytes);
			memcpy(ref_t, raw, bytes);
			for (size_t i = 0; i < bytes; i++)
				ref_t[i] = ref_bucket(ref_t[i]);
			assert_memory_equal(t, ref_t, bytes);
			int peek = cov_peek_new(raw, vir, bytes);

			memcpy(t, raw, bytes);
			memcpy(ref_t, raw, bytes);
			int got = cov_classify_and_update(t, vir, bytes);
			int want = ref_update(ref_t, ref_vir, bytes);

			assert_int_equal(got, want);
			assert_int_equal(peek, want);
			assert_memory_equal(t, ref_t, bytes);
			assert_memory_equal(vir, ref_vir, bytes);
			assert_int_equal(cov_count_seen(vir, bytes),
					 ref_count_seen(ref_vir, bytes));

			/* The same trace again is never news. */
			memcpy(t, raw, bytes);
			assert_int_equal(cov_classify_and_update(t, vir, bytes), COV_NONE);

			/* Crash novelty. */
			int novel = 0;

			for (size_t i = 0; i < bytes; i++)
				if (raw[i] && !ref_seen[i]) {
					ref_seen[i] = 1;
					novel = 1;
				}
			assert_int_equal(cov_new_edges_vs(raw, seen, bytes) != 0, novel);
			for (size_t i = 0; i < bytes; i++)
				assert_int_equal(seen[i] != 0, ref_seen[i]);

			/* Footprint. */
			cov_to_bits(raw, bits, bytes);
			for (size_t i = 0; i < bytes; i++)
				assert_int_equal((bits[i / 8] >> (i % 8)) & 1, raw[i] != 0);

			/* Edge hash ignores counts: rewrite every count. */
			memcpy(t, raw, bytes);
			for (size_t i = 0; i < bytes; i++)
				if (t[i])
					t[i] = (uint8_t)(1 + rng_below(&r, 255));
			assert_int_equal(cov_hash_edges(t, bytes), cov_hash_edges(raw, bytes));
			memcpy(t, raw, bytes);
			assert_int_equal(cov_hash(t, bytes), cov_hash(raw, bytes));
			t[rng_below(&r, bytes)] ^= 0x40;
			assert_int_not_equal(cov_hash(t, bytes), cov_hash(raw, bytes));
		}
		free_maps(NULL);
	}
}

/* The touch list of a trace, as the runtime would write it: each non-zero
 * counter once, in an order of its own (shuffled), plus `junk` indexes
 * past the map, which must be ignored. Returns the count. */
static uint32_t touch_of(struct rng *r, const uint8_t *trace, size_t bytes, uint32_t *idx, int junk)
{
	uint32_t n = 0;

	for (size_t i = 0; i < bytes; i++)
		if (trace[i])
			idx[n++] = (uint32_t)i;
	for (uint32_t k = n; k > 1; k--) {
		uint32_t j = (uint32_t)rng_below(r, k), tmp = idx[k - 1];

		idx[k - 1] = idx[j];
		idx[j] = tmp;
	}
	while (junk--)
		idx[n++] = (uint32_t)(bytes + rng_below(r, 1000));
	return n;
}

static void test_sparse_vs_whole(void **state)
{
	(void)state;
	for (size_t s = 0; s < N_SIZES; s++) {
		size_t bytes = map_sizes[s];
		uint8_t *raw = map_new(bytes), *whole = map_new(bytes), *sparse = map_new(bytes);
		uint8_t *vir_w = map_new(bytes), *vir_s = map_new(bytes);
		uint32_t *idx = calloc(bytes + 8, sizeof(*idx));
		struct rng r;

		assert_non_null(idx);
		rng_seed(&r, 0x5ba75eull + bytes);
		cov_virgin_init(vir_w, bytes);
		cov_virgin_init(vir_s, bytes);
		for (int run = 0; run < RUNS_PER_SIZE; run++) {
			random_trace(&r, raw, bytes);
			volatile uint32_t n = touch_of(&r, raw, bytes, idx, run % 3);
			/* one run in seven the list overflowed, one in eleven there is
			 * none: the whole map either way */
			uint32_t cap = run % 7 == 6 ? n - 1 : (uint32_t)bytes + 8;
			struct cov_touch t = {idx, &n, cap};
			const struct cov_touch *tp = run % 11 == 10 ? NULL : &t;

			memcpy(whole, raw, bytes);
			memcpy(sparse, raw, bytes);
			assert_int_equal(cov_sparse_cost(sparse, bytes, tp), cov_cost(raw, bytes));
			assert_int_equal(cov_sparse_count(sparse, bytes, bytes / 2, tp),
					 cov_count_edges(raw, bytes / 2));

			uint64_t h_w, h_s;
			int got_w = cov_classify_update_hash(whole, vir_w, bytes, &h_w);
			int got_s = cov_sparse_classify_update(sparse, vir_s, bytes, tp, &h_s);

			assert_int_equal(got_s, got_w);
			assert_int_equal(h_s, h_w);
			assert_memory_equal(sparse, whole, bytes);
			assert_memory_equal(vir_s, vir_w, bytes);
			assert_int_equal(cov_sparse_hash(sparse, bytes, tp),
					 cov_hash(whole, bytes));
			assert_int_equal(cov_sparse_cost(sparse, bytes, tp),
					 cov_cost(whole, bytes));

			memcpy(sparse, raw, bytes);
			cov_sparse_classify(sparse, bytes, tp);
			assert_memory_equal(sparse, whole, bytes);

			/* The clear leaves a zero map and an empty list. */
			cov_sparse_clear(sparse, bytes, &t);
			assert_int_equal(n, 0);
			assert_int_equal(cov_count_edges(sparse, bytes), 0);
		}
		free(idx);
		free_maps(NULL);
	}
}

/* A target thread rewriting its touch list while the engine reads it: an
 * index is read once and checked, so a value changed between a check and
 * a use never sends the engine outside the map (before, the second read
 * took the far index: a write 2 GiB past the map). */
struct flipper {
	volatile uint32_t *idx;
	volatile int stop;
};

static void *flip(void *arg)
{
	struct flipper *f = arg;
	while (!f->stop) {
		f->idx[0] = 0x7ffffff0u;
		f->idx[0] = 3;
	}
	return NULL;
}

static void test_sparse_list_changing(void **state)
{
	(void)state;
	uint8_t *trace = map_new(SMALL), *virgin = map_new(SMALL);
	static volatile uint32_t idx[4] = {3, 5, 7, 9};
	volatile uint32_t n = 4;
	struct cov_touch t = {idx, &n, 4};
	struct flipper f = {idx, 0};
	pthread_t th;

	cov_virgin_init(virgin, SMALL);
	assert_int_equal(pthread_create(&th, NULL, flip, &f), 0);
	for (int r = 0; r < 200000; r++) {
		uint64_t h;

		trace[3] = trace[5] = trace[7] = trace[9] = 1;
		n = 4;
		cov_sparse_classify_update(trace, virgin, SMALL, &t, &h);
		cov_sparse_classify(trace, SMALL, &t);
		(void)cov_sparse_cost(trace, SMALL, &t);
		(void)cov_sparse_count(trace, SMALL, SMALL, &t);
		(void)cov_sparse_hash(trace, SMALL, &t);
		cov_sparse_clear(trace, SMALL, &t);
	}
	f.stop = 1;
	pthread_join(th, NULL);
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_bucket_table, free_maps),
		cmocka_unit_test_teardown(test_classify_in_place, free_maps),
		cmocka_unit_test_teardown(test_update_verdicts, free_maps),
		cmocka_unit_test_teardown(test_peek_sequence, free_maps),
		cmocka_unit_test_teardown(test_peek_raw, free_maps),
		cmocka_unit_test_teardown(test_counts, free_maps),
		cmocka_unit_test_teardown(test_hashes, free_maps),
		cmocka_unit_test_teardown(test_new_edges_vs, free_maps),
		cmocka_unit_test_teardown(test_to_bits, free_maps),
		cmocka_unit_test_teardown(test_random_vs_reference, free_maps),
		cmocka_unit_test_teardown(test_sparse_vs_whole, free_maps),
		cmocka_unit_test_teardown(test_sparse_list_changing, free_maps),
	};

	alarm(120); /* rule 32: a hang fails the run instead of stalling it */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
