/*
 * smith_vcmp.c - FERRET_TESTs that fail only on exact drawn values, for
 * t6010 (compare feedback on values): magic32 fails when a u32 drawn first
 * equals 0xDEADBEEF, compared only after other values were drawn;
 * magic16 fails when, behind that same 32-bit magic, a drawn u16 equals
 * 0xBEEF. Random values never pass a 32-bit compare (2^-32 a try), so only
 * compare feedback finds them.
 */
#include <ferret.h>

static volatile unsigned sink;

FERRET_TEST(magic32, s)
{
	uint32_t x = ferret_u32(s);
	while (!ferret_eos(s))
		sink += ferret_u8(s);
	FERRET_ASSERT(x != 0xdeadbeefu);
}

FERRET_TEST(magic16, s)
{
	uint32_t x = ferret_u32(s);
	sink += ferret_u8(s);
	if (x == 0xdeadbeefu) {
		uint16_t y = ferret_u16(s);
		sink += ferret_u8(s);
		FERRET_ASSERT(y != 0xbeef);
	}
}
