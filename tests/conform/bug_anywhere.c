/* Conformance (t5012): a NULL store when "BUG" occurs anywhere in the
 * input, so that a minimized crash is exactly "BUG" (-minimize_crash). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (size_t i = 0; i + 3 <= size; i++)
		if (!memcmp(data + i, "BUG", 3))
			*(volatile int *)0 = 1;
	return 0;
}
