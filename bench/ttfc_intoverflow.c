/* ttfc_intoverflow.c - an integer overflow in a size computation: "TBL1",
 * an element type (0..4: 1, 2, 3, 6 or 12 bytes), a 32-bit element count
 * (1..INT32_MAX), then the elements. The table is allocated as
 * count * size computed in 32 bits, as much as the count asks for (a large
 * count with no wrap allocates up to 4 GiB, untouched, as real code would),
 * then filled with the elements the input holds. When the product wraps to
 * less than those elements take, the fill runs past the allocation, caught
 * by a check (the planted bug). Hard because no compare involves the product:
 * only the 12-byte type wraps at a round count (0x40000000, with the count's
 * low bits clear), the others at counts such as 0x55555556, and the seed's
 * type is the 3-byte one (bench/ttfc.sh). */
#include "ttfc.h"

static const uint32_t sizes[] = {1, 2, 3, 6, 12};

static volatile uint8_t sink;

static void check(const uint8_t *d, size_t n)
{
	enum { HDR = 9 };
	if (n < HDR || ttfc_u32(d) != 0x314c4254u) /* "TBL1" */
		return;
	if (d[4] >= sizeof sizes / sizeof sizes[0])
		return;
	uint32_t size = sizes[d[4]];
	uint32_t count = ttfc_u32(d + 5);
	if (count == 0 || count > 0x7fffffffu)
		return;
	uint32_t total = count * size; /* wraps */
	uint8_t *tab = malloc(total ? total : 1);
	if (!tab)
		return;
	size_t off = HDR;
	for (uint32_t i = 0; i < count && n - off >= size; i++) {
		if ((uint64_t)(i + 1) * size > total)
			TTFC_CRASH(); /* the planted bug: past the allocation */
		memcpy(tab + (size_t)i * size, d + off, size);
		off += size;
	}
	if (off > HDR)
		sink = tab[0];
	free(tab);
}

/* seed: four 3-byte elements; answer: a count of 0x40000000 12-byte
 * elements (0 bytes allocated) and one element. */
static void sample(int answer, struct ttfc_out *o)
{
	ttfc_puts(o, "TBL1");
	ttfc_put8(o, answer ? 4 : 2);
	ttfc_put32(o, answer ? 0x40000000u : 4);
	ttfc_puts(o, "abcdefghijkl");
}
