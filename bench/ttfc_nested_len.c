/* ttfc_nested_len.c - nested length fields in a required order: "NL", a
 * 16-bit body length that must be the rest of the input, then records
 * (tag, length byte, payload) that tile the body exactly: one 'H' header
 * ("v1"), one to four 'S' sections, one empty 'E' end, in that order. A
 * section's payload is itself items (length byte, data) that tile it exactly.
 * The whole frame is checked first; then each section's items go into a
 * table of four, and a section with a fifth item crashes (the overflow of
 * the table, caught by a check). Hard because adding an item means growing
 * the section and the body length with it, or re-cutting existing bytes into
 * more items, and every half-way input is rejected before the table
 * (bench/ttfc.sh). */
#include "ttfc.h"

enum { MAX_ITEMS = 4, MAX_SECTIONS = 4 };

/* Whether the items of a section payload tile it exactly. */
static int items_ok(const uint8_t *p, size_t len)
{
	size_t i = 0;
	while (i < len) {
		size_t ilen = p[i];
		if (ilen > len - i - 1)
			return 0;
		i += 1 + ilen;
	}
	return 1;
}

/* Whether the body is H, S{1,4}, E, each record fitting exactly. */
static int frame_ok(const uint8_t *b, size_t len)
{
	size_t i = 0;
	int sections = 0;
	char want = 'H';
	while (i < len) {
		if (len - i < 2)
			return 0;
		uint8_t tag = b[i];
		size_t rlen = b[i + 1];
		if (rlen > len - i - 2)
			return 0;
		const uint8_t *p = b + i + 2;
		if (want == 'H') {
			if (tag != 'H' || rlen != 2 || p[0] != 'v' || p[1] != '1')
				return 0;
			want = 'S';
		} else if (want == 'S' && tag == 'S') {
			if (++sections > MAX_SECTIONS || !items_ok(p, rlen))
				return 0;
		} else if (want == 'S' && tag == 'E' && sections > 0) {
			if (rlen != 0 || i + 2 != len)
				return 0;
			want = 0;
		} else {
			return 0;
		}
		i += 2 + rlen;
	}
	return want == 0;
}

struct item {
	const uint8_t *data;
	size_t len;
};

static volatile size_t sink;

static void check(const uint8_t *d, size_t n)
{
	if (n < 4 || ttfc_u16(d) != 0x4c4e) /* "NL" */
		return;
	if (ttfc_u16(d + 2) != n - 4)
		return;
	const uint8_t *b = d + 4;
	size_t len = n - 4;
	if (!frame_ok(b, len))
		return;
	for (size_t i = 0; i < len; i += 2 + b[i + 1]) {
		if (b[i] != 'S')
			continue;
		struct item tab[MAX_ITEMS];
		size_t k = 0;
		const uint8_t *p = b + i + 2;
		for (size_t j = 0; j < b[i + 1]; j += 1 + p[j]) {
			if (k == MAX_ITEMS)
				TTFC_CRASH(); /* the planted bug: the table is full */
			tab[k].data = p + j + 1;
			tab[k].len = p[j];
			k++;
		}
		for (size_t j = 0; j < k; j++)
			sink += tab[j].len;
	}
}

static void record(struct ttfc_out *o, char tag, const char *payload, size_t len)
{
	ttfc_put8(o, (uint8_t)tag);
	ttfc_put8(o, (uint8_t)len);
	ttfc_put(o, payload, len);
}

/* seed: a header, sections of two items ("ab", "cd") and one ("xyz"), the
 * end; answer: the first section with five items. */
static void sample(int answer, struct ttfc_out *o)
{
	static const char two[] = "\2ab\2cd";
	static const char five[] = "\1a\1b\1c\1d\0";
	ttfc_puts(o, "NL");
	size_t at = o->n;
	ttfc_put16(o, 0);
	record(o, 'H', "v1", 2);
	if (answer)
		record(o, 'S', five, sizeof five - 1);
	else
		record(o, 'S', two, sizeof two - 1);
	record(o, 'S', "\3xyz", 4);
	record(o, 'E', "", 0);
	uint16_t body = (uint16_t)(o->n - at - 2);
	memcpy(o->p + at, &body, 2);
}
