/*
 * ir_mutator.c - an AFL++ custom mutator (the C ABI of AFL++'s
 * include/afl-fuzz.h, loaded with AFL_CUSTOM_MUTATOR_LIBRARY by afl-fuzz
 * and by ferret fuzz) that mutates programs of the IR (ir.h) instead of
 * bytes, and whose trim is the IR minimizer (irmin.h).
 *
 * Every output it returns decodes: each mutation works on a struct
 * ir_prog, keeps operands pointing at earlier values, and the result is
 * checked with ir_check() before it is encoded. An input that does not
 * decode (byte-level havoc made it) is first repaired to its longest
 * well-formed prefix. The mutations are the table below; describe()
 * returns "ir:NAME" of the last one applied, which AFL++ puts at the end
 * of queue and crash file names.
 *
 * The trim is smite's trick: init_trim() runs DCE then CSE and offers the
 * result as the one and only candidate (it returns 1 step, post_trim()
 * returns 1, the fuzzer's loop `while (cur < max)` ends), or 0 steps when
 * the program is already minimal or does not decode. The fuzzer keeps the
 * candidate only if the target's map is unchanged, which it is, since the
 * effects are unchanged and only they are instrumented (ir_target.c).
 *
 * Not thread-safe: one struct irmut per afl_custom_init(), as AFL++ uses it.
 */
#include "ir.h"
#include "irmin.h"

#include <stdlib.h>
#include <string.h>

#define EXPORT __attribute__((visibility("default")))

#define MAX_STACK 4  /* mutations applied per fuzz() call: 1..MAX_STACK */
#define MAX_TRIES 16 /* attempts to find an applicable mutation */

struct irmut {
	uint64_t rng;
	struct ir_prog prog, other;
	uint8_t out[IR_MAX_OPS * IR_INST_BYTES];
	uint8_t trim_out[IR_MAX_OPS * IR_INST_BYTES];
	size_t trim_len;
	const char *desc;
};

/* xorshift64*: small, seeded from afl_custom_init's seed. */
static uint64_t rnd(struct irmut *m)
{
	m->rng ^= m->rng >> 12;
	m->rng ^= m->rng << 25;
	m->rng ^= m->rng >> 27;
	return m->rng * 0x2545f4914f6cdd1dull;
}

static size_t below(struct irmut *m, size_t n)
{
	return n ? (size_t)(rnd(m) % n) : 0;
}

/* A random value-producing instruction among p->inst[0..limit), or -1. */
static int pick_value(struct irmut *m, const struct ir_prog *p, size_t limit)
{
	size_t count = 0;
	for (size_t i = 0; i < limit; i++)
		count += ir_has_value(p, i);
	if (!count)
		return -1;
	size_t k = below(m, count);
	for (size_t i = 0; i < limit; i++)
		if (ir_has_value(p, i) && k-- == 0)
			return (int)i;
	return -1;
}

/* Opens a gap of `len` instructions at `at`: later operands that point at
 * or past `at` move up by len. The gap's contents are the caller's. */
static int open_gap(struct ir_prog *p, size_t at, size_t len)
{
	if (p->n + len > IR_MAX_OPS)
		return -1;
	memmove(&p->inst[at + len], &p->inst[at], (p->n - at) * sizeof p->inst[0]);
	p->n += len;
	for (size_t i = at + len; i < p->n; i++) {
		struct ir_inst *in = &p->inst[i];
		if (ir_op_flags(in->op) & IR_IMM)
			continue;
		for (unsigned k = 0; k < ir_op_arity(in->op); k++)
			if (in->arg[k] >= at)
				in->arg[k] = (uint8_t)(in->arg[k] + len);
	}
	return 0;
}

static const uint32_t interesting[] = {0, 1, 2, 3, 4, 7, 8, 16, 31, 32, 63, 64, 65, 127, 128, 255};

static uint32_t some_constant(struct irmut *m)
{
	switch (below(m, 3)) {
	case 0:
		return interesting[below(m, sizeof interesting / sizeof interesting[0])];
	case 1:
		return (uint32_t)below(m, 256);
	default:
		return (uint32_t)rnd(m) & IR_IMM_MAX;
	}
}

/* A random instruction that fits at `at`: operands among earlier values. */
static int random_inst(struct irmut *m, const struct ir_prog *p, size_t at, struct ir_inst *out)
{
	unsigned op = (unsigned)below(m, IR_OP_COUNT);
	if (op == IR_CONST || pick_value(m, p, at) < 0) {
		*out = ir_const(some_constant(m));
		return 0;
	}
	struct ir_inst in = {(uint8_t)op, {0, 0, 0}};
	for (unsigned k = 0; k < ir_op_arity(op); k++)
		in.arg[k] = (uint8_t)pick_value(m, p, at);
	*out = in;
	return 0;
}

/* ir:insert - a random instruction at a random place. */
static int mut_insert(struct irmut *m, struct ir_prog *p)
{
	size_t at = below(m, p->n + 1);
	struct ir_inst in;
	random_inst(m, p, at, &in);
	if (open_gap(p, at, 1))
		return -1;
	p->inst[at] = in;
	return 0;
}

