/* Conformance (t5012): two crash sites. An input starting with "BUG!"
 * crashes in site_one; the input "BUG" alone, smaller, crashes in
 * site_two, a different bug, which -minimize_crash takes unless the
 * sanitizer names crashes (dedup_token_length). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

__attribute__((noinline)) static void site_one(void)
{
	*(volatile int *)0 = 1;
}

__attribute__((noinline)) static void site_two(void)
{
	*(volatile int *)8 = 2;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 4 && !memcmp(data, "BUG!", 4))
		site_one();
	if (size == 3 && !memcmp(data, "BUG", 3))
		site_two();
	return 0;
}
