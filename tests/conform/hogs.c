/* Conformance (t5012): memory limits. On an input starting with 'M', one
 * allocation of 300 MiB (-malloc_limit_mb, under ASan); with 'R', 12
 * allocations of 32 MiB, each touched, kept for 1.5 s (-rss_limit_mb: the
 * limit is checked once a second). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size && data[0] == 'M') {
		volatile char *p = malloc(300u << 20);
		if (p)
			p[0] = 1;
		free((void *)p);
	}
	if (size && data[0] == 'R') {
		static char *keep[12];
		for (int i = 0; i < 12; i++) {
			keep[i] = malloc(32u << 20);
			if (keep[i])
				memset(keep[i], i + 1, 32u << 20);
		}
		usleep(1500000);
		for (int i = 0; i < 12; i++)
			free(keep[i]);
	}
	return 0;
}
