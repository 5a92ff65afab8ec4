/*
 * corpus_test.c - unit tests of src/core/corpus.c: adding entries with their
 * traces (ids, edge counts, footprints), AFL's top-rated table and culling
 * into a favoured set, the queue cycle with its skip probabilities, the
 * power schedule (speed, coverage, cap, AFLFast path frequency) and the
 * pending-favoured bookkeeping of corpus_mark_fuzzed. Traces are built by
 * hand on a small map; the scheduler draws from a fixed-seed rng.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "corpus.h"
#include "errors.h"

#define MAP 64
#define SLOTS 1024
#define DRAWS 20000

/* An entry of len bytes running in cost, hitting edges[0..n) once each. */
static struct entry *add(struct corpus *c, size_t len, uint64_t cost, const unsigned *edges,
			 size_t n)
{
	uint8_t trace[MAP] = {0}, data[256] = {0};
	struct entry *e = entry_new(data, len);

	assert_non_null(e);
	e->cost = cost;
	for (size_t i = 0; i < n; i++)
		trace[edges[i]] = 1;
	assert_int_equal(corpus_add(c, e, trace, NULL), 0);
	return e;
}

#define ADD(c, len, us, ...)                                                                       \
	add(c, len, us, (const unsigned[]){__VA_ARGS__},                                           \
	    sizeof((const unsigned[]){__VA_ARGS__}) / sizeof(unsigned))

/* An entry with k edges starting at first (for coverage-relative scores). */
static struct entry *add_span(struct corpus *c, uint64_t cost, unsigned first, unsigned k)
{
	unsigned edges[MAP];

	for (unsigned i = 0; i < k; i++)
		edges[i] = first + i;
	return add(c, 10, cost, edges, k);
}

static int is_member(const struct corpus *c, const struct entry *e)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i] == e)
			return 1;
	return 0;
}

static void test_entry_new(void **state)
{
	static const uint8_t data[] = {1, 2, 3};
	struct entry *e = entry_new(data, sizeof(data));

	(void)state;
	assert_non_null(e);
	assert_int_equal(e->len, 3);
	assert_memory_equal(e->data, data, 3);
	assert_ptr_not_equal(e->data, data);
	assert_int_equal(e->parent, -1);
	entry_free(e);
	e = entry_new(NULL, 0);
	assert_non_null(e);
	assert_int_equal(e->len, 0);
	entry_free(e);
	entry_free(NULL);
}

static void test_add_ids_and_edges(void **state)
{
	struct corpus c;

	(void)state;
	assert_int_equal(corpus_init(&c, MAP, SLOTS), 0);
	/* More than the initial capacity, to cross a realloc. */
	for (unsigned i = 0; i < 150; i++) {
		unsigned k = i % 7;
		struct entry *e = add_span(&c, 100 + i, i % 50, k);

		assert_int_equal(e->id, i);
		assert_int_equal(e->edges, k);
		assert_int_equal(c.n, i + 1);
		assert_ptr_equal(c.v[i], e);
		for (unsigned j = 0; j < e->edges; j++)
			assert_true(e->hit[j] >= i % 50 && e->hit[j] < i % 50 + k);
	}
	for (unsigned i = 0; i < 150; i++)
		assert_int_equal(c.v[i]->id, i);
	corpus_release(&c);
	assert_int_equal(c.n, 0);
}

static void test_top_rated(void **state)
{
	struct corpus c;

	(void)state;
	assert_int_equal(corpus_init(&c, MAP, 0), 0);
	/* Edge 5: the later, cheaper entry wins (10 * 10 < 100 * 10). */
	struct entry *slow = ADD(&c, 10, 100, 5, 6);
	assert_ptr_equal(c.top[5], slow);
	struct entry *fast = ADD(&c, 10, 10, 5);
	assert_ptr_equal(c.top[5], fast);
	assert_ptr_equal(c.top[6], slow);
	assert_int_equal(slow->top_refs, 1);
	assert_int_equal(fast->top_refs, 1);

	/* Edge 7: the earlier, cheaper entry keeps it; size counts like time. */
	struct entry *small = ADD(&c, 2, 50, 7);  /* 100 */
	struct entry *large = ADD(&c, 100, 2, 7); /* 200 */
	assert_ptr_equal(c.top[7], small);
	assert_int_equal(large->top_refs, 0);
	assert_null(c.top[8]);
	corpus_release(&c);
}

