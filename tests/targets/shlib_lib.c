/* A library for t1009: its one function aborts on "FUZZ" at the start of
 * its argument, behind four byte checks, so the bug is found only with the
 * library's own edges (and compares) counted. Before that, eight
 * independent keyword checks (memcmp at offsets 4, 8, ... 32) are all
 * logged in every run, so the order in which the compare stage reads them
 * depends on how their sites are named: named by absolute address, it
 * changed with ASLR and a seed did not replay its run. */
#include <stdlib.h>
#include <string.h>

int shlib_check(const char *s, int n);

static volatile int seen;

int shlib_check(const char *s, int n)
{
	static const char *const words[] = {"ab1", "cd2", "ef3", "gh4", "ij5", "kl6", "mn7", "op8"};
	for (int k = 0; k < 8; k++)
		if (n >= 4 * k + 7 && !memcmp(s + 4 + 4 * k, words[k], 3))
			seen += k; /* each its own edge */
	if (n > 0 && s[0] == 'F')
		if (n > 1 && s[1] == 'U')
			if (n > 2 && s[2] == 'Z')
				if (n > 3 && s[3] == 'Z')
					abort();
	return 0;
}
