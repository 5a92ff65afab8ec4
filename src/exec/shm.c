/*
 * shm.c - creates and releases the engine's shared region (proto.h layout).
 * A memfd is used rather than SysV shm so nothing outlives the engine and the
 * region passes to the target as an fd; pages are allocated lazily, so a
 * large map capacity costs only what the target touches.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "errors.h"
#include "shm.h"
#include "banned.h"

static size_t page_round(size_t n)
{
	return (n + 4095) & ~(size_t)4095;
}

int shm_create(struct shm_region *r, size_t tc_cap, size_t map_cap)
{
	memset(r, 0, sizeof(*r));
	r->fd = -1;
	size_t tc_off = FERRET_SHM_HDR_BYTES;
	size_t cmp_off = tc_off + page_round(tc_cap);
	size_t cmp_bytes = FERRET_CMP_SITES * sizeof(struct ferret_cmp_site);
	size_t map_off = cmp_off + page_round(cmp_bytes);
	size_t pcs_off = map_off + page_round(map_cap);
	size_t touch_off = pcs_off + page_round(map_cap * sizeof(uint64_t));
	size_t total = touch_off + page_round(map_cap * sizeof(uint32_t));

	r->fd = memfd_create("ferret-shm", MFD_CLOEXEC);
	if (r->fd < 0)
		return FERRET_EIO;
	if (ftruncate(r->fd, (off_t)total) < 0) {
		shm_release(r);
		return FERRET_ENOMEM;
	}
	r->base = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
	if (r->base == MAP_FAILED) {
		r->base = NULL;
		shm_release(r);
		return FERRET_ENOMEM;
	}
	r->bytes = total;
	r->hdr = (struct ferret_shm *)r->base;
	r->hdr->magic = FERRET_SHM_MAGIC;
	r->hdr->version = FERRET_PROTO_VERSION;
	r->hdr->region_bytes = total;
	r->hdr->tc_offset = tc_off;
	r->hdr->tc_cap = (uint32_t)tc_cap;
	r->hdr->cmp_offset = cmp_off;
	r->hdr->cmp_sites = FERRET_CMP_SITES;
	r->hdr->map_offset = map_off;
	r->hdr->map_cap = (uint32_t)map_cap;
	r->hdr->pcs_offset = pcs_off;
	r->hdr->pcs_cap = (uint32_t)map_cap;
	r->hdr->touch_offset = touch_off;
	r->hdr->touch_cap = (uint32_t)map_cap;
	r->tc_off = tc_off;
	r->map_off = map_off;
	r->cmp_off = cmp_off;
	r->pcs_off = pcs_off;
	r->pcs_cap = (uint32_t)map_cap;
	r->touch_off = touch_off;
	r->map_cap = (uint32_t)map_cap;
	r->tc_cap = (uint32_t)tc_cap;
	return 0;
}

void shm_release(struct shm_region *r)
{
	if (r->base)
		munmap(r->base, r->bytes);
	if (r->fd >= 0)
		close(r->fd);
	memset(r, 0, sizeof(*r));
	r->fd = -1;
}
