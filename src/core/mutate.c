/*
 * mutate.c - the byte-level mutators of mutators.def, havoc and splice.
 * Each mutator edits the caller's buffer in place within its capacity and
 * returns the new length, or 0 without touching the buffer when it does not
 * apply. Nothing here allocates, keeps state or reads a clock: the only
 * source of variety is the struct rng the caller passes, so a seed replays.
 * This file does not decide which entry to mutate, how often, or what to
 * keep; the scheduler and the feedback loop do. Havoc runs up to 128
 * mutators per execution, so each is a few draws and at most one memmove.
 */
#include <string.h>

#include "mutate.h"
#include "banned.h"

/* Trace ops are stored as uint8_t. */
_Static_assert(MUT__COUNT <= UINT8_MAX + 1, "mutator ids must fit in mutate_trace.ops");

/* Largest delta of the arith mutators, AFL's ARITH_MAX. */
#define ARITH_MAX 35

/* Block length tiers, AFL's HAVOC_BLK_SMALL / _MEDIUM / _LARGE / _XL. */
#define BLK_SMALL 32
#define BLK_MEDIUM 128
#define BLK_LARGE 1500
#define BLK_XL 32768

/* Most bytes the shuffle mutator permutes, libFuzzer's Mutate_ShuffleBytes. */
#define SHUFFLE_MAX 8

/*
 * AFL's INTERESTING_8, _16 and _32 (config.h), kept as one list: a word of
 * w bits draws from the first N_INTERESTING_<w> values, so the 16-bit set also
 * holds the 8-bit values sign-extended, exactly as AFL's interesting_16[]
 * does. Values are stored truncated to the width.
 */
static const int32_t interesting[] = {
	/* INTERESTING_8: overflow edges, off-by-one, small powers of two */
	-128,
	-1,
	0,
	1,
	16,
	32,
	64,
	100,
	127,
	/* INTERESTING_16 */
	-32768,
	-129,
	128,
	255,
	256,
	512,
	1000,
	1024,
	4096,
	32767,
	/* INTERESTING_32; AFL calls the second and the seventh large
	   negative and positive numbers that are "endian-agnostic" */
	INT32_MIN,
	-100663046,
	-32769,
	32768,
	65535,
	65536,
	100663045,
	INT32_MAX,
};
#define N_INTERESTING_8 9
#define N_INTERESTING_16 19
#define N_INTERESTING_32 (sizeof(interesting) / sizeof(interesting[0]))

static size_t below(struct rng *r, size_t n)
{
	return (size_t)rng_below(r, n);
}

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

/*
 * How long a block to delete, clone or overwrite: a length in [1, limit],
 * limit >= 1. AFL's choose_block_len idea: mostly small blocks, since most
 * formats care about short fields, sometimes large ones that move whole
 * structures. AFL widens the odds with the queue cycle and after ten minutes
 * of running; the core has no clock and no run state, so the odds here are
 * fixed between AFL's early regime (small only) and its late one (a third
 * per tier): 3/4 small, 3/16 medium, 3/64 large, 1/64 extra large. When a
 * tier's floor does not fit the limit it starts from 1, as AFL does. Cost:
 * two draws.
 */
static size_t block_len(struct rng *r, size_t limit)
{
	size_t lo, hi;
	uint64_t tier = rng_below(r, 64);

	if (tier < 48) {
		lo = 1;
		hi = BLK_SMALL;
	} else if (tier < 60) {
		lo = BLK_SMALL + 1;
		hi = BLK_MEDIUM;
	} else if (tier < 63) {
		lo = BLK_MEDIUM + 1;
		hi = BLK_LARGE;
	} else {
		lo = BLK_LARGE + 1;
		hi = BLK_XL;
	}
	if (lo > limit)
		lo = 1;
	hi = min_size(hi, limit);
	return lo + below(r, hi - lo + 1);
}

/* A byte for the block fillers: half the time one already in the input (AFL). */
static uint8_t fill_byte(struct rng *r, const uint8_t *buf, size_t len)
{
	if (len && rng_below(r, 2))
		return buf[below(r, len)];
	return (uint8_t)rng_below(r, 256);
}

