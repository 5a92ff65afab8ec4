/*
 * mutate_test.c - unit tests of src/core/mutate.c: every mutator of
 * mutators.def, havoc and splice, called directly with a seeded rng.
 * The contract checked for every mutator over many seeds, lengths and
 * capacities: never a write at or past cap (a canary region follows cap),
 * a result of 0 (buffer untouched) or in [1, cap], the same output for the
 * same seed, and an edit of the kind its name promises. Inputs are random
 * bytes drawn from a second rng so that a failing seed can be replayed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "mutate.h"

#define CANARY_BYTES 64
#define CANARY 0xa5
#define TRIALS 1000
#define SPLICE_BYTES 100

/* Tokens of several sizes, one longer than most test capacities. */
static const uint8_t tok_get[] = {'G', 'E', 'T', ' '};
static const uint8_t tok_ff[] = {0xff, 0xfe};
static const uint8_t tok_one[] = {'\n'};
static uint8_t tok_long[150];
static const struct mutate_token tokens[] = {
	{tok_get, sizeof(tok_get)},
	{tok_ff, sizeof(tok_ff)},
	{tok_one, sizeof(tok_one)},
	{tok_long, sizeof(tok_long)},
};
#define N_TOKENS (sizeof(tokens) / sizeof(tokens[0]))

static uint8_t splice_src[SPLICE_BYTES];

/* Mutators that lengthen the input: they need len < cap. */
static int grows(unsigned id)
{
	return id == MUT_CLONE || id == MUT_INS_REP || id == MUT_DICT_INS || id == MUT_SPLICE_INS;
}

static void fill_random(struct rng *g, uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)rng_next(g);
}

static int setup(void **state)
{
	struct rng g;

	(void)state;
	rng_seed(&g, 0x5eed);
	fill_random(&g, tok_long, sizeof(tok_long));
	fill_random(&g, splice_src, sizeof(splice_src));
	return 0;
}

/* Environment number k of four: nothing, tokens, splice source, both. */
static struct mutate_env make_env(unsigned k)
{
	struct mutate_env env = {0};

	if (k & 1) {
		env.tokens = tokens;
		env.n_tokens = N_TOKENS;
	}
	if (k & 2) {
		env.splice = splice_src;
		env.splice_len = sizeof(splice_src);
	}
	return env;
}

/*
 * A test buffer: len random bytes, random stale bytes up to cap, then the
 * canary. orig keeps the first cap bytes for comparison.
 */
struct tbuf {
	uint8_t *buf;
	uint8_t *orig;
	size_t len;
	size_t cap;
};

static void tbuf_init(struct tbuf *t, struct rng *g, size_t len, size_t cap)
{
	t->len = len;
	t->cap = cap;
	t->buf = malloc(cap + CANARY_BYTES);
	t->orig = malloc(cap);
	assert_non_null(t->buf);
	assert_non_null(t->orig);
	fill_random(g, t->buf, cap);
	memset(t->buf + cap, CANARY, CANARY_BYTES);
	memcpy(t->orig, t->buf, cap);
}

static void tbuf_release(struct tbuf *t)
{
	free(t->buf);
	free(t->orig);
}

static void assert_canary(const struct tbuf *t)
{
	for (size_t i = 0; i < CANARY_BYTES; i++)
		assert_int_equal(t->buf[t->cap + i], CANARY);
}

/* Checks a result against the contract: 0 and untouched, or in [1, cap]. */
static void assert_result(const struct tbuf *t, size_t ret)
{
	assert_canary(t);
	if (ret == 0)
		assert_memory_equal(t->buf, t->orig, t->cap);
	else
		assert_in_range(ret, 1, t->cap);
}

