/* AFL's test_build target: one branch on the first byte of stdin, so the
 * inputs "0" and "1" take different edges (the two sides call different
 * functions so no optimiser turns the branch into a select). */
#include <stdio.h>

int main(void)
{
	int c = getchar();
	if (c == '0') {
		puts("zero");
		return 0;
	}
	fputs("other\n", stdout);
	return 0;
}
