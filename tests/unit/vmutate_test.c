/*
 * vmutate_test.c - unit tests of src/core/vmutate.c, the value-level
 * mutations of FERRET_TEST inputs, called directly with seeded rngs on
 * random streams (several uids; INT, BYTES and FRESH values; NAME records
 * in between). The contract checked over many seeds: the result has no
 * NAME record, a non-zero seed, only uids of the input, and 1..4 ops
 * reported in ops[]; without VMUT_ORDERED at most one uid per op has its
 * values changed, every other uid keeps its values in the same interleaving
 * (the acceptance criterion); each single op makes the edit its
 * name promises (one value, a run of at most 4, one insertion, one deleted
 * run, the other stream's values, a run of at most 8 consecutive requests
 * made fresh). Also: the same seed gives the same result, a stream without
 * value records gives 0, and the uid choice is weighted 1 + log2(count).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "valstream.h"
#include "vmutate.h"

#define MAX_RECS 64
#define MAX_SEQ 2048
#define ARENA_BYTES (1u << 20)
#define SEEDS 20000

static uint8_t arena[ARENA_BYTES];

/* A random stream with its byte payloads. */
struct sample {
	struct vs_stream s;
	uint8_t pool[MAX_RECS * 40];
	uint32_t uids[6];
	size_t n_uids;
};

static const char name_text[] = "deque_test.c:31";

/* A random stream over n_uids uids (taken from uids when given). */
static void sample_make(struct sample *x, struct rng *g, const uint32_t *uids, size_t n_uids,
			size_t max_recs)
{
	size_t used = 0, n = rng_below(g, max_recs + 1);
	uint8_t named[6] = {0};

	vs_release(&x->s); /* x is static: zeroed, or holding an earlier sample */
	x->s.seed = rng_next(g);
	x->n_uids = n_uids;
	for (size_t k = 0; k < n_uids; k++)
		x->uids[k] = uids ? uids[k] : (uint32_t)rng_next(g) | 1;
	for (size_t i = 0; i < n; i++) {
		struct vs_record r = {0};
		size_t k = rng_below(g, n_uids);
		r.uid = x->uids[k];
		if (!named[k] && rng_below(g, 2)) { /* as the runtime logs them */
			struct vs_record nm = {.uid = r.uid, .kind = FERRET_VS_NAME};
			nm.bytes = (const uint8_t *)name_text;
			nm.len = sizeof(name_text) - 1;
			assert_int_equal(vs_push(&x->s, &nm), 0);
			named[k] = 1;
		}
		uint64_t kind = rng_below(g, 20);
		if (kind < 12) {
			r.kind = FERRET_VS_INT;
			r.value = rng_below(g, 2) ? rng_below(g, 10) : rng_next(g);
		} else if (kind < 17) {
			r.kind = FERRET_VS_BYTES;
			r.len = (uint32_t)rng_below(g, 40);
			for (uint32_t b = 0; b < r.len; b++)
				x->pool[used + b] = (uint8_t)rng_next(g);
			r.bytes = x->pool + used;
			used += r.len;
		} else {
			r.kind = FERRET_VS_FRESH;
		}
		assert_int_equal(vs_push(&x->s, &r), 0);
	}
}

static int val_eq(const struct vs_record *a, const struct vs_record *b)
{
	if (a->kind != b->kind || a->uid != b->uid)
		return 0;
	if (a->kind == FERRET_VS_INT)
		return a->value == b->value;
	if (a->kind == FERRET_VS_BYTES)
		return a->len == b->len && (!a->len || !memcmp(a->bytes, b->bytes, a->len));
	return 1;
}

/* The value records of uid in s, in order; with skip set, the value
 * records of every other uid instead. */
static size_t seq(const struct vs_stream *s, uint32_t uid, int skip, struct vs_record *out)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (s->rec[i].kind == FERRET_VS_NAME)
			continue;
		if ((s->rec[i].uid == uid) == !skip) {
			assert_true(n < MAX_SEQ);
			out[n++] = s->rec[i];
		}
	}
	return n;
}

static int seq_eq(const struct vs_record *a, size_t na, const struct vs_record *b, size_t nb)
{
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (!val_eq(&a[i], &b[i]))
			return 0;
	return 1;
}

