/* libFuzzer harness with three bugs, each its own way to die: abort() on an
 * input starting "ABORT123", SIGSEGV on 'Q' followed three bytes later by
 * "SEGVSEGV", SIGILL (a trap) on "TRAP" at the start. The first is what
 * input-to-state finds first from any corpus (t5011). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	if (n >= 8 && memcmp(d, "ABORT123", 8) == 0)
		abort();
	if (n >= 12 && d[0] == 'Q' && memcmp(d + 4, "SEGVSEGV", 8) == 0)
		*(volatile int *)0 = 1;
	if (n >= 4 && memcmp(d, "TRAP", 4) == 0)
		__builtin_trap();
	return 0;
}
