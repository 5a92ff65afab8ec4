/* lf_bug.c's check as a stdin program for ferret tmin: SIGSEGV when "BUG"
 * occurs anywhere in stdin (up to 64 KiB). */
#include <stdio.h>

#include "lf_bug.c"

int main(void)
{
	static uint8_t buf[1 << 16];
	size_t n = fread(buf, 1, sizeof(buf), stdin);
	return LLVMFuzzerTestOneInput(buf, n);
}
