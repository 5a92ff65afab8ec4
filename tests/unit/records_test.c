/*
 * records_test.c - unit tests of src/core/records.c: the format of a chain
 * of length-prefixed records is found (a session of messages, PNG's
 * chunks) and not made up for text; record mutations keep every candidate
 * a chain of the same format, put another entry's record between two
 * records, and repeat a run for a seed; a record's data is cut with its
 * length field fixed (trim), never under a checksum.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "records.h"

/* A string literal with its length, NULs included. */
#define L(s) (const uint8_t *)s, sizeof(s) - 1

/* HELLO, AUTH, DATA, DATA, CLOSE: type byte, length byte, payload */
static const char session[] = "H\x09"
			      "FRT\x02"
			      "alice"
			      "A\x04"
			      "\xe7\x13\x22\x87"
			      "D\x07\x01\x00"
			      "hello"
			      "D\x07\x02\x00"
			      "world"
			      "C\x00";

static void test_find_session(void **state)
{
	(void)state;
	struct rec_fmt f;
	uint32_t off[RECORDS_MAX + 1];
	assert_true(records_find(L(session), &f));
	assert_int_equal(f.start, 0);
	assert_int_equal(f.head, 1);
	assert_int_equal(f.width, 1);
	assert_int_equal(f.tail, 0);
	assert_int_equal(records_split(&f, L(session), off, RECORDS_MAX), 5);
	static const uint32_t want[] = {0, 11, 17, 26, 35, 37};
	assert_memory_equal(off, want, sizeof(want));
}

/* PNG: an 8-byte signature, then chunks of a 4-byte big-endian length, a
 * 4-byte type, the data and a 4-byte CRC (the length counts the data). */
static void test_find_png(void **state)
{
	(void)state;
	uint8_t png[8 + 3 * 12 + 13 + 5] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	size_t n = 8;
	static const uint8_t lens[] = {13, 5, 0};
	for (size_t i = 0; i < 3; i++) {
		png[n + 3] = lens[i];
		memcpy(png + n + 4, i == 0 ? "IHDR" : i == 1 ? "IDAT" : "IEND", 4);
		n += 12 + lens[i];
	}
	assert_int_equal(n, sizeof(png));
	struct rec_fmt f;
	assert_true(records_find(png, n, &f));
	assert_int_equal(f.start, 8);
	assert_int_equal(f.width, 4);
	assert_true(f.big);
	assert_int_equal(f.head + f.tail, 8);
}

/* Text, and a chain of two records only, are no format. */
static void test_no_format(void **state)
{
	(void)state;
	struct rec_fmt f;
	assert_false(records_find(L("the quick brown fox jumps over the lazy dog\n"), &f));
	assert_false(f.valid);
	assert_false(records_find(L("A\x01xB\x02yz"), &f));
	uint32_t off[RECORDS_MAX + 1];
	assert_int_equal(records_split(&f, L("A\x01xB\x02yz"), off, RECORDS_MAX), 0);
}

/* A session without its CLOSE, and the CLOSE, RESUME pair in another
 * entry: among record mutations of the first, one puts CLOSE between two
 * of its messages. Every candidate stays a chain of the format. */
static void test_mutate_keeps_chain(void **state)
{
	(void)state;
	static const char other[] = "H\x01x"
				    "P\x00"
				    "C\x00"
				    "R\x02\x03\x00";
	struct rec_fmt f;
	assert_true(records_find(L(session), &f));
	struct rng r;
	rng_seed(&r, 7);
	uint8_t buf[256];
	uint32_t off[RECORDS_MAX + 1];
	int close_inside = 0;
	for (int k = 0; k < 2000; k++) {
		size_t len = sizeof(session) - 1 - 2; /* without its CLOSE */
		memcpy(buf, session, len);
		size_t n = records_mutate(&r, &f, buf, len, sizeof(buf), L(other));
		if (!n)
			continue;
		assert_true(n <= sizeof(buf));
		assert_true(records_split(&f, buf, n, off, RECORDS_MAX) > 0);
		const uint8_t *c = memchr(buf, 'C', n);
		close_inside |= c && c + 2 < buf + n && c[1] == 0 && c >= buf + 11;
	}
	assert_true(close_inside);
}

