/*
 * Persistent target that allocates per input (issue 9, bench/README.md
 * "Persistent mode and allocating targets"): malloc of a size read from the
 * first 4 input bytes (the low 24 bits: up to 16 MiB), three bytes touched,
 * free. With -DFIXED_SIZES the k-th run of a process allocates a size hashed
 * from k instead, so every fuzzer (and the bare loop) pays for the same
 * allocations whatever inputs it makes. One source for three builds:
 * ferret-cc (FERRET_LOOP), afl-clang-fast (__AFL_LOOP) and plain cc (one
 * input on stdin; with -DFIXED_SIZES, argv[1] runs in a timed bare loop).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef __AFL_COMPILER
__AFL_FUZZ_INIT();
#elif defined(__FERRET__)
#include <ferret.h>
#endif

#define RUNS_PER_PROCESS 10000

static uint32_t k;          /* runs of this process */
static void *volatile sink; /* so the allocation cannot be optimised away */

static void one(const unsigned char *buf, size_t len)
{
	uint32_t n;
	k++;
#ifdef FIXED_SIZES
	uint32_t h = k * 2654435761u;
	n = (h ^ (h >> 15)) & ((16u << 20) - 1);
#else
	if (len < 4)
		return;
	memcpy(&n, buf, 4);
	n &= (16u << 20) - 1;
#endif
	unsigned char *p = malloc(n + 1);
	if (!p)
		return;
	p[0] = len ? buf[len - 1] : 0;
	p[n / 2] = 1;
	p[n] = 2;
	if (p[0] == 'x' && n > 100)
		p[1] = 3;
	sink = p;
	free(p);
}

int main(int argc, char **argv)
{
#if defined(__AFL_COMPILER)
	__AFL_INIT();
	unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
	while (__AFL_LOOP(RUNS_PER_PROCESS))
		one(buf, __AFL_FUZZ_TESTCASE_LEN);
#elif defined(__FERRET__)
	while (FERRET_LOOP(RUNS_PER_PROCESS))
		one(FERRET_TESTCASE_BUF, FERRET_TESTCASE_LEN);
#elif defined(FIXED_SIZES)
	long runs = argc > 1 ? atol(argv[1]) : 10000;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < runs; i++) {
		if (i % RUNS_PER_PROCESS == 0)
			k = 0; /* as a fresh persistent child would start */
		one((const unsigned char *)"abcd", 4);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("bare: %ld runs in %.3f s = %.0f/s\n", runs, s, (double)runs / s);
#else
	unsigned char b[1 << 16];
	ssize_t r = read(0, b, sizeof(b));
	one(b, r > 0 ? (size_t)r : 0);
#endif
	(void)argc;
	(void)argv;
	return 0;
}
