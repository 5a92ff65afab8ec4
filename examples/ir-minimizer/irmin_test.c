/*
 * irmin_test.c - unit tests (cmocka) of the IR (ir.c) and its minimizer
 * (irmin.c): DCE and CSE on hand-written programs, asserted exactly in the
 * text form; the decoder's rejections; and, over a few thousand random
 * programs from a fixed seed, that ir_minimize() keeps every effect and
 * its order, never grows a program, and is a fixed point.
 */
#include "ir.h"
#include "irmin.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

static struct ir_prog parse(const char *text)
{
	struct ir_prog p;
	size_t line;
	int rc = ir_parse(&p, text, &line);
	if (rc)
		fprintf(stderr, "cannot parse line %zu of:\n%s", line, text);
	assert_int_equal(rc, IR_OK);
	return p;
}

static void assert_prints(const struct ir_prog *p, const char *want)
{
	static char got[8192];
	ir_print(p, got, sizeof got);
	assert_string_equal(got, want);
	assert_int_equal(ir_check(p), IR_OK);
}

/* A dead chain of four collapses in one pass; the effects and what they
 * use stay, in order, renumbered. */
static void test_dce_chain(void **state)
{
	(void)state;
	struct ir_prog p = parse("v0 = const 1\n"
				 "v1 = const 2\n"
				 "v2 = add v0 v1\n" /* dead chain: v2..v5 */
				 "v3 = mul v2 v2\n"
				 "v4 = shl v3 v0\n"
				 "v5 = xor v4 v3\n"
				 "emit v1\n"
				 "v7 = const 9\n" /* dead */
				 "v8 = sub v1 v0\n"
				 "store v8 v1\n");
	assert_int_equal(ir_dce(&p), 5);
	assert_prints(&p, "v0 = const 1\n"
			  "v1 = const 2\n"
			  "emit v1\n"
			  "v3 = sub v1 v0\n"
			  "store v3 v1\n");
	assert_int_equal(ir_dce(&p), 0);
}

/* Without effects nothing is live. */
static void test_dce_no_effects(void **state)
{
	(void)state;
	struct ir_prog p = parse("v0 = const 1\nv1 = add v0 v0\nv2 = load v1\n");
	assert_int_equal(ir_dce(&p), 3);
	assert_int_equal(p.n, 0);
}

/* Commutative operands are sorted (add v1 v0 == add v0 v1), others not. */
static void test_cse_commutative(void **state)
{
	(void)state;
	struct ir_prog p = parse("v0 = const 3\n"
				 "v1 = const 4\n"
				 "v2 = add v0 v1\n"
				 "v3 = add v1 v0\n"
				 "v4 = sub v0 v1\n"
				 "v5 = sub v1 v0\n"
				 "emit v3\n"
				 "emit v4\n"
				 "emit v5\n");
	assert_int_equal(ir_cse(&p), 1);
	assert_prints(&p, "v0 = const 3\n"
			  "v1 = const 4\n"
			  "v2 = add v0 v1\n"
			  "v3 = sub v0 v1\n"
			  "v4 = sub v1 v0\n"
			  "emit v2\n"
			  "emit v3\n"
			  "emit v4\n");
}

/* Duplicates of duplicates merge in the same pass: the second const 5
 * merges with the first, so the second add (of the duplicate const) is
 * then a duplicate of the first add, and so on up the chain. */
static void test_cse_transitive(void **state)
{
	(void)state;
	struct ir_prog p = parse("v0 = const 5\n"
				 "v1 = const 7\n"
				 "v2 = add v0 v1\n"
				 "v3 = mul v2 v0\n"
				 "v4 = const 5\n"
				 "v5 = add v1 v4\n"
				 "v6 = mul v4 v5\n"
				 "store v3 v6\n");
	assert_int_equal(ir_cse(&p), 3);
	assert_prints(&p, "v0 = const 5\n"
			  "v1 = const 7\n"
			  "v2 = add v0 v1\n"
			  "v3 = mul v2 v0\n"
			  "store v3 v3\n");
}

