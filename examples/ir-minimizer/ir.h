/*
 * ir.h - a tiny program IR: its operations (ir_ops.def), its byte encoding,
 * its text form and its evaluator. Pure code: no I/O, no globals, no
 * allocation; the printer and the assembler work on caller buffers.
 *
 * A program is a list of at most IR_MAX_OPS instructions. Instruction i
 * computes value vi from earlier values only (operands name instructions
 * < i), so a program is always in dependency order and has no loops. The
 * two effects, store and emit, compute no value and may not be operands;
 * they are what a run does, in program order. Everything else is pure,
 * except that load reads the memory that earlier stores wrote.
 *
 * The encoding is four bytes per instruction: opcode, then three operand
 * bytes. A const keeps its 24-bit immediate in them (little-endian); any
 * other op keeps operand indices in its first `arity` bytes, and the bytes
 * past its arity must be 0. ir_decode() accepts exactly the byte strings
 * that encode a program and rejects every other one, in one pass, with the
 * first reason found, so encode(decode(b)) == b: every program has one
 * encoding. A byte-level cut of four bytes deletes one instruction and
 * shifts the indices of everything after it, which is why byte-level
 * trimming cannot shrink these programs and ir_minimize() (irmin.h) can.
 *
 * This file is deliberately not instrumented in the target (see the
 * README): only the effects reach instrumented code, so dead or duplicate
 * instructions leave the coverage map unchanged.
 */
#ifndef IR_H
#define IR_H

#include <stddef.h>
#include <stdint.h>

#define IR_MAX_OPS 128           /* instructions per program; operand indices fit a byte */
#define IR_INST_BYTES 4          /* opcode + three operand bytes */
#define IR_MEM_WORDS 64          /* words of memory a program can load and store */
#define IR_MEM_GUARD 0xfeedfaceu /* the guard word's value (struct ir_mem) */
#define IR_IMM_MAX 0xffffffu     /* a const's immediate is 24 bits */

enum ir_op {
#define IR_OP(NAME, name, arity, flags) IR_##NAME,
#include "ir_ops.def"
#undef IR_OP
	IR_OP_COUNT
};

enum ir_flags {
	IR_IMM = 1u << 0,         /* the operand bytes are an immediate, not indices */
	IR_COMMUTATIVE = 1u << 1, /* op(a, b) == op(b, a): CSE sorts the operands */
	IR_EFFECT = 1u << 2,      /* observable; computes no value; never removed */
	IR_READS_MEM = 1u << 3,   /* result depends on the stores before it */
};

struct ir_inst {
	uint8_t op;     /* enum ir_op */
	uint8_t arg[3]; /* operand indices, or the immediate (IR_IMM) */
};

struct ir_prog {
	size_t n;
	struct ir_inst inst[IR_MAX_OPS];
};

/* What decoding can reject, in the order ir_decode() checks. */
enum ir_err {
	IR_OK = 0,
	IR_ERR_LENGTH = -1,  /* length not a multiple of 4, or more than IR_MAX_OPS */
	IR_ERR_OPCODE = -2,  /* opcode >= IR_OP_COUNT */
	IR_ERR_OPERAND = -3, /* operand names this or a later instruction */
	IR_ERR_EFFECT = -4,  /* operand names a store or an emit (no value) */
	IR_ERR_PADDING = -5, /* a byte past the op's arity is not 0 */
};

/* The name of an ir_err ("operand out of range"...). */
const char *ir_strerror(int err);

/* The row of ir_ops.def for op (op < IR_OP_COUNT). */
const char *ir_op_name(unsigned op);
unsigned ir_op_arity(unsigned op);
unsigned ir_op_flags(unsigned op);

/* The immediate of a const, and the instruction holding one. */
uint32_t ir_imm(const struct ir_inst *in);
struct ir_inst ir_const(uint32_t imm);

/* 1 when instruction i of p produces a value (is not an effect). */
int ir_has_value(const struct ir_prog *p, size_t i);

/*
 * Decodes d[0..n) into *p. Returns IR_OK, or a negative ir_err; either way
 * *valid (if not NULL) is the number of leading instructions that are
 * well formed on their own, and p holds them: the mutator repairs a broken
 * input by keeping that prefix. Reads each byte once.
 */
int ir_decode(struct ir_prog *p, const uint8_t *d, size_t n, size_t *valid);

/* Writes p's encoding into out (room for IR_MAX_OPS * 4 bytes); returns its
 * length, p->n * 4. p must be well formed (ir_check). */
size_t ir_encode(const struct ir_prog *p, uint8_t *out);

/* IR_OK when p is well formed (what ir_decode would accept), else the
 * first ir_err; the mutator and the minimizer assert it on their output. */
int ir_check(const struct ir_prog *p);

/*
 * The text form, one instruction a line: "v3 = add v1 v2", "v0 = const 7",
 * "store v3 v5", "emit v4". Values are named by their position, so the
 * index of an effect is skipped. ir_print writes at most cap bytes into
 * out (always NUL-terminated when cap > 0) and returns the length it
 * needed, as snprintf does.
 */
size_t ir_print(const struct ir_prog *p, char *out, size_t cap);

/*
 * Reads the text form back. Blank lines and text after '#' are ignored;
 * "vN =" prefixes are optional but, when present, N must be the line's
 * position. Returns IR_OK, or -1 with *line set to the 1-based line that
 * does not parse (or whose operands ir_check rejects).
 */
int ir_parse(struct ir_prog *p, const char *text, size_t *line);

/* The memory of a run: IR_MEM_WORDS words and one guard word past them,
 * which holds IR_MEM_GUARD until something writes one word too far. */
struct ir_mem {
	uint32_t word[IR_MEM_WORDS + 1];
};

/* Clears a memory to its initial state: word i = i * 0x9e3779b9, guard set. */
void ir_mem_init(struct ir_mem *m);

/* One effect, as the evaluator hands it to the machine. */
struct ir_effect {
	unsigned op;         /* IR_STORE or IR_EMIT */
	uint32_t addr;       /* store: the address operand's value (not reduced) */
	uint32_t value;      /* the stored or emitted value */
	unsigned addr_depth; /* store: the address's dependency depth (ir_eval) */
};

typedef void ir_effect_fn(void *ctx, struct ir_mem *m, const struct ir_effect *e);

/*
 * Runs p, calling fn for each effect in program order; fn performs the
 * store (the evaluator never writes memory). Values are uint32_t with
 * wrap-around; shl shifts by b & 31; lt is a < b (unsigned) as 0 or 1;
 * select is a ? b : c; load reads word[a % IR_MEM_WORDS]. The depth of a
 * const or a load is 0 and of any other value 1 + the largest depth of
 * its operands: the length of the longest chain of computation behind
 * it, which DCE and CSE never change. p must be well formed.
 */
void ir_eval(const struct ir_prog *p, struct ir_mem *m, ir_effect_fn *fn, void *ctx);

#endif
