/*
 * covsum_test.c - unit tests of src/covsum.c: a summary built from a trace
 * says "nothing new" against a virgin map that has seen it, "new" for an
 * unseen edge or bucket, and "invalid" (run the input) for another
 * identity or map size, another entry's bytes, a truncated or extended
 * file, a flipped byte, an index out of range and an empty buffer; a
 * summary rebound to an entry's new bytes stands for those only. The identity of a file changes
 * with its bytes and with the flags.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "covsum.h"

#define MAP 4096
#define ID 0x1234567890abcdefull

static const uint8_t entry[] = "the entry's bytes";
#define ENTRY entry, sizeof(entry)

static void trace_of(uint8_t *t)
{
	memset(t, 0, MAP);
	t[3] = 1;
	t[100] = 8;
	t[MAP - 1] = 128;
}

static void test_nothing_and_new(void **state)
{
	(void)state;
	uint8_t t[MAP], virgin[MAP];
	trace_of(t);
	uint8_t *sum;
	size_t len;
	assert_int_equal(covsum_build(ID, ENTRY, t, MAP, &sum, &len), 0);
	assert_int_equal(len, 48 + 5 * 3);
	memset(virgin, 0xff, MAP);
	assert_int_equal(covsum_check(sum, len, ID, ENTRY, virgin, MAP), COVSUM_NEW);
	for (size_t i = 0; i < MAP; i++)
		virgin[i] &= (uint8_t)~t[i];
	assert_int_equal(covsum_check(sum, len, ID, ENTRY, virgin, MAP), COVSUM_NOTHING);
	virgin[100] |= 8; /* the bucket of one edge not seen yet */
	assert_int_equal(covsum_check(sum, len, ID, ENTRY, virgin, MAP), COVSUM_NEW);
	virgin[100] = 0xff & ~8 & ~4;
	assert_int_equal(covsum_check(sum, len, ID, ENTRY, virgin, MAP), COVSUM_NOTHING);
	free(sum);
}

static void test_invalid(void **state)
{
	(void)state;
	uint8_t t[MAP], virgin[MAP];
	trace_of(t);
	memset(virgin, 0, MAP); /* everything seen: only validity can say run */
	uint8_t *sum;
	size_t len;
	assert_int_equal(covsum_build(ID, ENTRY, t, MAP, &sum, &len), 0);
	assert_int_equal(covsum_check(sum, len, ID, ENTRY, virgin, MAP), COVSUM_NOTHING);
	assert_int_equal(covsum_check(sum, len, ID + 1, ENTRY, virgin, MAP), COVSUM_INVALID);
	assert_int_equal(covsum_check(sum, len, 0, ENTRY, virgin, MAP), COVSUM_INVALID);
	/* the same name, other bytes (a queue rebuilt, a summary left over) */
	assert_int_equal(covsum_check(sum, len, ID, entry, sizeof(entry) - 1, virgin, MAP),
			 COVSUM_INVALID);
	assert_int_equal(covsum_check(sum, len, ID, (const uint8_t *)"other", 5, virgin, MAP),
			 COVSUM_INVALID);
	assert_int_equal(covsum_check(sum, len, ID, ENTRY, virgin, MAP / 2), COVSUM_INVALID);
	assert_int_equal(covsum_check(sum, len - 1, ID, ENTRY, virgin, MAP), COVSUM_INVALID);
	assert_int_equal(covsum_check(sum, 0, ID, ENTRY, virgin, MAP), COVSUM_INVALID);
	assert_int_equal(covsum_check(sum, 10, ID, ENTRY, virgin, MAP), COVSUM_INVALID);
	for (size_t i = 0; i < len; i++) { /* any one flipped byte */
		sum[i] ^= 0x40;
		assert_int_equal(covsum_check(sum, len, ID, ENTRY, virgin, MAP), COVSUM_INVALID);
		sum[i] ^= 0x40;
	}
	uint8_t *big = malloc(len + 5);
	assert_non_null(big);
	memcpy(big, sum, len);
	memset(big + len, 0, 5);
	assert_int_equal(covsum_check(big, len + 5, ID, ENTRY, virgin, MAP), COVSUM_INVALID);
	free(big);
	free(sum);
	/* a consistent summary (checksum right) naming an index past the map */
	uint8_t t2[2 * MAP];
	memset(t2, 0, sizeof(t2));
	t2[MAP + 5] = 1;
	assert_int_equal(covsum_build(ID, ENTRY, t2, 2 * MAP, &sum, &len), 0);
	memcpy(sum + 16, &(uint64_t){MAP}, 8); /* claims the smaller map */
	assert_int_equal(covsum_check(sum, len, ID, ENTRY, virgin, MAP), COVSUM_INVALID);
	free(sum);
}

/* Trim gave the entry other bytes on the same path: the summary follows
 * them, and no longer stands for the old ones. */
static void test_rebind(void **state)
{
	(void)state;
	uint8_t t[MAP], virgin[MAP];
	trace_of(t);
	memset(virgin, 0, MAP);
	uint8_t *sum;
	size_t len;
	static const uint8_t cut[] = "the bytes";
	assert_int_equal(covsum_build(ID, ENTRY, t, MAP, &sum, &len), 0);
	assert_int_equal(covsum_rebind(sum, len, cut, sizeof(cut)), 0);
	assert_int_equal(covsum_check(sum, len, ID, cut, sizeof(cut), virgin, MAP), COVSUM_NOTHING);
	assert_int_equal(covsum_check(sum, len, ID, ENTRY, virgin, MAP), COVSUM_INVALID);
	assert_int_not_equal(covsum_rebind(sum, len - 1, cut, sizeof(cut)), 0);
	sum[0] ^= 1;
	assert_int_not_equal(covsum_rebind(sum, len, cut, sizeof(cut)), 0);
	free(sum);
}

static void test_identity(void **state)
{
	(void)state;
	char path[] = "/tmp/covsum_test.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "abc", 3), 3);
	uint64_t a = covsum_identity(path, MAP, 0);
	assert_true(a != 0);
	assert_true(covsum_identity(path, MAP, 0) == a);
	assert_true(covsum_identity(path, MAP, 1) != a);
	assert_true(covsum_identity(path, MAP * 2, 0) != a);
	assert_int_equal(write(fd, "d", 1), 1);
	assert_true(covsum_identity(path, MAP, 0) != a);
	close(fd);
	unlink(path);
	assert_true(covsum_identity(path, MAP, 0) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nothing_and_new),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_rebind),
		cmocka_unit_test(test_identity),
	};
	return cmocka_run_group_tests_name("covsum", tests, NULL, NULL);
}
