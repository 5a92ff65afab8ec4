/*
 * cmp.c - compare callbacks (-fsanitize-coverage=trace-cmp, clang and gcc)
 * and the compare log they write for the engine's input-to-state stage.
 *
 * Two consumers, both off by default:
 *   - the compare log (proto.h), written only in runs where the engine set
 *     ferret_shm.cmp_on: per site, a ring of recent differing operand pairs;
 *   - value profile (ferret fuzz --value-profile): every compare bumps a
 *     counter chosen by (site, bits that differ), placed after the edges in
 *     the coverage map, so getting closer to a magic value is new coverage
 *     (libFuzzer's -use_value_profile=1).
 * With both off a callback is two loads and two predictable branches.
 * For const compares both compilers pass the constant first; it is logged
 * as b, the side the engine tries to write into the input.
 */
#include "rt.h"

static volatile uint32_t cmp_off_flag;
volatile uint32_t *ferret__cmp_flag = &cmp_off_flag;
struct ferret_cmp_site *ferret__cmp_log;
uint8_t *ferret__vp;

extern char __executable_start[] __attribute__((weak));

/*
 * A compare site is its return address relative to the executable's base,
 * as in cov_pc.c: under ASLR the absolute address changes from one process
 * to the next, and with it which ring and which value-profile counters a
 * site lands in, so the same seed would log compares in another order and
 * find other inputs. One subtraction of a link-time address.
 */
static inline uintptr_t site_pc(uintptr_t pc)
{
	return pc - (uintptr_t)__executable_start;
}

static inline uint32_t site_hash(uintptr_t pc)
{
	return (uint32_t)(((uint64_t)site_pc(pc) * 0x9e3779b97f4a7c15ull) >> 40);
}

static inline void vp_hit(uintptr_t pc, unsigned distance)
{
	uint32_t slot = site_hash(pc) % (FERRET_VP_BYTES / 64);
	ferret__hit(ferret__vp + slot * 64 + (distance & 63));
}

static void log_int(uintptr_t pc, uint64_t a, uint64_t b, unsigned width)
{
	struct ferret_cmp_site *s = &ferret__cmp_log[site_hash(pc) % FERRET_CMP_SITES];
	uint32_t n = s->n;
	if (n) {
		struct ferret_cmp_rec *last = &s->rec[(n - 1) % FERRET_CMP_WAYS];
		uint64_t la, lb;
		__builtin_memcpy(&la, last->a, 8);
		__builtin_memcpy(&lb, last->b, 8);
		if (last->kind == FERRET_CMP_INT && la == a && lb == b)
			return; /* a loop comparing the same pair: log it once */
	}
	struct ferret_cmp_rec *r = &s->rec[n % FERRET_CMP_WAYS];
	r->kind = FERRET_CMP_INT;
	r->width = (uint8_t)width;
	r->len_a = r->len_b = (uint8_t)width;
	r->site = (uint32_t)site_pc(pc);
	__builtin_memcpy(r->a, &a, 8);
	__builtin_memcpy(r->b, &b, 8);
	s->n = n + 1;
}

static inline void cmp_int(uintptr_t pc, uint64_t a, uint64_t b, unsigned width)
{
	if (__builtin_expect(ferret__vp != 0, 0))
		vp_hit(pc, (unsigned)__builtin_popcountll(a ^ b));
	if (__builtin_expect(*ferret__cmp_flag == 0, 1) || a == b)
		return;
	log_int(pc, a, b, width);
}