/* An instruction with operands, picked at random, or -1. */
static int pick_user(struct irmut *m, const struct ir_prog *p)
{
	size_t count = 0;
	for (size_t i = 0; i < p->n; i++)
		count += !(ir_op_flags(p->inst[i].op) & IR_IMM);
	if (!count)
		return -1;
	size_t k = below(m, count);
	for (size_t i = 0; i < p->n; i++)
		if (!(ir_op_flags(p->inst[i].op) & IR_IMM) && k-- == 0)
			return (int)i;
	return -1;
}

/* ir:operand - one operand now names another earlier value. */
static int mut_operand(struct irmut *m, struct ir_prog *p)
{
	int i = pick_user(m, p);
	if (i < 0)
		return -1;
	struct ir_inst *in = &p->inst[i];
	in->arg[below(m, ir_op_arity(in->op))] = (uint8_t)pick_value(m, p, (size_t)i);
	return 0;
}

/* ir:const - a constant becomes an interesting, nearby or random value. */
static int mut_const(struct irmut *m, struct ir_prog *p)
{
	size_t count = 0;
	for (size_t i = 0; i < p->n; i++)
		count += p->inst[i].op == IR_CONST;
	if (!count)
		return -1;
	size_t k = below(m, count), i;
	for (i = 0; i < p->n; i++)
		if (p->inst[i].op == IR_CONST && k-- == 0)
			break;
	uint32_t v = ir_imm(&p->inst[i]);
	if (below(m, 2))
		v = some_constant(m);
	else
		v += (uint32_t)below(m, 17) - 8;
	p->inst[i] = ir_const(v & IR_IMM_MAX);
	return 0;
}

/* ir:opcode - a pure op becomes another pure op of the same arity. */
static int mut_opcode(struct irmut *m, struct ir_prog *p)
{
	int i = pick_user(m, p);
	if (i < 0)
		return -1;
	struct ir_inst *in = &p->inst[i];
	unsigned arity = ir_op_arity(in->op), flags = ir_op_flags(in->op);
	unsigned op = (unsigned)below(m, IR_OP_COUNT);
	if (ir_op_arity(op) != arity || (ir_op_flags(op) & (IR_IMM | IR_EFFECT)) ||
	    (flags & IR_EFFECT) || op == in->op)
		return -1;
	in->op = (uint8_t)op;
	return 0;
}

/* ir:delete - an instruction goes; its uses take one of its operands, or
 * another earlier value, and everything after it moves down by one. */
static int mut_delete(struct irmut *m, struct ir_prog *p)
{
	if (!p->n)
		return -1;
	size_t at = below(m, p->n);
	const struct ir_inst *gone = &p->inst[at];
	int repl = -1;
	if (ir_has_value(p, at)) {
		if (!(ir_op_flags(gone->op) & IR_IMM) && ir_op_arity(gone->op))
			repl = gone->arg[below(m, ir_op_arity(gone->op))];
		else
			repl = pick_value(m, p, at);
	}
	for (size_t i = at + 1; i < p->n; i++) {
		struct ir_inst *in = &p->inst[i];
		if (ir_op_flags(in->op) & IR_IMM)
			continue;
		for (unsigned k = 0; k < ir_op_arity(in->op); k++) {
			if (in->arg[k] == at) {
				if (repl < 0)
					return -1; /* a used value with nothing to stand in */
				in->arg[k] = (uint8_t)repl;
			}
		}
	}
	memmove(&p->inst[at], &p->inst[at + 1], (p->n - at - 1) * sizeof p->inst[0]);
	p->n--;
	for (size_t i = at; i < p->n; i++) {
		struct ir_inst *in = &p->inst[i];
		if (ir_op_flags(in->op) & IR_IMM)
			continue;
		for (unsigned k = 0; k < ir_op_arity(in->op); k++)
			if (in->arg[k] > at)
				in->arg[k]--;
	}
	return 0;
}

/* ir:wrap - a value used by some instruction is passed through a new
 * computation first: v -> op(v, w), w an earlier value or a fresh
 * constant. Lengthens dependency chains one step at a time. */
static int mut_wrap(struct irmut *m, struct ir_prog *p)
{
	int u = pick_user(m, p);
	if (u < 0 || p->n + 2 > IR_MAX_OPS)
		return -1;
	size_t k = below(m, ir_op_arity(p->inst[u].op));
	size_t at = (size_t)u;
	uint8_t v = p->inst[u].arg[k];
	static const uint8_t binops[] = {IR_ADD, IR_SUB, IR_MUL, IR_XOR, IR_AND, IR_SHL};
	struct ir_inst w = {binops[below(m, sizeof binops)], {v, 0, 0}};
	int other = pick_value(m, p, at);
	if (other < 0 || below(m, 2)) {
		/* a fresh constant, usually the op's identity */
		uint32_t c = w.op == IR_MUL ? 1 : w.op == IR_AND ? IR_IMM_MAX : 0;
		if (!below(m, 4))
			c = some_constant(m);
		open_gap(p, at, 2);
		p->inst[at] = ir_const(c);
		w.arg[1] = (uint8_t)at;
		p->inst[at + 1] = w;
		p->inst[at + 2].arg[k] = (uint8_t)(at + 1);
		return 0;
	}
	w.arg[1] = (uint8_t)other;
	open_gap(p, at, 1);
	p->inst[at] = w;
	p->inst[at + 1].arg[k] = (uint8_t)at;
	return 0;
}

