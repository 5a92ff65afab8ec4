/* Conformance (t5012): functions an input covers first, for the NEW_FUNC
 * lines. Each is reached by a one- or two-byte input ('a', "ab", 'b',
 * 'c', 'd'), so both engines find them all within a few thousand runs,
 * whichever input finds which; noinline keeps each its own function. */
#include <stddef.h>
#include <stdint.h>

volatile int conform_sink;

__attribute__((noinline)) static void on_a(void)
{
	conform_sink = 1;
}

__attribute__((noinline)) static void on_ab(void)
{
	conform_sink = 2;
}

__attribute__((noinline)) static void on_b(const uint8_t *data)
{
	conform_sink = data[0];
}

__attribute__((noinline)) void conform_on_c(size_t size)
{
	if (size > 2)
		conform_sink = 4;
	else
		conform_sink = 5;
}

__attribute__((noinline)) void conform_on_d(int x)
{
	conform_sink = x;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 0 && data[0] == 'a') {
		on_a();
		if (size > 1 && data[1] == 'b')
			on_ab();
	}
	if (size > 0 && data[0] == 'b')
		on_b(data);
	if (size > 0 && data[0] == 'c')
		conform_on_c(size);
	if (size > 0 && data[0] == 'd')
		conform_on_d(7);
	return 0;
}
