/*
 * irmin.c - dead-code and common-subexpression elimination (irmin.h). Both
 * passes share compact(): delete the marked instructions and renumber the
 * operands through a map from old to new index. Programs are at most
 * IR_MAX_OPS (128) instructions, so CSE compares each instruction with the
 * kept ones by a linear scan: at most 8,128 four-byte compares per trim,
 * once per queue entry, against a target run per candidate.
 */
#include "irmin.h"

#include <string.h>

/* Deletes instructions i with keep[i] == 0; operands are first mapped
 * through map (old index -> old index of the replacement, map[i] == i when
 * not replaced) and then to the new positions. */
static size_t compact(struct ir_prog *p, const uint8_t *keep, const uint8_t *map)
{
	uint8_t pos[IR_MAX_OPS];
	size_t n = 0;
	for (size_t i = 0; i < p->n; i++) {
		pos[i] = (uint8_t)n;
		if (!keep[i])
			continue;
		struct ir_inst in = p->inst[i];
		if (!(ir_op_flags(in.op) & IR_IMM))
			for (unsigned k = 0; k < ir_op_arity(in.op); k++)
				in.arg[k] = pos[map[in.arg[k]]];
		p->inst[n++] = in;
	}
	size_t gone = p->n - n;
	p->n = n;
	return gone;
}

size_t ir_dce(struct ir_prog *p)
{
	uint8_t keep[IR_MAX_OPS], map[IR_MAX_OPS];
	unsigned uses[IR_MAX_OPS] = {0};
	for (size_t i = p->n; i-- > 0;) {
		const struct ir_inst *in = &p->inst[i];
		unsigned flags = ir_op_flags(in->op);
		map[i] = (uint8_t)i;
		keep[i] = (flags & IR_EFFECT) || uses[i] > 0;
		if (!keep[i] || (flags & IR_IMM))
			continue;
		for (unsigned k = 0; k < ir_op_arity(in->op); k++)
			uses[in->arg[k]]++;
	}
	return compact(p, keep, map);
}

/* The key CSE compares: op, operands renamed and (commutative) sorted,
 * and for a load the number of stores before it. Padding bytes stay 0. */
struct cse_key {
	uint8_t op, arg[3];
	unsigned epoch;
};

size_t ir_cse(struct ir_prog *p)
{
	uint8_t keep[IR_MAX_OPS], map[IR_MAX_OPS];
	struct cse_key key[IR_MAX_OPS];
	unsigned stores = 0;
	for (size_t i = 0; i < p->n; i++) {
		const struct ir_inst *in = &p->inst[i];
		unsigned flags = ir_op_flags(in->op);
		struct cse_key k = {in->op, {in->arg[0], in->arg[1], in->arg[2]}, 0};
		map[i] = (uint8_t)i;
		keep[i] = 1;
		if (!(flags & IR_IMM))
			for (unsigned j = 0; j < ir_op_arity(in->op); j++)
				k.arg[j] = map[in->arg[j]];
		if ((flags & IR_COMMUTATIVE) && k.arg[0] > k.arg[1]) {
			uint8_t t = k.arg[0];
			k.arg[0] = k.arg[1];
			k.arg[1] = t;
		}
		if (flags & IR_READS_MEM)
			k.epoch = stores;
		key[i] = k;
		if (in->op == IR_STORE)
			stores++;
		if (flags & IR_EFFECT)
			continue;
		for (size_t j = 0; j < i; j++) {
			if (keep[j] && key[j].op == k.op && !memcmp(key[j].arg, k.arg, 3) &&
			    key[j].epoch == k.epoch) {
				map[i] = (uint8_t)j;
				keep[i] = 0;
				break;
			}
		}
	}
	return compact(p, keep, map);
}

size_t ir_minimize(struct ir_prog *p)
{
	size_t gone = ir_dce(p);
	return gone + ir_cse(p);
}
