/* The easy crash: SIGSEGV when the input's first byte is 'A', exit 0
 * silently otherwise. The input is the file argv[1] when given (@@), else
 * stdin, so one binary serves both deliveries. */
#include <stdio.h>
#include <string.h>

static void crash(void)
{
	/* both the pointer and the store are volatile, so no optimiser can
	 * drop the store as undefined behaviour */
	volatile int *volatile p = NULL;
	*p = 1; /* SIGSEGV */
}

int main(int argc, char **argv)
{
	unsigned char buf[256];
	FILE *in = argc > 1 ? fopen(argv[1], "rb") : stdin;
	if (!in)
		return 2;
	size_t n = fread(buf, 1, sizeof(buf), in);
	if (n > 0 && buf[0] == 'A')
		crash();
	return 0;
}