static void test_cull(void **state)
{
	struct corpus c;

	(void)state;
	assert_int_equal(corpus_init(&c, MAP, 0), 0);
	struct entry *a = ADD(&c, 10, 10, 1, 2);
	struct entry *b = ADD(&c, 10, 50, 2);
	struct entry *d = ADD(&c, 10, 50, 3);

	corpus_cull(&c);
	assert_true(a->favored);
	assert_false(b->favored);
	assert_true(d->favored);
	assert_int_equal(c.n_favored, 2);
	assert_int_equal(c.pending_favored, 2);

	/* A cheaper entry for edge 2 alone: A still covers 1 and thus 2. */
	struct entry *e = ADD(&c, 10, 1, 2);
	assert_ptr_equal(c.top[2], e);
	corpus_cull(&c);
	assert_true(a->favored);
	assert_false(e->favored);
	assert_int_equal(c.n_favored, 2);

	/* A cheaper entry covering 1, 2 and 3 replaces both. */
	struct entry *f = ADD(&c, 1, 1, 1, 2, 3);
	corpus_cull(&c);
	assert_true(f->favored);
	assert_false(a->favored);
	assert_false(d->favored);
	assert_int_equal(c.n_favored, 1);
	assert_int_equal(c.pending_favored, 1);
	corpus_release(&c);
}

static void test_next_cycles(void **state)
{
	struct corpus c;
	struct rng r;

	(void)state;
	rng_seed(&r, 1);
	assert_int_equal(corpus_init(&c, MAP, 0), 0);
	assert_null(corpus_next(&c, &r));

	/* Three entries on distinct edges: all favoured, all pending. */
	struct entry *e[3] = {ADD(&c, 10, 10, 1), ADD(&c, 10, 10, 2), ADD(&c, 10, 10, 3)};

	for (uint64_t cycle = 0; cycle < 5; cycle++)
		for (int i = 0; i < 3; i++) {
			assert_ptr_equal(corpus_next(&c, &r), e[i]);
			assert_int_equal(c.cycles, cycle);
		}
	assert_non_null(corpus_next(&c, &r));
	assert_int_equal(c.cycles, 5);

	/* Nothing pending, few entries: every entry in turn. */
	for (int i = 0; i < 3; i++)
		corpus_mark_fuzzed(&c, e[i]);
	assert_int_equal(c.pending_favored, 0);
	for (int k = 0; k < 30; k++) {
		struct entry *got = corpus_next(&c, &r);

		assert_true(is_member(&c, got));
	}
	corpus_release(&c);
}

/*
 * Twelve entries: three favoured and pending, nine that lose every edge to
 * them. AFL skips non-favoured entries 99% of the time while favoured ones
 * are pending, so about 9 * 1% per 3 favoured picks are non-favoured
 * (~3%); the bound is 5%.
 */
static void test_next_prefers_pending_favored(void **state)
{
	struct corpus c;
	struct rng r;
	unsigned fav = 0, other = 0;

	(void)state;
	rng_seed(&r, 0x5eed);
	assert_int_equal(corpus_init(&c, MAP, 0), 0);
	for (unsigned i = 0; i < 12; i++) {
		if (i % 4 == 0)
			add_span(&c, 1, i, 4); /* favoured: cheapest on edges i..i+3 */
		else
			add_span(&c, 1000, i - i % 4, 2);
	}
	corpus_cull(&c);
	assert_int_equal(c.n_favored, 3);
	assert_int_equal(c.pending_favored, 3);
	for (int k = 0; k < DRAWS; k++) {
		struct entry *e = corpus_next(&c, &r);

		assert_true(is_member(&c, e));
		if (e->favored)
			fav++;
		else
			other++;
	}
	assert_in_range(other, 1, DRAWS / 20);
	assert_int_equal(fav + other, DRAWS);
	corpus_release(&c);
}

/* Energy of e with a neutral schedule: base 100, generous cap. */
static uint32_t energy(const struct corpus *c, const struct entry *e)
{
	return corpus_energy(c, e, SCHED_EXPLORE, 100, 1000);
}

static void test_energy_speed_and_coverage(void **state)
{
	struct corpus c;

	(void)state;
	assert_int_equal(corpus_init(&c, MAP, 0), 0);
	struct entry *fast = add_span(&c, 10, 0, 4);
	struct entry *mid = add_span(&c, 100, 0, 4);
	struct entry *slow = add_span(&c, 1000, 0, 4);

	assert_true(energy(&c, fast) > energy(&c, mid));
	assert_true(energy(&c, mid) > energy(&c, slow));
	assert_true(energy(&c, slow) > 0);
	corpus_release(&c);

	/* Same speed, more edges than average: more energy. */
	assert_int_equal(corpus_init(&c, MAP, 0), 0);
	struct entry *wide = add_span(&c, 100, 0, 40);
	struct entry *avg = add_span(&c, 100, 0, 10);
	struct entry *narrow = add_span(&c, 100, 0, 2);
	assert_true(energy(&c, wide) > energy(&c, avg));
	assert_true(energy(&c, avg) > energy(&c, narrow));

	/* Deeper entries get more, as in AFL. */
	uint32_t shallow = energy(&c, avg);
	avg->depth = 10;
	assert_true(energy(&c, avg) > shallow);

	/* base_cycles scales linearly. */
	assert_int_equal(corpus_energy(&c, narrow, SCHED_EXPLORE, 200, 1000),
			 2 * corpus_energy(&c, narrow, SCHED_EXPLORE, 100, 1000));
	corpus_release(&c);
}

