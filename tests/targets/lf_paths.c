/* libFuzzer harness that never crashes (unless built with
 * -DLF_CRASH_WORD): a handful of paths picked by the first byte's class,
 * the second byte (one branch on the non-ASCII byte 0xc3) and the length,
 * so corpora grow and merges have redundancy to remove. An input starting
 * with 'P' prints a line on stdout (for -close_fd_mask). With
 * -DLF_CRASH_WORD, an input starting with "CRASH" gets SIGSEGV. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static volatile unsigned sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#ifdef LF_CRASH_WORD
	if (size >= 5 && !memcmp(data, "CRASH", 5)) {
		volatile int *volatile p = NULL;
		*p = 1; /* SIGSEGV */
	}
#endif
	if (!size)
		return 0;
	uint8_t c = data[0];
	if (c == 'P') {
		printf("HARNESS-STDOUT: input of %zu bytes\n", size);
		fflush(stdout);
	}
	if (c >= '0' && c <= '9')
		sink += 1;
	else if (c >= 'A' && c <= 'Z')
		sink += 2;
	else if (c >= 'a' && c <= 'z')
		sink += 3;
	else if (c == ' ' || c == '\n')
		sink += 4;
	else
		sink += 5;
	if (size >= 2) {
		if (data[1] == 0xc3)
			sink += 6;
		else if (data[1] == '=')
			sink += 7;
	}
	if (size > 8)
		sink += 8;
	if (size > 64)
		sink += 9;
	return 0;
}
