/* Conformance (t5012): spins for ever on an input starting with 'H'. */
#include <stddef.h>
#include <stdint.h>

static volatile unsigned long spin;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size && data[0] == 'H')
		for (;;)
			spin++;
	return 0;
}