/* Moves buf[pos, len) up by n bytes; the caller checked len + n <= cap. */
static void open_gap(uint8_t *buf, size_t len, size_t pos, size_t n)
{
	memmove(buf + pos + n, buf + pos, len - pos);
}

/* A width-byte word at p in either byte order; width is 1, 2 or 4. */
static uint32_t load_word(const uint8_t *p, size_t width, int big_endian)
{
	uint32_t v = 0;

	for (size_t i = 0; i < width; i++)
		v |= (uint32_t)p[i] << (8 * (big_endian ? width - 1 - i : i));
	return v;
}

static void store_word(uint8_t *p, uint32_t v, size_t width, int big_endian)
{
	for (size_t i = 0; i < width; i++)
		p[i] = (uint8_t)(v >> (8 * (big_endian ? width - 1 - i : i)));
}

/* Flips n consecutive bits anywhere in the input, crossing bytes if need be. */
static size_t flip_bits(struct rng *r, uint8_t *buf, size_t len, size_t n)
{
	if (len * 8 < n)
		return 0;
	size_t bit = below(r, len * 8 - n + 1);
	for (size_t i = bit; i < bit + n; i++)
		buf[i >> 3] ^= (uint8_t)(0x80u >> (i & 7));
	return len;
}

static size_t flip_bytes(struct rng *r, uint8_t *buf, size_t len, size_t n)
{
	if (len < n)
		return 0;
	size_t pos = below(r, len - n + 1);
	for (size_t i = 0; i < n; i++)
		buf[pos + i] ^= 0xff;
	return len;
}

/* Adds or subtracts 1..ARITH_MAX to a word; the delta is never 0 (AFL havoc). */
static size_t arith_word(struct rng *r, uint8_t *buf, size_t len, size_t width)
{
	if (len < width)
		return 0;
	size_t pos = below(r, len - width + 1);
	int big_endian = width > 1 && rng_below(r, 2);
	uint32_t delta = 1 + (uint32_t)rng_below(r, ARITH_MAX);
	uint32_t v = load_word(buf + pos, width, big_endian);

	v = rng_below(r, 2) ? v + delta : v - delta;
	store_word(buf + pos, v, width, big_endian);
	return len;
}

static size_t interest_word(struct rng *r, uint8_t *buf, size_t len, size_t width, size_t n_values)
{
	if (len < width)
		return 0;
	size_t pos = below(r, len - width + 1);
	int big_endian = width > 1 && rng_below(r, 2);

	store_word(buf + pos, (uint32_t)interesting[below(r, n_values)], width, big_endian);
	return len;
}

/* Inserts n bytes of src at a random position; the caller checked the room. */
static size_t insert_bytes(struct rng *r, uint8_t *buf, size_t len, const uint8_t *src, size_t n)
{
	size_t pos = below(r, len + 1);

	open_gap(buf, len, pos, n);
	memcpy(buf + pos, src, n);
	return len + n;
}

static size_t mut_flip1(struct rng *r, uint8_t *buf, size_t len, size_t cap,
			const struct mutate_env *env)
{
	(void)cap;
	(void)env;
	return flip_bits(r, buf, len, 1);
}

static size_t mut_flip2(struct rng *r, uint8_t *buf, size_t len, size_t cap,
			const struct mutate_env *env)
{
	(void)cap;
	(void)env;
	return flip_bits(r, buf, len, 2);
}

static size_t mut_flip4(struct rng *r, uint8_t *buf, size_t len, size_t cap,
			const struct mutate_env *env)
{
	(void)cap;
	(void)env;
	return flip_bits(r, buf, len, 4);
}

static size_t mut_flip8(struct rng *r, uint8_t *buf, size_t len, size_t cap,
			const struct mutate_env *env)
{
	(void)cap;
	(void)env;
	return flip_bytes(r, buf, len, 1);
}