static void test_bounds(void **state)
{
	(void)state;
	for (unsigned id = 0; id < MUT__COUNT; id++) {
		for (uint64_t seed = 0; seed < 400; seed++) {
			struct rng g, r;
			struct tbuf t;
			size_t len, cap;

			rng_seed(&g, seed * 1000 + id);
			len = rng_below(&g, 301);
			cap = len + rng_below(&g, 201);
			if (cap == 0)
				cap = 1;
			tbuf_init(&t, &g, len, cap);
			struct mutate_env env = make_env((unsigned)seed);

			rng_seed(&r, seed);
			size_t ret = mutate_one(id, &r, t.buf, len, cap, &env);
			assert_result(&t, ret);
			if (len == 0 && !grows(id))
				assert_int_equal(ret, 0);
			tbuf_release(&t);
		}
	}
}

static void test_determinism(void **state)
{
	(void)state;
	for (unsigned id = 0; id < MUT__COUNT; id++) {
		for (uint64_t seed = 0; seed < 100; seed++) {
			struct rng g, r1, r2;
			struct tbuf a, b;
			struct mutate_env env = make_env(3);

			rng_seed(&g, seed);
			size_t len = rng_below(&g, 301);
			size_t cap = len + 1 + rng_below(&g, 200);
			tbuf_init(&a, &g, len, cap);
			tbuf_init(&b, &g, len, cap);
			memcpy(b.buf, a.buf, cap);
			rng_seed(&r1, seed);
			rng_seed(&r2, seed);
			size_t n1 = mutate_one(id, &r1, a.buf, len, cap, &env);
			size_t n2 = mutate_one(id, &r2, b.buf, len, cap, &env);
			assert_int_equal(n1, n2);
			assert_memory_equal(a.buf, b.buf, cap);
			assert_memory_equal(&r1, &r2, sizeof(r1));
			tbuf_release(&a);
			tbuf_release(&b);
		}
	}
}

/*
 * Over TRIALS draws on a 64-byte input with room to grow and both a
 * dictionary and a splice source, each mutator applies and changes the
 * buffer at least once; those that cannot leave it as it was always do.
 */
static void test_changes(void **state)
{
	struct mutate_env env = make_env(3);

	(void)state;
	for (unsigned id = 0; id < MUT__COUNT; id++) {
		int always = id <= MUT_ARITH32 || id == MUT_DEL || grows(id);
		unsigned changed = 0;

		for (uint64_t seed = 0; seed < TRIALS; seed++) {
			struct rng g, r;
			struct tbuf t;

			rng_seed(&g, ~seed);
			tbuf_init(&t, &g, 64, 128);
			rng_seed(&r, seed);
			size_t ret = mutate_one(id, &r, t.buf, 64, 128, &env);
			assert_result(&t, ret);
			int diff = ret != 0 && (ret != 64 || memcmp(t.buf, t.orig, 64) != 0);
			if (always && !(id == MUT_DICT_INS && ret == 0))
				assert_true(diff);
			changed += diff;
			tbuf_release(&t);
		}
		if (changed == 0)
			fail_msg("mutator %s never changed the input", mutate_name(id));
	}
}

/* Without tokens or splice source those mutators never apply. */
static void test_not_applicable(void **state)
{
	static const unsigned ids[] = {MUT_DICT_INS, MUT_DICT_OVR, MUT_SPLICE_INS, MUT_SPLICE_OVR};
	struct mutate_env empty = {0};
	struct mutate_env zero_len = {
		.splice = splice_src, .splice_len = 0, .tokens = tokens, .n_tokens = 0};

	(void)state;
	for (size_t k = 0; k < sizeof(ids) / sizeof(ids[0]); k++) {
		for (uint64_t seed = 0; seed < TRIALS; seed++) {
			struct rng g, r;
			struct tbuf t;

			rng_seed(&g, seed);
			size_t len = rng_below(&g, 100);
			tbuf_init(&t, &g, len, len + 1 + rng_below(&g, 100));
			rng_seed(&r, seed);
			assert_int_equal(mutate_one(ids[k], &r, t.buf, len, t.cap, NULL), 0);
			assert_int_equal(mutate_one(ids[k], &r, t.buf, len, t.cap, &empty), 0);
			assert_int_equal(mutate_one(ids[k], &r, t.buf, len, t.cap, &zero_len), 0);
			assert_result(&t, 0);
			tbuf_release(&t);
		}
	}
}

