/* Conformance (t5012): abort() in site_one on an input starting with
 * "BUG!", in site_two on "BUG" anywhere else, so that -minimize_crash ends
 * with exactly "BUG" (with no sanitizer: libFuzzer's deadly-signal report,
 * the same for both sites). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) static void site_one(void)
{
	abort();
}

__attribute__((noinline)) static void site_two(void)
{
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 4 && !memcmp(data, "BUG!", 4))
		site_one();
	for (size_t i = 0; i + 3 <= size; i++)
		if (!memcmp(data + i, "BUG", 3))
			site_two();
	return 0;
}
