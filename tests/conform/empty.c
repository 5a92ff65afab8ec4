/* Conformance (t5012): traps on the empty input only, which libFuzzer runs
 * first. */
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)data;
	if (size == 0)
		__builtin_trap();
	return 0;
}
