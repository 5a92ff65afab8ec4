/* ttfc_rle.c - a run-length decoder with a 16-bit position: "RL", the
 * output size (1..256, 16 bits), then runs until the end of the input: an op
 * byte below 0x80 is a literal run of op + 1 bytes, 0x80..0xfe repeats the
 * next byte op - 0x7e times (2..128), 0xff repeats the byte after a 16-bit
 * count count + 129 times (the short form covers up to 128, so the long
 * form's count is biased). Each run is checked against the output size as
 * (uint16_t)(pos + count) > size, which wraps: a count that takes pos past
 * 65535 passes the check and runs past the 256-byte buffer, caught by a
 * check in the copy loop (the planted bug). It needs an op byte the seed
 * never uses, then a 16-bit field in 65407 - pos .. 65407 - pos + size that
 * no compare points to; the window always holds 65407 = 0xff7f, which is
 * -129, one of the interesting 16-bit values of havoc, so this is the
 * easiest of the targets with a structure (bench/ttfc.sh). */
#include "ttfc.h"

enum { OUT = 256 };

static volatile uint8_t sink;

static void check(const uint8_t *d, size_t n)
{
	uint8_t out[OUT];
	if (n < 4 || d[0] != 'R' || d[1] != 'L')
		return;
	uint16_t size = ttfc_u16(d + 2);
	if (size == 0 || size > OUT)
		return;
	uint16_t pos = 0;
	size_t i = 4;
	while (i < n) {
		uint8_t op = d[i++];
		if (op < 0x80) {
			size_t len = (size_t)op + 1;
			if (len > n - i || (uint16_t)(pos + len) > size)
				return;
			memcpy(out + pos, d + i, len);
			pos = (uint16_t)(pos + len);
			i += len;
			continue;
		}
		uint32_t count;
		if (op < 0xff) {
			count = (uint32_t)op - 0x7e;
		} else {
			if (n - i < 2)
				return;
			count = (uint32_t)ttfc_u16(d + i) + 129;
			i += 2;
		}
		if (i == n)
			return;
		uint8_t b = d[i++];
		if ((uint16_t)(pos + count) > size) /* wraps */
			return;
		for (uint32_t k = 0; k < count; k++) {
			if (pos >= OUT)
				TTFC_CRASH(); /* the planted bug: past the buffer */
			out[pos++] = b;
		}
	}
	if (pos)
		sink = out[pos - 1];
}

/* seed: literals and short repeats, 40 bytes out; answer: 4 literal bytes,
 * then a 0xff run of 0xff7b + 129 = 65532: 4 + 65532 wraps to 0. */
static void sample(int answer, struct ttfc_out *o)
{
	ttfc_puts(o, "RL");
	ttfc_put16(o, 64);
	ttfc_put8(o, 3);
	ttfc_puts(o, "abcd");
	if (answer) {
		ttfc_put8(o, 0xff);
		ttfc_put16(o, 0xff7b);
		ttfc_put8(o, 'z');
		return;
	}
	ttfc_put8(o, 0x80 + 10); /* 12 x 'x' */
	ttfc_put8(o, 'x');
	ttfc_put8(o, 7);
	ttfc_puts(o, "ferret!!");
	ttfc_put8(o, 0x80 + 14); /* 16 x '-' */
	ttfc_put8(o, '-');
}