/* No room: nothing changes; the same seed gives the same candidates. */
static void test_mutate_cap_and_seed(void **state)
{
	(void)state;
	struct rec_fmt f;
	assert_true(records_find(L(session), &f));
	uint8_t a[64], b[64];
	struct rng r1, r2;
	rng_seed(&r1, 3);
	rng_seed(&r2, 3);
	for (int k = 0; k < 200; k++) {
		memcpy(a, session, sizeof(session) - 1);
		memcpy(b, session, sizeof(session) - 1);
		size_t na = records_mutate(&r1, &f, a, sizeof(session) - 1, sizeof(a), L(session));
		size_t nb = records_mutate(&r2, &f, b, sizeof(session) - 1, sizeof(b), L(session));
		assert_int_equal(na, nb);
		assert_memory_equal(a, b, na ? na : sizeof(session) - 1);
		if (!na) /* unchanged when nothing fits */
			assert_memory_equal(a, session, sizeof(session) - 1);
	}
	/* the cap is the input's length: only deletes and moves fit */
	for (int k = 0; k < 200; k++) {
		memcpy(a, session, sizeof(session) - 1);
		size_t n = records_mutate(&r1, &f, a, sizeof(session) - 1, sizeof(session) - 1,
					  L(session));
		assert_true(n <= sizeof(session) - 1);
	}
}

static void test_cut_record(void **state)
{
	(void)state;
	struct rec_fmt f;
	uint32_t off[RECORDS_MAX + 1];
	uint8_t out[sizeof(session)], out2[sizeof(session) + 2];
	assert_true(records_find(L(session), &f));
	size_t n = records_split(&f, L(session), off, RECORDS_MAX);
	assert_int_equal(n, 5);

	/* the first DATA's 7 bytes cut to nothing: "D\0", the rest as it was */
	size_t m = records_cut(&f, L(session), off, 2, 0, out);
	static const char none[] = "H\x09"
				   "FRT\x02"
				   "alice"
				   "A\x04\xe7\x13\x22\x87"
				   "D\x00"
				   "D\x07\x02\x00world"
				   "C\x00";
	assert_int_equal(m, sizeof(none) - 1);
	assert_memory_equal(out, none, m);
	assert_int_equal(records_split(&f, out, m, off, RECORDS_MAX), 5);

	/* HELLO's 9 bytes cut to their first 4 */
	records_split(&f, L(session), off, RECORDS_MAX);
	m = records_cut(&f, L(session), off, 0, 4, out);
	assert_int_equal(m, sizeof(session) - 1 - 5);
	assert_memory_equal(out,
			    "H\x04"
			    "FRT\x02"
			    "A\x04",
			    8);

	/* nothing to cut: CLOSE has no data, and keep must be shorter */
	assert_int_equal(records_cut(&f, L(session), off, 4, 0, out), 0);
	assert_int_equal(records_cut(&f, L(session), off, 1, 4, out), 0);

	/* a chain followed by bytes that are no record: found as a prefix,
	 * not as a whole chain */
	uint8_t junk[sizeof(session) + 2]; /* the session, then 3 bytes */
	memcpy(junk, session, sizeof(session) - 1);
	memcpy(junk + sizeof(session) - 1, "Z\x7f!", 3);
	size_t end;
	assert_false(records_find(junk, sizeof(junk), &f));
	assert_true(records_find_prefix(junk, sizeof(junk), &f, &end));
	assert_int_equal(end, sizeof(session) - 1);
	assert_int_equal(records_split(&f, junk, end, off, RECORDS_MAX), 5);
	m = records_cut(&f, junk, sizeof(junk), off, 2, 0, out2);
	assert_int_equal(m, sizeof(junk) - 7);
	assert_memory_equal(out2 + m - 3, "Z\x7f!", 3);

	/* a record with a tail (a CRC after the data) is never cut */
	struct rec_fmt crc = f;
	crc.tail = 4;
	assert_int_equal(records_cut(&crc, L(session), off, 2, 0, out), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_session),
		cmocka_unit_test(test_find_png),
		cmocka_unit_test(test_no_format),
		cmocka_unit_test(test_mutate_keeps_chain),
		cmocka_unit_test(test_mutate_cap_and_seed),
		cmocka_unit_test(test_cut_record),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
