/*
 * loop_test.c - unit tests of src/core/loop.c, the one fuzzing loop, over
 * a fake executor: a pure function of the input that bumps counters in a
 * small map, logs one 32-bit compare when asked to, and crashes on a magic
 * prefix. The loop is driven exactly as the shells drive it (seeds through
 * loop_run_one, then loop_fuzz), so these tests pin down what both modes
 * share: determinism under a seed, the execution budget, the compare stage,
 * crash and hang verdicts reaching the sink with their own input, the
 * rejected-input rule and the tick that may only stop the loop; and what
 * keeps inputs small: trim, reduce_inputs, len_control and the distillation
 * at a run's end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "cov.h"
#include "crc32_ref.h"
#include "errors.h"
#include "loop.h"

#define MAP 256
#define CAP 64
#define MAGIC 0x21544146u /* "FAT!" little endian */

struct fake {
	uint8_t map[MAP];
	struct ferret_cmp_site log[FERRET_CMP_SITES];
	uint8_t buf[CAP];
	struct loop L;
	/* what the sink saw */
	size_t crashes, hangs, entries, ticks;
	size_t trims, reduces; /* sink.replace calls, by reason */
	size_t longest_mutant; /* longest havoc/splice candidate run */
	size_t cap_at_longest; /* len_cap when it ran */
	uint8_t crash_input[CAP];
	size_t crash_len;
	int stop_after_ticks; /* tick returns 1 from then on (0: never) */
	int hang_on_z;        /* inputs starting with 'Z' hang */
	int reject_odd;       /* inputs of odd length are rejected */
	int hidden_gate;      /* only the hidden compare (see fake_run) can crash */
	int flat_mem;         /* one path for every input, a string compare logged */
	int b_and_d;          /* features: a 'B' anywhere; a 'D' or more than 16 bytes */
	int b_count;          /* features: how many 'B's (a counter); a 'D' */
	unsigned blind_runs;  /* with b_count: run k (from 1) sees no 'B' if bit k-1 is set */
	int framed;           /* frames (frame_ok): the count of 'B's; a payload of 4 or less */
	int len_byte;         /* 'L', a byte of the length of the rest, the rest: a 'B' in it */
	unsigned reject_runs; /* run k (from 1) is rejected if bit k-1 is set */
	size_t drops;         /* sink.drop calls */
	/* the files the sink deleted (named by their bytes, as the worker's
	 * are) and not written again since */
	uint8_t gone[32][CAP];
	size_t gone_len[32], n_gone;
	size_t i2s_runs, i2s_foreign; /* compare-stage runs; those not from its entry */
	size_t runs;                  /* times the executor ran the target */
	size_t custom_runs;           /* ... with a candidate of the custom stage */
	size_t builtin_runs;          /* ... with a havoc, splice or records candidate */
};

/* Whether buf is a frame: 'F', a 16-bit length (little endian) of the
 * payload, the CRC-32 of the payload (little endian), the payload. */
static int frame_ok(const uint8_t *buf, size_t len)
{
	if (len < 7 || buf[0] != 'F' || (size_t)(buf[1] | buf[2] << 8) != len - 7)
		return 0;
	uint32_t crc = buf[3] | buf[4] << 8 | buf[5] << 16 | (uint32_t)buf[6] << 24;
	return crc == crc32_ref(buf + 7, len - 7);
}

/* The frame of payload s, in out (7 + strlen(s) bytes); returns its length. */
static size_t frame(uint8_t *out, const char *s)
{
	size_t n = strlen(s);
	uint32_t crc = crc32_ref((const uint8_t *)s, n);
	out[0] = 'F';
	out[1] = (uint8_t)n;
	out[2] = (uint8_t)(n >> 8);
	for (int i = 0; i < 4; i++)
		out[3 + i] = (uint8_t)(crc >> (8 * i));
	memcpy(out + 7, s, n);
	return 7 + n;
}

/*
 * The fake target: an edge per input byte value seen at positions 0..3
 * (so longer and more varied inputs reach more), an edge for each byte of
 * the magic matched in order, a crash when all four match.
 */
