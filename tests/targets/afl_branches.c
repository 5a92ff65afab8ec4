/* A plain stdin program with nested byte checks (a path to find per byte)
 * and no crash: for afl-fuzz running a ferret-cc build, in fork-server
 * mode, and (-DAFL_BRANCHES_LOOP) as a persistent harness that reads
 * stdin itself inside __AFL_LOOP. */
#include <stdio.h>
#include <unistd.h>

static int check(const unsigned char *b, ssize_t n)
{
	int depth = 0;
	if (n > 0 && b[0] == 'a') {
		depth++;
		if (n > 1 && b[1] == 'b') {
			depth++;
			if (n > 2 && b[2] == 'c') {
				depth++;
				if (n > 3 && b[3] == 'd')
					depth++;
			}
		}
	}
	for (ssize_t i = 0; i < n; i++)
		if (b[i] == '\n')
			depth += 10;
	return depth;
}

int main(void)
{
	unsigned char b[64];
#ifdef AFL_BRANCHES_LOOP
	while (__AFL_LOOP(10000)) {
#endif
		ssize_t n = read(0, b, sizeof(b));
		printf("depth %d\n", check(b, n));
#ifdef AFL_BRANCHES_LOOP
	}
#endif
	return 0;
}
