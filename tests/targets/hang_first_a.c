/* The easy hang: loops forever when the input's first byte is 'A' (stdin),
 * exits 0 otherwise. */
#include <stdio.h>

static volatile unsigned long spins; /* volatile: the loop is not removed */

static void spin(void)
{
	for (;;)
		spins++;
}

int main(void)
{
	int c = getchar();
	if (c == 'A')
		spin();
	return 0;
}
