/*
 * shrink.h - shrinks a failing value stream (the input of a FERRET_TEST) to
 * a local minimum, as Hypothesis shrinks a choice sequence. It owns the
 * search only: which smaller streams to try, in which order, and when to
 * stop. Whether a stream still fails "the same way" is a predicate the
 * caller passes (driver/tests.c runs the test in a watched child and
 * compares the assertion site or the crash); this module never runs,
 * prints or exits, and needs no rng: the same predicate gives the same
 * tries and the same result.
 *
 * Order: a stream is smaller when it has fewer records, then fewer payload
 * bytes, then is lexicographically smaller (record by record: INT by value,
 * BYTES by length then content). Only a failing stream smaller than the
 * current one is taken, so shrinking always ends. After each failing try
 * the stream the test actually consumed (when the caller can say, through
 * consumed()) replaces the candidate: values the runtime clamped into
 * their range, unread trailing records and the minimal values drawn for
 * missing ones are then what the shrinker sees, as Hypothesis keeps the
 * buffer a test consumed.
 *
 * Passes, repeated until a whole round takes nothing (docs/smith.md):
 * delete runs of records (halving chunks, then every block of 8..1
 * consecutive records: whole loop iterations); lower each integer to 0,
 * to value-1, then by binary search between the last passing and the last
 * failing value, and all equal integers of one call site together the
 * same way (a run of four equal values stays a run); shorten byte strings (binary search on the
 * length), delete and zero byte runs, lower each byte likewise; swap adjacent equal shaped blocks
 * of 1..8 records when the later one is smaller; and, when nothing else helps, move value from an
 * integer to one of the next four. The result is a local minimum unless the try budget ran out:
 * deleting any one record, or lowering any integer or byte by one, no longer fails.
 */
#ifndef FERRET_SHRINK_H
#define FERRET_SHRINK_H

#include <stddef.h>
#include <stdint.h>

struct shrink_oracle {
	/* 1 when the test fails, the same way as on the original input, on
	 * the value stream stream[0..len). Called once per try. */
	int (*fails)(void *ctx, const uint8_t *stream, size_t len);
	/* Optional (NULL: the candidate itself): after fails() said 1, the
	 * stream the test consumed in that run (NAME records allowed), valid
	 * until the next call of fails(); NULL when unknown. */
	const uint8_t *(*consumed)(void *ctx, size_t *len);
	void *ctx;
};

struct shrink_stats {
	size_t tries;         /* calls of fails() */
	size_t cached;        /* candidates not run again: tried before */
	size_t taken;         /* tries that made the stream smaller */
	size_t values_before; /* records of the input, NAME records aside */
	size_t values_after;  /* ... and of the result */
	int capped;           /* stopped at max_tries: maybe no local minimum */
};

/*
 * Shrinks the failing stream data[0..len) (the caller knows it fails),
 * calling o->fails() at most max_tries times. On success *out is the
 * smallest failing stream found (malloc'd, the caller frees it; no NAME
 * records; seed 0 when the input still failed with seed 0, so that values
 * deleted come back minimal, else the input's seed), *out_len its length,
 * and *st says how it went. A stream cut in a record (the log of a run
 * that crashed while logging) is shrunk on its whole records. Returns 0,
 * FERRET_EPARSE when data has no value-stream header, or FERRET_ENOMEM.
 */
int shrink_stream(const struct shrink_oracle *o, size_t max_tries, const uint8_t *data, size_t len,
		  uint8_t **out, size_t *out_len, struct shrink_stats *st);

#endif