static int fake_run(void *ctx, const uint8_t *buf, size_t len, unsigned flags,
		    const struct loop_origin *o, struct loop_verdict *v)
{
	struct fake *f = ctx;
	memset(f->map, 0, sizeof(f->map));
	f->runs++;
	if (o && o->op == LOOP_OP_CUSTOM)
		f->custom_runs++;
	if (o && (o->op == LOOP_OP_HAVOC || o->op == LOOP_OP_SPLICE || o->op == LOOP_OP_RECORDS))
		f->builtin_runs++;
	if (o && (o->op == LOOP_OP_HAVOC || o->op == LOOP_OP_SPLICE) && len > f->longest_mutant) {
		f->longest_mutant = len;
		f->cap_at_longest = f->L.len_cap;
	}
	if (f->reject_odd && (len & 1)) {
		v->kind = LOOP_REJECT;
		return 0;
	}
	if (f->hang_on_z && len && buf[0] == 'Z') {
		v->kind = LOOP_HANG;
		return 0;
	}
	if (f->runs <= 32 && (f->reject_runs >> (f->runs - 1) & 1)) {
		v->kind = LOOP_REJECT; /* the harness returned -1, say */
		return 0;
	}
	if (f->len_byte) {
		f->map[0] = 1;
		if ((f->map[1] = len >= 2 && buf[0] == 'L' && buf[1] == len - 2))
			f->map[2] = memchr(buf + 2, 'B', len - 2) != NULL;
		v->kind = LOOP_OK;
		return 0;
	}
	if (f->framed) {
		f->map[0] = 1;
		if ((f->map[1] = (uint8_t)frame_ok(buf, len))) {
			f->map[2] = (uint8_t) !!memchr(buf + 7, 'B', len - 7);
			for (size_t i = 7; i < len; i++)
				f->map[3] += buf[i] == 'B';
			/* one counter either way: a cut that makes the
			 * payload short costs no more */
			f->map[len - 7 <= 4 ? 5 : 4] = 1;
		}
		v->kind = LOOP_OK;
		return 0;
	}
	if (f->b_count) {
		f->map[0] = 1;
		int blind = f->runs <= 32 && (f->blind_runs >> (f->runs - 1) & 1);
		for (size_t i = 0; i < len && !blind; i++)
			f->map[1] += buf[i] == 'B';
		f->map[2] = memchr(buf, 'D', len) != NULL;
		v->kind = LOOP_OK;
		return 0;
	}
	if (f->b_and_d) {
		f->map[0] = 1;
		f->map[1] = memchr(buf, 'B', len) != NULL;
		f->map[2] = len > 16 || memchr(buf, 'D', len);
		v->kind = LOOP_OK;
		return 0;
	}
	if (f->flat_mem) {
		/* Every input takes the same path, so any shorter candidate
		 * reduces its entry; the logged compares of bytes 4..11 with
		 * "a0".."a3" make the compare stage offer shorter ones. Each
		 * compare-stage candidate must still begin as its entry did. */
		f->map[0] = 1;
		if (o && o->op == LOOP_OP_I2S) {
			f->i2s_runs++;
			if (len < 4 || memcmp(buf, "HEAD", 4))
				f->i2s_foreign++;
		}
		for (unsigned k = 0; (flags & LOOP_RUN_CMP) && len >= 12 && k < 4; k++) {
			struct ferret_cmp_site *s = &f->log[3 + k];
			struct ferret_cmp_rec *r = &s->rec[s->n % FERRET_CMP_WAYS];
			memset(r, 0, sizeof(*r));
			r->kind = FERRET_CMP_MEM;
			r->len_a = 8;
			r->len_b = 2;
			memcpy(r->a, buf + 4, 8);
			r->b[0] = 'a';
			r->b[1] = (uint8_t)('0' + k);
			s->n++;
		}
		v->kind = LOOP_OK;
		return 0;
	}
	if (f->hidden_gate) {
		/* Reaching the compare (byte 0 above 'A') adds no coverage, so
		 * only a mutant's own compare log shows it: the stall's work. */
		f->map[0]++;
		if (len < 8 || buf[0] <= 'A') {
			v->kind = LOOP_OK;
			return 0;
		}
		uint32_t w;
		memcpy(&w, buf + 4, 4);
		if ((flags & LOOP_RUN_CMP) && w != MAGIC) {
			struct ferret_cmp_site *s = &f->log[9];
			struct ferret_cmp_rec *r = &s->rec[s->n % FERRET_CMP_WAYS];
			uint64_t a = w, b = MAGIC;
			memset(r, 0, sizeof(*r));
			r->kind = FERRET_CMP_INT;
			r->width = 4;
			r->len_a = r->len_b = 4;
			memcpy(r->a, &a, 8);
			memcpy(r->b, &b, 8);
			s->n++;
		}
		v->kind = w == MAGIC ? LOOP_CRASH : LOOP_OK;
		return 0;
	}
	for (size_t i = 0; i < len && i < 4; i++)
		f->map[(i * 16 + (buf[i] & 15)) % 192]++;
	uint32_t word = 0;
	memcpy(&word, buf, len < 4 ? len : 4);
	unsigned matched = 0;
	while (matched < 4 && len > matched && buf[matched] == (uint8_t)(MAGIC >> (8 * matched)))
		matched++;
	for (unsigned k = 0; k < matched; k++)
		f->map[200 + k]++;
	if ((flags & LOOP_RUN_CMP) && len >= 4) {
		struct ferret_cmp_site *s = &f->log[7];
		struct ferret_cmp_rec *r = &s->rec[s->n % FERRET_CMP_WAYS];
		memset(r, 0, sizeof(*r));
		r->kind = FERRET_CMP_INT;
		r->width = 4;
		r->len_a = r->len_b = 4;
		uint64_t a = word, b = MAGIC;
		memcpy(r->a, &a, 8);
		memcpy(r->b, &b, 8);
		s->n++;
	}
	v->kind = matched == 4 ? LOOP_CRASH : LOOP_OK;
	v->signal = matched == 4 ? 11 : 0;
	return 0;
}

static void on_crash(void *ctx, const uint8_t *buf, size_t len, const struct loop_verdict *v,
		     const struct loop_origin *o)
{
	struct fake *f = ctx;
	(void)o;
	assert_int_equal(v->kind, LOOP_CRASH);
	if (!f->crashes++) {
		memcpy(f->crash_input, buf, len);
		f->crash_len = len;
	}
}

static void on_hang(void *ctx, const uint8_t *buf, size_t len, const struct loop_verdict *v,
		    const struct loop_origin *o)
{
	struct fake *f = ctx;
	(void)o;
	(void)v;
	assert_true(len > 0);
	assert_int_equal(buf[0], 'Z');
	f->hangs++;
}

/* The file of buf[0..len) is written (written: 1) or deleted (0). */
static void file_is(struct fake *f, const uint8_t *buf, size_t len, int written)
{
	for (size_t i = 0; i < f->n_gone; i++)
		if (f->gone_len[i] == len && !memcmp(f->gone[i], buf, len)) {
			if (written) {
				f->n_gone--;
				memcpy(f->gone[i], f->gone[f->n_gone], CAP);
				f->gone_len[i] = f->gone_len[f->n_gone];
			}
			return;
		}
	if (!written && f->n_gone < 32 && len <= CAP) {
		memcpy(f->gone[f->n_gone], buf, len);
		f->gone_len[f->n_gone++] = len;
	}
}

/* Every entry not retired still has its file. */
static void assert_files_kept(const struct fake *f)
{
	for (size_t k = 0; k < f->L.c.n; k++) {
		const struct entry *e = f->L.c.v[k];
		for (size_t i = 0; i < f->n_gone && !e->disabled; i++)
			if (f->gone_len[i] == e->len && !memcmp(f->gone[i], e->data, e->len))
				fail_msg("entry %zu is live, its file deleted", k);
	}
}

static void on_new(void *ctx, struct entry *e, const struct loop_origin *o)
{
	struct fake *f = ctx;
	(void)o;
	f->entries++;
	file_is(f, e->data, e->len, 1);
}

static void on_replace(void *ctx, struct entry *e, const uint8_t *old, size_t old_len,
		       enum loop_op why)
{
	struct fake *f = ctx;
	assert_true(e->len < old_len);
	assert_non_null(old);
	file_is(f, e->data, e->len, 1);
	if (e->parent >= 0) /* a seed's file stays (the worker's on_replace) */
		file_is(f, old, old_len, 0);
	if (why == LOOP_OP_TRIM)
		f->trims++;
	else if (why == LOOP_OP_REDUCE)
		f->reduces++;
	else
		fail_msg("replace for %s", loop_op_name(why));
}