/* Whether b is a with the run [j, j + d) removed, for some j. */
static int is_deletion(const struct vs_record *a, size_t na, const struct vs_record *b, size_t nb)
{
	if (nb >= na)
		return 0;
	size_t d = na - nb;
	for (size_t j = 0; j + d <= na; j++) {
		int ok = 1;
		for (size_t i = 0; i < nb && ok; i++)
			ok = val_eq(&b[i], &a[i < j ? i : i + d]);
		if (ok)
			return 1;
	}
	return 0;
}

/* The distinct value uids of a and b together. */
static size_t all_uids(const struct vs_stream *a, const struct vs_stream *b, uint32_t *out)
{
	size_t n = 0;
	const struct vs_stream *v[2] = {a, b};
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < v[k]->n; i++) {
			if (v[k]->rec[i].kind == FERRET_VS_NAME)
				continue;
			size_t j = 0;
			while (j < n && out[j] != v[k]->rec[i].uid)
				j++;
			if (j == n)
				out[n++] = v[k]->rec[i].uid;
		}
	return n;
}

static struct vs_record sa[MAX_SEQ], sb[MAX_SEQ], sc[MAX_SEQ];

/* Checks one single-op result: op changed at most uid `changed` (or none). */
static void check_single(unsigned op, const struct vs_stream *in, const struct vs_stream *other,
			 const struct vs_stream *out, int have_changed, uint32_t changed)
{
	size_t na, nb, nc;

	if (op == VMUT_DUP_RUN) {
		/* out is in with one run of consecutive requests repeated right
		 * after itself: in[0..e) + in[b..e) + in[e..), for some b < e. */
		na = 0;
		for (size_t i = 0; i < in->n; i++)
			if (in->rec[i].kind != FERRET_VS_NAME)
				sa[na++] = in->rec[i];
		nb = out->n;
		assert_true(nb > na);
		size_t run = nb - na, e = 0;
		while (e < na && val_eq(&sa[e], &out->rec[e]) && sa[e].uid == out->rec[e].uid)
			e++;
		/* the copy may start inside the common prefix: find an end e with
		 * in[e - run .. e) == out[e .. e + run) and the tails equal */
		int ok = 0;
		for (size_t end = run; end <= na && !ok; end++) {
			int good = 1;
			for (size_t i = 0; i < end && good; i++)
				good = val_eq(&sa[i], &out->rec[i]) && sa[i].uid == out->rec[i].uid;
			for (size_t i = 0; i < run && good; i++)
				good = val_eq(&sa[end - run + i], &out->rec[end + i]) &&
				       sa[end - run + i].uid == out->rec[end + i].uid;
			for (size_t i = end; i < na && good; i++)
				good = val_eq(&sa[i], &out->rec[i + run]) &&
				       sa[i].uid == out->rec[i + run].uid;
			ok = good;
		}
		(void)e;
		assert_true(ok);
		return;
	}
	if (op == VMUT_REPEAT || op == VMUT_COPY_BLOCK || op == VMUT_DEL_BLOCK) {
		/* Whole requests in order: one contiguous run of requests is
		 * inserted (repeat: copies of a block of in; copy-block: a block
		 * of in or of other) or deleted; everything else is kept. */
		na = 0;
		for (size_t i = 0; i < in->n; i++)
			if (in->rec[i].kind != FERRET_VS_NAME)
				sa[na++] = in->rec[i];
		nb = 0;
		for (size_t i = 0; i < out->n; i++)
			sb[nb++] = out->rec[i];
		if (op == VMUT_DEL_BLOCK) {
			assert_true(is_deletion(sa, na, sb, nb));
		} else {
			assert_true(is_deletion(sb, nb, sa, na));
			(void)other;
		}
		return;
	}
	if (op == VMUT_ORDERED) {
		/* Same requests, same uids; what differs is a run of at most 8
		 * consecutive requests, made fresh. */
		na = 0;
		for (size_t i = 0; i < in->n; i++)
			if (in->rec[i].kind != FERRET_VS_NAME)
				sa[na++] = in->rec[i];
		nb = 0;
		for (size_t i = 0; i < out->n; i++)
			sb[nb++] = out->rec[i];
		assert_int_equal(na, nb);
		size_t first = na, last = 0;
		for (size_t i = 0; i < na; i++) {
			assert_int_equal(sa[i].uid, sb[i].uid);
			if (!val_eq(&sa[i], &sb[i])) {
				assert_int_equal(sb[i].kind, FERRET_VS_FRESH);
				if (first == na)
					first = i;
				last = i;
			}
		}
		if (first < na)
			assert_in_range(last - first + 1, 1, 8);
		return;
	}
	if (!have_changed) {
		/* Only a replacement can leave everything as it was (a value
		 * replaced by itself), or a splice of the same values. */
		assert_true(op == VMUT_REPLACE || op == VMUT_REPLACE_RUN || op == VMUT_SPLICE);
		return;
	}
	/* Every other uid keeps its values, in the same interleaving. */
	na = seq(in, changed, 1, sa);
	nb = seq(out, changed, 1, sb);
	assert_true(seq_eq(sa, na, sb, nb));

	na = seq(in, changed, 0, sa);
	nb = seq(out, changed, 0, sb);
	switch (op) {
	case VMUT_REPLACE:
	case VMUT_REPLACE_RUN: {
		assert_int_equal(na, nb);
		size_t first = na, last = 0;
		for (size_t i = 0; i < na; i++)
			if (!val_eq(&sa[i], &sb[i])) {
				if (first == na)
					first = i;
				last = i;
			}
		assert_true(first < na);
		assert_in_range(last - first + 1, 1, op == VMUT_REPLACE ? 1 : 4);
		break;
	}
	case VMUT_INSERT:
		assert_int_equal(nb, na + 1);
		assert_true(is_deletion(sb, nb, sa, na));
		break;
	case VMUT_DELETE:
		assert_in_range(na - nb, 1, 4);
		assert_true(is_deletion(sa, na, sb, nb));
		break;
	case VMUT_SPLICE:
		assert_non_null(other);
		nc = seq(other, changed, 0, sc);
		assert_true(seq_eq(sb, nb, sc, nc));
		break;
	default:
		fail_msg("unknown op %u", op);
	}
}

