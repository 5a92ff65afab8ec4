/*
 * shrink_test.c - unit tests of src/core/shrink.c. The predicates run in
 * process on a small model of the Smith (sim_* below): per-uid replay of
 * INT and BYTES records, out-of-range values and missing ones served as
 * the range's low bound (seed 0), eos true when missing, and a log of what
 * was consumed, handed back through consumed() as driver/tests.c does.
 * Checked: "a list holds an element >= 1000" shrinks to exactly [1000];
 * "a + b > 100" to [0, 101]; a range's low bound is respected (the least
 * failing value, not 0); a run-length bug to a run of exactly 4 zeros; a
 * slice containing "AB" to "AB"; the same input twice gives the same bytes
 * and tries; the try cap stops and says so; a stream cut in a record
 * shrinks on its whole records, one with no header is refused. Then, for random lists from a
 * seeded rng and several predicates, the result is checked by brute force
 * to be a local minimum: no single record deleted and no integer or byte
 * lowered by one still fails with a smaller consumed stream.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "shrink.h"
#include "valstream.h"

#define MAX_UID 8
#define LOG_BYTES (1 << 16)

/* The model Smith: one run of a test on a stream. */
struct sim {
	struct vs_stream in;
	size_t pos[MAX_UID]; /* next record index to look at, per uid */
	struct vs_stream log;
	uint8_t logbuf[LOG_BYTES];
	size_t log_len;
	uint8_t pool[LOG_BYTES]; /* byte payloads served */
	size_t pool_used;
	unsigned requests;
	int failed;
};

static const struct vs_record *take(struct sim *s, uint32_t uid)
{
	for (size_t i = s->pos[uid]; i < s->in.n; i++)
		if (s->in.rec[i].uid == uid) {
			s->pos[uid] = i + 1;
			return &s->in.rec[i];
		}
	s->pos[uid] = s->in.n;
	return NULL;
}

static void log_int(struct sim *s, uint32_t uid, uint64_t v)
{
	struct vs_record r = {.uid = uid, .kind = FERRET_VS_INT, .value = v};
	assert_int_equal(vs_push(&s->log, &r), 0);
	s->requests++;
}

static uint64_t sim_range(struct sim *s, uint32_t uid, uint64_t lo, uint64_t hi)
{
	const struct vs_record *r = take(s, uid);
	uint64_t v =
		r && r->kind == FERRET_VS_INT && r->value >= lo && r->value <= hi ? r->value : lo;
	log_int(s, uid, v);
	return v;
}

static int sim_eos(struct sim *s, uint32_t uid)
{
	const struct vs_record *r = take(s, uid);
	int v = s->requests >= 4096 ? 1 : r && r->kind == FERRET_VS_INT ? r->value != 0 : 1;
	log_int(s, uid, (uint64_t)v);
	return v;
}

static size_t sim_slice(struct sim *s, uint32_t uid, uint8_t *buf, size_t cap)
{
	const struct vs_record *r = take(s, uid);
	size_t n = r && r->kind == FERRET_VS_BYTES ? (r->len < cap ? r->len : cap) : 0;
	if (n)
		memcpy(buf, r->bytes, n);
	memcpy(s->pool + s->pool_used, buf, n);
	struct vs_record l = {.uid = uid,
			      .kind = FERRET_VS_BYTES,
			      .len = (uint32_t)n,
			      .bytes = s->pool + s->pool_used};
	s->pool_used += n;
	assert_int_equal(vs_push(&s->log, &l), 0);
	s->requests++;
	return n;
}

typedef void (*sim_test)(struct sim *s);

struct ctx {
	sim_test test;
	struct sim *s;
	size_t calls;
};

/* Runs the model test on stream; 1 when it failed. */
static int run(struct ctx *c, const uint8_t *stream, size_t len)
{
	struct sim *s = c->s;
	vs_release(&s->in);
	vs_release(&s->log);
	memset(s->pos, 0, sizeof(s->pos));
	s->pool_used = 0;
	s->requests = 0;
	s->failed = 0;
	vs_decode(&s->in, stream, len);
	c->test(s);
	s->log.seed = s->in.seed;
	assert_true(vs_encoded_len(&s->log) <= LOG_BYTES);
	s->log_len = vs_encode(&s->log, s->logbuf);
	return s->failed;
}

static int fails(void *ctx, const uint8_t *stream, size_t len)
{
	struct ctx *c = ctx;
	c->calls++;
	return run(c, stream, len);
}

static const uint8_t *consumed(void *ctx, size_t *len)
{
	struct ctx *c = ctx;
	*len = c->s->log_len;
	return c->s->logbuf;
}