static void on_drop_count(void *ctx, struct entry *e)
{
	struct fake *f = ctx;
	assert_true(e->disabled);
	f->drops++;
	file_is(f, e->data, e->len, 0);
}

static int on_tick(void *ctx)
{
	struct fake *f = ctx;
	f->ticks++;
	return f->stop_after_ticks && f->ticks >= (size_t)f->stop_after_ticks;
}

static struct fake *fake_new_mut(const struct loop_params *p, uint64_t seed, uint64_t max_execs,
				 int cmp, const struct loop_mutators *mut)
{
	struct fake *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	struct loop_setup s = {
		.params = p,
		.seed = seed,
		.map = f->map,
		.map_bytes = MAP,
		.cmp_log = cmp ? f->log : NULL,
		.buf = f->buf,
		.cap = CAP,
		.exec = {.run = fake_run, .ctx = f},
		.sink = {.new_entry = on_new,
			 .crash = on_crash,
			 .hang = on_hang,
			 .replace = on_replace,
			 .drop = on_drop_count,
			 .tick = on_tick,
			 .ctx = f},
		.max_execs = max_execs,
	};
	if (mut)
		s.mut = *mut;
	assert_int_equal(loop_init(&f->L, &s), 0);
	return f;
}

static struct fake *fake_new(const struct loop_params *p, uint64_t seed, uint64_t max_execs,
			     int cmp)
{
	return fake_new_mut(p, seed, max_execs, cmp, NULL);
}

static void fake_free(struct fake *f)
{
	loop_release(&f->L);
	free(f);
}

static void seed_with(struct fake *f, const char *s)
{
	struct loop_origin o = {.op = LOOP_OP_SEED, .src = -1, .src2 = -1};
	assert_true(loop_run_one(&f->L, (const uint8_t *)s, strlen(s), &o) >= 0);
}

/* Runs a loop to its budget and returns it (the caller frees). */
static struct fake *run(const struct loop_params *p, uint64_t seed, uint64_t execs, int cmp)
{
	struct fake *f = fake_new(p, seed, execs, cmp);
	seed_with(f, "hello");
	int err = loop_fuzz(&f->L);
	assert_true(err == 0 || err == FERRET_EEMPTY);
	return f;
}

static void assert_same_corpus(const struct fake *a, const struct fake *b)
{
	assert_int_equal(a->L.c.n, b->L.c.n);
	for (size_t i = 0; i < a->L.c.n; i++) {
		const struct entry *x = a->L.c.v[i], *y = b->L.c.v[i];
		assert_int_equal(x->len, y->len);
		assert_memory_equal(x->data, y->data, x->len);
		assert_int_equal(x->cost, y->cost);
		assert_int_equal(x->parent, y->parent);
	}
	assert_int_equal(a->crashes, b->crashes);
	assert_memory_equal(a->L.virgin, b->L.virgin, MAP);
}

/* Same seed, same budget: the same corpus, entry by entry, in both modes'
 * numbers, with the compare stage on. */
static void test_same_seed_same_run(void **state)
{
	(void)state;
	const struct loop_params *modes[] = {&loop_outside, &loop_inproc};
	for (size_t m = 0; m < 2; m++) {
		struct fake *a = run(modes[m], 42, 20000, 1);
		struct fake *b = run(modes[m], 42, 20000, 1);
		assert_true(a->L.c.n > 4);
		assert_same_corpus(a, b);
		fake_free(a);
		fake_free(b);
	}
}

/* Another seed takes another path (else the seed would mean nothing). */
static void test_other_seed_other_run(void **state)
{
	(void)state;
	struct fake *a = run(&loop_inproc, 1, 3000, 0);
	struct fake *b = run(&loop_inproc, 2, 3000, 0);
	int differ = a->L.c.n != b->L.c.n;
	for (size_t i = 0; !differ && i < a->L.c.n; i++)
		differ = a->L.c.v[i]->len != b->L.c.v[i]->len ||
			 memcmp(a->L.c.v[i]->data, b->L.c.v[i]->data, a->L.c.v[i]->len);
	assert_true(differ);
	fake_free(a);
	fake_free(b);
}

/* The budget counts every execution, stages included, and is exact. */
static void test_budget_is_exact(void **state)
{
	(void)state;
	for (uint64_t budget = 1; budget < 5000; budget = budget * 3 + 1) {
		struct fake *f = run(&loop_outside, 7, budget, 1);
		assert_int_equal(f->L.execs, budget > 1 ? budget : 1);
		fake_free(f);
	}
}

/* The compare stage writes the logged constant into the input: the magic
 * is found within a few thousand executions, and its crash reaches the
 * sink with the very input that crashed. */
static void test_compare_stage_finds_magic(void **state)
{
	(void)state;
	struct fake *f = run(&loop_inproc, 3, 5000, 1);
	assert_true(f->crashes > 0);
	assert_true(f->crash_len >= 4);
	uint32_t w;
	memcpy(&w, f->crash_input, 4);
	assert_int_equal(w, MAGIC);
	fake_free(f);
}

/* Without the compare log the same budget does not find it: the stage,
 * not luck, made the difference above. */
static void test_no_compare_stage_no_magic(void **state)
{
	(void)state;
	struct fake *f = run(&loop_inproc, 3, 5000, 0);
	assert_int_equal(f->crashes, 0);
	fake_free(f);
}

/* Hangs go to the sink with their input; rejected inputs never become
 * entries. */
static void test_hang_and_reject(void **state)
{
	(void)state;
	struct fake *f = fake_new(&loop_outside, 5, 4000, 0);
	f->hang_on_z = 1;
	seed_with(f, "Zed");
	assert_int_equal(f->hangs, 1);
	assert_int_equal(f->L.c.n, 0);
	seed_with(f, "ab");
	assert_int_equal(f->L.c.n, 1);
	f->reject_odd = 1;
	loop_fuzz(&f->L);
	for (size_t i = 1; i < f->L.c.n; i++)
		assert_int_equal(f->L.c.v[i]->len % 2, 0);
	assert_true(f->hangs > 1);
	fake_free(f);
}

