/* libFuzzer harness with an easy out-of-memory: when the first byte is
 * 'M' it allocates 512 MiB, touches every page, and holds it for 5 s
 * before freeing it, so an RSS watcher sampling once a second sees it
 * while that input is in flight (for -rss_limit_mb). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 1 && data[0] == 'M') {
		size_t n = (size_t)512 << 20;
		char *volatile p = malloc(n);
		if (p) {
			memset(p, 1, n);
			for (int i = 0; i < 50; i++)
				usleep(100000);
			free(p);
		}
	}
	return 0;
}
