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
 * The macros embed marker strings so that `ferret fuzz` can tell from the
 * binary which start-up to ask for; they need GNU statement expressions
 * (gcc and clang).
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
#define FERRET_LOOP(n)                                                                           \
	__extension__({                                                                          \
		static volatile const char *ferret__persist_sig                                  \
		    __attribute__((used, unused)) = "##FERRET_PERSISTENT##";                     \
		ferret__loop(n);                                                                 \
	})

/* Starts the fork server here instead of before main. No-op outside ferret. */
#define FERRET_INIT()                                                                            \
	do {                                                                                     \
		static volatile const char *ferret__defer_sig __attribute__((used, unused)) =    \
		    "##FERRET_DEFER##";                                                          \
		ferret__manual_init();                                                           \
	} while (0)

/* The current input inside FERRET_LOOP: bytes and length. */
#define FERRET_TESTCASE_BUF ((const unsigned char *)ferret__tc_buf)
#define FERRET_TESTCASE_LEN ((size_t)*ferret__tc_len)

#ifdef __cplusplus
}
#endif

#endif