static void test_contract(void **state)
{
	static struct sample in, oth;
	static struct vs_stream out;
	unsigned seen_op[VMUT__COUNT] = {0}, seen_n[5] = {0};

	(void)state;
	for (uint64_t seed = 0; seed < SEEDS; seed++) {
		struct rng g, r;
		uint8_t ops[4] = {0xee, 0xee, 0xee, 0xee};
		uint32_t uids[16];

		rng_seed(&g, seed);
		do
			sample_make(&in, &g, NULL, 1 + rng_below(&g, 6), MAX_RECS);
		while (!vs_values(&in.s));
		const struct vs_stream *other = NULL;
		if (rng_below(&g, 2)) {
			/* other shares the uids, plus one of its own; an other
			 * with no record at all is test_splice_empty_other's */
			uint32_t ou[6];
			size_t on = in.n_uids < 6 ? in.n_uids + 1 : 6;
			memcpy(ou, in.uids, sizeof(ou));
			if (on > in.n_uids)
				ou[in.n_uids] = 0xabcdef01u;
			do
				sample_make(&oth, &g, ou, on, MAX_RECS);
			while (!oth.s.n);
			other = &oth.s;
		}
		rng_seed(&r, seed);
		unsigned n = vmutate(&r, &in.s, other, &out, arena, sizeof(arena), ops);

		assert_in_range(n, 1, 4);
		seen_n[n]++;
		for (unsigned k = 0; k < 4; k++) {
			if (k < n) {
				assert_in_range(ops[k], 0, VMUT__COUNT - 1);
				assert_true(other || ops[k] != VMUT_SPLICE);
				seen_op[ops[k]]++;
			}
		}
		assert_int_not_equal(out.seed, 0);
		for (size_t i = 0; i < out.n; i++) {
			assert_int_not_equal(out.rec[i].kind, FERRET_VS_NAME);
			assert_in_range(out.rec[i].kind, FERRET_VS_INT, FERRET_VS_FRESH);
		}
		assert_int_equal(vs_values(&out), out.n);

		/* Which uids' sequences changed; out has no uid that in lacks,
		 * except from a block copied from other (copy-block takes whole
		 * iterations, which may reach call sites in never reached). */
		int copied = 0;
		for (unsigned k = 0; k < n; k++)
			copied |= ops[k] == VMUT_COPY_BLOCK && other;
		size_t nu = all_uids(&in.s, &out, uids), changed = 0;
		uint32_t which = 0;
		for (size_t k = 0; k < nu; k++) {
			size_t na = seq(&in.s, uids[k], 0, sa), nb = seq(&out, uids[k], 0, sb);
			assert_true(na > 0 || (copied && seq(other, uids[k], 0, sc) > 0));
			if (!seq_eq(sa, na, sb, nb)) {
				changed++;
				which = uids[k];
			}
		}
		int ordered = 0;
		for (unsigned k = 0; k < n; k++)
			ordered |= ops[k] == VMUT_ORDERED || ops[k] == VMUT_DUP_RUN ||
				   ops[k] == VMUT_REPEAT || ops[k] == VMUT_DEL_BLOCK ||
				   ops[k] == VMUT_COPY_BLOCK;
		if (!ordered)
			assert_true(changed <= n);
		if (n == 1)
			check_single(ops[0], &in.s, other, &out, changed > 0, which);
		vs_release(&in.s);
		if (other)
			vs_release(&oth.s);
	}
	/* Every op and every op count happens; VMUT_CMP only with hints
	 * (test_cmp_op), never without. */
	for (unsigned op = 0; op < VMUT__COUNT; op++)
		if (op != VMUT_CMP)
			assert_true(seen_op[op] > SEEDS / 50);
	assert_int_equal(seen_op[VMUT_CMP], 0);
	for (unsigned k = 2; k <= 4; k++)
		assert_true(seen_n[k] > 0);
	assert_true(seen_n[1] > SEEDS * 8 / 10);
	vs_release(&out);
}

