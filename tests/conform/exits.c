/* Conformance (t5012): calls exit(3) on an input starting with 'E'. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size && data[0] == 'E')
		exit(3);
	return 0;
}
