/* For ferret tmin's non-crash mode: never crashes; its coverage depends on
 * the first three bytes ("K", "KE", "KEY") and on whether the input is
 * longer than 16 bytes, so padding shrinks to "KEY" + 14 bytes. */
#include <stdio.h>

static volatile unsigned sink;

int main(void)
{
	static unsigned char buf[4096];
	size_t n = fread(buf, 1, sizeof(buf), stdin);
	if (n >= 3 && buf[0] == 'K') {
		sink += 1;
		if (buf[1] == 'E') {
			sink += 2;
			if (buf[2] == 'Y')
				sink += 3;
		}
	}
	if (n > 16)
		sink += 4;
	return 0;
}
