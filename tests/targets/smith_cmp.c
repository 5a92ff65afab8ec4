/*
 * smith_cmp.c - a FERRET_TEST whose branches hang on compares, for t6006
 * (determinism of --fuzz with compare feedback on): each step picks one of
 * five checks, a 32-bit and a 64-bit magic, a 16-bit switch, a memcmp of a
 * slice against a token and a strcmp of a NUL-terminated slice against a
 * word; the magic checks open a second compare each. Random values almost
 * never pass them; input-to-state on the value stream passes them all
 * within 50000 runs, so the corpus grows as compare feedback works. It
 * never fails.
 */
#include <string.h>

#include <ferret.h>

static volatile unsigned sink;

FERRET_TEST(cmp_steps, s)
{
	while (!ferret_eos(s)) {
		switch (ferret_range(s, 0, 4)) {
		case 0:
			if (ferret_u32(s) == 0xdeadbeefu) {
				sink += 1;
				if (ferret_u32(s) == 0x0badf00du)
					sink += 2;
			}
			break;
		case 1:
			if (ferret_u64(s) == 0xfe7e11c0ffee5a1dull) {
				sink += 3;
				if (ferret_u16(s) == 0x4242)
					sink += 4;
			}
			break;
		case 2:
			switch (ferret_u16(s)) {
			case 0x0101:
				sink += 5;
				break;
			case 0x2222:
				sink += 6;
				break;
			case 0x7f00:
				sink += 7;
				break;
			case 0xbeef:
				sink += 8;
				break;
			default:
				break;
			}
			break;
		case 3: {
			unsigned char buf[16];
			size_t n = ferret_slice(s, buf, sizeof(buf));
			if (n >= 8 && !memcmp(buf, "TOKEN-42", 8))
				sink += 9;
			break;
		}
		default: {
			/* at most 6 bytes: a fresh slice of 6 (one in 7) has
			 * room for the word, and input-to-state replaces it */
			char buf[7];
			size_t n = ferret_slice(s, buf, sizeof(buf) - 1);
			buf[n] = 0;
			if (!strcmp(buf, "ferret"))
				sink += 10;
			break;
		}
		}
	}
}
