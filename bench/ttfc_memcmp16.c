/* ttfc_memcmp16.c - crashes only when bytes 4..19 equal a 16-byte key,
 * checked with one memcmp (bench/ttfc.sh). */
#include "ttfc.h"

static const uint8_t key[16] = {0x3c, 0xa7, 0x19, 0xe2, 0x58, 0x0d, 0xb4, 0x6f,
				0x91, 0x2e, 0xc5, 0x7a, 0x03, 0xd8, 0x66, 0xbb};

static void check(const uint8_t *d, size_t n)
{
	if (n >= 20 && memcmp(d + 4, key, sizeof key) == 0)
		TTFC_CRASH();
}

/* seed: the generic line; answer: the one crashing value. */
static void sample(int answer, struct ttfc_out *o)
{
	if (!answer) {
		ttfc_puts(o, TTFC_GENERIC_SEED);
		return;
	}
	ttfc_puts(o, "seed");
	ttfc_put(o, key, sizeof key);
}
