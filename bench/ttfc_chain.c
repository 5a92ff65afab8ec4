/* ttfc_chain.c - two steps: bytes 0..3 must hold a 32-bit magic, and only
 * then is the first line from byte 4 on compared with a keyword (strcmp);
 * crashes when both match (bench/ttfc.sh). */
#include "ttfc.h"

static void check(const uint8_t *d, size_t n)
{
	if (n < 4 || ttfc_u32(d) != 0x2d6b0f93u)
		return;
	char line[64];
	ttfc_line(line, sizeof line, d + 4, n - 4);
	if (strcmp(line, "chain-keyword") == 0)
		TTFC_CRASH();
}

/* seed: the generic line; answer: the one crashing value. */
static void sample(int answer, struct ttfc_out *o)
{
	if (!answer) {
		ttfc_puts(o, TTFC_GENERIC_SEED);
		return;
	}
	ttfc_put32(o, 0x2d6b0f93u);
	ttfc_puts(o, "chain-keyword");
}
