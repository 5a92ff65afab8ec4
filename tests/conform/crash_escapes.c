/* Conformance (t5012): traps on an input starting with "XY", whose unit
 * libFuzzer prints as hex and as text with its escapes. */
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 2 && data[0] == 'X' && data[1] == 'Y')
		__builtin_trap();
	return 0;
}