static size_t mut_flip16(struct rng *r, uint8_t *buf, size_t len, size_t cap,
			 const struct mutate_env *env)
{
	(void)cap;
	(void)env;
	return flip_bytes(r, buf, len, 2);
}

static size_t mut_flip32(struct rng *r, uint8_t *buf, size_t len, size_t cap,
			 const struct mutate_env *env)
{
	(void)cap;
	(void)env;
	return flip_bytes(r, buf, len, 4);
}

/* XOR with 1..255 rather than a fresh byte, so the byte always changes (AFL). */
static size_t mut_rand8(struct rng *r, uint8_t *buf, size_t len, size_t cap,
			const struct mutate_env *env)
{
	(void)cap;
	(void)env;
	if (!len)
		return 0;
	buf[below(r, len)] ^= (uint8_t)(1 + rng_below(r, 255));
	return len;
}

static size_t mut_arith8(struct rng *r, uint8_t *buf, size_t len, size_t cap,
			 const struct mutate_env *env)
{
	(void)cap;
	(void)env;
	return arith_word(r, buf, len, 1);
}

static size_t mut_arith16(struct rng *r, uint8_t *buf, size_t len, size_t cap,
			  const struct mutate_env *env)
{
	(void)cap;
	(void)env;
	return arith_word(r, buf, len, 2);
}

static size_t mut_arith32(struct rng *r, uint8_t *buf, size_t len, size_t cap,
			  const struct mutate_env *env)
{
	(void)cap;
	(void)env;
	return arith_word(r, buf, len, 4);
}

static size_t mut_interest8(struct rng *r, uint8_t *buf, size_t len, size_t cap,
			    const struct mutate_env *env)
{
	(void)cap;
	(void)env;
	return interest_word(r, buf, len, 1, N_INTERESTING_8);
}

static size_t mut_interest16(struct rng *r, uint8_t *buf, size_t len, size_t cap,
			     const struct mutate_env *env)
{
	(void)cap;
	(void)env;
	return interest_word(r, buf, len, 2, N_INTERESTING_16);
}

static size_t mut_interest32(struct rng *r, uint8_t *buf, size_t len, size_t cap,
			     const struct mutate_env *env)
{
	(void)cap;
	(void)env;
	return interest_word(r, buf, len, 4, N_INTERESTING_32);
}

/* Keeps at least one byte, as AFL does: an empty input teaches nothing. */
static size_t mut_del(struct rng *r, uint8_t *buf, size_t len, size_t cap,
		      const struct mutate_env *env)
{
	(void)cap;
	(void)env;
	if (len < 2)
		return 0;
	size_t n = block_len(r, len - 1);
	size_t pos = below(r, len - n + 1);

	memmove(buf + pos, buf + pos + n, len - pos - n);
	return len - n;
}

/*
 * Inserts a copy of buf[src, src + n) at dst without a scratch buffer:
 * opening the gap moves the part of the source at or after dst up by n, so
 * the copy is taken from where each part of the source now lies. Both copies
 * are between disjoint ranges. Cost: one memmove of the tail plus n bytes.
 */
static size_t mut_clone(struct rng *r, uint8_t *buf, size_t len, size_t cap,
			const struct mutate_env *env)
{
	(void)env;
	if (!len || len >= cap)
		return 0;
	size_t n = block_len(r, min_size(len, cap - len));
	size_t src = below(r, len - n + 1);
	size_t dst = below(r, len + 1);

	open_gap(buf, len, dst, n);
	if (src + n <= dst) {
		memcpy(buf + dst, buf + src, n);
	} else if (src >= dst) {
		memcpy(buf + dst, buf + src + n, n);
	} else {
		size_t head = dst - src;

		memcpy(buf + dst, buf + src, head);
		memcpy(buf + dst + head, buf + dst + n, n - head);
	}
	return len + n;
}

static size_t mut_ins_rep(struct rng *r, uint8_t *buf, size_t len, size_t cap,
			  const struct mutate_env *env)
{
	(void)env;
	if (len >= cap)
		return 0;
	size_t n = block_len(r, cap - len);
	uint8_t byte = fill_byte(r, buf, len);
	size_t pos = below(r, len + 1);

	open_gap(buf, len, pos, n);
	memset(buf + pos, byte, n);
	return len + n;
}

