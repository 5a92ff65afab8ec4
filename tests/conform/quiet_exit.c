/* Conformance (t5012): on an input starting with 'Q', takes the
 * sanitizers' crash state and calls exit(5): libFuzzer does not report
 * that exit (its exit hook cannot take the crash state), the code is 5. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int __sanitizer_acquire_crash_state(void);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size && data[0] == 'Q')
		exit(__sanitizer_acquire_crash_state() ? 5 : 6);
	return 0;
}
