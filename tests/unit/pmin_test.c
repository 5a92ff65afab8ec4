/*
 * pmin_test.c - unit tests of src/core/pmin.c, passive minimization of a
 * value-stream corpus. Hand-made traces check each documented rule: a new
 * edge is wanted; an input with the same edges and fewer values (then
 * fewer bytes) takes the slots and the entry it displaced is dropped
 * through the callback once it is best for nothing, but kept while it is
 * still best somewhere; the min slot goes to fewer edges and the max slot
 * to more; an input best for nothing is neither wanted nor installed. A
 * random sequence of installs, from a seeded rng, is then checked against
 * the rules after every step: each slot holds the best quality seen for
 * its edge, pmin_refs counts the slots an entry holds, the callback fires
 * exactly once for each entry that lost its last slot, and pmin_install
 * takes slots exactly when pmin_wants said yes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "pmin.h"
#include "rng.h"

#define EDGES 64
#define MAX_ENTRIES 400

struct drops {
	struct entry *v[MAX_ENTRIES];
	size_t n;
};

static void on_drop(void *ctx, struct entry *e)
{
	struct drops *d = ctx;
	assert_true(d->n < MAX_ENTRIES);
	d->v[d->n++] = e;
}

/* A trace hitting the listed edges (terminated by -1). */
static void trace_of(uint8_t *t, size_t edges, const int *hit)
{
	memset(t, 0, edges);
	for (; *hit >= 0; hit++)
		t[*hit] = 1;
}

static struct pmin_quality qual(uint32_t cov, uint32_t values, uint32_t bytes)
{
	struct pmin_quality q = {cov, values, bytes};
	return q;
}

static void test_new_edge(void **state)
{
	struct pmin p;
	struct drops d = {0};
	struct entry a = {0}, b = {0};
	uint8_t t[EDGES];

	(void)state;
	assert_int_equal(pmin_init(&p, EDGES), 0);
	struct pmin_quality q = qual(1, 10, 100);
	trace_of(t, EDGES, (const int[]){3, -1});
	assert_true(pmin_wants(&p, t, NULL, &q));
	assert_int_equal(pmin_install(&p, &a, t, &q, on_drop, &d), 2);
	assert_int_equal(a.pmin_refs, 2);
	assert_ptr_equal(p.slot[3].min, &a);
	assert_ptr_equal(p.slot[3].max, &a);

	/* The same again: best for nothing. */
	assert_false(pmin_wants(&p, t, NULL, &q));
	/* Edge 3 plus a new edge in another word of the trace. */
	q = qual(2, 50, 500);
	trace_of(t, EDGES, (const int[]){3, 40, -1});
	assert_true(pmin_wants(&p, t, NULL, &q));
	/* edge 40 (both slots), and the max slot of edge 3 (more edges) */
	assert_int_equal(pmin_install(&p, &b, t, &q, on_drop, &d), 3);
	assert_int_equal(b.pmin_refs, 3);
	assert_int_equal(a.pmin_refs, 1);
	assert_ptr_equal(p.slot[3].min, &a);
	assert_ptr_equal(p.slot[3].max, &b);
	assert_ptr_equal(p.slot[40].min, &b);
	assert_int_equal(d.n, 0);
	pmin_release(&p);
	assert_null(p.slot);
}

/* Same edges, fewer values: the old entry loses every slot and is dropped. */
static void test_fewer_values_replaces(void **state)
{
	struct pmin p;
	struct drops d = {0};
	struct entry a = {0}, b = {0}, c = {0};
	uint8_t t[EDGES];

	(void)state;
	assert_int_equal(pmin_init(&p, EDGES), 0);
	trace_of(t, EDGES, (const int[]){1, 2, 9, 63, -1});
	struct pmin_quality qa = qual(4, 10, 200), qb = qual(4, 5, 300), qc = qual(4, 5, 250);
	assert_int_equal(pmin_install(&p, &a, t, &qa, on_drop, &d), 8);
	assert_true(pmin_wants(&p, t, NULL, &qb));
	assert_int_equal(pmin_install(&p, &b, t, &qb, on_drop, &d), 8);
	assert_int_equal(d.n, 1);
	assert_ptr_equal(d.v[0], &a);
	assert_int_equal(a.pmin_refs, 0);
	assert_int_equal(b.pmin_refs, 8);
	for (int e = 0; e < EDGES; e++) {
		struct entry *want = t[e] ? &b : NULL;
		assert_ptr_equal(p.slot[e].min, want);
		assert_ptr_equal(p.slot[e].max, want);
	}
	assert_int_equal(p.slot[9].qmin.values, 5);
	/* Same edges and values, fewer bytes: wins too. */
	assert_true(pmin_wants(&p, t, NULL, &qc));
	assert_int_equal(pmin_install(&p, &c, t, &qc, on_drop, &d), 8);
	assert_int_equal(d.n, 2);
	assert_ptr_equal(d.v[1], &b);
	/* More values, or the same quality: not wanted. */
	struct pmin_quality more = qual(4, 6, 1), same = qc;
	assert_false(pmin_wants(&p, t, NULL, &more));
	assert_false(pmin_wants(&p, t, NULL, &same));
	pmin_release(&p);
}

