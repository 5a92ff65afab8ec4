/*
 * ttfc.h - the driver shared by the time-to-first-crash targets (ttfc_*.c,
 * run by bench/ttfc.sh). Each target defines
 *
 *   static void check(const uint8_t *d, size_t n);
 *
 * which calls TTFC_CRASH() on exactly one value and does nothing otherwise,
 * then includes this file last. Built:
 *
 *   without macros      main(): the whole input from stdin, one check, exit 0
 *                       (ferret-cc and afl-clang-fast, fork-server mode)
 *   -DTTFC_LIBFUZZER    LLVMFuzzerTestOneInput() calling the same check()
 *                       (clang -fsanitize=fuzzer)
 */
#ifndef TTFC_H
#define TTFC_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TTFC_CRASH() abort()

/* The fixed-width values are read in native (little-endian) byte order. */
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

#ifdef TTFC_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	check(d, n);
	return 0;
}
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
