/*
 * smith.h - what the driver needs from the Smith runtime (runtime/smith.c):
 * the registry of FERRET_TESTs (and of their FERRET_EXAMPLEs) and one run of a test on a value
 * stream. Not for users: they see include/ferret.h.
 */
#ifndef FERRET_SMITH_H
#define FERRET_SMITH_H

#include <stddef.h>
#include <stdint.h>

#include "ferret.h"

#define FERRET_SMITH_HIDDEN __attribute__((visibility("hidden")))

/* Registered tests, in registration order. */
size_t ferret__test_count(void) FERRET_SMITH_HIDDEN;
const char *ferret__test_name(size_t i) FERRET_SMITH_HIDDEN;
ferret_test_fn ferret__test_fn(size_t i) FERRET_SMITH_HIDDEN;
/* Index of the test called name, or -1. */
long ferret__test_find(const char *name) FERRET_SMITH_HIDDEN;

/* The FERRET_EXAMPLEs, in registration order: the test each names, its
 * stream, where it was written. */
struct ferret__example {
	const char *test;
	const unsigned char *data;
	size_t len;
	const char *file;
	int line;
};
size_t ferret__example_count(void) FERRET_SMITH_HIDDEN;
const struct ferret__example *ferret__example_get(size_t i) FERRET_SMITH_HIDDEN;

/*
 * Runs test i on the value stream in[0..len) (any bytes: a bad stream gives
 * fresh values). The values the test consumed are written to log (room for
 * log_cap bytes) as a value stream, and *log_len is kept current as each
 * value is served, so a supervisor can save the log of a run that dies.
 * Returns the number of values served.
 */
size_t ferret__smith_run(size_t i, const uint8_t *in, size_t len, uint8_t *log, size_t log_cap,
			 volatile uint32_t *log_len) FERRET_SMITH_HIDDEN;

/*
 * Makes a failing FERRET_ASSERT write its site, "file.c:LINE" (the file's
 * base name), NUL-terminated into buf[0..cap) before it aborts; NULL stops
 * it. Set before forking a run with buf in MAP_SHARED memory, it tells the
 * parent which assertion failed (shrinking keeps the same one).
 */
void ferret__smith_fail_site(char *buf, size_t cap) FERRET_SMITH_HIDDEN;

/* Runs test i on raw bytes decoded as values in Zig's replay format (the
 * byte bridge): ints are 8 bytes little endian, eos one byte (empty: true),
 * bytes raw, slices a u32 length then bytes; missing input gives the lowest
 * allowed value, zero bytes, or true. */
void ferret__bridge_run(ferret_test_fn fn, const uint8_t *data, size_t len);

#endif
