/* Conformance (t5012): prints a line per run on stdout, which must reach a
 * pipe or a file (the worker leaves with _exit). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)data;
	printf("printed %zu\n", size);
	return 0;
}
