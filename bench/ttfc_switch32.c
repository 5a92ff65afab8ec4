/* ttfc_switch32.c - a switch on the 32-bit value in bytes 4..7: seven
 * harmless cases and one that crashes (bench/ttfc.sh). */
#include "ttfc.h"

static volatile uint32_t sink;

static void check(const uint8_t *d, size_t n)
{
	if (n < 8)
		return;
	uint32_t v = ttfc_u32(d + 4);
	switch (v) {
	case 0x10a3f2c1u:
		sink += v;
		break;
	case 0x2b7e1516u:
		sink ^= v >> 3;
		break;
	case 0x3243f6a8u:
		sink = sink * 3 + 1;
		break;
	case 0x452821e6u:
		sink -= 7;
		break;
	case 0x59c4d3b2u:
		TTFC_CRASH();
		break;
	case 0x6a09e667u:
		sink |= 0x100;
		break;
	case 0x7b54a41du:
		sink &= ~1u;
		break;
	case 0x8c3f1e9au:
		sink = ~sink;
		break;
	default:
		break;
	}
}

/* seed: the generic line; answer: the one crashing value. */
static void sample(int answer, struct ttfc_out *o)
{
	if (!answer) {
		ttfc_puts(o, TTFC_GENERIC_SEED);
		return;
	}
	ttfc_puts(o, "seed");
	ttfc_put32(o, 0x59c4d3b2u);
}
