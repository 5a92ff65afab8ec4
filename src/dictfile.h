/*
 * dictfile.h - loads dictionaries named on the command line (-x): a file in
 * AFL/libFuzzer format, or a directory whose files are one raw token each
 * (AFL's -x DIR). Malformed lines are reported as "dictionary 'F' line N:
 * REASON; skipped" (AFL) or reject the file (strict, as libFuzzer does).
 */
#ifndef FERRET_DICTFILE_H
#define FERRET_DICTFILE_H

#include "dict.h"

/* Adds the tokens of path to d. Returns the number added, or a negative
 * ferret_err after logging one line (unreadable; strict and malformed). */
int dictfile_load(struct dict *d, const char *path, int strict);

#endif
