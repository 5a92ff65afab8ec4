/* Conformance (t5012): source positions for -exit_on_src_pos, found by
 * t5012 through their marks. The store marked "only ab" starts the block
 * an input starting with "ab" reaches; the one marked "no block" begins
 * no block (it is in the block of the compare above), so no edge is
 * described by its line, in either engine. */
#include <stddef.h>
#include <stdint.h>

volatile int conform_sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 0 && data[0] == 'a') {
		conform_sink = 1; /* no block */
		if (size > 1 && data[1] == 'b')
			conform_sink = 2; /* only ab */
	}
	return 0;
}
