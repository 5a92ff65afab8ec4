/* For the stability test (t4005): a few branches on the input, the same on
 * every run, and, with -DSTABILITY_FLAKY, one function (coin_toss) whose
 * branches depend on the clock, the process id and a count of its calls,
 * so that its edges vary between runs of one input, in a fork-server child
 * as in a persistent one. Reads stdin, one input per process (the
 * default), or -DSTABILITY_LOOP: persistent (FERRET_LOOP). */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef STABILITY_LOOP
#include <ferret.h>
#endif

static volatile unsigned sink;

__attribute__((noinline)) static void parse_word(const unsigned char *buf, size_t len)
{
	if (len > 0 && buf[0] == 'w')
		sink += 1;
	if (len > 1 && buf[1] == 'o')
		sink += 2;
	if (len > 2 && buf[2] == 'r')
		sink += 3;
}

#ifdef STABILITY_FLAKY
__attribute__((noinline)) static void heads(void)
{
	sink += 10;
}

__attribute__((noinline)) static void tails(void)
{
	sink += 20;
}

/* Two calls chosen by two bits of the clock, the pid and a call count:
 * which of heads() and tails() each one reaches differs from run to run. */
__attribute__((noinline)) static void coin_toss(void)
{
	static unsigned calls;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	unsigned v = (unsigned)ts.tv_nsec ^ (unsigned)getpid() ^ calls++;
	v ^= v >> 7;
	if (v & 1)
		heads();
	if (v & 2)
		tails();
}
#endif

static void one(const unsigned char *buf, size_t len)
{
	parse_word(buf, len);
#ifdef STABILITY_FLAKY
	coin_toss();
#endif
}

int main(void)
{
#ifdef STABILITY_LOOP
	while (FERRET_LOOP(1000))
		one(FERRET_TESTCASE_BUF, FERRET_TESTCASE_LEN);
#else
	unsigned char buf[64];
	size_t len = fread(buf, 1, sizeof(buf), stdin);
	one(buf, len);
#endif
	return 0;
}
