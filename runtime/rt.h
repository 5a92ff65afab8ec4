/*
 * rt.h - what the runtime's files share with each other (not with users).
 *
 * The runtime is linked into every target, so the rules of runtime/README.md
 * hold here: libc only, no stdio, no malloc in callbacks, every exported
 * name is ferret_/ferret__ or an ABI name. The coverage map pointer starts on
 * a private buffer, so callbacks that fire in constructors before the engine
 * is attached are harmless; attaching swaps it to the shared region.
 */
#ifndef FERRET_RT_H
#define FERRET_RT_H

#include <stddef.h>
#include <stdint.h>

#include "ferret.h"
#include "proto.h"

#define FERRET_HIDDEN __attribute__((visibility("hidden")))
#define FERRET_EXPORT __attribute__((visibility("default")))

/* Bytes of the map the gcc trace-pc variant hashes into. */
#define FERRET_PC_MAP_BYTES (1u << 16)

/* Coverage counters: private until ferret__attach(), then the shared map. */
extern uint8_t *ferret__map FERRET_HIDDEN;
/* Set once the process has started a second thread: counter updates become
 * atomic read-modify-writes from then on. */
extern int ferret__threaded FERRET_HIDDEN;
/* The shared region, or NULL when not running under the engine. */
extern struct ferret_shm *ferret__shm FERRET_HIDDEN;
/* Number of edges known (guards assigned, or the hashed map size). */
extern uint32_t ferret__edges FERRET_HIDDEN;
/* enum ferret_rt_flags the coverage variants set (reported to the engine). */
extern uint32_t ferret__rt_flags FERRET_HIDDEN;

/* Bytes of counters the engine should scan, a multiple of 64. */
size_t ferret__map_used(void) FERRET_HIDDEN;
/* Called at the start of every persistent iteration (resets edge history). */
extern void (*ferret__iter_hook)(void) FERRET_HIDDEN;

/* clang's -fsanitize-coverage=stack-depth (ferret-cc adds it to libFuzzer
 * harnesses, as clang does): every instrumented function that calls others
 * lowers this to its frame address on entry. Thread-local, initial-exec,
 * the ABI name; 0 (nothing lowers it) until a driver sets it to the top of
 * the stack it measures from (driver/worker.c). */
extern __thread uintptr_t __sancov_lowest_stack;

/* Compare logging (cmp.c): the engine's on/off word, the log, and the
 * value-profile counters (NULL unless value profile is on). */
extern volatile uint32_t *ferret__cmp_flag FERRET_HIDDEN;
extern struct ferret_cmp_site *ferret__cmp_log FERRET_HIDDEN;
extern uint8_t *ferret__vp FERRET_HIDDEN;
/* Logs a routine compare of two byte strings (cmp.c; used by hooks.c). */
void ferret__cmp_mem(uintptr_t pc, const void *a, size_t len_a, const void *b,
		     size_t len_b) FERRET_HIDDEN;

/* Makes sure the map has at least `bytes` counters; used by the coverage
 * variants at start-up, never per execution. */
void ferret__map_reserve(size_t bytes) FERRET_HIDDEN;
/* A code address that is the same in every process (modules.c): relative
 * to the executable, or to the shared object holding it. */
extern uintptr_t ferret__exe_lo FERRET_HIDDEN, ferret__exe_len FERRET_HIDDEN;
void ferret__modules_scan(void) FERRET_HIDDEN;
uintptr_t ferret__rel_pc_slow(uintptr_t pc) FERRET_HIDDEN;
static inline uintptr_t ferret__rel_pc(uintptr_t pc)
{
	if (__builtin_expect(pc - ferret__exe_lo < ferret__exe_len, 1))
		return pc - ferret__exe_lo;
	return ferret__rel_pc_slow(pc);
}

/* Whether pc lies in the target's own code: the executable, or a shared
 * object other than the system's (libc, libstdc++, libgcc_s, libm, the
 * loader, the sanitizers' runtimes); if so, *rel is its ferret__rel_pc.
 * Async-signal-safe as long as no object is loaded (no rescan then). */
int ferret__own_pc(uintptr_t pc, uint64_t *rel) FERRET_HIDDEN;

/* Under ferret's fork server: a handler for each deadly signal that the
 * program has not handled yet, which records the crashing thread's frames
 * in the header (crash_signal, crash_pc) and re-raises (crash.c). Called
 * by the server before its first fork; costs nothing per execution. */
void ferret__crash_hook(void) FERRET_HIDDEN;

/* Under ferret's fork server: name an uncaught C++ exception in the
 * header's crash_note before the child dies of it (cxx.c). */
void ferret__cxx_hook(void) FERRET_HIDDEN;