static size_t mut_copy(struct rng *r, uint8_t *buf, size_t len, size_t cap,
		       const struct mutate_env *env)
{
	(void)cap;
	(void)env;
	if (len < 2)
		return 0;
	size_t n = block_len(r, len - 1);
	size_t src = below(r, len - n + 1);
	size_t dst = below(r, len - n + 1);

	memmove(buf + dst, buf + src, n);
	return len;
}

static size_t mut_fill(struct rng *r, uint8_t *buf, size_t len, size_t cap,
		       const struct mutate_env *env)
{
	(void)cap;
	(void)env;
	if (!len)
		return 0;
	size_t n = block_len(r, len);
	uint8_t byte = fill_byte(r, buf, len);

	memset(buf + below(r, len - n + 1), byte, n);
	return len;
}

/*
 * The dictionary ops draw one token and give up when it does not fit rather
 * than search for one that does: havoc then draws another mutator, which
 * keeps the cost per call constant whatever the dictionary's size.
 */
static size_t mut_dict_ins(struct rng *r, uint8_t *buf, size_t len, size_t cap,
			   const struct mutate_env *env)
{
	if (!env->n_tokens)
		return 0;
	const struct mutate_token *t = &env->tokens[below(r, env->n_tokens)];

	if (!t->len || t->len > cap - len)
		return 0;
	return insert_bytes(r, buf, len, t->data, t->len);
}

static size_t mut_dict_ovr(struct rng *r, uint8_t *buf, size_t len, size_t cap,
			   const struct mutate_env *env)
{
	(void)cap;
	if (!env->n_tokens)
		return 0;
	const struct mutate_token *t = &env->tokens[below(r, env->n_tokens)];

	if (!t->len || t->len > len)
		return 0;
	memcpy(buf + below(r, len - t->len + 1), t->data, t->len);
	return len;
}

static size_t mut_splice_ins(struct rng *r, uint8_t *buf, size_t len, size_t cap,
			     const struct mutate_env *env)
{
	if (!env->splice || !env->splice_len || len >= cap)
		return 0;
	size_t n = block_len(r, min_size(env->splice_len, cap - len));

	return insert_bytes(r, buf, len, env->splice + below(r, env->splice_len - n + 1), n);
}

static size_t mut_splice_ovr(struct rng *r, uint8_t *buf, size_t len, size_t cap,
			     const struct mutate_env *env)
{
	(void)cap;
	if (!env->splice || !env->splice_len || !len)
		return 0;
	size_t n = block_len(r, min_size(env->splice_len, len));
	size_t src = below(r, env->splice_len - n + 1);

	memcpy(buf + below(r, len - n + 1), env->splice + src, n);
	return len;
}

/* Swaps byte by byte: no scratch buffer, and blocks are short on average. */
static size_t mut_swap(struct rng *r, uint8_t *buf, size_t len, size_t cap,
		       const struct mutate_env *env)
{
	(void)cap;
	(void)env;
	if (len < 2)
		return 0;
	size_t n = block_len(r, len / 2);
	size_t a = below(r, len - 2 * n + 1);
	size_t b = a + n + below(r, len - a - 2 * n + 1);

	for (size_t i = 0; i < n; i++) {
		uint8_t t = buf[a + i];

		buf[a + i] = buf[b + i];
		buf[b + i] = t;
	}
	return len;
}

/* Fisher-Yates over 2..SHUFFLE_MAX consecutive bytes. */
static size_t mut_shuffle(struct rng *r, uint8_t *buf, size_t len, size_t cap,
			  const struct mutate_env *env)
{
	(void)cap;
	(void)env;
	if (len < 2)
		return 0;
	size_t n = 2 + below(r, min_size(len, SHUFFLE_MAX) - 1);
	uint8_t *p = buf + below(r, len - n + 1);

	for (size_t i = n - 1; i > 0; i--) {
		size_t j = below(r, i + 1);
		uint8_t t = p[i];

		p[i] = p[j];
		p[j] = t;
	}
	return len;
}

