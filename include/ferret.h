/*
 * ferret.h - what a program built with ferret-cc may include.
 *
 * Persistent mode and deferred start, for programs that opt in:
 *
 *     int main(void) {
 *         expensive_setup();
 *         while (FERRET_LOOP(10000)) {
 *             const unsigned char *buf = FERRET_TESTCASE_BUF;
 *             size_t len = FERRET_TESTCASE_LEN;
 *             parse(buf, len);
 *         }
 *     }
 *
 * FERRET_LOOP(n) runs the body once per input, restarting the process after n
 * inputs; under the fuzzer the input arrives in shared memory, with no file
 * and no fork per input. Outside the fuzzer the loop runs once and the
 * test case is all of stdin, so the program behaves as it would without
 * ferret. FERRET_INIT() marks where the fork server should start when the
 * set-up before it is expensive and the same for every input (deferred start).
 *
 * The macros embed marker strings so that `ferret fuzz` (and afl-fuzz, whose
 * markers they carry too) can tell from the binary which start-up to ask
 * for; they need GNU statement expressions (gcc and clang). AFL++'s own
 * macros (__AFL_LOOP, ...) are in ferret-afl.h.
 */
#ifndef FERRET_H
#define FERRET_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Runtime entry points behind the macros; call the macros, not these. */
int ferret__loop(unsigned int max_iterations);
void ferret__manual_init(void);
extern unsigned char *ferret__tc_buf;
extern uint32_t *ferret__tc_len;

/* Nonzero while there is another input to run; see the comment above. */
#define FERRET_LOOP(n)                                                                             \
	__extension__({                                                                            \
		static volatile const char *ferret__persist_sig __attribute__((used, unused)) =    \
			"##FERRET_PERSISTENT##";                                                   \
		static volatile const char *ferret__afl_sig __attribute__((used, unused)) =        \
			"##SIG_AFL_PERSISTENT##";                                                  \
		ferret__loop(n);                                                                   \
	})

/* Starts the fork server here instead of before main. No-op outside ferret. */
#define FERRET_INIT()                                                                              \
	do {                                                                                       \
		static volatile const char *ferret__defer_sig __attribute__((used, unused)) =      \
			"##FERRET_DEFER##";                                                        \
		static volatile const char *ferret__afl_sig __attribute__((used, unused)) =        \
			"##SIG_AFL_DEFER_FORKSRV##";                                               \
		ferret__manual_init();                                                             \
	} while (0)

/* The current input inside FERRET_LOOP: bytes and length. */
#define FERRET_TESTCASE_BUF ((const unsigned char *)ferret__tc_buf)
#define FERRET_TESTCASE_LEN ((size_t)*ferret__tc_len)

/* ------------------------------------------------------------------------
 * Structured fuzzing: FERRET_TEST and the Smith.
 *
 *     FERRET_TEST(deque_matches_model, s) {
 *         while (!ferret_eos(s)) {
 *             switch (ferret_range(s, 0, 3)) {
 *             case 0: push(ferret_u32(s)); break;
 *             ...
 *             }
 *         }
 *     }
 *
 * A test asks the Smith for typed values. Each call site has a uid, taken
 * from its file and line (stable across rebuilds, unlike an address) or
 * from an explicit label (the *_l forms, for call sites in loops or helpers
 * that should be told apart). The input of a test is a value stream: per
 * uid, the values in the order that uid asked for them. The fuzzer mutates
 * values, not bytes, so changing one call site's value never shifts the
 * values of the others.
 *
 * What a call returns when the stream has no value for it: a fresh value,
 * drawn from the stream's seed and the request's position, respecting the
 * call's weights or range; with seed 0 (and for an empty stream) the
 * minimal one instead: the lowest allowed value, zero bytes, an empty
 * slice, and true for eos. A value in the stream that falls outside them is
 * replaced by a fresh one. So any stream (even an empty or corrupt one) is a
 * valid input, and a value outside every range never appears.
 *
 * Determinism contract: the same stream and the same sequence of calls give
 * the same values, in the fuzzer, in `./tests`, under `--run` and in the
 * byte bridge. A test must not take values from anywhere else (time,
 * addresses, global state left by an earlier run).
 *
 * Tests are linked like libFuzzer harnesses (`ferret-cc --fuzzer`): the
 * binary lists and runs every FERRET_TEST on its saved corpus and on
 * generated examples (fresh streams seeded by the test's name), and
 * `--fuzz NAME` fuzzes one. A test fails by crashing: assert(), abort(), a
 * sanitizer report, or FERRET_ASSERT below.
 * ---------------------------------------------------------------------- */

typedef struct ferret_smith ferret_smith;

/* One weighted range: every value in [min, max] (inclusive) has the given
 * weight; a value in no range of a list is never produced. */
struct ferret_weight {
	uint64_t min, max, weight;
};

