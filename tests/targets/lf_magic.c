/* libFuzzer harness (C) with a planted crash: SIGSEGV when the input is
 * "FUZ" followed by the 32-bit little-endian magic 0x1badb002. The
 * prefix bytes are checked one by one (so NEW lines appear on the way)
 * and the magic as one 32-bit compare (input-to-state solves it). Built
 * with -DLF_NO_CRASH it never crashes: the -runs/DONE harness. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static void crash(void)
{
	volatile int *volatile p = NULL;
	*p = 1; /* SIGSEGV */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 7 || data[0] != 'F')
		return 0;
	if (data[1] != 'U')
		return 0;
	if (data[2] != 'Z')
		return 0;
	uint32_t magic;
	memcpy(&magic, data + 3, 4);
	if (magic == 0x1badb002u) {
#ifndef LF_NO_CRASH
		crash();
#endif
	}
	return 0;
}
