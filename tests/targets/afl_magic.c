/* For AFL++ builds (afl-clang-fast): SIGSEGV on a 4-byte magic at
 * offset 0, one branch per byte, so coverage leads to it
 * in a few thousand executions. Fork-server build: reads stdin,
 * or the file argv[1]. With -DAFL_MAGIC_PERSISTENT: an __AFL_LOOP over
 * __AFL_FUZZ_TESTCASE_BUF (shared-memory test cases); with
 * -DAFL_MAGIC_DEFER: __AFL_INIT() after a costly set-up. Built by
 * afl-clang-lto, "AFLTOKEN" goes to the binary's autodictionary. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifdef AFL_MAGIC_PERSISTENT
__AFL_FUZZ_INIT();
#endif

static void crash(void)
{
	volatile int *volatile p = NULL; /* volatile: the store cannot be dropped */
	*p = 1;
}

/* One branch per byte of the magic 4d 7f 80 ff ("M" and three bytes that havoc's
 * "interesting values" write), so each is a few hundred executions away. */
static int check(const unsigned char *b, size_t len)
{
	if (len >= 8 && !memcmp(b, "AFLTOKEN", 8)) /* for afl-clang-lto's autodictionary */
		return 5;
	if (len < 4 || b[0] != 'M')
		return 0;
	if (b[1] == 0x7f) {
		if (b[2] == 0x80) {
			if (b[3] == 0xff)
				crash();
			return 3;
		}
		return 2;
	}
	return 1;
}

int main(int argc, char **argv)
{
#ifdef AFL_MAGIC_PERSISTENT
	unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
	while (__AFL_LOOP(10000)) {
		int len = __AFL_FUZZ_TESTCASE_LEN;
		printf("%d\n", check(buf, (size_t)len));
	}
#else
#ifdef AFL_MAGIC_DEFER
	usleep(100000);
	__AFL_INIT();
#endif
	static unsigned char buf[4096];
	int fd = argc > 1 ? open(argv[1], O_RDONLY) : 0;
	if (fd < 0)
		return 2;
	ssize_t n = read(fd, buf, sizeof(buf));
	printf("%d\n", check(buf, n > 0 ? (size_t)n : 0));
#endif
	return 0;
}
