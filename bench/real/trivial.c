/*
 * trivial.c - the smallest useful libFuzzer harness (bench/real.sh): almost
 * no work per input, so its exec/s is the cost of the fuzzing engine itself.
 */
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	if (n > 2 && d[0] == 'a')
		return 1;
	return 0;
}