typedef void (*ferret_test_fn)(ferret_smith *s);
void ferret__register(const char *name, ferret_test_fn fn, const char *file, int line);
uint32_t ferret__uid(const char *file, int line, const char *label);
uint64_t ferret__int(ferret_smith *s, uint32_t uid, const char *file, int line, const char *label,
		     const struct ferret_weight *w, size_t n);
int ferret__eos(ferret_smith *s, uint32_t uid, const char *file, int line, const char *label,
		uint64_t w_false, uint64_t w_true);
size_t ferret__bytes(ferret_smith *s, uint32_t uid, const char *file, int line, const char *label,
		     void *buf, size_t min_len, size_t max_len);
void ferret__fail(const char *file, int line, const char *cond) __attribute__((noreturn));

#define FERRET_TEST(name, s)                                                                       \
	static void ferret__test_##name(ferret_smith *s);                                          \
	__attribute__((constructor)) static void ferret__register_##name(void)                     \
	{                                                                                          \
		ferret__register(#name, ferret__test_##name, __FILE__, __LINE__);                  \
	}                                                                                          \
	static void ferret__test_##name(ferret_smith *s)

/*
 * An explicit example, as Hypothesis's @example and Go's f.Add: plain
 * ./tests runs the test `name` on the value stream in the array `bytes`
 * (a `static const unsigned char[]`, sizeof gives its length) before its
 * saved corpus, every time. `ferret show --c FILE` prints a saved failure in
 * this form, to paste as a regression. Any file linked into the binary may
 * hold it; an example naming no test is an error of ./tests.
 */
void ferret__register_example(const char *test, const unsigned char *data, size_t len,
			      const char *file, int line);
#define FERRET__CAT_(a, b) a##b
#define FERRET__CAT(a, b) FERRET__CAT_(a, b)
#define FERRET_EXAMPLE(name, bytes)                                                                \
	__attribute__((constructor)) static void FERRET__CAT(ferret__example_##name##_,            \
							     __LINE__)(void)                       \
	{                                                                                          \
		ferret__register_example(#name, (bytes), sizeof(bytes), __FILE__, __LINE__);       \
	}                                                                                          \
	void ferret__register_example(const char *test, const unsigned char *data, size_t len,     \
				      const char *file, int line)

/* Fails the test (abort with a message) when cond is false. */
#define FERRET_ASSERT(cond)                                                                        \
	do {                                                                                       \
		if (!(cond))                                                                       \
			ferret__fail(__FILE__, __LINE__, #cond);                                   \
	} while (0)

/* The uid of this call site: a label is hashed on each call (a helper may
 * be called with several), file and line once per site. */
#define FERRET__UID(label)                                                                         \
	__extension__({                                                                            \
		static uint32_t ferret__u;                                                         \
		const char *ferret__l = (label);                                                   \
		uint32_t ferret__r;                                                                \
		if (ferret__l)                                                                     \
			ferret__r = ferret__uid(__FILE__, __LINE__, ferret__l);                    \
		else {                                                                             \
			if (!ferret__u)                                                            \
				ferret__u = ferret__uid(__FILE__, __LINE__, NULL);                 \
			ferret__r = ferret__u;                                                     \
		}                                                                                  \
		ferret__r;                                                                         \
	})
#define FERRET__INT(s, label, lo, hi)                                                              \
	__extension__({                                                                            \
		const struct ferret_weight ferret__w = {(lo), (hi), 1};                            \
		ferret__int((s), FERRET__UID(label), __FILE__, __LINE__, (label), &ferret__w, 1);  \
	})

/* Unsigned integers of each width: any value of the type. */
#define ferret_u8_l(s, label) ((uint8_t)FERRET__INT(s, label, 0, UINT8_MAX))
#define ferret_u16_l(s, label) ((uint16_t)FERRET__INT(s, label, 0, UINT16_MAX))
#define ferret_u32_l(s, label) ((uint32_t)FERRET__INT(s, label, 0, UINT32_MAX))
#define ferret_u64_l(s, label) ((uint64_t)FERRET__INT(s, label, 0, UINT64_MAX))
#define ferret_u8(s) ferret_u8_l(s, NULL)
#define ferret_u16(s) ferret_u16_l(s, NULL)
#define ferret_u32(s) ferret_u32_l(s, NULL)
#define ferret_u64(s) ferret_u64_l(s, NULL)
/* Signed integers: any value of the type (two's complement of the same bits). */
#define ferret_i8_l(s, label) ((int8_t)ferret_u8_l(s, label))
#define ferret_i16_l(s, label) ((int16_t)ferret_u16_l(s, label))
#define ferret_i32_l(s, label) ((int32_t)ferret_u32_l(s, label))
#define ferret_i64_l(s, label) ((int64_t)ferret_u64_l(s, label))
#define ferret_i8(s) ferret_i8_l(s, NULL)
#define ferret_i16(s) ferret_i16_l(s, NULL)
#define ferret_i32(s) ferret_i32_l(s, NULL)
#define ferret_i64(s) ferret_i64_l(s, NULL)
/* 0 or 1. */
#define ferret_bool_l(s, label) ((int)FERRET__INT(s, label, 0, 1))
#define ferret_bool(s) ferret_bool_l(s, NULL)
/* Any bit pattern, so NaNs and infinities too. */
#define ferret_f32_l(s, label)                                                                     \
	__extension__({                                                                            \
		uint32_t ferret__b = ferret_u32_l(s, label);                                       \
		float ferret__f;                                                                   \
		__builtin_memcpy(&ferret__f, &ferret__b, 4);                                       \
		ferret__f;                                                                         \
	})
#define ferret_f64_l(s, label)                                                                     \
	__extension__({                                                                            \
		uint64_t ferret__b = ferret_u64_l(s, label);                                       \
		double ferret__f;                                                                  \
		__builtin_memcpy(&ferret__f, &ferret__b, 8);                                       \
		ferret__f;                                                                         \
	})
#define ferret_f32(s) ferret_f32_l(s, NULL)
#define ferret_f64(s) ferret_f64_l(s, NULL)
/* An unsigned value in [lo, hi], inclusive (lo <= hi). */
#define ferret_range_l(s, label, lo, hi) FERRET__INT(s, label, (uint64_t)(lo), (uint64_t)(hi))
#define ferret_range(s, lo, hi) ferret_range_l(s, NULL, lo, hi)
/* A signed value in [lo, hi], inclusive: stored with the sign bit flipped
 * so the order of values is kept. */
#define ferret_range_i64_l(s, label, lo, hi)                                                       \
	((int64_t)(FERRET__INT(s, label, (uint64_t)(int64_t)(lo) ^ (1ull << 63),                   \
			       (uint64_t)(int64_t)(hi) ^ (1ull << 63)) ^                           \
		   (1ull << 63)))
#define ferret_range_i64(s, lo, hi) ferret_range_i64_l(s, NULL, lo, hi)
/* One of n items: an index in [0, n-1] (n >= 1). */
#define ferret_pick_l(s, label, n) ((size_t)FERRET__INT(s, label, 0, (uint64_t)(n)-1))
#define ferret_pick(s, n) ferret_pick_l(s, NULL, n)
/* A value from weighted ranges w[0..n) (struct ferret_weight). */
#define ferret_weighted_l(s, label, w, n)                                                          \
	ferret__int((s), FERRET__UID(label), __FILE__, __LINE__, (label), (w), (n))
#define ferret_weighted(s, w, n) ferret_weighted_l(s, NULL, w, n)
/*
 * End of stream: true when the test should stop asking for more. Fresh
 * answers are true one time in 8 (ferret_eos_weighted sets the odds), and
 * it is guaranteed to return true once the test has asked for 4096 values
 * in one run, so every loop on it ends.
 */
#define ferret_eos_l(s, label)                                                                     \
	ferret__eos((s), FERRET__UID(label), __FILE__, __LINE__, (label), 7, 1)
#define ferret_eos(s) ferret_eos_l(s, NULL)
#define ferret_eos_weighted_l(s, label, w_false, w_true)                                           \
	ferret__eos((s), FERRET__UID(label), __FILE__, __LINE__, (label), (w_false), (w_true))
#define ferret_eos_weighted(s, w_false, w_true) ferret_eos_weighted_l(s, NULL, w_false, w_true)
/* Fills buf with exactly n bytes (fresh bytes where the stream has fewer). */
#define ferret_bytes_l(s, label, buf, n)                                                           \
	((void)ferret__bytes((s), FERRET__UID(label), __FILE__, __LINE__, (label), (buf), (n), (n)))
#define ferret_bytes(s, buf, n) ferret_bytes_l(s, NULL, buf, n)
/* Fills a prefix of buf (up to cap bytes) and returns its length; fresh
 * slices have a random length in [0, cap]. */
#define ferret_slice_l(s, label, buf, cap)                                                         \
	ferret__bytes((s), FERRET__UID(label), __FILE__, __LINE__, (label), (buf), 0, (cap))
#define ferret_slice(s, buf, cap) ferret_slice_l(s, NULL, buf, cap)

/*
 * The byte bridge: defines LLVMFuzzerTestOneInput running the test `name`
 * on raw bytes read as values (ints 8 bytes little endian, eos one byte,
 * slices a u32 length then bytes, missing input the lowest value), so
 * libFuzzer, AFL++ or ClusterFuzz can run a FERRET_TEST. Link the test with
 * libferret-smith.a under those engines.
 */
void ferret__bridge_run(ferret_test_fn fn, const uint8_t *data, size_t len);
#define FERRET_BYTE_BRIDGE(name)                                                                   \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)                               \
	{                                                                                          \
		ferret__bridge_run(ferret__test_##name, data, size);                               \
		return 0;                                                                          \
	}

#ifdef __cplusplus
}
#endif

#endif