/*
 * Byte values of the result live in the arena (vmutate.h: "bytes that new
 * records need live in arena"), never in the input's or the other stream's
 * buffer, which the caller may reuse before it encodes the result. Checked
 * for every op, copies of another value of the same uid included.
 */
static void test_bytes_in_arena(void **state)
{
	static struct sample in, oth;
	static struct vs_stream out;
	unsigned outside[VMUT__COUNT] = {0};

	(void)state;
	for (uint64_t seed = 0; seed < SEEDS; seed++) {
		struct rng g, r;
		uint8_t ops[4];

		rng_seed(&g, seed);
		do
			sample_make(&in, &g, NULL, 1 + rng_below(&g, 3), MAX_RECS);
		while (!vs_values(&in.s));
		sample_make(&oth, &g, in.uids, in.n_uids, MAX_RECS);
		rng_seed(&r, seed);
		unsigned n = vmutate(&r, &in.s, &oth.s, &out, arena, sizeof(arena), ops);
		for (size_t i = 0; i < out.n; i++) {
			const struct vs_record *o = &out.rec[i];
			if (o->kind == FERRET_VS_BYTES && o->len &&
			    !(o->bytes >= arena && o->bytes + o->len <= arena + sizeof(arena))) {
				if (n == 1)
					outside[ops[0]]++;
				break;
			}
		}
		vs_release(&in.s);
		vs_release(&oth.s);
	}
	for (unsigned op = 0; op < VMUT__COUNT; op++)
		if (outside[op])
			print_message("op %s: %u single-op results with a byte value outside the "
				      "arena\n",
				      vmut_name(op), outside[op]);
	for (unsigned op = 0; op < VMUT__COUNT; op++)
		assert_int_equal(outside[op], 0);
	vs_release(&out);
}

/* A compare log with one record per site in its first sites. */
static struct ferret_cmp_site cmp_log[8];

static void log_int(size_t site, unsigned width, uint64_t a, uint64_t b, unsigned flags)
{
	struct ferret_cmp_rec *c = &cmp_log[site].rec[cmp_log[site].n++];
	memset(c, 0, sizeof(*c));
	c->kind = FERRET_CMP_INT;
	c->width = (uint8_t)width;
	c->len_a = c->len_b = (uint8_t)width;
	c->flags = (uint8_t)flags;
	memcpy(c->a, &a, 8);
	memcpy(c->b, &b, 8);
}

static void log_mem(size_t site, const char *a, const char *b)
{
	struct ferret_cmp_rec *c = &cmp_log[site].rec[cmp_log[site].n++];
	memset(c, 0, sizeof(*c));
	c->kind = FERRET_CMP_MEM;
	c->len_a = (uint8_t)strlen(a);
	c->len_b = (uint8_t)strlen(b);
	memcpy(c->a, a, c->len_a);
	memcpy(c->b, b, c->len_b);
}

