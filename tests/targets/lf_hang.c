/* libFuzzer harness with an easy hang: sleeps forever when the first byte
 * is 'H' (a timeout is measured by the clock: asleep, a hang costs the
 * tests no CPU), returns at once otherwise (for -timeout). */
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 1 && data[0] == 'H')
		for (;;)
			pause();
	return 0;
}
