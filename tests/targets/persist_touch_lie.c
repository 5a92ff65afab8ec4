/* Persistent mode, hostile: the target writes the shared region's touch
 * list (proto.h), which tells the engine which counters a run touched.
 * An input starting with 'N' sets the count past the list's capacity, 'I'
 * lists indexes far past the map, 'Z' empties the list (hiding what the run
 * did). ferret must take none of it on trust: no read or write out of
 * bounds, no lost campaign, and the bug behind "!?" at bytes 1-2 found
 * whatever the first byte is (tests/e2e/t1006-hostile.sh). Built with
 * -I common for proto.h. */
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <ferret.h>

#include "proto.h"

static struct ferret_shm *region(void)
{
	struct ferret_shm *h =
		mmap(NULL, FERRET_SHM_HDR_BYTES, PROT_READ, MAP_SHARED, FERRET_SHM_FD, 0);
	if (h == MAP_FAILED)
		return NULL;
	size_t bytes = h->region_bytes;
	munmap(h, FERRET_SHM_HDR_BYTES);
	h = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, FERRET_SHM_FD, 0);
	return h == MAP_FAILED ? NULL : h;
}

int main(void)
{
	struct ferret_shm *h = NULL;
	while (FERRET_LOOP(100000)) {
		const unsigned char *buf = FERRET_TESTCASE_BUF;
		size_t len = FERRET_TESTCASE_LEN;
		if (!h)
			h = region();
		if (h && h->touch_offset && len > 0) {
			uint32_t *list = (uint32_t *)((unsigned char *)h + h->touch_offset);
			if (buf[0] == 'N')
				h->touch_n = 0xfffffff0u;
			if (buf[0] == 'I') {
				uint32_t n = h->touch_n;
				for (uint32_t k = 0; k < 8 && n < h->touch_cap; k++)
					list[n++] = 0xffffff00u + k;
				h->touch_n = n;
			}
			if (buf[0] == 'Z')
				h->touch_n = 0;
		}
		if (len >= 3 && buf[1] == '!') {
			if (buf[2] == '?')
				abort();
		}
	}
	return 0;
}
