/* ttfc_magic64.c - crashes only when bytes 4..11 hold one 64-bit value,
 * compared as one integer (bench/ttfc.sh). */
#include <stddef.h>
#include <stdint.h>

static void check(const uint8_t *d, size_t n);
#include "ttfc.h"

static void check(const uint8_t *d, size_t n)
{
	if (n >= 12 && ttfc_u64(d + 4) == 0x5f1e8d2ca4b7360bull)
		TTFC_CRASH();
}
