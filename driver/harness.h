/*
 * harness.h - the entry points a harness may define (libFuzzer's
 * FuzzerInterface.h). The optional ones are declared weak (NULL when
 * absent); LLVMFuzzerTestOneInput has a weak stand-in (harness.c), since
 * a FERRET_TEST binary has none.
 * LLVMFuzzerMutate, which the driver provides, is worker.c's.
 */
#ifndef FERRET_HARNESS_H
#define FERRET_HARNESS_H

#include <stddef.h>
#include <stdint.h>

/* Always defined: harness.c holds a weak stand-in, ferret__lf_no_harness,
 * for programs without one. The driver calls the harness through
 * lf_harness, set by lf_harness_resolve() before anything runs: the
 * program's own, else one a shared library it loads defines, else the
 * stand-in (lf_has_harness() tells). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int ferret__lf_no_harness(const uint8_t *data, size_t size);
typedef int (*lf_harness_fn)(const uint8_t *data, size_t size);
extern lf_harness_fn lf_harness;
void lf_harness_resolve(void);
#define lf_has_harness() (lf_harness != ferret__lf_no_harness)
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
	__attribute__((weak));
size_t LLVMFuzzerCustomCrossOver(const uint8_t *d1, size_t s1, const uint8_t *d2, size_t s2,
				 uint8_t *out, size_t max_out, unsigned int seed)
	__attribute__((weak));

/* Calls LLVMFuzzerTestOneInput(data, size) from a frame of its own, never
 * inlined nor a tail call, as libFuzzer calls it from ExecuteCallback: the
 * frames of a crash (a sanitizer's DEDUP_TOKEN, its third frame this one)
 * are then the same whichever mode ran the input, running files or a step
 * of -minimize_crash, which compares them. Returns the harness's value. */
int lf_harness_run(const uint8_t *data, size_t size);

/* The sanitizers' crash-state lock (weak stand-in in harness.c). */
int __sanitizer_acquire_crash_state(void);

/* For the atexit hook of a process running the harness, when the harness
 * calls exit(): whether it took the crash state first, in which case, as
 * in libFuzzer (whose exit hook takes it too and stays silent when it
 * cannot), the exit is not reported and its code is the process's. */
int lf_quiet_exit(void);
#endif