/* Writes the address (as ferret__rel_pc names it) of each edge's block
 * into pcs[index], for indexes below cap; returns one past the highest
 * index written, 0 when the coverage variant knows no addresses (gcc's
 * hashed edges). Once, at start-up (cov_guard.c, cov_pc.c). */
uint32_t ferret__edge_pcs(uint64_t *pcs, uint32_t cap) FERRET_HIDDEN;

/* The modules whose guards were numbered (trace-pc-guard builds; up to 64,
 * in load order), for libFuzzer's "Loaded N modules" line; none for gcc's
 * trace-pc. And the pc-tables (each as its first and one-past-last
 * {address, flags} pair), at most cap of them; returns how many there are. */
struct ferret_guard_module {
	const uint32_t *start, *stop;
};
unsigned ferret__guard_modules(const struct ferret_guard_module **mods) FERRET_HIDDEN;
unsigned ferret__pc_tables(const uintptr_t **beg, const uintptr_t **end,
			   unsigned cap) FERRET_HIDDEN;

/* The edges whose block begins a function (the pc-table entries flagged
 * so, libFuzzer's PcIsFuncEntry): the first cap of them, in index order,
 * with their indexes in idx and their addresses (as loaded) in pcs.
 * Returns how many there are, 0 without pc-tables (gcc's trace-pc).
 * Start-up only (libFuzzer's NEW_FUNC lines, driver/funcs.c). */
uint32_t ferret__func_entries(uint32_t *idx, uintptr_t *pcs, uint32_t cap) FERRET_HIDDEN;

/* Counters the map holds now (indexes below this have one). */
size_t ferret__map_cap(void) FERRET_HIDDEN;

/* Points the counters at another fuzzer's map of `bytes` counters (AFL's,
 * runtime/afl.c), which the instrumentation then writes directly. */
void ferret__map_adopt(uint8_t *map, size_t bytes) FERRET_HIDDEN;

/* Maps the engine's shared region if FERRET_ENV_SHM is set. Returns 1 when
 * attached, 0 when running standalone. Idempotent. */
int ferret__attach(void) FERRET_HIDDEN;

/* The persistent loop (forkserver.c) behind FERRET_LOOP and __AFL_LOOP;
 * tc: the program reads FERRET_TESTCASE_BUF/LEN (else it reads stdin). */
int ferret__loop_input(unsigned int max_iterations, int tc) FERRET_HIDDEN;

/* Writes one line to stderr and exits with FERRET_RT_EXIT. */
void ferret__fatal(const char *msg) FERRET_HIDDEN __attribute__((noreturn));

/*
 * The touch list of the counters that ferret__map points at (proto.h): idx
 * holds cap indexes, *n counts the counters that left zero (on past cap).
 * It moves with the map: the shared region's list while the counters are
 * the shared ones (ferret__touch_live), the worker's own in libFuzzer mode,
 * and a sink (cap 0) while they are private or scratch counters, so an
 * index is never listed against counters the engine does not read.
 */
struct ferret_touch {
	uint32_t *idx;
	volatile uint32_t *n;
	uint32_t cap;
};
extern struct ferret_touch ferret__touch FERRET_HIDDEN;
/* The list that goes with the shared region's counters (the sink until
 * ferret__attach). */
extern struct ferret_touch ferret__touch_live FERRET_HIDDEN;
/* A list that keeps nothing, for counters the engine never reads. */
struct ferret_touch ferret__touch_sink(void) FERRET_HIDDEN;

/* Lists counter c, which just left zero. */
static inline void ferret__touched(const uint8_t *c)
{
	uint32_t n;
	if (__builtin_expect(!ferret__threaded, 1))
		n = (*ferret__touch.n)++;
	else
		n = __atomic_fetch_add((uint32_t *)ferret__touch.n, 1, __ATOMIC_RELAXED);
	if (n < ferret__touch.cap)
		ferret__touch.idx[n] = (uint32_t)(c - ferret__map);
}

/*
 * Adds one hit to a counter without ever wrapping to zero (it saturates at
 * 255, keeping the top bucket stable), and lists the counter the first
 * time it leaves zero. Single-threaded it is a load and a store; once a
 * second thread exists it is a relaxed compare-and-swap, so concurrent
 * hits are neither lost nor torn, and only the thread whose swap left zero
 * lists it. The branches are predictable and cost nothing measurable next
 * to the call.
 */
static inline void ferret__hit(uint8_t *c)
{
	if (__builtin_expect(!ferret__threaded, 1)) {
		uint8_t v = *c;
		if (__builtin_expect(!v, 0))
			ferret__touched(c);
		*c = (uint8_t)(v + (v != 255));
		return;
	}
	uint8_t v = __atomic_load_n(c, __ATOMIC_RELAXED);
	while (v != 255 && !__atomic_compare_exchange_n(c, &v, (uint8_t)(v + 1), 1,
							__ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	if (!v)
		ferret__touched(c);
}

#endif
