/* Conformance (t5012): a harness without bugs, a few branches whose
 * coverage both engines count. */
#include <stddef.h>
#include <stdint.h>

volatile int conform_sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 0 && data[0] == 'a')
		conform_sink++;
	if (size > 1 && data[1] == 'b')
		conform_sink += 2;
	if (size > 2)
		conform_sink += 3;
	return 0;
}
