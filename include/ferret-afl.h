/*
 * ferret-afl.h - AFL++'s harness macros, for programs written for afl-cc.
 * ferret-cc force-includes it (-include) in every C and C++ compilation, as
 * afl-cc defines the same macros, so AFL++ persistent harnesses build
 * unchanged:
 *
 *     __AFL_FUZZ_INIT();
 *     int main(void) {
 *         __AFL_INIT();
 *         unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
 *         while (__AFL_LOOP(10000)) {
 *             int len = __AFL_FUZZ_TESTCASE_LEN;
 *             parse(buf, len);
 *         }
 *     }
 *
 * They are ferret's own persistent loop and test-case buffer (ferret.h):
 * under `ferret fuzz` the input is in ferret's shared region, under afl-fuzz
 * in AFL's shared memory (or stdin), outside any fuzzer the loop runs once
 * on all of stdin. A harness that reads stdin itself (no __AFL_FUZZ_INIT)
 * gets each input on stdin under both fuzzers. Each macro embeds both
 * fuzzers' marker strings, so either can tell the start-up from the binary.
 *
 * Only macros, and declarations inside them: a compilation that uses none
 * sees nothing of this file (nor does assembly).
 */
#ifndef FERRET_AFL_H
#define FERRET_AFL_H
#ifndef __ASSEMBLER__

#ifdef __cplusplus
#define FERRET__AFL_DECL extern "C"
#define FERRET__AFL_DEF extern "C"
#else
#define FERRET__AFL_DECL extern
#define FERRET__AFL_DEF
#endif

#define __AFL_HAVE_MANUAL_CONTROL 1

/* At file scope: the program reads its inputs through the two macros below. */
#define __AFL_FUZZ_INIT()                                                                          \
	FERRET__AFL_DECL unsigned char *ferret__tc_buf;                                            \
	FERRET__AFL_DECL unsigned int *ferret__tc_len;                                             \
	FERRET__AFL_DEF int ferret__afl_tc __attribute__((weak)) = 1

#define __AFL_FUZZ_TESTCASE_BUF (ferret__tc_buf)
#define __AFL_FUZZ_TESTCASE_LEN (*ferret__tc_len)

#define __AFL_LOOP(n)                                                                              \
	__extension__({                                                                            \
		static volatile const char *ferret__afl_psig __attribute__((used, unused)) =       \
			"##SIG_AFL_PERSISTENT##";                                                  \
		static volatile const char *ferret__afl_fsig __attribute__((used, unused)) =       \
			"##FERRET_PERSISTENT##";                                                   \
		int ferret__afl_loop_fn(unsigned int) __asm__("ferret__afl_loop");                 \
		ferret__afl_loop_fn(n);                                                            \
	})

#define __AFL_INIT()                                                                               \
	do {                                                                                       \
		static volatile const char *ferret__afl_dsig __attribute__((used, unused)) =       \
			"##SIG_AFL_DEFER_FORKSRV##";                                               \
		static volatile const char *ferret__afl_fdsig __attribute__((used, unused)) =      \
			"##FERRET_DEFER##";                                                        \
		void ferret__afl_init_fn(void) __asm__("ferret__manual_init");                     \
		ferret__afl_init_fn();                                                             \
	} while (0)

/* Selective coverage: with __AFL_COVERAGE() at file scope, each run starts
 * with coverage off until __AFL_COVERAGE_ON(). */
#define __AFL_COVERAGE() FERRET__AFL_DEF int ferret__afl_cov_sel __attribute__((weak)) = 1
#define FERRET__AFL_CALL(fn)                                                                       \
	do {                                                                                       \
		void fn##_fn(void) __asm__(#fn);                                                   \
		fn##_fn();                                                                         \
	} while (0)
#define __AFL_COVERAGE_ON() FERRET__AFL_CALL(ferret__afl_cov_on)
#define __AFL_COVERAGE_OFF() FERRET__AFL_CALL(ferret__afl_cov_off)
#define __AFL_COVERAGE_DISCARD() FERRET__AFL_CALL(ferret__afl_cov_discard)
#define __AFL_COVERAGE_SKIP() FERRET__AFL_CALL(ferret__afl_cov_skip)

#endif
#endif
