/*
 * harness.h - the entry points a harness may define (libFuzzer's
 * FuzzerInterface.h), declared weak so the driver links without them: a
 * FERRET_TEST binary has none, and the optional ones are NULL when absent.
 * LLVMFuzzerMutate, which the driver provides, is worker.c's.
 */
#ifndef FERRET_HARNESS_H
#define FERRET_HARNESS_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) __attribute__((weak));
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
	__attribute__((weak));
size_t LLVMFuzzerCustomCrossOver(const uint8_t *d1, size_t s1, const uint8_t *d2, size_t s2,
				 uint8_t *out, size_t max_out, unsigned int seed)
	__attribute__((weak));

#endif