/* At len == cap nothing may grow; at len == 0 only insertions apply. */
static void test_edges(void **state)
{
	struct mutate_env env = make_env(3);

	(void)state;
	for (unsigned id = 0; id < MUT__COUNT; id++) {
		for (uint64_t seed = 0; seed < 200; seed++) {
			struct rng g, r;
			struct tbuf t;

			rng_seed(&g, seed);
			size_t cap = 1 + rng_below(&g, 80);
			tbuf_init(&t, &g, cap, cap);
			rng_seed(&r, seed);
			size_t ret = mutate_one(id, &r, t.buf, cap, cap, &env);
			assert_result(&t, ret);
			if (grows(id))
				assert_int_equal(ret, 0);
			tbuf_release(&t);

			tbuf_init(&t, &g, 0, cap);
			ret = mutate_one(id, &r, t.buf, 0, cap, &env);
			assert_result(&t, ret);
			if (!grows(id) || id == MUT_CLONE)
				assert_int_equal(ret, 0);
			if (id == MUT_INS_REP || id == MUT_SPLICE_INS)
				assert_true(ret > 0);
			tbuf_release(&t);
		}
	}
	/* Preconditions broken: report 0, write nothing. */
	uint8_t b[4] = {1, 2, 3, 4};
	struct rng r;
	rng_seed(&r, 1);
	assert_int_equal(mutate_one(MUT_FLIP8, &r, b, 4, 3, &env), 0);
	assert_int_equal(mutate_one(MUT_FLIP8, &r, b, 0, 0, &env), 0);
	assert_int_equal(mutate_one(MUT__COUNT, &r, b, 4, 4, &env), 0);
	assert_int_equal(mutate_havoc(&r, b, 4, 3, &env, NULL), 0);
	assert_int_equal(mutate_havoc(&r, b, 0, 0, &env, NULL), 0);
	assert_int_equal(b[0], 1);
	assert_int_equal(b[3], 4);
}

/* ---- what each mutator does, checked on its output ---- */

/* The bytes a flip, arith or interest mutator edits at once. */
static size_t width_of(unsigned id)
{
	switch (id) {
	case MUT_FLIP16:
	case MUT_ARITH16:
	case MUT_INTEREST16:
		return 2;
	case MUT_FLIP32:
	case MUT_ARITH32:
	case MUT_INTEREST32:
		return 4;
	default:
		return 1;
	}
}