/* Loads merge only with no store between them; effects never merge. */
static void test_cse_loads_and_effects(void **state)
{
	(void)state;
	struct ir_prog p = parse("v0 = const 2\n"
				 "v1 = load v0\n"
				 "v2 = load v0\n"
				 "store v0 v1\n"
				 "v4 = load v0\n"
				 "emit v2\n"
				 "emit v2\n"
				 "emit v4\n"
				 "store v0 v1\n");
	assert_int_equal(ir_cse(&p), 1);
	assert_prints(&p, "v0 = const 2\n"
			  "v1 = load v0\n"
			  "store v0 v1\n"
			  "v3 = load v0\n"
			  "emit v1\n"
			  "emit v1\n"
			  "emit v3\n"
			  "store v0 v1\n");
}

/* DCE then CSE on a bloated program: what the trim offers. */
static void test_minimize(void **state)
{
	(void)state;
	struct ir_prog p = parse("v0 = const 1\n"
				 "v1 = const 1\n"
				 "v2 = const 100\n"
				 "v3 = add v0 v2\n"
				 "v4 = add v2 v1\n"
				 "v5 = lt v3 v4\n" /* dead */
				 "v6 = select v5 v3 v4\n"
				 "v7 = xor v3 v4\n"
				 "emit v7\n"
				 "v9 = mul v6 v6\n" /* dead */
				 "store v4 v3\n");
	assert_int_equal(ir_minimize(&p), 5);
	assert_prints(&p, "v0 = const 1\n"
			  "v1 = const 100\n"
			  "v2 = add v0 v1\n"
			  "v3 = xor v2 v2\n"
			  "emit v3\n"
			  "store v2 v2\n");
	assert_int_equal(ir_minimize(&p), 0);
}

/* The decoder: the one encoding round-trips, everything else is rejected
 * with the first reason. */
static void test_decode(void **state)
{
	(void)state;
	struct ir_prog p;
	size_t valid;
	uint8_t ok[] = {IR_CONST, 5, 0, 0, IR_ADD, 0, 0, 0, IR_EMIT, 1, 0, 0};
	uint8_t out[sizeof ok];
	assert_int_equal(ir_decode(&p, ok, sizeof ok, &valid), IR_OK);
	assert_int_equal(valid, 3);
	assert_int_equal(ir_encode(&p, out), sizeof ok);
	assert_memory_equal(out, ok, sizeof ok);
	assert_int_equal(ir_decode(&p, ok, 0, &valid), IR_OK);
	assert_int_equal(ir_decode(&p, ok, 7, &valid), IR_ERR_LENGTH);
	assert_int_equal(valid, 1);

	uint8_t bad_op[] = {IR_CONST, 5, 0, 0, IR_OP_COUNT, 0, 0, 0};
	assert_int_equal(ir_decode(&p, bad_op, sizeof bad_op, &valid), IR_ERR_OPCODE);
	assert_int_equal(valid, 1);
	uint8_t forward[] = {IR_CONST, 5, 0, 0, IR_ADD, 0, 1, 0};
	assert_int_equal(ir_decode(&p, forward, sizeof forward, &valid), IR_ERR_OPERAND);
	uint8_t effect[] = {IR_CONST, 5, 0, 0, IR_EMIT, 0, 0, 0, IR_EMIT, 1, 0, 0};
	assert_int_equal(ir_decode(&p, effect, sizeof effect, &valid), IR_ERR_EFFECT);
	assert_int_equal(valid, 2);
	uint8_t padding[] = {IR_CONST, 5, 0, 0, IR_EMIT, 0, 0, 1};
	assert_int_equal(ir_decode(&p, padding, sizeof padding, &valid), IR_ERR_PADDING);
	uint8_t first[] = {IR_LOAD, 0, 0, 0};
	assert_int_equal(ir_decode(&p, first, sizeof first, &valid), IR_ERR_OPERAND);
	assert_int_equal(valid, 0);
}

