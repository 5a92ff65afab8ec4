/* libFuzzer harnesses that libFuzzer solves in seconds (issue 14), one per
 * -DSOLVE_<CASE>; each crashes (abort or SIGFPE) on its answer only:
 *   COUNTER  "ABCD" anywhere in order, seen only as a count of bytes that
 *            matched (one edge, its hit count): libFuzzer's CounterTest
 *   STRSTR   the input as a C string holds "fuzz-needle" (strstr)
 *   MEMMEM   the input holds "MEMMEM-KEY" (memmem)
 *   THREE    memcmp(input, "a7Q", 3): a 3-byte compare
 *   VP4      rotl(x, 13) ^ mask == 0x7e57ab1e for the first 4 bytes:
 *            only value profile on the 4-byte compare gets closer
 *   DIV      division by x ^ mask (x the first 4 bytes): trace-div's value
 *            profile of the divisor's distance to 0; no compare at all
 *   GEP      two table loads indexed by the halves of x ^ mask, non-zero
 *            only at index 0: trace-gep's value profile of the indices
 *   RECURSE  a recursion one level deeper per byte of "ABCDEFGHIJ..."
 *            repeated: 200 levels; hit counts stop at 128+
 * The mask, the numerator and the tables are volatile so the compiler
 * cannot fold them (1000 / v becomes a compare of v + 1000 with 2001, a
 * load from a constant table a compare of its index). */
#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static volatile uint32_t mask = 0x5a3c96e1u; /* distinct bytes: a fill does not find it */
static volatile int numerator = 1000;
static volatile int sink;

#if defined(SOLVE_GEP)
static volatile uint8_t tab_hi[65536] = {[0] = 1};
static volatile uint8_t tab_lo[65536] = {[0] = 1};
#endif

#if defined(SOLVE_RECURSE)
static void recurse(const uint8_t *d, size_t n, int depth)
{
	if (depth >= 200)
		abort();
	if (n && d[0] == 'A' + depth % 10)
		recurse(d + 1, n - 1, depth + 1);
	sink++;
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
#if defined(SOLVE_COUNTER)
	int num = 0;
	for (size_t i = 0; i < n; i++)
		if (d[i] == 'A' + num)
			num++;
	if (num >= 4)
		abort();
#elif defined(SOLVE_STRSTR)
	char buf[256];
	if (n >= sizeof buf)
		return 0;
	memcpy(buf, d, n);
	buf[n] = 0;
	if (strstr(buf, "fuzz-needle"))
		abort();
#elif defined(SOLVE_MEMMEM)
	if (memmem(d, n, "MEMMEM-KEY", 10))
		abort();
#elif defined(SOLVE_THREE)
	if (n >= 3 && memcmp(d, "a7Q", 3) == 0)
		abort();
#else
	uint32_t x;
	if (n < 4)
		return 0;
	memcpy(&x, d, 4);
#if defined(SOLVE_VP4)
	if ((((x << 13) | (x >> 19)) ^ mask) == 0x7e57ab1eu)
		abort();
#elif defined(SOLVE_DIV)
	sink = numerator / (int)(x ^ mask);
#elif defined(SOLVE_GEP)
	x ^= mask;
	sink = tab_hi[x >> 16] + tab_lo[x & 0xffff];
	if (sink == 2)
		abort();
#elif defined(SOLVE_RECURSE)
	recurse(d, n, 0);
#else
#error "define one SOLVE_<CASE>"
#endif
#endif
	return 0;
}