static int popcount8(unsigned v)
{
	int n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

/* The span [lo, hi) where a and b differ; 0 if they are equal. */
static int diff_span(const uint8_t *a, const uint8_t *b, size_t len, size_t *lo, size_t *hi)
{
	size_t i = 0, j = len;

	while (i < len && a[i] == b[i])
		i++;
	if (i == len)
		return 0;
	while (a[j - 1] == b[j - 1])
		j--;
	*lo = i;
	*hi = j;
	return 1;
}

static int contains(const uint8_t *hay, size_t n, const uint8_t *needle, size_t m)
{
	return memmem(hay, n, needle, m) != NULL;
}

static int is_repeat(const uint8_t *p, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (p[i] != p[0])
			return 0;
	return 1;
}

static int is_token(const uint8_t *p, size_t n)
{
	for (size_t k = 0; k < N_TOKENS; k++)
		if (tokens[k].len == n && !memcmp(tokens[k].data, p, n))
			return 1;
	return 0;
}

/* Some whole token lies in out and covers the changed span [lo, hi). */
static int token_window(const uint8_t *out, size_t len, size_t lo, size_t hi)
{
	for (size_t k = 0; k < N_TOKENS; k++) {
		size_t n = tokens[k].len;

		for (size_t pos = hi >= n ? hi - n : 0; pos <= lo && pos + n <= len; pos++)
			if (!memcmp(out + pos, tokens[k].data, n))
				return 1;
	}
	return 0;
}

/* A byte-value histogram: swap and shuffle only permute bytes. */
static void histogram(const uint8_t *p, size_t n, unsigned h[256])
{
	memset(h, 0, 256 * sizeof(h[0]));
	for (size_t i = 0; i < n; i++)
		h[p[i]]++;
}

/* AFL's INTERESTING_8/16/32, written out independently of mutate.c. */
static const int32_t afl_interesting[] = {
	-128,   -1,        0,          1,      16,    32,    64,    100,       127,
	-32768, -129,      128,        255,    256,   512,   1000,  1024,      4096,
	32767,  INT32_MIN, -100663046, -32769, 32768, 65535, 65536, 100663045, INT32_MAX,
};

static uint32_t word(const uint8_t *p, size_t w, int be)
{
	uint32_t v = 0;

	for (size_t i = 0; i < w; i++)
		v |= (uint32_t)p[i] << (8 * (be ? w - 1 - i : i));
	return v;
}

/* out differs from in only inside one w-byte word that passes check(). */
static int word_edit(const uint8_t *in, const uint8_t *out, size_t len, size_t w,
		     int (*check)(uint32_t old, uint32_t new, size_t w))
{
	size_t lo, hi;

	if (!diff_span(in, out, len, &lo, &hi))
		return check(0, 0, w) == 2; /* unchanged: only legal if the check allows it */
	if (hi - lo > w)
		return 0;
	for (size_t pos = hi >= w ? hi - w : 0; pos <= lo && pos + w <= len; pos++)
		for (int be = 0; be < 2; be++)
			if (check(word(in + pos, w, be), word(out + pos, w, be), w))
				return 1;
	return 0;
}

static int check_arith(uint32_t old, uint32_t new, size_t w)
{
	uint32_t mask = w == 4 ? 0xffffffffu : (1u << (8 * w)) - 1;
	uint32_t up = (new - old) & mask, down = (old - new) & mask;

	if (old == new)
		return 0;
	return (up >= 1 && up <= 35) || (down >= 1 && down <= 35);
}

static int check_interest(uint32_t old, uint32_t new, size_t w)
{
	size_t n = w == 1 ? 9 : w == 2 ? 19 : sizeof(afl_interesting) / sizeof(afl_interesting[0]);
	uint32_t mask = w == 4 ? 0xffffffffu : (1u << (8 * w)) - 1;

	if (old == new)
		return 2; /* the value may already have been there */
	for (size_t i = 0; i < n; i++)
		if (((uint32_t)afl_interesting[i] & mask) == new)
			return 1;
	return 0;
}

/* in + a block inserted somewhere == out, and the block passes check(). */
static int inserted(const uint8_t *in, size_t len, const uint8_t *out, size_t out_len,
		    int (*check)(const uint8_t *blk, size_t n, const uint8_t *in, size_t len))
{
	size_t n = out_len - len;

	if (out_len <= len)
		return 0;
	for (size_t pos = 0; pos <= len; pos++) {
		if (pos && in[pos - 1] != out[pos - 1])
			break;
		if (!memcmp(out + pos + n, in + pos, len - pos) && check(out + pos, n, in, len))
			return 1;
	}
	return 0;
}

static int blk_any(const uint8_t *blk, size_t n, const uint8_t *in, size_t len)
{
	(void)blk;
	(void)n;
	(void)in;
	(void)len;
	return 1;
}

static int blk_in_input(const uint8_t *blk, size_t n, const uint8_t *in, size_t len)
{
	return contains(in, len, blk, n);
}

static int blk_repeat(const uint8_t *blk, size_t n, const uint8_t *in, size_t len)
{
	(void)in;
	(void)len;
	return is_repeat(blk, n);
}

static int blk_token(const uint8_t *blk, size_t n, const uint8_t *in, size_t len)
{
	(void)in;
	(void)len;
	return is_token(blk, n);
}

static int blk_splice(const uint8_t *blk, size_t n, const uint8_t *in, size_t len)
{
	(void)in;
	(void)len;
	return contains(splice_src, sizeof(splice_src), blk, n);
}

/* Checks that the edit made by id is the one its name promises. */
static void check_edit(unsigned id, uint64_t seed, const uint8_t *in, size_t len,
		       const uint8_t *out, size_t n)
{
	size_t lo = 0, hi = 0;
	int changed = n == len && diff_span(in, out, len, &lo, &hi);
	unsigned h1[256], h2[256];
	int bits = 0;

	for (size_t i = 0; changed && i < len; i++)
		bits += popcount8(in[i] ^ out[i]);

	switch (id) {
	case MUT_FLIP1:
	case MUT_FLIP2:
	case MUT_FLIP4:
		assert_int_equal(n, len);
		assert_int_equal(bits, id == MUT_FLIP1 ? 1 : id == MUT_FLIP2 ? 2 : 4);
		break;
	case MUT_FLIP8:
	case MUT_FLIP16:
	case MUT_FLIP32:
		assert_true(changed);
		assert_int_equal(hi - lo, width_of(id));
		for (size_t i = lo; i < hi; i++)
			assert_int_equal(in[i] ^ out[i], 0xff);
		break;
	case MUT_RAND8:
		assert_true(changed);
		assert_int_equal(hi - lo, 1);
		break;
	case MUT_ARITH8:
	case MUT_ARITH16:
	case MUT_ARITH32:
		assert_int_equal(n, len);
		assert_true(word_edit(in, out, len, width_of(id), check_arith));
		break;
	case MUT_INTEREST8:
	case MUT_INTEREST16:
	case MUT_INTEREST32:
		assert_int_equal(n, len);
		assert_true(word_edit(in, out, len, width_of(id), check_interest));
		break;
	case MUT_DEL:
		/* a deletion from in is an insertion into out */
		assert_true(n >= 1 && n < len);
		assert_true(inserted(out, n, in, len, blk_any));
		break;
	case MUT_CLONE:
		assert_true(inserted(in, len, out, n, blk_in_input));
		break;
	case MUT_INS_REP:
		assert_true(inserted(in, len, out, n, blk_repeat));
		break;
	case MUT_DICT_INS:
		assert_true(inserted(in, len, out, n, blk_token));
		break;
	case MUT_SPLICE_INS:
		assert_true(inserted(in, len, out, n, blk_splice));
		break;
	case MUT_COPY:
		assert_int_equal(n, len);
		assert_true(!changed || contains(in, len, out + lo, hi - lo));
		break;
	case MUT_FILL:
		assert_int_equal(n, len);
		assert_true(!changed || is_repeat(out + lo, hi - lo));
		break;
	case MUT_DICT_OVR:
		assert_int_equal(n, len);
		assert_true(!changed || token_window(out, len, lo, hi));
		break;
	case MUT_SPLICE_OVR:
		assert_int_equal(n, len);
		assert_true(!changed ||
			    contains(splice_src, sizeof(splice_src), out + lo, hi - lo));
		break;
	case MUT_SWAP: {
		/*
		 * Swapping two disjoint blocks is an involution, and where the
		 * blocks lie depends only on len and the rng: the same seed
		 * applied to the output must give the input back.
		 */
		uint8_t *again = malloc(len);
		struct rng r2;

		assert_non_null(again);
		memcpy(again, out, len);
		rng_seed(&r2, seed);
		assert_int_equal(mutate_one(MUT_SWAP, &r2, again, len, len, NULL), len);
		assert_memory_equal(again, in, len);
		free(again);
	}
		/* fall through */
	case MUT_SHUFFLE:
		assert_int_equal(n, len);
		histogram(in, len, h1);
		histogram(out, n, h2);
		assert_memory_equal(h1, h2, sizeof(h1));
		if (id == MUT_SHUFFLE)
			assert_true(!changed || hi - lo <= 8);
		break;
	default:
		fail_msg("mutator %s has no semantic check; add one", mutate_name(id));
	}
}

static void test_semantics(void **state)
{
	struct mutate_env env = make_env(3);

	(void)state;
	for (unsigned id = 0; id < MUT__COUNT; id++) {
		for (uint64_t seed = 0; seed < TRIALS; seed++) {
			struct rng g, r;
			struct tbuf t;

			rng_seed(&g, seed ^ 0xabcdef);
			size_t len = 1 + rng_below(&g, 120);
			tbuf_init(&t, &g, len, len + rng_below(&g, 120));
			/* low-entropy inputs too, so blocks and values repeat */
			if (seed & 1)
				for (size_t i = 0; i < len; i++)
					t.buf[i] = t.orig[i] = t.orig[i] & 3;
			rng_seed(&r, seed);
			size_t n = mutate_one(id, &r, t.buf, len, t.cap, &env);
			assert_result(&t, n);
			if (n)
				check_edit(id, seed, t.orig, len, t.buf, n);
			tbuf_release(&t);
		}
	}
}

/*
 * Each interest mutator writes every value of its AFL set: on an input of
 * exactly one word, the value written is the whole word in one byte order.
 */
static void test_interest_sets(void **state)
{
	static const struct {
		unsigned id;
		size_t width, n;
	} sets[] = {
		{MUT_INTEREST8, 1, 9},
		{MUT_INTEREST16, 2, 19},
		{MUT_INTEREST32, 4, sizeof(afl_interesting) / sizeof(afl_interesting[0])},
	};

	(void)state;
	for (size_t k = 0; k < sizeof(sets) / sizeof(sets[0]); k++) {
		size_t w = sets[k].width;
		uint32_t mask = w == 4 ? 0xffffffffu : (1u << (8 * w)) - 1;
		int hit[sizeof(afl_interesting) / sizeof(afl_interesting[0])] = {0};

		for (uint64_t seed = 0; seed < TRIALS; seed++) {
			uint8_t buf[4] = {0};
			struct rng r;
			int any = 0;

			rng_seed(&r, seed);
			assert_int_equal(mutate_one(sets[k].id, &r, buf, w, w, NULL), w);
			for (size_t i = 0; i < sets[k].n; i++) {
				uint32_t v = (uint32_t)afl_interesting[i] & mask;

				if (v == word(buf, w, 0) || v == word(buf, w, 1))
					hit[i] = any = 1;
			}
			assert_true(any);
		}
		for (size_t i = 0; i < sets[k].n; i++)
			if (!hit[i])
				fail_msg("%s never wrote %d", mutate_name(sets[k].id),
					 (int)afl_interesting[i]);
	}
}

/*
 * The word mutators use both byte orders. On an all-zero input of one word,
 * a little-endian edit reads back as the small delta or interesting value
 * in little-endian order only, and a big-endian one in big-endian only.
 */
static void test_both_endians(void **state)
{
	static const unsigned ids[] = {MUT_ARITH16, MUT_ARITH32, MUT_INTEREST16, MUT_INTEREST32};

	(void)state;
	for (size_t k = 0; k < sizeof(ids) / sizeof(ids[0]); k++) {
		unsigned id = ids[k];
		size_t w = width_of(id);
		int arith = id == MUT_ARITH16 || id == MUT_ARITH32;
		unsigned le = 0, be = 0;

		for (uint64_t seed = 0; seed < TRIALS; seed++) {
			uint8_t buf[4] = {0};
			struct rng r;

			rng_seed(&r, seed);
			assert_int_equal(mutate_one(id, &r, buf, w, w, NULL), w);
			if (!arith && word(buf, w, 0) == 0)
				continue; /* wrote the interesting value 0 */
			uint32_t v_le = word(buf, w, 0), v_be = word(buf, w, 1);
			int as_le = (arith ? check_arith : check_interest)(0, v_le, w) == 1;
			int as_be = (arith ? check_arith : check_interest)(0, v_be, w) == 1;

			assert_true(as_le || as_be);
			le += as_le && !as_be;
			be += as_be && !as_le;
		}
		if (!le || !be)
			fail_msg("%s: %u little-endian-only, %u big-endian-only edits",
				 mutate_name(id), le, be);
	}
}

/* ---- havoc ---- */

static void test_havoc(void **state)
{
	unsigned seen[MUT__COUNT] = {0};
	unsigned depth_hist[3] = {0}; /* depth 1, 2..8, 9..128 */

	(void)state;
	for (uint64_t seed = 0; seed < 3000; seed++) {
		struct rng g, r, r2;
		struct tbuf t, u;
		struct mutate_trace trace;
		unsigned k = (unsigned)seed & 3;
		struct mutate_env env = make_env(k);

		rng_seed(&g, seed + 77);
		size_t len = rng_below(&g, 301);
		size_t cap = len + rng_below(&g, 201);
		if (cap == 0)
			cap = 1;
		tbuf_init(&t, &g, len, cap);
		tbuf_init(&u, &g, len, cap);
		memcpy(u.buf, t.buf, cap);
		rng_seed(&r, seed);
		r2 = r;

		size_t n = mutate_havoc(&r, t.buf, len, cap, &env, &trace);
		assert_in_range(n, 1, cap);
		assert_canary(&t);
		assert_in_range(trace.n, 1, 128);
		depth_hist[trace.n == 1 ? 0 : trace.n <= 8 ? 1 : 2]++;
		for (unsigned i = 0; i < trace.n && i < 64; i++) {
			unsigned op = trace.ops[i];
			assert_true(op < MUT__COUNT);
			seen[op]++;
			if (!(k & 1))
				assert_true(op != MUT_DICT_INS && op != MUT_DICT_OVR);
			if (!(k & 2))
				assert_true(op != MUT_SPLICE_INS && op != MUT_SPLICE_OVR);
			if (i == 0 && len == 0)
				assert_true(grows(op));
		}

		/* the trace changes nothing: same seed, NULL trace, same bytes */
		size_t n2 = mutate_havoc(&r2, u.buf, len, cap, &env, NULL);
		assert_int_equal(n, n2);
		assert_memory_equal(t.buf, u.buf, cap);
		tbuf_release(&t);
		tbuf_release(&u);
	}
	for (unsigned id = 0; id < MUT__COUNT; id++)
		if (!seen[id])
			fail_msg("havoc never applied %s", mutate_name(id));
	/* Depth 1 has probability sum_k 2^-k / 8 ~ 0.25: expect ~750 of 3000;
	 * deep stacks must still occur. */
	assert_in_range(depth_hist[0], 600, 900);
	assert_true(depth_hist[1] > 600);
	assert_true(depth_hist[2] > 300);
}

/* ---- splice ---- */

static void test_splice_not_applicable(void **state)
{
	uint8_t buf[16], orig[16];
	struct rng r, before;
	struct mutate_trace trace;
	struct mutate_env env = {0};

	(void)state;
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)i;
	memcpy(orig, buf, sizeof(buf));
	rng_seed(&r, 3);
	before = r;

	assert_int_equal(mutate_splice(&r, buf, 16, 16, NULL, &trace), 0);
	assert_int_equal(mutate_splice(&r, buf, 16, 16, &env, &trace), 0);
	env.splice = orig;
	env.splice_len = 0;
	assert_int_equal(mutate_splice(&r, buf, 16, 16, &env, &trace), 0);
	env.splice_len = 16;
	assert_int_equal(mutate_splice(&r, buf, 0, 16, &env, &trace), 0);  /* empty input */
	assert_int_equal(mutate_splice(&r, buf, 16, 16, &env, &trace), 0); /* identical */
	env.splice_len = 10;
	assert_int_equal(mutate_splice(&r, buf, 16, 16, &env, &trace), 0); /* a prefix */

	uint8_t one_diff[16];
	memcpy(one_diff, orig, sizeof(one_diff));
	one_diff[7] ^= 1;
	env.splice = one_diff;
	env.splice_len = 16;
	assert_int_equal(mutate_splice(&r, buf, 16, 16, &env, &trace), 0); /* one byte differs */

	assert_memory_equal(buf, orig, sizeof(buf));
	assert_memory_equal(&r, &before, sizeof(r)); /* no draw was made */
}

