/* Conformance (t5012): a heap-buffer-overflow ASan reports, on an input
 * starting with 'A' of two bytes or more. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1 && data[0] == 'A') {
		volatile char *p = malloc(4);
		p[size] = 1;
		free((void *)p);
	}
	return 0;
}