/* The tick may stop the loop, and only when it says so. */
static void test_tick_stops(void **state)
{
	(void)state;
	struct fake *f = fake_new(&loop_inproc, 9, 0, 1);
	f->stop_after_ticks = 3;
	seed_with(f, "hello");
	loop_fuzz(&f->L);
	assert_int_equal(f->ticks, 3);
	assert_int_equal(f->L.execs, 3 * (uint64_t)loop_inproc.tick_execs);
	fake_free(f);
}

/* An entry's cost comes from its counters, never from a clock. */
static void test_cost_from_counters(void **state)
{
	(void)state;
	struct fake *f = fake_new(&loop_outside, 1, 0, 0);
	seed_with(f, "abcd");
	assert_int_equal(f->L.c.n, 1);
	assert_int_equal(f->L.c.v[0]->cost, 4); /* four edges hit once */
	fake_free(f);
}

/* The fake looks at 4 bytes only: AFL's trim cuts a long seed down to
 * what matters before the entry is fuzzed, in both modes. */
static void test_trim(void **state)
{
	(void)state;
	const struct loop_params *modes[] = {&loop_outside, &loop_inproc};
	for (size_t m = 0; m < 2; m++) {
		struct fake *f = fake_new(modes[m], 11, 0, 0);
		seed_with(f, "abcd and then a long tail the target never reads");
		assert_int_equal(loop_fuzz_one(&f->L), 0);
		assert_int_equal(f->trims, 1);
		assert_true(f->L.c.v[0]->len <= 8);
		assert_memory_equal(f->L.c.v[0]->data, "abcd", 4);
		fake_free(f);
	}
}

/* Without trim, reduce_inputs does the shrinking: a mutant with the
 * parent's path and fewer bytes replaces it. Off, the entry keeps its
 * length. */
static void test_reduce(void **state)
{
	(void)state;
	struct loop_params p = loop_inproc;
	p.flags &= ~(unsigned)LOOP_TRIM;
	struct fake *f = fake_new(&p, 12, 5000, 0);
	const char *seed = "wxyz and a tail for reduce to drop";
	seed_with(f, seed);
	loop_fuzz(&f->L);
	assert_int_equal(f->trims, 0);
	assert_true(f->reduces > 0);
	assert_true(f->L.c.v[0]->len < strlen(seed));
	fake_free(f);

	p.flags &= ~(unsigned)LOOP_REDUCE;
	f = fake_new(&p, 12, 5000, 0);
	seed_with(f, seed);
	loop_fuzz(&f->L);
	assert_int_equal(f->reduces, 0);
	assert_int_equal(f->L.c.v[0]->len, strlen(seed));
	fake_free(f);
}

/* A compare-stage candidate that reduces the entry mid-stage (shorter,
 * same path) replaces the bytes the stage makes its candidates from; the
 * rest of the stage must still come from the entry as it was, not from
 * freed memory (seen as runs that differed under one seed; ASan in the
 * sanitizer build reports the read). */
static void test_reduce_during_compare_stage(void **state)
{
	(void)state;
	struct loop_params p = loop_inproc;
	p.flags &= ~(unsigned)LOOP_TRIM;
	struct fake *f = fake_new(&p, 5, 300, 1);
	f->flat_mem = 1;
	seed_with(f, "HEAD12345678 and a long tail of bytes after it");
	loop_fuzz(&f->L);
	assert_true(f->reduces > 0);
	assert_true(f->i2s_runs >= 8);
	assert_int_equal(f->i2s_foreign, 0);
	fake_free(f);
}

/* Under feature ownership reduce is libFuzzer's: the entry "B" + 20 bytes
 * owns only the 'B' feature (the seed "D" is shorter and has the other),
 * so a shorter mutant with a 'B' replaces it even without the other
 * feature (another path). By path alone every replacement keeps both. */
static void test_reduce_by_features(void **state)
{
	(void)state;
	struct loop_params p = loop_inproc;
	p.flags &= ~(unsigned)LOOP_TRIM;
	for (int features = 1; features >= 0; features--) {
		if (!features)
			p.flags &= ~(unsigned)LOOP_FEATURES;
		struct fake *f = fake_new(&p, 4, 3000, 0);
		f->b_and_d = 1;
		seed_with(f, "D");
		seed_with(f, "Bxxxxxxxxxxxxxxxxxxx");
		assert_int_equal(f->L.c.n, 2);
		loop_fuzz(&f->L);
		const struct entry *e = f->L.c.v[1];
		assert_non_null(memchr(e->data, 'B', e->len));
		int has_d = e->len > 16 || memchr(e->data, 'D', e->len);
		assert_int_equal(has_d, !features);
		assert_true(f->reduces > 0);
		fake_free(f);
	}
}

/* Runs s as a mutant of entry 0; returns what loop_run_one returned. */
static int found(struct fake *f, const char *s)
{
	struct loop_origin o = {.op = LOOP_OP_HAVOC, .src = 0, .src2 = -1};
	return loop_run_one(&f->L, (const uint8_t *)s, strlen(s), &o);
}

/* A fake whose features are the count of 'B's and a 'D' (b_count), its
 * runs in the bits of blind missing the 'B's, seeded with seed, and each
 * of finds (NULL-terminated; NULL: none) found as a mutant of entry 0. */
static struct fake *b_counter(const struct loop_params *p, unsigned blind, const char *seed,
			      const char *const *finds)
{
	struct fake *f = fake_new(p, 3, 0, 0);
	f->b_count = 1;
	f->blind_runs = blind;
	seed_with(f, seed);
	for (; finds && *finds; finds++)
		assert_true(found(f, *finds) > 0);
	return f;
}

/*
 * loop_distill: "B", "D" and "BBD" each brought something new, but "BBD"
 * has both of "D"'s features (and the 'B'-count bucket of 2, its own), so
 * "D" goes and "B" (the count of 1) stays; the seed stays. Then an entry
 * with bytes that matter to nothing is cut to the feature only it has.
 * The runs are counted apart from the loop's executions.
 */