/*
 * mutate.h documents splice as one draw for the split point followed by
 * mutate_havoc() with the same rng. So the result must equal havoc, from the
 * rng advanced by one draw, of buf[0, s) + splice[s, ..) for some s in
 * (f, l]: the spliced buffer is a prefix of buf and a suffix of splice.
 */
static void test_splice(void **state)
{
	(void)state;
	for (uint64_t seed = 0; seed < 500; seed++) {
		struct rng g, r;
		struct mutate_trace trace;
		uint8_t a[200], b[200];

		rng_seed(&g, seed + 1000);
		size_t len = 2 + rng_below(&g, 150);
		size_t slen = 2 + rng_below(&g, 150);
		size_t cap = len + rng_below(&g, 50);
		fill_random(&g, a, sizeof(a));
		memcpy(b, a, sizeof(b));
		/* differ in many places after a shared prefix, or in just a few */
		if (seed & 1) {
			for (size_t i = rng_below(&g, 20); i < sizeof(b); i++)
				if (rng_below(&g, 2))
					b[i] ^= (uint8_t)(1 + rng_below(&g, 255));
		} else {
			for (unsigned i = 0; i < 2 + rng_below(&g, 3); i++)
				b[rng_below(&g, 40)] ^= (uint8_t)(1 + rng_below(&g, 255));
		}

		struct mutate_env env = {.splice = b, .splice_len = slen};
		size_t common = len < slen ? len : slen, f = 0, l = 0, ndiff = 0;
		for (size_t i = 0; i < common; i++) {
			if (a[i] != b[i]) {
				if (!ndiff++)
					f = i;
				l = i;
			}
		}

		struct tbuf t;
		tbuf_init(&t, &g, len, cap);
		memcpy(t.buf, a, len);
		memcpy(t.orig, a, len);
		rng_seed(&r, seed);
		struct rng start = r;
		size_t n = mutate_splice(&r, t.buf, len, cap, &env, &trace);
		assert_canary(&t);
		if (ndiff < 2 || f == l) {
			assert_int_equal(n, 0);
			assert_memory_equal(t.buf, t.orig, cap);
			tbuf_release(&t);
			continue;
		}
		assert_in_range(n, 1, cap);
		assert_in_range(trace.n, 1, 128);

		int found = 0;
		for (size_t s = f + 1; s <= l && !found; s++) {
			uint8_t *exp = malloc(cap);
			struct rng r2 = start;
			size_t elen = slen < cap ? slen : cap;

			assert_non_null(exp);
			memcpy(exp, t.orig, cap); /* stale bytes past len as in t */
			memcpy(exp, a, s);
			memcpy(exp + s, b + s, elen - s);
			rng_next(&r2); /* the split draw */
			size_t en = mutate_havoc(&r2, exp, elen, cap, &env, NULL);
			found = en == n && !memcmp(exp, t.buf, n) && !memcmp(&r, &r2, sizeof(r));
			free(exp);
		}
		assert_true(found);
		tbuf_release(&t);
	}
}