void ferret__cmp_mem(uintptr_t pc, const void *a, size_t len_a, const void *b, size_t len_b)
{
	if (ferret__vp) {
		size_t n = len_a < len_b ? len_a : len_b, k = 0;
		while (k < n && k < 63 && ((const uint8_t *)a)[k] == ((const uint8_t *)b)[k])
			k++;
		vp_hit(pc, (unsigned)k);
	}
	if (!*ferret__cmp_flag)
		return;
	struct ferret_cmp_site *s = &ferret__cmp_log[site_hash(pc) % FERRET_CMP_SITES];
	struct ferret_cmp_rec *r = &s->rec[s->n % FERRET_CMP_WAYS];
	if (len_a > FERRET_CMP_BYTES)
		len_a = FERRET_CMP_BYTES;
	if (len_b > FERRET_CMP_BYTES)
		len_b = FERRET_CMP_BYTES;
	r->kind = FERRET_CMP_MEM;
	r->width = 0;
	r->len_a = (uint8_t)len_a;
	r->len_b = (uint8_t)len_b;
	r->site = (uint32_t)site_pc(pc);
	for (size_t i = 0; i < len_a; i++)
		r->a[i] = ((const uint8_t *)a)[i];
	for (size_t i = 0; i < len_b; i++)
		r->b[i] = ((const uint8_t *)b)[i];
	s->n++;
}

#define PC ((uintptr_t)__builtin_return_address(0))

FERRET_EXPORT void __sanitizer_cov_trace_cmp1(uint8_t a, uint8_t b)
{
	cmp_int(PC, a, b, 1);
}
FERRET_EXPORT void __sanitizer_cov_trace_cmp2(uint16_t a, uint16_t b)
{
	cmp_int(PC, a, b, 2);
}
FERRET_EXPORT void __sanitizer_cov_trace_cmp4(uint32_t a, uint32_t b)
{
	cmp_int(PC, a, b, 4);
}
FERRET_EXPORT void __sanitizer_cov_trace_cmp8(uint64_t a, uint64_t b)
{
	cmp_int(PC, a, b, 8);
}
FERRET_EXPORT void __sanitizer_cov_trace_const_cmp1(uint8_t c, uint8_t v)
{
	cmp_int(PC, v, c, 1);
}
FERRET_EXPORT void __sanitizer_cov_trace_const_cmp2(uint16_t c, uint16_t v)
{
	cmp_int(PC, v, c, 2);
}
FERRET_EXPORT void __sanitizer_cov_trace_const_cmp4(uint32_t c, uint32_t v)
{
	cmp_int(PC, v, c, 4);
}
FERRET_EXPORT void __sanitizer_cov_trace_const_cmp8(uint64_t c, uint64_t v)
{
	cmp_int(PC, v, c, 8);
}

/* Cases[0] = number of cases, Cases[1] = bit width, then the case values.
 * Each case is its own site (pc + i) so one switch does not flood one ring. */
FERRET_EXPORT void __sanitizer_cov_trace_switch(uint64_t val, uint64_t *cases)
{
	if (__builtin_expect(!ferret__vp && !*ferret__cmp_flag, 1))
		return;
	uint64_t n = cases[0];
	unsigned width = (unsigned)(cases[1] / 8);
	if (width == 0 || width > 8)
		width = 8;
	uintptr_t pc = PC;
	for (uint64_t i = 0; i < n && i < 256; i++)
		cmp_int(pc + i, val, cases[2 + i], width);
}

/* gcc emits float compares; clang with trace-div/trace-gep (not enabled by
 * ferret-cc) divisions and indexing. They carry nothing input-to-state can
 * use, so they only need to exist for the link. */
FERRET_EXPORT void __sanitizer_cov_trace_cmpf(float a, float b)
{
	(void)a, (void)b;
}
FERRET_EXPORT void __sanitizer_cov_trace_cmpd(double a, double b)
{
	(void)a, (void)b;
}
FERRET_EXPORT void __sanitizer_cov_trace_div4(uint32_t v)
{
	(void)v;
}
FERRET_EXPORT void __sanitizer_cov_trace_div8(uint64_t v)
{
	(void)v;
}
FERRET_EXPORT void __sanitizer_cov_trace_gep(uintptr_t idx)
{
	(void)idx;
}
