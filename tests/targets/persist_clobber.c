/* Persistent mode, hostile: an input starting with 'D' puts /dev/null over
 * the descriptors the fuzzer gave the process (200-202), so its report and
 * its next command go nowhere; one starting with 'P' puts a pipe of its own
 * there, so it reads back its own report as the next command; 'A' aborts.
 * ferret must not lose the campaign to either (tests/e2e/t1006-hostile.sh). */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <ferret.h>

int main(void)
{
	int null = open("/dev/null", O_RDWR);
	while (FERRET_LOOP(100000)) {
		const unsigned char *buf = FERRET_TESTCASE_BUF;
		size_t len = FERRET_TESTCASE_LEN;
		if (len > 0 && buf[0] == 'A')
			abort();
		if (len > 0 && buf[0] == 'D')
			for (int k = 200; k < 203; k++)
				dup2(null, k);
		int p[2];
		if (len > 0 && buf[0] == 'P' && pipe(p) == 0) {
			dup2(p[0], 200);
			dup2(p[1], 201);
		}
	}
	return 0;
}
