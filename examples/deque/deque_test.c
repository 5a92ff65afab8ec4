/*
 * deque_test.c - the deque checked against a simple model (an array with a
 * moving start and end), as a FERRET_TEST. Each step asks the Smith for an
 * operation and, for pushes, a value; the model must agree with the deque
 * after every step.
 *
 *   ferret-cc --fuzzer -o deque_test deque_test.c deque.c
 *   ./deque_test --fuzz deque_matches_model -V 60
 */
#include <ferret.h>

#include "deque.h"

#define MODEL (2 * 4096 + 8) /* eos ends every run within 4096 values */

FERRET_TEST(deque_matches_model, s)
{
	static uint32_t model[MODEL];
	size_t lo = MODEL / 2, hi = MODEL / 2;
	struct deque d;
	deque_init(&d);
	while (!ferret_eos(s)) {
		uint32_t v;
		switch (ferret_range(s, 0, 3)) {
		case 0:
			v = ferret_u32(s);
			deque_push_back(&d, v);
			model[hi++] = v;
			break;
		case 1:
			v = ferret_u32(s);
			deque_push_front(&d, v);
			model[--lo] = v;
			break;
		case 2:
			if (hi > lo)
				FERRET_ASSERT(deque_pop_back(&d) == model[--hi]);
			break;
		default:
			if (hi > lo)
				FERRET_ASSERT(deque_pop_front(&d) == model[lo++]);
			break;
		}
		FERRET_ASSERT(deque_len(&d) == hi - lo);
	}
	while (hi > lo)
		FERRET_ASSERT(deque_pop_front(&d) == model[lo++]);
	deque_free(&d);
}
