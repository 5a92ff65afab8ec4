/* Conformance (t5012): writes to its const input on an input starting with
 * 'W' (libFuzzer reports it; the saved input is the one before the write). */
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1 && data[0] == 'W')
		((uint8_t *)data)[1] = 'x';
	return 0;
}
