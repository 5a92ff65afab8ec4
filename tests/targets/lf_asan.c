/* libFuzzer harness for -fsanitize=fuzzer,address: a heap-buffer-overflow
 * write past a malloc(8) block when the input starts with "OV". Built
 * with -DLF_INPUT_OVERREAD it instead reads one byte past the input when
 * it starts with "RD", which ASan catches only if the driver hands the
 * target an exact-size heap copy, as libFuzzer does. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

static volatile uint8_t sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#ifdef LF_INPUT_OVERREAD
	if (size >= 2 && data[0] == 'R' && data[1] == 'D')
		sink = data[size]; /* one past the end */
#else
	if (size >= 2 && data[0] == 'O' && data[1] == 'V') {
		uint8_t *volatile p = malloc(8);
		p[8 + (size & 1)] = 1; /* heap-buffer-overflow */
		free(p);
	}
#endif
	return 0;
}
