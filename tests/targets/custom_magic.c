/* Crashes (SIGSEGV) when the input (stdin, up to 4 KiB) starts with the
 * 16 bytes "CUSTOM-MUTATOR!!"; exit 0 otherwise. The prefix is compared
 * through a 64-bit FNV-1a hash, so compare feedback sees only hashes and
 * the built-in mutators practically never produce it: the test mutator
 * custom_mutator.c writes it. The first byte's high nibble picks one of
 * 16 blocks, so mutating that byte adds entries; inputs of 16 bytes or more take
 * the same path whatever their length (a trim to 16 bytes keeps it).
 * -DCUSTOM_MAGIC_LIBFUZZER: the same check as LLVMFuzzerTestOneInput. */
#include <stdint.h>
#include <stdio.h>

#define MAGIC_LEN 16
/* FNV-1a 64 of "CUSTOM-MUTATOR!!" */
#define MAGIC_HASH 0xcc360cb39072557full

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

static volatile int v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v13, v14, v15;

static void check(const unsigned char *buf, size_t n)
{
	if (!n)
		return;
	/* a volatile store per case: a block each, never a table of values */
	switch (buf[0] >> 4) {
	case 0:
		v0 = 1;
		break;
	case 1:
		v1 = 1;
		break;
	case 2:
		v2 = 1;
		break;
	case 3:
		v3 = 1;
		break;
	case 4:
		v4 = 1;
		break;
	case 5:
		v5 = 1;
		break;
	case 6:
		v6 = 1;
		break;
	case 7:
		v7 = 1;
		break;
	case 8:
		v8 = 1;
		break;
	case 9:
		v9 = 1;
		break;
	case 10:
		v10 = 1;
		break;
	case 11:
		v11 = 1;
		break;
	case 12:
		v12 = 1;
		break;
	case 13:
		v13 = 1;
		break;
	case 14:
		v14 = 1;
		break;
	default:
		v15 = 1;
		break;
	}
	if (n >= MAGIC_LEN && fnv1a(buf, MAGIC_LEN) == MAGIC_HASH)
		crash();
}

#ifdef CUSTOM_MAGIC_LIBFUZZER
int LLVMFuzzerTestOneInput(const unsigned char *d, size_t n);
int LLVMFuzzerTestOneInput(const unsigned char *d, size_t n)
{
	check(d, n);
	return 0;
}
#else
int main(void)
{
	static unsigned char buf[4096];
	check(buf, fread(buf, 1, sizeof(buf), stdin));
	return 0;
}
#endif
