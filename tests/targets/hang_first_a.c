/* The easy hang: sleeps forever when the input's first byte is 'A' (stdin),
 * exits 0 otherwise. Asleep, not spinning: a timeout is measured by the
 * clock, and a hang then costs the test suite no CPU. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	int c = getchar();
	if (c == 'A')
		for (;;)
			pause();
	return 0;
}