/* The loop of a test: eos (uid 1), an operation (uid 2), a value (uid 3)
 * and a slice (uid 4) per iteration, with `iters` iterations, then eos
 * true. Values: op = i % 4, value = 0x11223344 + i, slice "abcdef". */
static void loop_stream(struct vs_stream *s, size_t iters)
{
	static const uint8_t slice[] = "abcdef";
	s->n = 0;
	s->seed = 7;
	for (size_t i = 0; i < iters; i++) {
		struct vs_record e = {.uid = 1, .kind = FERRET_VS_INT, .value = 0},
				 o = {.uid = 2, .kind = FERRET_VS_INT, .value = i % 4},
				 v = {.uid = 3, .kind = FERRET_VS_INT, .value = 0x11223344u + i},
				 b = {.uid = 4, .kind = FERRET_VS_BYTES, .len = 6, .bytes = slice};
		assert_int_equal(vs_push(s, &e), 0);
		assert_int_equal(vs_push(s, &o), 0);
		assert_int_equal(vs_push(s, &v), 0);
		assert_int_equal(vs_push(s, &b), 0);
	}
	struct vs_record end = {.uid = 1, .kind = FERRET_VS_INT, .value = 1};
	assert_int_equal(vs_push(s, &end), 0);
}

/*
 * vs_cmp_hints: the third iteration's value met 0xDEADBEEF in a 32-bit
 * compare and its low 16 bits met 0xBEEF in a 16-bit one (constants),
 * the op 2 met 3 (a 1-byte compare of two variables, both ways), and
 * the slice's "abc" was memcmp'd with "XYZ!". Each gives its hint with
 * the right uid and place; the strongest (4 significant bytes) comes
 * first; an equal compare and a constant equal to a value give none.
 */
static void test_cmp_hints(void **state)
{
	static struct vs_stream s;
	struct vs_hint h[32];

	(void)state;
	loop_stream(&s, 4);
	memset(cmp_log, 0, sizeof(cmp_log));
	log_int(0, 2, 0x3346, 0xbeef, FERRET_CMP_CONST);
	log_int(1, 4, 0x11223346, 0xdeadbeef, FERRET_CMP_CONST);
	log_int(2, 1, 2, 3, 0);
	log_int(3, 4, 0x11223345, 0x11223345, 0);                /* equal */
	log_int(4, 4, 0x99999999, 0x11223344, FERRET_CMP_CONST); /* const side */
	log_mem(5, "abc", "XYZ!");
	size_t n = vs_cmp_hints(&s, cmp_log, 8, h, 32);
	int got32 = 0, got16 = 0, got_op = 0, got_op_rev = 0, got_mem = 0;
	for (size_t i = 0; i < n; i++) {
		if (i)
			assert_true(h[i - 1].strength >= h[i].strength);
		if (h[i].kind == FERRET_VS_INT && h[i].uid == 3) {
			assert_int_equal(h[i].nth, 2);
			assert_int_not_equal(h[i].value, 0x11223344); /* no const side */
			got32 += h[i].width == 4 && h[i].value == 0xdeadbeef;
			got16 += h[i].width == 2 && h[i].value == 0xbeef;
		}
		if (h[i].kind == FERRET_VS_INT && h[i].uid == 2) {
			assert_int_equal(h[i].width, 1);
			got_op += h[i].nth == 2 && h[i].value == 3;
			got_op_rev += h[i].nth == 3 && h[i].value == 2;
		}
		if (h[i].kind == FERRET_VS_BYTES) {
			assert_int_equal(h[i].uid, 4);
			assert_int_equal(h[i].off, 0);
			assert_int_equal(h[i].len, 4);
			assert_memory_equal(h[i].bytes, "XYZ!", 4);
			got_mem++;
		}
	}
	assert_int_equal(got32, 1);
	assert_int_equal(got16, 1);
	assert_int_equal(got_op, 1);
	assert_int_equal(got_op_rev, 1);
	assert_in_range(got_mem, 1, 4); /* every slice holds "abc": 4 at most */
	assert_int_equal(h[0].strength, 4);
	assert_int_equal(h[0].value, 0xdeadbeef);
	vs_release(&s);
}

