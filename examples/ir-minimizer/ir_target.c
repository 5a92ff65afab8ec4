/*
 * ir_target.c - the fuzz target: decodes a program (ir.h), runs it with
 * ir_eval(), and performs its effects on a small machine, the only code
 * here that ferret-cc (or afl-clang-fast) instruments: ir.c is linked in
 * uninstrumented, as smite's IR runtime is, so the coverage a run leaves
 * is the sequence of effects and nothing else. That is what lets the
 * mutator's trim (DCE and CSE) be accepted: the minimized program leaves
 * the same map.
 *
 * The planted bug is in the machine's store. Addresses with a dependency
 * depth of at most 2 are "folded" and reduced modulo IR_MEM_WORDS;
 * deeper, computed addresses go through a run-time bounds check that is
 * off by one (> instead of >=). A store of a depth-3 address whose value
 * is exactly 64 writes the guard word and the machine aborts. So a crash
 * needs a dependency shape: a chain of three computations ending at 64.
 *
 * One source, two drivers (bench/ttfc.h does the same):
 *   no macro         main(): the program from the file argv[1], or stdin;
 *                    prints each effect ("emit 5", "store [3] = 7") and
 *                    "rejected: REASON" for bytes that do not decode
 *   -DIR_LIBFUZZER   LLVMFuzzerTestOneInput(), silent
 */
#include "ir.h"

#include <stdio.h>
#include <stdlib.h>

#ifdef IR_LIBFUZZER
#define TRACE(...)                                                                                 \
	do {                                                                                       \
	} while (0)
#else
#define TRACE(...) printf(__VA_ARGS__)
#endif

/* The machine: performs stores, shows emits. Its branches are the map. */
static void machine_effect(void *ctx, struct ir_mem *m, const struct ir_effect *e)
{
	(void)ctx;
	if (e->op == IR_EMIT) {
		TRACE("emit %lu\n", (unsigned long)e->value);
		return;
	}
	TRACE("store [%lu] = %lu\n", (unsigned long)e->addr, (unsigned long)e->value);
	switch (e->addr_depth) {
	case 0:
	case 1:
	case 2:
		/* folded address: reduced, always in range */
		m->word[e->addr % IR_MEM_WORDS] = e->value;
		return;
	default:
		break;
	}
	/* computed address: checked at run time */
	if (e->addr > IR_MEM_WORDS) { /* the planted bug: should be >= */
		TRACE("fault: address %lu out of range\n", (unsigned long)e->addr);
		return;
	}
	m->word[e->addr] = e->value;
	if (m->word[IR_MEM_WORDS] != IR_MEM_GUARD) {
		fflush(stdout);
		fprintf(stderr, "ir_target: store to word %lu overwrote the guard\n",
			(unsigned long)e->addr);
		abort();
	}
}

static void run(const uint8_t *d, size_t n)
{
	static struct ir_prog prog;
	struct ir_mem mem;
	int err = ir_decode(&prog, d, n, NULL);
	if (err) {
		TRACE("rejected: %s\n", ir_strerror(err));
		return;
	}
	ir_mem_init(&mem);
	ir_eval(&prog, &mem, machine_effect, NULL);
}

#ifdef IR_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	run(d, n);
	return 0;
}
#else
int main(int argc, char **argv)
{
	static uint8_t buf[IR_MAX_OPS * IR_INST_BYTES + 1];
	FILE *f = argc > 1 ? fopen(argv[1], "rb") : stdin;
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	/* One byte more than the longest program, so that too long is seen. */
	size_t n = fread(buf, 1, sizeof buf, f);
	if (f != stdin)
		fclose(f);
	run(buf, n);
	return 0;
}
#endif