/* An entry that loses some slots but keeps others is not dropped. */
static void test_partial_loss_kept(void **state)
{
	struct pmin p;
	struct drops d = {0};
	struct entry a = {0}, b = {0};
	uint8_t t[EDGES];

	(void)state;
	assert_int_equal(pmin_init(&p, EDGES), 0);
	struct pmin_quality qa = qual(2, 10, 100), qb = qual(1, 10, 100);
	trace_of(t, EDGES, (const int[]){1, 2, -1});
	assert_int_equal(pmin_install(&p, &a, t, &qa, on_drop, &d), 4);
	/* b reaches only edge 2, with fewer edges: the min slot of edge 2 */
	trace_of(t, EDGES, (const int[]){2, -1});
	assert_true(pmin_wants(&p, t, NULL, &qb));
	assert_int_equal(pmin_install(&p, &b, t, &qb, on_drop, &d), 1);
	assert_int_equal(d.n, 0);
	assert_int_equal(a.pmin_refs, 3);
	assert_int_equal(b.pmin_refs, 1);
	assert_ptr_equal(p.slot[2].min, &b);
	assert_ptr_equal(p.slot[2].max, &a);
	assert_ptr_equal(p.slot[1].min, &a);
	assert_ptr_equal(p.slot[1].max, &a);
	pmin_release(&p);
}

/*
 * Min and max slots (pmin.c): for the min slot fewer edges win, for the max
 * slot more edges win, whatever the values; ties go to fewer values, then
 * fewer bytes.
 */
static void test_min_max_slots(void **state)
{
	struct pmin p;
	struct drops d = {0};
	struct entry lo = {0}, hi = {0}, hi2 = {0}, lo2 = {0};
	uint8_t t[EDGES];

	(void)state;
	assert_int_equal(pmin_init(&p, EDGES), 0);
	struct pmin_quality q_lo = qual(1, 50, 500);
	trace_of(t, EDGES, (const int[]){5, -1});
	assert_int_equal(pmin_install(&p, &lo, t, &q_lo, on_drop, &d), 2);

	/* More edges, even with many more values: takes the max slot of 5. */
	struct pmin_quality q_hi = qual(3, 1000, 9000);
	trace_of(t, EDGES, (const int[]){5, 6, 7, -1});
	assert_true(pmin_wants(&p, t, NULL, &q_hi));
	assert_int_equal(pmin_install(&p, &hi, t, &q_hi, on_drop, &d), 5);
	assert_ptr_equal(p.slot[5].min, &lo);
	assert_ptr_equal(p.slot[5].max, &hi);
	assert_int_equal(p.slot[5].qmin.cov, 1);
	assert_int_equal(p.slot[5].qmax.cov, 3);

	/* Fewer edges than hi but more than lo, fewer values than both: it
	 * beats neither slot of edge 5. */
	struct pmin_quality q_mid = qual(2, 1, 1);
	trace_of(t, EDGES, (const int[]){5, 6, -1});
	/* ...but it does beat hi's min slot of edge 6 (2 edges < 3). */
	assert_true(pmin_wants(&p, t, NULL, &q_mid));
	trace_of(t, EDGES, (const int[]){5, 7, -1});
	assert_true(pmin_wants(&p, t, NULL, &q_mid));
	/* Only edge 5 is hit: neither slot is beaten. */
	struct pmin_quality q_mid5 = qual(2, 1, 1);
	trace_of(t, EDGES, (const int[]){5, -1});
	assert_false(pmin_wants(&p, t, NULL, &q_mid5));
	assert_int_equal(pmin_install(&p, &lo2, t, &q_mid5, on_drop, &d), 0);
	assert_int_equal(lo2.pmin_refs, 0);

	/* A max slot tie on edges goes to fewer values: hi2 takes every slot
	 * of hi (same edges, fewer values), so hi is dropped. */
	struct pmin_quality q_hi2 = qual(3, 999, 9999);
	trace_of(t, EDGES, (const int[]){5, 6, 7, -1});
	assert_true(pmin_wants(&p, t, NULL, &q_hi2));
	assert_int_equal(pmin_install(&p, &hi2, t, &q_hi2, on_drop, &d), 5);
	assert_ptr_equal(p.slot[5].max, &hi2);
	assert_ptr_equal(p.slot[5].min, &lo);
	assert_int_equal(d.n, 1);
	assert_ptr_equal(d.v[0], &hi);
	assert_int_equal(lo.pmin_refs, 1);
	pmin_release(&p);
}

