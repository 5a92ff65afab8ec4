/* Crashes (SIGSEGV) when the 12-byte keyword "FERRET-TOKEN" appears
 * anywhere in the input (stdin, up to 4 KiB); exit 0 otherwise. Each
 * 12-byte window is compared through a 64-bit FNV-1a hash, never byte by
 * byte, so compare feedback sees only hashes: neither input-to-state nor
 * the automatic dictionary can produce the keyword, a -x dictionary that
 * holds it can. */
#include <stdint.h>
#include <stdio.h>

#define KEY_LEN 12
/* FNV-1a 64 of "FERRET-TOKEN" */
#define KEY_HASH 0xdf904efc0c43ab71ull

static void crash(void)
{
	volatile int *volatile p = NULL;
	*p = 1; /* SIGSEGV */
}

static uint64_t fnv1a(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

int main(void)
{
	static unsigned char buf[4096];
	size_t n = fread(buf, 1, sizeof(buf), stdin);
	for (size_t i = 0; i + KEY_LEN <= n; i++)
		if (fnv1a(buf + i, KEY_LEN) == KEY_HASH)
			crash();
	return 0;
}
