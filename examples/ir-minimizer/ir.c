/*
 * ir.c - the IR's encoding, text form and evaluator (ir.h). Owns the op
 * table (expanded from ir_ops.def) and the rules of well-formedness, kept
 * in ir_check_inst() alone so that the decoder, the assembler and the
 * mutator's and minimizer's asserts cannot disagree. It does not own what
 * an effect does: ir_eval() hands stores and emits to a callback (the
 * target's machine, or a test's recorder).
 */
#include "ir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	unsigned arity, flags;
} ops[IR_OP_COUNT] = {
#define IR_OP(NAME, name, arity, flags) [IR_##NAME] = {name, arity, flags},
#include "ir_ops.def"
#undef IR_OP
};

const char *ir_strerror(int err)
{
	switch (err) {
	case IR_OK:
		return "ok";
	case IR_ERR_LENGTH:
		return "length not a whole number of instructions, or too long";
	case IR_ERR_OPCODE:
		return "unknown opcode";
	case IR_ERR_OPERAND:
		return "operand out of range";
	case IR_ERR_EFFECT:
		return "operand names an effect";
	case IR_ERR_PADDING:
		return "unused operand byte not zero";
	}
	return "unknown error";
}

const char *ir_op_name(unsigned op)
{
	return ops[op].name;
}

unsigned ir_op_arity(unsigned op)
{
	return ops[op].arity;
}

unsigned ir_op_flags(unsigned op)
{
	return ops[op].flags;
}

uint32_t ir_imm(const struct ir_inst *in)
{
	return in->arg[0] | (uint32_t)in->arg[1] << 8 | (uint32_t)in->arg[2] << 16;
}

struct ir_inst ir_const(uint32_t imm)
{
	struct ir_inst in = {IR_CONST, {imm & 0xff, (imm >> 8) & 0xff, (imm >> 16) & 0xff}};
	return in;
}

int ir_has_value(const struct ir_prog *p, size_t i)
{
	return !(ops[p->inst[i].op].flags & IR_EFFECT);
}

/* Instruction i of p, given that instructions 0..i-1 are well formed. */
static int ir_check_inst(const struct ir_prog *p, size_t i)
{
	const struct ir_inst *in = &p->inst[i];
	if (in->op >= IR_OP_COUNT)
		return IR_ERR_OPCODE;
	if (ops[in->op].flags & IR_IMM)
		return IR_OK;
	unsigned arity = ops[in->op].arity;
	for (unsigned k = 0; k < arity; k++) {
		if (in->arg[k] >= i)
			return IR_ERR_OPERAND;
		if (!ir_has_value(p, in->arg[k]))
			return IR_ERR_EFFECT;
	}
	for (unsigned k = arity; k < 3; k++)
		if (in->arg[k] != 0)
			return IR_ERR_PADDING;
	return IR_OK;
}

int ir_check(const struct ir_prog *p)
{
	if (p->n > IR_MAX_OPS)
		return IR_ERR_LENGTH;
	for (size_t i = 0; i < p->n; i++) {
		int err = ir_check_inst(p, i);
		if (err)
			return err;
	}
	return IR_OK;
}

int ir_decode(struct ir_prog *p, const uint8_t *d, size_t n, size_t *valid)
{
	int err = IR_OK;
	size_t whole = n / IR_INST_BYTES;
	if (n % IR_INST_BYTES || whole > IR_MAX_OPS)
		err = IR_ERR_LENGTH;
	if (whole > IR_MAX_OPS)
		whole = IR_MAX_OPS;
	p->n = 0;
	for (size_t i = 0; i < whole; i++) {
		memcpy(&p->inst[i], d + i * IR_INST_BYTES, IR_INST_BYTES);
		int e = ir_check_inst(p, i);
		if (e) {
			err = e;
			break;
		}
		p->n = i + 1;
	}
	if (valid)
		*valid = p->n;
	return err;
}

size_t ir_encode(const struct ir_prog *p, uint8_t *out)
{
	for (size_t i = 0; i < p->n; i++)
		memcpy(out + i * IR_INST_BYTES, &p->inst[i], IR_INST_BYTES);
	return p->n * IR_INST_BYTES;
}

/* snprintf into out[*len..cap), advancing *len by what was needed. */
#define APPEND(out, cap, len, ...)                                                                 \
	do {                                                                                       \
		size_t room_ = *(len) < (cap) ? (cap) - *(len) : 0;                                \
		int k_ = snprintf(room_ ? (out) + *(len) : NULL, room_, __VA_ARGS__);              \
		*(len) += k_ > 0 ? (size_t)k_ : 0;                                                 \
	} while (0)

size_t ir_print(const struct ir_prog *p, char *out, size_t cap)
{
	size_t len = 0;
	if (cap)
		out[0] = '\0';
	for (size_t i = 0; i < p->n; i++) {
		const struct ir_inst *in = &p->inst[i];
		if (ir_has_value(p, i))
			APPEND(out, cap, &len, "v%zu = ", i);
		APPEND(out, cap, &len, "%s", ops[in->op].name);
		if (ops[in->op].flags & IR_IMM)
			APPEND(out, cap, &len, " %lu", (unsigned long)ir_imm(in));
		else
			for (unsigned k = 0; k < ops[in->op].arity; k++)
				APPEND(out, cap, &len, " v%u", in->arg[k]);
		APPEND(out, cap, &len, "\n");
	}
	return len;
}

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	return s;
}

