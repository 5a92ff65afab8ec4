/* Conformance (t5012): leaks 32 bytes on an input starting with 'L' (a
 * finding under ASan, -detect_leaks=1 being libFuzzer's default). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void *volatile conform_keep;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size && data[0] == 'L') {
		char *p = malloc(32);
		memcpy(p, data, size < 32 ? size : 32);
		conform_keep = p;
		conform_keep = NULL;
	}
	return 0;
}
