/* libFuzzer harness that crashes (SIGSEGV) when the 12-byte token
 * "XYZZY-PLUGH!" appears anywhere in the input. Each 12-byte window is
 * compared through a 64-bit FNV-1a hash, never byte by byte, so neither
 * coverage nor compare feedback leads to it: only a -dict file holding
 * the token does. */
#include <stddef.h>
#include <stdint.h>

#define KEY_LEN 12
#define KEY_HASH 0x3766fdac6221e3afull /* FNV-1a 64 of "XYZZY-PLUGH!" */

static uint64_t fnv1a(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (size_t i = 0; i + KEY_LEN <= size; i++)
		if (fnv1a(data + i, KEY_LEN) == KEY_HASH) {
			volatile int *volatile p = NULL;
			*p = 1; /* SIGSEGV */
		}
	return 0;
}
