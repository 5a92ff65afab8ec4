/*
 * aflenv.h - AFL++'s environment variables for `ferret fuzz` (aflenv.def):
 * those ferret honours become options, the others a one-line warning each.
 */
#ifndef FERRET_AFLENV_H
#define FERRET_AFLENV_H

#include "fuzz.h"

/* Applies the honoured AFL_* variables of environ to o (before the
 * command line is parsed, so options win) and warns, once each, about the
 * ones it does not support and those it does not know. */
void aflenv_apply(struct fuzz_opts *o);

#endif