/* The tests. A test "fails" by setting s->failed and returning, as an
 * assertion would end the run there. */

/* uid 1: the list's eos, uid 2: its elements. */
static void list_big(struct sim *s)
{
	while (!sim_eos(s, 1))
		if (sim_range(s, 2, 0, 100000) >= 1000) {
			s->failed = 1;
			return;
		}
}

static void sum_two(struct sim *s)
{
	uint64_t a = sim_range(s, 1, 0, 1000), b = sim_range(s, 2, 0, 1000);
	s->failed = a + b > 100;
}

static void low_bound(struct sim *s)
{
	s->failed = sim_range(s, 1, 50, 1000) >= 60;
}

/* A run-length codec that breaks on a run of 4 or more: the check runs
 * once the whole list is read. */
static void rle(struct sim *s)
{
	uint64_t prev = UINT64_MAX;
	unsigned run = 0, worst = 0;
	while (!sim_eos(s, 1)) {
		uint64_t v = sim_range(s, 2, 0, 3);
		run = v == prev ? run + 1 : 1;
		prev = v;
		worst = run > worst ? run : worst;
	}
	s->failed = worst >= 4;
}

static void slice_ab(struct sim *s)
{
	uint8_t buf[64];
	size_t n = sim_slice(s, 1, buf, sizeof(buf));
	for (size_t i = 0; i + 1 < n; i++)
		if (buf[i] == 'A' && buf[i + 1] == 'B')
			s->failed = 1;
}

/* The sum of a list above 50 with at least two elements. */
static void list_sum(struct sim *s)
{
	uint64_t sum = 0, n = 0;
	while (!sim_eos(s, 1)) {
		sum += sim_range(s, 2, 0, 255);
		n++;
	}
	s->failed = sum > 50 && n >= 2;
}

/* Any element equal to a later one plus 3. */
static void list_pair(struct sim *s)
{
	uint64_t v[64];
	size_t n = 0;
	while (n < 64 && !sim_eos(s, 1))
		v[n++] = sim_range(s, 2, 0, 40);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (v[i] == v[j] + 3)
				s->failed = 1;
}

/* Builds a stream: a list of values under uid 2 with eos under uid 1. */
static uint8_t *list_stream(const uint64_t *v, size_t n, size_t *len)
{
	struct vs_stream st = {0};
	for (size_t i = 0; i <= n; i++) {
		struct vs_record e = {.uid = 1, .kind = FERRET_VS_INT, .value = i == n};
		assert_int_equal(vs_push(&st, &e), 0);
		if (i < n) {
			struct vs_record r = {.uid = 2, .kind = FERRET_VS_INT, .value = v[i]};
			assert_int_equal(vs_push(&st, &r), 0);
		}
	}
	uint8_t *b = malloc(vs_encoded_len(&st));
	assert_non_null(b);
	*len = vs_encode(&st, b);
	vs_release(&st);
	return b;
}

static uint8_t *ints_stream(const uint64_t *v, size_t n, size_t *len)
{
	struct vs_stream st = {0};
	for (size_t i = 0; i < n; i++) {
		struct vs_record r = {.uid = (uint32_t)i + 1, .kind = FERRET_VS_INT, .value = v[i]};
		assert_int_equal(vs_push(&st, &r), 0);
	}
	uint8_t *b = malloc(vs_encoded_len(&st));
	assert_non_null(b);
	*len = vs_encode(&st, b);
	vs_release(&st);
	return b;
}

/* Shrinks in with test t; returns the result decoded into *res (its bytes
 * in *buf, which the caller frees). */
static void shrink_with(sim_test t, const uint8_t *in, size_t len, size_t max_tries,
			struct vs_stream *res, uint8_t **buf, struct shrink_stats *st)
{
	static struct sim s;
	struct ctx c = {.test = t, .s = &s};
	struct shrink_oracle o = {.fails = fails, .consumed = consumed, .ctx = &c};
	size_t out_len;
	assert_true(run(&c, in, len));
	assert_int_equal(shrink_stream(&o, max_tries, in, len, buf, &out_len, st), 0);
	assert_non_null(*buf);
	assert_int_equal(st->tries, c.calls);
	/* the result still fails */
	assert_true(run(&c, *buf, out_len));
	*res = (struct vs_stream){0};
	assert_int_equal(vs_decode(res, *buf, out_len), 0);
	assert_int_equal(st->values_after, res->n);
	vs_release(&s.in);
	vs_release(&s.log);
}

