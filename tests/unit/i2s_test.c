/*
 * i2s_test.c - unit tests of src/core/i2s.c, input-to-state, over
 * hand-written compare logs laid out as the runtime writes them (rings of
 * FERRET_CMP_WAYS records, seq numbering the records of a run). One test
 * per kind of candidate: integers in both byte orders and inserted,
 * routine compares inserted, strings of byte compares (one site's ring, a
 * run of consecutive seq, not across a gap), sums and differences of
 * fields, length fields recounted, checksums written into the stored
 * field and kept by every candidate, the structure moved over a trim's cut;
 * then the candidate to follow, driven
 * against a fake byte-by-byte keyword loop until it matches (what the
 * loop's follow-up would do), and bounds: the budget, the stop, random
 * logs on random inputs (no candidate longer than the scratch buffer, no
 * duplicate).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "crc32_ref.h"
#include "i2s.h"
#include "rng.h"

#define CAP 512
#define MAX_CANDS 4096

/* A string literal with its length, NULs included. */
#define L(s) (const uint8_t *)s, sizeof(s) - 1

struct cands {
	size_t n;
	size_t len[MAX_CANDS];
	uint8_t *data[MAX_CANDS];
	int stop_after; /* emit returns 1 after this many (0: never) */
};

static int collect(void *ctx, const uint8_t *buf, size_t len)
{
	struct cands *c = ctx;
	assert_true(len <= CAP);
	if (c->n < MAX_CANDS) {
		c->data[c->n] = malloc(len ? len : 1);
		assert_non_null(c->data[c->n]);
		memcpy(c->data[c->n], buf, len);
		c->len[c->n] = len;
	}
	c->n++;
	return c->stop_after && c->n >= (size_t)c->stop_after;
}

static void cands_free(struct cands *c)
{
	for (size_t i = 0; i < c->n && i < MAX_CANDS; i++)
		free(c->data[i]);
	memset(c, 0, sizeof(*c));
}

static int has(const struct cands *c, const uint8_t *want, size_t len)
{
	for (size_t i = 0; i < c->n && i < MAX_CANDS; i++)
		if (c->len[i] == len && !memcmp(c->data[i], want, len))
			return 1;
	return 0;
}

static struct ferret_cmp_site *log_new(void)
{
	struct ferret_cmp_site *log = calloc(FERRET_CMP_SITES, sizeof(*log));
	assert_non_null(log);
	return log;
}

static struct ferret_cmp_rec *log_next(struct ferret_cmp_site *log, size_t site, uint32_t seq)
{
	struct ferret_cmp_site *s = &log[site];
	struct ferret_cmp_rec *r = &s->rec[s->n % FERRET_CMP_WAYS];
	memset(r, 0, sizeof(*r));
	r->seq = seq;
	s->n++;
	return r;
}

static void log_int(struct ferret_cmp_site *log, size_t site, uint32_t seq, unsigned w, uint64_t a,
		    uint64_t b)
{
	struct ferret_cmp_rec *r = log_next(log, site, seq);
	r->kind = FERRET_CMP_INT;
	r->width = (uint8_t)w;
	r->len_a = r->len_b = (uint8_t)w;
	memcpy(r->a, &a, 8);
	memcpy(r->b, &b, 8);
}

static void log_mem(struct ferret_cmp_site *log, size_t site, uint32_t seq, const uint8_t *a,
		    size_t la, const uint8_t *b, size_t lb)
{
	struct ferret_cmp_rec *r = log_next(log, site, seq);
	r->kind = FERRET_CMP_MEM;
	r->len_a = (uint8_t)la;
	r->len_b = (uint8_t)lb;
	memcpy(r->a, a, la);
	memcpy(r->b, b, lb);
}

static size_t run(const uint8_t *in, size_t len, const struct ferret_cmp_site *log, struct cands *c)
{
	static uint8_t scratch[CAP];
	return i2s_run(in, len, log, FERRET_CMP_SITES, scratch, CAP, MAX_CANDS, collect, c);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put_be32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[3 - i] = (uint8_t)(v >> (8 * i));
}

/* A 32-bit operand is written where the other is, in the byte order it
 * was found in, and inserted there as well as written over it. */