/* --- random programs: the minimizer keeps the behaviour ------------------ */

struct trace {
	size_t n;
	struct ir_effect e[IR_MAX_OPS];
};

/* A correct machine: stores reduced modulo the memory size. */
static void record(void *ctx, struct ir_mem *m, const struct ir_effect *e)
{
	struct trace *t = ctx;
	t->e[t->n++] = *e;
	if (e->op == IR_STORE)
		m->word[e->addr % IR_MEM_WORDS] = e->value;
}

static void run(const struct ir_prog *p, struct trace *t)
{
	struct ir_mem m;
	memset(t, 0, sizeof *t);
	ir_mem_init(&m);
	ir_eval(p, &m, record, t);
}

static uint64_t rng = 1;

static unsigned next(unsigned n)
{
	rng = rng * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)((rng >> 33) % n);
}

/* A random well-formed program: few distinct constants and addresses, so
 * that duplicates and loads after stores are common. */
static void random_prog(struct ir_prog *p)
{
	p->n = 1 + next(IR_MAX_OPS);
	p->inst[0] = ir_const(next(4));
	for (size_t i = 1; i < p->n; i++) {
		unsigned op = next(IR_OP_COUNT);
		struct ir_inst in = {(uint8_t)op, {0, 0, 0}};
		if (op == IR_CONST) {
			in = ir_const(next(4));
		} else {
			for (unsigned k = 0; k < ir_op_arity(op); k++) {
				size_t v;
				do
					v = next((unsigned)i);
				while (!ir_has_value(p, v));
				in.arg[k] = (uint8_t)v;
			}
		}
		p->inst[i] = in;
	}
}

static void test_minimize_keeps_effects(void **state)
{
	(void)state;
	static struct ir_prog p, q;
	static struct trace before, after;
	size_t removed = 0, total = 0;
	for (int round = 0; round < 5000; round++) {
		random_prog(&p);
		assert_int_equal(ir_check(&p), IR_OK);
		q = p;
		removed += ir_minimize(&q);
		total += p.n;
		assert_int_equal(ir_check(&q), IR_OK);
		assert_true(q.n <= p.n);
		run(&p, &before);
		run(&q, &after);
		assert_int_equal(before.n, after.n);
		assert_memory_equal(before.e, after.e, before.n * sizeof before.e[0]);
		assert_int_equal(ir_minimize(&q), 0);
	}
	assert_true(removed > total / 4); /* the random programs do have dead code */
}

/* The text form round-trips through the printer and the parser. */
static void test_print_parse(void **state)
{
	(void)state;
	static struct ir_prog p, q;
	static char text[8192];
	for (int round = 0; round < 500; round++) {
		random_prog(&p);
		ir_print(&p, text, sizeof text);
		size_t line;
		assert_int_equal(ir_parse(&q, text, &line), IR_OK);
		assert_int_equal(q.n, p.n);
		assert_memory_equal(q.inst, p.inst, p.n * sizeof p.inst[0]);
	}
	size_t line;
	assert_int_equal(ir_parse(&q, "v0 = const 1\nv2 = add v0 v0\n", &line), -1);
	assert_int_equal(line, 2);
	assert_int_equal(ir_parse(&q, "const 1\nadd v0 v1\n", &line), -1);
	assert_int_equal(line, 2);
	assert_int_equal(ir_parse(&q, "const 1 # one\n\nemit v0\n", &line), IR_OK);
	assert_int_equal(q.n, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dce_chain),
		cmocka_unit_test(test_dce_no_effects),
		cmocka_unit_test(test_cse_commutative),
		cmocka_unit_test(test_cse_transitive),
		cmocka_unit_test(test_cse_loads_and_effects),
		cmocka_unit_test(test_minimize),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_minimize_keeps_effects),
		cmocka_unit_test(test_print_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
