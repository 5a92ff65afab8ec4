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
 *
 * Strings compared a byte at a time (a loop over a keyword, or clang -O1
 * folding nested byte ifs into unconditional compares and one branch) are
 * 1-byte compares that only make sense together. For them the log keeps
 * equal pairs too and numbers every record (seq), so the engine reads the
 * bytes that matched before the one that did not; and value profile counts
 * how many 1-byte compares of a site were equal in the run, so each byte a
 * loop gets further is new coverage.
 */
#include "rt.h"

static volatile uint32_t cmp_off_flag;
volatile uint32_t *ferret__cmp_flag = &cmp_off_flag;
struct ferret_cmp_site *ferret__cmp_log;
uint8_t *ferret__vp;

/*
 * A compare site is its return address relative to its module (modules.c),
 * as in cov_pc.c: under ASLR the absolute address changes from one process
 * to the next, and with it which ring and which value-profile counters a
 * site lands in, so the same seed would log compares in another order and
 * find other inputs. In the executable one compare and one subtraction; in
 * a shared object a look-up in a short table.
 */
static inline uintptr_t site_pc(uintptr_t pc)
{
	return ferret__rel_pc(pc);
}

static inline uint32_t site_hash(uintptr_t pc)
{
	return (uint32_t)(((uint64_t)site_pc(pc) * 0x9e3779b97f4a7c15ull) >> 40);
}

static inline uint8_t *vp_slot(uintptr_t pc)
{
	return ferret__vp + site_hash(pc) % (FERRET_VP_BYTES / 64) * 64;
}

static inline void vp_hit(uintptr_t pc, unsigned distance)
{
	ferret__hit(vp_slot(pc) + (distance & 63));
}

/*
 * An equal 1-byte compare: counter 32 + k of the site's 64, where k is how
 * many of those were already hit in this run. The map is cleared before
 * every run, so k counts the site's equal byte compares so far (up to 31)
 * with no state of our own: a loop matching one more byte of a keyword
 * reaches a counter it never reached. A byte's distance is at most 8, so
 * the counters from 32 up are free for this; only wider compares of a site
 * hashed to the same slot could share them. Costs a scan of at most 32
 * bytes, only with value profile on.
 */
static inline void vp_byte_run(uintptr_t pc)
{
	uint8_t *c = vp_slot(pc) + 32;
	unsigned k = 0;
	while (k < 31 && c[k])
		k++;
	ferret__hit(c + k);
}

/* Record numbers of the run, all sites: a fork-server child starts from
 * the server's value, a persistent child goes on counting; only the order
 * of the numbers within one run matters to the engine. */
static uint32_t cmp_seq;

static void log_int(uintptr_t pc, uint64_t a, uint64_t b, unsigned width, unsigned flags)
{
	struct ferret_cmp_site *s = &ferret__cmp_log[site_hash(pc) % FERRET_CMP_SITES];
	uint32_t n = s->n, seq = cmp_seq++;
	if (n) {
		struct ferret_cmp_rec *last = &s->rec[(n - 1) % FERRET_CMP_WAYS];
		uint64_t la, lb;
		__builtin_memcpy(&la, last->a, 8);
		__builtin_memcpy(&lb, last->b, 8);
		/* A loop comparing the same pair: log it once. Byte compares
		 * only when nothing was logged in between: "RR" of a keyword
		 * compared in a loop (with its counter compare between) must
		 * stay two records. */
		if (last->kind == FERRET_CMP_INT && la == a && lb == b &&
		    (width > 1 || last->seq == seq - 1)) {
			last->seq = seq;
			return;
		}
	}
	struct ferret_cmp_rec *r = &s->rec[n % FERRET_CMP_WAYS];
	r->kind = FERRET_CMP_INT;
	r->width = (uint8_t)width;
	r->len_a = r->len_b = (uint8_t)width;
	r->site = (uint32_t)site_pc(pc);
	r->seq = seq;
	r->flags = (uint8_t)flags;
	__builtin_memcpy(r->a, &a, 8);
	__builtin_memcpy(r->b, &b, 8);
	s->n = n + 1;
}