/* vs_hint_apply sets exactly the named value: the operand, +1, -1 within
 * the width (bytes above it kept), bytes written at the offset and the
 * value lengthened; every other record is unchanged. */
static void test_hint_apply(void **state)
{
	static struct vs_stream s, out;
	(void)state;
	loop_stream(&s, 4);
	struct vs_hint h = {.uid = 3, .nth = 2, .kind = FERRET_VS_INT, .width = 2, .value = 0xffff};
	static const int64_t deltas[] = {0, 1, -1};
	static const uint64_t want[] = {0x1122ffff, 0x11220000, 0x1122fffe};
	for (int d = 0; d < 3; d++) {
		assert_int_equal(vs_hint_apply(&s, &h, deltas[d], &out, arena, sizeof(arena)), 1);
		assert_int_equal(out.n, s.n);
		assert_int_equal(out.seed, s.seed);
		for (size_t i = 0; i < s.n; i++) {
			if (i == 4 * 2 + 2)
				assert_int_equal(out.rec[i].value, want[d]);
			else
				assert_true(val_eq(&s.rec[i], &out.rec[i]));
		}
	}
	struct vs_hint b = {.uid = 4, .nth = 1, .kind = FERRET_VS_BYTES, .len = 4, .off = 4};
	memcpy(b.bytes, "WXYZ", 4);
	assert_int_equal(vs_hint_apply(&s, &b, 0, &out, arena, sizeof(arena)), 1);
	assert_int_equal(out.rec[7].len, 8);
	assert_memory_equal(out.rec[7].bytes, "abcdWXYZ", 8);
	assert_memory_equal(out.rec[3].bytes, "abcdef", 6);
	/* no such value: a plain copy, 0 */
	struct vs_hint none = {.uid = 3, .nth = 9, .kind = FERRET_VS_INT, .width = 4};
	assert_int_equal(vs_hint_apply(&s, &none, 0, &out, arena, sizeof(arena)), 0);
	for (size_t i = 0; i < s.n; i++)
		assert_true(val_eq(&s.rec[i], &out.rec[i]));
	vs_release(&s);
	vs_release(&out);
}

/* With hints, VMUT_CMP happens, and a single-op VMUT_CMP result is the
 * stream with the hinted value set to the operand or the operand +-1. */
static void test_cmp_op(void **state)
{
	static struct vs_stream s, out;
	uint8_t ops[4];
	unsigned seen = 0, exact = 0;
	(void)state;
	loop_stream(&s, 4);
	struct vs_hint h = {
		.uid = 3, .nth = 1, .kind = FERRET_VS_INT, .width = 4, .value = 0xdeadbeef};
	for (uint64_t seed = 0; seed < 2000; seed++) {
		struct rng r;
		rng_seed(&r, seed);
		unsigned n = vmutate_hinted(&r, &s, NULL, &h, 1, &out, arena, sizeof(arena), ops);
		if (n != 1 || ops[0] != VMUT_CMP)
			continue;
		seen++;
		assert_int_equal(out.n, s.n);
		for (size_t i = 0; i < s.n; i++)
			if (i != 6)
				assert_true(val_eq(&s.rec[i], &out.rec[i]));
		uint64_t v = out.rec[6].value;
		assert_true(v == 0xdeadbeef || v == 0xdeadbef0 || v == 0xdeadbeee);
		exact += v == 0xdeadbeef;
	}
	assert_true(seen > 2000 / 30);
	assert_true(exact > seen / 3);
	vs_release(&s);
	vs_release(&out);
}

/*
 * VMUT_REPEAT on a loop's stream repeats whole iterations: a single-op
 * result is the input with a block of 1 or 2 iterations (starting at any
 * request, ending before the next request of its uid) inserted 1..64
 * more times right after itself, so every uid's values stay in step.
 * Every count 1..64 is reachable, and more than 8 copies happen.
 */
