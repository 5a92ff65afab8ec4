/* Crashes (SIGSEGV) when the first 4 bytes of the input, read little
 * endian, rotated left by 13 bits and xor-ed with a mask give 0x7e57ab1e.
 * The mask is a volatile load, so the compiler cannot fold the transform
 * into the constant: the compare sees rotl(x, 13) ^ mask against
 * 0x7e57ab1e, and neither operand is in the input, so input-to-state
 * cannot solve it (a plain xor would not do: with the constant written
 * into the input the compared operand becomes the answer, two steps).
 * Value profile can: the transform keeps the number of differing bits, so
 * each bit of x made right is one bit less of distance, a new counter.
 * Inputs shorter than 4 bytes take their own edge, so trimming keeps 4.
 * Persistent mode (FERRET_LOOP), for speed: value profile needs tens of
 * thousands of runs. Outside the fuzzer the loop runs once, on stdin. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <ferret.h>

static volatile uint32_t mask = 0x5a5a5a5au;
static volatile unsigned short_inputs;

static void crash(void)
{
	volatile int *volatile p = NULL;
	*p = 1; /* SIGSEGV */
}

__attribute__((noinline)) static void too_short(void)
{
	short_inputs++;
}

int main(void)
{
	while (FERRET_LOOP(10000)) {
		const unsigned char *buf = FERRET_TESTCASE_BUF;
		size_t len = FERRET_TESTCASE_LEN;
		uint32_t x;
		if (len < 4) {
			too_short();
			continue;
		}
		memcpy(&x, buf, 4);
		if ((((x << 13) | (x >> 19)) ^ mask) == 0x7e57ab1eu)
			crash();
	}
	return 0;
}
