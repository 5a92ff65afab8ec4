/*
 * large_test.c - ferret's side of the "list with a large element" bug of
 * bench/hypothesis/large.py: a list of 32-bit ints (drawn whole, then
 * checked, as the Python test gets its list) fails when any element is
 * 1000 or more. The minimal failure is one element, 1000.
 *
 *   ferret-cc --fuzzer -o large_test large_test.c
 *   ./large_test --fuzz list_has_no_large_element -seed=1
 */
#include <ferret.h>

#define MAX_LEN 4096 /* eos ends every run within 4096 values */

FERRET_TEST(list_has_no_large_element, s)
{
	static int32_t xs[MAX_LEN];
	size_t n = 0;
	while (n < MAX_LEN && !ferret_eos_l(s, "end"))
		xs[n++] = ferret_i32_l(s, "elem");
	for (size_t i = 0; i < n; i++)
		FERRET_ASSERT(xs[i] < 1000);
}
