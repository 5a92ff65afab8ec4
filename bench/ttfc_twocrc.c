/* ttfc_twocrc.c - two records, each with its own checksum, the second
 * covering the first: "TWO2", then record 1 (length byte, data, CRC-32 of the
 * data) and record 2 (length byte, data, Adler-32 of everything from record
 * 1's length byte to the end of record 2's data), ending the input exactly.
 * Only when both sums match is record 1 read, and one 32-bit tag at its
 * start crashes. Hard because the tag, the CRC and the Adler-32 must all
 * change together, and the Adler-32 is only checked once the CRC matches:
 * a fixed CRC with a stale Adler-32 takes the path any corrupt second
 * record takes, so fixing one sum at a time earns nothing (bench/ttfc.sh). */
#include "ttfc.h"

static uint32_t adler32(const uint8_t *p, size_t n)
{
	uint32_t a = 1, b = 0;
	for (size_t i = 0; i < n; i++) {
		a = (a + p[i]) % 65521u;
		b = (b + a) % 65521u;
	}
	return b << 16 | a;
}

static volatile uint32_t sink;

static void check(const uint8_t *d, size_t n)
{
	if (n < 4 || ttfc_u32(d) != 0x324f5754u) /* "TWO2" */
		return;
	size_t r1 = 4;
	if (n < r1 + 1)
		return;
	size_t len1 = d[r1];
	if (n < r1 + 1 + len1 + 4)
		return;
	const uint8_t *data1 = d + r1 + 1;
	if (ttfc_crc32(data1, len1) != ttfc_u32(data1 + len1))
		return;
	size_t r2 = r1 + 1 + len1 + 4;
	if (n < r2 + 1)
		return;
	size_t len2 = d[r2];
	if (n != r2 + 1 + len2 + 4)
		return;
	if (adler32(d + r1, n - 4 - r1) != ttfc_u32(d + n - 4))
		return;
	if (len1 >= 4 && ttfc_u32(data1) == 0xc0ffee11u) /* the planted bug */
		TTFC_CRASH();
	sink += (uint32_t)(len1 + len2);
}

/* seed: two plain text records; answer: record 1 starts with the tag. */
static void sample(int answer, struct ttfc_out *o)
{
	uint8_t data1[32] = "first record";
	size_t len1 = strlen((char *)data1);
	static const char data2[] = "second record";
	if (answer) {
		uint32_t tag = 0xc0ffee11u;
		memcpy(data1, &tag, 4);
	}
	ttfc_puts(o, "TWO2");
	size_t r1 = o->n;
	ttfc_put8(o, (uint8_t)len1);
	ttfc_put(o, data1, len1);
	ttfc_put32(o, ttfc_crc32(data1, len1));
	ttfc_put8(o, (uint8_t)(sizeof data2 - 1));
	ttfc_puts(o, data2);
	ttfc_put32(o, adler32(o->p + r1, o->n - r1));
}
