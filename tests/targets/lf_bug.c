/* libFuzzer harness that crashes (SIGSEGV) when the byte sequence "BUG"
 * appears anywhere in the input (for -minimize_crash). */
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (size_t i = 0; i + 3 <= size; i++)
		if (data[i] == 'B' && data[i + 1] == 'U' && data[i + 2] == 'G') {
			volatile int *volatile p = NULL;
			*p = 1; /* SIGSEGV */
		}
	return 0;
}