static void test_int_both_orders_and_insert(void **state)
{
	(void)state;
	struct ferret_cmp_site *log = log_new();
	struct cands c = {0};
	uint8_t in[12] = "xxxx....yyyy", want[16];
	put_be32(in + 4, 0x01020304u);
	log_int(log, 5, 1, 4, 0x01020304u, 0xdeadbeefu);
	run(in, sizeof(in), log, &c);

	memcpy(want, in, 12);
	put_be32(want + 4, 0xdeadbeefu);
	assert_true(has(&c, want, 12));
	put_be32(want + 4, 0xdeadbeefu + 1);
	assert_true(has(&c, want, 12));
	/* inserted: the value, then the field that was there */
	memcpy(want, in, 4);
	put_be32(want + 4, 0xdeadbeefu);
	memcpy(want + 8, in + 4, 8);
	assert_true(has(&c, want, 16));
	cands_free(&c);
	free(log);
}

/* A routine compare's constant is inserted before what was compared: the
 * bytes there may be the next field, already right. */
static void test_mem_insert(void **state)
{
	(void)state;
	struct ferret_cmp_site *log = log_new();
	struct cands c = {0};
	log_mem(log, 9, 1, L("secon"), L("FIRST"));
	run(L("second-part"), log, &c);
	assert_true(has(&c, L("FIRSTsecond-part")));
	assert_true(has(&c, L("FIRSTd-part"))); /* and written over, as before */
	cands_free(&c);
	free(log);
}

/* One site's ring, in order: the bytes of a keyword loop that matched,
 * then the one that did not. The byte goes where the string is, not to
 * every other 'x' of the input. */
static void test_byte_loop_ring(void **state)
{
	(void)state;
	struct ferret_cmp_site *log = log_new();
	struct cands c = {0};
	log_int(log, 40, 3, 1, 'K', 'K');
	log_int(log, 40, 5, 1, 'E', 'E');
	log_int(log, 40, 7, 1, 'x', 'Y');
	run(L("xxxxKExx"), log, &c);
	assert_true(has(&c, L("xxxxKEYx")));
	assert_false(has(&c, L("xYxxKExx")));
	assert_false(has(&c, L("YxxxKExx")));
	/* a byte that matched is not a candidate of its own */
	for (size_t i = 0; i < c.n; i++)
		assert_int_equal(c.len[i] >= 8, 1);
	cands_free(&c);
	free(log);
}

/* Byte compares of three sites logged one right after the other (clang
 * -O1's folded nested ifs) are one string; with a gap in seq (a switch's
 * cases, or unrelated compares) they are not. */
static void test_byte_seq_run(void **state)
{
	(void)state;
	struct ferret_cmp_site *log = log_new();
	struct cands c = {0};
	log_int(log, 100, 10, 1, 'A', 'b');
	log_int(log, 200, 11, 1, 'A', 'u');
	log_int(log, 300, 12, 1, 'A', 'g');
	run(L("AAAAAA"), log, &c);
	assert_true(has(&c, L("bugAAA")));
	cands_free(&c);
	free(log);

	log = log_new();
	log_int(log, 100, 10, 1, 'A', 'b');
	log_int(log, 200, 12, 1, 'A', 'u');
	log_int(log, 300, 14, 1, 'A', 'g');
	run(L("AAAAAA"), log, &c);
	assert_false(has(&c, L("buAAAA")));
	assert_false(has(&c, L("bugAAA")));
	assert_true(has(&c, L("bAAAAA"))); /* single bytes, as before */
	cands_free(&c);
	free(log);
}

/* An equal byte record alone gives nothing (not even plus or minus one). */
static void test_equal_byte_alone(void **state)
{
	(void)state;
	struct ferret_cmp_site *log = log_new();
	struct cands c = {0};
	log_int(log, 7, 1, 1, 'q', 'q');
	assert_int_equal(run(L("aqbqc"), log, &c), 0);
	cands_free(&c);
	free(log);
}

/* offset + size, both 16-bit little endian at 0 and 2, compared (as a
 * promoted int, 8 bytes) with the input's length: one field is set so the
 * sum is right, or one to the length and the other to 0. */
static void test_sum_of_fields(void **state)
{
	(void)state;
	struct ferret_cmp_site *log = log_new();
	struct cands c = {0};
	const uint8_t in[20] = "AAAAAAAAAAAAAAAAAAAA";
	log_int(log, 3, 1, 8, 0x4141 + 0x4141, 20);
	run(in, sizeof(in), log, &c);
	uint8_t want[20];
	memcpy(want, in, 20);
	want[0] = 20;
	want[1] = want[2] = want[3] = 0;
	assert_true(has(&c, want, 20)); /* offset 20, size 0 */
	cands_free(&c);
	free(log);
}

