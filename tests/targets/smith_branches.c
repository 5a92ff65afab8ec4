/*
 * smith_branches.c - a FERRET_TEST with several independent branches, for
 * t6001 (passive minimization): each step picks one of eight operations,
 * and each operation has its own conditions on its own values, so many
 * inputs are kept on the way and later beaten by shorter ones that reach
 * the same edges. It never fails.
 */
#include <ferret.h>

static volatile unsigned sink;

FERRET_TEST(branches, s)
{
	while (!ferret_eos(s)) {
		switch (ferret_range(s, 0, 7)) {
		case 0:
			if (ferret_u8(s) == 0x42)
				sink += 1;
			break;
		case 1:
			if (ferret_range(s, 0, 100) > 90)
				sink += 2;
			break;
		case 2:
			if (ferret_bool(s) && ferret_bool(s))
				sink += 3;
			break;
		case 3: {
			int64_t v = ferret_range_i64(s, -50, 50);
			if (v < -40)
				sink += 4;
			else if (v > 40)
				sink += 5;
			break;
		}
		case 4: {
			unsigned char buf[8];
			size_t n = ferret_slice(s, buf, sizeof(buf));
			if (n >= 2 && buf[0] == 'o' && buf[1] == 'k')
				sink += 6;
			break;
		}
		case 5:
			if (ferret_pick(s, 4) == 3)
				sink += 7;
			break;
		case 6:
			if (ferret_u16(s) < 100)
				sink += 8;
			break;
		default:
			if (ferret_u32(s) % 3 == 0)
				sink += 9;
			break;
		}
	}
}