static void test_repeat_block(void **state)
{
	static struct vs_stream s, out;
	uint8_t ops[4];
	unsigned seen = 0, big = 0, max_k = 0;
	(void)state;
	loop_stream(&s, 3);
	for (uint64_t seed = 0; seed < 4000; seed++) {
		struct rng r;
		rng_seed(&r, seed);
		unsigned n = vmutate(&r, &s, NULL, &out, arena, sizeof(arena), ops);
		if (n != 1 || ops[0] != VMUT_REPEAT)
			continue;
		seen++;
		size_t added = out.n - s.n;
		int ok = 0;
		/* some block [b, e) of s, e the next request of b's uid (or
		 * the one after, or b + 1), repeated k times at e */
		for (size_t b = 0; b < s.n && !ok; b++)
			for (size_t e = b + 1; e <= s.n && !ok; e++) {
				size_t len = e - b;
				if (added % len ||
				    (e < s.n && s.rec[e].uid != s.rec[b].uid && e != b + 1))
					continue;
				int good = 1;
				for (size_t i = 0; i < out.n && good; i++) {
					size_t j = i < e           ? i
						   : i < e + added ? b + (i - e) % len
								   : i - added;
					good = val_eq(&out.rec[i], &s.rec[j]);
				}
				if (good) {
					ok = 1;
					unsigned k = (unsigned)(added / len);
					big += k > 8;
					max_k = k > max_k ? k : max_k;
				}
			}
		assert_true(ok);
	}
	assert_true(seen > 4000 / 5); /* a quarter of single ops, forced */
	assert_true(big > 0);
	assert_in_range(max_k, 33, 64);
	vs_release(&s);
	vs_release(&out);
}

/* The same rng state and input give the same output and ops. */
static void test_determinism(void **state)
{
	static struct sample in, oth;
	static struct vs_stream out1, out2;

	(void)state;
	for (uint64_t seed = 0; seed < 500; seed++) {
		struct rng g, r1, r2;
		uint8_t ops1[4], ops2[4];
		static uint8_t arena2[1 << 16];

		rng_seed(&g, seed);
		sample_make(&in, &g, NULL, 3, MAX_RECS);
		sample_make(&oth, &g, in.uids, 3, MAX_RECS);
		rng_seed(&r1, ~seed);
		rng_seed(&r2, ~seed);
		unsigned n1 = vmutate(&r1, &in.s, &oth.s, &out1, arena, sizeof(arena), ops1);
		unsigned n2 = vmutate(&r2, &in.s, &oth.s, &out2, arena2, sizeof(arena2), ops2);
		assert_int_equal(n1, n2);
		assert_memory_equal(ops1, ops2, n1);
		assert_int_equal(out1.seed, out2.seed);
		assert_int_equal(out1.n, out2.n);
		for (size_t i = 0; i < out1.n; i++)
			assert_true(val_eq(&out1.rec[i], &out2.rec[i]));
		assert_memory_equal(&r1, &r2, sizeof(r1));
		vs_release(&in.s);
		vs_release(&oth.s);
	}
	vs_release(&out1);
	vs_release(&out2);
}

/* Nothing to mutate: 0 ops, an empty result with a new non-zero seed. */
static void test_no_values(void **state)
{
	static struct sample full;
	struct vs_stream empty = {0}, names = {0}, out = {0};
	struct vs_record nm = {.uid = 5, .kind = FERRET_VS_NAME, .len = 3};
	struct rng g, r;
	uint8_t ops[4];

	(void)state;
	nm.bytes = (const uint8_t *)"x:1";
	assert_int_equal(vs_push(&names, &nm), 0);
	nm.uid = 6;
	assert_int_equal(vs_push(&names, &nm), 0);
	assert_int_equal(vs_values(&empty), 0);
	assert_int_equal(vs_values(&names), 0);
	rng_seed(&g, 3);
	for (uint64_t seed = 0; seed < 200; seed++) {
		/* out first holds an earlier result: it must be emptied */
		do
			sample_make(&full, &g, NULL, 2, 20);
		while (!vs_values(&full.s));
		rng_seed(&r, seed);
		assert_true(vmutate(&r, &full.s, NULL, &out, arena, sizeof(arena), ops) >= 1);

		rng_seed(&r, seed);
		assert_int_equal(vmutate(&r, &empty, NULL, &out, arena, sizeof(arena), ops), 0);
		assert_int_equal(out.n, 0);
		assert_int_not_equal(out.seed, 0);
		assert_int_equal(vmutate(&r, &names, &full.s, &out, arena, sizeof(arena), ops), 0);
		assert_int_equal(out.n, 0);
		assert_int_not_equal(out.seed, 0);
		vs_release(&full.s);
	}
	vs_release(&names);
	vs_release(&out);
}