static void assert_ints(const struct vs_stream *s, const uint64_t *want, size_t n)
{
	assert_int_equal(s->n, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(s->rec[i].kind, FERRET_VS_INT);
		assert_int_equal(s->rec[i].value, want[i]);
	}
}

static void test_list_big(void **state)
{
	(void)state;
	static const uint64_t v[] = {5, 3000, 7, 20000, 2, 999, 1000000};
	size_t len;
	uint8_t *in = list_stream(v, 7, &len), *out;
	struct vs_stream r;
	struct shrink_stats st;
	shrink_with(list_big, in, len, 10000, &r, &out, &st);
	static const uint64_t want[] = {0, 1000}; /* eos false, then [1000] */
	assert_ints(&r, want, 2);
	assert_int_equal(r.rec[1].uid, 2);
	assert_int_equal(st.capped, 0);
	assert_int_equal(st.values_before, 15);
	vs_release(&r);
	free(out);
	free(in);
}

static void test_sum_two(void **state)
{
	(void)state;
	static const uint64_t v[] = {700, 900};
	size_t len;
	uint8_t *in = ints_stream(v, 2, &len), *out;
	struct vs_stream r;
	struct shrink_stats st;
	shrink_with(sum_two, in, len, 10000, &r, &out, &st);
	static const uint64_t want[] = {0, 101};
	assert_ints(&r, want, 2);
	vs_release(&r);
	free(out);
	free(in);
}

static void test_low_bound(void **state)
{
	(void)state;
	static const uint64_t v[] = {999};
	size_t len;
	uint8_t *in = ints_stream(v, 1, &len), *out;
	struct vs_stream r;
	struct shrink_stats st;
	shrink_with(low_bound, in, len, 10000, &r, &out, &st);
	static const uint64_t want[] = {60};
	assert_ints(&r, want, 1);
	vs_release(&r);
	free(out);
	free(in);
}

static void test_rle(void **state)
{
	(void)state;
	struct rng g;
	rng_seed(&g, 13);
	for (int round = 0; round < 20; round++) {
		uint64_t v[40];
		size_t n = 10 + rng_below(&g, 30), at = rng_below(&g, n - 7);
		for (size_t i = 0; i < n; i++)
			v[i] = rng_below(&g, 4);
		for (size_t i = at; i < at + 5 + rng_below(&g, 3); i++)
			v[i] = 2;
		size_t len;
		uint8_t *in = list_stream(v, n, &len), *out;
		struct vs_stream r;
		struct shrink_stats st;
		shrink_with(rle, in, len, 10000, &r, &out, &st);
		/* four times (eos false, 0), then eos true */
		static const uint64_t want[] = {0, 0, 0, 0, 0, 0, 0, 0, 1};
		assert_ints(&r, want, 9);
		vs_release(&r);
		free(out);
		free(in);
	}
}

static void test_slice(void **state)
{
	(void)state;
	struct vs_stream s = {0};
	uint8_t text[] = "xyzzy 9 ABBA AB zz";
	struct vs_record b = {
		.uid = 1, .kind = FERRET_VS_BYTES, .len = sizeof(text) - 1, .bytes = text};
	assert_int_equal(vs_push(&s, &b), 0);
	uint8_t in[64];
	size_t len = vs_encode(&s, in), olen;
	uint8_t *out;
	struct vs_stream r;
	struct shrink_stats st;
	shrink_with(slice_ab, in, len, 10000, &r, &out, &st);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.rec[0].len, 2);
	assert_memory_equal(r.rec[0].bytes, "AB", 2);
	(void)olen;
	vs_release(&r);
	vs_release(&s);
	free(out);
}

/* Negative when a is smaller than b in the shrink order (shrink.h). */
static int order(const struct vs_stream *a, const struct vs_stream *b)
{
	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	for (size_t i = 0; i < a->n; i++) {
		const struct vs_record *x = &a->rec[i], *y = &b->rec[i];
		if (x->kind != y->kind)
			return x->kind < y->kind ? -1 : 1;
		if (x->kind == FERRET_VS_INT && x->value != y->value)
			return x->value < y->value ? -1 : 1;
	}
	return 0;
}

