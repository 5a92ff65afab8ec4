/* Deferred start: costly set-up, then FERRET_INIT(), then one input from
 * stdin; crashes (SIGSEGV) when the first byte is 'A'. */
#include <stdio.h>
#include <time.h>

#include <ferret.h>

static void crash(void)
{
	volatile int *volatile p = NULL; /* volatile: the store cannot be dropped */
	*p = 1;
}

int main(void)
{
	/* the set-up the fork server skips: 20 ms, paid once, not per input */
	struct timespec ts = {0, 20 * 1000 * 1000};
	nanosleep(&ts, NULL);
	FERRET_INIT();
	unsigned char buf[64];
	size_t n = fread(buf, 1, sizeof(buf), stdin);
	if (n > 0 && buf[0] == 'A')
		crash();
	printf("read %zu\n", n);
	return 0;
}