/* ---- names ---- */

static void test_names(void **state)
{
	(void)state;
	for (unsigned id = 0; id < MUT__COUNT; id++) {
		const char *name = mutate_name(id);

		assert_non_null(name);
		assert_true(strlen(name) > 0);
		assert_string_equal(name, mutators[id].name);
		assert_null(strpbrk(name, ",:/ "));
		for (const char *c = name; *c; c++)
			assert_true((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
				    *c == '-');
		for (unsigned j = 0; j < id; j++)
			assert_string_not_equal(name, mutate_name(j));
		assert_non_null(mutators[id].fn);
	}
	assert_string_equal(mutate_name(MUT__COUNT), "?");
	assert_string_equal(mutate_name(~0u), "?");
	assert_string_equal(mutate_name(MUT_FLIP1), "flip1");
	assert_string_equal(mutate_name(MUT_DICT_INS), "dict-ins");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bounds),        cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_changes),       cmocka_unit_test(test_not_applicable),
		cmocka_unit_test(test_edges),         cmocka_unit_test(test_semantics),
		cmocka_unit_test(test_interest_sets), cmocka_unit_test(test_both_endians),
		cmocka_unit_test(test_havoc),         cmocka_unit_test(test_splice_not_applicable),
		cmocka_unit_test(test_splice),        cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
