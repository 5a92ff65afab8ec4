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
 * load from a constant table a compare of its index). -DSOLVE_ANY builds
 * every case, picked at run time by $LF_SOLVE (the lower-case name): one
 * build per engine for tests/e2e/t5012-conformance.sh. */
#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static volatile uint32_t mask = 0x5a3c96e1u; /* distinct bytes: a fill does not find it */
static volatile int numerator = 1000;
static volatile int sink;

enum { COUNTER = 1, STRSTR, MEMMEM, THREE, VP4, DIV, GEP, RECURSE };

#if defined(SOLVE_ANY)
static int which(void)
{
	static const char *const names[] = {"",    "counter", "strstr", "memmem", "three",
					    "vp4", "div",     "gep",    "recurse"};
	static int w = -1;
	if (w < 0) {
		const char *s = getenv("LF_SOLVE");
		w = 0;
		for (int i = 1; s && i <= RECURSE; i++)
			if (!strcmp(s, names[i]))
				w = i;
	}
	return w;
}
#define WHICH which()
#elif defined(SOLVE_COUNTER)
#define WHICH COUNTER
#elif defined(SOLVE_STRSTR)
#define WHICH STRSTR
#elif defined(SOLVE_MEMMEM)
#define WHICH MEMMEM
#elif defined(SOLVE_THREE)
#define WHICH THREE
#elif defined(SOLVE_VP4)
#define WHICH VP4
#elif defined(SOLVE_DIV)
#define WHICH DIV
#elif defined(SOLVE_GEP)
#define WHICH GEP
#elif defined(SOLVE_RECURSE)
#define WHICH RECURSE
#else
#error "define one SOLVE_<CASE>, or SOLVE_ANY"
#endif

#if defined(SOLVE_GEP) || defined(SOLVE_ANY)
static volatile uint8_t tab_hi[65536] = {[0] = 1};
static volatile uint8_t tab_lo[65536] = {[0] = 1};
#endif

static void recurse(const uint8_t *d, size_t n, int depth)
{
	if (depth >= 200)
		abort();
	if (n && d[0] == 'A' + depth % 10)
		recurse(d + 1, n - 1, depth + 1);
	sink++;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	uint32_t x;
	switch (WHICH) {
	case COUNTER: {
		int num = 0;
		for (size_t i = 0; i < n; i++)
			if (d[i] == 'A' + num)
				num++;
		if (num >= 4)
			abort();
		break;
	}
	case STRSTR: {
		char buf[256];
		if (n >= sizeof buf)
			return 0;
		memcpy(buf, d, n);
		buf[n] = 0;
		if (strstr(buf, "fuzz-needle"))
			abort();
		break;
	}
	case MEMMEM:
		if (memmem(d, n, "MEMMEM-KEY", 10))
			abort();
		break;
	case THREE:
		if (n >= 3 && memcmp(d, "a7Q", 3) == 0)
			abort();
		break;
	case VP4:
		if (n < 4)
			return 0;
		memcpy(&x, d, 4);
		if ((((x << 13) | (x >> 19)) ^ mask) == 0x7e57ab1eu)
			abort();
		break;
	case DIV:
		if (n < 4)
			return 0;
		memcpy(&x, d, 4);
		sink = numerator / (int)(x ^ mask);
		break;
#if defined(SOLVE_GEP) || defined(SOLVE_ANY)
	case GEP:
		if (n < 4)
			return 0;
		memcpy(&x, d, 4);
		x ^= mask;
		sink = tab_hi[x >> 16] + tab_lo[x & 0xffff];
		if (sink == 2)
			abort();
		break;
#endif
	case RECURSE:
		if (n < 4)
			return 0;
		recurse(d, n, 0);
		break;
	}
	return 0;
}
