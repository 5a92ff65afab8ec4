/* Two bugs in two functions, for crash triage (t4003): a NULL store in
 * parse_a() when stdin starts with 'A', abort() in check_b() when it
 * starts with 'B'; exit 0 silently otherwise. noinline keeps each bug in
 * a frame of its own at -O1. */
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
	if (n > 0 && buf[0] == 'A')
		parse_a(buf);
	if (n > 0)
		check_b(buf);
	return 0;
}
