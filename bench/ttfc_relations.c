/* ttfc_relations.c - arithmetic relations between fields, then a name
 * compared byte by byte: "REL:", four 32-bit fields a, b, c, d, a 12-byte
 * name. Valid when a and b are at least 2, a + b == c without wrapping, and
 * a * b == d without overflowing 32 bits; then the name is compared with a
 * key one byte at a time in a loop that is kept a loop (no memcmp, no
 * unrolling, so there is no edge per byte and no memcmp hook). The seed's
 * c and d are zero. Hard because each relation is only checked once the one
 * before it holds, and the loop shows progress on the name only through its
 * trip count (bench/ttfc.sh). */
#include "ttfc.h"

enum { NAME = 20, NAME_LEN = 12 };

static const char key[NAME_LEN + 1] = "open-sesame!";

static void check(const uint8_t *d, size_t n)
{
	if (n < NAME + NAME_LEN || ttfc_u32(d) != 0x3a4c4552u) /* "REL:" */
		return;
	uint32_t a = ttfc_u32(d + 4), b = ttfc_u32(d + 8);
	uint32_t c = ttfc_u32(d + 12), e = ttfc_u32(d + 16);
	if (a < 2 || b < 2)
		return;
	if (a + b != c || c < a)
		return;
	uint64_t prod = (uint64_t)a * b;
	if (prod > UINT32_MAX || (uint32_t)prod != e)
		return;
	const uint8_t *name = d + NAME;
	size_t i = 0;
#ifdef __clang__
#pragma clang loop unroll(disable) vectorize(disable)
#endif
	while (i < NAME_LEN && name[i] == (uint8_t)key[i])
		i++;
	if (i == NAME_LEN)
		TTFC_CRASH();
}

/* seed: a = 1000, b = 3000, c = d = 0, another name; answer: c and d
 * filled in, the key as the name. */
static void sample(int answer, struct ttfc_out *o)
{
	uint32_t a = 1000, b = 3000;
	ttfc_puts(o, "REL:");
	ttfc_put32(o, a);
	ttfc_put32(o, b);
	ttfc_put32(o, answer ? a + b : 0);
	ttfc_put32(o, answer ? a * b : 0);
	ttfc_puts(o, answer ? key : "guest-user-1");
}