/* Parses one line (without its newline) into p->inst[p->n]; 0 or -1. */
static int parse_line(struct ir_prog *p, const char *s, const char *end)
{
	char buf[128];
	size_t n = (size_t)(end - s);
	if (n >= sizeof buf)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	char *hash = strchr(buf, '#');
	if (hash)
		*hash = '\0';
	const char *c = skip_blanks(buf);
	if (*c == '\0')
		return 1; /* blank */
	if (p->n == IR_MAX_OPS)
		return -1;
	if (*c == 'v' && strchr(c, '=')) {
		char *e;
		unsigned long idx = strtoul(c + 1, &e, 10);
		if (e == c + 1 || idx != p->n)
			return -1;
		c = skip_blanks(e);
		if (*c != '=')
			return -1;
		c = skip_blanks(c + 1);
	}
	struct ir_inst in = {0, {0, 0, 0}};
	unsigned op;
	for (op = 0; op < IR_OP_COUNT; op++) {
		size_t len = strlen(ops[op].name);
		if (!strncmp(c, ops[op].name, len) && (c[len] == ' ' || c[len] == '\t' || !c[len]))
			break;
	}
	if (op == IR_OP_COUNT)
		return -1;
	in.op = (uint8_t)op;
	c += strlen(ops[op].name);
	unsigned want = ops[op].flags & IR_IMM ? 1 : ops[op].arity;
	for (unsigned k = 0; k < want; k++) {
		c = skip_blanks(c);
		char *e;
		if (ops[op].flags & IR_IMM) {
			unsigned long v = strtoul(c, &e, 0);
			if (e == c || v > IR_IMM_MAX)
				return -1;
			in = ir_const((uint32_t)v);
		} else {
			if (*c != 'v')
				return -1;
			unsigned long v = strtoul(c + 1, &e, 10);
			if (e == c + 1 || v > 255)
				return -1;
			in.arg[k] = (uint8_t)v;
		}
		c = e;
	}
	if (*skip_blanks(c) != '\0')
		return -1;
	p->inst[p->n++] = in;
	return ir_check_inst(p, p->n - 1) ? -1 : 0;
}

int ir_parse(struct ir_prog *p, const char *text, size_t *line)
{
	p->n = 0;
	*line = 0;
	while (*text) {
		const char *end = strchr(text, '\n');
		if (!end)
			end = text + strlen(text);
		++*line;
		if (parse_line(p, text, end) < 0)
			return -1;
		text = *end ? end + 1 : end;
	}
	return IR_OK;
}

void ir_mem_init(struct ir_mem *m)
{
	for (uint32_t i = 0; i < IR_MEM_WORDS; i++)
		m->word[i] = i * 0x9e3779b9u;
	m->word[IR_MEM_WORDS] = IR_MEM_GUARD;
}

void ir_eval(const struct ir_prog *p, struct ir_mem *m, ir_effect_fn *fn, void *ctx)
{
	uint32_t v[IR_MAX_OPS];
	unsigned depth[IR_MAX_OPS];
	for (size_t i = 0; i < p->n; i++) {
		const struct ir_inst *in = &p->inst[i];
		unsigned arity = ops[in->op].arity;
		uint32_t x[3] = {0, 0, 0};
		unsigned d = 0;
		for (unsigned k = 0; k < arity; k++) {
			x[k] = v[in->arg[k]];
			if (depth[in->arg[k]] > d)
				d = depth[in->arg[k]];
		}
		uint32_t a = x[0], b = x[1], c = x[2];
		depth[i] = d + 1;
		switch (in->op) {
		case IR_CONST:
			v[i] = ir_imm(in);
			depth[i] = 0;
			break;
		case IR_ADD:
			v[i] = a + b;
			break;
		case IR_SUB:
			v[i] = a - b;
			break;
		case IR_MUL:
			v[i] = a * b;
			break;
		case IR_XOR:
			v[i] = a ^ b;
			break;
		case IR_AND:
			v[i] = a & b;
			break;
		case IR_SHL:
			v[i] = a << (b & 31);
			break;
		case IR_LT:
			v[i] = a < b;
			break;
		case IR_SELECT:
			v[i] = a ? b : c;
			break;
		case IR_LOAD:
			v[i] = m->word[a % IR_MEM_WORDS];
			depth[i] = 0;
			break;
		case IR_STORE:
		case IR_EMIT: {
			struct ir_effect e = {in->op, in->op == IR_STORE ? a : 0,
					      in->op == IR_STORE ? b : a,
					      in->op == IR_STORE ? depth[in->arg[0]] : 0};
			v[i] = 0;
			depth[i] = 0;
			fn(ctx, m, &e);
			break;
		}
		}
	}
}
