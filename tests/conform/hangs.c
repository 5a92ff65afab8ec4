/* Conformance (t5012): hangs for ever on an input starting with 'H'
 * (asleep: both engines time a run by the clock; a spin would only cost
 * the test suite CPU). */
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size && data[0] == 'H')
		for (;;)
			pause();
	return 0;
}
