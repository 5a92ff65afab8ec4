/*
 * shm.h - the shared region the engine creates for one target: a memfd laid
 * out as common/proto.h describes. The engine owns it; the target maps the
 * same fd (FERRET_SHM_FD) at start-up.
 */
#ifndef FERRET_SHM_H
#define FERRET_SHM_H

#include <stddef.h>
#include <stdint.h>

#include "cov.h"
#include "proto.h"

struct shm_region {
	int fd;
	uint8_t *base;
	size_t bytes;
	struct ferret_shm *hdr;
	/* where each part is, as shm_create laid it out: the engine's own
	 * copies, since the target can write the header's */
	size_t tc_off, map_off, cmp_off, pcs_off, touch_off;
	uint32_t pcs_cap, tc_cap, map_cap;
};

/* Creates the memfd with room for tc_cap input bytes and map_cap counters,
 * maps it, fills the header. Returns 0 or a negative ferret_err. */
int shm_create(struct shm_region *r, size_t tc_cap, size_t map_cap);

/* The coverage counters and the test-case buffer inside the region. */
static inline uint8_t *shm_map(const struct shm_region *r)
{
	return r->base + r->map_off;
}
static inline uint8_t *shm_tc(const struct shm_region *r)
{
	return r->base + r->tc_off;
}

static inline struct ferret_cmp_site *shm_cmp(const struct shm_region *r)
{
	return (struct ferret_cmp_site *)(r->base + r->cmp_off);
}

/* The edge PCs the target wrote at start-up (proto.h): *n entries, 0
 * when it wrote none (a gcc build, an AFL binary); bounded by the table. */
static inline const uint64_t *shm_pcs(const struct shm_region *r, uint32_t *n)
{
	uint32_t have = r->hdr->pcs_n; /* the target's: bounded by ours */
	*n = have < r->pcs_cap ? have : r->pcs_cap;
	return (const uint64_t *)(r->base + r->pcs_off);
}

/* The touch list (proto.h), bounded by the engine's own capacity. */
static inline struct cov_touch shm_touch(const struct shm_region *r)
{
	return (struct cov_touch){(const volatile uint32_t *)(r->base + r->touch_off),
				  &r->hdr->touch_n, r->map_cap};
}

/* Unmaps and closes; safe on a zeroed or released region. */
void shm_release(struct shm_region *r);

#endif
