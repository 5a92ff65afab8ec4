/* libFuzzer harness with LLVMFuzzerCustomMutator: it mutates through
 * LLVMFuzzerMutate and then forces byte 0 to 'Z', so every input the
 * custom mutator makes starts with 'Z'. The target has paths on the
 * second and third bytes (including a 32-bit compare an input-to-state
 * stage could solve without 'Z') and never crashes. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

static volatile unsigned sink;

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	(void)seed;
	size_t n = LLVMFuzzerMutate(data, size, max_size);
	if (n == 0 && max_size > 0)
		n = 1;
	data[0] = 'Z';
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 1 && data[0] == 'Q')
		sink += 1;
	if (size >= 2) {
		if (data[1] < 64)
			sink += 2;
		else if (data[1] < 128)
			sink += 3;
		else
			sink += 4;
	}
	if (size >= 3 && data[2] == 'x')
		sink += 5;
	if (size >= 8) {
		uint32_t v;
		memcpy(&v, data + 4, 4);
		if (v == 0xfeedf00du)
			sink += 6;
	}
	if (size > 16)
		sink += 7;
	return 0;
}
