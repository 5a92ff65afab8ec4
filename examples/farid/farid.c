/* The five nested ifs of the AFL++ walkthrough: reads a line from stdin and
 * crashes when it starts with "Farid". Each if is one new edge, so coverage
 * feedback walks to the crash one byte at a time. */
#include <stdio.h>
#include <string.h>

int main(void)
{
	char line[64] = {0};
	if (!fgets(line, sizeof(line), stdin))
		return 0;
	if (line[0] == 'F')
		if (line[1] == 'a')
			if (line[2] == 'r')
				if (line[3] == 'i')
					if (line[4] == 'd') {
						volatile int *p = NULL;
						*p = 1; /* the bug */
					}
	printf("hello, %s", line);
	return 0;
}