/* end - start == 0x00c0ffee, 32-bit fields at 0 and 4, both "AAAA": the
 * difference is 0 and does not tell which is subtracted; the end (or the
 * start) is set so that it holds either way round. */
static void test_diff_of_fields(void **state)
{
	(void)state;
	struct ferret_cmp_site *log = log_new();
	struct cands c = {0};
	const uint8_t in[12] = "AAAAAAAAAAAA";
	log_int(log, 3, 1, 4, 0, 0x00c0ffeeu);
	run(in, sizeof(in), log, &c);
	uint8_t want[12];
	memcpy(want, in, 12);
	put_le32(want + 4, 0x41414141u + 0x00c0ffeeu);
	assert_true(has(&c, want, 12));
	cands_free(&c);
	free(log);
}

/* A loop counter against its bound (both small) is not split into fields. */
static void test_small_values_not_split(void **state)
{
	(void)state;
	struct ferret_cmp_site *log = log_new();
	struct cands c = {0};
	log_int(log, 3, 1, 8, 3, 0x16);
	run(L("AAAAAAAAAAAA"), log, &c);
	/* the append of 0x16 and the ASCII forms only: no two-field writes */
	for (size_t i = 0; i < c.n; i++)
		assert_true(c.len[i] != 12 || memcmp(c.data[i], "AAAAAAAAAAAA", 12));
	assert_true(c.n <= 4);
	cands_free(&c);
	free(log);
}

/* Byte 0 counts the bytes after it: a string put there with a length
 * change comes with the count fixed, and also without (it might not be a
 * count). */
static void test_length_field(void **state)
{
	(void)state;
	struct ferret_cmp_site *log = log_new();
	struct cands c = {0};
	log_mem(log, 11, 1, L("abcd"), L("FERRET-LENGTH"));
	run(L("\x04"
	      "abcd"),
	    log, &c);
	assert_true(has(&c, L("\x0d"
			      "FERRET-LENGTH")));
	assert_true(has(&c, L("\x04"
			      "FERRET-LENGTH")));
	/* and an insertion before the counted bytes counts them too */
	assert_true(has(&c, L("\x11"
			      "FERRET-LENGTHabcd")));
	cands_free(&c);
	free(log);
}

/* A count up to a delimiter (the byte one site's compares all seek): a
 * longer string before the ';' is counted, and an edit of the same length
 * after it changes no count. */
static void test_length_to_delimiter(void **state)
{
	(void)state;
	struct ferret_cmp_site *log = log_new();
	struct cands c = {0};
	log_int(log, 30, 1, 1, 'a', ';');
	log_int(log, 30, 3, 1, 'b', ';');
	log_int(log, 30, 5, 1, 'c', ';');
	log_mem(log, 31, 7, L("abc"), L("abcdef"));
	log_mem(log, 32, 8, L("rest"), L("REST"));
	run(L("\x03"
	      "abc;rest"),
	    log, &c);
	assert_true(has(&c, L("\x06"
			      "abcdef;rest")));
	assert_true(has(&c, L("\x03"
			      "abc;REST")));
	assert_false(has(&c, L("\x08"
			       "abc;REST")));
	cands_free(&c);
	free(log);
}

/* The log compares a length the program computed (the bytes after a
 * 16-bit big-endian field) with the field: the field gets it. */
static void test_length_from_log(void **state)
{
	(void)state;
	struct ferret_cmp_site *log = log_new();
	struct cands c = {0};
	log_int(log, 12, 1, 8, 0x0909, 6); /* field 0x0909, 6 bytes follow it */
	run(L("H\x09\x09"
	      "body!!"),
	    log, &c);
	assert_true(has(&c, L("H\x00\x06"
			      "body!!")));
	cands_free(&c);
	free(log);
}

/* The program compares a CRC-32 it computed (found nowhere in the input)
 * with the stored field (0, at 0): the CRC is written there in both byte
 * orders; the reverse, appending the field's value, is not tried. */
