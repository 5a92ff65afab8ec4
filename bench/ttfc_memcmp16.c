/* ttfc_memcmp16.c - crashes only when bytes 4..19 equal a 16-byte key,
 * checked with one memcmp (bench/ttfc.sh). */
#include <stddef.h>
#include <stdint.h>

static void check(const uint8_t *d, size_t n);
#include "ttfc.h"

static const uint8_t key[16] = {0x3c, 0xa7, 0x19, 0xe2, 0x58, 0x0d, 0xb4, 0x6f,
				0x91, 0x2e, 0xc5, 0x7a, 0x03, 0xd8, 0x66, 0xbb};

static void check(const uint8_t *d, size_t n)
{
	if (n >= 20 && memcmp(d + 4, key, sizeof key) == 0)
		TTFC_CRASH();
}
