/*
 * rt.c - the runtime's state: the coverage map pointer, attaching the
 * engine's shared region, and noticing when the target becomes threaded.
 *
 * Before the engine's region is mapped, counters land in a private buffer
 * (static for the first 64 KiB, mmap'd beyond), so instrumented constructors
 * are safe. ferret__attach() maps the memfd the engine left on FERRET_SHM_FD
 * and points the map and the test-case macros at it. pthread_create is
 * interposed only to flip ferret__threaded; the real one does the work.
 * It also defines __sancov_lowest_stack, the stack-depth variable of
 * clang's instrumentation (rt.h).
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rt.h"

static uint8_t early_map[FERRET_PC_MAP_BYTES];
static size_t map_have = sizeof(early_map);
static uint32_t standalone_len;
static unsigned char standalone_buf[1];

uint8_t *ferret__map = early_map;
int ferret__threaded;
struct ferret_shm *ferret__shm;
uint32_t ferret__edges;
uint32_t ferret__rt_flags;
static size_t map_need;
static int map_fixed; /* the map is another fuzzer's (AFL's): it cannot grow */
void (*ferret__iter_hook)(void);
static volatile uint32_t sink_n;
struct ferret_touch ferret__touch = {NULL, &sink_n, 0};
struct ferret_touch ferret__touch_live = {NULL, &sink_n, 0};
FERRET_EXPORT __thread uintptr_t __sancov_lowest_stack;

/* Every instrumented program needs the fork server's constructor; this
 * reference makes the linker take forkserver.o whenever it takes rt.o. */
static void (*const link_forkserver)(void) __attribute__((used)) = ferret__manual_init;

FERRET_EXPORT unsigned char *ferret__tc_buf = standalone_buf;
FERRET_EXPORT uint32_t *ferret__tc_len = &standalone_len;

void ferret__fatal(const char *msg)
{
	static const char prefix[] = "ferret runtime: ";
	(void)!write(2, prefix, sizeof(prefix) - 1);
	(void)!write(2, msg, strlen(msg));
	(void)!write(2, "\n", 1);
	_exit(FERRET_RT_EXIT);
}

void ferret__map_reserve(size_t bytes)
{
	if (bytes > map_need)
		map_need = bytes;
	/* a map that is shared already cannot grow: a module loaded later
	 * (dlopen in a child) has its edges past the end folded onto index 0
	 * (cov_guard.c); whether the start-up map fits was checked at the
	 * handshake */
	if (ferret__shm || map_fixed || bytes <= map_have)
		return;
	size_t len = (bytes + 4095) & ~(size_t)4095;
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		ferret__fatal("cannot map coverage counters");
	ferret__map = p;
	map_have = len;
}

struct ferret_touch ferret__touch_sink(void)
{
	return (struct ferret_touch){NULL, &sink_n, 0};
}

void ferret__map_adopt(uint8_t *map, size_t bytes)
{
	ferret__map = map;
	ferret__touch = ferret__touch_sink(); /* AFL reads its map whole */
	map_have = bytes;
	map_fixed = 1;
}

/* Counters the map holds now: an index at or past this has no counter. */
size_t ferret__map_cap(void)
{
	return map_have;
}

/* Bytes the engine should scan: what the instrumentation indexes, rounded
 * to a multiple of 64 so the engine can compare whole words. */
size_t ferret__map_used(void)
{
	return (map_need + 63) & ~(size_t)63;
}

int ferret__attach(void)
{
	static int tried;
	if (tried)
		return ferret__shm != NULL;
	tried = 1;
	if (!getenv(FERRET_ENV_SHM))
		return 0;
	struct ferret_shm *hdr =
		mmap(NULL, FERRET_SHM_HDR_BYTES, PROT_READ, MAP_SHARED, FERRET_SHM_FD, 0);
	if (hdr == MAP_FAILED)
		return 0; /* variable inherited without the region: run standalone */
	if (hdr->magic != FERRET_SHM_MAGIC || hdr->version != FERRET_PROTO_VERSION) {
		uint32_t w = FERRET_ERROR | FERRET_RT_EVERSION;
		(void)!write(FERRET_ST_FD, &w, sizeof(w));
		ferret__fatal("shared region has another protocol version");
	}
	size_t total = hdr->region_bytes;
	munmap(hdr, FERRET_SHM_HDR_BYTES);
	uint8_t *base = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_SHARED, FERRET_SHM_FD, 0);
	if (base == MAP_FAILED) {
		uint32_t w = FERRET_ERROR | FERRET_RT_EMMAP;
		(void)!write(FERRET_ST_FD, &w, sizeof(w));
		ferret__fatal("cannot map the shared region");
	}
	ferret__shm = (struct ferret_shm *)base;
	ferret__map = base + ferret__shm->map_offset;
	map_have = ferret__shm->map_cap;
	if (ferret__shm->touch_offset && ferret__shm->touch_cap >= ferret__shm->map_cap) {
		ferret__touch_live =
			(struct ferret_touch){(uint32_t *)(base + ferret__shm->touch_offset),
					      &ferret__shm->touch_n, ferret__shm->map_cap};
		ferret__touch = ferret__touch_live;
	}
	ferret__tc_buf = base + ferret__shm->tc_offset;
	ferret__tc_len = (uint32_t *)&ferret__shm->tc_len;
	ferret__cmp_log = (struct ferret_cmp_site *)(base + ferret__shm->cmp_offset);
	ferret__cmp_flag = &ferret__shm->cmp_on;
	return 1;
}

/*
 * Interposes pthread_create to learn that the process is threaded; the
 * real function is found with RTLD_NEXT. Counters stay exact from here on
 * (see ferret__hit). This is the one libc name the runtime defines.
 */
FERRET_EXPORT int pthread_create(pthread_t *thread, const pthread_attr_t *attr,
				 void *(*start)(void *), void *arg)
{
	static int (*real)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
	if (!real) {
		*(void **)&real = dlsym(RTLD_NEXT, "pthread_create");
		if (!real)
			ferret__fatal("cannot find pthread_create");
	}
	__atomic_store_n(&ferret__threaded, 1, __ATOMIC_RELAXED);
	if (ferret__shm) /* the engine heals what racing threads do to the touch list */
		__atomic_or_fetch(&ferret__shm->rt_flags, FERRET_RT_THREADED, __ATOMIC_RELAXED);
	return real(thread, attr, start, arg);
}
