/*
 * ttfc.h - the drivers and helpers shared by the time-to-first-crash targets
 * (bench/ttfc_*.c, run by bench/ttfc.sh). A target includes this file first,
 * then defines the two functions declared below:
 *
 *   check(d, n)      runs one input; calls TTFC_CRASH() on its one planted bug
 *                    and only there; prints nothing, keeps no state between
 *                    calls, never reads outside d[0..n)
 *   sample(ans, o)   writes the target's seed (ans == 0: a valid input that
 *                    does not crash, the fuzzers' starting corpus) or a known
 *                    answer (ans == 1: an input that crashes) into o, so the
 *                    format is known in one place; ttfc.sh checks every build
 *                    against both before fuzzing
 *
 * One source, built five ways (the macro picks the driver):
 *
 *   -DTTFC_PERSISTENT   the persistent loop of the compiler that built it:
 *     ferret-cc (__FERRET__)         FERRET_LOOP(TTFC_LOOP_N) over
 *                                    FERRET_TESTCASE_BUF/LEN (ferret fuzz)
 *     afl-clang-fast (__AFL_COMPILER) __AFL_LOOP(TTFC_LOOP_N) over
 *                                    __AFL_FUZZ_TESTCASE_BUF/LEN (afl-fuzz)
 *     Outside a fuzzer both loops run once on all of stdin.
 *   -DTTFC_LIBFUZZER    LLVMFuzzerTestOneInput(): clang -fsanitize=fuzzer
 *                       (libFuzzer) or ferret-cc -fsanitize=fuzzer (ferret's
 *                       libFuzzer mode)
 *   -DTTFC_NO_CRASH     with -DTTFC_LIBFUZZER: the bug returns instead of
 *                       crashing (bench/corpus.sh: runs of a fixed length)
 *   -DTTFC_SAMPLE       `prog seed` / `prog answer` writes that sample to stdout
 *   no macro            main(): all of stdin, one check(), exit 0 (any compiler;
 *                       for replaying a crash by hand)
 */
#ifndef TTFC_H
#define TTFC_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef TTFC_NO_CRASH
/* bench/corpus.sh (libFuzzer driver only): reaching the bug ends the input
 * as a clean return, so a run lasts its whole budget; the bug's branch
 * stays. A jump rather than going on: past the bug the code may really
 * crash (rle writes past its buffer). */
#include <setjmp.h>
static jmp_buf ttfc_escape;
static volatile unsigned ttfc_reached;
#define TTFC_CRASH() (ttfc_reached++, longjmp(ttfc_escape, 1))
#else
#define TTFC_CRASH() abort()
#endif

#ifndef TTFC_LOOP_N
#define TTFC_LOOP_N 10000 /* inputs per process in persistent mode, as bench/run.sh */
#endif

/* The seed of the first six targets (compare feedback only): one generic line. */
#define TTFC_GENERIC_SEED "seed: 0123456789abcdef\n"

/* A sample under construction: bytes p[0..n) of at most cap. Writes past cap
 * are dropped (and n stops growing), so a sample never overflows. */
struct ttfc_out {
	uint8_t *p;
	size_t n, cap;
};

static void check(const uint8_t *d, size_t n) __attribute__((unused));
static void sample(int answer, struct ttfc_out *o) __attribute__((unused));

/* The fixed-width values are read and written in native (little-endian) byte
 * order. */
static inline uint16_t ttfc_u16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

static inline uint32_t ttfc_u32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

static inline uint64_t ttfc_u64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

/* Copies the first line of d[0..n) (up to '\n' or the end, at most cap-1
 * bytes) into buf as a C string. */
static inline void ttfc_line(char *buf, size_t cap, const uint8_t *d, size_t n)
{
	size_t i = 0;
	while (i < n && i + 1 < cap && d[i] != '\n') {
		buf[i] = (char)d[i];
		i++;
	}
	buf[i] = 0;
}

/* CRC-32 (IEEE 802.3, reflected, polynomial 0xedb88320), bit by bit: slow,
 * but short and table-free, and the targets hash a few dozen bytes. */
static inline uint32_t ttfc_crc32(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

static inline void ttfc_put(struct ttfc_out *o, const void *s, size_t len)
{
	if (len > o->cap - o->n)
		len = o->cap - o->n;
	memcpy(o->p + o->n, s, len);
	o->n += len;
}

/* A C string without its NUL. */
static inline void ttfc_puts(struct ttfc_out *o, const char *s)
{
	ttfc_put(o, s, strlen(s));
}

static inline void ttfc_put8(struct ttfc_out *o, uint8_t v)
{
	ttfc_put(o, &v, 1);
}

static inline void ttfc_put16(struct ttfc_out *o, uint16_t v)
{
	ttfc_put(o, &v, sizeof v);
}

static inline void ttfc_put32(struct ttfc_out *o, uint32_t v)
{
	ttfc_put(o, &v, sizeof v);
}

#if defined(TTFC_LIBFUZZER)

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
#ifdef TTFC_NO_CRASH
	if (setjmp(ttfc_escape))
		return 0; /* intoverflow's table leaks: a small one, the product wrapped */
#endif
	check(d, n);
	return 0;
}

#elif defined(TTFC_SAMPLE)

int main(int argc, char **argv)
{
	static uint8_t buf[4096];
	struct ttfc_out o = {buf, 0, sizeof buf};
	if (argc != 2 || (strcmp(argv[1], "seed") != 0 && strcmp(argv[1], "answer") != 0))
		return 2;
	sample(strcmp(argv[1], "answer") == 0, &o);
	return write(1, o.p, o.n) == (ssize_t)o.n ? 0 : 1;
}

#elif defined(TTFC_PERSISTENT) && defined(__FERRET__)

#include <ferret.h>

int main(void)
{
	while (FERRET_LOOP(TTFC_LOOP_N))
		check(FERRET_TESTCASE_BUF, FERRET_TESTCASE_LEN);
	return 0;
}

#elif defined(TTFC_PERSISTENT) && defined(__AFL_COMPILER)

__AFL_FUZZ_INIT();

int main(void)
{
	unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
	while (__AFL_LOOP(TTFC_LOOP_N))
		check(buf, (size_t)__AFL_FUZZ_TESTCASE_LEN);
	return 0;
}

#elif defined(TTFC_PERSISTENT)
#error "TTFC_PERSISTENT needs ferret-cc or afl-clang-fast"
#else

int main(void)
{
	static uint8_t buf[1 << 20];
	size_t n = 0;
	ssize_t r;
	while (n < sizeof buf && (r = read(0, buf + n, sizeof buf - n)) > 0)
		n += (size_t)r;
	check(buf, n);
	return 0;
}

#endif

#endif
