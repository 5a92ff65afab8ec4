/* ttfc_magic64.c - crashes only when bytes 4..11 hold one 64-bit value,
 * compared as one integer (bench/ttfc.sh). */
#include "ttfc.h"

static void check(const uint8_t *d, size_t n)
{
	if (n >= 12 && ttfc_u64(d + 4) == 0x5f1e8d2ca4b7360bull)
		TTFC_CRASH();
}

/* seed: the generic line; answer: the one crashing value. */
static void sample(int answer, struct ttfc_out *o)
{
	if (!answer) {
		ttfc_puts(o, TTFC_GENERIC_SEED);
		return;
	}
	uint64_t v = 0x5f1e8d2ca4b7360bull;
	ttfc_puts(o, "seed");
	ttfc_put(o, &v, sizeof v);
}
