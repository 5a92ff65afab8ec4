/* A library for t1009: its one function aborts on "FUZZ" at the start of
 * its argument, behind four byte checks, so the bug is found only with the
 * library's own edges (and compares) counted. */
#include <stdlib.h>

int shlib_check(const char *s, int n);

int shlib_check(const char *s, int n)
{
	if (n > 0 && s[0] == 'F')
		if (n > 1 && s[1] == 'U')
			if (n > 2 && s[2] == 'Z')
				if (n > 3 && s[3] == 'Z')
					abort();
	return 0;
}
