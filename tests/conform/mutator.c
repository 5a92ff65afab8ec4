/* Conformance (t5012): a harness with its own LLVMFuzzerCustomMutator
 * (libFuzzer says it found it and turns -len_control off by default). */
#include <stddef.h>
#include <stdint.h>

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

volatile int conform_sink;

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	(void)seed;
	return LLVMFuzzerMutate(data, size, max_size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 0 && data[0] == 'm')
		conform_sink++;
	return 0;
}
