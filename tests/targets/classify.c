/* An ordinary program for comparing builds: counts bytes, lines and
 * digits on stdin, prints them, and exits with (lines % 4) so several
 * inputs give several exit codes. */
#include <ctype.h>
#include <stdio.h>

int main(void)
{
	unsigned long bytes = 0, lines = 0, digits = 0;
	int c;
	while ((c = getchar()) != EOF) {
		bytes++;
		if (c == '\n')
			lines++;
		else if (isdigit(c))
			digits++;
	}
	printf("bytes %lu lines %lu digits %lu\n", bytes, lines, digits);
	return (int)(lines % 4);
}