/* ir:splice - instructions [s, e) of the other program (add_buf) go in at
 * a random place; their operands inside the range are relocated, those
 * before it name random earlier values here. */
static int mut_splice(struct irmut *m, struct ir_prog *p)
{
	const struct ir_prog *o = &m->other;
	if (!o->n)
		return -1;
	size_t s = below(m, o->n), e = s + 1 + below(m, o->n - s);
	size_t at = below(m, p->n + 1), len = e - s;
	if (p->n + len > IR_MAX_OPS)
		return -1;
	struct ir_prog q = *p;
	if (open_gap(&q, at, len))
		return -1;
	for (size_t i = 0; i < len; i++) {
		struct ir_inst in = o->inst[s + i];
		if (!(ir_op_flags(in.op) & IR_IMM)) {
			for (unsigned k = 0; k < ir_op_arity(in.op); k++) {
				if (in.arg[k] >= s) {
					in.arg[k] = (uint8_t)(at + in.arg[k] - s);
				} else {
					int v = pick_value(m, &q, at);
					if (v < 0)
						return -1;
					in.arg[k] = (uint8_t)v;
				}
			}
		}
		q.inst[at + i] = in;
	}
	*p = q;
	return 0;
}

#define MUTATIONS(X)                                                                               \
	X(insert, 4)                                                                               \
	X(operand, 3)                                                                              \
	X(const, 4)                                                                                \
	X(opcode, 2)                                                                               \
	X(delete, 2)                                                                               \
	X(wrap, 3)                                                                                 \
	X(splice, 1)

static const struct {
	const char *desc;
	int (*fn)(struct irmut *, struct ir_prog *);
	unsigned weight;
} mutations[] = {
#define ROW(name, weight) {"ir:" #name, mut_##name, weight},
	MUTATIONS(ROW)
#undef ROW
};
#define N_MUTATIONS (sizeof mutations / sizeof mutations[0])

static size_t pick_mutation(struct irmut *m)
{
	unsigned total = 0;
	for (size_t i = 0; i < N_MUTATIONS; i++)
		total += mutations[i].weight;
	unsigned r = (unsigned)below(m, total);
	for (size_t i = 0; i < N_MUTATIONS; i++) {
		if (r < mutations[i].weight)
			return i;
		r -= mutations[i].weight;
	}
	return 0;
}

/* Stacks 1..MAX_STACK mutations on m->prog; returns how many applied. */
static unsigned mutate(struct irmut *m)
{
	unsigned want = 1 + (unsigned)below(m, MAX_STACK), done = 0;
	for (unsigned t = 0; t < MAX_TRIES && done < want; t++) {
		size_t i = pick_mutation(m);
		struct ir_prog save = m->prog;
		if (mutations[i].fn(m, &m->prog) || ir_check(&m->prog)) {
			m->prog = save;
			continue;
		}
		m->desc = mutations[i].desc;
		done++;
	}
	return done;
}

EXPORT void *afl_custom_init(void *afl, unsigned int seed)
{
	(void)afl;
	struct irmut *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->rng = 0x9e3779b97f4a7c15ull ^ seed;
	m->rng = m->rng ? m->rng : 1;
	m->desc = "ir:none";
	return m;
}

EXPORT size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
			      uint8_t *add_buf, size_t add_buf_size, size_t max_size)
{
	struct irmut *m = data;
	ir_decode(&m->prog, buf, buf_size, NULL); /* keeps the valid prefix */
	m->other.n = 0;
	if (add_buf)
		ir_decode(&m->other, add_buf, add_buf_size, NULL);
	if (!mutate(m))
		return 0;
	size_t len = ir_encode(&m->prog, m->out);
	if (len > max_size)
		return 0;
	*out_buf = m->out;
	return len;
}

EXPORT const char *afl_custom_describe(void *data, size_t max_description_len)
{
	struct irmut *m = data;
	return strlen(m->desc) <= max_description_len ? m->desc : "ir";
}

EXPORT int32_t afl_custom_init_trim(void *data, uint8_t *buf, size_t buf_size)
{
	struct irmut *m = data;
	m->trim_len = 0;
	if (ir_decode(&m->prog, buf, buf_size, NULL) || !ir_minimize(&m->prog))
		return 0;
	m->trim_len = ir_encode(&m->prog, m->trim_out);
	return 1;
}

EXPORT size_t afl_custom_trim(void *data, uint8_t **out_buf)
{
	struct irmut *m = data;
	*out_buf = m->trim_out;
	return m->trim_len;
}

EXPORT int32_t afl_custom_post_trim(void *data, uint8_t success)
{
	(void)data;
	(void)success;
	return 1;
}

EXPORT void afl_custom_deinit(void *data)
{
	free(data);
}
