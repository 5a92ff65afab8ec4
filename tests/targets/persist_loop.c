/* Persistent mode: FERRET_LOOP reads each input from FERRET_TESTCASE_BUF/
 * LEN, prints "len N" for it and crashes (SIGSEGV) when the first byte is
 * 'A'. Outside the fuzzer the loop runs once, on all of stdin. */
#include <stdio.h>

#include <ferret.h>

static void crash(void)
{
	volatile int *volatile p = NULL; /* volatile: the store cannot be dropped */
	*p = 1;
}

int main(void)
{
	while (FERRET_LOOP(1000)) {
		const unsigned char *buf = FERRET_TESTCASE_BUF;
		size_t len = FERRET_TESTCASE_LEN;
		if (len > 0 && buf[0] == 'A')
			crash();
		printf("len %zu\n", len);
		fflush(stdout);
	}
	return 0;
}