/* An input best for nothing is not wanted and install takes nothing. */
static void test_best_for_nothing(void **state)
{
	struct pmin p;
	struct drops d = {0};
	struct entry a = {0}, b = {0}, x = {0};
	uint8_t t[EDGES];

	(void)state;
	assert_int_equal(pmin_init(&p, EDGES), 0);
	struct pmin_quality qa = qual(1, 3, 30), qb = qual(3, 3, 30);
	trace_of(t, EDGES, (const int[]){20, -1});
	pmin_install(&p, &a, t, &qa, on_drop, &d);
	trace_of(t, EDGES, (const int[]){20, 21, 22, -1});
	pmin_install(&p, &b, t, &qb, on_drop, &d);

	assert_int_equal(a.pmin_refs, 1); /* b took the max slot of edge 20 */
	assert_int_equal(b.pmin_refs, 5);

	/* The edges of b, more values but fewer bytes: beats no slot. */
	struct pmin_quality qx = qual(3, 4, 10);
	assert_false(pmin_wants(&p, t, NULL, &qx));
	assert_int_equal(pmin_install(&p, &x, t, &qx, on_drop, &d), 0);
	assert_int_equal(x.pmin_refs, 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(a.pmin_refs, 1);
	assert_int_equal(b.pmin_refs, 5);
	/* No edge at all: nothing to be best for. */
	memset(t, 0, sizeof(t));
	assert_false(pmin_wants(&p, t, NULL, &qx));
	assert_int_equal(pmin_install(&p, &x, t, &qx, on_drop, &d), 0);
	pmin_release(&p);
}

/* An entry holding more slots than the losers buffer is dropped once. */
static void test_many_slots(void **state)
{
	struct pmin p;
	struct drops d = {0};
	struct entry a = {0}, b = {0};
	uint8_t t[1024];

	(void)state;
	assert_int_equal(pmin_init(&p, sizeof(t)), 0);
	memset(t, 7, sizeof(t));
	struct pmin_quality qa = qual(1024, 20, 2000), qb = qual(1024, 19, 2000);
	assert_int_equal(pmin_install(&p, &a, t, &qa, on_drop, &d), 2048);
	assert_int_equal(a.pmin_refs, 2048);
	assert_int_equal(pmin_install(&p, &b, t, &qb, on_drop, &d), 2048);
	assert_int_equal(d.n, 1);
	assert_ptr_equal(d.v[0], &a);
	assert_int_equal(a.pmin_refs, 0);
	assert_int_equal(b.pmin_refs, 2048);
	pmin_release(&p);
}

/*
 * pmin_init takes a number of edges, any number: an edge in the last,
 * partial 8-byte word of the trace counts like any other.
 */
static void test_edges_not_multiple_of_8(void **state)
{
	static const size_t sizes[] = {1, 5, 12, 63, 65};

	(void)state;
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		static struct pmin p; /* static: reachable if a check fails */
		static uint8_t t[65];
		struct drops d = {0};
		struct entry a = {0};
		size_t edges = sizes[k];
		memset(t, 0, sizeof(t));
		assert_int_equal(pmin_init(&p, edges), 0);
		t[edges - 1] = 1; /* the last edge */
		struct pmin_quality q = qual(1, 1, 1);
		assert_true(pmin_wants(&p, t, NULL, &q));
		assert_int_equal(pmin_install(&p, &a, t, &q, on_drop, &d), 2);
		assert_ptr_equal(p.slot[edges - 1].min, &a);
		pmin_release(&p);
	}
}

static int better_min(const struct pmin_quality *a, const struct pmin_quality *b)
{
	if (a->cov != b->cov)
		return a->cov < b->cov;
	if (a->values != b->values)
		return a->values < b->values;
	return a->bytes < b->bytes;
}

