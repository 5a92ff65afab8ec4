/*
 * vsprint.h - value streams (src/core/valstream.h) as text for people: the
 * one renderer behind `ferret show` (tools/cmd_show.c) and the falsifying
 * example a FERRET_TEST binary prints when a test fails (driver/tests.c),
 * and the C snippet of `ferret show --c` that replays a stream as a
 * FERRET_EXAMPLE regression. It prints to a FILE and owns no file: reading
 * the stream and deciding what a damaged one means are the callers' jobs.
 */
#ifndef FERRET_VSPRINT_H
#define FERRET_VSPRINT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Renders the stream data[0..len) as `ferret show` prints it: a header
 * "# TITLE: value stream v1, seed S, N values", then one line per value in
 * request order, "    K  SITE   VALUE", where SITE is the call site's
 * file:line or label (from the stream's NAME records, else uid:XXXXXXXX).
 * Every line starts with indent. *values (may be NULL) gets the number of
 * values printed. Returns 0, FERRET_EPARSE when the stream is damaged (the
 * values before the damage are printed, and the header counts them), or
 * FERRET_ENOMEM.
 */
int vsprint_text(FILE *out, const char *indent, const char *title, const uint8_t *data, size_t len,
		 size_t *values);

/*
 * Writes a C file that replays data[0..len) as a regression of the test
 * named test: a comment with the rendering above, the stream's bytes in a
 * static array named after their sha1, and FERRET_EXAMPLE(test, array),
 * which makes plain ./tests run the test on it (include/ferret.h). title
 * names where the stream came from. Returns 0, or an error as
 * vsprint_text does (nothing is written for a damaged stream).
 */
int vsprint_c(FILE *out, const char *test, const char *title, const uint8_t *data, size_t len);

#endif