static void test_distill(void **state)
{
	(void)state;
	struct loop_params p = loop_inproc;
	struct fake *f = b_counter(&p, 0, "a", (const char *[]){"B", "D", "BBD", NULL});
	assert_int_equal(f->L.c.n, 4);
	uint64_t execs = f->L.execs, runs;
	assert_int_equal(loop_distill(&f->L, 1000, &runs), 1);
	assert_int_equal(f->drops, 1);
	assert_true(f->L.c.v[2]->disabled); /* "D" */
	assert_false(f->L.c.v[0]->disabled);
	assert_false(f->L.c.v[1]->disabled);
	assert_false(f->L.c.v[3]->disabled);
	assert_int_equal(f->L.active, 3);
	assert_int_equal(f->L.execs, execs);
	assert_true(runs >= 4);
	fake_free(f);

	f = b_counter(&p, 0, "a", (const char *[]){"xxxxxxxBxxxxxxx", NULL});
	assert_int_equal(loop_distill(&f->L, 1000, NULL), 0);
	assert_int_equal(f->L.c.v[1]->len, 1);
	assert_int_equal(f->L.c.v[1]->data[0], 'B');
	assert_true(f->trims > 0);
	/* a budget of no runs past the first pass cuts nothing */
	fake_free(f);
	f = b_counter(&p, 0, "a", (const char *[]){"xxxxxxxBxxxxxxx", NULL});
	assert_int_equal(loop_distill(&f->L, 0, &runs), 0);
	assert_int_equal(f->L.c.v[1]->len, 15);
	assert_int_equal(runs, 2);
	fake_free(f);

	/* a flaky run kept the seed's own bytes as an entry of this run: its
	 * file is the seed's, so it is not retired (nor cut) */
	f = b_counter(&p, 1, "xBx", (const char *[]){"xBx", "BBD", NULL});
	assert_int_equal(f->L.c.n, 3);
	assert_int_equal(loop_distill(&f->L, 1000, &runs), 0);
	assert_int_equal(f->drops, 0);
	assert_false(f->L.c.v[1]->disabled);
	assert_int_equal(f->L.c.v[1]->len, 3);
	fake_free(f);
	/* ... and when the seed's run again misses the 'B', the entry is
	 * kept, still not cut: the file is the seed's */
	f = b_counter(&p, 1 | 4, "xBx", (const char *[]){"xBx", NULL}); /* the seed's two runs */
	assert_int_equal(loop_distill(&f->L, 1000, &runs), 0);
	assert_int_equal(f->drops, 0);
	assert_false(f->L.c.v[1]->disabled);
	assert_int_equal(f->L.c.v[1]->len, 3);
	fake_free(f);

	/* a flaky seed "B" whose runs miss the 'B' (its first and its
	 * re-run): "xB" cut to its 'B' would be the seed's bytes, and the
	 * seed's file the entry's, which a later cut or retirement deletes;
	 * the entry keeps its bytes */
	f = b_counter(&p, 1 | 4, "B", (const char *[]){"xB", NULL});
	assert_int_equal(loop_distill(&f->L, 1000, &runs), 0);
	assert_int_equal(f->trims, 0);
	assert_int_equal(f->L.c.v[1]->len, 2);
	assert_true(runs > 2); /* the cut ran */
	assert_files_kept(f);
	fake_free(f);

	/* a flaky run found "BxxBxD" twice (its first find, and the first
	 * copy's run again, missed the 'B's): the copy the cover leaves out
	 * stays, as its file is the other's, so the other is not cut either
	 * (its cut, or its retirement, would delete the file of an entry
	 * that stays) */
	f = b_counter(&p, 2 | 16, "a", (const char *[]){"BxxBxD", "BxxBxD", NULL});
	assert_int_equal(f->L.c.n, 3);
	assert_int_equal(loop_distill(&f->L, 1000, &runs), 0);
	assert_files_kept(f);
	assert_int_equal(f->trims, 0);
	assert_int_equal(f->drops, 0);
	assert_false(f->L.c.v[1]->disabled);
	assert_false(f->L.c.v[2]->disabled);
	fake_free(f);

	/* an entry whose re-run misses the 'B' it was kept for (a flaky
	 * target): the feature it still owns counts as its own, so it is
	 * neither retired nor cut (no cut could show the feature either) */
	f = b_counter(&p, 1u << 3, "a", (const char *[]){"xxBxx", NULL});
	assert_int_equal(loop_distill(&f->L, 1000, &runs), 0);
	assert_int_equal(f->drops, 0);
	assert_false(f->L.c.v[1]->disabled);
	assert_int_equal(f->L.c.v[1]->len, 5);
	fake_free(f);

	/* an entry whose run is rejected this time (a flaky harness's -1)
	 * stays, and is not cut: what it holds is not known */
	f = b_counter(&p, 0, "a", (const char *[]){"xxxxxxxBxxxxxxx", NULL});
	f->reject_runs = 1u << 3; /* the entry's run again */
	assert_int_equal(loop_distill(&f->L, 1000, &runs), 0);
	assert_false(f->L.c.v[1]->disabled);
	assert_int_equal(f->L.c.v[1]->len, 15);
	fake_free(f);

	/* nothing found in this run (-runs=0, say): nothing runs again */
	f = b_counter(&p, 0, "a", NULL);
	seed_with(f, "BBD");
	size_t before = f->runs;
	assert_int_equal(loop_distill(&f->L, 1000, &runs), 0);
	assert_int_equal(runs, 0);
	assert_int_equal(f->runs, before);
	fake_free(f);
}

/* A fake of frames (framed), seeded with the frame of a long payload of
 * 'x's, that found a and c (n bytes each) as mutants of it. */
static struct fake *framer(const struct loop_params *p, int cmp, const uint8_t *a, size_t na,
			   const uint8_t *c, size_t nc)
{
	struct fake *f = fake_new(p, 3, 0, cmp);
	f->framed = 1;
	uint8_t seed[64];
	size_t n = frame(seed, "xxxxxxxx");
	struct loop_origin o = {.op = LOOP_OP_SEED, .src = -1, .src2 = -1};
	assert_true(loop_run_one(&f->L, seed, n, &o) > 0);
	o.op = LOOP_OP_HAVOC;
	o.src = 0;
	assert_true(loop_run_one(&f->L, a, na, &o) > 0);
	assert_true(loop_run_one(&f->L, c, nc, &o) > 0);
	assert_int_equal(f->L.c.n, 3);
	return f;
}

/*
 * A kept entry behind a length and a CRC (a frame: 'F', length, CRC-32,
 * payload) is cut with both made true over each cut: "BBxxxxxxxxxx"
 * keeps its two 'B's and becomes the frame of "BB" (no cut of the bytes
 * alone keeps the frame). Cut, it has the short payload's feature too,
 * which was the frame of "xx"'s only: that entry goes.
 */