static inline void cmp_int(uintptr_t pc, uint64_t a, uint64_t b, unsigned width, unsigned flags)
{
	if (__builtin_expect(ferret__vp != 0, 0)) {
		if (width == 1 && a == b)
			vp_byte_run(pc);
		else
			vp_hit(pc, (unsigned)__builtin_popcountll(a ^ b));
	}
	/* Equal compares of a constant (a magic value that matched) tell the
	 * engine nothing; equal ones of two variables may be a checksum the
	 * input got right, which it must keep right (i2s.c). */
	if (__builtin_expect(*ferret__cmp_flag == 0, 1) ||
	    (a == b && width > 1 && (flags & FERRET_CMP_CONST)))
		return;
	log_int(pc, a, b, width, flags);
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
	r->seq = cmp_seq++;
	r->flags = 0;
	for (size_t i = 0; i < len_a; i++)
		r->a[i] = ((const uint8_t *)a)[i];
	for (size_t i = 0; i < len_b; i++)
		r->b[i] = ((const uint8_t *)b)[i];
	s->n++;
}

#define PC ((uintptr_t)__builtin_return_address(0))

FERRET_EXPORT void __sanitizer_cov_trace_cmp1(uint8_t a, uint8_t b)
{
	cmp_int(PC, a, b, 1, 0);
}
FERRET_EXPORT void __sanitizer_cov_trace_cmp2(uint16_t a, uint16_t b)
{
	cmp_int(PC, a, b, 2, 0);
}
FERRET_EXPORT void __sanitizer_cov_trace_cmp4(uint32_t a, uint32_t b)
{
	cmp_int(PC, a, b, 4, 0);
}
FERRET_EXPORT void __sanitizer_cov_trace_cmp8(uint64_t a, uint64_t b)
{
	cmp_int(PC, a, b, 8, 0);
}
FERRET_EXPORT void __sanitizer_cov_trace_const_cmp1(uint8_t c, uint8_t v)
{
	cmp_int(PC, v, c, 1, FERRET_CMP_CONST);
}
FERRET_EXPORT void __sanitizer_cov_trace_const_cmp2(uint16_t c, uint16_t v)
{
	cmp_int(PC, v, c, 2, FERRET_CMP_CONST);
}
FERRET_EXPORT void __sanitizer_cov_trace_const_cmp4(uint32_t c, uint32_t v)
{
	cmp_int(PC, v, c, 4, FERRET_CMP_CONST);
}
FERRET_EXPORT void __sanitizer_cov_trace_const_cmp8(uint64_t c, uint64_t v)
{
	cmp_int(PC, v, c, 8, FERRET_CMP_CONST);
}

/* Cases[0] = number of cases, Cases[1] = bit width, then the case values.
 * Each case is its own site (pc + i) so one switch does not flood one ring.
 * The cases are alternatives, not a sequence: a gap in seq between them
 * keeps the engine from reading a byte switch's cases as one string. */
FERRET_EXPORT void __sanitizer_cov_trace_switch(uint64_t val, uint64_t *cases)
{
	if (__builtin_expect(!ferret__vp && !*ferret__cmp_flag, 1))
		return;
	uint64_t n = cases[0];
	unsigned width = (unsigned)(cases[1] / 8);
	if (width == 0 || width > 8)
		width = 8;
	uintptr_t pc = PC;
	for (uint64_t i = 0; i < n && i < 256; i++) {
		cmp_int(pc + i, val, cases[2 + i], width, FERRET_CMP_CONST);
		cmp_seq++;
	}
}

/* gcc emits float compares: nothing input-to-state can use, so they only
 * need to exist for the link. */
FERRET_EXPORT void __sanitizer_cov_trace_cmpf(float a, float b)
{
	(void)a, (void)b;
}
FERRET_EXPORT void __sanitizer_cov_trace_cmpd(double a, double b)
{
	(void)a, (void)b;
}

/*
 * clang's trace-div and trace-gep (not added by ferret-cc: -fsanitize=
 * fuzzer does not add them either; a harness asks for them): a divisor,
 * and each variable index of an array access. As in libFuzzer (FuzzerTracePC
 * .cpp) both are a compare with 0 for value profile, the number of bits set
 * choosing the counter: a divisor or an index that gets closer to 0 is new
 * coverage. A divisor is also logged as a constant compare with 0 (a
 * division by a field of the input is solved by writing 0 there); an index
 * is not, every array access would flood the rings.
 */
FERRET_EXPORT void __sanitizer_cov_trace_div4(uint32_t v)
{
	cmp_int(PC, v, 0, 4, FERRET_CMP_CONST);
}
FERRET_EXPORT void __sanitizer_cov_trace_div8(uint64_t v)
{
	cmp_int(PC, v, 0, 8, FERRET_CMP_CONST);
}
FERRET_EXPORT void __sanitizer_cov_trace_gep(uintptr_t idx)
{
	if (__builtin_expect(ferret__vp != 0, 0))
		vp_hit(PC, (unsigned)__builtin_popcountll(idx));
}
