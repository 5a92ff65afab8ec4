/* libFuzzer harness for -reload (tests/e2e/t5009-jobs.sh): the input
 * "drop" writes, once, a file holding SECRET into the directory
 * $RELOAD_DIR, as another job would; an input whose 64-bit mix equals
 * SECRET's aborts. The mix is not a compare that feedback could solve, so
 * the abort is reached only when the fuzzer reads that file back from its
 * corpus directory. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SECRET "reload:7c1e9a3f-from-another-job"

static uint64_t mix(const uint8_t *d, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
	for (size_t i = 0; i < n; i++) {
		h ^= d[i];
		h *= 0xff51afd7ed558ccdull;
		h ^= h >> 29;
	}
	return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static int dropped;
	const char *dir = getenv("RELOAD_DIR");
	if (n == 4 && !memcmp(d, "drop", 4) && dir && !dropped) {
		char tmp[4096], path[4096];
		dropped = 1;
		snprintf(tmp, sizeof tmp, "%s/.dropped.tmp", dir);
		snprintf(path, sizeof path, "%s/dropped", dir);
		int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd >= 0 && write(fd, SECRET, sizeof SECRET - 1) == sizeof SECRET - 1)
			rename(tmp, path);
		if (fd >= 0)
			close(fd);
	}
	if (mix(d, n) == mix((const uint8_t *)SECRET, sizeof SECRET - 1))
		abort();
	return 0;
}