static void test_distill_frame(void **state)
{
	(void)state;
	struct loop_params p = loop_inproc;
	uint8_t a[64], c[64], want[64];
	size_t na = frame(a, "BBxxxxxxxxxx"), nc = frame(c, "xx");
	struct fake *f = framer(&p, 1, a, na, c, nc);
	assert_int_equal(loop_distill(&f->L, 1000, NULL), 1);
	const struct entry *e = f->L.c.v[1];
	assert_int_equal(e->len, frame(want, "BB"));
	assert_memory_equal(e->data, want, e->len);
	assert_true(f->L.c.v[2]->disabled);
	assert_int_equal(f->drops, 1);
	assert_int_equal(f->L.active, 2);
	assert_files_kept(f);
	fake_free(f);

	/* without the compare log, the structure is not known: the cuts of
	 * the bytes alone break the frame, and both stay */
	f = framer(&p, 0, a, na, c, nc);
	assert_int_equal(loop_distill(&f->L, 1000, NULL), 0);
	assert_int_equal(f->L.c.v[1]->len, na);
	assert_false(f->L.c.v[2]->disabled);
	fake_free(f);
}

/*
 * With -only_ascii, the lengths a distillation's cut rewrites are made
 * printable as every candidate is: "L\r" and 13 bytes with a 'B' (the
 * length a carriage return) is cut while its length stays a white space
 * ('\t' to '\r'), to 9 bytes after the "L\t", not to "L\x01B".
 */
static void test_distill_only_ascii(void **state)
{
	(void)state;
	struct loop_params p = loop_inproc;
	p.flags |= LOOP_ONLY_ASCII;
	struct fake *f = fake_new(&p, 3, 0, 1);
	f->len_byte = 1;
	seed_with(f, "L\txxxxxxxxx");
	assert_true(found(f, "L\rxxxxxBxxxxxxx") > 0);
	assert_int_equal(loop_distill(&f->L, 1000, NULL), 0);
	const struct entry *e = f->L.c.v[1];
	assert_int_equal(e->len, 11);
	assert_int_equal(e->data[1], '\t');
	for (size_t i = 0; i < e->len; i++)
		assert_true(e->data[i] == ' ' || (e->data[i] >= '\t' && e->data[i] <= '\r') ||
			    (e->data[i] > ' ' && e->data[i] < 127));
	fake_free(f);
}

/* post_process: a lone 'D' runs as "BD", longer than the cut it is */
static const uint8_t *d_to_bd(void *ctx, const uint8_t *buf, size_t len, size_t *out_len)
{
	(void)ctx;
	if (len == 1 && buf[0] == 'D') {
		*out_len = 2;
		return (const uint8_t *)"BD";
	}
	*out_len = len;
	return buf;
}

/*
 * A cut that post_process makes no shorter is not kept, nor are the
 * features it ran with taken for the entry's: "BBBxxxxD" (its 'D' its
 * own, the seed has the three 'B's) is cut to "xD"; its cut to "D" ran as
 * "BD", with the count of one 'B' that only "xB" has. Taken for the cut
 * entry's, that count would have retired "xB", and no entry left would
 * have it.
 */
static void test_distill_post_process(void **state)
{
	(void)state;
	struct loop_params p = loop_inproc;
	struct loop_mutators m = {.post = d_to_bd};
	struct fake *f = fake_new_mut(&p, 3, 0, 0, &m);
	f->b_count = 1;
	seed_with(f, "BBB");
	assert_true(found(f, "BBBxxxxD") > 0);
	assert_true(found(f, "xB") > 0);
	assert_int_equal(loop_distill(&f->L, 1000, NULL), 0);
	assert_int_equal(f->L.c.v[1]->len, 2);
	assert_memory_equal(f->L.c.v[1]->data, "xD", 2);
	assert_false(f->L.c.v[2]->disabled);
	assert_int_equal(f->L.c.v[2]->len, 1);
	assert_int_equal(f->L.c.v[2]->data[0], 'B');
	assert_files_kept(f);
	fake_free(f);
}

/*
 * The loop's own stop (its budget spent) does not end the distillation,
 * the tick does (the worker's deadline, a stop request): stopped before
 * the cover, nothing is retired; stopped among the cuts, the entry keeps
 * the bytes of the last cut made, and the loop stays stopped.
 */
static void test_distill_tick_stops(void **state)
{
	(void)state;
	struct loop_params p = loop_inproc;
	p.tick_execs = 1;
	struct fake *f = b_counter(&p, 0, "a", (const char *[]){"B", "D", "BBD", NULL});
	f->L.stop = 1;
	f->stop_after_ticks = (int)f->ticks + 2; /* in the second re-run */
	uint64_t runs;
	assert_int_equal(loop_distill(&f->L, 1000, &runs), 0);
	assert_int_equal(runs, 2);
	assert_int_equal(f->drops, 0);
	assert_int_equal(f->L.active, 4);
	assert_true(f->L.stop);
	fake_free(f);

	f = b_counter(&p, 0, "a", (const char *[]){"xxxxxxxBxxxxxxx", NULL});
	f->L.stop = 1;
	f->stop_after_ticks = (int)f->ticks + 4; /* two re-runs, two cuts */
	assert_int_equal(loop_distill(&f->L, 1000, &runs), 0);
	assert_int_equal(runs, 4);
	assert_true(f->L.c.v[1]->len > 1);
	assert_non_null(memchr(f->L.c.v[1]->data, 'B', f->L.c.v[1]->len));
	assert_true(f->L.stop);
	fake_free(f);
}

/* len_control: mutants never outgrow the current limit, which starts at
 * the longest entry (at least 4) and rises while nothing new is found;
 * with len_control 0 the limit is the buffer's capacity at once. */
static void test_len_control(void **state)
{
	(void)state;
	struct loop_params p = loop_inproc;
	p.len_control = 5;
	struct fake *f = fake_new(&p, 13, 20000, 0);
	seed_with(f, "ab");
	loop_fuzz(&f->L);
	assert_true(f->L.len_cap > 4);
	assert_true(f->longest_mutant > 4);
	assert_true(f->longest_mutant <= f->cap_at_longest);
	fake_free(f);

	p.len_control = 0;
	f = fake_new(&p, 13, 2000, 0);
	seed_with(f, "ab");
	loop_fuzz(&f->L);
	assert_int_equal(f->L.len_cap, CAP);
	fake_free(f);
}