static void test_energy_cap(void **state)
{
	struct corpus c;

	(void)state;
	assert_int_equal(corpus_init(&c, MAP, SLOTS), 0);
	struct entry *best = add_span(&c, 1, 0, 60);
	for (int i = 0; i < 5; i++)
		add_span(&c, 1000, 0, 1);
	best->depth = 30;
	uint32_t uncapped = energy(&c, best);

	for (uint32_t mult = 1; mult <= 8; mult *= 2) {
		uint32_t got = corpus_energy(&c, best, SCHED_EXPLORE, 100, mult);

		assert_true(uncapped > mult * 100);
		assert_int_equal(got, mult * 100);
		assert_int_equal(corpus_energy(&c, best, SCHED_EXPLORE, 50, mult), mult * 50);
		assert_true(corpus_energy(&c, best, SCHED_FAST, 100, mult) <= mult * 100);
	}
	corpus_release(&c);
}

static void test_energy_fast_schedule(void **state)
{
	struct corpus c;

	(void)state;
	assert_int_equal(corpus_init(&c, MAP, SLOTS), 0);
	struct entry *e = add_span(&c, 100, 0, 4);
	add_span(&c, 100, 4, 4);
	e->path_hash = 0x1234567ull;
	e->favored = 0;

	uint32_t explore = energy(&c, e);
	uint32_t prev = corpus_energy(&c, e, SCHED_FAST, 100, 1000);
	assert_int_equal(prev, explore); /* a path never counted is not penalised */
	corpus_note_path(&c, e->path_hash);
	assert_int_equal(corpus_energy(&c, e, SCHED_FAST, 100, 1000), prev);
	for (int k = 0; k < 3; k++) {
		corpus_note_path(&c, e->path_hash);
		corpus_note_path(&c, e->path_hash + 1); /* another path: no effect */
		uint32_t now = corpus_energy(&c, e, SCHED_FAST, 100, 1000);

		assert_true(now < prev);
		prev = now;
	}
	/* The explore schedule ignores path frequency. */
	assert_int_equal(energy(&c, e), explore);

	/* Each round of fuzzing the entry doubles its AFLFast energy. */
	uint32_t before = corpus_energy(&c, e, SCHED_FAST, 100, 1000);
	e->fuzz_level++;
	assert_int_equal(corpus_energy(&c, e, SCHED_FAST, 100, 1000), 2 * before);

	/* A favoured entry is never starved below its explore energy. */
	e->fuzz_level = 0;
	for (int k = 0; k < 100; k++)
		corpus_note_path(&c, e->path_hash);
	e->favored = 1;
	assert_int_equal(corpus_energy(&c, e, SCHED_FAST, 100, 1000), energy(&c, e));
	corpus_release(&c);
}

static void test_mark_fuzzed(void **state)
{
	struct corpus c;

	(void)state;
	assert_int_equal(corpus_init(&c, MAP, 0), 0);
	struct entry *a = ADD(&c, 10, 10, 1);
	struct entry *b = ADD(&c, 10, 10, 2);
	struct entry *loser = ADD(&c, 10, 99, 2);
	corpus_cull(&c);
	assert_int_equal(c.pending_favored, 2);

	corpus_mark_fuzzed(&c, a);
	assert_int_equal(c.pending_favored, 1);
	assert_true(a->was_fuzzed);
	assert_int_equal(a->fuzz_level, 1);
	corpus_mark_fuzzed(&c, a);
	assert_int_equal(c.pending_favored, 1);
	assert_int_equal(a->fuzz_level, 2);

	corpus_mark_fuzzed(&c, loser);
	assert_int_equal(c.pending_favored, 1);
	corpus_mark_fuzzed(&c, b);
	assert_int_equal(c.pending_favored, 0);
	corpus_mark_fuzzed(&c, b);
	assert_int_equal(c.pending_favored, 0);
	corpus_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entry_new),
		cmocka_unit_test(test_add_ids_and_edges),
		cmocka_unit_test(test_top_rated),
		cmocka_unit_test(test_cull),
		cmocka_unit_test(test_next_cycles),
		cmocka_unit_test(test_next_prefers_pending_favored),
		cmocka_unit_test(test_energy_speed_and_coverage),
		cmocka_unit_test(test_energy_cap),
		cmocka_unit_test(test_energy_fast_schedule),
		cmocka_unit_test(test_mark_fuzzed),
	};

	alarm(120); /* rule 32: a hang fails the run instead of stalling it */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
