/* Conformance (t5012): the deadly signals UBSan's runtime reports in a
 * build without another sanitizer: a NULL store (SIGSEGV) on an input
 * starting with 'S', a division by the second byte (SIGFPE when it is 0)
 * on one starting with 'D'. FAULT=segv or FAULT=fpe keeps only that one,
 * for runs that fuzz their way to it. The numerator is volatile, so the
 * division is done at run time. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static volatile int numerator = 100;
static volatile int sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *only;
	if (!only)
		only = getenv("FAULT") ? getenv("FAULT") : "";
	if (size >= 2 && data[0] == 'S' && strcmp(only, "fpe"))
		*(volatile int *)0 = data[1];
	if (size >= 2 && data[0] == 'D' && strcmp(only, "segv"))
		sink = numerator / data[1];
	return 0;
}
