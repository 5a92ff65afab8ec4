/* An AFL++ persistent harness as written for afl-cc (__AFL_FUZZ_INIT,
 * __AFL_INIT, __AFL_LOOP, __AFL_FUZZ_TESTCASE_BUF/LEN), built unchanged by
 * ferret-cc. SIGSEGV on "FZ!" at the start of an input, reached byte by
 * byte. Appends its pid to $AFL_PERSIST_PIDS once per process (to count
 * processes) and prints "len N" per input. With -DAFL_PERSIST_SELECTIVE
 * only the checks are covered (__AFL_COVERAGE and its ON/OFF/SKIP). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

__AFL_FUZZ_INIT();
#ifdef AFL_PERSIST_SELECTIVE
__AFL_COVERAGE();
#define COVERAGE_ON() __AFL_COVERAGE_ON()
#define COVERAGE_OFF() __AFL_COVERAGE_OFF()
#else
#define COVERAGE_ON()
#define COVERAGE_OFF()
#endif

static void crash(void)
{
	volatile int *volatile p = NULL; /* volatile: the store cannot be dropped */
	*p = 1;
}

int main(void)
{
	__AFL_INIT();
	unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
	const char *pids = getenv("AFL_PERSIST_PIDS");
	if (pids) {
		char line[32];
		int fd = open(pids, O_WRONLY | O_APPEND | O_CREAT, 0644);
		int n = snprintf(line, sizeof(line), "%d\n", (int)getpid());
		if (fd >= 0 && write(fd, line, (size_t)n) != n)
			return 1;
		close(fd);
	}
	while (__AFL_LOOP(100000)) {
		int len = __AFL_FUZZ_TESTCASE_LEN;
		COVERAGE_ON();
		if (len >= 3 && buf[0] == 'F')
			if (buf[1] == 'Z')
				if (buf[2] == '!')
					crash();
		COVERAGE_OFF();
		printf("len %d\n", len);
		fflush(stdout);
	}
	return 0;
}
