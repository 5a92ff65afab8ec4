/* ttfc_magic32.c - crashes only when bytes 4..7 hold one 32-bit value,
 * compared as one integer (bench/ttfc.sh). */
#include "ttfc.h"

static void check(const uint8_t *d, size_t n)
{
	if (n >= 8 && ttfc_u32(d + 4) == 0x7c3a91e5u)
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
	ttfc_put32(o, 0x7c3a91e5u);
}
