/* Two bugs in two functions, for crash triage (t4003): a NULL store in
 * parse_a() when stdin starts with 'A', abort() in check_b() when it
 * starts with 'B'; exit 0 silently otherwise. Each is reached by many
 * paths: the bytes after the first take branches by their class first, so
 * crashing inputs differ in coverage (AFL keeps many crash files) but not
 * in where they crash (two bugs). noinline keeps each bug in a frame of
 * its own at -O1. */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static void parse_a(const unsigned char *buf)
{
	/* volatile pointer and store: no optimiser drops the store as UB */
	volatile int *volatile p = NULL;
	*p = buf[0]; /* SIGSEGV */
}

__attribute__((noinline)) static void check_b(const unsigned char *buf)
{
	if (buf[0] == 'B')
		abort(); /* SIGABRT */
}

int main(void)
{
	unsigned char buf[256];
	size_t n = fread(buf, 1, sizeof(buf), stdin);
	unsigned digits = 0, upper = 0, lower = 0, other = 0;
	for (size_t i = 1; i < n; i++) {
		if (buf[i] >= '0' && buf[i] <= '9')
			digits++;
		else if (buf[i] >= 'A' && buf[i] <= 'Z')
			upper++;
		else if (buf[i] >= 'a' && buf[i] <= 'z')
			lower++;
		else
			other++;
	}
	if (digits > 1 && upper > 1)
		buf[1] ^= 1;
	if (lower > 1 && other > 1)
		buf[1] ^= 2;
	if (n > 0 && buf[0] == 'A')
		parse_a(buf);
	if (n > 0)
		check_b(buf);
	return 0;
}
