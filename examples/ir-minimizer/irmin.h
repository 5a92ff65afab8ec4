/*
 * irmin.h - the IR minimizer: dead-code elimination and common-subexpression
 * elimination, the custom trim of ir_mutator.c. Pure functions over struct
 * ir_prog (ir.h): no I/O, no allocation, in place.
 *
 * Both passes keep the observable behaviour: the same effects (stores and
 * emits) with the same operand values, addresses and address depths, in
 * the same order. Neither reorders instructions; both only delete them and
 * renumber the operands of the ones that stay. Each runs in one pass, and
 * after ir_dce() then ir_cse() the program is a fixed point of both
 * (irmin_test.c asserts it).
 */
#ifndef IRMIN_H
#define IRMIN_H

#include "ir.h"

/*
 * Dead-code elimination: keeps the effects and every instruction an effect
 * depends on, transitively, and deletes the rest. One walk from the last
 * instruction back to the first, counting uses by live instructions only:
 * operands always precede their user, so when the walk reaches an
 * instruction all its possible users have been decided, and a dead chain
 * of any length collapses in that single pass. Returns how many
 * instructions were deleted. p must be well formed.
 */
size_t ir_dce(struct ir_prog *p);

/*
 * Common-subexpression elimination: an instruction that computes what an
 * earlier kept one computes is deleted and its uses point at the earlier
 * one. Two instructions compute the same when they have the same op and
 * the same operands after renaming (sorted for commutative ops; the same
 * immediate for consts; for loads, also the same number of stores before
 * them). Renaming happens before comparing, so duplicates of duplicates
 * merge in the same forward pass. Effects are never merged. Returns how
 * many instructions were deleted. p must be well formed.
 */
size_t ir_cse(struct ir_prog *p);

/* ir_dce() then ir_cse(): what the trim offers. Returns the instructions
 * deleted in all. */
size_t ir_minimize(struct ir_prog *p);

#endif