/* A compare that only mutants reach, with no coverage for reaching it:
 * once the loop has stalled, a sampled mutant's own input-to-state solves
 * it; a loop that never counts as stalled does not, in the same budget. */
static void test_stall_mutant_i2s(void **state)
{
	(void)state;
	struct loop_params p = loop_inproc;
	p.stall_execs = 2000;
	p.stall_sample = 8;
	struct fake *f = fake_new(&p, 21, 60000, 1);
	f->hidden_gate = 1;
	seed_with(f, "AAAAxxxx");
	loop_fuzz(&f->L);
	assert_true(f->crashes > 0);
	uint32_t w;
	memcpy(&w, f->crash_input + 4, 4);
	assert_int_equal(w, MAGIC);
	fake_free(f);

	p.stall_execs = 0;
	f = fake_new(&p, 21, 60000, 1);
	f->hidden_gate = 1;
	seed_with(f, "AAAAxxxx");
	loop_fuzz(&f->L);
	assert_int_equal(f->crashes, 0);
	fake_free(f);
}

/*
 * libFuzzer's corpus rule (LOOP_FEATURES, in-process): every feature goes
 * to the shortest entry that has it, and an entry left with none is
 * retired through sink.drop, never a seed. The executor here sets one
 * counter per byte value of the input (a bag of bytes).
 */
static int bag_run(void *ctx, const uint8_t *buf, size_t len, unsigned flags,
		   const struct loop_origin *o, struct loop_verdict *v)
{
	struct fake *f = ctx;
	(void)flags;
	(void)o;
	memset(f->map, 0, sizeof(f->map));
	for (size_t i = 0; i < len; i++)
		f->map[buf[i] % MAP] = 1;
	v->kind = LOOP_OK;
	return 0;
}

static size_t drops;
static struct entry *dropped[8];

static void on_drop(void *ctx, struct entry *e)
{
	(void)ctx;
	if (drops < 8)
		dropped[drops] = e;
	drops++;
}

static void test_features_retire_entries(void **state)
{
	(void)state;
	struct fake *f = fake_new(&loop_inproc, 1, 0, 0);
	f->L.exec.run = bag_run;
	f->L.sink.drop = on_drop;
	drops = 0;
	seed_with(f, "xyzw");
	struct loop_origin o = {.op = LOOP_OP_HAVOC, .src = 0, .src2 = -1};
	const char *inputs[] = {"abcd", "abe", "cdf", "xyg"};
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(
			loop_run_one(&f->L, (const uint8_t *)inputs[i], strlen(inputs[i]), &o),
			COV_NEW_EDGE);
	/* "abe" took a and b, "cdf" took c and d: "abcd" kept nothing */
	assert_int_equal(drops, 1);
	assert_memory_equal(dropped[0]->data, "abcd", 4);
	assert_true(dropped[0]->disabled);
	/* "xyg" took x and y from the seed, which stays */
	assert_false(f->L.c.v[0]->disabled);
	assert_int_equal(f->L.active, 4);
	fake_free(f);

	/* ferret fuzz keeps AFL's queue: nothing is retired */
	f = fake_new(&loop_outside, 1, 0, 0);
	f->L.exec.run = bag_run;
	f->L.sink.drop = on_drop;
	drops = 0;
	seed_with(f, "xyzw");
	for (size_t i = 0; i < 4; i++)
		loop_run_one(&f->L, (const uint8_t *)inputs[i], strlen(inputs[i]), &o);
	assert_int_equal(drops, 0);
	fake_free(f);
}

/* ---- AFL++-style custom mutators (struct loop_mutators), faked ---- */

struct fmut {
	uint32_t count; /* fuzz_count */
	size_t fuzz_calls, add_given, wants;
	int want;       /* queue_get's answer */
	int32_t steps;  /* init_trim's */
	int trim_ok[8]; /* post_trim's success, per step */
	size_t trim_steps, trims_asked;
	uint8_t out[CAP + 8]; /* the mutator's own memory */
	size_t havocs, post_runs, sends;
};

static struct fmut fm;

static int fm_want(void *ctx, const struct entry *e)
{
	(void)ctx;
	(void)e;
	fm.wants++;
	return fm.want;
}

static uint32_t fm_count(void *ctx, unsigned k, const struct entry *e, uint32_t energy)
{
	(void)ctx;
	(void)e;
	(void)energy;
	assert_int_equal(k, 0);
	return fm.count;
}

static int fm_splice(void *ctx, unsigned k)
{
	(void)ctx;
	(void)k;
	return 1;
}

/* "MUT" over the start, in its own memory; an empty result every 4th. */
static size_t fm_fuzz(void *ctx, unsigned k, uint8_t *buf, size_t len, uint8_t *add, size_t add_len,
		      size_t max, const uint8_t **out)
{
	(void)ctx;
	(void)k;
	assert_true(len <= max);
	fm.add_given += add != NULL && add_len;
	if (++fm.fuzz_calls % 4 == 0)
		return 0;
	memcpy(fm.out, buf, len);
	memcpy(fm.out, "MUT", len < 3 ? len : 3);
	*out = fm.out;
	return len;
}

/* Step 0 offers more bytes than the input, step 1 none, step 2 "abcd". */
static int32_t fm_trim_init(void *ctx, unsigned k, uint8_t *buf, size_t len)
{
	(void)ctx;
	(void)k;
	(void)buf;
	(void)len;
	fm.trim_steps = 0;
	return fm.steps;
}

static size_t fm_trim(void *ctx, unsigned k, const uint8_t **out)
{
	(void)ctx;
	(void)k;
	fm.trims_asked++;
	memset(fm.out, 'a', sizeof(fm.out));
	*out = fm.out;
	if (fm.trim_steps == 0)
		return sizeof(fm.out);
	if (fm.trim_steps == 1)
		return 0;
	memcpy(fm.out, "abcd", 4);
	return 4;
}

static int32_t fm_trim_post(void *ctx, unsigned k, int success)
{
	(void)ctx;
	(void)k;
	fm.trim_ok[fm.trim_steps & 7] = success;
	return (int32_t)++fm.trim_steps;
}