const struct mutator mutators[MUT__COUNT] = {
#define MUTATOR(id, name, fn) [MUT_##id] = {name, fn},
#include "mutators.def"
#undef MUTATOR
};

/* What a NULL env means: no dictionary, no splice source. */
static const struct mutate_env no_env;

size_t mutate_one(enum mutator_id id, struct rng *r, uint8_t *buf, size_t len, size_t cap,
		  const struct mutate_env *env)
{
	if ((unsigned)id >= MUT__COUNT || !cap || len > cap)
		return 0;
	return mutators[id].fn(r, buf, len, cap, env ? env : &no_env);
}

/*
 * Each stacked op redraws until a mutator applies. That always ends: with
 * cap >= 1 either len >= 1 (flip1 applies) or len == 0 < cap (ins-rep
 * applies). Redrawing rather than scanning from the drawn id keeps the
 * choice uniform among the applicable mutators.
 */
size_t mutate_havoc(struct rng *r, uint8_t *buf, size_t len, size_t cap,
		    const struct mutate_env *env, struct mutate_trace *trace)
{
	return mutate_havoc_depth(r, buf, len, cap, env, trace, MUTATE_STACK_POW2);
}

size_t mutate_havoc_depth(struct rng *r, uint8_t *buf, size_t len, size_t cap,
			  const struct mutate_env *env, struct mutate_trace *trace,
			  unsigned max_pow)
{
	if (!cap || len > cap)
		return 0;
	if (!env)
		env = &no_env;
	if (trace)
		trace->n = 0;

	/* Stack depth: pick a ceiling 1 << k (k in 0..MUTATE_STACK_POW2), then a
	 * depth in [1, ceiling]. AFL uses the ceiling itself (2..128, mean ~36),
	 * which on short inputs almost always destroys what the parent got right;
	 * this keeps AFL's long tail while a quarter of candidates are a single
	 * mutation (libFuzzer's depth is 1..5). */
	if (max_pow > MUTATE_STACK_POW2)
		max_pow = MUTATE_STACK_POW2;
	unsigned stack = 1 + (unsigned)rng_below(r, 1u << rng_below(r, max_pow + 1));
	for (unsigned i = 0; i < stack; i++) {
		size_t id, n;

		do {
			id = below(r, MUT__COUNT);
			n = mutators[id].fn(r, buf, len, cap, env);
		} while (!n);
		len = n;
		if (trace) {
			if (trace->n < sizeof(trace->ops))
				trace->ops[trace->n] = (uint8_t)id;
			trace->n++;
		}
	}
	return len;
}

size_t mutate_splice(struct rng *r, uint8_t *buf, size_t len, size_t cap,
		     const struct mutate_env *env, struct mutate_trace *trace)
{
	return mutate_splice_depth(r, buf, len, cap, env, trace, MUTATE_STACK_POW2);
}

size_t mutate_splice_depth(struct rng *r, uint8_t *buf, size_t len, size_t cap,
			   const struct mutate_env *env, struct mutate_trace *trace,
			   unsigned max_pow)
{
	if (!env || !env->splice || !env->splice_len || !len || len > cap)
		return 0;

	size_t common = min_size(len, env->splice_len);
	size_t first = 0, last = common;

	while (first < common && buf[first] == env->splice[first])
		first++;
	if (first == common)
		return 0;
	while (buf[last - 1] == env->splice[last - 1])
		last--;
	last--;
	if (first == last)
		return 0;

	size_t split = first + 1 + below(r, last - first);
	size_t new_len = min_size(env->splice_len, cap);

	memcpy(buf + split, env->splice + split, new_len - split);
	return mutate_havoc_depth(r, buf, new_len, cap, env, trace, max_pow);
}

const char *mutate_name(unsigned id)
{
	return id < MUT__COUNT ? mutators[id].name : "?";
}
