/* Test target (t5014): a harness that keeps, on every input starting with
 * 'H', one more 32-byte block in a global array: more allocated than freed
 * in the run, so libFuzzer mode's leak check runs the input a second time
 * (leaks.h), but every block stays reachable, so it is never a leak. The
 * second run hits the same counters again, and on its path the bytes after
 * the 'H' pick among a few branches: a leak check that let the second run's
 * counts into the first's would change which inputs are kept. The array
 * never fills within the test's runs. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#define HOARD (1u << 20)

static void *hoard[HOARD];
static size_t held;
static volatile unsigned sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0 || data[0] != 'H' || held == HOARD)
		return 0;
	hoard[held++] = malloc(32);
	for (size_t i = 1; i < size && i < 8; i++) {
		if (data[i] < 64)
			sink += 1;
		else if (data[i] < 128)
			sink += 2;
		else
			sink += 3;
	}
	return 0;
}