static int better_max(const struct pmin_quality *a, const struct pmin_quality *b)
{
	if (a->cov != b->cov)
		return a->cov > b->cov;
	if (a->values != b->values)
		return a->values < b->values;
	return a->bytes < b->bytes;
}

/* Random installs, checked against the rules after every step. */
static void test_random_model(void **state)
{
	static struct entry ents[MAX_ENTRIES];
	static uint8_t traces[MAX_ENTRIES][EDGES];
	static struct pmin_quality quals[MAX_ENTRIES];

	(void)state;
	for (uint64_t seed = 0; seed < 20; seed++) {
		struct pmin p;
		struct drops d = {0};
		struct rng g;
		uint8_t dropped[MAX_ENTRIES] = {0}, installed[MAX_ENTRIES] = {0};

		memset(ents, 0, sizeof(ents));
		rng_seed(&g, seed);
		assert_int_equal(pmin_init(&p, EDGES), 0);
		for (size_t i = 0; i < MAX_ENTRIES; i++) {
			uint8_t *t = traces[i];
			uint32_t cov = 0;
			/* a few edges, mostly from a small set so slots are contested */
			memset(t, 0, EDGES);
			size_t hits = 1 + rng_below(&g, 6);
			for (size_t h = 0; h < hits; h++) {
				size_t e =
					rng_below(&g, 4) ? rng_below(&g, 12) : rng_below(&g, EDGES);
				t[e] = (uint8_t)(1 + rng_below(&g, 255));
			}
			for (size_t e = 0; e < EDGES; e++)
				cov += t[e] != 0;
			quals[i] =
				qual(cov, (uint32_t)rng_below(&g, 20), (uint32_t)rng_below(&g, 50));

			/* What the rules say before the install. */
			int expect = 0;
			for (size_t e = 0; e < EDGES; e++) {
				if (!t[e])
					continue;
				const struct pmin_slot *s = &p.slot[e];
				expect |= !s->min || better_min(&quals[i], &s->qmin) ||
					  better_max(&quals[i], &s->qmax);
			}
			int wants = pmin_wants(&p, t, NULL, &quals[i]);
			assert_int_equal(!!wants, expect);
			size_t before = d.n;
			size_t took = pmin_install(&p, &ents[i], t, &quals[i], on_drop, &d);
			assert_int_equal(took > 0, expect);
			assert_int_equal(ents[i].pmin_refs, took);
			installed[i] = took > 0;
			for (size_t k = before; k < d.n; k++) {
				size_t j = (size_t)(d.v[k] - ents);
				assert_true(j < i);
				assert_false(dropped[j]); /* dropped once */
				assert_true(installed[j]);
				dropped[j] = 1;
			}

			/* Slots hold the best qualities; refs count slots. */
			uint32_t refs[MAX_ENTRIES] = {0};
			for (size_t e = 0; e < EDGES; e++) {
				const struct pmin_slot *s = &p.slot[e];
				const struct pmin_quality *bmin = NULL, *bmax = NULL;
				for (size_t j = 0; j <= i; j++) {
					if (!traces[j][e])
						continue;
					if (!bmin || better_min(&quals[j], bmin))
						bmin = &quals[j];
					if (!bmax || better_max(&quals[j], bmax))
						bmax = &quals[j];
				}
				if (!bmin) {
					assert_null(s->min);
					assert_null(s->max);
					continue;
				}
				assert_non_null(s->min);
				assert_non_null(s->max);
				assert_memory_equal(&s->qmin, bmin, sizeof(*bmin));
				assert_memory_equal(&s->qmax, bmax, sizeof(*bmax));
				size_t jm = (size_t)(s->min - ents), jx = (size_t)(s->max - ents);
				assert_memory_equal(&quals[jm], bmin, sizeof(*bmin));
				assert_memory_equal(&quals[jx], bmax, sizeof(*bmax));
				assert_true(traces[jm][e] && traces[jx][e]);
				refs[jm]++;
				refs[jx]++;
			}
			for (size_t j = 0; j <= i; j++) {
				assert_int_equal(ents[j].pmin_refs, refs[j]);
				assert_int_equal(dropped[j], installed[j] && refs[j] == 0);
			}
		}
		pmin_release(&p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_edge),
		cmocka_unit_test(test_fewer_values_replaces),
		cmocka_unit_test(test_partial_loss_kept),
		cmocka_unit_test(test_min_max_slots),
		cmocka_unit_test(test_best_for_nothing),
		cmocka_unit_test(test_many_slots),
		cmocka_unit_test(test_edges_not_multiple_of_8),
		cmocka_unit_test(test_random_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