static void test_crc_logged(void **state)
{
	(void)state;
	struct ferret_cmp_site *log = log_new();
	struct cands c = {0};
	uint8_t in[12] = {0, 0, 0, 0, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'}, want[16];
	uint32_t crc = crc32_ref(in + 4, 8);
	log_int(log, 20, 1, 4, crc, 0);
	run(in, sizeof(in), log, &c);
	memcpy(want, in, 12);
	put_be32(want, crc);
	assert_true(has(&c, want, 12));
	put_le32(want, crc);
	assert_true(has(&c, want, 12));
	memcpy(want, in, 12);
	memset(want + 12, 0, 4);
	assert_false(has(&c, want, 16)); /* the reverse */
	cands_free(&c);
	free(log);
}

/* A stored CRC-32 (big endian, over the rest) is found from the input
 * alone, and every candidate keeps it: the magic written at 4 comes with
 * the CRC recomputed. */
static void test_crc_kept(void **state)
{
	(void)state;
	struct ferret_cmp_site *log = log_new();
	struct cands c = {0};
	uint8_t in[12] = {0, 0, 0, 0, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'}, want[12];
	put_be32(in, crc32_ref(in + 4, 8));
	log_int(log, 21, 1, 4, 0x64636261u, 0xfeedc0deu);
	run(in, sizeof(in), log, &c);
	memcpy(want, in, 12);
	put_le32(want + 4, 0xfeedc0deu);
	assert_false(has(&c, want, 12)); /* never with the old CRC */
	put_be32(want, crc32_ref(want + 4, 8));
	assert_true(has(&c, want, 12));
	for (size_t i = 0; i < c.n; i++)
		if (c.len[i] >= 5)
			assert_int_equal(crc32_ref(c.data[i] + 4, c.len[i] - 4),
					 ((uint32_t)c.data[i][0] << 24 |
					  (uint32_t)c.data[i][1] << 16 |
					  (uint32_t)c.data[i][2] << 8 | c.data[i][3]));
	cands_free(&c);
	free(log);
}

/*
 * A text protocol's decimal checksum: "Sum: 1170" is the byte sum of the
 * body after the blank line, and its compare passed. A byte written into
 * the body comes with the sum rewritten in as many digits (zero-padded
 * when shorter), and never with the old one.
 */
static void test_decimal_sum_kept(void **state)
{
	(void)state;
	struct ferret_cmp_site *log = log_new();
	struct cands c = {0};
	static const char in[] = "TXP/1 POST\nKind: script\nSum: 1170\n\nhello, world\n";
	static const char want[] = "TXP/1 POST\nKind: script\nSum: 1101\n\n#ello, world\n";
	static const char stale[] = "TXP/1 POST\nKind: script\nSum: 1170\n\n#ello, world\n";
	log_int(log, 3, 1, 8, 1170, 1170);
	log_int(log, 4, 2, 1, '#', 'h');
	log[4].rec[0].flags = FERRET_CMP_CONST;
	run(L(in), log, &c);
	assert_true(has(&c, L(want)));
	assert_false(has(&c, L(stale)));
	cands_free(&c);

	/* a sum that needs fewer digits keeps the field's width */
	static const char in2[] = "Sum: 260\n\n\xc8\x3c";
	static const char want2[] = "Sum: 061\n\n\x01\x3c";
	memset(log, 0, FERRET_CMP_SITES * sizeof(*log));
	log_int(log, 3, 1, 8, 260, 260);
	log_int(log, 4, 2, 1, 0x01, 0xc8);
	log[4].rec[0].flags = FERRET_CMP_CONST;
	run(L(in2), log, &c);
	assert_true(has(&c, L(want2)));
	cands_free(&c);
	free(log);
}

/*
 * A count times an element size, compared as a total that is nowhere in
 * the input: the count is set so that the product is the other side, and
 * to the smallest count whose product wraps 32 bits (4 x 3 = 12 compared
 * with 3: 0x55555556 x 3 = 2 mod 2^32).
 */
static void test_product_of_field(void **state)
{
	(void)state;
	struct ferret_cmp_site *log = log_new();
	struct cands c = {0};
	log_int(log, 9, 1, 8, 3, 12);
	run(L("TBL1\x02\x04\x00\x00\x00"
	      "abcdefghijkl"),
	    log, &c);
	assert_true(has(&c, L("TBL1\x02\x01\x00\x00\x00"
			      "abcdefghijkl"))); /* 3 / 3 */
	assert_true(has(&c, L("TBL1\x02\x02\x00\x00\x00"
			      "abcdefghijkl"))); /* just above */
	assert_true(has(&c, L("TBL1\x02\x56\x55\x55\x55"
			      "abcdefghijkl"))); /* wraps */
	cands_free(&c);
	free(log);
}

/*
 * What the compare stage found, kept in a mutant made without it: a length
 * byte to the end recounted in a longer mutant, a trailing CRC-32 moved to
 * the new end and recomputed, a decimal sum rewritten; a field whose place
 * is gone is left alone.
 */
static void test_keep_structure(void **state)
{
	(void)state;
	struct ferret_cmp_site *log = log_new();
	struct cands c = {0};
	uint8_t in[13] = {'V', 'M', 6, 'P', 1, 'P', 2, '+', 'H', 0, 0, 0, 0}, mut[20];
	put_le32(in + 9, crc32_ref(in, 9));
	in[2] = 10; /* the bytes after it: 6 of program and the CRC */
	put_le32(in + 9, crc32_ref(in, 9));
	struct i2s_out out = {.want_structure = 1};
	static uint8_t scratch[CAP];
	i2s_run_ex(in, sizeof(in), log, FERRET_CMP_SITES, scratch, CAP, 16, 0, collect, &c, &out);
	assert_non_null(out.structure);
	/* havoc inserted "P\x09" before the 'H' */
	memcpy(mut, in, 8);
	memcpy(mut + 8, "P\x09H", 3);
	memset(mut + 11, 0xee, 4);
	i2s_keep(out.structure, mut, 15);
	assert_int_equal(mut[2], 12);
	assert_int_equal(mut[11] | mut[12] << 8 | mut[13] << 16 | (uint32_t)mut[14] << 24,
			 crc32_ref(mut, 11));
	/* too short to hold the length byte: nothing is written */
	memcpy(mut, "VM\x01", 3);
	i2s_keep(out.structure, mut, 2);
	assert_int_equal(mut[2], 1);
	free(out.structure);
	cands_free(&c);

	static const char text[] = "Sum: 300\n\ndd\x64";
	uint8_t t[32];
	memset(log, 0, FERRET_CMP_SITES * sizeof(*log));
	log_int(log, 3, 1, 8, 300, 300);
	out.structure = NULL;
	i2s_run_ex(L(text), log, FERRET_CMP_SITES, scratch, CAP, 16, 0, collect, &c, &out);
	assert_non_null(out.structure);
	memcpy(t, "Sum: 300\n\ndd\x64\x01", 14);
	i2s_keep(out.structure, t, 14);
	assert_memory_equal(t, "Sum: 301\n\ndd\x64\x01", 14);
	free(out.structure);
	cands_free(&c);
	free(log);
}

/* The frame of the bench's crc target: "CRC1", a 16-bit length of the
 * payload (little endian), the payload's CRC-32, the payload. */
static size_t crc_frame(uint8_t *out, const char *payload)
{
	size_t n = strlen(payload);
	memcpy(out, "CRC1", 4);
	out[4] = (uint8_t)n;
	out[5] = (uint8_t)(n >> 8);
	put_le32(out + 6, crc32_ref((const uint8_t *)payload, n));
	memcpy(out + 10, payload, n);
	return 10 + n;
}

/*
 * For a trim (I2S_STRUCTURE): the length that skips the CRC after it is
 * found too, which the loop's structure leaves out; moved over a cut of
 * the payload (i2s_cut), both fields are made true again. A cut into the
 * CRC field drops it; a cut before the fields moves them.
 */
static void test_cut_structure(void **state)
{
	(void)state;
	struct ferret_cmp_site *log = log_new();
	struct cands c = {0};
	static uint8_t scratch[CAP];
	uint8_t in[64], want[64], buf[64];
	size_t n = crc_frame(in, "ping hello ferret");
	struct i2s_out out = {.want_structure = 1};
	i2s_run_ex(in, n, log, FERRET_CMP_SITES, scratch, CAP, 16, 0, collect, &c, &out);
	assert_non_null(out.structure);
	assert_int_equal(out.structure->n, 1); /* the CRC only */
	free(out.structure);
	cands_free(&c);

	i2s_run_ex(in, n, log, FERRET_CMP_SITES, scratch, CAP, 0, I2S_STRUCTURE, NULL, NULL, &out);
	assert_non_null(out.structure);
	assert_int_equal(out.structure->n, 2);
	struct i2s_structure st = *out.structure;
	free(out.structure);

	/* " hello ferret" cut from the payload */
	struct i2s_structure moved = st;
	i2s_cut(&moved, 14, 13);
	assert_int_equal(moved.len, n - 13);
	memcpy(buf, in, 14);
	assert_int_equal(i2s_keep(&moved, buf, 14), 2);
	assert_int_equal(crc_frame(want, "ping"), 14);
	assert_memory_equal(buf, want, 14);

	/* two bytes of the CRC cut: only the length is kept, its range
	 * moved with the payload (so its value holds) */
	moved = st;
	i2s_cut(&moved, 7, 2);
	assert_int_equal(moved.n, 1);
	assert_int_equal(moved.f[0].at, 4);
	assert_int_equal(moved.f[0].from, 8);
	assert_int_equal(moved.f[0].to, n - 2);
	memcpy(buf, in, 7);
	memcpy(buf + 7, in + 9, n - 9);
	assert_int_equal(i2s_keep(&moved, buf, n - 2), 0);
	assert_memory_equal(buf, in, 7);

	/* "RC" cut from the magic: the fields move with the bytes */
	moved = st;
	i2s_cut(&moved, 1, 2);
	memcpy(buf, "C1", 2);
	memcpy(buf + 2, in + 4, n - 4);
	buf[2] = 0; /* a wrong length, rewritten */
	assert_int_equal(i2s_keep(&moved, buf, n - 2), 1);
	assert_memory_equal(buf + 2, in + 4, n - 4);
	free(log);
}

/*
 * The fake program of the follow tests: `for (i = 0; kw[i]; i++) if (i >=
 * n || in[i] != kw[i]) return;` logged as the runtime logs it (each byte
 * compare at one site, equal ones too, the bound's compare between them
 * at another). Returns whether the keyword matched.
 */
static int keyword_loop(struct ferret_cmp_site *log, const uint8_t *in, size_t n, const char *kw)
{
	uint32_t seq = 0;
	memset(log, 0, FERRET_CMP_SITES * sizeof(*log));
	for (size_t i = 0; kw[i]; i++) {
		log_int(log, 33, seq++, 8, i, n);
		if (i >= n)
			return 0;
		log_int(log, 44, seq++, 1, in[i], (uint8_t)kw[i]);
		if (in[i] != (uint8_t)kw[i])
			return 0;
	}
	return 1;
}

/* Following the candidate that got the next byte right matches a 16-byte
 * keyword in about one round a byte, from an input too short for it. */
static void test_follow_keyword_loop(void **state)
{
	(void)state;
	static const char kw[] = "FERRET-BYTE-LOOP";
	struct ferret_cmp_site *log = log_new();
	static uint8_t scratch[CAP], cur[CAP];
	struct cands c = {0};
	size_t n = 5, rounds = 0;
	memcpy(cur, "FEzzz", n);
	while (!keyword_loop(log, cur, n, kw) && rounds < 40) {
		struct i2s_out out = {.follow = cur};
		i2s_run_ex(cur, n, log, FERRET_CMP_SITES, scratch, CAP, 64,
			   rounds ? I2S_STRINGS : 0, collect, &c, &out);
		n = out.follow_len;
		assert_true(n > 0);
		rounds++;
	}
	assert_int_equal(memcmp(cur, kw, 16), 0);
	assert_true(rounds <= 16);
	/* strings only: a round emits one or two candidates */
	assert_true(c.n <= 64 + 2 * rounds);
	cands_free(&c);
	free(log);
}

/* Without a string there is nothing to follow. */
static void test_follow_none(void **state)
{
	(void)state;
	struct ferret_cmp_site *log = log_new();
	static uint8_t scratch[CAP], follow[CAP];
	struct cands c = {0};
	size_t n = 99;
	log_int(log, 5, 1, 4, 0x41414141u, 0xdeadbeefu);
	struct i2s_out out = {.follow = follow};
	i2s_run_ex(L("AAAAAAAA"), log, FERRET_CMP_SITES, scratch, CAP, 64, 0, collect, &c, &out);
	n = out.follow_len;
	assert_int_equal(n, 0);
	assert_true(c.n > 0);
	cands_free(&c);
	free(log);
}

/* The budget and the callback's stop are obeyed. */
static void test_budget_and_stop(void **state)
{
	(void)state;
	struct ferret_cmp_site *log = log_new();
	static uint8_t scratch[CAP];
	struct cands c = {0};
	for (uint32_t s = 0; s < 64; s++)
		log_int(log, s, s, 4, 0x41414141u, 0x1000u * s + 0x12345678u);
	assert_int_equal(i2s_run(L("AAAAAAAAAAAAAAAA"), log, FERRET_CMP_SITES, scratch, CAP, 10,
				 collect, &c),
			 10);
	assert_int_equal(c.n, 10);
	cands_free(&c);
	c.stop_after = 3;
	assert_int_equal(i2s_run(L("AAAAAAAAAAAAAAAA"), log, FERRET_CMP_SITES, scratch, CAP, 100,
				 collect, &c),
			 3);
	assert_int_equal(c.n, 3);
	cands_free(&c);
	free(log);
}

/* Random logs on random inputs: candidates fit the scratch buffer (the
 * callback asserts it), none twice, never more than the budget. Under
 * make SAN=address,undefined unit this also checks every read and write. */
static void test_random_logs(void **state)
{
	(void)state;
	struct rng r;
	rng_seed(&r, 7);
	struct ferret_cmp_site *log = log_new();
	static uint8_t in[CAP], scratch[CAP];
	for (int round = 0; round < 200; round++) {
		struct cands c = {0};
		size_t len = 1 + rng_next(&r) % (round % 2 ? 40 : CAP);
		for (size_t i = 0; i < len; i++)
			in[i] = (uint8_t)(rng_next(&r) % 4 ? 'A' + rng_next(&r) % 4 : rng_next(&r));
		memset(log, 0, FERRET_CMP_SITES * sizeof(*log));
		for (int k = 0; k < 40; k++) {
			size_t site = rng_next(&r) % 64;
			uint32_t seq = (uint32_t)(rng_next(&r) % 64);
			size_t at = rng_next(&r) % len;
			if (rng_next(&r) % 3 == 0) {
				uint8_t a[FERRET_CMP_BYTES], b[FERRET_CMP_BYTES];
				size_t la = rng_next(&r) % (FERRET_CMP_BYTES + 1);
				size_t lb = rng_next(&r) % (FERRET_CMP_BYTES + 1);
				for (size_t i = 0; i < la; i++)
					a[i] = at + i < len ? in[at + i] : 0;
				for (size_t i = 0; i < lb; i++)
					b[i] = (uint8_t)rng_next(&r);
				log_mem(log, site, seq, a, la, b, lb);
			} else {
				static const unsigned ws[4] = {1, 2, 4, 8};
				unsigned w = ws[rng_next(&r) % 4];
				uint64_t a = 0;
				memcpy(&a, in + at, at + w <= len ? w : len - at);
				log_int(log, site, seq, w,
					rng_next(&r) % 2 ? a : rng_next(&r) % 300, rng_next(&r));
			}
		}
		size_t max = 1 + rng_next(&r) % 600;
		size_t n = i2s_run(in, len, log, FERRET_CMP_SITES, scratch, CAP, max, collect, &c);
		assert_int_equal(n, c.n);
		assert_true(n <= max);
		for (size_t i = 0; i < c.n; i++)
			for (size_t j = i + 1; j < c.n; j++)
				assert_false(c.len[i] == c.len[j] &&
					     !memcmp(c.data[i], c.data[j], c.len[i]));
		cands_free(&c);
	}
	free(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_int_both_orders_and_insert),
		cmocka_unit_test(test_mem_insert),
		cmocka_unit_test(test_byte_loop_ring),
		cmocka_unit_test(test_byte_seq_run),
		cmocka_unit_test(test_equal_byte_alone),
		cmocka_unit_test(test_sum_of_fields),
		cmocka_unit_test(test_diff_of_fields),
		cmocka_unit_test(test_small_values_not_split),
		cmocka_unit_test(test_length_field),
		cmocka_unit_test(test_length_to_delimiter),
		cmocka_unit_test(test_length_from_log),
		cmocka_unit_test(test_crc_logged),
		cmocka_unit_test(test_crc_kept),
		cmocka_unit_test(test_decimal_sum_kept),
		cmocka_unit_test(test_product_of_field),
		cmocka_unit_test(test_keep_structure),
		cmocka_unit_test(test_cut_structure),
		cmocka_unit_test(test_follow_keyword_loop),
		cmocka_unit_test(test_follow_none),
		cmocka_unit_test(test_budget_and_stop),
		cmocka_unit_test(test_random_logs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
