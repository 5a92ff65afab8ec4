/*
 * cmin_branches.c - for `ferret cmin` (t4002): three independent byte
 * checks ("abc" at offsets 0-2), a loop run as many times as the digit at
 * offset 3 says (so "xxx2" and "xxx4" take the same edges in other hit-count
 * buckets), SIGSEGV when the input starts with '!', a hang when it starts
 * with 'H'. Inputs shorter than 4 bytes do nothing and bytes after the
 * fourth are ignored. Reads stdin, or the file argv[1]; with
 * -DCMIN_LIBFUZZER it is a libFuzzer harness.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

static volatile unsigned sink;

static void check(const uint8_t *d, size_t n)
{
	if (n < 4)
		return;
	if (d[0] == '!') {
		volatile int *volatile p = NULL;
		*p = 1; /* SIGSEGV */
	}
	while (d[0] == 'H')
		sink++;
	if (d[0] == 'a')
		sink += 1;
	if (d[1] == 'b')
		sink += 2;
	if (d[2] == 'c')
		sink += 3;
	int k = d[3] >= '0' && d[3] <= '9' ? d[3] - '0' : 0;
	for (int i = 0; i < k; i++)
		sink += (unsigned)i;
}

#ifdef CMIN_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check(data, size);
	return 0;
}
#else
int main(int argc, char **argv)
{
	static uint8_t buf[4096];
	FILE *f = argc > 1 ? fopen(argv[1], "rb") : stdin;
	if (!f)
		return 1;
	size_t n = fread(buf, 1, sizeof(buf), f);
	check(buf, n);
	return 0;
}
#endif
