/*
 * deque_bytes.c - the deque of examples/deque checked against the same model
 * as deque_test.c, but as a plain libFuzzer harness over raw bytes, decoded
 * FuzzedDataProvider-style, front to back: one byte picks the operation (mod 4: push
 * back, push front, pop back, pop front), a push takes its value from the
 * next 4 bytes (little endian; fewer at the end of the data), and the run
 * stops when the data runs out. abort() on any disagreement with the model.
 * Built by bench/structured.sh with ferret-cc -fsanitize=fuzzer and with
 * clang -fsanitize=fuzzer.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "deque.h"

/* One operation per byte at most, so the model never needs more than size
 * slots on either side of its middle. */
static uint32_t *model;
static size_t model_cap;

static uint32_t take_u32(const uint8_t **data, size_t *size)
{
	uint32_t v = 0;
	for (int i = 0; i < 4 && *size; i++, (*data)++, (*size)--)
		v |= (uint32_t)(**data) << (8 * i);
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (model_cap < 2 * size + 2) {
		free(model);
		model_cap = 2 * size + 2;
		model = malloc(model_cap * sizeof(*model));
		if (!model)
			abort();
	}
	size_t lo = model_cap / 2, hi = model_cap / 2;
	struct deque d;
	deque_init(&d);
	while (size) {
		uint8_t op = *data++;
		size--;
		uint32_t v;
		switch (op % 4) {
		case 0:
			v = take_u32(&data, &size);
			deque_push_back(&d, v);
			model[hi++] = v;
			break;
		case 1:
			v = take_u32(&data, &size);
			deque_push_front(&d, v);
			model[--lo] = v;
			break;
		case 2:
			if (hi > lo && deque_pop_back(&d) != model[--hi])
				abort();
			break;
		default:
			if (hi > lo && deque_pop_front(&d) != model[lo++])
				abort();
			break;
		}
		if (deque_len(&d) != hi - lo)
			abort();
	}
	while (hi > lo)
		if (deque_pop_front(&d) != model[lo++])
			abort();
	deque_free(&d);
	return 0;
}