static void test_deterministic_and_capped(void **state)
{
	(void)state;
	static const uint64_t v[] = {5, 3000, 7, 20000, 2, 999, 1000000};
	size_t len;
	uint8_t *in = list_stream(v, 7, &len), *a, *b, *c;
	struct vs_stream ra, rb, rc;
	struct shrink_stats sa, sb, sc;
	shrink_with(list_big, in, len, 10000, &ra, &a, &sa);
	shrink_with(list_big, in, len, 10000, &rb, &b, &sb);
	assert_int_equal(sa.tries, sb.tries);
	assert_int_equal(ra.n, rb.n);
	assert_int_equal(order(&ra, &rb), 0);
	shrink_with(list_big, in, len, 5, &rc, &c, &sc);
	assert_int_equal(sc.capped, 1);
	assert_int_equal(sc.tries, 5);
	vs_release(&ra);
	vs_release(&rb);
	vs_release(&rc);
	free(a);
	free(b);
	free(c);
	free(in);
}

/* Whether the candidate fails with a consumed stream smaller than best. */
static int beats(struct ctx *c, const struct vs_stream *cand, const struct vs_stream *best)
{
	uint8_t buf[LOG_BYTES];
	size_t len = vs_encode(cand, buf);
	if (!run(c, buf, len))
		return 0;
	struct vs_stream got = {0};
	vs_decode(&got, c->s->logbuf, c->s->log_len);
	int r = order(&got, best) < 0;
	vs_release(&got);
	return r;
}

static void test_local_minimum(void **state)
{
	(void)state;
	static const sim_test tests[] = {list_sum, list_pair, rle, list_big};
	struct rng g;
	rng_seed(&g, 7);
	for (int round = 0; round < 60; round++) {
		sim_test t = tests[round % 4];
		uint64_t v[24];
		size_t n;
		uint8_t *in;
		size_t len;
		static struct sim s;
		struct ctx c = {.test = t, .s = &s};
		do { /* a random failing list */
			n = 2 + rng_below(&g, 22);
			for (size_t i = 0; i < n; i++)
				v[i] = t == list_big ? rng_below(&g, 2000)
						     : rng_below(&g, 4 + 40 * (round & 1));
			in = list_stream(v, n, &len);
			if (run(&c, in, len))
				break;
			free(in);
		} while (1);
		uint8_t *out;
		struct vs_stream r;
		struct shrink_stats st;
		shrink_with(t, in, len, 100000, &r, &out, &st);
		assert_int_equal(st.capped, 0);
		struct vs_stream cand = {0};
		for (size_t del = 0; del < r.n; del++) { /* every single deletion */
			cand.n = 0;
			for (size_t i = 0; i < r.n; i++)
				if (i != del)
					assert_int_equal(vs_push(&cand, &r.rec[i]), 0);
			assert_false(beats(&c, &cand, &r));
		}
		for (size_t i = 0; i < r.n; i++) { /* every integer lowered by one */
			if (!r.rec[i].value)
				continue;
			cand.n = 0;
			for (size_t k = 0; k < r.n; k++)
				assert_int_equal(vs_push(&cand, &r.rec[k]), 0);
			cand.rec[i].value--;
			assert_false(beats(&c, &cand, &r));
		}
		vs_release(&cand);
		vs_release(&s.in);
		vs_release(&s.log);
		vs_release(&r);
		free(out);
		free(in);
	}
}

/* A stream cut in its last record shrinks on the whole records. */
static void test_cut_stream(void **state)
{
	(void)state;
	static const uint64_t v[] = {5, 3000, 7};
	size_t len;
	uint8_t *in = list_stream(v, 3, &len), *out;
	struct vs_stream r;
	struct shrink_stats st;
	shrink_with(list_big, in, len - 3, 10000, &r, &out, &st);
	static const uint64_t want[] = {0, 1000};
	assert_ints(&r, want, 2);
	assert_int_equal(st.values_before, 6);
	vs_release(&r);
	free(out);
	free(in);
}

static void test_not_a_stream(void **state)
{
	(void)state;
	static struct sim s;
	struct ctx c = {.test = list_big, .s = &s};
	struct shrink_oracle o = {.fails = fails, .ctx = &c};
	uint8_t *out = (uint8_t *)1;
	size_t out_len = 1;
	struct shrink_stats st;
	assert_int_not_equal(
		shrink_stream(&o, 100, (const uint8_t *)"FVS\x01garbage", 11, &out, &out_len, &st),
		0);
	assert_null(out);
	assert_int_equal(c.calls, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_big),
		cmocka_unit_test(test_sum_two),
		cmocka_unit_test(test_low_bound),
		cmocka_unit_test(test_rle),
		cmocka_unit_test(test_slice),
		cmocka_unit_test(test_deterministic_and_capped),
		cmocka_unit_test(test_local_minimum),
		cmocka_unit_test(test_cut_stream),
		cmocka_unit_test(test_not_a_stream),
	};
	return cmocka_run_group_tests_name("shrink", tests, NULL, NULL);
}
