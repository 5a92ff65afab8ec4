/* A non-zero exit that is not a crash: exit(3) for every input except
 * those starting with 'z', which exit 0. */
#include <stdio.h>
#include <stdlib.h>

static void fail_exit(void)
{
	exit(3);
}

int main(void)
{
	int c = getchar();
	if (c != 'z')
		fail_exit();
	puts("z");
	return 0;
}
