/*
 * smith_bridge.c - a FERRET_TEST behind FERRET_BYTE_BRIDGE, for t6003: built
 * with clang -fsanitize=fuzzer and libferret-smith.a, real libFuzzer runs
 * it on raw bytes (ints 8 bytes little endian, eos one byte, bytes raw).
 * The planted bug: a u32 of 0xf00dface, then a value of 7 in [0, 9], then
 * eos false and the bytes "ok!" fail a FERRET_ASSERT.
 */
#include <string.h>

#include <ferret.h>

FERRET_TEST(bridge_bug, s)
{
	if (ferret_u32(s) != 0xf00dface)
		return;
	if (ferret_range(s, 0, 9) != 7)
		return;
	if (ferret_eos(s))
		return;
	unsigned char b[3];
	ferret_bytes(s, b, sizeof(b));
	FERRET_ASSERT(memcmp(b, "ok!", 3) != 0);
}

FERRET_BYTE_BRIDGE(bridge_bug)
