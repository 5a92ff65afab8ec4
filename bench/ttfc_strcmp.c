/* ttfc_strcmp.c - crashes only when the first line of the input (up to
 * '\n' or the end) is exactly one keyword, checked with strcmp
 * (bench/ttfc.sh). */
#include "ttfc.h"

static void check(const uint8_t *d, size_t n)
{
	char line[64];
	ttfc_line(line, sizeof line, d, n);
	if (strcmp(line, "ferret-bench-kw") == 0)
		TTFC_CRASH();
}

/* seed: the generic line; answer: the one crashing value. */
static void sample(int answer, struct ttfc_out *o)
{
	if (!answer) {
		ttfc_puts(o, TTFC_GENERIC_SEED);
		return;
	}
	ttfc_puts(o, "ferret-bench-kw\n");
}