/*
 * A splice from an other stream that holds no record at all: the chosen
 * uid ends up with the other's values for it (none) or, at most, keeps its
 * own; it never keeps only some of them.
 */
static void test_splice_empty_other(void **state)
{
	static struct vs_stream in, other, out; /* static: reachable if a check fails */
	unsigned splices = 0;

	(void)state;
	for (uint32_t k = 0; k < 5; k++) {
		struct vs_record a = {.uid = 11, .kind = FERRET_VS_INT, .value = 100 + k};
		struct vs_record b = {.uid = 22, .kind = FERRET_VS_INT, .value = 200 + k};
		assert_int_equal(vs_push(&in, &a), 0);
		assert_int_equal(vs_push(&in, &b), 0);
	}
	for (uint64_t seed = 0; seed < 3000; seed++) {
		struct rng r;
		uint8_t ops[4];
		rng_seed(&r, seed);
		unsigned n = vmutate(&r, &in, &other, &out, arena, sizeof(arena), ops);
		if (n != 1 || ops[0] != VMUT_SPLICE)
			continue;
		splices++;
		for (uint32_t uid = 11; uid <= 22; uid += 11) {
			size_t na = seq(&in, uid, 0, sa), nb = seq(&out, uid, 0, sb);
			assert_true(nb == 0 || seq_eq(sa, na, sb, nb));
		}
	}
	assert_true(splices > 0);
	vs_release(&in);
	vs_release(&out);
}

/*
 * The uid choice is weighted 1 + log2(count): with 1000 values for one uid
 * and 1 for another, the long one is picked about 10 times as often, not
 * 1000 times. Counted on single inserts and deletes, which always change
 * the uid they picked.
 */
static void test_uid_weight(void **state)
{
	struct vs_stream in = {0}, out = {0};
	size_t big = 0, small = 0;

	(void)state;
	for (uint32_t k = 0; k < 1000; k++) {
		struct vs_record a = {.uid = 0xb16, .kind = FERRET_VS_INT, .value = k};
		assert_int_equal(vs_push(&in, &a), 0);
		if (k == 500) {
			struct vs_record b = {.uid = 0x5, .kind = FERRET_VS_INT, .value = 1};
			assert_int_equal(vs_push(&in, &b), 0);
		}
	}
	struct rng r;
	rng_seed(&r, 12345);
	for (int i = 0; i < 40000; i++) {
		uint8_t ops[4];
		unsigned n = vmutate(&r, &in, NULL, &out, arena, sizeof(arena), ops);
		if (n != 1 || (ops[0] != VMUT_INSERT && ops[0] != VMUT_DELETE))
			continue;
		size_t nb = seq(&out, 0x5, 0, sb), nbig = seq(&out, 0xb16, 0, sa);
		if (nb != 1) {
			small++;
			assert_int_equal(nbig, 1000);
		} else {
			big++;
			assert_int_not_equal(nbig, 1000);
		}
	}
	assert_true(small > 100);
	double ratio = (double)big / (double)small;
	print_message("uid weight: %zu picks of the 1000-value uid, %zu of the 1-value uid "
		      "(ratio %.2f, expected ~10)\n",
		      big, small, ratio);
	assert_true(ratio < 12.0);
	assert_true(ratio > 5.0);
	vs_release(&in);
	vs_release(&out);
}

static void test_names(void **state)
{
	(void)state;
	for (unsigned op = 0; op < VMUT__COUNT; op++) {
		const char *name = vmut_name(op);
		assert_non_null(name);
		assert_true(strlen(name) > 0);
		assert_string_not_equal(name, "?");
		for (unsigned j = 0; j < op; j++)
			assert_string_not_equal(name, vmut_name(j));
	}
	assert_string_equal(vmut_name(VMUT_REPLACE), "replace");
	assert_string_equal(vmut_name(VMUT_SPLICE), "splice");
	assert_string_equal(vmut_name(VMUT__COUNT), "?");
	assert_string_equal(vmut_name(~0u), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_contract),
		cmocka_unit_test(test_bytes_in_arena),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_no_values),
		cmocka_unit_test(test_splice_empty_other),
		cmocka_unit_test(test_uid_weight),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_cmp_hints),
		cmocka_unit_test(test_hint_apply),
		cmocka_unit_test(test_cmp_op),
		cmocka_unit_test(test_repeat_block),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