/* post_process: inputs starting with 'X' are not run. */
static const uint8_t *fm_post(void *ctx, const uint8_t *buf, size_t len, size_t *out_len)
{
	(void)ctx;
	if (len && buf[0] == 'X')
		return NULL;
	*out_len = len;
	return buf;
}

static void fm_post_run(void *ctx)
{
	(void)ctx;
	fm.post_runs++;
}

static struct loop_mutators fm_hooks(int only)
{
	memset(&fm, 0, sizeof(fm));
	fm.want = 1;
	return (struct loop_mutators){.n = 1,
				      .only = only,
				      .want = fm_want,
				      .count = fm_count,
				      .splice = fm_splice,
				      .fuzz = fm_fuzz,
				      .post = fm_post,
				      .post_run = fm_post_run};
}

/* The custom stage runs fuzz_count candidates per entry before havoc; an
 * empty result is skipped (not run); with only set nothing else mutates
 * and the compare stage is off. */
static void test_custom_stage(void **state)
{
	(void)state;
	struct loop_params p = loop_outside;
	p.flags &= ~LOOP_TRIM;
	for (int only = 0; only < 2; only++) {
		struct loop_mutators m = fm_hooks(only);
		fm.count = 8;
		struct fake *f = fake_new_mut(&p, 3, 0, 1, &m);
		seed_with(f, "hello");
		size_t runs = f->runs;
		assert_int_equal(loop_fuzz_one(&f->L), 0);
		assert_int_equal(fm.wants, 1);
		assert_int_equal(fm.fuzz_calls, 8);
		assert_int_equal(f->custom_runs, 6); /* 2 of 8 were empty */
		assert_int_equal(fm.post_runs, f->runs);
		if (only) {
			assert_int_equal(f->runs - runs, 6);
			assert_int_equal(f->builtin_runs, 0);
			assert_int_equal(f->i2s_runs, 0);
		} else {
			assert_true(f->builtin_runs >= loop_outside.min_energy);
		}
		/* entries made by the mutator start with "MUT" */
		for (size_t i = 1; only && i < f->L.c.n; i++)
			assert_memory_equal(f->L.c.v[i]->data, "MUT", 3);
		fake_free(f);
	}
}

/* post_process returning nothing: the input is not run, counts as a
 * rejected execution, and is not kept. */
static void test_custom_post_skips(void **state)
{
	(void)state;
	struct loop_mutators m = fm_hooks(0);
	struct fake *f = fake_new_mut(&loop_outside, 3, 0, 0, &m);
	struct loop_origin o = {.op = LOOP_OP_SEED, .src = -1, .src2 = -1};
	assert_int_equal(loop_run_one(&f->L, (const uint8_t *)"Xhello", 6, &o), COV_NONE);
	assert_int_equal(f->runs, 0);
	assert_int_equal(f->L.execs, 1);
	assert_int_equal(f->L.c.n, 0);
	seed_with(f, "hello");
	assert_int_equal(f->runs, 1);
	assert_int_equal(f->L.c.n, 1);
	fake_free(f);
}

/* queue_get declining an entry: nothing runs, the entry counts as
 * fuzzed, the tick still comes. */
static void test_custom_queue_get(void **state)
{
	(void)state;
	struct loop_mutators m = fm_hooks(0);
	fm.count = 4;
	struct fake *f = fake_new_mut(&loop_outside, 3, 0, 0, &m);
	seed_with(f, "hello");
	fm.want = 0;
	size_t runs = f->runs, ticks = f->ticks;
	assert_int_equal(loop_fuzz_one(&f->L), 0);
	assert_int_equal(f->runs, runs);
	assert_int_equal(fm.fuzz_calls, 0);
	assert_true(f->L.c.v[0]->was_fuzzed);
	assert_int_equal(f->ticks, ticks + 1);
	fake_free(f);
}

/* The custom trim replaces the built-in one: a step longer than the
 * input or empty is refused without a run, "abcd" keeps the path and is
 * taken; post_trim hears which. */
static void test_custom_trim(void **state)
{
	(void)state;
	struct loop_mutators m = fm_hooks(1);
	m.n_trim = 1;
	m.trim_init = fm_trim_init;
	m.trim = fm_trim;
	m.trim_post = fm_trim_post;
	fm.steps = 3;
	struct fake *f = fake_new_mut(&loop_outside, 11, 0, 0, &m);
	seed_with(f, "abcd and then a long tail the target never reads");
	size_t runs = f->runs;
	assert_int_equal(loop_fuzz_one(&f->L), 0);
	assert_int_equal(fm.trims_asked, 3);
	assert_int_equal(fm.trim_ok[0], 0);
	assert_int_equal(fm.trim_ok[1], 0);
	assert_int_equal(fm.trim_ok[2], 1);
	assert_int_equal(f->trims, 1);
	assert_int_equal(f->L.c.v[0]->len, 4);
	assert_memory_equal(f->L.c.v[0]->data, "abcd", 4);
	/* one trim run, then the custom stage (fuzz_count 0): nothing else */
	assert_int_equal(f->runs - runs, 1);
	fake_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_seed_same_run),
		cmocka_unit_test(test_other_seed_other_run),
		cmocka_unit_test(test_budget_is_exact),
		cmocka_unit_test(test_compare_stage_finds_magic),
		cmocka_unit_test(test_no_compare_stage_no_magic),
		cmocka_unit_test(test_hang_and_reject),
		cmocka_unit_test(test_tick_stops),
		cmocka_unit_test(test_cost_from_counters),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_reduce),
		cmocka_unit_test(test_reduce_during_compare_stage),
		cmocka_unit_test(test_reduce_by_features),
		cmocka_unit_test(test_distill),
		cmocka_unit_test(test_distill_frame),
		cmocka_unit_test(test_distill_post_process),
		cmocka_unit_test(test_distill_only_ascii),
		cmocka_unit_test(test_distill_tick_stops),
		cmocka_unit_test(test_len_control),
		cmocka_unit_test(test_stall_mutant_i2s),
		cmocka_unit_test(test_features_retire_entries),
		cmocka_unit_test(test_custom_stage),
		cmocka_unit_test(test_custom_post_skips),
		cmocka_unit_test(test_custom_queue_get),
		cmocka_unit_test(test_custom_trim),
	};
	return cmocka_run_group_tests_name("loop", tests, NULL, NULL);
}
