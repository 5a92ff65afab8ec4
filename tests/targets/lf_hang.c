/* libFuzzer harness with an easy hang: loops forever when the first byte
 * is 'H', returns at once otherwise (for -timeout). */
#include <stddef.h>
#include <stdint.h>

static volatile unsigned long spin;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 1 && data[0] == 'H')
		for (;;)
			spin++;
	return 0;
}
